//! msp-site: a static site generator for a federation of multi-professional
//! health centres (MSP).
//!
//! The pipeline runs in stages, one module each:
//! [`data`] and [`content`] load the site's files with positions kept for
//! errors, [`validate`] cross-checks them, [`model`] joins them into what
//! pages show, [`render`] turns the model into files, and [`output`] writes
//! them atomically. [`site`] drives the stages for the command line;
//! [`fingerprint`] lets it skip them all when nothing changed since the last
//! build.

pub mod aside;
pub mod check;
pub mod content;
pub mod data;
pub mod diagnostics;
pub mod fast_hash;
pub mod fingerprint;
pub mod infographic;
mod kept;
pub mod model;
pub mod new;
pub mod output;
pub mod render;
pub mod serve;
pub mod site;
mod stat_at;
mod stopwatch;
pub mod suggest;
pub mod validate;
mod value_hash;

pub use diagnostics::{Diagnostic, Diagnostics, Error};
pub use site::{BuildOptions, BuildReport, Site, build, check};
