//! Reading `data/`: every file is read and parsed, in parallel where there
//! are many, and every problem of every file is reported together.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;

pub use super::parsed::ParsedFiles;
use super::yaml::{self, Source};
use super::{Action, Chart, Group, Person, SiteConfig, Team, TeamFile, Term, Vocabulary};
use crate::diagnostics::{Diagnostic, Diagnostics, display_path};

/// All data files, parsed but not yet cross-checked.
#[derive(Debug, Clone)]
pub struct Data {
    pub site: SiteConfig,
    pub site_source: Source,
    pub professions: Vocabulary,
    pub themes: Vocabulary,
    pub tool_types: Vocabulary,
    pub action_kinds: Vocabulary,
    /// Sorted by id.
    pub teams: Vec<TeamFile>,
    pub groups: Vec<Group>,
    pub groups_source: Source,
    pub people: Vec<Person>,
    pub people_source: Source,
    pub actions: Vec<Action>,
    pub actions_source: Source,
    /// Sorted by name.
    pub charts: Vec<ChartFile>,
    /// Department outlines for the map; empty without `data/geo/departements.geojson`.
    pub outlines: Vec<super::geo::Outline>,
    /// Views per tool, from the optional `data/stats.yaml`.
    pub tool_views: Vec<super::ToolViews>,
    pub stats_source: Source,
}

#[derive(Debug, Clone)]
pub struct ChartFile {
    pub name: String,
    pub source: Source,
    pub chart: Chart,
}

/// The most a data, content or template file may weigh, in bytes. People
/// write these files; one bigger than this is a mistake (an export, a log
/// saved under the wrong name) that would only slow every build down.
pub const MAX_TEXT_BYTES: u64 = 16_000_000;

/// Reads a text file of the site, refusing bytes that are not UTF-8 with the
/// position of the first one, and dropping a leading byte-order mark.
pub fn read_text(root: &Path, path: &Path) -> Result<String, Diagnostic> {
    read_text_up_to(root, path, MAX_TEXT_BYTES)
}

/// [`read_text`] for files that may weigh up to `limit` bytes (map outlines).
pub fn read_text_up_to(root: &Path, path: &Path, limit: u64) -> Result<String, Diagnostic> {
    let shown = display_path(root, path);
    let cannot_read = |error: std::io::Error| {
        Diagnostic::whole_file(shown.clone(), format!("cannot read the file: {error}"))
    };
    // Opened once, then measured and read through the same handle: a
    // national site has 16 000 files, each path looked up once.
    let mut file = std::fs::File::open(path).map_err(cannot_read)?;
    let size = file.metadata().map_err(cannot_read)?.len();
    if size > limit {
        return Err(Diagnostic::whole_file(
            shown,
            format!(
                "the file weighs {}, more than the {} such a file may: is it the right file?",
                megabytes(size),
                megabytes(limit)
            ),
        ));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    std::io::Read::read_to_end(&mut file, &mut bytes).map_err(cannot_read)?;
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                text.drain(..'\u{feff}'.len_utf8());
            }
            Ok(text)
        }
        Err(error) => {
            let valid = &error.as_bytes()[..error.utf8_error().valid_up_to()];
            let valid = std::str::from_utf8(valid).unwrap_or_default();
            let line = valid.matches('\n').count() as u64 + 1;
            let column = valid
                .rsplit('\n')
                .next()
                .map_or(0, |last| last.chars().count()) as u64
                + 1;
            Err(Diagnostic::new(
                shown,
                line,
                column,
                "the file is not valid UTF-8 text: save it as UTF-8 in your editor",
            ))
        }
    }
}

/// `16 MB`, `60.3 MB`: sizes as a file manager shows them.
fn megabytes(bytes: u64) -> String {
    let megabytes = bytes as f64 / 1_000_000.0;
    if megabytes.fract() == 0.0 {
        format!("{megabytes:.0} MB")
    } else {
        format!("{megabytes:.1} MB")
    }
}

fn parse_file<T>(root: &Path, path: &Path) -> Result<(T, Source), Diagnostic>
where
    T: DeserializeOwned + Serialize + Clone + Send + Sync + 'static,
{
    parse_file_kept(root, path, None)
}

/// Reads and parses a YAML file, through `parsed` when a load keeps its
/// files (`build` on disk, `serve` in memory).
fn parse_file_kept<T>(
    root: &Path,
    path: &Path,
    parsed: Option<&ParsedFiles>,
) -> Result<(T, Source), Diagnostic>
where
    T: DeserializeOwned + Serialize + Clone + Send + Sync + 'static,
{
    parse_file_with(root, path, parsed, yaml::parse)
}

/// `parse_file_kept`, the text parsed by `parse`.
fn parse_file_with<T>(
    root: &Path,
    path: &Path,
    parsed: Option<&ParsedFiles>,
    parse: impl FnOnce(&Source, &str) -> Result<T, Diagnostic>,
) -> Result<(T, Source), Diagnostic>
where
    T: DeserializeOwned + Serialize + Clone + Send + Sync + 'static,
{
    let source = Source::new(display_path(root, path), 0);
    if let Some(value) = parsed.and_then(|parsed| parsed.unread(path)) {
        return Ok((value, source));
    }
    let text = read_text(root, path)?;
    let parse = |text: &str| parse(&source, text);
    let value = match parsed {
        Some(parsed) => parsed.parse(path, &text, parse)?,
        None => parse(&text)?,
    };
    Ok((value, source))
}

/// Collects the error of a result into `diagnostics`.
fn keep<T>(result: Result<T, Diagnostic>, diagnostics: &mut Diagnostics) -> Option<T> {
    result.map_err(|error| diagnostics.push(error)).ok()
}

fn load_vocabulary(root: &Path, name: &str, diagnostics: &mut Diagnostics) -> Option<Vocabulary> {
    let path = root.join("data").join(name);
    let (terms, source) = keep(parse_file::<Vec<Term>>(root, &path), diagnostics)?;
    Some(Vocabulary::new(source, terms))
}

/// Files of `dir` with one of `extensions`, sorted by name; none if it does not exist.
pub fn files_with_extension(dir: &Path, extensions: &[&str]) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(std::result::Result::ok)
        .filter(|entry| {
            let name = entry.file_name();
            let name = Path::new(&name);
            name.extension()
                .and_then(|ext| ext.to_str())
                .is_some_and(|ext| extensions.contains(&ext))
                && !is_hidden_or_temporary(name)
        })
        // The entry's type comes with the folder's listing; only a link
        // needs a look at what it points to.
        .filter(|entry| match entry.file_type() {
            Ok(kind) if kind.is_symlink() => entry.path().is_file(),
            Ok(kind) => kind.is_file(),
            Err(_) => false,
        })
        .map(|entry| entry.path())
        .collect();
    // All in one folder: their names' bytes order them as their paths, and
    // are compared without taking each path apart into components.
    files.sort_unstable_by(|a, b| a.as_os_str().cmp(b.as_os_str()));
    files
}

/// Editors' backup, swap and lock files, and hidden files, are not site files.
pub fn is_hidden_or_temporary(path: &Path) -> bool {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    name.starts_with('.') || name.starts_with("~$") || name.starts_with(".#") || name.ends_with('~')
}

fn load_teams(
    root: &Path,
    parsed: Option<&ParsedFiles>,
    diagnostics: &mut Diagnostics,
) -> Vec<TeamFile> {
    let dir = root.join("data").join("teams");
    let results: Vec<Result<TeamFile, Diagnostic>> = files_with_extension(&dir, &["yaml", "yml"])
        .par_iter()
        .map(|path| {
            let (team, source) = parse_file_kept::<Team>(root, path, parsed)?;
            let id = path
                .file_stem()
                .and_then(|stem| stem.to_str())
                .unwrap_or_default()
                .to_string();
            Ok(TeamFile { id, source, team })
        })
        .collect();
    let mut teams: Vec<TeamFile> = results
        .into_iter()
        .filter_map(|r| keep(r, diagnostics))
        .collect();
    teams.sort_by(|a, b| a.id.cmp(&b.id));
    teams
}

fn load_charts(root: &Path, diagnostics: &mut Diagnostics) -> Vec<ChartFile> {
    let dir = root.join("data").join("charts");
    let mut charts: Vec<ChartFile> = files_with_extension(&dir, &["yaml", "yml", "csv"])
        .iter()
        .filter_map(|path| {
            let name = path.file_stem()?.to_str()?.to_string();
            let is_csv = path.extension().is_some_and(|ext| ext == "csv");
            let result = if is_csv {
                read_text(root, path).and_then(|text| {
                    let source = Source::new(display_path(root, path), 0);
                    let chart = super::chart::parse_csv(&source, &name, &text)?;
                    Ok((chart, source))
                })
            } else {
                parse_file::<Chart>(root, path)
            };
            let (chart, source) = keep(result, diagnostics)?;
            Some(ChartFile {
                name,
                source,
                chart,
            })
        })
        .collect();
    charts.sort_by(|a, b| a.name.cmp(&b.name));
    charts
}

/// Reads and parses every data file of the site at `root`.
pub fn load_data(root: &Path) -> Result<Data, Diagnostics> {
    load_data_kept(root, None)
}

/// `load_data`, taking from `parsed` the files that did not change since
/// it was last given them: the teams, and the lists of groups, people,
/// actions and views (together 400 kB of YAML on a national site, 20 ms
/// to parse). The files are loaded in parallel, each with its own
/// diagnostics: they are sorted when shown.
pub fn load_data_kept(root: &Path, parsed: Option<&ParsedFiles>) -> Result<Data, Diagnostics> {
    let data_dir = root.join("data");
    let list = |name: &str| data_dir.join(name);
    // Each load's value and problems, set by the scope, which returns once
    // every load it spawned has run.
    let (mut site, mut vocabularies, mut teams) = Default::default();
    let (mut groups, mut people, mut actions) = Default::default();
    let (mut charts, mut stats, mut outlines) = Default::default();
    rayon::scope(|scope| {
        scope.spawn(|_| {
            site = checked(|d| keep(parse_file::<SiteConfig>(root, &list("site.yaml")), d));
        });
        scope.spawn(|_| {
            vocabularies = checked(|d| {
                let names = [
                    "professions.yaml",
                    "themes.yaml",
                    "tool-types.yaml",
                    "action-kinds.yaml",
                ];
                names.map(|name| load_vocabulary(root, name, d))
            });
        });
        scope.spawn(|_| teams = checked(|d| load_teams(root, parsed, d)));
        scope.spawn(|_| {
            groups = checked(|d| optional_list::<Group>(root, &list("groups.yaml"), parsed, d));
        });
        scope.spawn(|_| {
            people = checked(|d| optional_list::<Person>(root, &list("people.yaml"), parsed, d));
        });
        scope.spawn(|_| {
            actions = checked(|d| optional_list::<Action>(root, &list("actions.yaml"), parsed, d));
        });
        scope.spawn(|_| charts = checked(|d| load_charts(root, d)));
        scope.spawn(|_| {
            stats = checked(|d| {
                optional_list::<super::ToolViews>(root, &list("stats.yaml"), parsed, d)
            });
        });
        scope.spawn(|_| {
            outlines = checked(|d| keep(super::geo::load_outlines(root), d).unwrap_or_default());
        });
    });
    let mut diagnostics = Diagnostics::new();
    let d = &mut diagnostics;
    let site = take(site, d);
    let [professions, themes, tool_types, action_kinds] = take(vocabularies, d);
    let teams = take(teams, d);
    let groups = take(groups, d);
    let people = take(people, d);
    let actions = take(actions, d);
    let charts = take(charts, d);
    let stats = take(stats, d);
    let outlines = take(outlines, d);

    match (
        site,
        professions,
        themes,
        tool_types,
        action_kinds,
        groups,
        people,
        actions,
        stats,
    ) {
        (
            Some((site, site_source)),
            Some(professions),
            Some(themes),
            Some(tool_types),
            Some(action_kinds),
            Some((groups, groups_source)),
            Some((people, people_source)),
            Some((actions, actions_source)),
            Some((tool_views, stats_source)),
        ) if diagnostics.is_empty() => Ok(Data {
            site,
            site_source,
            professions,
            themes,
            tool_types,
            action_kinds,
            teams,
            groups,
            groups_source,
            people,
            people_source,
            actions,
            actions_source,
            charts,
            outlines,
            tool_views,
            stats_source,
        }),
        _ => Err(diagnostics),
    }
}

/// What a load of `load_data_kept`'s scope gave, its problems moved to
/// `diagnostics`.
fn take<T>((value, found): (T, Diagnostics), diagnostics: &mut Diagnostics) -> T {
    diagnostics.extend(found);
    value
}

/// What `load` gives, with the problems it found.
fn checked<T>(load: impl FnOnce(&mut Diagnostics) -> T) -> (T, Diagnostics) {
    let mut diagnostics = Diagnostics::new();
    let value = load(&mut diagnostics);
    (value, diagnostics)
}

/// A list file that a small site may leave out: absent means empty. Taken
/// from `parsed` when its bytes are those it parsed.
fn optional_list<T>(
    root: &Path,
    path: &Path,
    parsed: Option<&ParsedFiles>,
    diagnostics: &mut Diagnostics,
) -> Option<(Vec<T>, Source)>
where
    T: DeserializeOwned + Serialize + Clone + Send + Sync + 'static,
{
    if !path.exists() {
        return Some((Vec::new(), Source::new(display_path(root, path), 0)));
    }
    let parse = |source: &Source, text: &str| {
        if text.trim().is_empty() {
            return Ok(Vec::new());
        }
        yaml::parse::<Vec<T>>(source, text)
    };
    keep(parse_file_with(root, path, parsed, parse), diagnostics)
}
