//! The toolbox carried over from the last build. Its files (the toolbox's
//! page, each tool's page, social card and attachments, the pages of its
//! themes and types, the search index) are made from the tools, the
//! vocabularies, the tools' views, the theme, the site's settings and the
//! program: never from a team's file, unless a tool's body holds a
//! shortcode (a `people` card names its team). When none of these changed
//! since the last build, and the toolbox's files are in the output as that
//! build left them (same size and time), they are taken as they are: when
//! one team's file changed, a national site's 10 000 tools are not even
//! loaded (`content::load::Tools::LeftOut`: the input files they are made
//! from are those the manifest records), their pages are neither keyed nor
//! rendered, and their social cards and search index are not looked up.
//!
//! The teams' figures reach every page through the site's settings (each
//! department's count of teams): the key holds the renderer's fingerprint,
//! which covers them.

use crate::content::Content;

/// Where the toolbox's files are in the output. No other file can be:
/// `outils` and `pagefind` are reserved, no page takes their names.
pub const FOLDERS: [&str; 2] = ["outils/", "pagefind/"];

/// Whether the output's file `path` is one of the toolbox's.
pub fn holds(path: &str) -> bool {
    FOLDERS.iter().any(|folder| path.starts_with(folder))
}

/// The input files' fingerprints (`fingerprint::Inputs`).
#[derive(Debug, Clone, Copy)]
pub struct Fingerprints<'a> {
    pub all: &'a str,
    /// The teams' files left out.
    pub without_teams: &'a str,
}

/// What the toolbox is made from among the input files: all but the
/// teams', unless a tool's body holds a shortcode, whose HTML may be made
/// from them. Tools left out (`content::load::Tools`) are those of the
/// last build, which recorded `without_teams`: they hold none.
pub fn inputs<'a>(fingerprints: Fingerprints<'a>, content: &Content) -> &'a str {
    if content.tools.iter().any(|tool| !tool.shortcodes.is_empty()) {
        fingerprints.all
    } else {
        fingerprints.without_teams
    }
}

/// What the toolbox's files were made from, as the manifest records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Made {
    /// Everything (`key`).
    pub key: String,
    /// Its part among the input files (`inputs`). While it stays the same,
    /// the next build does not load the tools: they are needed only if the
    /// toolbox cannot be carried over after all (a team added changes a
    /// department's count, which every page shows; a toolbox's file edited
    /// by hand).
    pub inputs: String,
}

/// What the toolbox's files are made from: its input files and the build's
/// settings (`inputs`), the theme and the site's settings as the renderer
/// holds them, and the fonts the social cards are drawn with.
pub fn made(inputs: &str, renderer: &blake3::Hash, fonts: &str) -> Made {
    let mut hasher = blake3::Hasher::new();
    hasher.update(b"toolbox\0").update(inputs.as_bytes());
    hasher.update(&[0]).update(renderer.as_bytes());
    hasher.update(fonts.as_bytes());
    Made {
        key: hasher.finalize().to_hex().to_string(),
        inputs: inputs.to_string(),
    }
}
