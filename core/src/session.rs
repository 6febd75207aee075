//! Read-your-own-writes across D1 read replicas: the D1 Sessions API's
//! bookmarks, carried by the shopper's client.
//!
//! Every request the edge answers runs its D1 statements in one session
//! (`D1Database::withSession`); the answer carries the session's bookmark
//! in [`BOOKMARK_HEADER`]. A client that sends the newest bookmark it was
//! given back on its next requests is served by a replica at least as fresh
//! as that bookmark, so a shopper who just posted a reply or a testimonial
//! never reads a copy from before it. Without one a session starts on any
//! replica (`first-unconstrained`). Source:
//! <https://developers.cloudflare.com/d1/best-practices/read-replication/>.

/// The header that carries a bookmark: in the edge's answers (exposed to the
/// brand's pages by CORS), and in a client's requests (allowed by the
/// preflight).
pub const BOOKMARK_HEADER: &str = "x-kindred-bookmark";

/// The longest bookmark accepted (D1's are 59 characters).
pub const BOOKMARK_MAX: usize = 100;

/// Whether `s` has the shape of a D1 bookmark: hyphen-separated groups of
/// hexadecimal digits (D1 and workerd's storage write four: 8, 8, 8 and 32
/// digits), at most [`BOOKMARK_MAX`] characters. Bookmarks order lexically,
/// so the newer of two is the greater. Anything else a client sends is
/// ignored (the session then starts unconstrained): a malformed value must
/// never reach D1, where it would fail the request.
pub fn is_bookmark(s: &str) -> bool {
    s.len() <= BOOKMARK_MAX
        && s.split('-').count() >= 2
        && s.split('-').all(|g| (8..=64).contains(&g.len()) && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bookmarks_have_one_shape() {
        assert!(is_bookmark("0000007b-0000b26e-00001538-0c3e87bb37b3db5cc52eedb93cd3b96b"));
        for bad in ["", "first-primary", "first-unconstrained", "0000007b", "0000007b--00001538", "0000007b-zzzzzzzz", "0000007b-0000b26e\n", &"0".repeat(101), "0000007b-0000b26e-00001538-0c3e87bb37b3db5c;drop"] {
            assert!(!is_bookmark(bad), "{bad:?}");
        }
        // Newer is greater.
        assert!("0000007c-00000001-00000001-00000000000000000000000000000000" > "0000007b-ffffffff-ffffffff-ffffffffffffffffffffffffffffffff");
    }
}
