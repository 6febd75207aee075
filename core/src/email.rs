//! Email addresses as shoppers type them. Kept private: stored for the brand,
//! never returned by a public route.

use crate::error::{ApiError, ErrorCode};

/// The ASCII digit for a digit of the keyboards of Kindred's right-to-left
/// locales and of CJK input methods: Arabic-Indic (U+0660..U+0669, Arabic
/// keyboards), Extended Arabic-Indic (U+06F0..U+06F9, Persian and Urdu
/// keyboards) and fullwidth (U+FF10..U+FF19); each block runs 0 to 9 in
/// order (UCD Numeric_Value). No mail provider takes these as an
/// address's digits: "negar۱" typed on a Persian keyboard means "negar1".
fn ascii_digit(c: char) -> Option<char> {
    let zero = match c {
        '\u{0660}'..='\u{0669}' => 0x0660,
        '\u{06F0}'..='\u{06F9}' => 0x06F0,
        '\u{FF10}'..='\u{FF19}' => 0xFF10,
        _ => return None,
    };
    char::from_digit(u32::from(c) - zero, 10)
}

/// An address as a mail server reads it: without the invisible characters
/// a right-to-left keyboard or a paste adds (directional marks, joiners,
/// zero width spaces, byte order marks, soft hyphens, variation selectors,
/// Hangul fillers: every Default_Ignorable_Code_Point,
/// `text::is_default_ignorable`), and with keyboard digits as ASCII
/// ([`ascii_digit`]). Without this, `\u{200F}ana@x.io` and `ana@x.io`
/// would be two people.
fn as_mail_reads(raw: &str) -> String {
    raw.chars().filter(|c| !crate::text::is_default_ignorable(*c)).map(|c| ascii_digit(c).unwrap_or(c)).collect()
}

/// The domain as browsers' email fields and mail systems read it: UTS #46
/// (IDNA) processing to ASCII, by the `url` crate's host parser (fullwidth
/// letters and ideographic full stops as ASCII, case folded, an
/// international name as its `xn--` A-label), where the Unicode tables are
/// linked (the `unicode` feature: the edge, which decides); elsewhere (the
/// widget's courtesy check) lowercased. `None` for what is no domain
/// name (an IP address, a forbidden character, a percent-escape: the URL
/// host parser decodes them, a mail system does not; helper-83).
fn domain_as_mail_reads(domain: &str) -> Option<String> {
    if domain.contains('%') {
        return None;
    }
    #[cfg(feature = "unicode")]
    {
        match url::Host::parse(domain).ok()? {
            url::Host::Domain(d) => Some(d),
            _ => None,
        }
    }
    #[cfg(not(feature = "unicode"))]
    {
        Some(domain.to_ascii_lowercase())
    }
}

/// Drops what a keyboard or paste adds that is no part of an address
/// ([`as_mail_reads`]), trims and reads the domain as mail does
/// ([`domain_as_mail_reads`]), then checks the
/// address has the shape `local@domain.tld` with sane lengths. Deliberately
/// permissive about the local part: the brand, not us, decides what an
/// address is worth.
///
/// # Errors
/// `validation_failed` on `email`: empty, or not of that shape.
pub fn parse(raw: &str) -> Result<String, ApiError> {
    let bad = || ApiError::field(ErrorCode::ValidationFailed, "email", "enter an email address like name@example.com");
    let cleaned = as_mail_reads(raw);
    let s = cleaned.trim();
    if s.is_empty() {
        return Err(ApiError::field(ErrorCode::ValidationFailed, "email", "Email is required"));
    }
    if s.len() > 254 || s.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | ',' | ';' | '"')) {
        return Err(bad());
    }
    let (local, typed) = s.rsplit_once('@').ok_or_else(bad)?;
    let domain = domain_as_mail_reads(typed).ok_or_else(bad)?;
    let labels_ok = domain.split('.').count() >= 2
        && domain.split('.').all(|l| !l.is_empty() && l.len() <= 63 && !l.starts_with('-') && !l.ends_with('-'));
    if local.is_empty() || local.len() > 64 || local.contains('@') || !labels_ok {
        return Err(bad());
    }
    Ok(format!("{local}@{domain}"))
}

/// The version of the rules [`parse`] and `crate::referral::canonical_email`
/// read an address by. Bump it whenever either reads some address
/// differently, so the edge's cron job reads the addresses stored before
/// again ([`reread`]), once: 2, keyboards' invisible characters and digits
/// (306d960); 3, domains by UTS #46 (5ca76e9). Without it an address
/// stored before a change never matches the same address typed after it
/// (a second referral link for one person, "Email me my link" finding none).
pub const RULES: i64 = 3;

/// A stored address read again by today's rules: `Some((address,
/// canonical))` as [`parse`] and `crate::referral::canonical_email` give
/// them now (the same as stored when nothing changed); `None` when today's
/// rules refuse it (an IP literal or a percent-escape in the domain,
/// accepted before 5ca76e9): such a row is left as stored.
pub fn reread(stored: &str) -> Option<(String, String)> {
    let address = parse(stored).ok()?;
    let canonical = crate::referral::canonical_email(&address);
    Some((address, canonical))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_address_is_read_again_by_todays_rules() {
        let again = reread;
        assert_eq!(again("\u{200F}Negar۱.Fa@Example.com"), Some(("Negar1.Fa@example.com".into(), "negar1.fa@example.com".into())));
        assert_eq!(again("ana.r+shoes@gmail.com"), Some(("ana.r+shoes@gmail.com".into(), "anar@gmail.com".into())));
        // A conversion keeps only the canonical form: read again, it stays.
        assert_eq!(again("anar@gmail.com").map(|(_, c)| c).as_deref(), Some("anar@gmail.com"));
        assert_eq!(again("a@[127.0.0.1]"), None, "refused today: left as stored");
        #[cfg(feature = "unicode")]
        assert_eq!(again("ana@Exämple.com").map(|(_, c)| c).as_deref(), Some("ana@xn--exmple-cua.com"));
    }

    #[test]
    fn accepts_and_normalises() {
        assert_eq!(parse(" Ana.R+shoes@Example.COM ").unwrap(), "Ana.R+shoes@example.com");
        assert!(parse("x@a.io").is_ok());
    }

    #[test]
    fn refuses() {
        for bad in ["", "ana", "ana@", "@x.io", "ana@localhost", "a b@x.io", "a@x..io", "a@-x.io", "<a@x.io>", "a@b@x.io"] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        assert!(parse(&format!("{}@x.io", "a".repeat(65))).is_err());
    }

    /// What Persian and Arabic keyboards and pastes from right-to-left text
    /// add (helper-80: each made a second referral link for one person).
    #[test]
    fn what_a_keyboard_adds_is_no_part_of_the_address() {
        for typed in ["\u{200F}negar1@example.com", "negar1@example.com\u{200E}", "ne\u{200C}gar1@example.com", "negar۱@example.com", "negar١@example.com", "\u{FEFF}negar１@Example.com\u{2069}", "negar1@exa\u{AD}mple.com",
            "negar1\u{034F}@example.com", "negar1\u{FE0F}@example.com", "negar1\u{3164}@example.com", "ne\u{FFA0}gar1@example.com", "negar1@example\u{115F}.com"] {
            assert_eq!(parse(typed).unwrap(), "negar1@example.com", "{typed:?}");
        }
        assert!(parse("\u{200F}\u{200E}").is_err(), "nothing left is no address");
    }

    /// A domain typed on a CJK or fullwidth keyboard, or in capitals, is
    /// the one a browser's email field sends (UTS #46): one person, not two
    /// (session 43's found-not-fixed).
    #[test]
    fn a_domain_is_read_as_mail_reads_it() {
        for typed in ["negar1@ｇｍａｉｌ.com", "negar1@gmail。com", "negar1@GMAIL.COM", "negar1@Ｇｍａｉｌ．ｃｏｍ"] {
            assert_eq!(parse(typed).unwrap(), "negar1@gmail.com", "{typed:?}");
        }
        assert_eq!(parse("Jörg@Müller.de").unwrap(), "Jörg@xn--mller-kva.de", "an international domain as its A-label; the local part as typed");
        for bad in ["a@127.0.0.1", "a@[::1]", "a@exa mple.com", "a@exa/mple.com", "a@exa%2Fmple.com", "p1@ex%61mple.org", "a@gmail%E3%80%82com"] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }
}
