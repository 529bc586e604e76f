//! Reading `content/`: each Markdown file's front matter is parsed into the
//! type its folder calls for; all problems are reported together.

use std::path::Path;

use rayon::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::{Document, Home, News, Offer, Page, Tool, front_matter, shortcodes};
use crate::data::load::{ParsedFiles, files_with_extension, read_text};
use crate::data::{Source, yaml};
use crate::diagnostics::{Diagnostic, Diagnostics, display_path};

/// Every Markdown file of the site.
#[derive(Debug, Clone, Default)]
pub struct Content {
    pub home: Option<Home>,
    /// Empty when `tools_left_out`.
    pub tools: Vec<Tool>,
    pub news: Vec<News>,
    pub offers: Vec<Offer>,
    pub pages: Vec<Page>,
    /// The tools were not loaded (`Tools::LeftOut`): the build takes the
    /// toolbox from the last one.
    pub tools_left_out: bool,
}

/// How a load reads the tools: their files are kept apart from the others
/// (`data::parsed`), as a build whose toolbox is carried over from the last
/// one need not read them at all (`render::toolbox`).
#[derive(Clone, Copy)]
pub enum Tools<'a> {
    /// Loaded, taking from these parsed files those whose text did not change.
    Loaded(Option<&'a ParsedFiles>),
    /// Not loaded: nothing they are made from changed since the last build.
    LeftOut,
}

/// A slug is what the URL shows: lowercase ASCII letters, digits and hyphens.
pub fn is_valid_slug(slug: &str) -> bool {
    !slug.is_empty()
        && !slug.starts_with('-')
        && !slug.ends_with('-')
        && slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// The slug an editor most likely meant: `Protocole Anticoagulants` → `protocole-anticoagulants`.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        let ascii = match c {
            'à' | 'â' | 'ä' | 'á' | 'ã' => "a",
            'ç' => "c",
            'é' | 'è' | 'ê' | 'ë' => "e",
            'î' | 'ï' | 'í' => "i",
            'ô' | 'ö' | 'ó' => "o",
            'ù' | 'û' | 'ü' | 'ú' => "u",
            'ÿ' => "y",
            'œ' => "oe",
            'æ' => "ae",
            'ñ' => "n",
            c if c.is_ascii_alphanumeric() => {
                slug.push(c);
                continue;
            }
            _ => "-",
        };
        slug.push_str(ascii);
    }
    let mut collapsed = String::with_capacity(slug.len());
    for c in slug.chars() {
        if c == '-' && (collapsed.is_empty() || collapsed.ends_with('-')) {
            continue;
        }
        collapsed.push(c);
    }
    collapsed.trim_end_matches('-').to_string()
}

/// Reads and parses a Markdown file, through `parsed` when a load keeps its
/// files (`serve`).
fn load_document<M>(
    root: &Path,
    path: &Path,
    parsed: Option<&ParsedFiles>,
) -> Result<Document<M>, Diagnostics>
where
    M: DeserializeOwned + Serialize + Clone + Send + Sync + 'static,
{
    if let Some(document) = parsed.and_then(|parsed| parsed.unread(path)) {
        return Ok(document);
    }
    let text = read_text(root, path).map_err(Diagnostics::from)?;
    let parse = |text: &str| document_from_text(root, path, text);
    match parsed {
        Some(parsed) => parsed.parse(path, &text, parse),
        None => parse(&text),
    }
}

/// A Markdown file's document, from its text: everything in it depends
/// only on its path and text.
fn document_from_text<M: DeserializeOwned>(
    root: &Path,
    path: &Path,
    text: &str,
) -> Result<Document<M>, Diagnostics> {
    let shown = display_path(root, path);
    let slug = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default()
        .to_string();
    let mut diagnostics = Diagnostics::new();
    if !is_valid_slug(&slug) && slug != "_index" {
        diagnostics.push(Diagnostic::whole_file(
            shown.clone(),
            format!(
                "the file name `{slug}` cannot be a web address: use lowercase letters, digits and hyphens, e.g. `{}.md`",
                slugify(&slug)
            ),
        ));
    }
    let parts = front_matter::split(&shown, text)?;
    let source = Source::new(shown.clone(), 1);
    let meta = match yaml::parse::<M>(&source, parts.yaml) {
        Ok(meta) => Some(meta),
        Err(error) => {
            diagnostics.push(error);
            None
        }
    };
    let (body, calls, mut errors) = shortcodes::extract(parts.body, parts.body_line);
    errors.extend(super::links::unsafe_links(&body, parts.body_line));
    for error in errors {
        diagnostics.push(Diagnostic::new(
            shown.clone(),
            error.line,
            error.column,
            error.message,
        ));
    }
    match meta {
        Some(meta) if diagnostics.is_empty() => Ok(Document {
            slug,
            source,
            path: path.to_path_buf(),
            meta,
            body,
            shortcodes: calls,
        }),
        _ => Err(diagnostics),
    }
}

fn load_folder<M>(
    root: &Path,
    dir: &Path,
    parsed: Option<&ParsedFiles>,
    diagnostics: &mut Diagnostics,
) -> Vec<Document<M>>
where
    M: DeserializeOwned + Serialize + Clone + Send + Sync + 'static,
{
    let results: Vec<Result<Document<M>, Diagnostics>> = files_with_extension(dir, &["md"])
        .par_iter()
        .filter(|path| path.file_stem().is_some_and(|stem| stem != "_index"))
        .map(|path| load_document::<M>(root, path, parsed))
        .collect();
    let mut documents = Vec::new();
    for result in results {
        match result {
            Ok(document) => documents.push(document),
            Err(errors) => diagnostics.extend(errors),
        }
    }
    documents.sort_by(|a, b| a.slug.cmp(&b.slug));
    documents
}

/// Reads every Markdown file under `content/`.
pub fn load_content(root: &Path) -> Result<Content, Diagnostics> {
    load_content_kept(root, None, Tools::Loaded(None))
}

/// The tools of `content/outils/`, taking from `parsed` those whose files
/// did not change since it was last given them.
pub fn load_tools(root: &Path, parsed: Option<&ParsedFiles>) -> Result<Vec<Tool>, Diagnostics> {
    let mut diagnostics = Diagnostics::new();
    let dir = root.join("content").join("outils");
    let tools = load_folder(root, &dir, parsed, &mut diagnostics);
    diagnostics.into_result(tools)
}

/// `load_content`, taking from `parsed` the documents whose files did not
/// change since it was last given them, and the tools as `tools` says.
pub fn load_content_kept(
    root: &Path,
    parsed: Option<&ParsedFiles>,
    tools: Tools,
) -> Result<Content, Diagnostics> {
    let dir = root.join("content");
    let mut diagnostics = Diagnostics::new();
    let home_path = dir.join("_index.md");
    let home = if home_path.is_file() {
        match load_document(root, &home_path, parsed) {
            Ok(home) => Some(home),
            Err(errors) => {
                diagnostics.extend(errors);
                None
            }
        }
    } else {
        None
    };
    let tools_left_out = matches!(tools, Tools::LeftOut);
    let tools = match tools {
        Tools::Loaded(parsed) => load_tools(root, parsed).unwrap_or_else(|errors| {
            diagnostics.extend(errors);
            Vec::new()
        }),
        Tools::LeftOut => Vec::new(),
    };
    let content = Content {
        home,
        tools,
        news: load_folder(root, &dir.join("actualites"), parsed, &mut diagnostics),
        offers: load_folder(root, &dir.join("offres"), parsed, &mut diagnostics),
        pages: load_folder(root, &dir, parsed, &mut diagnostics),
        tools_left_out,
    };
    report_unexpected_folders(root, &dir, &mut diagnostics);
    diagnostics.into_result(content)
}

/// A Markdown file in a folder the generator does not publish would be
/// silently lost: say so.
fn report_unexpected_folders(root: &Path, dir: &Path, diagnostics: &mut Diagnostics) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut unknown: Vec<_> = entries
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.is_dir())
        .filter(|path| {
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            !name.starts_with('.') && !["outils", "actualites", "offres"].contains(&name)
        })
        .filter(|path| !files_with_extension(path, &["md"]).is_empty())
        .collect();
    unknown.sort();
    for path in unknown {
        diagnostics.push(Diagnostic::whole_file(
            display_path(root, &path),
            "this folder is not published: Markdown files go in `content/outils/`, `content/actualites/`, `content/offres/` or directly in `content/`",
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_lowercase_ascii() {
        assert!(is_valid_slug("protocole-avk-2"));
        assert!(!is_valid_slug("Protocole"));
        assert!(!is_valid_slug("étude"));
        assert!(!is_valid_slug("a_b"));
        assert_eq!(
            slugify("Protocole Anticoagulants (AVK)"),
            "protocole-anticoagulants-avk"
        );
        assert_eq!(slugify("Étude « cœur »"), "etude-coeur");
    }
}
