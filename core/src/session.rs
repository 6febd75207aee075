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

/// Whether `s` has the shape of a D1 bookmark: four hyphen-separated groups
/// of 8, 8, 8 and 32 hexadecimal digits, as D1 and workerd's storage write
/// them. Bookmarks order lexically, so the newer of two is the greater.
/// Anything else a client sends is ignored (the session then starts as if
/// it had sent none): a malformed value never reaches D1.
pub fn is_bookmark(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    s.len() <= BOOKMARK_MAX
        && groups.len() == 4
        && groups.iter().zip([8, 8, 8, 32]).all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Where a request's session starts when the client sent no bookmark:
/// `true` for "first-unconstrained" (any replica), `false` for
/// "first-primary". Only shoppers' reads may start on a replica: a write
/// reads before it writes (the brand's settings, an idempotency key, the
/// rate limit), the admin API must see what it just changed, and the first
/// paint's check of the brand's copy version is what shows a moderation on
/// the next view (its data comes from KV anyway).
///
/// Nor may what is gated by a shopper's consent to reuse (feeds, share
/// pages, the hosted wall): a withdrawal must hold on the next read, which
/// a lagging replica would not see. Nor "Your data": a shopper reads it
/// to see everything, what they wrote a second ago included, and an
/// erasure's effect must show on the next read.
pub fn starts_on_any_replica(route: &crate::api::Route) -> bool {
    use crate::api::{Caller, Method};
    route.method == Method::Get && matches!(route.caller, Caller::Public | Caller::Member | Caller::MemberToken) && !reads_from_primary(route.op)
}

/// Shoppers' reads that start on the primary all the same (see
/// [`starts_on_any_replica`]).
pub const fn reads_from_primary(op: crate::api::Op) -> bool {
    use crate::api::Op;
    matches!(op, Op::GetWidget | Op::GetEmbed | Op::GetFeed | Op::SharePage | Op::ShareCard | Op::WallPage | Op::MyData)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bookmarks_have_one_shape() {
        assert!(is_bookmark("0000007b-0000b26e-00001538-0c3e87bb37b3db5cc52eedb93cd3b96b"));
        for bad in ["00000000-00000000", "00000000-00000000-00000000-0000000000000000000000000000000", "", "first-primary", "first-unconstrained", "0000007b", "0000007b--00001538", "0000007b-zzzzzzzz", "0000007b-0000b26e\n", &"0".repeat(101), "0000007b-0000b26e-00001538-0c3e87bb37b3db5c;drop"] {
            assert!(!is_bookmark(bad), "{bad:?}");
        }
        // Newer is greater.
        assert!("0000007c-00000001-00000001-00000000000000000000000000000000" > "0000007b-ffffffff-ffffffff-ffffffffffffffffffffffffffffffff");
    }

    #[test]
    fn only_shoppers_reads_start_on_a_replica() {
        use crate::api::{Caller, Method, Op, ROUTES};
        for r in ROUTES {
            let replica = starts_on_any_replica(r);
            if r.method != Method::Get || matches!(r.caller, Caller::Admin | Caller::Operator) || matches!(r.op, Op::GetWidget | Op::GetEmbed | Op::GetFeed | Op::SharePage | Op::ShareCard | Op::WallPage | Op::MyData) {
                assert!(!replica, "{} {}", r.method.as_str(), r.path);
            }
        }
        assert!(ROUTES.iter().any(|r| r.op == Op::ListTestimonials && starts_on_any_replica(r)));
        assert!(ROUTES.iter().any(|r| r.op == Op::GetThread && starts_on_any_replica(r)));
    }
}
