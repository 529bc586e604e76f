//! The theme's Tera 2 templates and static files.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tera::{Context, Kwargs, State, Tera, Value};

use super::french;
use super::{FileContents, OutputFile};
use crate::data::Date;
use crate::diagnostics::{Diagnostic, Diagnostics, display_path};
use crate::model::views::{ConfigView, MenuItem};

/// The theme's static files, CSS and JS renamed with a hash of their bytes
/// so that browsers may cache them for ever.
#[derive(Debug, Clone, Default)]
pub struct Assets {
    /// Path under `static/` → published path under the output folder.
    pub published: BTreeMap<String, String>,
    /// The files to write.
    pub files: Vec<OutputFile>,
}

/// Every file below `dir`, sorted, leaving out hidden and editors' temporary files.
fn files_below(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_file())
        .map(|entry| entry.into_path())
        .filter(|path| !crate::data::load::is_hidden_or_temporary(path))
        .collect();
    files.sort();
    files
}

impl Assets {
    /// Reads `theme/static/`, fingerprinting `.css` and `.js` files.
    pub fn load(root: &Path, theme: &Path) -> Result<Assets, Diagnostics> {
        let dir = theme.join("static");
        let mut assets = Assets::default();
        let mut diagnostics = Diagnostics::new();
        for path in files_below(&dir) {
            let relative = display_path(&dir, &path);
            let extension = path
                .extension()
                .and_then(|e| e.to_str())
                .unwrap_or_default();
            let published = if matches!(extension, "css" | "js") {
                match std::fs::read(&path) {
                    Ok(bytes) => {
                        let hash = blake3::hash(&bytes).to_hex();
                        let stem = relative.trim_end_matches(&format!(".{extension}"));
                        let name = format!("assets/{stem}.{}.{extension}", &hash[..10]);
                        assets.files.push(OutputFile {
                            path: name.clone(),
                            contents: FileContents::Bytes(bytes),
                        });
                        name
                    }
                    Err(error) => {
                        diagnostics.push(Diagnostic::whole_file(
                            display_path(root, &path),
                            format!("cannot read the file: {error}"),
                        ));
                        continue;
                    }
                }
            } else {
                let name = format!("assets/{relative}");
                assets.files.push(OutputFile {
                    path: name.clone(),
                    contents: FileContents::Copy(path.clone()),
                });
                name
            };
            assets.published.insert(relative, published);
        }
        diagnostics.into_result(assets)
    }
}

/// Templates ready to render, shared by all rendering threads.
pub struct Renderer {
    tera: Tera,
    templates_dir: PathBuf,
    root: PathBuf,
    /// BLAKE3 of everything a page's HTML depends on besides its own values:
    /// the templates, the fingerprinted assets, the site's settings and menu.
    pub fingerprint: blake3::Hash,
}

fn number_of(value: &Value) -> Option<f64> {
    value.as_number().map(|n| n.as_float())
}

fn register_filters(tera: &mut Tera) {
    // `719920 | fr_number` → `719 920`; decimals shown only when needed.
    tera.register_filter("fr_number", |value: Value, kwargs: Kwargs, _: &State| {
        let decimals = kwargs
            .get::<i64>("decimals")
            .ok()
            .flatten()
            .unwrap_or(1)
            .clamp(0, 6) as u32;
        match number_of(&value) {
            Some(number) => french::decimal(number, decimals),
            None => value.to_string(),
        }
    });
    tera.register_filter("fr_percent", |value: Value, _: Kwargs, _: &State| {
        number_of(&value).map_or_else(
            || value.to_string(),
            |n| french::percent(french::round_half_up(n) as i64),
        )
    });
    tera.register_filter("fr_date", |value: &str, _: Kwargs, _: &State| {
        Date::parse(value).map_or_else(|| value.to_string(), french::long_date)
    });
    tera.register_filter("fr_month", |value: &str, _: Kwargs, _: &State| {
        Date::parse(value).map_or_else(|| value.to_string(), french::month_year)
    });
    tera.register_filter("typo", |value: &str, _: Kwargs, _: &State| {
        french::typography(value)
    });
    // French plural: 0 and 1 are singular ("0 offre", "1 équipe", "2 équipes").
    tera.register_filter("pluralize", |value: Value, _: Kwargs, _: &State| {
        let plural = number_of(&value).is_some_and(|n| n.abs() >= 2.0);
        if plural { "s" } else { "" }.to_string()
    });
}

/// Turns a Tera error into a located diagnostic in the theme's files.
fn template_diagnostic(root: &Path, templates_dir: &Path, error: &tera::Error) -> Diagnostic {
    let shown_dir = display_path(root, templates_dir);
    let mut message = String::new();
    let location = match error.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            message.push_str(report.message());
            Some((
                report.filename().to_string(),
                report.span().start_line,
                report.span().start_col + 1,
            ))
        }
        _ => {
            message.push_str(&error.to_string());
            None
        }
    };
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    match location {
        Some((file, line, column)) => Diagnostic::new(
            format!("{shown_dir}/{file}"),
            line as u64,
            column as u64,
            message,
        ),
        None => Diagnostic::whole_file(shown_dir, message),
    }
}

impl Renderer {
    /// Loads every template of `theme/templates/`, with the site-wide values
    /// every page sees.
    pub fn new(
        root: &Path,
        theme: &Path,
        config: &ConfigView,
        menu: &[MenuItem],
        assets: &Assets,
    ) -> Result<Renderer, Diagnostics> {
        let templates_dir = theme.join("templates");
        let mut tera = Tera::default();
        tera.autoescape_on([".html", ".xml", ".svg"]);
        register_filters(&mut tera);
        let published: Arc<BTreeMap<String, String>> = Arc::new(
            assets
                .published
                .iter()
                .map(|(name, path)| (name.clone(), format!("{}{path}", config.base_path)))
                .collect(),
        );
        tera.register_function(
            "asset",
            move |kwargs: Kwargs, _: &State| -> tera::TeraResult<String> {
                let path: String = kwargs.must_get("path")?;
                published.get(path.as_str()).cloned().ok_or_else(|| {
                    tera::Error::message(format!("no file `{path}` in the theme's static folder"))
                })
            },
        );

        let files = files_below(&templates_dir);
        if files.is_empty() {
            return Err(Diagnostic::whole_file(
                display_path(root, &templates_dir),
                "no templates here: the site needs its theme, with Tera templates in themes/default/templates/",
            )
            .into());
        }
        let mut diagnostics = Diagnostics::new();
        let mut sources = Vec::new();
        for path in &files {
            match crate::data::load::read_text(root, path) {
                Ok(text) => sources.push((display_path(&templates_dir, path), text)),
                Err(error) => diagnostics.push(error),
            }
        }
        if !diagnostics.is_empty() {
            return Err(diagnostics);
        }
        if let Err(error) =
            tera.add_raw_templates(sources.iter().map(|(n, t)| (n.as_str(), t.as_str())))
        {
            return Err(template_diagnostic(root, &templates_dir, &error).into());
        }
        tera.global_context().insert("site", config);
        tera.global_context().insert("menu", menu);
        let mut hasher = blake3::Hasher::new();
        for (name, text) in &sources {
            hasher
                .update(name.as_bytes())
                .update(&[0])
                .update(text.as_bytes());
        }
        for (name, path) in &assets.published {
            hasher
                .update(name.as_bytes())
                .update(&[0])
                .update(path.as_bytes());
        }
        hasher.update(&serde_json::to_vec(config).unwrap_or_default());
        hasher.update(&serde_json::to_vec(menu).unwrap_or_default());
        Ok(Renderer {
            tera,
            templates_dir,
            root: root.to_path_buf(),
            fingerprint: hasher.finalize(),
        })
    }

    /// Renders one template; an error names the template file, line and column.
    pub fn render(&self, template: &str, context: &Context) -> Result<String, Diagnostic> {
        self.tera
            .render(template, context)
            .map_err(|error| template_diagnostic(&self.root, &self.templates_dir, &error))
    }
}
