//! `GET /healthz`: a constant answer that touches no storage. Load balancers
//! use it, and benchmarks use it as the baseline for every other route.

use crate::http::raw_json;
use worker::Response;

pub fn get() -> Response {
    raw_json(200, br#"{"ok":true,"service":"kindred-edge"}"#.to_vec())
}
