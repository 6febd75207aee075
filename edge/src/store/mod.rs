//! Storage: D1 (the truth) and KV (read copies). Routes never write SQL or KV
//! keys themselves; they call these functions.

pub mod brands;
pub mod cache;
pub mod community;
pub mod isolate;
pub mod ratelimit;
pub mod referrals;
pub mod testimonials;
pub mod widget;

use wasm_bindgen::JsValue;

/// D1 takes numbers as f64 (an i64 would become a BigInt, which D1 refuses).
pub fn int(n: i64) -> JsValue {
    JsValue::from_f64(n as f64)
}


/// Text, or SQL NULL.
pub fn opt(s: Option<&str>) -> JsValue {
    s.map_or(JsValue::NULL, JsValue::from_str)
}

/// Current time, unix milliseconds.
pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}
