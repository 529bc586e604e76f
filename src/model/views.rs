//! What templates see: plain, serialisable views of the site, with URLs and
//! labels resolved, so that templates hold no logic beyond layout.

use serde::Serialize;

use crate::data::Date;

#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub id: String,
    pub label: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ConfigView {
    pub title: String,
    pub tagline: String,
    pub base_url: String,
    /// The path part of `base_url`, always ending with `/`: prefix of every link.
    pub base_path: String,
    pub year: i64,
    pub region: String,
    pub population: i64,
    pub departments: Vec<DepartmentView>,
    pub contact: crate::data::Contact,
    pub primary_color: String,
    pub accent_color: String,
    /// `build:` of site.yaml: social cards and the search index are made.
    pub social_cards: bool,
    pub search: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct DepartmentView {
    pub code: String,
    pub name: String,
    pub teams: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct TeamRef {
    pub id: String,
    pub name: String,
    pub city: String,
    pub url: String,
    /// [latitude, longitude], for maps.
    pub coordinates: Option<[f64; 2]>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProfessionCount {
    pub id: String,
    pub label: String,
    pub count: i64,
    pub color: String,
    /// Share of the team's professionals, rounded.
    pub pct: i64,
    /// Length of its bar, in % of the largest profession's.
    pub bar: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct CoordinationView {
    pub count: usize,
    pub hours_per_week: f64,
    pub pacte: usize,
    pub network: usize,
    pub liberal: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct TeamView {
    pub id: String,
    pub url: String,
    pub name: String,
    pub constituted: bool,
    pub status_label: String,
    pub city: String,
    pub department: DepartmentView,
    pub coordinates: Option<[f64; 2]>,
    pub founded: i64,
    pub age: i64,
    pub sites: i64,
    pub aci: bool,
    pub cpts: bool,
    pub signatories: i64,
    pub patients: i64,
    pub professionals: i64,
    pub profession_count: usize,
    pub composition: Vec<ProfessionCount>,
    pub coordination: CoordinationView,
    pub interns: bool,
    pub prevention: Vec<String>,
    pub etp: Vec<String>,
    pub protocols: Vec<String>,
    pub user_involvement: bool,
    pub website: Option<String>,
    pub updated: Date,
    pub groups: Vec<Link>,
    pub offers: Vec<Link>,
    /// The hash of all of the above (`value_hash`), once the view is
    /// complete: it stands for the team in the keys of its page and of its
    /// pictures, so that the view is hashed once rather than once for each
    /// (4 000 views of a few kilobytes on a national site).
    #[serde(skip)]
    pub fingerprint: blake3::Hash,
}

impl TeamView {
    pub fn as_ref(&self) -> TeamRef {
        TeamRef {
            id: self.id.clone(),
            name: self.name.clone(),
            city: self.city.clone(),
            url: self.url.clone(),
            coordinates: self.coordinates,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct PersonView {
    pub id: String,
    pub name: String,
    pub staff: bool,
    pub role: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub team: Option<TeamRef>,
}

#[derive(Debug, Clone, Serialize)]
pub struct KindView {
    pub id: String,
    pub label: String,
    pub plural: String,
    pub color: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ActionView {
    pub title: String,
    pub kind: KindView,
    pub date: Date,
    pub participants: i64,
    pub teams: Option<i64>,
    pub department: Option<String>,
    pub group: Option<Link>,
    pub partners: Vec<String>,
    pub new: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct KindSummary {
    pub kind: KindView,
    pub count: usize,
    pub participants: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct GroupView {
    pub id: String,
    pub url: String,
    pub name: String,
    pub department: DepartmentView,
    pub referents: Vec<PersonView>,
    pub teams: Vec<TeamRef>,
    pub meetings: Vec<ActionView>,
    pub participants: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct AttachmentView {
    pub name: String,
    pub url: String,
    pub label: String,
    pub format: String,
    pub bytes: u64,
    /// "PDF, 1,2 Mo".
    pub description: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ToolRef {
    pub slug: String,
    pub title: String,
    pub url: String,
    pub summary: String,
    pub type_label: String,
    pub date: Date,
    pub views: i64,
}

/// Every field the search index's document (`render::search`) and the
/// tool's page read is serialised: their keys are made of this view's
/// hash. The page's related tools are keyed apart (`render::pages`).
#[derive(Debug, Clone, Serialize)]
pub struct ToolView {
    pub slug: String,
    pub url: String,
    pub title: String,
    pub tool_type: Link,
    pub themes: Vec<Link>,
    pub keywords: Vec<String>,
    /// Each keyword with the toolbox filtered on it (`/outils/?keyword=…`).
    pub keyword_links: Vec<Link>,
    pub date: Date,
    pub summary: String,
    pub attachments: Vec<AttachmentView>,
    pub content: String,
    /// The tools on the same themes, as indexes into the site's tools:
    /// the tool's page shows them as `ToolRef`s (`render::pages`), made
    /// only when it is rendered, and its key is made of their hashes.
    #[serde(skip)]
    pub related: Vec<usize>,
    pub new: bool,
    /// Views over the year, from `data/stats.yaml`; 0 when not counted.
    pub views: i64,
}

impl ToolView {
    pub fn as_ref(&self) -> ToolRef {
        ToolRef {
            slug: self.slug.clone(),
            title: self.title.clone(),
            url: self.url.clone(),
            summary: self.summary.clone(),
            type_label: self.tool_type.label.clone(),
            date: self.date,
            views: self.views,
        }
    }
}

/// A theme or a tool type with its tools.
#[derive(Debug, Clone, Serialize)]
pub struct TaxonomyView {
    pub id: String,
    pub label: String,
    pub plural: String,
    pub url: String,
    pub count: usize,
    /// Indexes into the site's tools, newest first.
    #[serde(skip)]
    pub tools: Vec<usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct NewsView {
    pub slug: String,
    pub url: String,
    pub title: String,
    pub date: Date,
    pub summary: String,
    pub content: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct OfferView {
    pub slug: String,
    pub url: String,
    pub title: String,
    pub team: TeamRef,
    pub position: String,
    pub date: Option<Date>,
    pub expires: Date,
    pub summary: String,
    pub content: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PageView {
    pub slug: String,
    pub url: String,
    pub title: String,
    pub summary: String,
    pub content: String,
    pub menu: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct KeyFigure {
    pub value: f64,
    pub label: String,
    pub url: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct KeyFigureSection {
    pub title: String,
    pub figures: Vec<KeyFigure>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MenuItem {
    pub label: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct HomeView {
    pub title: String,
    pub summary: String,
    pub content: String,
}
