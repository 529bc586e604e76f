//! The site's data files (`data/`): typed, with the position of every value
//! that validation may have to point at.

mod chart;
mod date;
pub mod geo;
pub mod load;
mod people;
mod site_config;
mod stats;
mod team;
mod vocab;
pub mod yaml;

use std::collections::BTreeMap;

pub use chart::{Chart, ChartKind, ChartValues, Series, parse_csv};
pub use date::Date;
pub use load::{ChartFile, Data, load_data};
pub use people::{Action, Group, Person, PersonKind};
pub use site_config::{Colors, Contact, Department, Figure, Region, SiteConfig};
pub use stats::ToolViews;
pub use team::{Coordinator, Headcounts, Status, Team, TeamActions, TeamFile};
pub use vocab::{Term, Vocabulary};
pub use yaml::Source;

/// Values that must never reach the published site (DESIGN.md, "Private data").
pub type Private = BTreeMap<String, serde_json::Value>;

/// Every scalar of a private mapping, as text, for the leak check.
pub fn private_values(private: &Private) -> Vec<String> {
    fn collect(value: &serde_json::Value, out: &mut Vec<String>) {
        match value {
            serde_json::Value::String(text) => out.push(text.clone()),
            serde_json::Value::Number(number) => out.push(number.to_string()),
            serde_json::Value::Array(items) => items.iter().for_each(|item| collect(item, out)),
            serde_json::Value::Object(map) => map.values().for_each(|item| collect(item, out)),
            serde_json::Value::Bool(_) | serde_json::Value::Null => {}
        }
    }
    let mut out = Vec::new();
    private.values().for_each(|value| collect(value, &mut out));
    out
}

/// A value with no position in any file (a default the user did not write).
pub fn unlocated<T>(value: T) -> serde_saphyr::Spanned<T> {
    serde_saphyr::Spanned::new(
        value,
        serde_saphyr::Location::UNKNOWN,
        serde_saphyr::Location::UNKNOWN,
    )
}

/// `#[serde(default = "zero")]` for counts a file may leave out.
pub fn zero() -> serde_saphyr::Spanned<i64> {
    unlocated(0)
}
