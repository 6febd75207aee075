//! Limits that keep one client from hurting another, and the platform's own
//! limits that every query must respect by construction.
//!
//! - D1 binds at most [`D1_MAX_BOUND_PARAMETERS`] parameters per statement
//!   (Cloudflare D1 "Limits": 100 bound parameters per query; `wrangler dev`
//!   enforces it too). [`param_chunks`] splits a list so no statement binds more.
//! - A client is its address, IPv6 by its /64 (one home or phone gets a whole
//!   /64 from its provider, so a single address says little), see [`client_key`].
//!   A client holding a wider IPv6 block also counts against its /56 and /48
//!   (the sizes providers delegate to a home or a site, RFC 6177), each with
//!   a larger budget, so many /64s buy a bounded multiple, see [`wider_blocks`].
//! - What is stored of a client is a keyed hash ([`client_hash`]), never
//!   the address.
//! - Write limits are per client and per shopper; a refused request consumes
//!   no budget (the edge checks and counts in one D1 statement,
//!   `kindred_edge::store::ratelimit::hit`), so no client can spend another's.

use std::net::IpAddr;
use std::ops::Range;

/// Bound parameters D1 accepts in one statement (Cloudflare D1 limits page,
/// "Maximum number of bound parameters per query").
pub const D1_MAX_BOUND_PARAMETERS: usize = 100;

/// Splits `items` list entries, each binding `per_item` parameters, into
/// index ranges such that `fixed + per_item * len` never exceeds
/// [`D1_MAX_BOUND_PARAMETERS`]. Empty input gives no chunk.
///
/// # Errors
/// `None` when even one item does not fit beside the fixed parameters (a
/// statement that can never be valid: a programming error, not client input).
pub fn param_chunks(items: usize, per_item: usize, fixed: usize) -> Option<Vec<Range<usize>>> {
    if per_item == 0 || fixed + per_item > D1_MAX_BOUND_PARAMETERS {
        return None;
    }
    let size = (D1_MAX_BOUND_PARAMETERS - fixed) / per_item;
    Some((0..items).step_by(size).map(|start| start..(start + size).min(items)).collect())
}

/// The key a client's limits are counted under: its IPv4 address, or its
/// IPv6 /64 prefix (`2001:db8:1:2::/64`); an IPv4-mapped IPv6 address counts
/// as the IPv4 address. An address that does not parse (or none: requests
/// that did not come through Cloudflare) shares the key `unknown`.
///
/// The address comes from `CF-Connecting-IP`, which Cloudflare sets on every
/// request it proxies and overwrites when a client sends its own, or, behind
/// a brand's own proxy that sends the brand's proxy key, from the
/// `X-Kindred-Client-IP` it passes on (`kindred_edge::routes::public`).
pub fn client_key(addr: Option<&str>) -> String {
    match addr.map(str::trim).and_then(|a| a.parse::<IpAddr>().ok()) {
        Some(IpAddr::V4(v4)) => v4.to_string(),
        Some(IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
        None => "unknown".to_owned(),
    }
}

/// What Kindred stores of a client: `c_` and the first 16 bytes (hex) of
/// HMAC-SHA256 under the deployment's client secret of [`client_key`]'s
/// form (or of a [`wider_blocks`] block). An IP address is personal data
/// (CJEU C-582/14, Breyer; GDPR recital 30), and an unkeyed hash of one is
/// not anonymous: IPv4 has 2^32 values, hashed in minutes. Keyed, the hash
/// cannot be reversed without the secret, and equal inputs still give
/// equal hashes, so limits and velocity rules work as before. Rotating the
/// secret restarts every client's windows.
///
/// ```
/// use kindred_core::limits::{client_hash, client_key};
/// let k = client_key(Some("203.0.113.9"));
/// let h = client_hash(b"a deployment secret", &k);
/// assert!(h.starts_with("c_") && h.len() == 34 && !h.contains("203"));
/// assert_eq!(h, client_hash(b"a deployment secret", &k));
/// assert_ne!(h, client_hash(b"another secret", &k));
/// ```
pub fn client_hash(secret: &[u8], key: &str) -> String {
    use hmac::{Hmac, Mac};
    let digest = match Hmac::<sha2::Sha256>::new_from_slice(secret) {
        Ok(mut m) => {
            m.update(key.as_bytes());
            m.finalize().into_bytes()
        }
        // HMAC takes keys of any length; kept total all the same.
        Err(_) => <sha2::Sha256 as sha2::Digest>::digest(key.as_bytes()),
    };
    format!("c_{}", crate::auth::hex(&digest[..16]))
}

/// The network a client's address belongs to, for rules about many
/// shoppers from one place (a referral code's friends: `crate::referral::
/// Velocity::max_claims_per_ip_per_hour`): an IPv4 address's /24
/// (`203.0.113.0/24`), an IPv6 address's /48 (`2001:db8:1::/48`, a site's
/// allocation, RFC 6177), an IPv4-mapped IPv6 address as its IPv4 one.
/// `None` for an address that does not parse or none at all (requests not
/// from Cloudflare): they share no network.
pub fn network_key(addr: Option<&str>) -> Option<String> {
    match addr.map(str::trim).and_then(|a| a.parse::<IpAddr>().ok())? {
        IpAddr::V6(v6) if v6.to_ipv4_mapped().is_none() => {
            let bits = u128::from(v6) & (u128::MAX << 80);
            Some(format!("{}/48", std::net::Ipv6Addr::from(bits)))
        }
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map(v4_net),
        IpAddr::V4(v4) => Some(v4_net(v4)),
    }
}

fn v4_net(v4: std::net::Ipv4Addr) -> String {
    let [a, b, c, _] = v4.octets();
    format!("{a}.{b}.{c}.0/24")
}

/// How many times the /64's budget its /56 and its /48 get: a home or small
/// office behind a /56 may run a few /64s; a site's /48 many more.
pub const WIDER_BLOCKS: [(u8, u32); 2] = [(56, 4), (48, 16)];

/// The wider IPv6 blocks an address also counts against, with the factor of
/// the client's budget each gets (see [`WIDER_BLOCKS`]): `("2001:db8:1::/56",
/// 4)`, `("2001:db8::/48", 16)`. Empty for IPv4 (an IPv4 address is already
/// scarce) and for addresses that do not parse.
pub fn wider_blocks(addr: Option<&str>) -> Vec<(String, u32)> {
    let v6 = match addr.map(str::trim).and_then(|a| a.parse::<IpAddr>().ok()) {
        Some(IpAddr::V6(v6)) if v6.to_ipv4_mapped().is_none() => v6,
        _ => return Vec::new(),
    };
    let bits = u128::from(v6);
    WIDER_BLOCKS
        .iter()
        .map(|&(len, factor)| {
            let prefix = std::net::Ipv6Addr::from(bits & (u128::MAX << (128 - u32::from(len))));
            (format!("{prefix}/{len}"), factor)
        })
        .collect()
}

/// Several shoppers may sit behind one address (an office, a carrier's
/// NAT): requests that carry a member token (every widget request does)
/// share an address budget of this many times one shopper's limit, and each
/// token has the shopper's limit of its own.
pub const SHARED_ADDRESS_FACTOR: u32 = 4;

/// The address's budget for a brand whose per-client limit is `per_client`:
/// [`SHARED_ADDRESS_FACTOR`] times it for requests with a member token (a
/// token of their own is then limited to `per_client`), `per_client` for
/// requests without one (a script, not a shopper in a widget).
pub fn address_limit(per_client: u32, has_member: bool) -> u32 {
    if has_member {
        per_client.saturating_mul(SHARED_ADDRESS_FACTOR)
    } else {
        per_client
    }
}

/// An identity secret shorter than this (bytes) verifies nothing: tokens are
/// refused (HMAC-SHA256 keys should be at least the hash's output length,
/// RFC 2104 section 3).
pub const IDENTITY_SECRET_MIN_BYTES: usize = 32;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_network_is_an_ipv4_24_or_an_ipv6_48_and_nothing_for_no_address() {
        assert_eq!(network_key(Some("203.0.113.9")).as_deref(), Some("203.0.113.0/24"));
        assert_eq!(network_key(Some(" 203.0.113.250 ")), network_key(Some("203.0.113.9")));
        assert_ne!(network_key(Some("203.0.114.9")), network_key(Some("203.0.113.9")));
        assert_eq!(network_key(Some("::ffff:203.0.113.7")).as_deref(), Some("203.0.113.0/24"));
        assert_eq!(network_key(Some("2001:db8:1:2:3::9")).as_deref(), Some("2001:db8:1::/48"));
        assert_eq!(network_key(Some("2001:db8:1:ffff::1")), network_key(Some("2001:db8:1:2::1")));
        assert_eq!(network_key(Some("not an address")), None);
        assert_eq!(network_key(None), None);
    }
    use proptest::prelude::*;

    fn bound(chunks: &[Range<usize>], per_item: usize, fixed: usize) -> usize {
        chunks.iter().map(|r| fixed + per_item * r.len()).max().unwrap_or(0)
    }

    #[test]
    fn chunks_at_the_edges_of_the_limit() {
        // One parameter per item, none fixed: 99 and 100 fit in one statement.
        assert_eq!(param_chunks(99, 1, 0).unwrap(), vec![0..99]);
        assert_eq!(param_chunks(100, 1, 0).unwrap(), vec![0..100]);
        assert_eq!(param_chunks(101, 1, 0).unwrap(), vec![0..100, 100..101]);
        let thousand = param_chunks(1000, 1, 0).unwrap();
        assert_eq!(thousand.len(), 10);
        // A fixed parameter (e.g. the brand) leaves 99 per statement.
        assert_eq!(param_chunks(100, 1, 1).unwrap(), vec![0..99, 99..100]);
        assert_eq!(param_chunks(1000, 4, 0).unwrap().len(), 40);
        assert!(param_chunks(0, 1, 0).unwrap().is_empty());
        assert!(param_chunks(5, 0, 0).is_none());
        assert!(param_chunks(5, 60, 41).is_none());
    }

    proptest! {
        #[test]
        fn chunks_cover_everything_once_and_never_bind_more_than_100(items in 0usize..5000, per_item in 1usize..20, fixed in 0usize..60) {
            let Some(chunks) = param_chunks(items, per_item, fixed) else {
                prop_assert!(fixed + per_item > D1_MAX_BOUND_PARAMETERS);
                return Ok(());
            };
            prop_assert!(bound(&chunks, per_item, fixed) <= D1_MAX_BOUND_PARAMETERS);
            let covered: Vec<usize> = chunks.iter().flat_map(|r| r.clone()).collect();
            prop_assert_eq!(covered, (0..items).collect::<Vec<_>>());
        }
    }

    #[test]
    fn clients_by_address_ipv6_by_its_64() {
        assert_eq!(client_key(Some("203.0.113.7")), "203.0.113.7");
        assert_eq!(client_key(Some("2001:db8:1:2:aaaa::1")), "2001:db8:1:2::/64");
        assert_eq!(client_key(Some("2001:db8:1:2:ffff:ffff:ffff:ffff")), "2001:db8:1:2::/64");
        assert_ne!(client_key(Some("2001:db8:1:3::1")), client_key(Some("2001:db8:1:2::1")));
        assert_eq!(client_key(Some("::ffff:198.51.100.1")), "198.51.100.1");
        assert_eq!(client_key(Some(" 198.51.100.1 ")), "198.51.100.1");
        assert_eq!(client_key(Some("not an address")), "unknown");
        assert_eq!(client_key(None), "unknown");
    }

    #[test]
    fn wider_ipv6_blocks_get_wider_budgets() {
        assert_eq!(
            wider_blocks(Some("2001:db8:1:2aa:aaaa::1")),
            vec![("2001:db8:1:200::/56".to_owned(), 4), ("2001:db8:1::/48".to_owned(), 16)]
        );
        // Two /64s of one /56 share it; another /56 of the same /48 does not.
        assert_eq!(wider_blocks(Some("2001:db8:1:201::1"))[0], wider_blocks(Some("2001:db8:1:2ff::9"))[0]);
        assert_ne!(wider_blocks(Some("2001:db8:1:301::1"))[0], wider_blocks(Some("2001:db8:1:201::1"))[0]);
        assert_eq!(wider_blocks(Some("2001:db8:1:301::1"))[1], wider_blocks(Some("2001:db8:1:201::1"))[1]);
        assert!(wider_blocks(Some("198.51.100.1")).is_empty());
        assert!(wider_blocks(Some("::ffff:198.51.100.1")).is_empty());
        assert!(wider_blocks(None).is_empty());
    }

    #[test]
    fn an_address_shared_by_shoppers_gets_room_for_several() {
        assert_eq!(address_limit(20, true), 80);
        assert_eq!(address_limit(20, false), 20);
        assert_eq!(address_limit(u32::MAX, true), u32::MAX);
    }
}
