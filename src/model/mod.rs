//! The site model: data and content joined, checked, sorted, with every URL
//! and label resolved. Rendering reads only this.

pub mod region;
pub mod views;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use rayon::prelude::*;

use crate::content::Content;
use crate::content::load::slugify;
use crate::data::{Data, Date, Team, TeamFile};
use crate::render::{charts, escape, markdown};
use region::RegionFigures;
use views::*;

/// Choices of the command line that change the model.
#[derive(Debug, Clone)]
pub struct ModelOptions {
    /// Overrides `base_url` of site.yaml.
    pub base_url: Option<String>,
    /// Publish drafts too (for previews).
    pub drafts: bool,
    /// The day expired job offers are measured against.
    pub today: Date,
}

/// The whole site, ready to render.
#[derive(Debug, Clone)]
pub struct SiteModel {
    pub config: ConfigView,
    pub teams: Vec<TeamView>,
    pub groups: Vec<GroupView>,
    pub staff: Vec<PersonView>,
    pub board: Vec<PersonView>,
    pub actions: Vec<ActionView>,
    pub action_kinds: Vec<KindSummary>,
    pub tools: Vec<ToolView>,
    pub themes: Vec<TaxonomyView>,
    pub tool_types: Vec<TaxonomyView>,
    pub news: Vec<NewsView>,
    pub offers: Vec<OfferView>,
    pub pages: Vec<PageView>,
    pub home: HomeView,
    pub region: RegionFigures,
    pub key_figures: Vec<KeyFigureSection>,
    pub menu: Vec<MenuItem>,
    /// Files to copy into the output: (absolute source, URL path without base).
    pub attachments: Vec<(std::path::PathBuf, String)>,
    /// Every private value of the data, that no output file may contain.
    pub private_values: Vec<String>,
    /// Each profession of the vocabulary: id, plural label, chart colour.
    pub professions: Vec<(String, String, String)>,
    /// The map of the teams as inline SVG, when the site has department outlines.
    pub teams_map: Option<String>,
    /// Outlines of the site's departments, for the maps of the infographics.
    pub outlines: Vec<crate::data::geo::Outline>,
}

/// Joins URL paths: `url(base, "equipes/x/")`.
pub fn url(base_path: &str, path: &str) -> String {
    format!("{base_path}{}", path.trim_start_matches('/'))
}

/// Sorting key that ignores case and accents, as a French reader sorts.
pub fn collation_key(text: &str) -> String {
    slugify(text)
}

fn base_path_of(base_url: &str) -> String {
    let without_scheme = base_url
        .split_once("://")
        .map_or(base_url, |(_, rest)| rest);
    let path = without_scheme
        .find('/')
        .map_or("/", |i| &without_scheme[i..]);
    let trimmed = path.trim_end_matches('/');
    format!("{trimmed}/")
}

impl SiteModel {
    pub fn build(root: &Path, data: &Data, content: &Content, options: &ModelOptions) -> SiteModel {
        SiteModel::build_keeping(root, data, content, options, None)
    }

    /// `build`, taking from `bodies` the Markdown bodies the last build
    /// rendered from the same text.
    pub fn build_keeping(
        root: &Path,
        data: &Data,
        content: &Content,
        options: &ModelOptions,
        bodies: Option<&markdown::RenderedBodies>,
    ) -> SiteModel {
        let base_url = options
            .base_url
            .clone()
            .unwrap_or_else(|| data.site.base_url.value.clone())
            .trim_end_matches('/')
            .to_string();
        let base_path = base_path_of(&base_url);
        let region = region::region_figures(data);
        let config = config_view(data, &base_url, &base_path, &region);

        let mut teams: Vec<TeamView> = data
            .teams
            .par_iter()
            .map(|file| team_view(data, file, &config))
            .collect();
        teams.sort_by_cached_key(|team| (collation_key(&team.name), team.id.clone()));
        let team_index: HashMap<String, usize> = teams
            .iter()
            .enumerate()
            .map(|(index, team)| (team.id.clone(), index))
            .collect();
        let team_refs: Vec<TeamRef> = teams.iter().map(TeamView::as_ref).collect();
        let team_ref = |id: &str| team_index.get(id).map(|&index| team_refs[index].clone());

        let people: Vec<PersonView> = data
            .people
            .iter()
            .map(|person| PersonView {
                id: person.id.value.clone(),
                name: person.name.clone(),
                staff: person.kind == crate::data::PersonKind::Staff,
                role: person.role.clone().unwrap_or_default(),
                email: person.email.as_ref().map(|e| e.value.clone()),
                phone: person.phone.clone(),
                team: person.team.as_ref().and_then(|t| team_ref(&t.value)),
            })
            .collect();

        let render_body = |body: &str, calls: &[crate::content::shortcodes::Shortcode]| {
            let replacements: Vec<String> = calls
                .iter()
                .map(|call| shortcode_html(data, &people, call))
                .collect();
            match bodies {
                Some(bodies) => bodies.to_html(body, &replacements),
                None => markdown::to_html(body, &replacements),
            }
        };

        let kind_view = |id: &str| {
            let term = data.action_kinds.get(id);
            KindView {
                id: id.to_string(),
                label: term.map_or(id.to_string(), |t| t.label.clone()),
                plural: term.map_or(id.to_string(), |t| t.plural_label().to_string()),
                color: term
                    .and_then(|t| t.color.as_ref().map(|c| c.value.clone()))
                    .unwrap_or_else(|| config.primary_color.clone()),
            }
        };
        let department_name = |code: &str| {
            config
                .departments
                .iter()
                .find(|d| d.code == code)
                .map_or(code.to_string(), |d| d.name.clone())
        };
        let group_link = |id: &str| {
            data.groups.iter().find(|g| g.id.value == id).map(|g| Link {
                id: id.to_string(),
                label: g.name.clone(),
                url: url(&base_path, &format!("reseau/{id}/")),
            })
        };
        let mut actions: Vec<ActionView> = data
            .actions
            .iter()
            .map(|action| ActionView {
                title: action.title.clone(),
                kind: kind_view(&action.kind.value),
                date: action.date.value,
                participants: action.participants.value,
                teams: action.teams.as_ref().map(|t| t.value),
                department: action
                    .department
                    .as_ref()
                    .map(|d| department_name(&d.value)),
                group: action.group.as_ref().and_then(|g| group_link(&g.value)),
                partners: action.partners.clone(),
                new: action.new,
            })
            .collect();
        actions.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.title.cmp(&b.title)));
        let action_kinds = summarise_kinds(data, &actions, &kind_view);

        let mut groups: Vec<GroupView> = data
            .groups
            .iter()
            .map(|group| {
                let id = group.id.value.clone();
                let meetings: Vec<ActionView> = actions
                    .iter()
                    .filter(|a| a.group.as_ref().is_some_and(|g| g.id == id))
                    .cloned()
                    .collect();
                let mut member_teams: Vec<TeamRef> = group
                    .teams
                    .iter()
                    .filter_map(|t| team_ref(&t.value))
                    .collect();
                member_teams.sort_by_cached_key(|t| collation_key(&t.name));
                GroupView {
                    url: url(&base_path, &format!("reseau/{id}/")),
                    name: group.name.clone(),
                    department: department_view(&config, &group.department.value),
                    referents: group
                        .referents
                        .iter()
                        .filter_map(|r| people.iter().find(|p| p.id == r.value).cloned())
                        .collect(),
                    teams: member_teams,
                    participants: meetings.iter().map(|m| m.participants).sum(),
                    meetings,
                    id,
                }
            })
            .collect();
        groups.sort_by(|a, b| {
            a.department
                .code
                .cmp(&b.department.code)
                .then_with(|| a.name.cmp(&b.name))
        });

        let published = |draft: bool| options.drafts || !draft;
        let year = data.site.year.value;
        let views: std::collections::HashMap<&str, i64> = data
            .tool_views
            .iter()
            .map(|entry| (entry.tool.value.as_str(), entry.views.value.max(0)))
            .collect();
        let outlines = site_outlines(data, &config);
        // Each tool's Markdown is rendered here: in parallel, as the loaders
        // read them. The map of the teams, one string drawn on one thread,
        // is drawn meanwhile.
        let (teams_map, (mut tools, attachments)) = rayon::join(
            || teams_map(&outlines, &teams, &config),
            || -> (Vec<ToolView>, Vec<Vec<(std::path::PathBuf, String)>>) {
                content
                    .tools
                    .par_iter()
                    .filter(|tool| published(tool.meta.draft))
                    .map(|tool| {
                        let view =
                            tool_view(root, data, tool, &base_path, year, &views, &render_body);
                        let files = view
                            .attachments
                            .iter()
                            .zip(&tool.meta.attachments)
                            .filter_map(|(attachment, file)| {
                                let path = crate::validate::attachment_path(
                                    root,
                                    &tool.path,
                                    &file.file.value,
                                )
                                .ok()?;
                                Some((
                                    path,
                                    attachment.url.trim_start_matches(&base_path).to_string(),
                                ))
                            })
                            .collect();
                        (view, files)
                    })
                    .unzip()
            },
        );
        let attachments: Vec<(std::path::PathBuf, String)> =
            attachments.into_iter().flatten().collect();
        tools.par_sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.slug.cmp(&b.slug)));
        // Each done on one thread: the three together.
        let (related, (themes, tool_types)) = rayon::join(
            || related_tools(&tools, 4),
            || {
                rayon::join(
                    || {
                        taxonomy(&data.themes, &tools, &base_path, "outils/themes", |tool| {
                            tool.themes.iter().map(|t| t.id.as_str()).collect()
                        })
                    },
                    || {
                        taxonomy(
                            &data.tool_types,
                            &tools,
                            &base_path,
                            "outils/types",
                            |tool| vec![tool.tool_type.id.as_str()],
                        )
                    },
                )
            },
        );
        for (tool, related) in tools.iter_mut().zip(related) {
            tool.related = related;
        }

        let mut news: Vec<NewsView> = content
            .news
            .par_iter()
            .filter(|item| published(item.meta.draft))
            .map(|item| NewsView {
                slug: item.slug.clone(),
                url: url(&base_path, &format!("actualites/{}/", item.slug)),
                title: item.meta.title.clone(),
                date: item.meta.date.value,
                summary: summary_of(&item.meta.summary, &item.body),
                content: render_body(&item.body, &item.shortcodes),
            })
            .collect();
        news.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.slug.cmp(&b.slug)));

        let mut offers: Vec<OfferView> = content
            .offers
            .par_iter()
            .filter(|offer| {
                published(offer.meta.draft) && offer.meta.expires.value >= options.today
            })
            .filter_map(|offer| {
                Some(OfferView {
                    slug: offer.slug.clone(),
                    url: url(&base_path, &format!("offres/#{}", offer.slug)),
                    title: offer.meta.title.clone(),
                    team: team_ref(&offer.meta.team.value)?,
                    position: offer.meta.position.clone(),
                    date: offer.meta.date.as_ref().map(|d| d.value),
                    expires: offer.meta.expires.value,
                    summary: summary_of(&offer.meta.summary, &offer.body),
                    content: render_body(&offer.body, &offer.shortcodes),
                })
            })
            .collect();
        offers.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.slug.cmp(&b.slug)));
        for offer in &offers {
            if let Some(&index) = team_index.get(offer.team.id.as_str()) {
                teams[index].offers.push(Link {
                    id: offer.slug.clone(),
                    label: offer.title.clone(),
                    url: offer.url.clone(),
                });
            }
        }
        for group in &groups {
            for member in &group.teams {
                if let Some(&index) = team_index.get(member.id.as_str()) {
                    teams[index].groups.push(Link {
                        id: group.id.clone(),
                        label: group.name.clone(),
                        url: group.url.clone(),
                    });
                }
            }
        }

        let mut pages: Vec<PageView> = content
            .pages
            .par_iter()
            .filter(|page| published(page.meta.draft))
            .map(|page| PageView {
                slug: page.slug.clone(),
                url: url(&base_path, &format!("{}/", page.slug)),
                title: page.meta.title.clone(),
                summary: summary_of(&page.meta.summary, &page.body),
                content: render_body(&page.body, &page.shortcodes),
                menu: page.meta.menu,
            })
            .collect();
        pages.sort_by(|a, b| a.slug.cmp(&b.slug));

        let home = match &content.home {
            Some(home) => HomeView {
                title: home
                    .meta
                    .title
                    .clone()
                    .unwrap_or_else(|| data.site.title.clone()),
                summary: summary_of(&home.meta.summary, &home.body),
                content: render_body(&home.body, &home.shortcodes),
            },
            None => HomeView {
                title: data.site.title.clone(),
                summary: data.site.tagline.clone(),
                content: String::new(),
            },
        };

        teams
            .par_iter_mut()
            .for_each(|team| team.fingerprint = crate::value_hash::of(team));
        let key_figures = key_figures(data, &region, &actions, &base_path);
        let menu = menu(&base_path, &pages);
        let private_values = collect_private_values(data);

        SiteModel {
            config,
            teams,
            groups,
            staff: people.iter().filter(|p| p.staff).cloned().collect(),
            board: people.iter().filter(|p| !p.staff).cloned().collect(),
            actions,
            action_kinds,
            tools,
            themes,
            tool_types,
            news,
            offers,
            pages,
            home,
            region,
            key_figures,
            menu,
            attachments,
            private_values,
            teams_map,
            outlines,
            professions: data
                .professions
                .terms
                .iter()
                .map(|term| {
                    let color = term.color.as_ref().map_or_else(
                        || data.site.colors.primary.value.clone(),
                        |c| c.value.clone(),
                    );
                    (
                        term.id.value.clone(),
                        term.plural_label().to_string(),
                        color,
                    )
                })
                .collect(),
        }
    }
}

fn config_view(data: &Data, base_url: &str, base_path: &str, region: &RegionFigures) -> ConfigView {
    let site = &data.site;
    ConfigView {
        title: site.title.clone(),
        tagline: site.tagline.clone(),
        base_url: base_url.to_string(),
        base_path: base_path.to_string(),
        year: site.year.value,
        region: site.region.name.clone(),
        population: site.region.population.value,
        departments: site
            .region
            .departments
            .iter()
            .map(|d| DepartmentView {
                code: d.code.value.clone(),
                name: d.name.clone(),
                teams: region.departments.get(&d.code.value).copied().unwrap_or(0),
            })
            .collect(),
        contact: site.contact.clone(),
        primary_color: site.colors.primary.value.clone(),
        accent_color: site.colors.accent.value.clone(),
        social_cards: site.build.social_cards,
        search: site.build.search,
    }
}

fn department_view(config: &ConfigView, code: &str) -> DepartmentView {
    config
        .departments
        .iter()
        .find(|d| d.code == code)
        .cloned()
        .unwrap_or_else(|| DepartmentView {
            code: code.to_string(),
            name: code.to_string(),
            teams: 0,
        })
}

fn team_view(data: &Data, file: &TeamFile, config: &ConfigView) -> TeamView {
    let team: &Team = &file.team;
    let professionals = team.professionals();
    let mut composition: Vec<ProfessionCount> = team
        .professions
        .iter()
        .filter(|(_, count)| *count > 0)
        .map(|(id, count)| {
            let term = data.professions.get(id);
            ProfessionCount {
                id: id.to_string(),
                label: term.map_or(id.to_string(), |t| {
                    if count > 1 {
                        t.plural_label().to_string()
                    } else {
                        t.label.clone()
                    }
                }),
                count,
                color: term
                    .and_then(|t| t.color.as_ref().map(|c| c.value.clone()))
                    .unwrap_or_else(|| config.primary_color.clone()),
                pct: region::percentage(count, professionals),
                bar: 0,
            }
        })
        .collect();
    let largest = composition
        .iter()
        .map(|p| p.count)
        .max()
        .unwrap_or(1)
        .max(1);
    for profession in &mut composition {
        profession.bar = region::percentage(profession.count, largest);
    }
    composition.sort_by(|a, b| {
        b.count.cmp(&a.count).then_with(|| {
            data.professions
                .position(&a.id)
                .cmp(&data.professions.position(&b.id))
        })
    });
    let coordinators = &team.coordinators;
    let hours: f64 = coordinators
        .iter()
        .filter_map(|c| c.hours_per_week.as_ref().map(|h| h.value))
        .sum();
    TeamView {
        id: file.id.clone(),
        url: url(&config.base_path, &format!("equipes/{}/", file.id)),
        name: team.name.clone(),
        constituted: team.is_constituted(),
        status_label: if team.is_constituted() {
            "MSP constituée"
        } else {
            "MSP en projet"
        }
        .to_string(),
        city: team.city.clone(),
        department: department_view(config, &team.department.value),
        coordinates: team.coordinates.as_ref().map(|c| c.value),
        founded: team.founded.value,
        age: (data.site.year.value - team.founded.value).max(0),
        sites: team.sites.value,
        aci: team.aci,
        cpts: team.cpts,
        signatories: team.signatories.value,
        patients: team.patients.value,
        professionals,
        profession_count: team.profession_count(),
        composition,
        coordination: CoordinationView {
            count: coordinators.len(),
            hours_per_week: region::one_decimal(hours),
            pacte: coordinators.iter().filter(|c| c.pacte).count(),
            network: coordinators.iter().filter(|c| c.network).count(),
            liberal: coordinators.iter().filter(|c| c.liberal).count(),
        },
        interns: team.actions.interns,
        prevention: team.actions.prevention.clone(),
        etp: team.actions.etp.clone(),
        protocols: team.actions.protocols.clone(),
        user_involvement: team.actions.user_involvement,
        website: team.website.as_ref().map(|w| w.value.trim().to_string()),
        updated: team.updated,
        groups: Vec::new(),
        offers: Vec::new(),
        // Set once its groups and offers are in (`SiteModel::build_keeping`).
        fingerprint: blake3::Hash::from_bytes([0; 32]),
    }
}

fn summarise_kinds(
    data: &Data,
    actions: &[ActionView],
    kind_view: &dyn Fn(&str) -> KindView,
) -> Vec<KindSummary> {
    let mut by_kind: BTreeMap<usize, KindSummary> = BTreeMap::new();
    for action in actions {
        let position = data.action_kinds.position(&action.kind.id);
        let summary = by_kind.entry(position).or_insert_with(|| KindSummary {
            kind: kind_view(&action.kind.id),
            count: 0,
            participants: 0,
        });
        summary.count += 1;
        summary.participants += action.participants;
    }
    by_kind.into_values().collect()
}

fn tool_view(
    root: &Path,
    data: &Data,
    tool: &crate::content::Tool,
    base_path: &str,
    year: i64,
    views: &std::collections::HashMap<&str, i64>,
    render_body: &(dyn Fn(&str, &[crate::content::shortcodes::Shortcode]) -> String + Sync),
) -> ToolView {
    let meta = &tool.meta;
    let tool_url = url(base_path, &format!("outils/{}/", tool.slug));
    let type_id = &meta.tool_type.value;
    let attachments = meta
        .attachments
        .iter()
        .filter_map(|attachment| {
            let path =
                crate::validate::attachment_path(root, &tool.path, &attachment.file.value).ok()?;
            let name = path.file_name()?.to_str()?.to_string();
            let bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
            let format = path
                .extension()
                .and_then(|e| e.to_str())
                .map(|e| e.to_uppercase())
                .unwrap_or_else(|| "Fichier".to_string());
            Some(AttachmentView {
                url: format!("{tool_url}{name}"),
                label: attachment.label.clone().unwrap_or_else(|| name.clone()),
                description: format!("{format}, {}", crate::render::french::file_size(bytes)),
                name,
                format,
                bytes,
            })
        })
        .collect();
    ToolView {
        slug: tool.slug.clone(),
        url: tool_url,
        title: meta.title.clone(),
        tool_type: Link {
            id: type_id.clone(),
            label: data.tool_types.label(type_id).to_string(),
            url: url(base_path, &format!("outils/types/{type_id}/")),
        },
        themes: meta
            .themes
            .iter()
            .map(|theme| Link {
                id: theme.value.clone(),
                label: data.themes.label(&theme.value).to_string(),
                url: url(base_path, &format!("outils/themes/{}/", theme.value)),
            })
            .collect(),
        keywords: meta.keywords.clone(),
        keyword_links: meta
            .keywords
            .iter()
            .map(|keyword| Link {
                id: keyword.clone(),
                label: keyword.clone(),
                url: url(
                    base_path,
                    &format!("outils/?keyword={}", query_value(keyword)),
                ),
            })
            .collect(),
        date: meta.date.value,
        summary: summary_of(&meta.summary, &tool.body),
        attachments,
        content: render_body(&tool.body, &tool.shortcodes),
        related: Vec::new(),
        new: i64::from(meta.date.value.year) == year,
        views: views.get(tool.slug.as_str()).copied().unwrap_or(0),
    }
}

/// Each tool's related tools: those sharing the most themes, then the
/// newest.
fn related_tools(tools: &[ToolView], limit: usize) -> Vec<Vec<usize>> {
    let themes: Vec<Vec<&str>> = tools
        .iter()
        .map(|tool| tool.themes.iter().map(|theme| theme.id.as_str()).collect())
        .collect();
    related_indexes(&themes, limit)
}

/// For each tool, whose themes are `themes[index]`, the indexes of the
/// `limit` others sharing the most themes, the newest (lowest index) first
/// among equals. Computed through a theme index, so the cost grows with
/// the tools that share a theme, not with the square of all tools; and
/// once for each set of themes: a national site's 10 000 tools have a few
/// hundred, and ranking them for each tool took a tenth of its model.
fn related_indexes(themes: &[Vec<&str>], limit: usize) -> Vec<Vec<usize>> {
    // Each theme's tools, by increasing index (newest first).
    let mut by_theme: HashMap<&str, Vec<usize>> = HashMap::new();
    for (index, ids) in themes.iter().enumerate() {
        for &id in ids {
            let bucket = by_theme.entry(id).or_default();
            if bucket.last() != Some(&index) {
                bucket.push(index);
            }
        }
    }
    let sets: Vec<Vec<&str>> = themes
        .iter()
        .map(|ids| {
            let mut set = ids.clone();
            set.sort_unstable();
            set.dedup();
            set
        })
        .collect();
    let distinct: std::collections::BTreeSet<&Vec<&str>> = sets.iter().collect();
    // Each set's first `limit + 1` tools: a tool's own is among them at most once.
    let ranked: HashMap<&Vec<&str>, Vec<usize>> = distinct
        .into_par_iter()
        .map(|set| {
            let buckets: Vec<&[usize]> = set
                .iter()
                .filter_map(|id| by_theme.get(id).map(Vec::as_slice))
                .collect();
            (set, most_shared(&buckets, usize::MAX, limit + 1))
        })
        .collect();
    sets.par_iter()
        .enumerate()
        .map(|(index, set)| {
            ranked.get(set).map_or_else(Vec::new, |others| {
                others
                    .iter()
                    .copied()
                    .filter(|&other| other != index)
                    .take(limit)
                    .collect()
            })
        })
        .collect()
}

/// The `limit` tools sharing the most themes with tool `this`, the newest
/// (lowest index) first among equals. `buckets` are its themes' tools, each
/// sorted by index: walking them together in index order finds, for each
/// number of shared themes, the first tools that have it, in linear time
/// (comparing every pair of tools would be quadratic). With `this` no
/// tool's index (`usize::MAX`), no tool is left out.
fn most_shared(buckets: &[&[usize]], this: usize, limit: usize) -> Vec<usize> {
    // firsts[n - 1]: the first `limit` tools sharing exactly n themes.
    let mut firsts: Vec<Vec<usize>> = vec![Vec::new(); buckets.len()];
    let mut positions = vec![0; buckets.len()];
    loop {
        let next = buckets
            .iter()
            .zip(&positions)
            .filter_map(|(bucket, &at)| bucket.get(at).copied())
            .min();
        let Some(other) = next else { break };
        let mut shared = 0;
        for (bucket, at) in buckets.iter().zip(positions.iter_mut()) {
            if bucket.get(*at) == Some(&other) {
                *at += 1;
                shared += 1;
            }
        }
        if other != this && firsts[shared - 1].len() < limit {
            firsts[shared - 1].push(other);
        }
        // Nobody can beat tools sharing every theme: stop once they are enough.
        if firsts.last().is_some_and(|all| all.len() >= limit) {
            break;
        }
    }
    firsts.into_iter().rev().flatten().take(limit).collect()
}

fn taxonomy(
    vocabulary: &crate::data::Vocabulary,
    tools: &[ToolView],
    base_path: &str,
    prefix: &str,
    ids_of: impl Fn(&ToolView) -> Vec<&str>,
) -> Vec<TaxonomyView> {
    let mut members: HashMap<&str, Vec<usize>> = HashMap::new();
    for (index, tool) in tools.iter().enumerate() {
        for id in ids_of(tool) {
            members.entry(id).or_default().push(index);
        }
    }
    vocabulary
        .terms
        .iter()
        .map(|term| {
            let id = term.id.value.as_str();
            let tools = members.remove(id).unwrap_or_default();
            TaxonomyView {
                id: id.to_string(),
                label: term.label.clone(),
                plural: term.plural_label().to_string(),
                url: url(base_path, &format!("{prefix}/{id}/")),
                count: tools.len(),
                tools,
            }
        })
        .collect()
}

/// The summary an editor wrote, or the start of the body.
fn summary_of(summary: &str, body: &str) -> String {
    if !summary.trim().is_empty() {
        return summary.trim().to_string();
    }
    let text = markdown::plain_text(body);
    if text.chars().count() <= 200 {
        return text;
    }
    let cut: String = text.chars().take(200).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{cut}…")
}

fn key_figures(
    data: &Data,
    region: &RegionFigures,
    actions: &[ActionView],
    base_path: &str,
) -> Vec<KeyFigureSection> {
    let figure = |value: f64, label: &str, link: Option<&str>| KeyFigure {
        value,
        label: label.to_string(),
        url: link.map(|path| url(base_path, path)),
    };
    let mut sections = vec![
        KeyFigureSection {
            title: "Adhérents".to_string(),
            figures: vec![
                figure(
                    region.professionals as f64,
                    "professionnels de santé",
                    Some("region/"),
                ),
                figure(
                    (region.teams.constituted + region.teams.in_project) as f64,
                    "équipes de soins primaires (constituées et en projet)",
                    Some("equipes/"),
                ),
                figure(
                    region.teams.constituted as f64,
                    "MSP constituées",
                    Some("equipes/"),
                ),
                figure(
                    region.patients as f64,
                    "patients dans la file active des MSP",
                    Some("region/"),
                ),
            ],
        },
        KeyFigureSection {
            title: "Actions".to_string(),
            figures: vec![
                figure(
                    actions.len() as f64,
                    "actions collectives organisées",
                    Some("actions/"),
                ),
                figure(
                    actions.iter().map(|a| a.participants).sum::<i64>() as f64,
                    "participations aux actions collectives",
                    Some("actions/"),
                ),
                figure(
                    data.groups.len() as f64,
                    "groupes locaux de coordinateurs",
                    Some("reseau/"),
                ),
            ],
        },
    ];
    for extra in &data.site.figures {
        let title = extra
            .section
            .clone()
            .unwrap_or_else(|| "Information".to_string());
        let value = figure(extra.value.value, &extra.label, None);
        match sections.iter_mut().find(|s| s.title == title) {
            Some(section) => section.figures.push(value),
            None => sections.push(KeyFigureSection {
                title,
                figures: vec![value],
            }),
        }
    }
    sections
}

fn menu(base_path: &str, pages: &[PageView]) -> Vec<MenuItem> {
    let mut items: Vec<MenuItem> = [
        ("Les équipes", "equipes/"),
        ("Région", "region/"),
        ("Réseau", "reseau/"),
        ("Boîte à outils", "outils/"),
        ("Actions", "actions/"),
        ("Actualités", "actualites/"),
        ("Offres", "offres/"),
    ]
    .iter()
    .map(|(label, path)| MenuItem {
        label: label.to_string(),
        url: url(base_path, path),
    })
    .collect();
    let mut in_menu: Vec<&PageView> = pages.iter().filter(|p| p.menu.is_some()).collect();
    in_menu.sort_by_key(|p| (p.menu, p.slug.clone()));
    items.extend(in_menu.into_iter().map(|page| MenuItem {
        label: page.title.clone(),
        url: page.url.clone(),
    }));
    items
}

fn collect_private_values(data: &Data) -> Vec<String> {
    let mut values: Vec<String> = data
        .teams
        .iter()
        .flat_map(|t| crate::data::private_values(&t.team.private))
        .chain(
            data.people
                .iter()
                .flat_map(|p| crate::data::private_values(&p.private)),
        )
        .chain(
            data.groups
                .iter()
                .flat_map(|g| crate::data::private_values(&g.private)),
        )
        .filter(|value| value.trim().chars().count() >= 4)
        .collect();
    values.sort();
    values.dedup();
    values
}

/// The HTML that replaces a shortcode call (validated beforehand).
fn shortcode_html(
    data: &Data,
    people: &[PersonView],
    call: &crate::content::shortcodes::Shortcode,
) -> String {
    match call.name.as_str() {
        "chart" => charts::shortcode_html(data, call),
        "people" => people_html(people, call.args.get("kind").map(String::as_str)),
        _ => String::new(),
    }
}

/// `{{ people(kind="staff") }}`: the federation's staff or board as cards.
fn people_html(people: &[PersonView], kind: Option<&str>) -> String {
    let selected = people.iter().filter(|person| match kind {
        Some("staff") => person.staff,
        Some("board") => !person.staff,
        _ => true,
    });
    let mut out = String::from("<ul class=\"people\">\n");
    for person in selected {
        out.push_str("<li class=\"person\">");
        out.push_str(&format!(
            "<p class=\"person-name\">{}</p>",
            escape::html(&person.name)
        ));
        if !person.role.is_empty() {
            out.push_str(&format!(
                "<p class=\"person-role\">{}</p>",
                escape::html(&person.role)
            ));
        }
        if let Some(team) = &person.team {
            out.push_str(&format!(
                "<p class=\"person-team\"><a href=\"{}\">{}</a></p>",
                escape::html(&team.url),
                escape::html(&team.name)
            ));
        }
        if let Some(email) = &person.email {
            out.push_str(&format!(
                "<p><a href=\"mailto:{0}\">{0}</a></p>",
                escape::html(email)
            ));
        }
        out.push_str("</li>\n");
    }
    out.push_str("</ul>");
    out
}

/// Outlines of the departments the site covers.
fn site_outlines(data: &Data, config: &ConfigView) -> Vec<crate::data::geo::Outline> {
    data.outlines
        .iter()
        .filter(|o| config.departments.iter().any(|d| d.code == o.code))
        .cloned()
        .collect()
}

/// The map of the teams, drawn with the outlines of the site's departments.
fn teams_map(
    outlines: &[crate::data::geo::Outline],
    teams: &[TeamView],
    config: &ConfigView,
) -> Option<String> {
    use crate::infographic::map::{Count, Dot, teams_map};
    let dots: Vec<Dot> = teams
        .iter()
        .filter_map(|team| {
            let [latitude, longitude] = team.coordinates?;
            Some(Dot {
                name: &team.name,
                url: &team.url,
                latitude,
                longitude,
            })
        })
        .collect();
    let counts: Vec<Count> = config
        .departments
        .iter()
        .map(|d| Count {
            code: &d.code,
            name: &d.name,
            teams: d.teams,
        })
        .collect();
    let title = format!(
        "Carte des {} équipes adhérentes en {}",
        teams.len(),
        config.region
    );
    let description = if counts.len() <= crate::infographic::map::MAX_LABELLED_DEPARTMENTS {
        "Un point par équipe, lien vers sa page ; le nombre d’équipes de chaque département. Fonds de carte : IGN – Admin Express COG 2018, Licence Ouverte."
    } else {
        "Un point par équipe, lien vers sa page. Fonds de carte : IGN – Admin Express COG 2018, Licence Ouverte."
    };
    teams_map(outlines, &dots, &counts, &title, description)
}

/// `text` encoded as a value of a URL's query (`application/x-www-form-urlencoded`,
/// as the toolbox's script reads it back): letters, digits and `-._~` as they
/// are, spaces as `+`, every other byte as `%XX`.
pub fn query_value(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                out.push(byte as char)
            }
            b' ' => out.push('+'),
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod query_tests {
    use super::query_value;

    #[test]
    fn query_values_are_encoded_as_forms_encode_them() {
        assert_eq!(query_value("cas complexes"), "cas+complexes");
        assert_eq!(query_value("Inspir'Café"), "Inspir%27Caf%C3%A9");
        assert_eq!(query_value("a&b=c#d"), "a%26b%3Dc%23d");
    }
}

#[cfg(test)]
mod related_tests {
    use super::most_shared;

    /// The definition: rank every other tool by shared themes, then index.
    fn by_comparing_every_pair(themes: &[Vec<u8>], this: usize, limit: usize) -> Vec<usize> {
        let mut ranked: Vec<(usize, usize)> = (0..themes.len())
            .filter(|&other| other != this)
            .map(|other| {
                let shared = themes[this]
                    .iter()
                    .filter(|t| themes[other].contains(t))
                    .count();
                (other, shared)
            })
            .filter(|&(_, shared)| shared > 0)
            .collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        ranked.into_iter().take(limit).map(|(i, _)| i).collect()
    }

    /// Ranked once for each set of themes, as for each tool alone.
    #[test]
    fn tools_on_the_same_themes_share_one_ranking() {
        let themes: Vec<Vec<u8>> = (0..300u32)
            .map(|i| (0..=(i % 3)).map(|k| ((i / 7 + k * 3) % 5) as u8).collect())
            .collect();
        let names: Vec<Vec<String>> = themes
            .iter()
            .map(|ids| ids.iter().map(|id| format!("theme-{id}")).collect())
            .collect();
        let ids: Vec<Vec<&str>> = names
            .iter()
            .map(|ids| ids.iter().map(String::as_str).collect())
            .collect();
        let related = super::related_indexes(&ids, 4);
        for (this, related) in related.iter().enumerate() {
            let mut set = themes[this].clone();
            set.sort_unstable();
            set.dedup();
            let mut deduped = themes.clone();
            deduped[this] = set;
            assert_eq!(
                related,
                &by_comparing_every_pair(&deduped, this, 4),
                "tool {this}"
            );
        }
    }

    #[test]
    fn the_linear_walk_ranks_as_comparing_every_pair() {
        // 300 tools with 1 to 3 of 7 themes, in a fixed pseudo-random pattern.
        let themes: Vec<Vec<u8>> = (0..300u32)
            .map(|i| {
                let mut t: Vec<u8> = (0..=(i * 7 % 3))
                    .map(|k| ((i * 31 + k * 17 + i / 5) % 7) as u8)
                    .collect();
                t.sort_unstable();
                t.dedup();
                t
            })
            .collect();
        for this in 0..themes.len() {
            let buckets: Vec<Vec<usize>> = themes[this]
                .iter()
                .map(|theme| {
                    (0..themes.len())
                        .filter(|&o| themes[o].contains(theme))
                        .collect()
                })
                .collect();
            let slices: Vec<&[usize]> = buckets.iter().map(Vec::as_slice).collect();
            for limit in [1, 4, 50] {
                assert_eq!(
                    most_shared(&slices, this, limit),
                    by_comparing_every_pair(&themes, this, limit),
                    "tool {this}, limit {limit}"
                );
            }
        }
    }
}
