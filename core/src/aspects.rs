//! "What reviews mention": per product (and per brand), the phrases that
//! recur across **all** its published reviews, each with how many reviews
//! use it and how many of those are critical (1 to 3 stars): for example
//! "runs small: 4 reviews, 3 critical".
//!
//! Extractive, no model: each review's title and body are cut into clauses
//! at punctuation (Unicode word boundaries, UAX #29, via the
//! `unicode-segmentation` crate), and every run of two or three words that
//! neither starts nor ends with a function word (NLTK's stop-word lists for
//! the widget's locales, via the `stop-words` crate, selected at build time)
//! is a candidate (Persian, which NLTK lacks, has a short list here). A
//! candidate counts once per review. Single words are left out: alone they
//! are mostly bare praise ("great", "love") that says nothing about the
//! product.
//!
//! Fairness (issue 16, after the FTC's 16 CFR 465.7 on review suppression):
//! counts are taken over every published review whatever its rating, and
//! the summary always shows the recurring phrases critical reviews use most
//! (up to [`CRITICAL_SLOTS`]) when there are any, so it can never be drawn
//! from the four and five star reviews alone.
//!
//! The edge's cron job rebuilds a scope's summary when its published reviews
//! changed (`edge/src/store/aspects.rs`), reading at most [`READ_CAP`] of
//! them (newest first); the first paint serves the stored result.

use serde::{Deserialize, Serialize};

/// Aspects shown per product.
pub const SHOWN: usize = 6;
/// Of [`SHOWN`], how many are kept for the phrases critical reviews repeat
/// most, when such phrases exist.
pub const CRITICAL_SLOTS: usize = 2;
/// A phrase must appear in at least this many reviews to be an aspect (one
/// review is an anecdote).
pub const MIN_REVIEWS: u32 = 2;
/// Ratings at or below this are critical.
pub const CRITICAL_MAX_RATING: u8 = 3;
/// Published reviews read per rebuild, newest first: bounds the cron job's
/// D1 rows read and its memory in the isolate (128 MB). The summary says
/// how many it read ([`AspectSummary::reviews`]).
pub const READ_CAP: u32 = 2000;
/// Words in a phrase: two or three (and a leading negator: "not true to
/// size").
pub const WORDS: std::ops::RangeInclusive<usize> = 2..=3;
/// Longest phrase shown, characters.
pub const PHRASE_MAX: usize = 80;

/// One aspect: a phrase and how many published reviews use it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Aspect {
    /// Two or three words, lowercased as written, e.g. "runs small".
    pub phrase: String,
    /// Published reviews that use the phrase (each counted once).
    pub reviews: u32,
    /// Of those, reviews rated 1 to 3 stars.
    pub critical: u32,
}

/// A scope's summary as stored (`review_aspects.aspects`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AspectSummary {
    /// At most [`SHOWN`], most used first.
    pub aspects: Vec<Aspect>,
    /// Published reviews read to build it (at most [`READ_CAP`]).
    pub reviews: u32,
}

#[cfg(feature = "aspects")]
pub use extract::{Extractor, TEXT_MAX};

#[cfg(feature = "aspects")]
mod extract {
    use super::{Aspect, AspectSummary, CRITICAL_MAX_RATING, CRITICAL_SLOTS, MIN_REVIEWS, SHOWN, WORDS};
    use std::collections::{HashMap, HashSet};
    use unicode_segmentation::UnicodeSegmentation;

    mod generated {
        include!(concat!(env!("OUT_DIR"), "/stopwords.rs"));
    }

    /// Words that are not function words but never say what a review is
    /// about ("recommend", "product"): a phrase may not start or end with
    /// one either. English only for now.
    const FILLER: &[&str] = &[
        "also", "bought", "buy", "even", "get", "got", "highly", "item", "just", "like", "much", "one", "product", "really",
        "recommend", "still", "would",
    ];

    /// Persian, which NLTK has no list for (and the ISO list counts
    /// "good", "big" and "comfortable" as stop words): its most frequent
    /// function words, so "سایز کوچک است" gives "سایز کوچک".
    const PERSIAN: &[&str] = &[
        "آن", "از", "اما", "است", "این", "با", "بر", "برای", "بود", "به", "تا", "خیلی", "در", "را", "شد", "که", "کرد", "نیز", "هم", "هست", "و", "یا", "یک",
    ];

    /// Words that turn what follows around: a phrase right after one keeps
    /// it ("not true to size" is never counted as "true to size").
    const NEGATORS: &[&str] = &[
        "not", "no", "never", "don't", "doesn't", "didn't", "isn't", "wasn't", "aren't", "weren't", "won't", "can't", "cannot", "couldn't",
        "hardly", "without", "nicht", "kein", "keine", "keinen", "keiner", "nie", "niemals", "ohne", "nunca", "sin", "pas", "jamais", "sans",
        "não", "sem", "لا", "لم", "لن", "ليس", "ليست", "غير", "بدون", "לא", "אין", "בלי", "نه", "نمی", "بی",
    ];

    /// Characters of one review read (title and body each): what says what
    /// a product is like is rarely past the first paragraphs, and the cap
    /// bounds the rebuild's CPU and memory whatever a shopper writes.
    pub const TEXT_MAX: usize = 1000;
    /// Longer "words" are links, hashes or keyboard runs: skipped.
    const WORD_MAX: usize = 40;
    /// Distinct phrases kept while counting. Past it, phrases seen in one
    /// review only are dropped once, and then no new phrase is added:
    /// counts of those kept stay exact.
    const DISTINCT_MAX: usize = 150_000;

    /// The letters of a word as matching sees them: NFKC, curly apostrophes
    /// straight, Arabic and Hebrew marks (harakat, tatweel, niqqud) and
    /// joiners removed, and the letters people write for one another in
    /// Arabic and Persian folded together (alef forms, yeh and alef
    /// maksura, kaf, teh marbuta).
    pub(super) fn fold(word: &str) -> String {
        crate::text::normalized(word, true)
            .chars()
            .filter_map(|c| match c {
                '\u{2019}' | '\u{02bc}' => Some('\''),
                '\u{0640}' | '\u{064b}'..='\u{065f}' | '\u{0670}' | '\u{200c}' | '\u{200d}' => None,
                '\u{0591}'..='\u{05bd}' | '\u{05bf}'..='\u{05c7}' => None,
                'أ' | 'إ' | 'آ' | 'ٱ' => Some('ا'),
                'ى' | 'ی' => Some('ي'),
                'ک' => Some('ك'),
                'ة' => Some('ه'),
                c => Some(c),
            })
            .flat_map(char::to_lowercase)
            .collect()
    }

    /// A phrase key's word: the folded word without the Arabic article (and
    /// the conjunction or preposition written onto it), so "المقاس",
    /// "والمقاس" and "مقاس" count as one.
    fn key(folded: &str) -> String {
        for prefix in ["وال", "بال", "فال", "كال", "ال", "لل"] {
            if let Some(rest) = folded.strip_prefix(prefix) {
                if rest.chars().count() >= 2 {
                    return rest.to_owned();
                }
            }
        }
        folded.to_owned()
    }

    /// The function-word lists, folded: one set per language, so a review
    /// is read with its own language's list (German "will" is no English
    /// function word, Spanish "estado" no French one).
    struct Lists {
        languages: Vec<HashSet<String>>,
        negators: HashSet<String>,
    }

    impl Lists {
        fn new() -> Self {
            let fold_all = |words: &[&str]| words.iter().map(|w| fold(w)).collect::<HashSet<String>>();
            let mut languages: Vec<HashSet<String>> = generated::STOPWORDS
                .iter()
                .map(|(lang, words)| {
                    let mut set = fold_all(words);
                    if *lang == "en" {
                        set.extend(fold_all(FILLER));
                    }
                    set
                })
                .collect();
            languages.push(fold_all(PERSIAN));
            Self { languages, negators: fold_all(NEGATORS) }
        }

        /// The lists of the languages whose function words the review uses
        /// most (ties: all of them; none used: none needed).
        fn pick(&self, words: &[&Word]) -> Vec<&HashSet<String>> {
            let hits: Vec<usize> = self.languages.iter().map(|set| words.iter().filter(|w| set.contains(&w.folded)).count()).collect();
            let best = hits.iter().copied().max().unwrap_or(0);
            if best == 0 {
                return Vec::new();
            }
            self.languages.iter().zip(hits).filter(|(_, h)| *h == best).map(|(s, _)| s).collect()
        }
    }

    /// One word of a clause.
    pub(super) struct Word {
        /// Lowercased as written (what a phrase shows).
        pub(super) shown: String,
        /// For function-word lists ([`fold`]).
        folded: String,
        /// For counting ([`key`]).
        key: String,
    }

    /// Inside a word run but not a word: spaces, apostrophes, hyphens, the
    /// Hebrew maqaf and the joiners Persian writes between parts of a word.
    fn joins(seg: &str) -> bool {
        seg.chars().all(|c| c.is_whitespace() || matches!(c, '\'' | '\u{2019}' | '-' | '\u{2010}' | '\u{05be}' | '\u{200c}' | '\u{200d}'))
    }

    /// The first `max` characters of `s`.
    fn head(s: &str, max: usize) -> &str {
        s.char_indices().nth(max).map_or(s, |(i, _)| &s[..i])
    }

    /// The clauses of `text` (its first [`TEXT_MAX`] characters): runs of
    /// words between punctuation, emoji, or anything else that is neither a
    /// word nor a joiner. A link or an address ends a clause and is no
    /// word; words run together at a full stop or colon ("small.Order")
    /// are split there.
    pub(super) fn clauses(text: &str) -> Vec<Vec<Word>> {
        let mut out = Vec::new();
        let mut current: Vec<Word> = Vec::new();
        let close = |current: &mut Vec<Word>, out: &mut Vec<Vec<Word>>| {
            if !current.is_empty() {
                out.push(std::mem::take(current));
            }
        };
        // Links and addresses, whole: Unicode's word breaks would cut them
        // into words ("https", "rival", "example").
        let text: String = head(text, TEXT_MAX)
            .split_inclusive(char::is_whitespace)
            .map(|chunk| if chunk.contains("://") || chunk.contains('@') || chunk.trim_start().starts_with("www.") { " | " } else { chunk })
            .collect();
        for seg in text.split_word_bounds() {
            if !seg.chars().any(char::is_alphanumeric) {
                if !joins(seg) {
                    close(&mut current, &mut out);
                }
                continue;
            }
            if seg.contains(['@', '/']) {
                close(&mut current, &mut out);
                continue;
            }
            let numeric = seg.chars().all(|c| c.is_numeric() || matches!(c, '.' | ',' | ':'));
            let parts: Vec<&str> = if numeric { vec![seg] } else { seg.split(['.', ':']).collect() };
            for (i, part) in parts.iter().enumerate() {
                if i > 0 {
                    close(&mut current, &mut out);
                }
                if part.is_empty() || part.chars().count() > WORD_MAX {
                    close(&mut current, &mut out);
                    continue;
                }
                let shown = part.to_lowercase();
                let folded = fold(&shown);
                current.push(Word { key: key(&folded), folded, shown });
            }
        }
        close(&mut current, &mut out);
        out
    }

    /// The distinct candidate phrases of one review, by key, with how each
    /// was written. A run of two or three words whose ends are content words
    /// of two or more characters, with no bare number; right after a
    /// negator, the negator leads the phrase (and one content word is
    /// enough: "not comfortable").
    fn phrases_with(lists: &Lists, title: &str, body: &str) -> HashMap<String, String> {
        let clauses: Vec<Vec<Word>> = clauses(title).into_iter().chain(clauses(body)).collect();
        let all: Vec<&Word> = clauses.iter().flatten().collect();
        let function = lists.pick(&all);
        let is_function = |w: &Word| lists.negators.contains(&w.folded) || function.iter().any(|s| s.contains(&w.folded));
        let content = |w: &Word| w.folded.chars().count() >= 2 && !is_function(w) && !w.folded.chars().all(char::is_numeric);
        let mut found = HashMap::new();
        for clause in &clauses {
            for i in 0..clause.len() {
                let negated = i > 0 && lists.negators.contains(&clause[i - 1].folded);
                for n in 1..=*WORDS.end() {
                    let Some(window) = clause.get(i..i + n) else { break };
                    let (Some(first), Some(last)) = (window.first(), window.last()) else { break };
                    if !content(first) || !content(last) || window.iter().any(|w| w.folded.chars().all(char::is_numeric)) {
                        continue;
                    }
                    let words: Vec<&Word> = if negated {
                        std::iter::once(&clause[i - 1]).chain(window).collect()
                    } else if n >= *WORDS.start() && first.key != last.key {
                        window.iter().collect()
                    } else {
                        continue;
                    };
                    let shown = words.iter().map(|w| w.shown.as_str()).collect::<Vec<_>>().join(" ");
                    if shown.chars().count() <= super::PHRASE_MAX {
                        found.entry(words.iter().map(|w| w.key.as_str()).collect::<Vec<_>>().join(" ")).or_insert(shown);
                    }
                }
            }
        }
        found
    }

    /// [`phrases_with`] with fresh lists, for tests.
    #[cfg(test)]
    pub(super) fn phrases(title: &str, body: &str) -> HashMap<String, String> {
        static LISTS: std::sync::OnceLock<Lists> = std::sync::OnceLock::new();
        phrases_with(LISTS.get_or_init(Lists::new), title, body)
    }

    struct Tally {
        reviews: u32,
        critical: u32,
        /// As first written.
        shown: String,
    }

    /// Counts phrases over reviews, then picks the summary.
    ///
    /// ```
    /// use kindred_core::aspects::Extractor;
    /// let mut x = Extractor::default();
    /// x.add(2, "Runs small", "Order a size up.");
    /// x.add(3, "Nice colour", "But it runs small!");
    /// x.add(5, "Love it", "Not small at all, perfect fit.");
    /// let s = x.summary();
    /// assert_eq!(s.reviews, 3);
    /// assert_eq!((s.aspects[0].phrase.as_str(), s.aspects[0].reviews, s.aspects[0].critical), ("runs small", 2, 2));
    /// ```
    pub struct Extractor {
        lists: Lists,
        tallies: HashMap<String, Tally>,
        reviews: u32,
        full: bool,
    }

    impl Default for Extractor {
        fn default() -> Self {
            Self { lists: Lists::new(), tallies: HashMap::new(), reviews: 0, full: false }
        }
    }

    impl Extractor {
        /// Adds one published review (`rating` 1..=5).
        pub fn add(&mut self, rating: u8, title: &str, body: &str) {
            self.reviews = self.reviews.saturating_add(1);
            let critical = u32::from(rating <= CRITICAL_MAX_RATING);
            for (key, shown) in phrases_with(&self.lists, title, body) {
                if let Some(t) = self.tallies.get_mut(&key) {
                    t.reviews = t.reviews.saturating_add(1);
                    t.critical = t.critical.saturating_add(critical);
                } else if !self.full {
                    self.tallies.insert(key, Tally { reviews: 1, critical, shown });
                }
            }
            if !self.full && self.tallies.len() > DISTINCT_MAX {
                self.tallies.retain(|_, t| t.reviews > 1);
                self.full = self.tallies.len() > DISTINCT_MAX / 2;
            }
        }

        /// The summary: up to [`CRITICAL_SLOTS`] recurring phrases (in at
        /// least [`MIN_REVIEWS`] reviews) that critical reviews use most,
        /// then the most used phrases overall; none inside another; at most
        /// [`SHOWN`], most used first. Ties go to the longer phrase, then
        /// the alphabetically first, so a rebuild of the same reviews gives
        /// the same summary.
        pub fn summary(&self) -> AspectSummary {
            struct Candidate<'a> {
                key: &'a str,
                words: usize,
                t: &'a Tally,
            }
            let mut all: Vec<Candidate> = self
                .tallies
                .iter()
                .filter(|(_, t)| t.reviews >= MIN_REVIEWS)
                .map(|(k, t)| Candidate { key: k.as_str(), words: k.split(' ').count(), t })
                .collect();
            let by_use = |a: &Candidate, b: &Candidate| {
                b.t.reviews.cmp(&a.t.reviews).then(b.words.cmp(&a.words)).then(b.t.critical.cmp(&a.t.critical)).then(a.key.cmp(b.key))
            };
            all.sort_by(by_use);
            // Critical phrases: most critical reviews first, then the larger
            // critical share (a complaint before praise one critic shares).
            let mut critical: Vec<&Candidate> = all.iter().filter(|c| c.t.critical > 0).collect();
            let share = |a: &Candidate, b: &Candidate| (u64::from(b.t.critical) * u64::from(a.t.reviews)).cmp(&(u64::from(a.t.critical) * u64::from(b.t.reviews)));
            critical.sort_by(|a, b| b.t.critical.cmp(&a.t.critical).then(share(a, b)).then(by_use(a, b)));

            let mut chosen: Vec<&Candidate> = Vec::new();
            let take = |c: &'_ Candidate<'_>, chosen: &Vec<&Candidate>| !chosen.iter().any(|x| overlaps(x.key, c.key));
            for c in critical {
                if chosen.len() >= CRITICAL_SLOTS {
                    break;
                }
                if take(c, &chosen) {
                    chosen.push(c);
                }
            }
            for c in &all {
                if chosen.len() >= SHOWN {
                    break;
                }
                if take(c, &chosen) {
                    chosen.push(c);
                }
            }
            chosen.sort_by(|a, b| by_use(a, b));
            let aspects = chosen.into_iter().map(|c| Aspect { phrase: c.t.shown.clone(), reviews: c.t.reviews, critical: c.t.critical }).collect();
            AspectSummary { aspects, reviews: self.reviews }
        }
    }

    /// Whether one phrase is a run of words inside the other.
    pub(super) fn overlaps(a: &str, b: &str) -> bool {
        let (a, b) = (format!(" {a} "), format!(" {b} "));
        a.contains(&b) || b.contains(&a)
    }
}

#[cfg(all(test, feature = "aspects"))]
mod tests {
    use super::extract::{clauses, overlaps, phrases};
    use super::*;
    use proptest::prelude::*;

    fn shown(text: &str) -> Vec<Vec<String>> {
        clauses(text).into_iter().map(|c| c.into_iter().map(|w| w.shown).collect()).collect()
    }

    #[test]
    fn clauses_split_at_punctuation_and_emoji_not_at_apostrophes() {
        assert_eq!(shown("Runs small, order up! Don't 👟 wait"), vec![
            vec!["runs".to_owned(), "small".into()],
            vec!["order".into(), "up".into()],
            vec!["don't".into()],
            vec!["wait".into()],
        ]);
        // Run together at a full stop; a link and an address are no words.
        assert_eq!(shown("Runs small.Order up"), vec![vec!["runs".to_owned(), "small".into()], vec!["order".into(), "up".into()]]);
        assert_eq!(shown("buy at https://rival.example/deal now"), vec![vec!["buy".to_owned(), "at".into()], vec!["now".into()]]);
        assert_eq!(shown("mail me@rival.example today"), vec![vec!["mail".to_owned()], vec!["today".into()]]);
        assert_eq!(shown(&format!("a {} b", "x".repeat(41))), vec![vec!["a".to_owned()], vec!["b".into()]]);
        // Arabic comma and question mark end a clause; the maqaf joins.
        assert_eq!(shown("مقاس صغير، لون جميل؟ نعم"), vec![vec!["مقاس".to_owned(), "صغير".into()], vec!["لون".into(), "جميل".into()], vec!["نعم".into()]]);
        assert_eq!(shown("בית\u{05be}ספר טוב").len(), 1);
    }

    #[test]
    fn a_review_is_only_read_to_its_first_thousand_characters() {
        let long = format!("{} runs small", "word ".repeat(TEXT_MAX / 5));
        assert!(!phrases("", &long).contains_key("runs small"));
    }

    #[test]
    fn a_negated_phrase_keeps_its_negator() {
        let p = phrases("", "Not true to size, and not comfortable. Don\u{2019}t buy cheap laces");
        assert!(p.contains_key("not true to size"), "{p:?}");
        assert!(p.contains_key("not comfortable"), "{p:?}");
        assert!(!p.contains_key("true to size"), "{p:?}");
        let mut x = Extractor::default();
        x.add(5, "", "True to size.");
        x.add(1, "", "Not true to size.");
        x.add(5, "", "Exactly true to size.");
        let s = x.summary();
        let t = s.aspects.iter().find(|a| a.phrase == "true to size").expect("shown");
        assert_eq!((t.reviews, t.critical), (2, 0), "the one-star 'not true to size' is not praise");
    }

    #[test]
    fn each_review_is_read_with_its_own_languages_function_words() {
        // German "will" and "war" are function words in German only.
        let p = phrases("", "The battery will last, the war paint too");
        assert!(p.contains_key("war paint"), "{p:?}");
        let p = phrases("", "Ich will die Sohle nicht mehr, das war schade");
        assert!(!p.keys().any(|k| k.starts_with("will ") || k.ends_with(" war")), "{p:?}");
    }

    #[test]
    fn arabic_spellings_of_one_phrase_count_together() {
        let mut x = Extractor::default();
        x.add(2, "", "المقاس صغير");
        x.add(2, "", "مقاس صغیر"); // Persian yeh
        x.add(3, "", "والمقاسُ صغيـر"); // a conjunction, a damma, a tatweel
        let s = x.summary();
        assert_eq!(s.aspects.len(), 1, "{s:?}");
        assert_eq!((s.aspects[0].phrase.as_str(), s.aspects[0].reviews), ("المقاس صغير", 3));
    }

    #[test]
    fn function_words_never_end_a_phrase() {
        let p = phrases("", "It is true to size and the battery life is long");
        assert!(p.contains_key("true to size"), "{p:?}");
        assert!(p.contains_key("battery life"), "{p:?}");
        for bad in ["it is", "to size and", "the battery", "is long", "size and"] {
            assert!(!p.contains_key(bad), "{bad} in {p:?}");
        }
    }

    #[test]
    fn numbers_and_single_words_are_not_aspects() {
        let p = phrases("", "24 g protein per scoop");
        assert!(!p.keys().any(|x| x.contains("24")), "{p:?}");
        assert!(p.keys().all(|x| x.contains(' ')));
    }

    #[test]
    fn arabic_persian_and_hebrew_phrases_are_found() {
        let mut x = Extractor::default();
        x.add(2, "", "المقاس صغير جدا، اطلبوا مقاسا أكبر");
        x.add(3, "", "المقاس صغير للأسف");
        x.add(2, "", "سایز کوچک است.");
        x.add(1, "", "سایز کوچک بود");
        x.add(5, "", "הנעל נוחה מאוד");
        x.add(4, "", "הנעל נוחה ויפה");
        let s = x.summary();
        let phrases: Vec<&str> = s.aspects.iter().map(|a| a.phrase.as_str()).collect();
        assert!(!phrases.iter().any(|p| p.ends_with(" است") || p.ends_with(" بود")), "{phrases:?}");
        assert!(phrases.contains(&"المقاس صغير"), "{phrases:?}");
        assert!(phrases.contains(&"سایز کوچک"), "{phrases:?}");
        assert!(phrases.contains(&"הנעל נוחה"), "{phrases:?}");
    }

    #[test]
    fn a_critical_aspect_is_shown_even_when_praise_outnumbers_it() {
        let mut x = Extractor::default();
        for _ in 0..40 {
            x.add(5, "Great colour", "Soft fabric, quick delivery, fair price, nice stitching, warm lining, good pockets.");
        }
        x.add(2, "Runs small", "Zip broke");
        x.add(1, "Runs small", "Zip broke too");
        let s = x.summary();
        assert_eq!(s.aspects.len(), SHOWN);
        let small = s.aspects.iter().find(|a| a.phrase == "runs small").expect("the critical aspect is shown");
        assert_eq!((small.reviews, small.critical), (2, 2));
    }

    #[test]
    fn one_critic_among_praise_still_shows_their_complaint_before_shared_praise() {
        let mut x = Extractor::default();
        for _ in 0..20 {
            x.add(5, "Great colour", "Soft fabric, quick delivery, fair price, nice stitching, warm lining, deep pockets.");
        }
        x.add(2, "Great colour", "But it runs small");
        x.add(4, "Runs small", "Order a size up");
        let s = x.summary();
        let small = s.aspects.iter().find(|a| a.phrase == "runs small").expect("shown");
        assert_eq!((small.reviews, small.critical), (2, 1));
    }

    #[test]
    fn a_longer_phrase_with_the_same_count_replaces_its_parts() {
        let mut x = Extractor::default();
        x.add(4, "", "True to size");
        x.add(5, "", "true to size, comfy");
        let s = x.summary();
        assert_eq!(s.aspects.iter().map(|a| a.phrase.as_str()).collect::<Vec<_>>(), vec!["true to size"]);
    }

    #[test]
    fn overlap_is_by_whole_words() {
        assert!(overlaps("true to size", "to size"));
        assert!(!overlaps("small fit", "all fit"));
    }

    /// Words for generated reviews: content words, function words, marks.
    fn word() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec!["runs", "small", "zip", "broke", "soft", "fabric", "the", "is", "and", "to", ",", ".", "😀"])
    }

    fn review() -> impl Strategy<Value = (u8, String)> {
        (1u8..=5, prop::collection::vec(word(), 0..12)).prop_map(|(r, ws)| (r, ws.join(" ")))
    }

    proptest! {
        /// Counts are exact: each aspect's `reviews` and `critical` equal
        /// the reviews (and critical reviews) whose phrases include it.
        #[test]
        fn counts_are_the_reviews_that_use_the_phrase(reviews in prop::collection::vec(review(), 0..30)) {
            let mut x = Extractor::default();
            for (r, body) in &reviews {
                x.add(*r, "", body);
            }
            let s = x.summary();
            prop_assert_eq!(s.reviews as usize, reviews.len());
            prop_assert!(s.aspects.len() <= SHOWN);
            for a in &s.aspects {
                let using: Vec<u8> = reviews.iter().filter(|(_, b)| phrases("", b).contains_key(&a.phrase)).map(|(r, _)| *r).collect();
                prop_assert_eq!(a.reviews as usize, using.len());
                prop_assert_eq!(a.critical as usize, using.iter().filter(|r| **r <= CRITICAL_MAX_RATING).count());
                prop_assert!(a.reviews >= MIN_REVIEWS);
            }
            for (i, a) in s.aspects.iter().enumerate() {
                for b in &s.aspects[i + 1..] {
                    prop_assert!(!overlaps(&a.phrase, &b.phrase), "{} / {}", a.phrase, b.phrase);
                }
            }
        }

        /// Never from praise alone: when a recurring phrase is used by a
        /// critical review, the summary shows at least one such phrase.
        #[test]
        fn critical_phrases_are_never_left_out(reviews in prop::collection::vec(review(), 0..30)) {
            let mut x = Extractor::default();
            // phrase -> (reviews, critical reviews)
            let mut counts: std::collections::HashMap<String, (u32, u32)> = Default::default();
            for (r, body) in &reviews {
                x.add(*r, "", body);
                for p in phrases("", body).into_keys() {
                    let c = counts.entry(p).or_default();
                    c.0 += 1;
                    c.1 += u32::from(*r <= CRITICAL_MAX_RATING);
                }
            }
            let recurring_critical = counts.values().any(|(n, c)| *n >= MIN_REVIEWS && *c > 0);
            let s = x.summary();
            prop_assert_eq!(recurring_critical, s.aspects.iter().any(|a| a.critical > 0));
        }
    }
}

#[cfg(all(test, feature = "aspects"))]
mod cost {
    /// The rebuild's worst case: `READ_CAP` reviews of `TEXT_MAX`
    /// characters, every one different. Run by hand:
    /// `cargo test -p kindred-core --release aspects::cost -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn worst_case_rebuild() {
        let mut x = super::Extractor::default();
        let started = std::time::Instant::now();
        for r in 0..super::READ_CAP {
            let body: String = (0..200).map(|w| format!("w{}x{} ", r % 97, (r * 31 + w) % 5003)).collect();
            x.add((r % 5 + 1) as u8, "Runs small", &body);
        }
        let s = x.summary();
        println!("{} reviews in {:?}, {} aspects", s.reviews, started.elapsed(), s.aspects.len());
    }
}
