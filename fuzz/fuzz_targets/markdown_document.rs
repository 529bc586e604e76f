//! Markdown files, fuzzed in a whole site: front matter, body, shortcodes,
//! links. The first byte chooses the kind of page, the rest is its content.
#![no_main]

#[path = "harness.rs"]
mod harness;

const FILES: &[&str] = &[
    "content/outils/guide-rcp.md",
    "content/actualites/journee-regionale.md",
    "content/offres/coordinateur-alpha.md",
    "content/enquete.md",
    "content/_index.md",
];

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::check_one_of(FILES, data));
