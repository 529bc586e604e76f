//! The site's data files (`data/`): typed, with the position of every value
//! that validation may have to point at.

mod chart;
mod date;
pub mod geo;
pub mod load;
mod parsed;
mod people;
mod site_config;
mod spanned;
mod stats;
mod team;
mod vocab;
pub mod yaml;

use std::collections::BTreeMap;

pub use spanned::{Location, Spanned};

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

/// `#[serde(with)]` for a file's `private` mapping: never written in a
/// human-readable form (JSON reaches the site: an empty mapping stands in
/// for it); in the parsed files' cache, as
/// JSON text, since its binary form cannot hold a value of any shape.
pub mod private_field {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::Private;

    pub fn serialize<S: Serializer>(private: &Private, serializer: S) -> Result<S::Ok, S::Error> {
        if serializer.is_human_readable() {
            return Private::new().serialize(serializer);
        }
        serde_json::to_string(private)
            .map_err(serde::ser::Error::custom)?
            .serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Private, D::Error> {
        if deserializer.is_human_readable() {
            return Private::deserialize(deserializer);
        }
        let text = String::deserialize(deserializer)?;
        serde_json::from_str(&text).map_err(serde::de::Error::custom)
    }
}

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
pub fn unlocated<T>(value: T) -> Spanned<T> {
    Spanned::unlocated(value)
}

/// `#[serde(default = "zero")]` for counts a file may leave out.
pub fn zero() -> Spanned<i64> {
    unlocated(0)
}
