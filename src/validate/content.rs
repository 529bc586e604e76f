//! Checks of `content/`.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::content::{Content, Document, shortcodes::Shortcode};
use crate::data::{Data, Source};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::suggest::unknown_id_message;

/// Slugs of plain pages that would collide with the site's own sections.
pub fn reserved_page_slugs() -> &'static [&'static str] {
    &[
        "equipes",
        "region",
        "reseau",
        "outils",
        "actions",
        "actualites",
        "offres",
        "assets",
        "404",
        "sitemap",
        "atom",
        "robots",
        "index",
        "pagefind",
        "recherche",
    ]
}

/// The files the site itself writes in a tool's folder, beside its
/// attachments (`outils/<slug>/`): its page and its social card.
const TOOL_FILES: [&str; 2] = ["index.html", "social.png"];

/// Where an attachment is on disk, if it is a file inside `content/`.
///
/// The path is resolved with symbolic links followed, so that a link that
/// points outside `content/` is refused like a `../` path.
pub fn attachment_path(root: &Path, document: &Path, file: &str) -> Result<PathBuf, String> {
    if file.trim().is_empty() {
        return Err("the attachment's `file` is empty".to_string());
    }
    if Path::new(file).is_absolute()
        || file.starts_with('/')
        || file.starts_with('\\')
        || file.contains(':')
    {
        return Err(format!(
            "attachment `{file}` must be a path relative to the Markdown file, like `livret.pdf`"
        ));
    }
    let content_dir = root
        .join("content")
        .canonicalize()
        .map_err(|error| format!("cannot read content/: {error}"))?;
    let folder = document.parent().unwrap_or(Path::new("."));
    let candidate = folder.join(file);
    let resolved = candidate.canonicalize().map_err(|_| {
        format!("attachment `{file}` does not exist: put it next to the Markdown file")
    })?;
    if !resolved.starts_with(&content_dir) {
        return Err(format!(
            "attachment `{file}` is outside content/: only files inside content/ are published"
        ));
    }
    if !resolved.is_file() {
        return Err(format!("attachment `{file}` is not a file"));
    }
    Ok(resolved)
}

fn check_shortcodes<M>(data: &Data, document: &Document<M>, out: &mut Diagnostics) {
    let chart_names: Vec<&str> = data.charts.iter().map(|c| c.name.as_str()).collect();
    for call in &document.shortcodes {
        let at = |message: String| {
            Diagnostic::new(
                document.source.path.clone(),
                call.line,
                call.column,
                message,
            )
        };
        match call.name.as_str() {
            "chart" => check_chart_call(call, &chart_names, at, out),
            "people" => check_people_call(call, at, out),
            other => out.push(at(unknown_id_message(
                "shortcode",
                other,
                ["chart", "people"],
            ))),
        }
    }
}

fn check_people_call(call: &Shortcode, at: impl Fn(String) -> Diagnostic, out: &mut Diagnostics) {
    for (key, value) in &call.args {
        if key != "kind" {
            out.push(at(unknown_id_message(
                "argument of `people`",
                key,
                ["kind"],
            )));
        } else if value != "staff" && value != "board" {
            out.push(at(unknown_id_message(
                "kind of people",
                value,
                ["staff", "board"],
            )));
        }
    }
}

fn check_chart_call(
    call: &Shortcode,
    chart_names: &[&str],
    at: impl Fn(String) -> Diagnostic,
    out: &mut Diagnostics,
) {
    for key in call.args.keys() {
        if !["name", "title", "kind"].contains(&key.as_str()) {
            out.push(at(unknown_id_message(
                "argument of `chart`",
                key,
                ["name", "title", "kind"],
            )));
        }
    }
    if let Some(kind) = call.args.get("kind")
        && !["bar", "column", "donut", "line"].contains(&kind.as_str())
    {
        out.push(at(unknown_id_message(
            "chart kind",
            kind,
            ["bar", "column", "donut", "line"],
        )));
    }
    match call.args.get("name") {
        None => out.push(at(
            "`chart` needs `name=\"…\"`, the name of a file in data/charts/".to_string(),
        )),
        Some(name) if !chart_names.contains(&name.as_str()) => {
            let message = unknown_id_message("chart", name, chart_names.iter().copied());
            out.push(at(format!("{message} (charts are files in data/charts/)")));
        }
        Some(_) => {}
    }
}

pub(super) fn check_content(root: &Path, data: &Data, content: &Content, out: &mut Diagnostics) {
    for tool in &content.tools {
        check_tool(root, data, tool, out);
    }
    for offer in &content.offers {
        super::data::check_team_ref(data, &offer.source, &offer.meta.team, out);
        if let Some(date) = &offer.meta.date
            && date.value > offer.meta.expires.value
        {
            out.push(offer.source.at(
                &offer.meta.expires,
                "the offer expires before its publication date",
            ));
        }
        check_shortcodes(data, offer, out);
    }
    for news in &content.news {
        check_shortcodes(data, news, out);
    }
    for page in &content.pages {
        if reserved_page_slugs().contains(&page.slug.as_str()) {
            out.push(Diagnostic::whole_file(
                page.source.path.clone(),
                format!(
                    "`/{}/` is a section of the site: give this page another file name",
                    page.slug
                ),
            ));
        }
        check_shortcodes(data, page, out);
    }
    if let Some(home) = &content.home {
        check_shortcodes(data, home, out);
    }
    // The tools left out are those the last build checked, with the same
    // views (`render::toolbox`): their views are not checked without them.
    if !content.tools_left_out {
        check_tool_views(data, content, out);
    }
    for document in content
        .tools
        .iter()
        .filter(|t| t.slug == "themes" || t.slug == "types")
    {
        out.push(Diagnostic::whole_file(
            document.source.path.clone(),
            format!(
                "`/outils/{}/` is a section of the toolbox: give this tool another file name",
                document.slug
            ),
        ));
    }
}

fn check_tool(root: &Path, data: &Data, tool: &crate::content::Tool, out: &mut Diagnostics) {
    let source: &Source = &tool.source;
    let meta = &tool.meta;
    if meta.title.trim().is_empty() {
        out.push(Diagnostic::new(
            source.path.clone(),
            2,
            1,
            "the tool has an empty `title`",
        ));
    }
    if !data.tool_types.contains(&meta.tool_type.value) {
        out.push(source.at(
            &meta.tool_type,
            unknown_id_message("tool type", &meta.tool_type.value, data.tool_types.ids()),
        ));
    }
    for theme in &meta.themes {
        if !data.themes.contains(&theme.value) {
            out.push(source.at(
                theme,
                unknown_id_message("theme", &theme.value, data.themes.ids()),
            ));
        }
    }
    let mut names: HashMap<String, &str> = HashMap::new();
    for attachment in &meta.attachments {
        let file = &attachment.file;
        match attachment_path(root, &tool.path, &file.value) {
            Err(message) => out.push(source.at(file, message)),
            Ok(path) => {
                let name = path
                    .file_name()
                    .and_then(|n| n.to_str())
                    .unwrap_or_default()
                    .to_string();
                if TOOL_FILES.contains(&name.as_str()) {
                    out.push(source.at(
                        file,
                        format!(
                            "attachment `{}` would be published as `{name}`, a file the tool's page already has: rename it",
                            file.value
                        ),
                    ));
                }
                if let Some(previous) = names.insert(name.clone(), &file.value) {
                    out.push(source.at(
                        file,
                        format!(
                            "attachments `{previous}` and `{}` would both be published as `{name}`",
                            file.value
                        ),
                    ));
                }
            }
        }
    }
    check_shortcodes(data, tool, out);
}

/// `data/stats.yaml`: each line names a tool that exists, once, with a count
/// of views that is a count.
fn check_tool_views(data: &Data, content: &Content, out: &mut Diagnostics) {
    let source = &data.stats_source;
    let slugs: Vec<&str> = content.tools.iter().map(|t| t.slug.as_str()).collect();
    let known: HashSet<&str> = slugs.iter().copied().collect();
    let mut seen: HashMap<&str, u64> = HashMap::new();
    for entry in &data.tool_views {
        let slug = entry.tool.value.as_str();
        if !known.contains(slug) {
            let message = unknown_id_message("tool", slug, slugs.iter().copied());
            out.push(source.at(
                &entry.tool,
                format!("{message} (tools are the files of content/outils/)"),
            ));
        } else if let Some(line) = seen.insert(slug, entry.tool.referenced.line()) {
            out.push(source.at(
                &entry.tool,
                format!("tool `{slug}` is already counted on line {line}"),
            ));
        }
        if entry.views.value < 0 {
            out.push(source.at(
                &entry.views,
                format!("`views` cannot be negative (found {})", entry.views.value),
            ));
        }
    }
}
