//! The site's Markdown files (`content/`): front matter and body.

pub mod front_matter;
pub mod links;
pub mod load;
pub mod shortcodes;

pub use load::{Content, load_content};

use crate::data::Spanned;
use serde::{Deserialize, Serialize};

use crate::data::{Date, Source};
use shortcodes::Shortcode;

/// A Markdown file: its slug, where it is, its body with shortcodes taken out.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Document<M> {
    pub slug: String,
    pub source: Source,
    /// Absolute path of the `.md` file.
    pub path: std::path::PathBuf,
    pub meta: M,
    /// Markdown with shortcodes replaced by placeholders.
    pub body: String,
    pub shortcodes: Vec<Shortcode>,
}

/// `content/outils/<slug>.md`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ToolMeta {
    pub title: String,
    #[serde(rename = "type")]
    pub tool_type: Spanned<String>,
    #[serde(default)]
    pub themes: Vec<Spanned<String>>,
    #[serde(default)]
    pub keywords: Vec<String>,
    pub date: Spanned<Date>,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub attachments: Vec<AttachmentMeta>,
    #[serde(default)]
    pub draft: bool,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AttachmentMeta {
    pub file: Spanned<String>,
    #[serde(default)]
    pub label: Option<String>,
}

/// `content/actualites/<slug>.md`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct NewsMeta {
    pub title: String,
    pub date: Spanned<Date>,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub draft: bool,
}

/// `content/offres/<slug>.md`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct OfferMeta {
    pub title: String,
    pub team: Spanned<String>,
    pub position: String,
    #[serde(default)]
    pub date: Option<Spanned<Date>>,
    pub expires: Spanned<Date>,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub draft: bool,
}

/// `content/<slug>.md`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PageMeta {
    pub title: String,
    #[serde(default)]
    pub summary: String,
    /// Position in the main menu; pages without one are not in the menu.
    #[serde(default)]
    pub menu: Option<i64>,
    #[serde(default)]
    pub draft: bool,
}

/// `content/_index.md`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct HomeMeta {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub summary: String,
}

pub type Tool = Document<ToolMeta>;
pub type News = Document<NewsMeta>;
pub type Offer = Document<OfferMeta>;
pub type Page = Document<PageMeta>;
pub type Home = Document<HomeMeta>;
