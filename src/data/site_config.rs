//! `data/site.yaml`: the site's identity, region and key figures.

use super::Spanned;
use serde::{Deserialize, Serialize};

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
    #[serde(default)]
    pub build: BuildSettings,
}

/// What the build makes besides the pages; everything by default.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct BuildSettings {
    /// A 1200 × 630 picture per team, tool and news item, for `og:image`
    /// (a national site's cards weigh hundreds of megabytes).
    #[serde(default = "yes")]
    pub social_cards: bool,
    /// The toolbox's search index (Pagefind) and its search box.
    #[serde(default = "yes")]
    pub search: bool,
}

impl Default for BuildSettings {
    fn default() -> Self {
        BuildSettings {
            social_cards: true,
            search: true,
        }
    }
}

fn yes() -> bool {
    true
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
