//! A member team (one MSP): `data/teams/<id>.yaml`.

use super::Spanned;
use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

use super::Date;
use super::Private;
use super::yaml::Source;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// A constituted MSP.
    Constituee,
    /// A team with a project of MSP.
    Projet,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Team {
    pub name: String,
    pub status: Status,
    pub city: String,
    pub department: Spanned<String>,
    #[serde(default)]
    pub coordinates: Option<Spanned<[f64; 2]>>,
    pub founded: Spanned<i64>,
    #[serde(default = "one_site")]
    pub sites: Spanned<i64>,
    #[serde(default)]
    pub aci: bool,
    #[serde(default)]
    pub cpts: bool,
    #[serde(default = "super::zero")]
    pub signatories: Spanned<i64>,
    #[serde(default = "super::zero")]
    pub patients: Spanned<i64>,
    #[serde(default)]
    pub professions: Headcounts,
    #[serde(default)]
    pub coordinators: Vec<Coordinator>,
    #[serde(default)]
    pub actions: TeamActions,
    #[serde(default)]
    pub website: Option<Spanned<String>>,
    pub updated: Date,
    #[serde(default, with = "super::private_field")]
    pub private: Private,
}

fn one_site() -> Spanned<i64> {
    super::unlocated(1)
}

/// A team file with its id (the file stem) and where it was read.
#[derive(Debug, Clone)]
pub struct TeamFile {
    pub id: String,
    pub source: Source,
    pub team: Team,
}

impl Team {
    pub fn is_constituted(&self) -> bool {
        self.status == Status::Constituee
    }

    /// Total headcount over all professions.
    pub fn professionals(&self) -> i64 {
        self.professions.iter().map(|(_, count)| count.max(0)).sum()
    }

    /// Number of professions with at least one professional.
    pub fn profession_count(&self) -> usize {
        self.professions
            .iter()
            .filter(|(_, count)| *count > 0)
            .count()
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Coordinator {
    #[serde(default)]
    pub pacte: bool,
    #[serde(default)]
    pub network: bool,
    #[serde(default)]
    pub liberal: bool,
    #[serde(default)]
    pub hours_per_week: Option<Spanned<f64>>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TeamActions {
    #[serde(default)]
    pub interns: bool,
    #[serde(default)]
    pub prevention: Vec<String>,
    #[serde(default)]
    pub etp: Vec<String>,
    #[serde(default)]
    pub protocols: Vec<String>,
    #[serde(default)]
    pub user_involvement: bool,
}

/// Headcount per profession id, in the order of the file, with the position of
/// each id and each count for error messages.
#[derive(Debug, Clone, Default)]
pub struct Headcounts(pub Vec<(Spanned<String>, Spanned<i64>)>);

impl Headcounts {
    /// `(profession id, headcount)` pairs.
    pub fn iter(&self) -> impl Iterator<Item = (&str, i64)> {
        self.0
            .iter()
            .map(|(id, count)| (id.value.as_str(), count.value))
    }
}

impl<'de> Deserialize<'de> for Headcounts {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct HeadcountsVisitor;
        impl<'de> Visitor<'de> for HeadcountsVisitor {
            type Value = Headcounts;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a mapping of profession id to headcount")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Headcounts, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry::<Spanned<String>, Spanned<i64>>()? {
                    entries.push(entry);
                }
                Ok(Headcounts(entries))
            }
        }
        if deserializer.is_human_readable() {
            deserializer.deserialize_map(HeadcountsVisitor)
        } else {
            // The parsed files' cache: the pairs with their places.
            Vec::deserialize(deserializer).map(Headcounts)
        }
    }
}

impl Serialize for Headcounts {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if serializer.is_human_readable() {
            serializer.collect_map(self.iter())
        } else {
            self.0.serialize(serializer)
        }
    }
}
