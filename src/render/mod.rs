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
pub mod tool_keys;
pub mod toolbox;

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
    /// A picture of the infographic cache, under its key: its bytes stay on
    /// the disk until the file is published (a national site's pictures
    /// weigh gigabytes), and the key says whether they changed.
    Cached {
        path: std::path::PathBuf,
        key: String,
    },
    /// A picture `serve` rasterises only when it is first asked for: a save
    /// shows up in the browser without waiting for PNG and PDF encoders.
    Deferred(Deferred),
    /// An HTML page this build rendered, with the key of everything it was
    /// made from (template, values, theme, program): the output manifest
    /// records the key, so that the next build can tell the page is the same
    /// without rendering it.
    Page { html: String, key: String },
    /// A file the last build wrote into the output folder, that this build
    /// would make the same, and that nobody touched since: a page made from
    /// the same key, or any file of a toolbox carried over
    /// (`render::toolbox`). It is neither made nor written again. `path` is
    /// that file, `identity` what the manifest says of it, `len` and
    /// `modified` its size and time then. Its bytes, when read, are those
    /// of the file: a page's minified, unlike those of `Page`.
    Published {
        path: std::path::PathBuf,
        identity: String,
        len: u64,
        modified: u128,
    },
}

/// The SVG of a picture not rasterised yet, and what to make of it.
#[derive(Debug, Clone)]
pub struct Deferred {
    pub svg: std::sync::Arc<str>,
    /// Its scene, when the PNG is painted from it rather than from the SVG.
    pub scene: Option<std::sync::Arc<crate::infographic::scene::Scene>>,
    pub kind: DeferredKind,
    /// Its key in the picture cache, where it goes once rasterised.
    pub key: String,
}

/// Equal when their SVG, kind and key are: the scene is drawn with the SVG,
/// shape for shape.
impl PartialEq for Deferred {
    fn eq(&self, other: &Deferred) -> bool {
        self.svg == other.svg && self.kind == other.kind && self.key == other.key
    }
}

impl Eq for Deferred {}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeferredKind {
    Png(crate::infographic::raster::PngSettings),
    Pdf,
}

impl FileContents {
    /// The file's bytes, read from the disk when they are not in memory.
    pub fn read(&self) -> std::io::Result<std::borrow::Cow<'_, [u8]>> {
        match self {
            FileContents::Bytes(bytes) => Ok(std::borrow::Cow::Borrowed(bytes)),
            FileContents::Page { html, .. } => Ok(std::borrow::Cow::Borrowed(html.as_bytes())),
            FileContents::Copy(path)
            | FileContents::Cached { path, .. }
            | FileContents::Published { path, .. } => {
                std::fs::read(path).map(std::borrow::Cow::Owned)
            }
            FileContents::Deferred(_) => Err(std::io::Error::other(
                "a picture not rasterised yet (only `serve` defers pictures)",
            )),
        }
    }
}

impl OutputFile {
    pub fn new(path: impl Into<String>, contents: FileContents) -> Self {
        OutputFile {
            path: path.into(),
            contents,
        }
    }

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
/// redoes what changed: rendered pages by the hash of their values, the
/// search index by the hash of its documents, and pictures by the hash of
/// their inputs (their PNG and PDF are in the cache, `infographic::cache`, or
/// deferred). A rebuild with a memo gives the same files as a build without
/// one.
#[derive(Default)]
pub struct Memo {
    /// The site's files as the last load parsed them: the tools apart, as
    /// `build` keeps them (`content::load::Tools`).
    pub files: crate::data::load::ParsedFiles,
    /// The tools as the last load parsed them.
    pub tools: crate::data::load::ParsedFiles,
    pub pages: pages::PageMemo,
    pub search: search::SearchMemo,
    pub pictures: infographics::PictureMemo,
    pub bodies: markdown::RenderedBodies,
}
