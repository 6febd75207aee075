//! The project's own set-up and orchestration: installs pinned tools into
//! git-ignored folders, builds the widget and the edge, runs the local edge
//! (workerd via `wrangler dev --local`) and the demo storefront, and runs the
//! tests against them.

pub mod bench;
pub mod bench_report;
pub mod bench_scale;
pub mod build;
pub mod edge;
pub mod fuzz;
pub mod isso;
pub mod seed;
pub mod site;
pub mod tasks;
pub mod tools;
pub mod util;

pub use util::{Error, Result};
