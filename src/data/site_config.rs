//! `data/site.yaml`: the site's identity, region and key figures.

use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    pub title: String,
    #[serde(default)]
    pub tagline: String,
    pub base_url: Spanned<String>,
    pub year: Spanned<i64>,
    pub region: Region,
    #[serde(default)]
    pub contact: Contact,
    #[serde(default)]
    pub colors: Colors,
    #[serde(default)]
    pub figures: Vec<Figure>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Region {
    pub name: String,
    pub population: Spanned<i64>,
    pub departments: Vec<Department>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Department {
    pub code: Spanned<String>,
    pub name: String,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Colors {
    #[serde(default = "default_primary")]
    pub primary: Spanned<String>,
    #[serde(default = "default_accent")]
    pub accent: Spanned<String>,
}

impl Default for Colors {
    fn default() -> Self {
        Colors {
            primary: default_primary(),
            accent: default_accent(),
        }
    }
}

fn default_primary() -> Spanned<String> {
    super::unlocated("#00727a".to_string())
}

fn default_accent() -> Spanned<String> {
    super::unlocated("#f28c28".to_string())
}

/// A key figure that no data file can compute (site audience, newsletter…).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Figure {
    pub label: String,
    pub value: Spanned<f64>,
    #[serde(default)]
    pub section: Option<String>,
}
