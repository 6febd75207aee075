//! The API's error vocabulary: a stable snake_case code per failure, the HTTP
//! status it maps to, and the JSON body `{"error":{"code":..,"message":..}}`.
//!
//! Codes are part of the public API (the widget and brands' servers branch on
//! them); messages are for humans and may change.

use serde::{Deserialize, Serialize};

/// Every error the API can answer with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The request is malformed (bad query string, bad path segment).
    BadRequest,
    /// The body is not valid JSON or does not have the expected shape.
    InvalidJson,
    /// A field is well-formed JSON but its value breaks a rule.
    ValidationFailed,
    /// No admin key, or a key that matches nothing.
    Unauthorized,
    /// A brand-signed identity token that is malformed or forged.
    IdentityInvalid,
    /// A brand-signed identity token past its expiry.
    IdentityExpired,
    /// Authenticated, but not allowed to touch this resource.
    Forbidden,
    /// The calling web origin is not on the brand's allow list.
    OriginNotAllowed,
    /// No route at this path.
    RouteNotFound,
    /// The route exists but not for this HTTP method.
    MethodNotAllowed,
    /// The brand in the path does not exist.
    BrandNotFound,
    /// The product in the query does not exist for this brand.
    ProductNotFound,
    /// Any other missing resource.
    NotFound,
    /// The write conflicts with the current state (duplicate, already done).
    Conflict,
    /// This shopper already marked this testimonial helpful.
    AlreadyVoted,
    /// `If-Match` names a version that is no longer current (RFC 9110
    /// section 13.1.1): read again, then retry.
    PreconditionFailed,
    /// The body is larger than the route accepts.
    PayloadTooLarge,
    /// The body's content type is not one the route accepts.
    UnsupportedMediaType,
    /// Too many requests from this client; see `Retry-After`.
    RateLimited,
    /// A dependency (D1) is unavailable; retrying later may work.
    Unavailable,
    /// A fault on our side. Details are logged, never sent.
    Internal,
}

impl ErrorCode {
    /// The HTTP status this code is answered with.
    pub const fn status(self) -> u16 {
        match self {
            Self::BadRequest | Self::InvalidJson => 400,
            Self::Unauthorized | Self::IdentityInvalid | Self::IdentityExpired => 401,
            Self::Forbidden | Self::OriginNotAllowed => 403,
            Self::RouteNotFound | Self::BrandNotFound | Self::ProductNotFound | Self::NotFound => 404,
            Self::MethodNotAllowed => 405,
            Self::Conflict | Self::AlreadyVoted => 409,
            Self::PreconditionFailed => 412,
            Self::PayloadTooLarge => 413,
            Self::UnsupportedMediaType => 415,
            Self::ValidationFailed => 422,
            Self::RateLimited => 429,
            Self::Internal => 500,
            Self::Unavailable => 503,
        }
    }

    /// Every code, for lookups by wire name.
    pub const ALL: [ErrorCode; 21] = [
        Self::BadRequest,
        Self::InvalidJson,
        Self::ValidationFailed,
        Self::Unauthorized,
        Self::IdentityInvalid,
        Self::IdentityExpired,
        Self::Forbidden,
        Self::OriginNotAllowed,
        Self::RouteNotFound,
        Self::MethodNotAllowed,
        Self::BrandNotFound,
        Self::ProductNotFound,
        Self::NotFound,
        Self::Conflict,
        Self::AlreadyVoted,
        Self::PreconditionFailed,
        Self::PayloadTooLarge,
        Self::UnsupportedMediaType,
        Self::RateLimited,
        Self::Unavailable,
        Self::Internal,
    ];

    /// The code with this wire name (the inverse of [`ErrorCode::as_str`]).
    pub fn from_wire(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == name)
    }

    /// The wire name, e.g. `brand_not_found`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::BadRequest => "bad_request",
            Self::InvalidJson => "invalid_json",
            Self::ValidationFailed => "validation_failed",
            Self::Unauthorized => "unauthorized",
            Self::IdentityInvalid => "identity_invalid",
            Self::IdentityExpired => "identity_expired",
            Self::Forbidden => "forbidden",
            Self::OriginNotAllowed => "origin_not_allowed",
            Self::RouteNotFound => "route_not_found",
            Self::MethodNotAllowed => "method_not_allowed",
            Self::BrandNotFound => "brand_not_found",
            Self::ProductNotFound => "product_not_found",
            Self::NotFound => "not_found",
            Self::Conflict => "conflict",
            Self::AlreadyVoted => "already_voted",
            Self::PreconditionFailed => "precondition_failed",
            Self::PayloadTooLarge => "payload_too_large",
            Self::UnsupportedMediaType => "unsupported_media_type",
            Self::RateLimited => "rate_limited",
            Self::Unavailable => "unavailable",
            Self::Internal => "internal",
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One error as sent to clients.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
    /// The offending field, for validation errors the UI shows inline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self { code, message: message.into(), field: None }
    }

    /// A validation error about one named field.
    pub fn field(code: ErrorCode, field: &str, message: impl Into<String>) -> Self {
        Self { code, message: message.into(), field: Some(field.to_owned()) }
    }

    pub fn status(&self) -> u16 {
        self.code.status()
    }

    /// The envelope this error travels in.
    pub fn into_body(self) -> ErrorBody {
        ErrorBody { error: self }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for ApiError {}

/// The JSON envelope: `{"error": {...}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub error: ApiError,
}

/// Whether a SQLite (D1) error message is a UNIQUE or PRIMARY KEY
/// constraint on `table`: SQLite says `UNIQUE constraint failed:
/// <table>.<column>[, <table>.<column>...]`, which D1 wraps in its own text.
/// The one place that tells a conflicting insert ("already done", `409`)
/// from a failure of the store.
pub fn is_unique_violation(message: &str, table: &str) -> bool {
    message
        .split("UNIQUE constraint failed: ")
        .nth(1)
        .is_some_and(|cols| cols.split(", ").any(|c| c.split_once('.').is_some_and(|(t, _)| t == table)))
}

/// A JSON request body as `T`.
///
/// Two failures, told apart as GitHub's REST API does ("Problems parsing
/// JSON" is 400, a well-formed body that does not fit is 422 "Validation
/// Failed", <https://docs.github.com/en/rest/using-the-rest-api/troubleshooting-the-rest-api>):
///
/// # Errors
/// - `invalid_json` (400): not UTF-8, or not JSON (a syntax error, a
///   cut-off body, text after the value).
/// - `validation_failed` (422) with `field` (see [`shape_error`]): JSON
///   that is not an object (`field` `""`), or whose shape is not `T`'s (a
///   missing, unknown, repeated or mistyped member, a value a field's own
///   type refuses, an object sent as a list anywhere in it: serde would
///   fill it by position, so `T` is read back into a value to find one).
pub fn from_json<T: serde::de::DeserializeOwned + serde::Serialize>(bytes: &[u8]) -> Result<T, ApiError> {
    // serde_json checks UTF-8 only where it decodes, not in the strings it
    // reads on the way: a stray byte is the body's fault, said first.
    let text = std::str::from_utf8(bytes).map_err(|e| ApiError::new(ErrorCode::InvalidJson, format!("invalid JSON body: not UTF-8 (byte {})", e.valid_up_to())))?;
    // Every route's body is an object; serde would fill a struct from an
    // array by position (`[null, "Ann", ...]`).
    if !text.trim_start().starts_with('{') && serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok() {
        return Err(ApiError::field(ErrorCode::ValidationFailed, "", "the body is a JSON object"));
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        // Whether the body is JSON at all is decided by reading it whole as
        // any value: serde_json stops at the first misfit (before a syntax
        // error further on), and reports some misfits as syntax ("expected
        // value" for a number where an enum's name goes).
        match serde_json::from_slice::<serde::de::IgnoredAny>(bytes) {
            Ok(_) => shape_error(e),
            Err(syntax) => ApiError::new(ErrorCode::InvalidJson, format!("invalid JSON body: {syntax}")),
        }
    })?;
    de.end().map_err(|e| ApiError::new(ErrorCode::InvalidJson, format!("invalid JSON body: {e}")))?;
    // A nested object sent as a list (`"tiers": [["Gold", 3, 1]]`) was read
    // by position: refused where it is.
    if text.contains('[') {
        if let (Ok(sent), Ok(read)) = (serde_json::from_str::<serde_json::Value>(text), serde_json::to_value(&value)) {
            if let Some(path) = positional(&sent, &read) {
                return Err(ApiError::field(ErrorCode::ValidationFailed, &path, format!("{path}: an object, not a list")));
            }
        }
    }
    Ok(value)
}

/// serde's `deserialize_with` for a whole-number member whose own rule,
/// checked after reading, is narrower than its Rust type (a rating of 1
/// to 5 in a `u8`, an invite's 1 to 720 hours in a `u32`): any JSON number
/// without a fraction (`4`, `4.0`) is read, so the member's rule refuses
/// it in its own words ("Rating must be 1 to 5 stars"), never in the
/// type's ("a whole number from 0 to 255", helper-88). `4.0` is a whole
/// number for JSON Schema too (2020-12 validation, 6.1.1: "a number with
/// a zero fractional part"). Refused, naming no range: a fraction (`4.5`),
/// a string or `null` ("expected a whole number"), a number below 0 ("0
/// or more") or beyond the type ("a smaller whole number": `1e300`, never
/// clamped into the type, which stored -1 hours as 0, helper-92).
pub fn whole<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: TryFrom<u64>,
{
    let n = d.deserialize_any(WholeVisitor)?;
    fits(n)
}

/// [`whole`] for an optional member (`null` or left out: `None`; with
/// `#[serde(default)]`).
pub fn whole_opt<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: TryFrom<u64>,
{
    struct Opt;
    impl<'de> serde::de::Visitor<'de> for Opt {
        type Value = Option<u64>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a whole number")
        }
        fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(WholeVisitor).map(Some)
        }
    }
    d.deserialize_option(Opt)?.map(fits).transpose()
}

/// [`whole`] as a type, for a newtype read through it (`#[serde(try_from
/// = "Whole<u8>")]`, as `crate::moderation::MaxHold`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Whole<T>(pub T);

impl<'de, T: TryFrom<u64>> Deserialize<'de> for Whole<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        whole(d).map(Whole)
    }
}

/// `n` as `T`, or "a smaller whole number".
fn fits<T: TryFrom<u64>, E: serde::de::Error>(n: u64) -> Result<T, E> {
    T::try_from(n).map_err(|_| E::invalid_value(serde::de::Unexpected::Unsigned(n), &"a smaller whole number"))
}

/// Reads a JSON number as a `u64`: one with a fraction, below 0 or beyond
/// `u64` is refused, as is anything but a number.
struct WholeVisitor;

impl serde::de::Visitor<'_> for WholeVisitor {
    type Value = u64;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a whole number")
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<u64, E> {
        Ok(v)
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<u64, E> {
        u64::try_from(v).map_err(|_| E::invalid_value(serde::de::Unexpected::Signed(v), &"a whole number, 0 or more"))
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<u64, E> {
        if !(v.is_finite() && v.fract() == 0.0) {
            Err(E::invalid_value(serde::de::Unexpected::Float(v), &self))
        } else if v < 0.0 {
            Err(E::invalid_value(serde::de::Unexpected::Float(v), &"a whole number, 0 or more"))
        } else if v >= 18_446_744_073_709_551_616.0 {
            Err(E::invalid_value(serde::de::Unexpected::Float(v), &"a smaller whole number"))
        } else {
            // Exact: a whole f64 below 2^64.
            Ok(v as u64)
        }
    }
}

/// serde_json's message without the " at line L column C" it ends with:
/// the error names the member by its path, which a client can use; a
/// position in a body it may have formatted otherwise is noise.
fn without_position(message: &str) -> &str {
    match message.rfind(" at line ") {
        Some(i) if message[i + 9..].split(" column ").all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())) => &message[..i],
        _ => message,
    }
}

/// serde's message without our Rust type names ("expected struct Tier
/// with 3 elements" is "expected an object", "expected u8" is "expected a
/// whole number from 0 to 255").
fn without_type_names(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(at) = ["struct ", "enum "].iter().filter_map(|k| rest.find(k).map(|i| (i, *k))).min() {
        let (i, kind) = at;
        out.push_str(&rest[..i]);
        out.push_str(if kind == "struct " { "an object" } else { "one of its names" });
        let after = &rest[i + kind.len()..];
        let name_end = after.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(after.len());
        rest = &after[name_end..];
        if let Some(tail) = rest.strip_prefix(" with ") {
            if let Some(end) = tail.find(" elements") {
                rest = &tail[end + " elements".len()..];
            }
        }
    }
    out.push_str(rest);
    // Rust's number types and serde's words, in a client's terms
    // (helper-87); serde_json's "expected value" is its word for anything
    // but a string where an enum's name goes (a number, `null`, a list).
    for (ours, theirs) in [
        ("expected u8", "expected a whole number from 0 to 255"),
        ("expected u16", "expected a whole number from 0 to 65535"),
        ("expected u32", "expected a whole number from 0 to 4294967295"),
        ("expected u64", "expected a whole number, 0 or more"),
        ("expected usize", "expected a whole number, 0 or more"),
        ("expected i32", "expected a whole number"),
        ("expected i64", "expected a whole number"),
        ("expected f64", "expected a number"),
        ("expected variant identifier", "expected one of its names, as a string"),
        ("expected value", "expected one of its names, as a string"),
    ] {
        if let Some(head) = out.strip_suffix(ours) {
            return format!("{head}{theirs}");
        }
    }
    out
}

/// Where a JSON value `sent` has a list in the place of an object that its
/// type read back (`read`, the value serialised again) has: the path of
/// the first such place (`referral.tiers[0]`). serde fills a struct from a
/// list by position; a merge patch's caller checks with this that every
/// object was sent as one.
pub fn positional(sent: &serde_json::Value, read: &serde_json::Value) -> Option<String> {
    use serde_json::Value;
    fn walk(sent: &Value, read: &Value, path: &str) -> Option<String> {
        match (sent, read) {
            (Value::Array(_), Value::Object(_)) => Some(path.to_owned()),
            (Value::Object(s), Value::Object(r)) => s.iter().find_map(|(k, v)| {
                let p = if path.is_empty() { k.clone() } else { format!("{path}.{k}") };
                r.get(k).and_then(|rv| walk(v, rv, &p))
            }),
            (Value::Array(s), Value::Array(r)) => s.iter().zip(r).enumerate().find_map(|(i, (a, b))| walk(a, b, &format!("{path}[{i}]"))),
            _ => None,
        }
    }
    walk(sent, read, "")
}

/// A JSON value that does not fit its type, as `validation_failed` (422)
/// naming the member: its path (`tiers[1].name`, `""` for the whole
/// value; an unknown member's path ends with its name); for a missing
/// member, which serde reports at its parent, the parent's path and the
/// member's name (`reason`, `review_incentive.amount`). The message is
/// serde's, after the field.
pub fn shape_error(e: serde_path_to_error::Error<serde_json::Error>) -> ApiError {
    let (path, inner) = (e.path().to_string(), without_type_names(without_position(&e.into_inner().to_string())));
    let missing = ["missing field `", "duplicate field `"].iter().find_map(|p| inner.strip_prefix(p)).and_then(|m| m.split('`').next());
    let parent = path.trim_start_matches('.');
    let field = match missing {
        Some(m) if parent.is_empty() => m.to_owned(),
        Some(m) => format!("{parent}.{m}"),
        None => parent.to_owned(),
    };
    let message = if field.is_empty() { inner } else { format!("{field}: {inner}") };
    ApiError::field(ErrorCode::ValidationFailed, &field, message)
}

#[cfg(test)]
mod tests {
    #[derive(Debug, serde::Deserialize, serde::Serialize)]
    #[serde(deny_unknown_fields)]
    struct Inner {
        #[allow(dead_code)]
        name: String,
    }

    #[derive(Debug, serde::Deserialize, serde::Serialize)]
    #[serde(rename_all = "snake_case")]
    enum Reason {
        #[allow(dead_code)]
        Spam,
    }

    #[derive(Debug, serde::Deserialize, serde::Serialize)]
    #[serde(deny_unknown_fields)]
    struct Body {
        #[allow(dead_code)]
        rating: u8,
        #[allow(dead_code)]
        #[serde(default)]
        reason: Option<Reason>,
        #[allow(dead_code)]
        #[serde(default)]
        tiers: Vec<Inner>,
    }

    #[test]
    fn a_body_that_is_not_json_is_400_and_one_that_does_not_fit_names_its_field_with_422() {
        let err = |s: &str| from_json::<Body>(s.as_bytes()).unwrap_err();
        for bad in ["{bad", "", "{\"rating\": 5", "{\"rating\": 5} x", "{} {", "{\"rating\": \"5\"} x"] {
            let e = err(bad);
            assert_eq!((e.code, e.field.as_deref()), (ErrorCode::InvalidJson, None), "{bad:?}: {e:?}");
        }
        for (body, field) in [
            ("{}", "rating"),
            ("{\"rating\": \"5\"}", "rating"),
            ("{\"rating\": 300}", "rating"),
            ("{\"rating\": 5, \"stars\": 5}", "stars"),
            ("{\"rating\": 5, \"tiers\": [{\"name\": \"a\"}, {}]}", "tiers[1].name"),
            ("{\"rating\": 5, \"tiers\": [{\"name\": 1}]}", "tiers[0].name"),
            ("{\"rating\": 5, \"tiers\": [{\"name\": \"a\", \"x\": 1}]}", "tiers[0].x"),
            ("[]", ""),
            ("{\"rating\": 5, \"rating\": 4}", "rating"),
            ("{\"rating\": 5, \"tiers\": [[\"a\"]]}", "tiers[0]"),
            // serde_json calls these syntax errors; they are JSON.
            ("{\"rating\": 5, \"reason\": 5}", "reason"),
            ("{\"rating\": 5, \"reason\": \"ham\"}", "reason"),
            ("{\"rating\": 5, \"reason\": [\"spam\"]}", "reason"),
        ] {
            let e = err(body);
            assert_eq!((e.code, e.field.as_deref()), (ErrorCode::ValidationFailed, Some(field)), "{body}: {e:?}");
            assert_eq!(e.status(), 422);
            assert!(!e.message.contains("line 1"), "{body}: {}", e.message);
        }
        assert!(from_json::<Body>(b" {\"rating\": 5} \n").is_ok());
        // Not UTF-8, even inside a string: 400.
        assert_eq!(from_json::<Body>(b"{\"rating\": 5, \"x\": \"\xff\"}").unwrap_err().code, ErrorCode::InvalidJson);
        // An array where the object goes is not read by position.
        for positional in ["[5]", " [5, null, []]", "5", "\"x\"", "null"] {
            let e = err(positional);
            assert_eq!((e.code, e.field.as_deref()), (ErrorCode::ValidationFailed, Some("")), "{positional}: {e:?}");
        }
        assert_eq!(err("{\"rating\": 5, \"reason\": 5}").message, "reason: expected one of its names, as a string");
        assert_eq!(err("{\"rating\": \"5\"}").message, "rating: invalid type: string \"5\", expected a whole number from 0 to 255");
        // A member read with `whole`: the rule's words, not the type's.
        #[derive(Debug, serde::Deserialize, serde::Serialize)]
        struct Rule {
            #[serde(deserialize_with = "super::whole")]
            n: u8,
            #[serde(default, deserialize_with = "super::whole_opt")]
            m: Option<u32>,
        }
        let read = |b: &str| from_json::<Rule>(b.as_bytes()).map(|r| (r.n, r.m));
        assert_eq!(read("{\"n\": 4.0, \"m\": 7}").unwrap(), (4, Some(7)));
        assert_eq!(read("{\"n\": -0.0, \"m\": null}").unwrap(), (0, None));
        assert_eq!(read("{\"n\": 255, \"m\": 4294967295.0}").unwrap(), (255, Some(u32::MAX)));
        for (body, said) in [
            ("{\"n\": 1e300}", "n: invalid value: floating point `1e+300`, expected a smaller whole number"),
            ("{\"n\": 300}", "n: invalid value: integer `300`, expected a smaller whole number"),
            ("{\"n\": -3}", "n: invalid value: integer `-3`, expected a whole number, 0 or more"),
            ("{\"n\": 4, \"m\": -1e300}", "m: invalid value: floating point `-1e+300`, expected a whole number, 0 or more"),
            ("{\"n\": 4, \"m\": 4294967296}", "m: invalid value: integer `4294967296`, expected a smaller whole number"),
            ("{\"n\": 4.5}", "n: invalid value: floating point `4.5`, expected a whole number"),
            ("{\"n\": \"4\"}", "n: invalid type: string \"4\", expected a whole number"),
            ("{\"n\": null}", "n: invalid type: null, expected a whole number"),
            ("{\"n\": 4, \"m\": 0.5}", "m: invalid value: floating point `0.5`, expected a whole number"),
        ] {
            assert_eq!(read(body).unwrap_err().message, said, "{body}");
        }
        // Our type names stay ours.
        let e = err("{\"rating\": 5, \"tiers\": [\"a\"]}");
        assert!(!e.message.contains("Inner") && e.message.contains("an object"), "{e:?}");
        assert_eq!(without_type_names("invalid length 1, expected struct NewTestimonial with 13 elements"), "invalid length 1, expected an object");
        assert_eq!(without_type_names("invalid type: integer `5`, expected enum Reason"), "invalid type: integer `5`, expected one of its names");
        assert_eq!(positional(&serde_json::json!({"a": [["x"]], "b": 1}), &serde_json::json!({"a": [{"n": "x"}], "b": 1})).as_deref(), Some("a[0]"));
        assert_eq!(positional(&serde_json::json!({"a": [{"n": "x"}]}), &serde_json::json!({"a": [{"n": "x"}]})), None);
    }

    #[test]
    fn every_code_round_trips_by_wire_name_and_matches_serde() {
        for c in super::ErrorCode::ALL {
            assert_eq!(super::ErrorCode::from_wire(c.as_str()), Some(c));
            assert_eq!(serde_json::to_string(&c).unwrap(), format!("\"{}\"", c.as_str()));
        }
        assert_eq!(super::ErrorCode::from_wire("nope"), None);
    }

    use super::*;

    const ALL: [ErrorCode; 20] = [
        ErrorCode::IdentityInvalid,
        ErrorCode::IdentityExpired,
        ErrorCode::AlreadyVoted,
        ErrorCode::BadRequest,
        ErrorCode::InvalidJson,
        ErrorCode::ValidationFailed,
        ErrorCode::Unauthorized,
        ErrorCode::Forbidden,
        ErrorCode::OriginNotAllowed,
        ErrorCode::RouteNotFound,
        ErrorCode::MethodNotAllowed,
        ErrorCode::BrandNotFound,
        ErrorCode::ProductNotFound,
        ErrorCode::NotFound,
        ErrorCode::Conflict,
        ErrorCode::PayloadTooLarge,
        ErrorCode::UnsupportedMediaType,
        ErrorCode::RateLimited,
        ErrorCode::Unavailable,
        ErrorCode::Internal,
    ];

    #[test]
    fn wire_name_matches_serde_name() {
        for code in ALL {
            let json = serde_json::to_string(&code).unwrap();
            assert_eq!(json, format!("\"{}\"", code.as_str()));
        }
    }

    #[test]
    fn only_internal_is_a_5xx_besides_unavailable() {
        for code in ALL {
            let s = code.status();
            assert!((400..600).contains(&s));
            if s >= 500 {
                assert!(matches!(code, ErrorCode::Internal | ErrorCode::Unavailable), "{code}");
            }
        }
    }

    #[test]
    fn envelope_shape() {
        let body = ApiError::new(ErrorCode::BrandNotFound, "no brand 'x'").into_body();
        let v: serde_json::Value = serde_json::to_value(&body).unwrap();
        assert_eq!(v["error"]["code"], "brand_not_found");
        assert_eq!(v["error"]["message"], "no brand 'x'");
        assert!(v["error"].get("field").is_none());
    }
}
