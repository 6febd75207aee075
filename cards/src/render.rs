//! Draws a [`Card`] as a 1200x630 PNG.
//!
//! Layout (left to right on a left-to-right page, mirrored on a
//! right-to-left one): a band in the brand's accent across the top; the
//! stars; the title (bold, at most 2 lines); the text (as many lines as
//! fit, ending in `…` when cut); a rule; the author's name with its labels
//! at the start and the brand's name at the end.
//!
//! Text goes through cosmic-text: shaping (HarfRust, so Arabic and Persian
//! letters join), bidi (UAX #9: each paragraph takes its direction from its
//! own text) and line breaking (UAX #14), drawn by swash. The fonts are
//! DejaVu Sans and DejaVu Sans Bold, built in (`fonts/`, Bitstream Vera
//! licence): Latin, Greek, Cyrillic, Arabic with Persian and Urdu letters,
//! Hebrew, Armenian, Georgian and many symbols (some emoji in outline).
//! Grapheme clusters they lack (colour emoji, CJK, Thai, Devanagari) are
//! left out rather than drawn as empty boxes (marks they lack are left off
//! their letters); a title, text or name that would lose more than a third
//! of its clusters that way is left out whole, and the card still shows
//! the stars and the labels. Each block is clipped to its box, so stacked combining
//! marks never paint over the rest.
//!
//! Cost: one card is about 100 ms in workerd on the development machine
//! (21 ms natively; the edge's `share_card` caches each one): past the
//! Workers Free plan's 10 ms of CPU per request, so the renderer needs the
//! Paid plan (30 s by default,
//! <https://developers.cloudflare.com/workers/platform/limits/#cpu-time>).

use cosmic_text::{Align, Attrs, Buffer, Color, Family, FontSystem, Metrics, Shaping, SwashCache, Weight, Wrap};
use kindred_core::card::{Card, HEIGHT, WIDTH};
use std::cell::RefCell;
use std::sync::Arc;
use unicode_segmentation::UnicodeSegmentation;

/// DejaVu Sans 2.37 (Debian's fonts-dejavu-core).
static REGULAR: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
/// DejaVu Sans Bold 2.37.
static BOLD: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold.ttf");
const FAMILY: &str = "DejaVu Sans";

/// Space around the content, pixels.
const PAD: f32 = 72.0;
/// The footer's height: the name (38) and two lines of labels (2 x 32).
const FOOTER: f32 = 104.0;
/// The accent band's height, pixels.
const BAND: usize = 14;
const INK: Color = Color::rgb(0x1f, 0x23, 0x28);
const MUTED: Color = Color::rgb(0x57, 0x60, 0x6a);
const EMPTY_STAR: Color = Color::rgb(0xd0, 0xd7, 0xde);
const RULE: [u8; 3] = [0xd8, 0xde, 0xe4];

/// Why a card could not be drawn.
#[derive(Debug)]
pub enum RenderError {
    /// The card breaks a limit of `kindred_core::card`.
    Invalid(kindred_core::card::Invalid),
    /// The PNG encoder failed (out of memory).
    Encode(String),
}

struct Engine {
    fonts: FontSystem,
    cache: SwashCache,
}

thread_local! {
    /// Parsed fonts and drawn glyphs, kept for the isolate's life (a Worker
    /// isolate runs one request at a time on one thread).
    static ENGINE: RefCell<Option<Engine>> = const { RefCell::new(None) };
}

fn engine() -> Engine {
    let mut db = cosmic_text::fontdb::Database::new();
    // Borrowed, not copied: the fonts live in the module's data.
    db.load_font_source(cosmic_text::fontdb::Source::Binary(Arc::new(REGULAR)));
    db.load_font_source(cosmic_text::fontdb::Source::Binary(Arc::new(BOLD)));
    db.set_sans_serif_family(FAMILY);
    Engine { fonts: FontSystem::new_with_locale_and_db("en-US".into(), db), cache: SwashCache::new() }
}

/// An RGB canvas.
struct Canvas {
    px: Vec<u8>,
}

impl Canvas {
    fn new() -> Canvas {
        // White paper: every byte 0xff.
        Canvas { px: vec![0xff; (WIDTH * HEIGHT * 3) as usize] }
    }

    fn fill(&mut self, x0: usize, y0: usize, w: usize, h: usize, rgb: [u8; 3]) {
        for y in y0..(y0 + h).min(HEIGHT as usize) {
            for x in x0..(x0 + w).min(WIDTH as usize) {
                let at = (y * WIDTH as usize + x) * 3;
                self.px[at..at + 3].copy_from_slice(&rgb);
            }
        }
    }

    /// Blends `color` (its alpha is the glyph's coverage) over one pixel.
    fn blend(&mut self, x: i32, y: i32, color: Color) {
        let (Ok(x), Ok(y)) = (usize::try_from(x), usize::try_from(y)) else { return };
        if x >= WIDTH as usize || y >= HEIGHT as usize {
            return;
        }
        let a = u32::from(color.a());
        if a == 0 {
            return;
        }
        let at = (y * WIDTH as usize + x) * 3;
        for (i, c) in [color.r(), color.g(), color.b()].into_iter().enumerate() {
            let under = u32::from(self.px[at + i]);
            self.px[at + i] = ((u32::from(c) * a + under * (255 - a) + 127) / 255) as u8;
        }
    }

    fn png(&self) -> Result<Vec<u8>, RenderError> {
        let mut out = Vec::with_capacity(64 * 1024);
        let mut enc = png::Encoder::new(&mut out, WIDTH, HEIGHT);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        // fdeflate's fast mode: a card is flat colour and text, and the
        // render's CPU time matters more than bytes: about 6 ms of a 21 ms
        // render natively and 125 KB a card, against 16 ms and 55 KB at the
        // balanced level.
        enc.set_compression(png::Compression::Fast);
        let mut w = enc.write_header().map_err(|e| RenderError::Encode(e.to_string()))?;
        w.write_image_data(&self.px).map_err(|e| RenderError::Encode(e.to_string()))?;
        w.finish().map_err(|e| RenderError::Encode(e.to_string()))?;
        Ok(out)
    }
}

/// One block of text to lay out and draw.
struct Block<'a> {
    /// Text, colour and whether bold.
    spans: Vec<(&'a str, Color, bool)>,
    size: f32,
    line: f32,
    max_lines: usize,
    align: Option<Align>,
}

/// Lays `block` out in a box `width` wide and answers the buffer and its
/// number of lines.
fn lay_out(e: &mut Engine, block: &Block, spans: &[(&str, Color, bool)], width: f32) -> (Buffer, usize) {
    let mut buffer = Buffer::new(&mut e.fonts, Metrics::new(block.size, block.line));
    buffer.set_wrap(Wrap::WordOrGlyph);
    buffer.set_size(Some(width), None);
    let base = Attrs::new().family(Family::Name(FAMILY));
    let attrs = |color: Color, bold: bool| base.clone().color(color).weight(if bold { Weight::BOLD } else { Weight::NORMAL });
    buffer.set_rich_text(spans.iter().map(|&(text, color, bold)| (text, attrs(color, bold))), &base, Shaping::Advanced, block.align);
    buffer.shape_until_scroll(&mut e.fonts, false);
    let lines = buffer.layout_runs().count();
    (buffer, lines)
}

/// Lays `block` out in a box `width` wide at (`x`, `y`) and draws it,
/// clipped to that box (stacked marks never paint over the rest); answers
/// the height used and whether the text was cut. Text past `max_lines` is
/// cut at a word (in logical order, whatever the direction), or between
/// grapheme clusters when one word fills the line, and ends in `…`.
fn draw(e: &mut Engine, canvas: &mut Canvas, block: &Block, x: f32, y: f32, width: f32) -> (f32, bool) {
    let (mut buffer, mut lines) = lay_out(e, block, &block.spans, width);
    let cut_short = lines > block.max_lines;
    if cut_short && block.spans.len() == 1 {
        let (text, color, bold) = block.spans[0];
        // Where the last line that fits ends in the text.
        let mut end = buffer
            .layout_runs()
            .nth(block.max_lines.saturating_sub(1))
            .and_then(|run| run.glyphs.iter().map(|g| g.end).max())
            .unwrap_or(text.len())
            .min(text.len());
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        for _ in 0..12 {
            let kept = text.get(..end).unwrap_or(text).trim_end();
            // Back to the last space, so no word is cut; a line that is one
            // word loses its last grapheme clusters instead.
            let cut = match kept.rfind(' ').filter(|&i| i > 0) {
                Some(i) => i,
                None => {
                    let clusters: Vec<usize> = kept.grapheme_indices(true).map(|(i, _)| i).collect();
                    clusters.get(clusters.len().saturating_sub(1 + clusters.len() / 8)).copied().unwrap_or(0)
                }
            };
            let shorter = format!("{}…", kept[..cut].trim_end().trim_end_matches([',', ';', ':', '،', '؛', '-', '—']).trim_end());
            let spans = [(shorter.as_str(), color, bold)];
            (buffer, lines) = lay_out(e, block, &spans, width);
            if lines <= block.max_lines || cut == 0 {
                break;
            }
            end = cut;
        }
    }
    let height = block.max_lines as f32 * block.line;
    // Lines past the limit are not drawn.
    buffer.set_size(Some(width), Some(height));
    let (x0, y0, x1, y1) = (x as i32, y as i32, (x + width) as i32, (y + height) as i32);
    buffer.draw(&mut e.fonts, &mut e.cache, INK, |gx, gy, w, h, color| {
        for dy in 0..h as i32 {
            for dx in 0..w as i32 {
                let (px, py) = (x0 + gx + dx, y0 + gy + dy);
                // A little room past the box for descenders and marks.
                if px >= x0 - 4 && px < x1 + 4 && py >= y0 - 8 && py < y1 + 8 {
                    canvas.blend(px, py, color);
                }
            }
        }
    });
    (lines.min(block.max_lines) as f32 * block.line, cut_short)
}

/// Combining marks kept on one letter: enough for Arabic (a letter, shadda
/// and a vowel), Hebrew with points and Vietnamese; "zalgo" text stacks
/// dozens.
const CLUSTER_MAX: usize = 5;

/// What of `text` the built-in fonts can draw, by grapheme cluster (UAX
/// #29): a cluster whose base character they lack (a colour emoji with its
/// skin tone or joiners, a CJK character) is left out whole, and the
/// spaces around it tidied; a mark they lack (a Hebrew cantillation mark,
/// a keycap's frame) is left off its letter, which stays; a cluster is cut
/// to [`CLUSTER_MAX`] characters. `None` when that would lose more than a
/// third of the text's visible clusters. Line breaks become spaces (a card
/// is one paragraph); no-break spaces stay.
fn drawable(text: &str) -> Option<String> {
    let Some(font) = swash::FontRef::from_index(REGULAR, 0) else { return Some(text.to_owned()) };
    let map = font.charmap();
    // Default-ignorable characters shape the letters around them (the
    // Persian zero-width non-joiner), set a direction or pick a glyph's
    // style: never "lacking".
    let ignorable = |c: char| {
        matches!(c, '\u{200b}'..='\u{200f}' | '\u{061c}' | '\u{180e}' | '\u{2060}'..='\u{2069}' | '\u{fe00}'..='\u{fe0f}' | '\u{feff}')
    };
    let mut visible = 0usize;
    let mut lost = 0usize;
    let mut dropped_last = false;
    let mut out = String::with_capacity(text.len());
    for g in text.graphemes(true) {
        let first = g.chars().next().unwrap_or(' ');
        if first.is_whitespace() && !matches!(first, '\u{a0}' | '\u{202f}' | '\u{2007}') {
            if !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
            }
            continue;
        }
        if g.chars().all(ignorable) {
            out.push_str(g);
            continue;
        }
        visible += 1;
        // Emoji sequences (a joiner between pictographs) go whole even when
        // each part is in the font: drawn apart they say something else.
        let emoji_sequence = g.contains('\u{200d}') && g.chars().any(|c| u32::from(c) >= 0x1f000);
        if emoji_sequence || map.map(first) == 0 {
            lost += 1;
            dropped_last = true;
            continue;
        }
        // "Quality 🫶, service": no space is left before punctuation where
        // a cluster was left out.
        if dropped_last && out.ends_with(' ') && g.chars().all(|c| matches!(c, ',' | '.' | '!' | '?' | ';' | ':' | '،' | '؛' | '؟')) {
            out.pop();
        }
        dropped_last = false;
        out.extend(g.chars().filter(|&c| ignorable(c) || map.map(c) != 0).take(CLUSTER_MAX));
    }
    if lost * 3 > visible {
        return None;
    }
    Some(out.trim().to_owned())
}

/// What a render had to leave out, for tests and logs.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Report {
    /// The text was cut (ends in `…`).
    pub body_cut: bool,
    /// The author's name was cut.
    pub name_cut: bool,
    /// Some labels did not fit (never expected: they have two lines).
    pub labels_cut: bool,
}

/// Draws `card` and encodes it as PNG (8-bit RGB, 1200x630).
///
/// # Errors
/// [`RenderError::Invalid`] when the card breaks a limit of
/// `kindred_core::card` (the edge never sends one); [`RenderError::Encode`]
/// when the encoder fails.
pub fn render(card: &Card) -> Result<Vec<u8>, RenderError> {
    render_with_report(card).map(|(png, _)| png)
}

/// [`render`], with what it left out.
///
/// # Errors
/// As [`render`].
pub fn render_with_report(card: &Card) -> Result<(Vec<u8>, Report), RenderError> {
    card.check().map_err(RenderError::Invalid)?;
    ENGINE.with(|cell| {
        let mut slot = cell.borrow_mut();
        let e = slot.get_or_insert_with(engine);
        // Drawn glyphs are kept for one card only: the cache would grow with
        // every script and size a long-lived isolate meets.
        e.cache = SwashCache::new();
        let mut report = Report::default();
        let mut canvas = Canvas::new();
        let [r, g, b] = card.accent_rgb();
        let accent = Color::rgb(r, g, b);
        canvas.fill(0, 0, WIDTH as usize, BAND, [r, g, b]);

        let width = WIDTH as f32 - 2.0 * PAD;
        let (start, end) = if card.rtl { (Align::Right, Align::Left) } else { (Align::Left, Align::Right) };
        // A mark that sets a line's direction to the page's, whatever its
        // first letter (a Persian name on an English page and the reverse).
        let mark = if card.rtl { "\u{200f}" } else { "\u{200e}" };
        let mut y = PAD;

        // The stars read from the start side.
        let filled = format!("{mark}{}", "★".repeat(card.rating as usize));
        let empty = "★".repeat(5 - card.rating as usize);
        let stars = Block { spans: vec![(&filled, accent, false), (&empty, EMPTY_STAR, false)], size: 52.0, line: 60.0, max_lines: 1, align: Some(start) };
        y += draw(e, &mut canvas, &stars, PAD, y, width).0 + 14.0;

        // The footer: a rule, then the author's name over their labels at
        // the start, the brand's name at the end.
        let footer_y = HEIGHT as f32 - 44.0 - FOOTER;
        let rule_y = footer_y - 22.0;

        if let Some(title) = drawable(&card.title).filter(|t| !t.is_empty()) {
            let block = Block { spans: vec![(&title, INK, true)], size: 44.0, line: 56.0, max_lines: 2, align: None };
            y += draw(e, &mut canvas, &block, PAD, y, width).0 + 10.0;
        }
        if let Some(body) = drawable(&card.body).filter(|t| !t.is_empty()) {
            // A short text in large type, a long one smaller; cut (with
            // `…`) only at the smallest size.
            let height = rule_y - 18.0 - y;
            let sizes = [(46.0, 62.0), (40.0, 54.0), (33.0, 46.0)];
            let fits = |e: &mut Engine, &(size, line): &(f32, f32)| {
                let room = (height / line).floor().max(0.0) as usize;
                let block = Block { spans: vec![(&body, INK, false)], size, line, max_lines: room, align: None };
                room > 0 && lay_out(e, &block, &block.spans, width).1 <= room
            };
            let (size, line) = sizes.iter().find(|s| fits(e, s)).copied().unwrap_or(sizes[2]);
            let room = (height / line).floor().max(0.0) as usize;
            if room > 0 {
                let block = Block { spans: vec![(&body, INK, false)], size, line, max_lines: room, align: None };
                report.body_cut = draw(e, &mut canvas, &block, PAD, y, width).1;
            } else {
                report.body_cut = true;
            }
        }
        canvas.fill(PAD as usize, rule_y as usize, width as usize, 2, RULE);

        // The brand's name takes up to a third of the width.
        let brand = drawable(&card.brand).unwrap_or_default();
        let brand_w = width / 3.0;
        let brand_block = Block { spans: vec![(&brand, accent, true)], size: 30.0, line: 40.0, max_lines: 1, align: Some(end) };
        let brand_x = if card.rtl { PAD } else { PAD + width - brand_w };
        draw(e, &mut canvas, &brand_block, brand_x, footer_y, brand_w);

        let who_w = width - brand_w - 24.0;
        let who_x = if card.rtl { PAD + brand_w + 24.0 } else { PAD };
        // A name the fonts cannot draw (in CJK) leaves its line empty; the
        // labels keep theirs.
        if let Some(author) = drawable(&card.author).filter(|a| !a.is_empty()) {
            let name = format!("{mark}{author}");
            let block = Block { spans: vec![(&name, INK, true)], size: 28.0, line: 38.0, max_lines: 1, align: Some(start) };
            report.name_cut = draw(e, &mut canvas, &block, who_x, footer_y, who_w).1;
        }
        // Every label (the incentive's disclosure among them) on up to two
        // lines of their own, the card's whole width (under the brand's
        // name too), never cut behind a long name.
        let labels: Vec<String> = card.labels.iter().filter_map(|l| drawable(l)).filter(|l| !l.is_empty()).collect();
        if !labels.is_empty() {
            let text = format!("{mark}{}", labels.join("  ·  "));
            let block = Block { spans: vec![(&text, MUTED, false)], size: 24.0, line: 32.0, max_lines: 2, align: Some(start) };
            report.labels_cut = draw(e, &mut canvas, &block, PAD, footer_y + 40.0, width).1;
        }
        Ok((canvas.png()?, report))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(png_bytes: &[u8]) -> (u32, u32, Vec<u8>) {
        let mut dec = png::Decoder::new(std::io::Cursor::new(png_bytes)).read_info().expect("png header");
        let mut buf = vec![0; dec.output_buffer_size().expect("size")];
        let info = dec.next_frame(&mut buf).expect("png frame");
        (info.width, info.height, buf)
    }

    fn inked(px: &[u8], y0: u32, y1: u32) -> usize {
        (y0..y1).flat_map(|y| (0..WIDTH).map(move |x| (y * WIDTH + x) as usize * 3)).filter(|&at| px[at] < 0x80 && px[at + 1] < 0x80 && px[at + 2] < 0x80).count()
    }

    #[test]
    fn draws_a_card_of_the_right_size_with_text() {
        let card = Card::new("Acme Coffee", "#0b6e4f", 4, "Best beans I have had", "Smooth, rich and fresh. ".repeat(30).as_str(), "Ana P.", vec!["Verified buyer".into()], false);
        let png_bytes = render(&card).expect("render");
        let (w, h, px) = decode(&png_bytes);
        assert_eq!((w, h), (1200, 630));
        // The accent band.
        assert_eq!(&px[0..3], &[0x0b, 0x6e, 0x4f]);
        // Dark text in the body's area.
        assert!(inked(&px, 160, 480) > 5000);
        if let Ok(dir) = std::env::var("KINDRED_CARD_OUT") {
            let _ = std::fs::write(format!("{dir}/card-en.png"), &png_bytes);
        }
    }

    #[test]
    fn persian_and_arabic_are_shaped_and_emoji_left_out() {
        let text = "این قهوه عالیه! 😍☕ واقعاً پیشنهاد می‌کنم. بسته‌بندی هم خیلی خوب بود.";
        let card = Card::new("کافه آکمه", "#7a1f5c", 3, "بهترین قهوه", text, "سارا", vec!["خریدار تأییدشده".into()], true);
        let png_bytes = render(&card).expect("render");
        let (_, _, px) = decode(&png_bytes);
        assert!(inked(&px, 160, 480) > 2000);
        // Three filled stars on the right (the start side), two empty on the left.
        let accent_at = |x: u32| (60..130).any(|y| { let at = (y * WIDTH + x) as usize * 3; px[at..at + 3] == [0x7a, 0x1f, 0x5c] });
        assert!(accent_at(1105) && !accent_at(918), "stars fill from the right");
        // DejaVu draws some emoji in outline (😍, ☕); those it lacks go,
        // whole clusters with their skin tones and joiners.
        assert_eq!(drawable("great 🫶🏽 coffee 🧋").as_deref(), Some("great coffee"));
        assert_eq!(drawable("great 👨‍👩‍👧 coffee").as_deref(), Some("great coffee"));
        assert_eq!(drawable("عالیه🧑‍🍳").as_deref(), Some("عالیه"));
        assert_eq!(drawable("Quality 🫶, service 🫶🏽!").as_deref(), Some("Quality, service!"));
        // A mark the fonts lack leaves its letter; a keycap keeps its digit.
        assert_eq!(drawable("\u{5d1}\u{591}\u{5e8}\u{5d5}\u{5da} 1\u{fe0f}\u{20e3}").as_deref(), Some("\u{5d1}\u{5e8}\u{5d5}\u{5da} 1\u{fe0f}"));
        // Only where a cluster was left out does a space before punctuation go.
        assert_eq!(drawable("génial ! 🫶 !").as_deref(), Some("génial !!"));
        // The Persian non-joiner and no-break spaces stay; line breaks go.
        assert_eq!(drawable("می\u{200c}کنم\nSuper\u{a0}!").as_deref(), Some("می\u{200c}کنم Super\u{a0}!"));
        // Mostly CJK: left out whole rather than drawn with holes.
        assert_eq!(drawable("很好的咖啡 ok"), None);
        if let Ok(dir) = std::env::var("KINDRED_CARD_OUT") {
            let _ = std::fs::write(format!("{dir}/card-fa.png"), &png_bytes);
        }
    }

    #[test]
    fn persian_letters_take_their_joined_forms() {
        // A shaper joins Arabic-script letters: the glyphs drawn for "سلام"
        // are the initial/medial/final forms, not the isolated forms the
        // font's character map gives for each letter alone.
        let mut e = engine();
        let mut buffer = Buffer::new(&mut e.fonts, Metrics::new(30.0, 40.0));
        buffer.set_text("سلام", &Attrs::new().family(Family::Name(FAMILY)), Shaping::Advanced, None);
        buffer.shape_until_scroll(&mut e.fonts, false);
        let drawn: Vec<u16> = buffer.layout_runs().flat_map(|r| r.glyphs.iter().map(|g| g.glyph_id)).collect();
        let font = swash::FontRef::from_index(REGULAR, 0).expect("font");
        let isolated: Vec<u16> = "سلام".chars().rev().map(|c| font.charmap().map(c)).collect();
        // Three glyphs for four letters: lam and alef make their ligature.
        assert_eq!(drawn.len(), 3, "{drawn:?}");
        // Seen (initial form) and the ligature are joined forms; meem
        // follows alef, which never joins forward, so it stays isolated.
        assert_eq!(drawn.iter().filter(|g| !isolated.contains(g)).count(), 2, "{drawn:?} {isolated:?}");
        assert!(buffer.layout_runs().all(|r| r.rtl));
    }

    #[test]
    fn labels_are_never_cut_behind_a_long_name() {
        let name = "Alexandra Konstantina Papadopoulou-Vasilopoulou von und zu Hohenberg-Schwarzburg";
        let labels = vec!["Verifizierter Kauf über den Shop".into(), "Für diese Bewertung gab es eine Prämie".into(), "Von einer anderen Website übernommen".into()];
        let card = Card::new("Acme", "#123456", 4, "", "Gut.", &name[..80], labels, false);
        let (png_bytes, report) = render_with_report(&card).expect("render");
        assert!(!report.labels_cut, "{report:?}");
        if let Ok(dir) = std::env::var("KINDRED_CARD_OUT") {
            let _ = std::fs::write(format!("{dir}/card-labels.png"), &png_bytes);
        }
        assert!(report.name_cut, "a name this long is cut, its labels are not");
    }

    #[test]
    fn stacked_marks_stay_in_their_box_and_one_long_word_is_cut() {
        // "Zalgo": dozens of combining marks on each letter.
        let zalgo: String = "HELLO".chars().flat_map(|c| std::iter::once(c).chain(std::iter::repeat_n('\u{0336}', 40)).chain(std::iter::repeat_n('\u{030d}', 40))).collect();
        let card = Card::new("Acme", "#123456", 5, &zalgo, &"x".repeat(400), &zalgo, vec![], false);
        let (png_bytes, report) = render_with_report(&card).expect("render");
        if let Ok(dir) = std::env::var("KINDRED_CARD_OUT") {
            let _ = std::fs::write(format!("{dir}/card-zalgo.png"), &png_bytes);
        }
        let (_, _, px) = decode(&png_bytes);
        // The band is untouched, every pixel of it the accent.
        assert!((0..BAND).all(|y| (0..WIDTH as usize).all(|x| px[(y * WIDTH as usize + x) * 3..][..3] == [0x12, 0x34, 0x56])));
        assert!(report.body_cut, "one 400-letter word does not fit: cut with …");
    }

    #[test]
    fn refuses_what_breaks_a_limit() {
        let card = Card { rating: 0, ..Card::new("B", "#000000", 5, "", "x", "A", vec![], false) };
        assert!(matches!(render(&card), Err(RenderError::Invalid(_))));
    }
}
