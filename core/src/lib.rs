//! kindred-core: the vocabulary shared by the widget and the edge.
//!
//! Everything here is pure (no I/O) and compiles for native and `wasm32`, so a
//! rule (what a valid brand id is, which origin may call the API, what an error
//! looks like on the wire) lives in one place and both sides call it.

pub mod analytics;
pub mod api;
pub mod aspects;
pub mod assets;
pub mod auth;
pub mod brand;
pub mod card;
pub mod community;
pub mod consent;
pub mod context;
pub mod disclosure;
pub mod edit;
pub mod email;
pub mod error;
pub mod export;
pub mod i18n;
pub mod ids;
pub mod import;
pub mod incentive;
pub mod limits;
pub mod moderation;
pub mod origin;
#[cfg(feature = "openapi")]
pub mod openapi;
pub mod page;
pub mod photo;
pub mod privacy;
pub mod referral;
pub mod reply;
pub mod review_request;
pub mod session;
pub mod sql;
pub mod syndication;
pub mod time;
pub mod webhook;
pub mod testimonial;
pub mod text;
pub mod widget;

pub use error::{ApiError, ErrorBody, ErrorCode};
pub use ids::{BrandId, ProductId};
pub use origin::Origin;
