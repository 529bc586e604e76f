//! Every kind of data file, fuzzed in a whole site: the first byte chooses
//! the file, the rest is its content.
#![no_main]

#[path = "harness.rs"]
mod harness;

const FILES: &[&str] = &[
    "data/site.yaml",
    "data/teams/msp-alpha.yaml",
    "data/groups.yaml",
    "data/people.yaml",
    "data/actions.yaml",
    "data/professions.yaml",
    "data/themes.yaml",
    "data/tool-types.yaml",
    "data/action-kinds.yaml",
    "data/charts/statut.yaml",
    "data/charts/tableau.csv",
    "data/stats.yaml",
    "data/geo/departements.geojson",
];

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::check_one_of(FILES, data));
