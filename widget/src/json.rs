//! Reading the edge's JSON in the main module without serde: the browser's
//! JSON.parse builds the value and these impls copy it into core's types.
//! serde's generated deserializers (plus the float formatting its error
//! messages pull in) cost the first visit about a tenth of the main wasm;
//! the chunks, fetched on demand, still use serde.
//!
//! The rules follow core's serde attributes: a missing `Option` is `None`,
//! a missing `#[serde(default)]` field is its default, anything else missing
//! or of the wrong type is an error naming the field. Component tests decode
//! what serde_json encodes from the same types (tests/web.rs).

use kindred_core::aspects::Aspect;
use kindred_core::context::Context;
use kindred_core::photo::PhotoView;
use kindred_core::reply::BrandReply;
use kindred_core::referral::LeaderboardEntry;
use kindred_core::widget::{Aggregate, BrandPublic, FeedPage, ProductPublic, ReferralPublic, TestimonialView, WidgetPayload};
use kindred_core::{ApiError, ErrorBody, ErrorCode};
use wasm_bindgen::JsValue;

/// A type read from a parsed JSON value.
pub trait FromJs: Sized {
    fn from_js(v: &JsValue) -> Result<Self, String>;
}

/// Parses JSON text into `T`.
pub fn parse<T: FromJs>(text: &str) -> Result<T, String> {
    let v = js_sys::JSON::parse(text).map_err(|_| "not JSON".to_owned())?;
    T::from_js(&v)
}

/// `o[name]` if `o` is an object with that own property, else undefined:
/// never a value a page added to `Object.prototype`.
pub(crate) fn get(o: &JsValue, name: &str) -> JsValue {
    use wasm_bindgen::JsCast;
    let key = JsValue::from_str(name);
    // Reflect.getOwnPropertyDescriptor (ES2015): every browser we support,
    // and nothing a page can swap out on Object.prototype.
    let own = o
        .dyn_ref::<js_sys::Object>()
        .and_then(|obj| js_sys::Reflect::get_own_property_descriptor(obj, &key).ok())
        .is_some_and(|d| !d.is_undefined());
    if own {
        js_sys::Reflect::get(o, &key).unwrap_or(JsValue::UNDEFINED)
    } else {
        JsValue::UNDEFINED
    }
}

/// A required field.
pub(crate) fn field<T: FromJs>(o: &JsValue, name: &str) -> Result<T, String> {
    T::from_js(&get(o, name)).map_err(|e| format!("{name}: {e}"))
}

/// A `#[serde(default)]` field: absent (or null) is the default.
fn or_default<T: FromJs + Default>(o: &JsValue, name: &str) -> Result<T, String> {
    let v = get(o, name);
    if v.is_undefined() || v.is_null() {
        Ok(T::default())
    } else {
        T::from_js(&v).map_err(|e| format!("{name}: {e}"))
    }
}

/// A JSON object of string fields (a request body, a stored record).
pub(crate) fn object_of(fields: &[(&str, &str)]) -> js_sys::Object {
    let o = js_sys::Object::new();
    for (k, v) in fields {
        let _ = js_sys::Reflect::set(&o, &JsValue::from_str(k), &JsValue::from_str(v));
    }
    o
}

fn object(v: &JsValue) -> Result<&JsValue, String> {
    if v.is_object() && !js_sys::Array::is_array(v) {
        Ok(v)
    } else {
        Err("expected an object".to_owned())
    }
}

impl FromJs for String {
    fn from_js(v: &JsValue) -> Result<Self, String> {
        v.as_string().ok_or_else(|| "expected a string".to_owned())
    }
}

impl FromJs for bool {
    fn from_js(v: &JsValue) -> Result<Self, String> {
        v.as_bool().ok_or_else(|| "expected true or false".to_owned())
    }
}

/// A whole number within `lo..=hi`.
fn integer(v: &JsValue, lo: f64, hi: f64) -> Result<f64, String> {
    match v.as_f64() {
        Some(n) if n.fract() == 0.0 && (lo..=hi).contains(&n) => Ok(n),
        _ => Err("expected a whole number in range".to_owned()),
    }
}

impl FromJs for u8 {
    fn from_js(v: &JsValue) -> Result<Self, String> {
        integer(v, 0.0, f64::from(u8::MAX)).map(|n| n as u8)
    }
}

impl FromJs for u32 {
    fn from_js(v: &JsValue) -> Result<Self, String> {
        integer(v, 0.0, f64::from(u32::MAX)).map(|n| n as u32)
    }
}

impl FromJs for i64 {
    fn from_js(v: &JsValue) -> Result<Self, String> {
        // JSON numbers are doubles: whole numbers are exact up to 2^53.
        const SAFE: f64 = 9_007_199_254_740_991.0;
        integer(v, -SAFE, SAFE).map(|n| n as i64)
    }
}

impl FromJs for f32 {
    fn from_js(v: &JsValue) -> Result<Self, String> {
        v.as_f64().filter(|n| n.is_finite()).map(|n| n as f32).ok_or_else(|| "expected a number".to_owned())
    }
}

impl<T: FromJs> FromJs for Option<T> {
    fn from_js(v: &JsValue) -> Result<Self, String> {
        if v.is_undefined() || v.is_null() {
            Ok(None)
        } else {
            T::from_js(v).map(Some)
        }
    }
}

impl<T: FromJs> FromJs for Vec<T> {
    fn from_js(v: &JsValue) -> Result<Self, String> {
        if !js_sys::Array::is_array(v) {
            return Err("expected a list".to_owned());
        }
        js_sys::Array::from(v).iter().enumerate().map(|(i, x)| T::from_js(&x).map_err(|e| format!("[{i}]: {e}"))).collect()
    }
}

impl FromJs for [u32; 5] {
    fn from_js(v: &JsValue) -> Result<Self, String> {
        let list = Vec::<u32>::from_js(v)?;
        list.try_into().map_err(|_| "expected 5 numbers".to_owned())
    }
}

impl FromJs for ErrorCode {
    fn from_js(v: &JsValue) -> Result<Self, String> {
        let name = String::from_js(v)?;
        ErrorCode::from_wire(&name).ok_or_else(|| format!("unknown error code {name}"))
    }
}

impl FromJs for ApiError {
    fn from_js(v: &JsValue) -> Result<Self, String> {
        let o = object(v)?;
        Ok(ApiError { code: field(o, "code")?, message: field(o, "message")?, field: field(o, "field")? })
    }
}

impl FromJs for ErrorBody {
    fn from_js(v: &JsValue) -> Result<Self, String> {
        Ok(ErrorBody { error: field(object(v)?, "error")? })
    }
}

impl FromJs for BrandReply {
    fn from_js(v: &JsValue) -> Result<Self, String> {
        let o = object(v)?;
        Ok(BrandReply { body: field(o, "body")?, created_at: field(o, "created_at")?, edited_at: field(o, "edited_at")? })
    }
}

impl FromJs for PhotoView {
    fn from_js(v: &JsValue) -> Result<Self, String> {
        let o = object(v)?;
        Ok(PhotoView { id: field(o, "id")?, url: field(o, "url")?, width: field(o, "width")?, height: field(o, "height")? })
    }
}

impl FromJs for TestimonialView {
    fn from_js(v: &JsValue) -> Result<Self, String> {
        let o = object(v)?;
        Ok(TestimonialView {
            id: field(o, "id")?,
            author_name: field(o, "author_name")?,
            rating: field(o, "rating")?,
            title: field(o, "title")?,
            body: field(o, "body")?,
            tags: or_default(o, "tags")?,
            verified_buyer: or_default(o, "verified_buyer")?,
            ambassador: or_default(o, "ambassador")?,
            featured: or_default(o, "featured")?,
            helpful_count: or_default(o, "helpful_count")?,
            photos: or_default(o, "photos")?,
            incentivised: or_default(o, "incentivised")?,
            verified_purchase: or_default(o, "verified_purchase")?,
            reply: field(o, "reply")?,
            edited_at: field(o, "edited_at")?,
            imported: or_default(o, "imported")?,
            lang: field(o, "lang")?,
            created_at: field(o, "created_at")?,
        })
    }
}

impl FromJs for ReferralPublic {
    fn from_js(v: &JsValue) -> Result<Self, String> {
        let o = object(v)?;
        Ok(ReferralPublic {
            referee_offer: field(o, "referee_offer")?,
            window_days: field(o, "window_days")?,
            leaderboard: field(o, "leaderboard")?,
            links_by_email: or_default(o, "links_by_email")?,
        })
    }
}

impl FromJs for BrandPublic {
    fn from_js(v: &JsValue) -> Result<Self, String> {
        let o = object(v)?;
        Ok(BrandPublic {
            id: field(o, "id")?,
            name: field(o, "name")?,
            accent: field(o, "accent")?,
            incentive: field(o, "incentive")?,
            review_incentive: field(o, "review_incentive")?,
            referral: field(o, "referral")?,
            community: or_default(o, "community")?,
        })
    }
}

impl FromJs for ProductPublic {
    fn from_js(v: &JsValue) -> Result<Self, String> {
        let o = object(v)?;
        Ok(ProductPublic { id: field(o, "id")?, name: field(o, "name")?, url: field(o, "url")? })
    }
}

impl FromJs for Aggregate {
    fn from_js(v: &JsValue) -> Result<Self, String> {
        let o = object(v)?;
        Ok(Aggregate { count: field(o, "count")?, average: field(o, "average")?, histogram: field(o, "histogram")? })
    }
}

impl FromJs for WidgetPayload {
    fn from_js(v: &JsValue) -> Result<Self, String> {
        let o = object(v)?;
        Ok(WidgetPayload {
            brand: field(o, "brand")?,
            product: field(o, "product")?,
            aggregate: field(o, "aggregate")?,
            testimonials: field(o, "testimonials")?,
            next_cursor: field(o, "next_cursor")?,
            tags: or_default(o, "tags")?,
            aspects: or_default(o, "aspects")?,
            languages: or_default(o, "languages")?,
            context: field(o, "context")?,
            ambassadors: or_default(o, "ambassadors")?,
            // The loader has shown it; the live widget renders its own.
            markup: None,
            markup_at: None,
            markup_build: None,
        })
    }
}

impl FromJs for Context {
    fn from_js(v: &JsValue) -> Result<Self, String> {
        let o = object(v)?;
        Ok(Context { tag: field(o, "tag")?, lang: field(o, "lang")? })
    }
}

impl FromJs for Aspect {
    fn from_js(v: &JsValue) -> Result<Self, String> {
        let o = object(v)?;
        Ok(Aspect { phrase: field(o, "phrase")?, reviews: field(o, "reviews")?, critical: field(o, "critical")? })
    }
}

impl FromJs for FeedPage {
    fn from_js(v: &JsValue) -> Result<Self, String> {
        let o = object(v)?;
        Ok(FeedPage { testimonials: field(o, "testimonials")?, next_cursor: field(o, "next_cursor")? })
    }
}

impl FromJs for LeaderboardEntry {
    fn from_js(v: &JsValue) -> Result<Self, String> {
        let o = object(v)?;
        Ok(LeaderboardEntry { name: field(o, "name")?, referrals: field(o, "referrals")?, tier: field(o, "tier")? })
    }
}
