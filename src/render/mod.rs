//! Rendering: Tera 2 templates of the theme, with French filters, turned
//! into the list of files of the site.

pub mod chart_svg;
pub mod charts;
pub mod escape;
pub mod feeds;
pub mod french;
pub mod infographics;
pub mod markdown;
pub mod pages;
pub mod search;
mod templates;

pub use templates::{Assets, Renderer};

/// One file of the built site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path inside the output folder, `/`-separated, e.g. `equipes/x/index.html`.
    pub path: String,
    pub contents: FileContents,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileContents {
    /// Bytes to write as they are.
    Bytes(Vec<u8>),
    /// A file of the site's sources to copy (attachments, fonts).
    Copy(std::path::PathBuf),
}

impl OutputFile {
    pub fn bytes(path: impl Into<String>, bytes: Vec<u8>) -> Self {
        OutputFile {
            path: path.into(),
            contents: FileContents::Bytes(bytes),
        }
    }

    pub fn text(path: impl Into<String>, text: String) -> Self {
        OutputFile {
            path: path.into(),
            contents: FileContents::Bytes(text.into_bytes()),
        }
    }
}

/// What `serve` keeps from one rebuild to the next so that a rebuild only
/// redoes what changed: rendered pages by the hash of their values, and the
/// search index by the hash of its documents, and the pictures of the
/// content-hash cache (`infographic::cache`) in memory. A rebuild with a memo
/// gives the same files as a build without one.
#[derive(Default)]
pub struct Memo {
    pub pages: pages::PageMemo,
    pub search: search::SearchMemo,
    /// Rasterised pictures, kept in memory on top of the disk cache.
    pub pictures: crate::infographic::cache::Memory,
}
