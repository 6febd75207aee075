//! Every failure becomes `{"error":{"code","message"}}` with the status its
//! code maps to (core's `ErrorCode`). Internal causes are logged, never sent.

use kindred_core::{ApiError, ErrorCode};
use worker::{console_error, Response};

/// A failure while answering a request.
#[derive(Debug)]
pub enum EdgeError {
    /// The client's fault or a known state (404, 422, 429...): sent as is.
    Api(ApiError),
    /// A dependency failed (D1, KV): logged, answered with a generic code.
    Dependency { code: ErrorCode, context: &'static str, detail: String },
    /// Too many writes: 429 with `Retry-After` (seconds).
    RateLimited { retry_after: u64 },
    /// The path is routed, not for this method: 405 with `Allow`.
    MethodNotAllowed { allow: String },
}

pub type EdgeResult<T> = Result<T, EdgeError>;

impl EdgeError {
    pub fn api(code: ErrorCode, message: impl Into<String>) -> Self {
        Self::Api(ApiError::new(code, message))
    }

    /// D1 is the truth: if it fails we cannot answer, but the client may retry.
    pub fn store(context: &'static str, err: impl std::fmt::Display) -> Self {
        Self::Dependency { code: ErrorCode::Unavailable, context, detail: err.to_string() }
    }

    /// A fault in our own code or platform glue.
    pub fn internal(context: &'static str, err: impl std::fmt::Display) -> Self {
        Self::Dependency { code: ErrorCode::Internal, context, detail: err.to_string() }
    }

    pub fn into_api_error(self) -> ApiError {
        match self {
            Self::Api(e) => e,
            Self::RateLimited { retry_after } => ApiError::new(
                ErrorCode::RateLimited,
                format!("too many requests; try again in {retry_after} s"),
            ),
            Self::MethodNotAllowed { allow } => {
                ApiError::new(ErrorCode::MethodNotAllowed, format!("this route does not accept that method; it accepts {allow}"))
            }
            Self::Dependency { code, context, detail } => {
                console_error!("{context}: {detail}");
                let message = match code {
                    ErrorCode::Unavailable => "the service is briefly unavailable, please retry",
                    _ => "something went wrong on our side",
                };
                ApiError::new(code, message)
            }
        }
    }

    pub fn into_response(self) -> Response {
        let (retry_after, allow) = match &self {
            Self::RateLimited { retry_after } => (Some(*retry_after), None),
            Self::MethodNotAllowed { allow } => (None, Some(allow.clone())),
            _ => (None, None),
        };
        let err = self.into_api_error();
        let status = err.status();
        let mut resp = crate::http::json_response(status, &err.into_body());
        crate::http::set_header(&mut resp, "cache-control", "no-store");
        if let Some(s) = retry_after {
            crate::http::set_header(&mut resp, "retry-after", &s.to_string());
        }
        if let Some(a) = allow {
            crate::http::set_header(&mut resp, "allow", &a);
        }
        resp
    }
}

/// A platform call that failed (D1, KV, R2, Queues) and was passed up with
/// `?`: logged, answered `unavailable` (503, the client may retry), never a
/// 500 for something the client sent.
impl From<worker::Error> for EdgeError {
    fn from(e: worker::Error) -> Self {
        Self::store("platform", e)
    }
}

impl From<ApiError> for EdgeError {
    fn from(e: ApiError) -> Self {
        Self::Api(e)
    }
}
