//! Every HTML page of the site: which template, at which path, with which
//! values. Pages are rendered in parallel.

use rayon::prelude::*;
use serde::Serialize;
use std::sync::Arc;
use tera::Context;

use super::tool_keys::ToolKeys;
use super::{FileContents, OutputFile, Renderer};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::SiteModel;
use crate::model::views::{TaxonomyView, ToolRef};
use crate::output::PreviousOutput;

/// What every template knows of the page it renders.
#[derive(Debug, Clone, Serialize)]
pub struct PageInfo {
    pub title: String,
    pub description: String,
    /// Path below the base, e.g. `equipes/x/`.
    pub path: String,
    /// Absolute address, for `<link rel="canonical">` and social cards.
    pub permalink: String,
    /// Top folder, to mark the menu entry of the current section.
    pub section: String,
    /// Absolute address of the page's social card, if it has one.
    pub image: Option<String>,
}

/// A value given to a template, put into its context only when the page is
/// rendered: most pages of a rebuild are not, and building a context costs
/// as much as hashing the values.
type ContextValue<'a> = Box<dyn Fn(&mut Context) + Send + Sync + 'a>;

/// A page to render: template, output path, values.
struct PageJob<'a> {
    template: &'static str,
    output: String,
    info: PageInfo,
    values: Vec<ContextValue<'a>>,
    /// BLAKE3 of the template's name and every value given to it, each
    /// value hashed with the key so far: two jobs with the same key render
    /// the same HTML (with the same renderer). A hasher weighs 2 kB: kept
    /// in each of 16 000 jobs, they were 32 MB to fault in and move about.
    key: blake3::Hash,
}

/// Pages already rendered, by key: `serve` keeps it from one rebuild to the
/// next, so that a page whose values did not change is not rendered again.
#[derive(Default)]
pub struct PageMemo {
    pages: std::sync::Mutex<std::collections::HashMap<blake3::Hash, Arc<str>>>,
    /// Pages rendered (not found in the memo) by the last call, for tests.
    pub rendered: std::sync::Mutex<Vec<String>>,
}

impl<'a> PageJob<'a> {
    fn new(
        model: &SiteModel,
        template: &'static str,
        path: &str,
        title: &str,
        description: &str,
    ) -> PageJob<'a> {
        let info = PageInfo {
            title: title.to_string(),
            description: description.to_string(),
            path: path.to_string(),
            permalink: format!("{}/{}", model.config.base_url, path),
            section: path.split('/').next().unwrap_or_default().to_string(),
            image: None,
        };
        let key = blake3::hash(template.as_bytes());
        let output = if path.is_empty() {
            "index.html".to_string()
        } else if path.ends_with(".html") {
            path.to_string()
        } else {
            format!("{path}index.html")
        };
        PageJob {
            template,
            output,
            info,
            values: Vec::new(),
            key,
        }
    }

    /// Gives the page the social card written beside it, for `og:image`.
    fn with_card(mut self, model: &SiteModel) -> PageJob<'a> {
        if !model.config.social_cards {
            return self;
        }
        self.info.image = Some(format!(
            "{}/{}social.png",
            model.config.base_url, self.info.path
        ));
        self
    }

    /// Gives the template `value` under `key`: a reference to the model, or
    /// a value made for this page.
    fn with<T: Serialize + Send + Sync + 'a>(mut self, key: &'static str, value: T) -> PageJob<'a> {
        let mut hasher = self.key_then(key);
        crate::value_hash::hash_value(&mut hasher, &value);
        self.key = hasher.finalize();
        self.values
            .push(Box::new(move |context| context.insert(key, &value)));
        self
    }

    /// Gives the template under `key` the value `make` returns, made only
    /// if the page is rendered; `fingerprint`, which must change whenever
    /// that value does, stands for it in the page's key.
    fn with_made<T: Serialize>(
        mut self,
        key: &'static str,
        fingerprint: &str,
        make: impl Fn() -> T + Send + Sync + 'a,
    ) -> PageJob<'a> {
        // No value's bytes start with `#` (`value_hash`): a fingerprint is
        // never taken for a value.
        let mut hasher = self.key_then(key);
        hasher.update(b"#").update(fingerprint.as_bytes());
        self.key = hasher.finalize();
        self.values
            .push(Box::new(move |context| context.insert(key, &make())));
        self
    }

    /// A hasher fed the key so far and the name of the next value.
    fn key_then(&self, name: &str) -> blake3::Hasher {
        let mut hasher = blake3::Hasher::new();
        hasher.update(self.key.as_bytes());
        hasher.update(name.as_bytes()).update(&[0]);
        hasher
    }

    /// The page's key: its values' and its own information's, with the
    /// renderer's and the program's.
    fn final_key(&self, renderer: &Renderer, program: &str) -> blake3::Hash {
        let mut hasher = self.key_then("page");
        crate::value_hash::hash_value(&mut hasher, &self.info);
        hasher
            .update(renderer.fingerprint.as_bytes())
            .update(program.as_bytes());
        hasher.finalize()
    }

    /// The template's context: every value, and the page's own information.
    fn context(&self) -> Context {
        let mut context = Context::new();
        for value in &self.values {
            value(&mut context);
        }
        context.insert("page", &self.info);
        context
    }
}

fn tool_refs(model: &SiteModel, indexes: &[usize]) -> Vec<ToolRef> {
    indexes.iter().map(|&i| model.tools[i].as_ref()).collect()
}

/// Region figures with labels for display.
#[derive(Serialize)]
struct LabelledShare {
    id: String,
    label: String,
    count: i64,
    pct: i64,
    /// Length of its bar, in % of the first one's.
    bar: i64,
}

fn home_jobs(model: &SiteModel) -> Vec<PageJob<'_>> {
    let latest_news: Vec<_> = model.news.iter().take(3).collect();
    vec![
        PageJob::new(
            model,
            "index.html",
            "",
            &model.home.title,
            &model.home.summary,
        )
        .with("home", &model.home)
        .with("key_figures", &model.key_figures)
        .with("news", latest_news)
        .with("offers", model.offers.len())
        .with("year", model.config.year),
        PageJob::new(
            model,
            "404.html",
            "404.html",
            "Page introuvable",
            "Cette page n'existe pas ou a été déplacée.",
        ),
    ]
}

/// A department of the teams' page, with the teams it lists.
#[derive(Serialize)]
struct DepartmentSection<'a> {
    code: &'a str,
    name: &'a str,
    /// How many teams the department has, as the region's figures count them.
    teams: i64,
    listed: Vec<ListedTeam<'a>>,
}

/// What the teams' page shows of a team: the listing changes, and is
/// rendered again, only when one of these does, not with a team's figures.
#[derive(Serialize)]
struct ListedTeam<'a> {
    url: &'a str,
    name: &'a str,
    city: &'a str,
    constituted: bool,
}

/// The teams of each department, in the model's order: grouped here once,
/// not by the template looping over every team for every department.
fn department_sections(model: &SiteModel) -> Vec<DepartmentSection<'_>> {
    let mut sections: Vec<DepartmentSection> = model
        .config
        .departments
        .iter()
        .map(|department| DepartmentSection {
            code: &department.code,
            name: &department.name,
            teams: department.teams,
            listed: Vec::new(),
        })
        .collect();
    let index: std::collections::HashMap<&str, usize> = sections
        .iter()
        .enumerate()
        .map(|(at, section)| (section.code, at))
        .collect();
    for team in &model.teams {
        if let Some(&at) = index.get(team.department.code.as_str()) {
            sections[at].listed.push(ListedTeam {
                url: &team.url,
                name: &team.name,
                city: &team.city,
                constituted: team.constituted,
            });
        }
    }
    sections
}

fn team_jobs(model: &SiteModel) -> Vec<PageJob<'_>> {
    let mut jobs = vec![
        PageJob::new(
            model,
            "teams.html",
            "equipes/",
            "Les équipes",
            &format!(
                "Les {} équipes de soins primaires adhérentes en {}, par département.",
                model.teams.len(),
                model.config.region
            ),
        )
        .with("team_count", model.teams.len())
        .with("departments", department_sections(model))
        .with("map", &model.teams_map),
    ];
    jobs.par_extend(model.teams.par_iter().map(|team| {
        let description = format!(
            "{} à {} ({}) : {} professionnels de santé, {} professions.",
            team.name, team.city, team.department.name, team.professionals, team.profession_count
        );
        PageJob::new(
            model,
            "team.html",
            &format!("equipes/{}/", team.id),
            &team.name,
            &description,
        )
        .with_made("team", &team.fingerprint.to_hex(), move || team)
        .with_card(model)
    }));
    jobs
}

fn region_jobs(model: &SiteModel) -> Vec<PageJob<'_>> {
    let label = |id: &str| {
        model
            .professions
            .iter()
            .find(|(pid, _, _)| pid == id)
            .map_or(id.to_string(), |(_, label, _)| label.clone())
    };
    let largest = model
        .region
        .top_professions
        .first()
        .map_or(1, |s| s.count.max(1));
    let top: Vec<LabelledShare> = model
        .region
        .top_professions
        .iter()
        .map(|share| LabelledShare {
            label: label(&share.id),
            id: share.id.clone(),
            count: share.count,
            pct: share.pct,
            bar: crate::model::region::percentage(share.count, largest),
        })
        .collect();
    vec![
        PageJob::new(
            model,
            "region.html",
            "region/",
            &format!("Scan'équipe régional {}", model.config.year),
            &format!(
                "Les chiffres clés des {} MSP adhérentes en {} en {}.",
                model.region.teams.constituted, model.config.region, model.config.year
            ),
        )
        .with("region", &model.region)
        .with("top_professions", top)
        .with("departments", &model.config.departments),
    ]
}

fn network_jobs(model: &SiteModel) -> Vec<PageJob<'_>> {
    let mut jobs = vec![
        PageJob::new(
            model,
            "groups.html",
            "reseau/",
            "Le réseau des coordinateurs",
            "Les groupes locaux du réseau des coordinateurs de MSP, leurs équipes et leurs référents.",
        )
        .with("groups", &model.groups),
    ];
    jobs.extend(model.groups.iter().map(|group| {
        let description = format!(
            "{} ({}) : {} équipes, {} rencontres.",
            group.name,
            group.department.name,
            group.teams.len(),
            group.meetings.len()
        );
        PageJob::new(
            model,
            "group.html",
            &format!("reseau/{}/", group.id),
            &group.name,
            &description,
        )
        .with("group", group)
    }));
    jobs
}

fn taxonomy_job<'a>(
    model: &'a SiteModel,
    tool_keys: &ToolKeys,
    kind: &'static str,
    prefix: &str,
    term: &'a TaxonomyView,
) -> PageJob<'a> {
    let description = format!(
        "{} outils de la boîte à outils : {}.",
        term.count, term.label
    );
    PageJob::new(
        model,
        "taxonomy.html",
        &format!("{prefix}/{}/", term.id),
        &term.label,
        &description,
    )
    .with("term", term)
    .with("kind", kind)
    .with_made(
        "tools",
        &tool_keys.of_listing(term.tools.iter().copied()),
        move || tool_refs(model, &term.tools),
    )
}

/// How many tools the "most consulted" section shows.
const MOST_VIEWED: usize = 6;

/// A keyword of the toolbox and how many tools carry it.
#[derive(serde::Serialize)]
struct KeywordCount<'a> {
    label: &'a str,
    count: usize,
}

/// Every keyword of the published tools, in French alphabetical order.
fn keyword_counts(model: &SiteModel) -> Vec<KeywordCount<'_>> {
    let mut counts: std::collections::BTreeMap<(String, &str), usize> = Default::default();
    for tool in &model.tools {
        for keyword in &tool.keywords {
            *counts
                .entry((crate::model::collation_key(keyword), keyword.as_str()))
                .or_default() += 1;
        }
    }
    counts
        .into_iter()
        .map(|((_, label), count)| KeywordCount { label, count })
        .collect()
}

/// The tools most consulted according to `data/stats.yaml`.
fn most_viewed(model: &SiteModel) -> Vec<ToolRef> {
    let mut viewed: Vec<&crate::model::views::ToolView> =
        model.tools.iter().filter(|t| t.views > 0).collect();
    viewed.sort_by(|a, b| b.views.cmp(&a.views).then_with(|| a.slug.cmp(&b.slug)));
    viewed
        .into_iter()
        .take(MOST_VIEWED)
        .map(|t| t.as_ref())
        .collect()
}

/// A tool as its page shows it: its view, and its related tools' refs
/// (the view holds only their indexes).
#[derive(Serialize)]
struct ToolPage<'a> {
    #[serde(flatten)]
    tool: &'a crate::model::views::ToolView,
    related: Vec<ToolRef>,
}

fn toolbox_jobs<'a>(model: &'a SiteModel, tool_keys: &ToolKeys) -> Vec<PageJob<'a>> {
    let (mut jobs, tool_pages) = rayon::join(
        || {
            let mut jobs = vec![toolbox_job(model, tool_keys)];
            let themes = model.themes.par_iter();
            let types = model.tool_types.par_iter();
            jobs.par_extend(
                themes.map(|term| taxonomy_job(model, tool_keys, "theme", "outils/themes", term)),
            );
            jobs.par_extend(
                types.map(|term| taxonomy_job(model, tool_keys, "type", "outils/types", term)),
            );
            jobs
        },
        || {
            model
                .tools
                .par_iter()
                .zip(&tool_keys.views)
                .map(|(tool, key)| {
                    let related = tool_keys.of_listing(tool.related.iter().copied());
                    PageJob::new(
                        model,
                        "tool.html",
                        &format!("outils/{}/", tool.slug),
                        &tool.title,
                        &tool.summary,
                    )
                    .with_made("tool", &format!("{}{related}", key.to_hex()), move || {
                        ToolPage {
                            tool,
                            related: tool_refs(model, &tool.related),
                        }
                    })
                    .with_card(model)
                })
                .collect::<Vec<_>>()
        },
    );
    // The toolbox first, then its tools, then its themes and types: the
    // order of the site's files.
    let taxonomies = jobs.split_off(1);
    jobs.extend(tool_pages);
    jobs.extend(taxonomies);
    jobs
}

/// The toolbox's page, listing every tool.
fn toolbox_job<'a>(model: &'a SiteModel, tool_keys: &ToolKeys) -> PageJob<'a> {
    let new_tools = || model.tools.iter().enumerate().filter(|(_, t)| t.new);
    PageJob::new(
        model,
        "tools.html",
        "outils/",
        "Boîte à outils",
        &format!(
            "{} outils pour les équipes de soins primaires : modèles de documents, fiches pratiques, guides, retours d'expérience.",
            model.tools.len()
        ),
    )
    .with_made(
        "tools",
        &tool_keys.of_listing(0..model.tools.len()),
        move || model.tools.iter().map(|t| t.as_ref()).collect::<Vec<_>>(),
    )
    .with_made(
        "new_tools",
        &tool_keys.of_listing(new_tools().map(|(i, _)| i)),
        move || new_tools().map(|(_, t)| t.as_ref()).collect::<Vec<_>>(),
    )
    .with("most_viewed", most_viewed(model))
    .with("keywords", keyword_counts(model))
    .with("themes", &model.themes)
    .with("types", &model.tool_types)
}

fn editorial_jobs(model: &SiteModel) -> Vec<PageJob<'_>> {
    let total_participants: i64 = model.actions.iter().map(|a| a.participants).sum();
    let mut jobs = vec![
        PageJob::new(
            model,
            "actions.html",
            "actions/",
            &format!("Nos actions en {}", model.config.year),
            &format!(
                "{} actions proposées aux équipes en {}, {} participants.",
                model.actions.len(),
                model.config.year,
                total_participants
            ),
        )
        .with("actions", &model.actions)
        .with("kinds", &model.action_kinds)
        .with("total_participants", total_participants),
        PageJob::new(model, "news_list.html", "actualites/", "Actualités", "Les actualités de la fédération et des équipes.")
            .with("news", &model.news),
        PageJob::new(
            model,
            "offers.html",
            "offres/",
            "Offres d'emploi",
            "Les offres d'emploi des équipes adhérentes : coordination, secrétariat, professionnels de santé.",
        )
        .with("offers", &model.offers),
    ];
    jobs.par_extend(model.news.par_iter().map(|item| {
        PageJob::new(
            model,
            "news.html",
            &format!("actualites/{}/", item.slug),
            &item.title,
            &item.summary,
        )
        .with("item", item)
        .with_card(model)
    }));
    jobs.extend(model.pages.iter().map(|page| {
        PageJob::new(
            model,
            "page.html",
            &format!("{}/", page.slug),
            &page.title,
            &page.summary,
        )
        .with("content_page", page)
    }));
    jobs
}

/// A page that takes longer than this to render is named with the stage
/// times (`MSP_SITE_TIMINGS`): a template looping over every team inside
/// a loop over the departments took 600 ms on a national site.
const SLOW_PAGE: std::time::Duration = std::time::Duration::from_millis(50);

fn report_slow_page(output: &str, took: std::time::Duration) {
    if took >= SLOW_PAGE && std::env::var_os("MSP_SITE_TIMINGS").is_some() {
        eprintln!("[timing] slow page {output}: {} ms", took.as_millis());
    }
}

/// Renders every HTML page, the toolbox's only with its tools' keys
/// (`None`: it is carried over from the last build, `render::toolbox`); all
/// template errors are reported together. A page found in `memo`
/// (`serve`), or in `published` (the output folder of the last build)
/// under the same key, is not rendered again.
pub fn render_pages(
    model: &SiteModel,
    tool_keys: Option<&ToolKeys>,
    renderer: &Renderer,
    memo: Option<&PageMemo>,
    published: Option<&PreviousOutput>,
) -> Result<Vec<OutputFile>, Diagnostics> {
    let toolbox_jobs = || match tool_keys {
        Some(tool_keys) => toolbox_jobs(model, tool_keys),
        None => Vec::new(),
    };
    // Gathering a page's values costs about as much as rendering it: in parallel too.
    let ((mut jobs, teams), (toolbox, editorial)) =
        crate::stopwatch::Stopwatch::time("page values", || {
            rayon::join(
                || rayon::join(|| home_jobs(model), || team_jobs(model)),
                || rayon::join(toolbox_jobs, || editorial_jobs(model)),
            )
        });
    jobs.extend(teams);
    jobs.extend(region_jobs(model));
    jobs.extend(network_jobs(model));
    jobs.extend(toolbox);
    jobs.extend(editorial);
    // Pages of the previous render, read by every thread; the pages of this
    // one replace them at the end (pages no longer produced are dropped).
    let previous = memo
        .and_then(|m| m.pages.lock().ok().map(|mut p| std::mem::take(&mut *p)))
        .unwrap_or_default();
    let fresh: std::sync::Mutex<std::collections::HashMap<blake3::Hash, Arc<str>>> =
        Default::default();
    if let Some(rendered) = memo.and_then(|m| m.rendered.lock().ok()).as_mut() {
        rendered.clear();
    }
    let program = crate::fingerprint::program();
    let results: Vec<Result<OutputFile, Diagnostic>> = jobs
        .into_par_iter()
        .map(|job| {
            let key = job.final_key(renderer, program);
            let page_key = format!("page:{}", key.to_hex());
            if let Some(contents) = published.and_then(|p| p.unchanged_page(&job.output, &page_key))
            {
                return Ok(OutputFile::new(job.output, contents));
            }
            let started = std::time::Instant::now();
            let html = match memo {
                None => renderer.render(job.template, &job.context())?,
                Some(memo) => {
                    let html: Arc<str> = match previous.get(&key) {
                        Some(html) => Arc::clone(html),
                        None => {
                            if let Ok(mut rendered) = memo.rendered.lock() {
                                rendered.push(job.output.clone());
                            }
                            renderer.render(job.template, &job.context())?.into()
                        }
                    };
                    if let Ok(mut fresh) = fresh.lock() {
                        fresh.insert(key, Arc::clone(&html));
                    }
                    html.to_string()
                }
            };
            report_slow_page(&job.output, started.elapsed());
            let contents = FileContents::Page {
                html,
                key: page_key,
            };
            Ok(OutputFile::new(job.output, contents))
        })
        .collect();
    if let (Some(memo), Ok(fresh)) = (memo, fresh.into_inner())
        && let Ok(mut pages) = memo.pages.lock()
    {
        *pages = fresh;
    }
    let mut files = Vec::with_capacity(results.len());
    let mut diagnostics = Diagnostics::new();
    for result in results {
        match result {
            Ok(file) => files.push(file),
            Err(error) => diagnostics.push(error),
        }
    }
    diagnostics.into_result(files)
}
