//! The toolbox's search index: Pagefind, through its Rust API, inside the
//! build. Each tool is given to Pagefind as a small HTML document (title,
//! summary, type, themes, keywords and body) in French, so that Pagefind's
//! French stemmer indexes it ("protocoles" finds "protocole"), with its
//! theme, type and keywords as filters. The files land in `/pagefind/`.

use rayon::prelude::*;

use super::escape::html as escape;
use super::french::typography;
use super::{FileContents, OutputFile};
use crate::diagnostics::Diagnostic;
use crate::model::SiteModel;
use crate::model::views::ToolView;

/// Folder of the index in the site, and of the files Pagefind's script loads.
pub const FOLDER: &str = "pagefind";

/// Pagefind ships user interfaces the toolbox does not use (it has its own,
/// with counts beside each filter value), and a search module for pages of
/// unknown language (every page is in French): they are not published.
fn is_needed(path: &str) -> bool {
    let unused = [
        "pagefind-ui.",
        "pagefind-modular-ui.",
        "pagefind-component-ui.",
        "pagefind-highlight.",
        "playground/",
        "wasm.unknown.",
    ];
    !unused.iter().any(|prefix| path.starts_with(prefix))
}

/// The document Pagefind indexes for `tool`: every text a visitor may search
/// for, and the filters as attributes (`filter:value`) that add no text.
fn document(tool: &ToolView) -> String {
    let mut filters = format!(
        r#"<span data-pagefind-filter="type:{}"></span>"#,
        escape(&tool.tool_type.label)
    );
    for theme in &tool.themes {
        filters.push_str(&format!(
            r#"<span data-pagefind-filter="theme:{}"></span>"#,
            escape(&theme.label)
        ));
    }
    for keyword in &tool.keywords {
        filters.push_str(&format!(
            r#"<span data-pagefind-filter="keyword:{}"></span>"#,
            escape(keyword)
        ));
    }
    format!(
        concat!(
            r#"<!DOCTYPE html><html lang="fr"><head><title>{title}</title></head><body>"#,
            r#"<main data-pagefind-body>{filters}"#,
            r#"<span data-pagefind-meta="type:{kind}"></span>"#,
            r#"<span data-pagefind-meta="summary:{summary}"></span>"#,
            r#"<span data-pagefind-meta="date:{date}"></span>"#,
            r#"<h1>{title}</h1><p>{summary}</p><p>{kind}. {themes}. {keywords}</p>{body}</main></body></html>"#
        ),
        title = escape(&typography(&tool.title)),
        filters = filters,
        kind = escape(&tool.tool_type.label),
        summary = escape(&typography(&tool.summary)),
        date = tool.date,
        keywords = escape(&tool.keywords.join(", ")),
        themes = escape(
            &tool
                .themes
                .iter()
                .map(|t| t.label.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        body = tool.content,
    )
}

/// The last index built, by the BLAKE3 of its documents: `serve` keeps it so
/// that a rebuild where no tool changed does not index again.
pub type SearchMemo = std::sync::Mutex<Option<(blake3::Hash, Vec<OutputFile>)>>;

/// The search index of a build: found in the memo or the disk cache, or to
/// be built by Pagefind.
pub enum SearchIndex<'m> {
    Found(Vec<OutputFile>),
    ToBuild(Documents<'m>),
}

/// The documents of every published tool, and their hash.
pub struct Documents<'m> {
    documents: Vec<(&'m str, String)>,
    key: blake3::Hash,
}

/// The index of every published tool, as files under `pagefind/`, when the
/// memo or the disk cache has it (none at all when the site has no search).
pub fn find_search_index<'m>(
    model: &'m SiteModel,
    tool_keys: &super::tool_keys::ToolKeys,
    memo: Option<&SearchMemo>,
    cache: &DiskCache,
) -> SearchIndex<'m> {
    if !model.config.search {
        return SearchIndex::Found(Vec::new());
    }
    // Documents are made from the tools only if the index is to be built:
    // the key is made of the tools' hashes, and of the code that makes
    // the documents from them and indexes them.
    let mut hasher = blake3::Hasher::new();
    hasher.update(indexer().as_bytes());
    for tool_key in &tool_keys.views {
        hasher.update(tool_key.as_bytes());
    }
    let key = hasher.finalize();
    if let Some(Ok(known)) = memo.map(|m| m.lock())
        && let Some((known_key, files)) = known.as_ref()
        && *known_key == key
    {
        return SearchIndex::Found(files.clone());
    }
    match cache.get(&key.to_hex()) {
        Some(files) => {
            remember(memo, key, &files);
            SearchIndex::Found(files)
        }
        None => {
            let documents = model
                .tools
                .par_iter()
                .map(|tool| (tool.url.as_str(), document(tool)))
                .collect();
            SearchIndex::ToBuild(Documents { documents, key })
        }
    }
}

/// What makes the index from the tools: this file's code (the documents),
/// the French typography, HTML escaping and dates' display it calls, and
/// the libraries' versions, Pagefind's among them. A new version of
/// msp-site that changes none of them keeps the index (10 000 tools take
/// seconds to index).
fn indexer() -> &'static str {
    static INDEXER: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    INDEXER.get_or_init(|| {
        let mut hasher = blake3::Hasher::new();
        for code in [
            include_str!("search.rs"),
            include_str!("french.rs"),
            include_str!("escape.rs"),
            include_str!("../data/date.rs"),
            // The libraries' versions, and their features (Pagefind's).
            crate::fingerprint::dependencies(),
            include_str!("../../Cargo.toml"),
        ] {
            hasher.update(code.as_bytes()).update(&[0]);
        }
        hasher.finalize().to_hex().to_string()
    })
}

/// Indexes `documents` with Pagefind (seconds for thousands of tools), and
/// keeps the index in the memo and the disk cache.
pub fn build_search_index(
    documents: Documents,
    memo: Option<&SearchMemo>,
    cache: &DiskCache,
) -> Result<Vec<OutputFile>, Diagnostic> {
    let key = documents.key;
    let files = cache.put(&key.to_hex(), index_documents(documents.documents)?);
    remember(memo, key, &files);
    Ok(files)
}

fn remember(memo: Option<&SearchMemo>, key: blake3::Hash, files: &[OutputFile]) {
    if let Some(Ok(mut known)) = memo.map(|m| m.lock()) {
        *known = Some((key, files.to_vec()));
    }
}

/// The last index built, kept on the disk (`.msp-cache/search/<hash>/`):
/// indexing ten thousand tools takes seconds, and a rebuild where no tool
/// changed needs none of it. Only the last index is kept.
pub struct DiskCache {
    pub dir: Option<std::path::PathBuf>,
    /// `check` reads the cache but never writes it.
    pub writable: bool,
}

/// Written last into an index's folder: a folder without it is incomplete.
const COMPLETE: &str = "complete";

impl DiskCache {
    fn get(&self, key: &str) -> Option<Vec<OutputFile>> {
        let folder = self.dir.as_ref()?.join(key);
        if !folder.join(COMPLETE).is_file() {
            return None;
        }
        let mut files: Vec<OutputFile> = walkdir::WalkDir::new(&folder)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|entry| entry.file_type().is_file() && entry.file_name() != COMPLETE)
            .filter_map(|entry| {
                let relative = entry.path().strip_prefix(&folder).ok()?;
                let relative = relative.to_string_lossy().replace('\\', "/");
                Some(OutputFile::new(
                    format!("{FOLDER}/{relative}"),
                    FileContents::Cached {
                        path: entry.path().to_path_buf(),
                        key: format!("{key}/{relative}"),
                    },
                ))
            })
            .collect();
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Some(files)
    }

    /// Keeps `files` as the index of `key`, in place of any other; a failure
    /// to write only costs time at the next build.
    fn put(&self, key: &str, files: Vec<OutputFile>) -> Vec<OutputFile> {
        let Some(dir) = self.dir.as_ref().filter(|_| self.writable) else {
            return files;
        };
        if let Ok(entries) = std::fs::read_dir(dir) {
            for entry in entries.filter_map(Result::ok) {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
        let folder = dir.join(key);
        let written = files.iter().all(|file| {
            let relative = file
                .path
                .strip_prefix(&format!("{FOLDER}/"))
                .unwrap_or(&file.path);
            let target = folder.join(relative);
            let bytes = file.contents.read();
            target
                .parent()
                .is_some_and(|p| std::fs::create_dir_all(p).is_ok())
                && bytes.is_ok_and(|bytes| std::fs::write(&target, bytes).is_ok())
        });
        if written && std::fs::write(folder.join(COMPLETE), key).is_ok() {
            // The same references as the next build's, so that publishing
            // does not see the index as changed then.
            return self.get(key).unwrap_or(files);
        }
        files
    }
}

fn index_documents(documents: Vec<(&str, String)>) -> Result<Vec<OutputFile>, Diagnostic> {
    let failure = |error: String| {
        Diagnostic::whole_file(
            "content/outils".to_string(),
            format!("cannot build the search index: {error}"),
        )
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(|e| failure(e.to_string()))?;
    let files = runtime.block_on(async {
        let options = pagefind::options::PagefindServiceConfig::builder()
            .force_language("fr".to_string())
            .build();
        let mut index = pagefind::api::PagefindIndex::new(Some(options))?;
        for (url, document) in documents {
            index
                .add_html_file(None, Some(url.to_string()), document)
                .await?;
        }
        index.get_files().await
    });
    let mut files: Vec<OutputFile> = files
        .map_err(|e| failure(e.to_string()))?
        .into_iter()
        .filter_map(|file| {
            let path = file.filename.to_string_lossy().replace('\\', "/");
            is_needed(&path).then(|| OutputFile::bytes(format!("{FOLDER}/{path}"), file.contents))
        })
        .collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}
