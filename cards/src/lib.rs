//! kindred-cards: draws a testimonial's share card (1200x630 PNG) for the
//! edge. A second Worker, reached only through the edge's `CARDS` service
//! binding (it has no route and no `workers.dev` address), because its
//! fonts and text engine do not fit in the edge's size budget
//! (`kindred_core::card` says what a card holds and why it is separate).
//!
//! `POST /render` with a [`kindred_core::card::Card`] as JSON answers
//! `200 image/png`; a body that is not a card answers `422` with Kindred's
//! JSON error. Nothing is stored: the edge checks publication and consent
//! before every call and caches the result.

pub mod render;

#[cfg(target_arch = "wasm32")]
mod worker_entry;
