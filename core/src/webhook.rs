//! Where Kindred may send webhooks, and how long it waits.
//!
//! A brand names the URL; Kindred's worker makes the request. Without rules
//! a brand could aim it at addresses only the platform can reach (cloud
//! metadata at `169.254.169.254`, loopback, private networks): the classic
//! server-side request forgery (OWASP SSRF Prevention Cheat Sheet). The rule:
//! - `https` only. Plain `http` is allowed to loopback only, and only when
//!   the edge runs locally (`WEBHOOK_LOOPBACK_HTTP = "allow"`, set by
//!   `cargo xtask demo|test`, never in `wrangler.toml`).
//! - The host is parsed the way `fetch` parses it (WHATWG URL, the `url`
//!   crate): `http://0x7f.1/` is `127.0.0.1`, so it is caught.
//! - No literal address in the unspecified, loopback, private (RFC 1918,
//!   RFC 4193), shared (RFC 6598), link-local (RFC 3927, RFC 4291),
//!   multicast, broadcast, documentation, benchmarking or reserved ranges
//!   (IANA special-purpose registries), IPv4-mapped IPv6 included.
//! - No single-label host (`http://metadata/`) and no names reserved for
//!   local use (`localhost`, `.localhost`, `.local`, `.internal`, `.home.arpa`).
//! - No credentials in the URL.
//!
//! Names are not resolved here (a Worker cannot): on Cloudflare a Worker's
//! `fetch` reaches only the public Internet, so a public name that resolves
//! to a private address reaches nothing of ours.

use std::net::{Ipv4Addr, Ipv6Addr};
use url::{Host, Url};

/// How long one delivery attempt may take before it is abandoned and
/// retried later, ms.
pub const DELIVERY_TIMEOUT_MS: u64 = 10_000;

/// How long an ended delivery (delivered or given up) stays in the log the
/// console shows, ms: 30 days. Payloads name shoppers (authors, referrers),
/// so the log does not keep them for ever (`crate::privacy`).
pub const DELIVERY_LOG_KEEP_MS: i64 = 30 * 24 * 3_600_000;

/// Whether plain `http` to loopback is allowed (local development only).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TargetPolicy {
    pub loopback_http: bool,
}

/// Checks a webhook URL against the rule above.
///
/// # Errors
/// A sentence saying what is wrong, for the `validation_failed` message.
pub fn check_target(raw: &str, policy: TargetPolicy) -> Result<(), String> {
    let url = Url::parse(raw).map_err(|e| format!("not a URL ({e})"))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err("a webhook URL cannot carry credentials".into());
    }
    let host = url.host().ok_or("a webhook URL needs a host")?;
    let loopback = match &host {
        Host::Ipv4(a) => a.is_loopback(),
        Host::Ipv6(a) => a.is_loopback() || a.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback()),
        Host::Domain(d) => is_localhost(d),
    };
    match url.scheme() {
        "https" => {}
        "http" if loopback && policy.loopback_http => return Ok(()),
        "http" => return Err("webhooks are sent over https only".into()),
        other => return Err(format!("webhooks are sent over https, not {other}")),
    }
    match host {
        Host::Ipv4(a) if !public_v4(a) => Err(format!("{a} is not a public address")),
        Host::Ipv6(a) if !public_v6(a) => Err(format!("{a} is not a public address")),
        Host::Domain(d) if !d.contains('.') || is_local_name(d) => Err(format!("{d} is not a public host name")),
        _ => Ok(()),
    }
}

fn is_localhost(d: &str) -> bool {
    let d = d.trim_end_matches('.').to_ascii_lowercase();
    d == "localhost" || d.ends_with(".localhost")
}

fn is_local_name(d: &str) -> bool {
    let d = d.trim_end_matches('.').to_ascii_lowercase();
    is_localhost(&d) || [".local", ".internal", ".home.arpa", ".lan"].iter().any(|s| d.ends_with(s))
}

fn in_v4(a: Ipv4Addr, net: [u8; 4], len: u32) -> bool {
    let mask = u32::MAX.checked_shl(32 - len).unwrap_or(0);
    u32::from(a) & mask == u32::from(Ipv4Addr::from(net)) & mask
}

/// Globally reachable IPv4 (IANA IPv4 Special-Purpose Address Registry).
fn public_v4(a: Ipv4Addr) -> bool {
    !(a.is_unspecified()
        || a.is_loopback()
        || a.is_private()
        || a.is_link_local()
        || a.is_multicast()
        || a.is_broadcast()
        || a.is_documentation()
        || in_v4(a, [0, 0, 0, 0], 8)
        || in_v4(a, [100, 64, 0, 0], 10)
        || in_v4(a, [192, 0, 0, 0], 24)
        || in_v4(a, [192, 88, 99, 0], 24) // 6to4 relay anycast (RFC 7526: deprecated)
        || in_v4(a, [198, 18, 0, 0], 15)
        || in_v4(a, [240, 0, 0, 0], 4))
}

/// Globally reachable IPv6 (IANA IPv6 Special-Purpose Address Registry).
fn public_v6(a: Ipv6Addr) -> bool {
    if let Some(v4) = a.to_ipv4_mapped() {
        return public_v4(v4);
    }
    let s = a.segments();
    !(a.is_unspecified()
        || a.is_loopback()
        || a.is_multicast()
        || (s[0] & 0xfe00) == 0xfc00 // unique local, fc00::/7
        || (s[0] & 0xffc0) == 0xfe80 // link-local, fe80::/10
        || (s[0] & 0xffc0) == 0xfec0 // site-local, fec0::/10 (RFC 3879: deprecated, still routed inside some sites)
        || (s[0] == 0x2001 && (s[1] & 0xfff0) == 0x0010) // ORCHID, 2001:10::/28 (RFC 4843: deprecated)
        || (s[0] == 0x2001 && s[1] == 0x0db8) // documentation, 2001:db8::/32
        || (s[0] & 0xfff0) == 0x3ff0 // documentation, 3fff::/20
        || (s[0] == 0x2001 && s[1] == 0) // Teredo, 2001::/32 (embeds an IPv4 address)
        || s[0] == 0x2002 // 6to4, 2002::/16 (embeds an IPv4 address)
        || (s[0] == 0x0064 && s[1] == 0xff9b) // NAT64, 64:ff9b::/96 (may embed any IPv4)
        || (s[0] == 0x0100 && s[1] == 0 && s[2] == 0 && s[3] == 0) // discard, 100::/64
        || s[0] == 0 // ::/16 and IPv4-compatible forms
    )
}

/// One webhook delivery, as the log shows it (`GET .../webhooks`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Delivery {
    pub id: String,
    pub brand_id: String,
    pub event: String,
    pub url: String,
    pub payload: String,
    pub attempts: i64,
    pub status: DeliveryStatus,
    /// The receiver's HTTP status on the last attempt.
    pub last_status: Option<i64>,
    pub last_error: Option<String>,
    /// How long the last attempt took, ms (at most the timeout).
    pub last_duration_ms: Option<i64>,
    /// When the last attempt started, ms since the epoch.
    pub last_attempt_at: Option<i64>,
    /// When the next attempt is due, ms since the epoch (pending only).
    pub next_attempt_at: i64,
    /// When it was queued, ms since the epoch.
    pub created_at: i64,
}

/// Where a webhook delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    /// Not delivered yet; `next_attempt_at` says when it is tried again.
    Pending,
    Delivered,
    /// Given up after the last retry (or the target was refused).
    Failed,
}

impl DeliveryStatus {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Delivered => "delivered",
            Self::Failed => "failed",
        }
    }

    /// Reads a `status` filter.
    ///
    /// # Errors
    /// `bad_request` naming `status` for anything else.
    pub fn parse(raw: &str) -> Result<Self, crate::error::ApiError> {
        match raw {
            "pending" => Ok(Self::Pending),
            "delivered" => Ok(Self::Delivered),
            "failed" => Ok(Self::Failed),
            _ => Err(crate::error::ApiError::field(crate::error::ErrorCode::BadRequest, "status", "status is pending, delivered or failed")),
        }
    }
}

/// Deliveries a page of the log holds ([`DeliveryLog`]).
pub const DELIVERIES_PAGE: u32 = 100;

/// The webhook delivery log, newest first, [`DELIVERIES_PAGE`] a page
/// (one that ended goes 30 days after it was queued: `DELIVERY_LOG_KEEP_MS`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeliveryLog {
    pub deliveries: Vec<Delivery>,
    /// The next page's `cursor` (`crate::page`), `null` on the last page.
    pub next_cursor: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const PROD: TargetPolicy = TargetPolicy { loopback_http: false };
    const DEV: TargetPolicy = TargetPolicy { loopback_http: true };

    #[test]
    fn public_https_targets_pass() {
        for ok in ["https://hooks.example.com/kindred", "https://api.shop.example:8443/hooks?x=1", "https://93.184.215.14/hook", "https://[2606:4700::1111]/hook"] {
            assert_eq!(check_target(ok, PROD), Ok(()), "{ok}");
        }
    }

    #[test]
    fn platform_and_private_addresses_are_refused_in_every_spelling() {
        for bad in [
            "http://169.254.169.254/latest/meta-data/",
            "https://169.254.169.254/latest/meta-data/",
            "https://127.0.0.1/",
            "https://0x7f.1/",
            "https://2130706433/",
            "https://0177.0.0.1/",
            "https://10.1.2.3/",
            "https://172.16.0.9/",
            "https://192.168.1.1/",
            "https://100.64.0.1/",
            "https://0.0.0.0/",
            "https://[::1]/",
            "https://[::ffff:169.254.169.254]/",
            "https://[::ffff:7f00:1]/",
            "https://[fd00::1]/",
            "https://[fe80::1]/",
            "https://[fec0::1]/",
            "https://[2001:10::1]/",
            "https://192.88.99.1/",
            "https://[64:ff9b::a9fe:a9fe]/",
            "https://[2002:a9fe:a9fe::1]/",
            "https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/",
            "https://localhost/",
            "https://api.localhost/",
            "https://metadata/",
            "https://printer.local/",
            "https://db.internal/",
            "https://user:pass@hooks.example.com/",
            "http://hooks.example.com/",
            "ftp://hooks.example.com/",
            "javascript:alert(1)",
            "not a url",
        ] {
            assert!(check_target(bad, PROD).is_err(), "{bad} passed");
        }
    }

    #[test]
    fn plain_http_reaches_loopback_only_in_local_development() {
        assert_eq!(check_target("http://127.0.0.1:8787/hook", DEV), Ok(()));
        assert_eq!(check_target("http://localhost:9000/hook", DEV), Ok(()));
        assert!(check_target("http://127.0.0.1:8787/hook", PROD).is_err());
        assert!(check_target("http://10.0.0.1/hook", DEV).is_err());
        assert!(check_target("http://169.254.169.254/", DEV).is_err());
        assert!(check_target("http://hooks.example.com/", DEV).is_err());
    }

    proptest! {
        #[test]
        fn no_private_ipv4_passes(a in any::<u32>()) {
            let ip = Ipv4Addr::from(a);
            let url = format!("https://{ip}/hook");
            if ip.is_private() || ip.is_loopback() || ip.is_link_local() || ip.is_unspecified() {
                prop_assert!(check_target(&url, PROD).is_err());
                let mapped = format!("https://[::ffff:{ip}]/");
                prop_assert!(check_target(&mapped, PROD).is_err());
            }
        }
    }
}
