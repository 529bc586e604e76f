//! Writing the site: every file goes into a staging folder beside the output
//! folder, and only when all of them are written is the staging folder swapped
//! into place. A build that fails at any point leaves the published folder as
//! it was.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostics::{Error, Result};
use crate::render::{FileContents, OutputFile};

/// minify-html settings that keep the output valid HTML5 for validators:
/// closing tags, quotes and the doctype are kept as they are.
fn minify_config() -> minify_html::Cfg {
    let mut cfg = minify_html::Cfg::new();
    cfg.keep_closing_tags = true;
    cfg.keep_html_and_head_opening_tags = true;
    cfg.minify_doctype = false;
    cfg.minify_css = true;
    cfg.minify_js = true;
    cfg.keep_comments = false;
    cfg.allow_noncompliant_unquoted_attribute_values = false;
    cfg.allow_removing_spaces_between_attributes = false;
    cfg.allow_optimal_entities = false;
    cfg
}

/// The bytes of an HTML page, minified (never a standalone SVG or XML file).
pub fn minify(file: &OutputFile) -> Option<Vec<u8>> {
    match &file.contents {
        FileContents::Bytes(bytes) if file.path.ends_with(".html") => {
            Some(minify_html::minify(bytes, &minify_config()))
        }
        _ => None,
    }
}

/// `<parent>/.<name>.<suffix>`: beside the output so that renames stay on one file system.
fn sibling(output: &Path, suffix: &str) -> PathBuf {
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".to_string());
    let parent = output
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    parent.join(format!(".{name}.{suffix}"))
}

fn write_file(staging: &Path, file: &OutputFile) -> Result<()> {
    let target = staging.join(&file.path);
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| Error::io("cannot create folder", parent, e))?;
    }
    match &file.contents {
        FileContents::Bytes(bytes) => {
            let minified = minify(file);
            let data = minified.as_deref().unwrap_or(bytes);
            std::fs::write(&target, data).map_err(|e| Error::io("cannot write", &target, e))?;
        }
        FileContents::Copy(source) => {
            std::fs::copy(source, &target).map_err(|e| Error::io("cannot copy", source, e))?;
        }
    }
    Ok(())
}

/// Writes `files` into `output`, atomically replacing what was there.
pub fn publish(output: &Path, files: &[OutputFile]) -> Result<()> {
    let staging = sibling(output, "staging");
    if staging.exists() {
        std::fs::remove_dir_all(&staging)
            .map_err(|e| Error::io("cannot remove the old staging folder", &staging, e))?;
    }
    std::fs::create_dir_all(&staging)
        .map_err(|e| Error::io("cannot create folder", &staging, e))?;
    let written: Result<Vec<()>> = files
        .par_iter()
        .map(|file| write_file(&staging, file))
        .collect();
    if let Err(error) = written {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(error);
    }
    swap_into_place(&staging, output)
}

/// Puts `staging` at `output`: the previous output is moved aside, then
/// deleted once the new one is in place; if the second rename fails the
/// previous output is put back.
fn swap_into_place(staging: &Path, output: &Path) -> Result<()> {
    if !output.exists() {
        return std::fs::rename(staging, output)
            .map_err(|e| Error::io("cannot move the new site into", output, e));
    }
    let previous = sibling(output, "previous");
    if previous.exists() {
        std::fs::remove_dir_all(&previous).map_err(|e| Error::io("cannot remove", &previous, e))?;
    }
    std::fs::rename(output, &previous).map_err(|e| Error::io("cannot move aside", output, e))?;
    if let Err(error) = std::fs::rename(staging, output) {
        let _ = std::fs::rename(&previous, output);
        return Err(Error::io("cannot move the new site into", output, error));
    }
    std::fs::remove_dir_all(&previous).map_err(|e| Error::io("cannot remove", &previous, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minifies_html_but_not_svg() {
        let page = OutputFile::text(
            "a/index.html",
            "<!DOCTYPE html>\n<html lang=\"fr\">\n  <p>  Bonjour  </p>\n</html>".into(),
        );
        let html = String::from_utf8(minify(&page).unwrap()).unwrap();
        assert_eq!(html, "<!doctype html><html lang=fr><p>Bonjour</p></html>");
        assert!(minify(&OutputFile::text("a.svg", "<svg/>".into())).is_none());
    }

    #[test]
    fn publish_replaces_the_previous_output() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("output");
        publish(&output, &[OutputFile::text("a.txt", "1".into())]).unwrap();
        publish(&output, &[OutputFile::text("b.txt", "2".into())]).unwrap();
        assert!(!output.join("a.txt").exists());
        assert_eq!(std::fs::read_to_string(output.join("b.txt")).unwrap(), "2");
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(
            leftovers.len(),
            1,
            "staging and previous folders are removed"
        );
    }
}
