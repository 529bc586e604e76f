//! The fuzzers' site: a copy of `tests/fixtures/minimal` with the theme, in
//! memory-backed storage when there is some. Each run puts the fuzzer's
//! bytes in place of one of its files, then does what `msp-site check`
//! does — read, validate, build the model, render every page and draw every
//! picture's SVG (rasterising is left out: it only sees the SVG) — and puts
//! the file back. An error is a fine outcome; a panic or a hang is a bug.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn copy_tree(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).expect("readable fixture") {
        let entry = entry.expect("readable entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            std::fs::create_dir_all(&target).expect("create folder");
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

fn site() -> &'static PathBuf {
    static SITE: OnceLock<PathBuf> = OnceLock::new();
    SITE.get_or_init(|| {
        let repository = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let parent = if Path::new("/dev/shm").is_dir() {
            PathBuf::from("/dev/shm")
        } else {
            std::env::temp_dir()
        };
        let root = parent.join(format!("msp-site-fuzz-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(&root).expect("fuzz site folder");
        copy_tree(&repository.join("tests/fixtures/minimal"), &root);
        std::fs::create_dir_all(root.join("themes")).expect("themes folder");
        copy_tree(&repository.join("themes"), &root.join("themes"));
        root
    })
}

/// The fuzzers' input: its first byte chooses among `files`, the rest is
/// put in place of that file, and the whole site is checked.
pub fn check_one_of(files: &[&str], data: &[u8]) {
    if let Some((choice, content)) = data.split_first() {
        check_with(files[usize::from(*choice) % files.len()], content);
    }
}

/// Puts `bytes` in place of `relative` (a file of the fixture, or a new
/// one), checks the whole site, and restores the fixture.
fn check_with(relative: &str, bytes: &[u8]) {
    let root = site();
    let path = root.join(relative);
    let original = std::fs::read(&path).ok();
    std::fs::write(&path, bytes).expect("write the fuzzed file");
    let mut options = msp_site::BuildOptions::new(root);
    options.cache = None;
    options.write_cache = false;
    options.defer_pictures = true;
    options.today = msp_site::data::Date::parse("2026-11-23").expect("a date");
    let _ = msp_site::check(&options);
    match original {
        Some(original) => std::fs::write(&path, original).expect("restore"),
        None => std::fs::remove_file(&path).expect("remove"),
    }
}
