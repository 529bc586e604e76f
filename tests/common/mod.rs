//! Helpers shared by the whole-site tests: fixture sites copied into
//! temporary folders with the repository's own theme, and digests of output
//! folders to prove what a build did or did not touch.

#![allow(dead_code)]

pub mod hostile;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use msp_site::data::Date;
use msp_site::{BuildOptions, Error};

pub fn repository() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("readable fixture");
        let relative = entry.path().strip_prefix(from).expect("inside the fixture");
        let target = to.join(relative);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("create folder");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

/// A copy of `tests/fixtures/<name>` with `themes/default` of the repository.
pub fn fixture(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary folder");
    copy_tree(&repository().join("tests/fixtures").join(name), dir.path());
    copy_tree(&repository().join("themes"), &dir.path().join("themes"));
    dir
}

/// The example site of the repository (data, content, theme), in a temporary folder.
pub fn example_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary folder");
    for folder in ["data", "content", "themes"] {
        copy_tree(&repository().join(folder), &dir.path().join(folder));
    }
    dir
}

/// Build options with a fixed "today", so that expired offers do not depend on the clock.
pub fn options(root: &Path) -> BuildOptions {
    let mut options = BuildOptions::new(root);
    options.today = Date::parse("2026-11-23").expect("a valid date");
    options
}

pub fn build(root: &Path) -> Result<msp_site::BuildReport, Error> {
    msp_site::build(&options(root))
}

/// Every diagnostic of a failed build, one line each.
pub fn build_errors(root: &Path) -> Vec<String> {
    match build(root) {
        Ok(_) => panic!("the build should have failed"),
        Err(Error::Site(diagnostics)) => diagnostics
            .into_sorted()
            .iter()
            .map(ToString::to_string)
            .collect(),
        Err(other) => panic!("unexpected error: {other}"),
    }
}

pub fn read(root: &Path, path: &str) -> String {
    std::fs::read_to_string(root.join("output").join(path))
        .unwrap_or_else(|e| panic!("output/{path}: {e}"))
}

/// Path → BLAKE3 of the bytes, for every file below `dir`.
pub fn digest(dir: &Path) -> BTreeMap<String, String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let relative = e
                .path()
                .strip_prefix(dir)
                .expect("inside")
                .to_string_lossy()
                .into_owned();
            let bytes = std::fs::read(e.path()).expect("readable");
            (relative, blake3::hash(&bytes).to_hex().to_string())
        })
        .collect()
}

pub fn write(root: &Path, path: &str, text: &str) {
    let target = root.join(path);
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent).expect("create folder");
    }
    std::fs::write(target, text).expect("write file");
}

/// Replaces the first occurrence of `from` in a file of the site.
pub fn edit(root: &Path, path: &str, from: &str, to: &str) {
    let file = root.join(path);
    let text = std::fs::read_to_string(&file).expect("readable");
    assert!(text.contains(from), "{path} does not contain {from:?}");
    std::fs::write(&file, text.replacen(from, to, 1)).expect("write file");
}

/// The inflated contents of each compressed stream of a PDF, in file order.
/// The search resumes after each `endstream`, whose own letters end in
/// `stream`: resuming inside it would take the next object for a stream and
/// lose every second one.
pub fn pdf_streams(pdf: &[u8]) -> Vec<Vec<u8>> {
    use std::io::Read;
    let find =
        |haystack: &[u8], needle: &[u8]| haystack.windows(needle.len()).position(|w| w == needle);
    let mut streams = Vec::new();
    let mut rest = pdf;
    while let Some(start) = find(rest, b"stream") {
        let body = &rest[start + b"stream".len()..];
        let body = body
            .strip_prefix(b"\r\n")
            .or_else(|| body.strip_prefix(b"\n"))
            .unwrap_or(body);
        let Some(end) = find(body, b"endstream") else {
            break;
        };
        let mut inflated = Vec::new();
        if flate2::read::ZlibDecoder::new(&body[..end])
            .read_to_end(&mut inflated)
            .is_ok()
        {
            streams.push(inflated);
        }
        rest = &body[end + b"endstream".len()..];
    }
    streams
}
