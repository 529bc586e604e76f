//! Local groups (`data/groups.yaml`) and people (`data/people.yaml`).

use super::Spanned;
use serde::{Deserialize, Serialize};

use super::Private;

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    pub id: Spanned<String>,
    pub name: String,
    pub department: Spanned<String>,
    #[serde(default)]
    pub referents: Vec<Spanned<String>>,
    #[serde(default)]
    pub teams: Vec<Spanned<String>>,
    #[serde(default, with = "super::private_field")]
    pub private: Private,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PersonKind {
    Staff,
    Board,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    pub id: Spanned<String>,
    pub name: String,
    pub kind: PersonKind,
    #[serde(default)]
    pub role: Option<String>,
    #[serde(default)]
    pub email: Option<Spanned<String>>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub team: Option<Spanned<String>>,
    #[serde(default, with = "super::private_field")]
    pub private: Private,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Action {
    pub title: String,
    pub kind: Spanned<String>,
    pub date: Spanned<super::Date>,
    #[serde(default = "super::zero")]
    pub participants: Spanned<i64>,
    #[serde(default)]
    pub teams: Option<Spanned<i64>>,
    #[serde(default)]
    pub department: Option<Spanned<String>>,
    #[serde(default)]
    pub group: Option<Spanned<String>>,
    #[serde(default)]
    pub partners: Vec<String>,
    #[serde(default)]
    pub new: bool,
}
