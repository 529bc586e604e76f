//! The fingerprint of a build's inputs, so that a rebuild with nothing
//! changed does nothing, as `make` or `cargo` do.
//!
//! A build depends on the bytes of every file of `content/`, `data/` and
//! `themes/` (their paths too), on its options (base address, drafts, output
//! folder), on the day (ages, "updated" dates, scheduled news) and on the
//! program itself. The fingerprint hashes all of them: it is the contents
//! that count, not modification times, so a file saved unchanged is still
//! unchanged and a file changed within the same second is still changed.
//!
//! `output` records the fingerprint of the last successful build in its
//! manifest; a build whose fingerprint is that one, into an output folder
//! whose files are all as that build left them, has nothing to do.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::site::BuildOptions;

/// The folders a build reads, relative to the site's root; `serve` watches
/// them.
pub const INPUT_FOLDERS: [&str; 3] = ["content", "data", "themes"];

/// The fingerprint of everything `options` builds from, or `None` when a
/// file cannot be read (the build then runs, and reports it).
pub fn of_inputs(options: &BuildOptions) -> Option<String> {
    let files = input_files(&options.root)?;
    let hashes: Vec<blake3::Hash> = files
        .par_iter()
        .map(|path| std::fs::read(path).ok().map(|bytes| blake3::hash(&bytes)))
        .collect::<Option<_>>()?;
    let mut fingerprint = blake3::Hasher::new();
    fingerprint.update(program().as_bytes());
    let settings = format!(
        "base_url={:?}\ndrafts={}\ntoday={}\noutput={}\n",
        options.base_url,
        options.drafts,
        options.today,
        options.output.display()
    );
    fingerprint.update(settings.as_bytes());
    for (path, hash) in files.iter().zip(&hashes) {
        let relative = path.strip_prefix(&options.root).unwrap_or(path);
        fingerprint.update(relative.to_string_lossy().as_bytes());
        fingerprint.update(&[0]).update(hash.as_bytes());
    }
    Some(fingerprint.finalize().to_hex().to_string())
}

/// Every file under the input folders, in a stable order. Links are
/// followed, as the loaders follow them.
fn input_files(root: &Path) -> Option<Vec<PathBuf>> {
    let mut files = Vec::new();
    for folder in INPUT_FOLDERS {
        let dir = root.join(folder);
        if !dir.exists() {
            continue;
        }
        for entry in walkdir::WalkDir::new(&dir)
            .follow_links(true)
            .sort_by_file_name()
        {
            let entry = entry.ok()?;
            if !entry.file_type().is_dir() {
                files.push(entry.into_path());
            }
        }
    }
    Some(files)
}

/// A hash of the exact versions of every library (`Cargo.lock`), for keys
/// of what a library makes (a PNG, a minified page) besides our own code.
pub(crate) fn dependencies() -> &'static str {
    static DEPENDENCIES: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DEPENDENCIES.get_or_init(|| {
        let lock = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.lock"));
        blake3::hash(lock.as_bytes()).to_hex().to_string()
    })
}

/// A hash of the running program: what it makes from the same inputs (a
/// page, a picture's SVG) is only known to be the same for the same code. If
/// the program cannot be read, a value of this run only: nothing is reused,
/// nothing is wrong.
pub(crate) fn program() -> &'static str {
    static PROGRAM: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    PROGRAM.get_or_init(|| match std::env::current_exe().and_then(std::fs::read) {
        Ok(program) => blake3::hash(&program).to_hex().to_string(),
        Err(_) => format!("{}-{:?}", std::process::id(), std::time::SystemTime::now()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temporary folder");
        for (path, text) in [
            ("data/site.yaml", "title: A\n"),
            ("content/a.md", "---\ntitle: A\n---\n"),
            ("themes/default/templates/base.html", "<html>"),
        ] {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("folder");
            std::fs::write(path, text).expect("file");
        }
        dir
    }

    #[test]
    fn the_fingerprint_follows_contents_paths_and_options_not_times() {
        let dir = site();
        let options = BuildOptions::new(dir.path());
        let first = of_inputs(&options).expect("fingerprint");
        // Saved again with the same bytes: the same inputs.
        std::fs::write(dir.path().join("content/a.md"), "---\ntitle: A\n---\n").expect("save");
        assert_eq!(of_inputs(&options).as_ref(), Some(&first));
        std::fs::write(dir.path().join("content/a.md"), "---\ntitle: B\n---\n").expect("edit");
        let edited = of_inputs(&options).expect("fingerprint");
        assert_ne!(edited, first);
        std::fs::rename(
            dir.path().join("content/a.md"),
            dir.path().join("content/b.md"),
        )
        .expect("rename");
        assert_ne!(of_inputs(&options).as_ref(), Some(&edited));
        let drafts = BuildOptions {
            drafts: true,
            ..options.clone()
        };
        assert_ne!(of_inputs(&drafts), of_inputs(&options));
        let tomorrow = BuildOptions {
            today: crate::data::Date::from_days_since_epoch(20_000),
            ..options.clone()
        };
        assert_ne!(of_inputs(&tomorrow), of_inputs(&options));
    }

    #[test]
    fn files_outside_the_input_folders_do_not_count() {
        let dir = site();
        let options = BuildOptions::new(dir.path());
        let first = of_inputs(&options);
        std::fs::create_dir_all(dir.path().join("output")).expect("folder");
        std::fs::write(dir.path().join("output/index.html"), "x").expect("file");
        std::fs::write(dir.path().join("README.md"), "x").expect("file");
        assert_eq!(of_inputs(&options), first);
    }
}
