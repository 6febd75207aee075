//! What shoppers type, made safe to store and show: Unicode NFC, no control
//! characters, no explicit bidirectional formatting, trimmed, length-checked
//! in characters (not bytes). Text is always rendered as text, so markup
//! needs no escaping here; it is kept as the person typed it.
//!
//! The rule is taken from Unicode's properties (ICU4X's `icu_properties`
//! tables of UCD `Bidi_Class`, through [`bidi_class`]), not from a list of
//! code points:
//! - removed: controls (General_Category Cc, std's `char::is_control`) and
//!   the explicit directional embeddings, overrides and isolates (Bidi_Class
//!   LRE, RLE, LRO, RLO, PDF, LRI, RLI, FSI, PDI; UAX #9 section 2). These
//!   reorder the text around them ("Trojan Source", CVE-2021-42574; UTS #55
//!   section 4): a name with U+202E shows its letters backwards. The widget
//!   shows every piece of shopper text in its own `dir="auto"` element, so
//!   nothing legitimate needs them.
//! - removed: tag characters outside an emoji tag sequence (UTS #51), where
//!   they would carry text nobody sees.
//! - kept: every other format character, because they carry meaning: the
//!   zero width joiner in emoji sequences ("👩‍💻") and Indic conjuncts, the
//!   zero width non-joiner in Persian ("می‌خواهم") and Indic scripts, tag
//!   characters in subdivision flags (🏴󠁧󠁢󠁳󠁣󠁴󠁿), the left-to-right and
//!   right-to-left marks (which set the direction of neutral characters and
//!   reorder nothing else), variation selectors.

use crate::error::{ApiError, ErrorCode};

/// The UCD `Bidi_Class` of `c` (UAX #9 section 3.2), from ICU4X's compiled
/// tables (`icu_properties`). The edge links these tables already: `url`'s
/// IDNA (UTS #46) reads them through `idna_adapter`, so the text rules share
/// one copy with it (`unicode-bidi`'s own table cost the worker a second).
#[cfg(feature = "unicode")]
pub fn bidi_class(c: char) -> icu_properties::props::BidiClass {
    icu_properties::CodePointMapData::<icu_properties::props::BidiClass>::new().get(c)
}

/// `raw` in Unicode Normalization Form C (UAX #15), or NFKC with
/// `compatibility` (fullwidth letters, ligatures and circled digits read as
/// the plain ones), from ICU4X's `icu_normalizer`: the edge links it already
/// for `url`'s IDNA, so the text rules share its tables.
#[cfg(any(feature = "unicode", feature = "aspects"))]
pub fn normalized(raw: &str, compatibility: bool) -> std::borrow::Cow<'_, str> {
    use icu_normalizer::ComposingNormalizerBorrowed as Normalizer;
    if compatibility { Normalizer::new_nfkc() } else { Normalizer::new_nfc() }.normalize(raw)
}

/// Whether `c` is one of the explicit directional formatting characters
/// (UAX #9 section 2.1-2.2: embeddings, overrides, isolates and their
/// terminators), which this text never keeps.
#[cfg(feature = "unicode")]
pub fn is_explicit_bidi(c: char) -> bool {
    use icu_properties::props::BidiClass as B;
    matches!(bidi_class(c), B::LRE | B::RLE | B::LRO | B::RLO | B::PDF | B::LRI | B::RLI | B::FSI | B::PDI)
}

/// Without the Unicode tables (the widget's courtesy checks), nothing is
/// recognised; the edge, which always has them, removes these characters.
#[cfg(not(feature = "unicode"))]
pub fn is_explicit_bidi(_: char) -> bool {
    false
}

/// Whether `c` shows nothing by itself: Bidi_Class BN (boundary neutral:
/// zero width space and joiners, word joiner, soft hyphen, tag characters)
/// or NSM (combining marks and variation selectors, which only change the
/// character before them), a Default_Ignorable_Code_Point
/// ([`is_default_ignorable`]: the Hangul fillers are class L, yet draw
/// nothing), U+2800 BRAILLE PATTERN BLANK (a cell with no dots, drawn as
/// a space: helper-84), or the interlinear annotation controls
/// U+FFF9..U+FFFB (format characters for ruby, shown as nothing or a box:
/// helper-86). A field made only of these (and spaces) is empty.
fn shows_nothing(c: char) -> bool {
    is_default_ignorable(c) || matches!(c, '\u{2800}' | '\u{FFF9}'..='\u{FFFB}') || blank_class(c)
}

#[cfg(feature = "unicode")]
fn blank_class(c: char) -> bool {
    use icu_properties::props::BidiClass as B;
    matches!(bidi_class(c), B::BN | B::NSM)
}

#[cfg(not(feature = "unicode"))]
fn blank_class(_: char) -> bool {
    false
}

/// The tag characters (UTS #51: the `tag_spec` and `tag_end` of an emoji
/// tag sequence, U+E0020..U+E007F).
fn is_tag(c: char) -> bool {
    ('\u{E0020}'..='\u{E007F}').contains(&c)
}

/// The only base an emoji tag sequence has (UTS #51 ED-14c: U+1F3F4 WAVING
/// BLACK FLAG, as in the flags of England, Scotland and Wales).
const TAG_BASE: char = '\u{1F3F4}';

/// The tag sequences of UTS #51's RGI set (emoji-sequences.txt,
/// RGI_Emoji_Tag_Sequence): the flags of England, Scotland and Wales, as
/// the subdivision ids their tag characters spell.
const RGI_FLAG_TAGS: [&str; 3] = ["gbeng", "gbsct", "gbwls"];

/// `text` with only the tag characters of an RGI subdivision flag: after
/// [`TAG_BASE`], one of [`RGI_FLAG_TAGS`] and its CANCEL TAG (U+E007F). Any
/// other tag character goes (an unended run, capitals, spaces, punctuation,
/// or a flag no platform draws, whose tags spell seven letters of hidden
/// text each: helper-86, helper-87); the flag stays.
fn without_stray_tags(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(is_tag) {
        return std::borrow::Cow::Borrowed(text);
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        if is_tag(c) {
            continue;
        }
        out.push(c);
        if c == TAG_BASE {
            // The subdivision id the tags after the flag spell, up to its end.
            let spelled: String = chars[i..].iter().take_while(|t| is_tag(**t) && **t != '\u{E007F}').filter_map(|t| char::from_u32(*t as u32 - 0xE0000)).collect();
            let n = spelled.chars().count();
            if chars.get(i + n) == Some(&'\u{E007F}') && RGI_FLAG_TAGS.contains(&spelled.as_str()) {
                out.extend(&chars[i..=i + n]);
                i += n + 1;
            }
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Combining marks kept on one character, after NFC: nonspacing and
/// enclosing marks (Bidi_Class NSM: General_Category Mn and Me, but for
/// five Mn with class L), the marks drawn above and below, in a row; a run
/// ends at a visible character that is not one of them. The tables are the
/// ones the edge links anyway (bidi classes, grapheme clusters); a
/// General_Category table cost 11 KB gzip of worker.
/// Real writing stacks a few: Vietnamese two, Arabic with harakat three,
/// Hebrew with points and cantillation five, Tibetan's stacked letters six
/// or seven. "Zalgo" text stacks hundreds, drawn far above and below its
/// line, over whatever is there (the brand's own page). Unicode's
/// Stream-Safe Text Format (UAX #15, section 13) bounds a run at 30; this is
/// tighter, and still above any orthography's need.
pub const MAX_COMBINING_MARKS: usize = 8;

/// Nonspacing marks kept in one grapheme cluster (UAX #29: what a reader
/// sees as one character). An Indic conjunct is one cluster of several
/// letters, each with its marks (a Vedic one with nukta, virama, vowel sign
/// and accents reaches 9); spacing marks (Mc) between nonspacing ones end a
/// run of [`MAX_COMBINING_MARKS`] but not the cluster, so this bounds what
/// alternating them could stack.
pub const MAX_CLUSTER_MARKS: usize = 16;

/// Normalises a field. `multiline` keeps single line breaks and at most one
/// blank line in a row; otherwise all whitespace runs become one space.
/// With the `unicode` feature (the edge) the text is NFC (after what is
/// removed, too) and a character keeps at most [`MAX_COMBINING_MARKS`]
/// combining marks.
pub fn normalize(raw: &str, multiline: bool) -> String {
    #[cfg(feature = "unicode")]
    let nfc = normalized(raw, false);
    #[cfg(not(feature = "unicode"))]
    let nfc = std::borrow::Cow::Borrowed(raw);
    // Tag characters only where they make a flag; anywhere else they
    // would carry text nobody sees.
    let kept = without_stray_tags(&nfc);
    let mut out = String::with_capacity(kept.len());
    let mut newlines = 0usize;
    let mut space = false;
    for c in kept.chars() {
        if c == '\n' && multiline {
            newlines += 1;
            space = false;
            continue;
        }
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if c.is_control() || is_explicit_bidi(c) {
            continue;
        }
        let separated = !out.is_empty() && (newlines > 0 || space);
        if separated {
            out.push_str(if newlines > 1 { "\n\n" } else if newlines == 1 { "\n" } else { " " });
        }
        newlines = 0;
        space = false;
        out.push(c);
    }
    // NFC again once the removals and the cap are done: a letter and the
    // mark a removed character stood between compose now ("e\u{202E}\u{301}"
    // is "é"; helper-86).
    #[cfg(feature = "unicode")]
    let out = normalized(&cap_marks(out), false).into_owned();
    out
}

/// Whether `c` is a mark drawn on the character before it (Bidi_Class NSM).
#[cfg(feature = "unicode")]
fn is_nonspacing_mark(c: char) -> bool {
    bidi_class(c) == icu_properties::props::BidiClass::NSM
}

/// Whether `c` is invisible and keeps the character before it whole:
/// Bidi_Class BN (joiners, word joiner, zero width space, soft hyphen) and
/// the directional marks (LRM, RLM, ALM).
#[cfg(feature = "unicode")]
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}') || bidi_class(c) == icu_properties::props::BidiClass::BN
}

/// `text` without the zero width joiner and non-joiner where they change
/// nothing a reader sees, for text that is a key (tags: "veg\u{200D}an" is
/// "vegan", one chip and one filter). Kept where they make another word or
/// picture, by UAX #31 section 2.3 (the contexts RFC 5892 Appendix A.1-A.2
/// gives IDNA): a non-joiner after a virama (Indic half forms) or between
/// letters that would join (Joining_Type L or D before, R or D after, any
/// transparent marks between: Persian "می\u{200C}خواهم"), a joiner after a
/// virama; and a joiner between two emoji (UTS #51 section 2.3, an emoji
/// ZWJ sequence, "👩\u{200D}💻": Extended_Pictographic on both sides, the
/// one before with its modifiers, variation selector, keycap or tags).
/// ICU4X's tables (Joining_Type, Canonical_Combining_Class,
/// Extended_Pictographic); without the `unicode` feature `text` is kept.
#[cfg(feature = "unicode")]
pub fn without_idle_joiners(text: &str) -> String {
    use icu_properties::props::{ExtendedPictographic, JoiningType as J};
    use icu_properties::{CodePointMapData, CodePointSetData};
    if !text.contains(['\u{200C}', '\u{200D}']) {
        return text.to_owned();
    }
    /// Canonical_Combining_Class Virama (UAX #44).
    const VIRAMA: u8 = 9;
    let chars: Vec<char> = text.chars().collect();
    let joining = CodePointMapData::<J>::new();
    let pictographic = CodePointSetData::new::<ExtendedPictographic>();
    let after_virama = |i: usize| i > 0 && icu_normalizer::properties::CanonicalCombiningClassMapBorrowed::new().get_u8(chars[i - 1]) == VIRAMA;
    // Joiners beside it are looked past (a doubled one is one).
    let joiner = |c: &char| matches!(c, '\u{200C}' | '\u{200D}');
    let joins = |i: usize| {
        let before = chars[..i].iter().rev().filter(|c| !joiner(c)).map(|c| joining.get(*c)).find(|j| *j != J::Transparent);
        let after = chars[i + 1..].iter().filter(|c| !joiner(c)).map(|c| joining.get(*c)).find(|j| *j != J::Transparent);
        matches!(before, Some(J::LeftJoining | J::DualJoining)) && matches!(after, Some(J::RightJoining | J::DualJoining))
    };
    let emoji_on_both_sides = |i: usize| {
        let decoration = |c: &&char| matches!(**c, '\u{FE0F}' | '\u{20E3}' | '\u{1F3FB}'..='\u{1F3FF}' | '\u{E0020}'..='\u{E007F}');
        chars[..i].iter().rev().find(|c| !decoration(c)).is_some_and(|c| pictographic.contains(*c))
            && chars.get(i + 1).is_some_and(|c| pictographic.contains(*c))
    };
    chars
        .iter()
        .enumerate()
        .filter(|&(i, c)| match c {
            // The same joiner again right after one draws nothing more.
            _ if i > 0 && joiner(c) && chars[i - 1] == *c => false,
            '\u{200C}' => after_virama(i) || joins(i),
            '\u{200D}' => after_virama(i) || emoji_on_both_sides(i),
            _ => true,
        })
        .map(|(_, c)| *c)
        .collect()
}

/// Without the Unicode tables (the widget's courtesy checks) the joiners
/// are kept; the edge, which always has them, decides.
#[cfg(not(feature = "unicode"))]
pub fn without_idle_joiners(text: &str) -> String {
    text.to_owned()
}

/// Whether `c` has the Unicode property Default_Ignorable_Code_Point
/// (UCD DerivedCoreProperties.txt, Unicode 15.1; stable: code points are
/// added to it only where none is assigned yet): characters that show
/// nothing where they are not supported, so "ana" and "a\u{034F}na" look
/// the same. Soft hyphen, combining grapheme joiner, Arabic letter mark,
/// Hangul fillers, Khmer inherent vowels, Mongolian variation selectors,
/// zero width space, joiners and directional marks, the directional
/// embeddings and isolates, invisible operators, variation selectors, BOM,
/// halfwidth Hangul filler, the shorthand format controls, musical
/// formatting, tag characters and their plane's unassigned rest. A table
/// of 17 ranges, so the widget's courtesy checks have it too.
pub fn is_default_ignorable(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{115F}'..='\u{1160}'
            | '\u{17B4}'..='\u{17B5}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{FFF0}'..='\u{FFF8}'
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0000}'..='\u{E0FFF}'
    )
}

/// `text` with at most [`MAX_COMBINING_MARKS`] nonspacing marks on one
/// character and [`MAX_CLUSTER_MARKS`] in one grapheme cluster (UAX #29).
/// Marks are counted on what [`normalize`] kept (a dropped control or
/// override does not end a run). A run of marks ends at a visible character
/// that is not a mark; invisible characters ([`is_invisible`]) do not end
/// it. A cluster that starts with a mark (drawn on the character before) or
/// holds only invisible characters goes on counting the one before it.
#[cfg(feature = "unicode")]
fn cap_marks(text: String) -> String {
    use unicode_segmentation::UnicodeSegmentation;
    if text.chars().filter(|c| is_nonspacing_mark(*c)).nth(MAX_COMBINING_MARKS).is_none() {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    let (mut run, mut in_cluster) = (0usize, 0usize);
    for cluster in text.graphemes(true) {
        let goes_on = cluster.starts_with(is_nonspacing_mark) || cluster.chars().all(is_invisible);
        if !goes_on {
            run = 0;
            in_cluster = 0;
        }
        for c in cluster.chars() {
            if is_nonspacing_mark(c) {
                run += 1;
                in_cluster += 1;
                if run > MAX_COMBINING_MARKS || in_cluster > MAX_CLUSTER_MARKS {
                    continue;
                }
            } else if !is_invisible(c) {
                run = 0;
            }
            out.push(c);
        }
    }
    out
}

/// Text for markup, XML or HTML, in character data and quoted attribute
/// values: the five markup characters escaped (`'` as `&apos;`, which both
/// XML and HTML5 know), and characters XML 1.0 does not allow at all
/// (controls other than tab, newline and carriage return, U+FFFE, U+FFFF;
/// the `Char` production, XML 1.0 §2.2; HTML forbids them too) dropped
/// rather than sent in a document a parser must reject.
pub fn escape_markup(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// Characters of `s` that show: not whitespace, not invisible ([`field`]'s
/// minimum counts these).
fn shown(s: &str) -> usize {
    s.chars().filter(|c| !c.is_whitespace() && !shows_nothing(*c)).count()
}

/// Whether `s` shows nothing: only whitespace and invisible characters.
pub fn is_blank(s: &str) -> bool {
    shown(s) == 0
}

/// Normalises and checks length in characters; `field` names the error.
/// The minimum counts characters that show: a name of zero width spaces is
/// empty.
pub fn field(raw: &str, field: &str, min: usize, max: usize, multiline: bool) -> Result<String, ApiError> {
    let s = normalize(raw, multiline);
    let n = s.chars().count();
    if shown(&s) < min {
        let message = if min == 1 {
            format!("{} is required", label(field))
        } else {
            format!("{} needs at least {min} characters", label(field))
        };
        return Err(ApiError::field(ErrorCode::ValidationFailed, field, message));
    }
    if n > max {
        return Err(ApiError::field(
            ErrorCode::ValidationFailed,
            field,
            format!("{} can be at most {max} characters (got {n})", label(field)),
        ));
    }
    Ok(s)
}

/// How [`person_name`]'s refusal of an address ends (the widget knows it by
/// this, to say it in the shopper's language).
pub const NOT_AN_ADDRESS: &str = "enter a name, not an email address";

/// A person's name the public sees (a testimonial's author on its card, a
/// referrer on the ambassadors' board, a member in a group): [`field`]'s
/// rules (one line, 1 to `max` characters that show) and no email address
/// in it ([`holds_address`]): a card shows the name as typed, so an address
/// typed into the name box would be published beside the shopper's words.
/// Errors: `validation_failed` on `field_name`.
pub fn person_name(raw: &str, field_name: &str, max: usize) -> Result<String, ApiError> {
    let s = field(raw, field_name, 1, max, false)?;
    if s.split_whitespace().any(holds_address) || holds_address(&squeezed(&s)) {
        return Err(ApiError::field(ErrorCode::ValidationFailed, field_name, format!("{} is shown publicly: {NOT_AN_ADDRESS}", label(field_name))));
    }
    Ok(s)
}

/// The longest start of `s` made of whole user-perceived characters
/// (extended grapheme clusters, UAX #29) and at most `max` code points: a
/// cut never leaves half an emoji family, a flag or a letter's marks.
pub fn prefix_graphemes(s: &str, max: usize) -> &str {
    use unicode_segmentation::UnicodeSegmentation;
    let mut kept = 0;
    let mut end = 0;
    for (at, g) in s.grapheme_indices(true) {
        kept += g.chars().count();
        if kept > max {
            break;
        }
        end = at + g.len();
    }
    &s[..end]
}

/// The first user-perceived character of `s` (a whole flag, a letter with
/// its marks), for an initial.
pub fn first_grapheme(s: &str) -> Option<&str> {
    use unicode_segmentation::UnicodeSegmentation;
    s.graphemes(true).next()
}

/// What the public is shown of a stored name: its words ([`str::split_whitespace`])
/// less any that holds an email address, one space between them; empty
/// when none is left (the views' "no name": a card then says "former
/// customer"). [`person_name`] refuses such a name today; rows stored
/// before it may hold one, so every public view of a name reads through
/// here (testimonial cards and feeds, the ambassadors' board, group posts).
pub fn public_name(stored: &str) -> String {
    if !stored.split_whitespace().any(holds_address) {
        return stored.to_owned();
    }
    stored.split_whitespace().filter(|w| !holds_address(w)).collect::<Vec<_>>().join(" ")
}

/// Whether one word of a name holds an email address: some `@` with text
/// before it and a domain after it (two or more dot-separated labels, the
/// last at least two characters from a letter: `a@b` and `M@rk.S` hold
/// none), where
/// - look-alikes phone keyboards type are read as ASCII
///   ([`ascii_lookalike`]: `ana＠example．com` holds one);
/// - the text around each `@` runs to the next `@`, space or RFC 5322
///   special (section 3.2.3: `( ) < > [ ] : ; \ , "`), none of which an
///   address holds outside quotes: an address stuck to other text is found
///   (`Ana<ana@example.com>`, `me@ana@example.com`, `ana@example.com@x`);
/// - neither side has a length limit (a sign-up form's limits, as
///   [`crate::email::parse`] applies them, are no reason to publish one).
///
/// `@ana_runs` (a handle) and `Ana @ Lisbon` hold none; a fediverse
/// handle (`@ana@mastodon.social`) reads as an address, and is one.
pub fn holds_address(word: &str) -> bool {
    if !word.chars().any(|c| ascii_lookalike(c) == '@') {
        return false;
    }
    let folded: Vec<char> = word.chars().map(ascii_lookalike).collect();
    let stop = |c: char| c == '@' || c.is_whitespace() || matches!(c, '(' | ')' | '<' | '>' | '[' | ']' | ':' | ';' | '\\' | ',' | '"');
    folded.iter().enumerate().filter(|(_, c)| **c == '@').any(|(at, _)| {
        let before = folded[..at].iter().rev().take_while(|c| !stop(**c)).count();
        let local: String = folded[at - before..at].iter().collect();
        let domain: String = folded[at + 1..].iter().take_while(|c| !stop(**c)).collect();
        let local = local.trim_start_matches(|c: char| !c.is_alphanumeric());
        let domain = domain.trim_end_matches(|c: char| !c.is_alphanumeric());
        let labels: Vec<&str> = domain.split('.').collect();
        let tld = labels.last().copied().unwrap_or_default();
        !local.is_empty() && labels.len() >= 2 && labels.iter().all(|l| !l.is_empty()) && tld.chars().count() >= 2 && tld.starts_with(char::is_alphabetic)
    })
}

/// `s` as an address typed loosely reads (helper-84), for
/// [`holds_address`]: the spaces after an `@` glued to the word before it
/// (`ana@ gmail.com`) or beside a full stop after one (`ana@gmail. com`) taken out,
/// and a comma between two letters read as a full stop (`ana@gmail,com`).
/// A name keeps what makes it one (helper-85): an `@` with a space before
/// it starts a handle (`Ana @ana.silva`) or a place (`Ana @ St. Louis`),
/// and a comma before a space is a comma (`Amig@s, Lisboa`).
fn squeezed(s: &str) -> String {
    let chars: Vec<char> = s.chars().filter(|c| !shows_nothing(*c)).map(ascii_lookalike).collect();
    let space = |i: usize| chars.get(i).is_some_and(|c| c.is_whitespace());
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == ',' {
            out.push(if i > 0 && !space(i - 1) && i + 1 < chars.len() && !space(i + 1) { '.' } else { ',' });
            i += 1;
            continue;
        }
        if !c.is_whitespace() {
            out.push(c);
            i += 1;
            continue;
        }
        let start = i;
        while space(i) {
            i += 1;
        }
        let before = start.checked_sub(1).map(|b| (b, chars[b]));
        // Beside a full stop only within what could be a domain (a word
        // with an `@`): `Ana L. @ana.silva` is a name and a handle.
        let domain = out.rsplit(' ').next().is_some_and(|w| w.contains('@'));
        let glued = before.is_some_and(|(b, c)| (c == '.' && domain) || (c == '@' && b > 0 && !space(b - 1))) || (domain && chars.get(i) == Some(&'.'));
        if !glued {
            out.push(' ');
        }
    }
    out
}

/// `c` as the ASCII character it stands for in an address typed on a phone
/// keyboard in a CJK, Arabic or full-width mode, else `c`: the fullwidth
/// forms U+FF01..U+FF5E (Unicode's `<wide>` decompositions, UnicodeData.txt:
/// the ASCII character 0xFEE0 below), U+FE6B SMALL COMMERCIAL AT (`<small>`
/// @), and the marks typed or pasted for `.`: U+FE52 SMALL FULL STOP,
/// U+3002 IDEOGRAPHIC FULL STOP, U+FF61 HALFWIDTH IDEOGRAPHIC FULL STOP,
/// U+06D4 ARABIC FULL STOP, U+2024 ONE DOT LEADER, U+00B7 MIDDLE DOT,
/// U+30FB KATAKANA MIDDLE DOT, U+FF65 HALFWIDTH KATAKANA MIDDLE DOT, and
/// the dots that stand in for one (helper-84, helper-85): U+2022 BULLET,
/// U+2027 HYPHENATION POINT, U+22C5 DOT OPERATOR, U+2219 BULLET OPERATOR,
/// U+2E31 WORD SEPARATOR MIDDLE DOT, U+2E33 RAISED DOT, U+066B ARABIC
/// DECIMAL SEPARATOR; and for `,`, the commas of CJK and Arabic keyboards
/// (U+3001 IDEOGRAPHIC COMMA, U+060C ARABIC COMMA, U+066C ARABIC THOUSANDS
/// SEPARATOR, U+FE50 SMALL COMMA; the fullwidth one is above).
fn ascii_lookalike(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{FE6B}' => '@',
        '\u{FE52}' | '\u{3002}' | '\u{FF61}' | '\u{06D4}' | '\u{2024}' | '\u{00B7}' | '\u{30FB}' | '\u{FF65}' | '\u{2022}' | '\u{2027}' | '\u{22C5}' | '\u{2219}' | '\u{2E31}' | '\u{2E33}' | '\u{066B}' => '.',
        '\u{3001}' | '\u{060C}' | '\u{066C}' | '\u{FE50}' => ',',
        _ => c,
    }
}

fn label(field: &str) -> String {
    let mut s = field.replace('_', " ");
    if let Some(first) = s.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_person_name_never_carries_an_email_address() {
        for ok in ["Ana", "Ana L.", "@ana_runs", "Ana @ Lisbon", "ليلى حسن", "Zoë 😀", "a@b"] {
            assert!(person_name(ok, "display_name", 60).is_ok(), "{ok}");
        }
        let stuck = ["Ana<ana@example.com>", "Ana,ana@example.com", "Ana;ana@example.com", "Ana\"ana@example.com", "Ana(ana@example.com)", "[ana@example.com]Ana", "mailto:ana@example.com"];
        let lookalikes = ["ana＠example.com", "ａｎａ＠ｅｘａｍｐｌｅ．ｃｏｍ", "ana﹫example.com", "ana@example。com", "ana@example．com", "ana@example｡com", "ana@example﹒com", "ana@example․com", "ana@example۔com", "ana@example·com"];
        // Another @ beside it, or a long run before it (no sign-up limits here).
        let long_local = format!("{}ana@example.com", "😀".repeat(16));
        let cjk_local = format!("{}ana@example.com", "山".repeat(21));
        let around = ["Ana@ana@example.com", "me@ana@example.com", "ana@example.com@x", long_local.as_str(), cjk_local.as_str(), "@ana@mastodon.social"];
        for bad in ["ana@example.com", "Ana <ana@example.com>", "Dee dee@example.com Smith", "(ANA@EXAMPLE.COM)", " bo+x@mail.co.uk ", "ana@example.com's"].iter().chain(&stuck).chain(&lookalikes).chain(&around) {
            let e = person_name(bad, "name", 60).unwrap_err();
            assert_eq!((e.code, e.field.as_deref()), (ErrorCode::ValidationFailed, Some("name")), "{bad}");
            assert!(e.message.ends_with(NOT_AN_ADDRESS), "{}", e.message);
        }
        // Disguises a person writes on purpose are theirs to answer for.
        for ok in ["ana at example dot com", "ana[at]example.com", "ana@@example.com", "ana@gmail", "Ana ＠ Lisbon", "M@rk.S", "Amig@s Runners", "ana@example.1"] {
            assert!(person_name(ok, "name", 60).is_ok(), "{ok}");
        }
        // Spaces around an address's parts, a comma or a bullet for its dot (helper-84).
        for bad in ["ana@ gmail.com", "Ana L. ana@ gmail.com", "ana@gmail .com", "ana@gmail\u{a0}. com", "ana@gmail，com", "ana@gmail、com", "ana@gmail،com", "ana@gmail∙com", "ana@gmail\u{3000}.com", "ana@gmail,com", "ana@gmail•com", "ana@gmail⋅com", "ana@gmail‧com", "ana@gmail⸳com", "ana@gmail٫com"] {
            let e = person_name(bad, "name", 60).unwrap_err();
            assert!(e.message.ends_with(NOT_AN_ADDRESS), "{bad}: {}", e.message);
        }
        // An @ spaced on both sides is a word; a comma between names is a comma.
        // A handle after a name, a place, a comma between names (helper-85).
        for ok in ["Café @ Home, Porto", "Smith, Ana", "Ana @ Lisbon, Portugal", "M. Ana", "ana @ gmail . com", "Ana Silva @ana.silva", "Ana @ana.silva", "Ana @ St. Louis", "Ана @ Москва, РФ",
            "Amig@s Runners, Lisboa", "M@rk S. Jones", "Pat @ Gym. Co", "Dr. Ana Smith, Ph.D.", "T@nia, S.", "مریم @maryam.rz", "Amig@s, Lisboa", "Ana L. @ana.silva"] {
            assert!(person_name(ok, "name", 60).is_ok(), "{ok}");
        }
        // The field's own rules come first; a name that draws nothing is none.
        assert_eq!(person_name(" ", "name", 60).unwrap_err().message, "Name is required");
        for blank in ["\u{3164}\u{3164}", "\u{2800}", "\u{FFA0} \u{115F}"] {
            assert_eq!(person_name(blank, "name", 60).unwrap_err().message, "Name is required", "{blank:?}");
        }
        assert!(person_name(&"x".repeat(61), "name", 60).is_err());
    }

    #[test]
    fn cuts_keep_whole_characters() {
        let family = "👨‍👩‍👧‍👦";
        assert_eq!(family.chars().count(), 7);
        assert_eq!(prefix_graphemes(&family.repeat(3), 20), family.repeat(2), "not 20 code points: half a family");
        assert_eq!(prefix_graphemes("🇮🇷Tehrani", 1), "");
        assert_eq!(prefix_graphemes("🇮🇷Tehrani", 3), "🇮🇷T");
        assert_eq!(prefix_graphemes("Ana", 20), "Ana");
        assert_eq!(prefix_graphemes("", 5), "");
        assert_eq!(first_grapheme("🇮🇷 Tehrani"), Some("🇮🇷"));
        assert_eq!(first_grapheme("e\u{301}x"), Some("e\u{301}"));
        assert_eq!(first_grapheme(""), None);
    }

    #[test]
    fn a_stored_name_is_shown_without_its_addresses() {
        assert_eq!(public_name("Ana Lopez"), "Ana Lopez");
        assert_eq!(public_name("  Ana  "), "  Ana  ", "a name with no address is shown as stored");
        assert_eq!(public_name("Ana ana@example.com Lopez"), "Ana Lopez");
        assert_eq!(public_name("Ana <ana@example.com>"), "Ana");
        assert_eq!(public_name("Ana<ana@example.com>"), "", "the word that holds it goes whole");
        assert_eq!(public_name("ａｎａ＠ｅｘａｍｐｌｅ．ｃｏｍ"), "");
        assert_eq!(public_name("@ana_runs"), "@ana_runs");
    }
    use proptest::prelude::*;

    #[test]
    fn collapses_and_strips() {
        assert_eq!(normalize("  Hello \t  world  ", false), "Hello world");
        assert_eq!(normalize("a\u{0}b\u{202E}c\u{7}d", false), "abcd");
        assert_eq!(normalize("line1\n\n\n\nline2\nline3", true), "line1\n\nline2\nline3");
        assert_eq!(normalize("line1\nline2", false), "line1 line2");
        // NFC: e + combining acute becomes é.
        #[cfg(feature = "unicode")]
        assert_eq!(normalize("e\u{301}", false), "\u{e9}");
        assert_eq!(normalize("<b>hi</b>", false), "<b>hi</b>");
    }

    #[cfg(feature = "unicode")]
    #[test]
    fn marks_stacked_beyond_any_writings_need_are_dropped() {
        let marks = |s: &str| s.chars().filter(|c| is_nonspacing_mark(*c)).count();
        let zalgo = format!("e{}x", "\u{300}\u{301}\u{302}\u{303}".repeat(50));
        let kept = normalize(&zalgo, false);
        assert_eq!(marks(&kept), MAX_COMBINING_MARKS, "{kept:?}");
        assert!(kept.ends_with('x'));
        // A run goes on across what is dropped (controls, overrides, stray
        // tags) and the invisible characters that keep a letter whole...
        for between in ["\u{202E}", "\u{7}", "\u{E0041}", "\u{200D}", "\u{200C}", "\u{200F}"] {
            let kept = normalize(&format!("a{}", format!("{}{between}", "\u{301}".repeat(8)).repeat(50)), false);
            assert_eq!(marks(&kept), MAX_COMBINING_MARKS, "{between:?}: {kept:?}");
        }
        // ...or invisible characters of any kind kept between them...
        for between in ["\u{2060}", "\u{200B}", "\u{FEFF}", "\u{AD}", "\u{2061}", "\u{180E}"] {
            let kept = normalize(&format!("e{}", format!("{}{between}", "\u{301}".repeat(8)).repeat(50)), false);
            assert_eq!(marks(&kept), MAX_COMBINING_MARKS, "{between:?}: {kept:?}");
        }
        // ...and spacing marks (Mc: Devanagari's vowel sign AA) between
        // them stack no more than one cluster holds.
        let kept = normalize(&format!("a{}", "\u{301}\u{93E}".repeat(100)), false);
        assert_eq!(marks(&kept), MAX_CLUSTER_MARKS, "{kept:?}");
        // ...and ends at a space or a line break.
        let words = normalize(&format!("q{0} x{0}\nv{0}", "\u{301}".repeat(8)), true);
        assert_eq!(marks(&words), 3 * MAX_COMBINING_MARKS, "{words:?}");
        // Real writing keeps its marks.
        for real in ["र्त्स्न्यं॒॑", "क़्ष़्ज़्ञ़ाँ॒॑", "Tiếng Việt", "שָׁלוֹם", "בְּרֵאשִׁ֖ית", "بِسْمِ ٱللَّهِ", "བསྒྲུབས", "हिन्दी", "1\u{FE0F}\u{20E3}", "👩🏽‍💻", "🏴󠁧󠁢󠁳󠁣󠁴󠁿"] {
            // unicode-normalization, another implementation of UAX #15, as the oracle.
            assert_eq!(normalize(real, false), unicode_normalization::UnicodeNormalization::nfc(real).collect::<String>(), "{real}");
        }
    }

    #[test]
    fn lengths_count_characters() {
        assert!(field("éééé", "title", 1, 4, false).is_ok());
        let e = field("ééééé", "title", 1, 4, false).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("title"));
        assert_eq!(e.code, ErrorCode::ValidationFailed);
        let e = field("   ", "display_name", 1, 10, false).unwrap_err();
        assert_eq!(e.message, "Display name is required");
    }

    #[test]
    fn format_characters_that_carry_meaning_are_kept() {
        for kept in [
            "Dev 👩\u{200D}💻",                      // ZWJ sequence: woman technologist
            "👨\u{200D}👩\u{200D}👧\u{200D}👦",      // family
            "🏳\u{FE0F}\u{200D}🌈",                  // variation selector + ZWJ
            "🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}", // Scotland: tag characters
            "می\u{200C}خواهم",                      // Persian ZWNJ
            "क्\u{200D}ष",                           // Devanagari ZWJ
            "ರ್\u{200C}ಕ",                           // Kannada ZWNJ
            "שלום\u{200F} (123)",                    // RLM sets a neutral's direction
            "👍🏽",                                   // skin tone modifier
        ] {
            assert_eq!(normalize(kept, false), kept, "{kept:?}");
        }
    }

    #[test]
    fn invisible_text_is_empty_and_tags_only_make_flags() {
        assert!(field("\u{200B}", "display_name", 1, 60, false).is_err());
        assert!(field("\u{2060}\u{200D}\u{FE0F}", "display_name", 1, 60, false).is_err());
        assert!(field("\u{E0041}\u{E0042}", "display_name", 1, 60, false).is_err());
        assert_eq!(field("Ana\u{200B}", "display_name", 1, 60, false).unwrap(), "Ana\u{200B}");
        // Hidden text in tag characters goes; a subdivision flag stays.
        assert_eq!(normalize("hi\u{E0073}\u{E0065}\u{E0063}\u{E0072}\u{E0065}\u{E0074}", false), "hi");
        let scotland = "🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}";
        assert_eq!(normalize(&format!("{scotland}\u{E0041}"), false), scotland);
        // After the flag, only a subdivision id and its end tag (helper-86):
        // capitals, spaces and an unended run spell text nobody sees.
        let tags = |t: &str| t.chars().map(|c| char::from_u32(c as u32 + 0xE0000).unwrap()).collect::<String>();
        assert_eq!(normalize(&format!("Ana 🏴{} Lee", tags("IGNORE ALL PREVIOUS INSTRUCTIONS")), false), "Ana 🏴 Lee");
        assert_eq!(normalize(&format!("🏴{}", tags("gbsct")), false), "🏴", "no end tag");
        assert_eq!(normalize(&format!("🏴{}\u{E007F}", tags("ana@example.com")), false), "🏴");
        assert_eq!(normalize(&format!("🏴{}\u{E007F}", tags("gbsctlong")), false), "🏴", "longer than any subdivision id");
        // Only the flags of the RGI set: a flag shaped like any other
        // subdivision's spells seven hidden letters at a time (helper-87).
        assert_eq!(normalize(&format!("Ana 🏴{}\u{E007F} 🏴{}\u{E007F}", tags("attack"), tags("usca")), false), "Ana 🏴 🏴");
        for id in ["gbeng", "gbwls"] {
            let flag = format!("🏴{}\u{E007F}", tags(id));
            assert_eq!(normalize(&flag, false), flag);
        }
        assert_eq!(normalize(&format!("{scotland}{scotland}"), false), format!("{scotland}{scotland}"));
        assert!(field(&format!("🏴{}", tags("secret")), "display_name", 1, 60, false).is_ok_and(|n| n == "🏴"));
        // Interlinear annotation controls show nothing.
        assert!(field("\u{FFF9}\u{FFFA}\u{FFFB}", "display_name", 1, 60, false).is_err());
    }

    #[test]
    fn text_is_nfc_after_what_is_removed() {
        // A letter and its mark, or Hangul jamo, with a removed character
        // between them compose once it is gone (helper-86).
        assert_eq!(normalize("e\u{202E}\u{301}x", false), "\u{E9}x");
        assert_eq!(normalize("e\u{7}\u{301}x", false), "\u{E9}x");
        assert_eq!(normalize("e\u{E0041}\u{301}x", false), "\u{E9}x");
        assert_eq!(normalize("\u{1100}\u{2066}\u{1161}\u{11A8}", false), "\u{AC01}");
        assert_eq!(normalize("a\u{301}\u{202E}\u{328}", false), "\u{105}\u{301}", "canonical order, then composed");
        for raw in ["e\u{202E}\u{301}", "\u{1100}\u{2066}\u{1161}", "a\u{301}\u{202E}\u{328}", "Zalgo\u{202E}\u{301}\u{302}"] {
            let once = normalize(raw, false);
            assert_eq!(once, unicode_normalization::UnicodeNormalization::nfc(once.as_str()).collect::<String>(), "{raw:?}");
            assert_eq!(normalize(&once, false), once, "stable: {raw:?}");
        }
    }

    #[test]
    fn explicit_bidi_formatting_is_removed() {
        // "Trojan Source": U+202E shows the rest backwards.
        assert_eq!(normalize("Great \u{202E}tcudorp\u{202C} ok", false), "Great tcudorp ok");
        for c in ['\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}'] {
            assert!(is_explicit_bidi(c), "{:04X}", c as u32);
            assert_eq!(normalize(&format!("a{c}b"), false), "ab");
        }
        assert!(!is_explicit_bidi('\u{200D}') && !is_explicit_bidi('\u{200C}') && !is_explicit_bidi('\u{200F}'));
    }

    /// Emoji built from parts: base, optional skin tone, optional VS16, then
    /// ZWJ and another part.
    fn emoji_sequence() -> impl Strategy<Value = String> {
        let base = prop::sample::select(vec!['👩', '👨', '🧑', '💻', '🚀', '🌈', '🏳', '❤', '🔥', '👧']);
        let part = (base, prop::option::of(prop::sample::select(vec!['🏻', '🏽', '🏿'])), any::<bool>())
            .prop_map(|(b, tone, vs)| format!("{b}{}{}", tone.map(String::from).unwrap_or_default(), if vs { "\u{FE0F}" } else { "" }));
        prop::collection::vec(part, 1..5).prop_map(|parts| parts.join("\u{200D}"))
    }

    /// Words in scripts that join or reorder: Persian, Arabic, Hebrew,
    /// Devanagari, Malayalam, Thai, with their joiners.
    fn script_word() -> impl Strategy<Value = String> {
        prop::sample::select(vec![
            "می\u{200C}خواهم", "نمی\u{200C}دانم", "كتاب", "مرحبا بالعالم", "שלום עולם", "क्\u{200D}ष", "नमस्ते",
            "ന്\u{200D}", "സ്വാഗതം", "สวัสดี", "日本語", "Ünïcödé",
        ])
        .prop_map(str::to_owned)
    }

    proptest! {
        #[test]
        fn normalized_text_is_stable_and_clean(s in "\\PC{0,200}|[\\s\\S]{0,200}") {
            let once = normalize(&s, true);
            prop_assert_eq!(normalize(&once, true), once.clone());
            prop_assert_eq!(unicode_normalization::UnicodeNormalization::nfc(once.as_str()).collect::<String>(), once.clone(), "NFC, after the removals too");
            prop_assert!(!once.chars().any(|c| (c.is_control() && c != '\n') || is_explicit_bidi(c)));
            prop_assert_eq!(once.trim(), once.as_str());
        }

        #[test]
        fn emoji_sequences_and_scripts_survive_whole(
            words in prop::collection::vec(prop_oneof![emoji_sequence(), script_word()], 1..6),
            spoof in prop::sample::select(vec!['\u{202E}', '\u{202D}', '\u{2067}', '\u{2066}', '\u{202B}']),
        ) {
            let text = words.join(" ");
            // NFC leaves these as they are: they survive byte for byte.
            prop_assert_eq!(normalize(&text, false), text.clone());
            // A spoofing character anywhere is removed and nothing else is.
            let spoofed = format!("{spoof}{}{spoof}", text);
            prop_assert_eq!(normalize(&spoofed, false), text);
        }
    }
}
