//! Purchase-linked review requests: the brand's server reports an order,
//! Kindred answers one signed, single-use review link per product, and a
//! review written through one carries "Verified purchase", a mark no admin
//! route can set (only a submission with a valid link's token does).
//!
//! A link's token is `{id}.{sig}`: `id` is 24 random hex digits naming the
//! request row, `sig` the first 16 bytes (hex) of HMAC-SHA256 over
//! `"review:{brand}:{id}"` with the brand's identity secret. The signature
//! means a token cannot be guessed or made up from an id; the row makes it
//! single-use and bound to its product. The same construction with
//! `"opt-out:"` signs an order's opt-out link.

use crate::error::{ApiError, ErrorCode};
use crate::ids::{BrandId, ProductId};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

/// Most products in one order.
pub const PRODUCTS_MAX: usize = 20;
/// Longest order id, characters.
pub const ORDER_ID_MAX: usize = 100;
/// Longest customer id (identity subject), characters (as identity tokens).
pub const CUSTOMER_MAX: usize = 200;
/// Latest a webhook may be scheduled after the order, days.
pub const SEND_AFTER_DAYS_MAX: u16 = 60;
/// How long a review link works, ms (180 days).
pub const LINK_TTL_MS: i64 = 180 * 86_400_000;
/// The query parameter that carries a token on the brand's product page.
pub const QUERY_PARAM: &str = "kindred_review";

/// `POST /v1/admin/brands/{brand}/orders`, from the brand's server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewOrder {
    /// The brand's order id (1 to 100 characters); posting it again answers
    /// the same links.
    pub order_id: String,
    /// The customer's email, for the opt-out (never shown).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// The customer's id in the brand's shop (an identity token's `sub`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer: Option<String>,
    /// Product ids bought (1 to 20; repeats count once).
    pub products: Vec<String>,
    /// When the order was placed, unix ms (default: now).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ordered_at: Option<i64>,
    /// Send the links to the brand's `review_webhook_url` this many days
    /// after `ordered_at` (0 to 60); absent: not sent, the brand mails the
    /// links itself.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "crate::error::whole_opt")]
    pub send_after_days: Option<u16>,
}

/// An order that passed every rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidOrder {
    pub order_id: String,
    pub email: Option<String>,
    pub customer: Option<String>,
    pub products: Vec<ProductId>,
    pub ordered_at: i64,
    pub send_after_days: Option<u16>,
}

impl NewOrder {
    /// # Errors
    /// `validation_failed` naming the field: an empty or long order id or
    /// customer, a bad email, no products or more than 20, a bad product id,
    /// an order date in the future (more than a day, for clocks) or before
    /// 2000, a send delay over 60 days, neither email nor customer.
    pub fn validate(&self, now: i64) -> Result<ValidOrder, ApiError> {
        let bad = |field: &str, msg: String| ApiError::field(ErrorCode::ValidationFailed, field, msg);
        let order_id = self.order_id.trim().to_owned();
        if order_id.is_empty() || order_id.chars().count() > ORDER_ID_MAX || order_id.chars().any(char::is_control) {
            return Err(bad("order_id", format!("an order id is 1 to {ORDER_ID_MAX} characters, no control characters")));
        }
        let email = self.email.as_deref().map(crate::email::parse).transpose()?;
        let customer = match self.customer.as_deref().map(str::trim) {
            Some(c) if c.is_empty() || c.chars().count() > CUSTOMER_MAX => {
                return Err(bad("customer", format!("a customer id is 1 to {CUSTOMER_MAX} characters")));
            }
            c => c.map(str::to_owned),
        };
        if email.is_none() && customer.is_none() {
            return Err(bad("email", "an order needs the customer's email or id (for opting out)".into()));
        }
        if self.products.is_empty() || self.products.len() > PRODUCTS_MAX {
            return Err(bad("products", format!("an order has 1 to {PRODUCTS_MAX} products")));
        }
        let mut products: Vec<ProductId> = Vec::new();
        for p in &self.products {
            let id = ProductId::parse(p).map_err(|e| bad("products", e.message))?;
            if !products.contains(&id) {
                products.push(id);
            }
        }
        let ordered_at = self.ordered_at.unwrap_or(now);
        if !(946_684_800_000..=now + 86_400_000).contains(&ordered_at) {
            return Err(bad("ordered_at", "ordered_at is unix ms, from 2000 to now".into()));
        }
        if self.send_after_days.is_some_and(|d| d > SEND_AFTER_DAYS_MAX) {
            return Err(bad("send_after_days", format!("send_after_days is 0 to {SEND_AFTER_DAYS_MAX}")));
        }
        Ok(ValidOrder { order_id, email, customer, products, ordered_at, send_after_days: self.send_after_days })
    }
}

impl ValidOrder {
    /// Who opts out: `e:` and the canonical email, else `s:` and the customer id.
    pub fn who(&self) -> String {
        keys(self.email.as_deref(), self.customer.as_deref()).into_iter().next().unwrap_or_default()
    }
}

/// Every key a customer is known by for opt-outs: `e:` and the canonical
/// email, `s:` and the customer id (an opt-out is stored under all of
/// them, and any of them opts a later order out).
pub fn keys(email: Option<&str>, customer: Option<&str>) -> Vec<String> {
    let mut k = Vec::new();
    if let Some(e) = email {
        k.push(format!("e:{}", crate::referral::canonical_email(e)));
    }
    if let Some(c) = customer {
        k.push(format!("s:{c}"));
    }
    k
}

/// One product's review link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewLink {
    pub product: String,
    /// The product page (or the brand's landing page) with `?kindred_review=`.
    pub url: String,
    /// The token alone, for brands that build their own URLs.
    pub token: String,
    /// Unix ms; the link works until then, once.
    pub expires_at: i64,
    /// Unix ms when a review was written through it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub used_at: Option<i64>,
}

/// The answer to an order: its links, or none when the customer opted out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewRequests {
    pub order_id: String,
    /// The customer asked not to be asked: no links, nothing sent.
    pub opted_out: bool,
    pub links: Vec<ReviewLink>,
    /// For the email's footer: a page where the customer stops review requests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opt_out_url: Option<String>,
    /// When the links go to `review_webhook_url` (unix ms), if they do.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub send_at: Option<i64>,
}

type HmacSha256 = Hmac<Sha256>;

fn signature(secret: &[u8], purpose: &str, brand: &BrandId, id: &str) -> Option<String> {
    let mut m = HmacSha256::new_from_slice(secret).ok()?;
    m.update(format!("{purpose}:{}:{id}", brand.as_str()).as_bytes());
    Some(crate::auth::hex(&m.finalize().into_bytes()[..16]))
}

/// Whether `id` has the shape of a request or order row id (24 lowercase hex).
pub fn is_id(id: &str) -> bool {
    is_id_like(id, 24)
}

/// The token for row `id` and `purpose` (`review`, `opt-out`, or
/// `crate::referral::LINK_PURPOSE`); `None`
/// when the secret is too short to sign with.
pub fn token(secret: &[u8], purpose: &str, brand: &BrandId, id: &str) -> Option<String> {
    if secret.len() < crate::limits::IDENTITY_SECRET_MIN_BYTES {
        return None;
    }
    Some(format!("{id}.{}", signature(secret, purpose, brand, id)?))
}

/// Whether `token` has a token's shape (`<id>.<32 lowercase hex>`, as
/// [`token`] makes them), before any signature is checked: the widget
/// offers nothing for another value.
pub fn is_token(token: &str) -> bool {
    token.split_once('.').is_some_and(|(id, sig)| is_id(id) && is_id_like(sig, 32))
}

fn is_id_like(s: &str, len: usize) -> bool {
    s.len() == len && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// The row id a token names, if its signature holds.
///
/// # Errors
/// `validation_failed` on `field` for a malformed token or a bad signature
/// (the same message: nothing tells which).
pub fn verify(token: &str, secret: &[u8], purpose: &str, brand: &BrandId, field: &str) -> Result<String, ApiError> {
    let invalid = || ApiError::field(ErrorCode::ValidationFailed, field, "this link is not valid (copy the whole link from your email)");
    if !is_token(token) {
        return Err(invalid());
    }
    let (id, _) = token.split_once('.').ok_or_else(invalid)?;
    let expected = self::token(secret, purpose, brand, id).ok_or_else(invalid)?;
    if !crate::auth::constant_time_eq(expected.as_bytes(), token.as_bytes()) {
        return Err(invalid());
    }
    Ok(id.to_owned())
}

/// `url` with `name=value` added to its query (before any fragment).
pub fn with_query(url: &str, name: &str, value: &str) -> String {
    let (base, fragment) = match url.split_once('#') {
        Some((b, f)) => (b, Some(f)),
        None => (url, None),
    };
    let sep = if base.contains('?') { '&' } else { '?' };
    let mut out = format!("{base}{sep}{name}={value}");
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef";

    fn brand() -> BrandId {
        BrandId::parse("acme").unwrap()
    }

    fn order() -> NewOrder {
        NewOrder {
            order_id: " 1001 ".into(),
            email: Some("Ana@Example.com".into()),
            customer: None,
            products: vec!["sku-1".into(), "sku-2".into(), "sku-1".into()],
            ordered_at: None,
            send_after_days: Some(7),
        }
    }

    #[test]
    fn orders_are_checked_and_normalised() {
        let v = order().validate(1_800_000_000_000).unwrap();
        assert_eq!(v.order_id, "1001");
        assert_eq!(v.products.len(), 2);
        assert_eq!(v.ordered_at, 1_800_000_000_000);
        assert_eq!(v.who(), "e:ana@example.com");
        type Mutation = Box<dyn Fn(&mut NewOrder)>;
        let cases: Vec<(Mutation, &str)> = vec![
            (Box::new(|o| o.order_id = " ".into()), "order_id"),
            (Box::new(|o| o.order_id = "x".repeat(101)), "order_id"),
            (Box::new(|o| o.email = Some("nope".into())), "email"),
            (Box::new(|o| o.email = None), "email"),
            (Box::new(|o| o.products.clear()), "products"),
            (Box::new(|o| o.products = (0..21).map(|i| format!("p{i}")).collect()), "products"),
            (Box::new(|o| o.products = vec!["bad id!".into()]), "products"),
            (Box::new(|o| o.ordered_at = Some(1_900_000_000_000)), "ordered_at"),
            (Box::new(|o| o.send_after_days = Some(61)), "send_after_days"),
            (Box::new(|o| o.customer = Some(" ".into())), "customer"),
        ];
        for (m, field) in cases {
            let mut o = order();
            m(&mut o);
            assert_eq!(o.validate(1_800_000_000_000).unwrap_err().field.as_deref(), Some(field));
        }
        let mut by_id = order();
        by_id.email = None;
        by_id.customer = Some("cust-9".into());
        assert_eq!(by_id.validate(1_800_000_000_000).unwrap().who(), "s:cust-9");
    }

    #[test]
    fn tokens_verify_for_their_brand_and_purpose_only() {
        let id = "0123456789abcdef01234567";
        let t = token(SECRET, "review", &brand(), id).unwrap();
        assert_eq!(verify(&t, SECRET, "review", &brand(), "review_token").unwrap(), id);
        assert!(verify(&t, SECRET, "opt-out", &brand(), "t").is_err(), "an opt-out link is not a review link");
        assert!(verify(&t, SECRET, "review", &BrandId::parse("other").unwrap(), "t").is_err());
        assert!(verify(&t, b"another secret, long enough.....", "review", &brand(), "t").is_err());
        assert!(token(b"short", "review", &brand(), id).is_none());
        for bad in ["", ".", "x.y", &format!("{id}."), &t.replace(id, "0123456789abcdef01234568"), &format!("{t}0")] {
            assert!(verify(bad, SECRET, "review", &brand(), "t").is_err(), "{bad}");
        }
    }

    #[test]
    fn links_keep_their_query_and_fragment() {
        assert_eq!(with_query("https://s.example/p", "kindred_review", "t"), "https://s.example/p?kindred_review=t");
        assert_eq!(with_query("https://s.example/p?c=red#reviews", "kindred_review", "t"), "https://s.example/p?c=red&kindred_review=t#reviews");
    }

    proptest! {
        #[test]
        fn no_made_up_token_verifies(id in "[0-9a-f]{24}", sig in "[0-9a-f]{32}") {
            let made = format!("{id}.{sig}");
            let real = token(SECRET, "review", &brand(), &id).unwrap();
            prop_assert_eq!(verify(&made, SECRET, "review", &brand(), "t").is_ok(), made == real);
        }
    }
}
