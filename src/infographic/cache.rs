//! A content-addressed cache of rasterised infographics, outside `output/`:
//! an infographic whose SVG (and fonts, and settings) did not change is not
//! rasterised again. Entries not used by a build are removed after it, so the
//! cache holds one build's pictures at most.
//!
//! Pictures are kept under the hash of their SVG (the drawing key), so that
//! a new version of msp-site that draws a picture the same way finds it. An
//! index (`index`, a line `input-key drawing-key` per picture) says which
//! drawing each picture's inputs gave last time, so that a rebuild finds an
//! unchanged picture without even drawing its SVG.

use crate::fast_hash::{FastHashMap as HashMap, FastHashSet as HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use crate::render::FileContents;

/// Where cached pictures live, and which of them this build used.
#[derive(Debug)]
pub struct Cache {
    dir: Option<PathBuf>,
    /// `check` reads the cache but never writes it.
    writable: bool,
    used: Mutex<HashSet<String>>,
    /// Input key → drawing key, as the last build left them; read when
    /// first needed.
    index: OnceLock<HashMap<String, String>>,
    /// The same, for the pictures of this build: the next index.
    drawn: Mutex<HashMap<String, String>>,
    /// The pictures this build took from the output as the last build
    /// left them (`carry`), apart from `used`: they are told while the
    /// others are drawn, without holding those back.
    carried: Mutex<Carried>,
    /// Every file in the cache when it was first looked into: a national
    /// site's 24 000 pictures are found in one listing of the cache's
    /// folders rather than one `stat` each, and `prune` removes those of
    /// them this build did not use.
    present: OnceLock<Listing>,
}

/// The files of the cache: the keys of its pictures (each a file named
/// after its key, in the folder of its first two characters), and any
/// other file (the index, leftovers).
#[derive(Debug, Default)]
struct Listing {
    keys: HashSet<String>,
    others: Vec<PathBuf>,
}

/// The pictures a build carried over (`Cache::carry`).
#[derive(Debug, Default)]
struct Carried {
    /// Their files' keys, kept by `prune`.
    files: HashSet<String>,
    /// Their drawing keys: their lines of the last index stay in the next.
    drawings: HashSet<String>,
}

const INDEX: &str = "index";

impl Cache {
    /// The cache in `dir`, or none at all.
    pub fn new(dir: Option<PathBuf>, writable: bool) -> Cache {
        Cache {
            dir,
            writable,
            used: Mutex::new(HashSet::default()),
            index: OnceLock::new(),
            drawn: Mutex::new(HashMap::default()),
            carried: Mutex::new(Carried::default()),
            present: OnceLock::new(),
        }
    }

    /// The drawing key of a picture whose SVG is `svg`: everything its PNG
    /// and PDF are made from besides the SVG is in `settings` (fonts, scale)
    /// or in the code that converts it, whose source is hashed here (with
    /// the exact versions and features of its libraries, from Cargo.lock and
    /// Cargo.toml), so that a change to it never serves stale pictures. The
    /// compiler is not in the key: the cache belongs to one installation.
    pub fn drawing_key(svg: &str, settings: &str) -> String {
        static CONVERTER: OnceLock<String> = OnceLock::new();
        let converter = CONVERTER.get_or_init(|| {
            let mut hasher = blake3::Hasher::new();
            hasher.update(include_str!("raster.rs").as_bytes());
            hasher.update(include_str!("fonts.rs").as_bytes());
            // Pictures painted from their scene: how shapes are recorded,
            // painted, and how their text is set.
            hasher.update(include_str!("canvas.rs").as_bytes());
            hasher.update(include_str!("scene.rs").as_bytes());
            hasher.update(include_str!("glyphs.rs").as_bytes());
            hasher.update(include_str!("glyph_masks.rs").as_bytes());
            hasher.update(include_str!("pdf.rs").as_bytes());
            // How PNGs and PDF streams are written and compressed.
            hasher.update(include_str!("png_file.rs").as_bytes());
            hasher.update(include_str!("zlib.rs").as_bytes());
            hasher.update(crate::fingerprint::dependencies().as_bytes());
            // The libraries' features (the zlib back end, for one).
            hasher.update(
                include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml")).as_bytes(),
            );
            hasher.finalize().to_hex().to_string()
        });
        let mut hasher = blake3::Hasher::new();
        hasher.update(converter.as_bytes());
        hasher.update(settings.as_bytes()).update(&[0]);
        hasher.update(svg.as_bytes());
        hasher.finalize().to_hex()[..32].to_string()
    }

    /// The drawing key the picture of `input_key` had in the last build.
    pub fn drawing_of(&self, input_key: &str) -> Option<String> {
        let index = self.index.get_or_init(|| self.read_index());
        index.get(input_key).cloned()
    }

    /// Records that the picture of `input_key` is drawn as `drawing_key`.
    pub fn remember(&self, input_key: &str, drawing_key: &str) {
        if let Ok(mut drawn) = self.drawn.lock() {
            drawn.insert(input_key.to_string(), drawing_key.to_string());
        }
    }

    fn read_index(&self) -> HashMap<String, String> {
        let Some(text) = self
            .dir
            .as_ref()
            .and_then(|dir| std::fs::read_to_string(dir.join(INDEX)).ok())
        else {
            return HashMap::default();
        };
        text.lines()
            .filter_map(|line| line.split_once(' '))
            .map(|(input, drawing)| (input.to_string(), drawing.to_string()))
            .collect()
    }

    /// Writes the index of this build's pictures (after `prune`): those it
    /// drew or found, and those it carried over.
    fn write_index(&self, dir: &Path) {
        let (Ok(drawn), Ok(carried)) = (self.drawn.lock(), self.carried.lock()) else {
            return;
        };
        // Read only when some pictures were carried over.
        let carried = &carried.drawings;
        let last = (!carried.is_empty()).then(|| self.index.get_or_init(|| self.read_index()));
        let still_carried = last
            .into_iter()
            .flatten()
            .filter(|(input, drawing)| carried.contains(*drawing) && !drawn.contains_key(*input));
        let mut lines: Vec<String> = drawn
            .iter()
            .chain(still_carried)
            .map(|(input, drawing)| format!("{input} {drawing}\n"))
            .collect();
        lines.sort_unstable();
        // Without an index, the next build draws every SVG to find its
        // pictures: slower, never wrong.
        let _ = crate::output::replace_file(&dir.join(INDEX), lines.concat().as_bytes());
    }

    /// The name (without extension) under which the files of a picture drawn
    /// from `inputs` are kept: a hash of everything they depend on, the code
    /// that draws them included, so that no SVG need be drawn to find them.
    pub fn input_key(kind: &str, inputs: &impl serde::Serialize, fonts_hash: &str) -> String {
        let mut hasher = blake3::Hasher::new();
        hasher.update(crate::fingerprint::program().as_bytes());
        hasher.update(fonts_hash.as_bytes());
        hasher.update(kind.as_bytes()).update(&[0]);
        crate::value_hash::hash_value(&mut hasher, inputs);
        hasher.finalize().to_hex()[..32].to_string()
    }

    fn path(&self, key: &str) -> Option<PathBuf> {
        self.dir.as_ref().map(|dir| dir.join(&key[..2]).join(key))
    }

    /// The cached picture of `key`, if any: a reference to the file, whose
    /// bytes are not read (a rebuild of a national site would read gigabytes).
    pub fn get(&self, key: &str) -> Option<FileContents> {
        let path = self
            .path(key)
            .filter(|path| self.present().keys.contains(key) || self.written(key, path))?;
        self.keep(key);
        Some(FileContents::Cached {
            path,
            key: key.to_string(),
        })
    }

    /// Keeps `bytes` under `key`, and gives the picture back: as a reference
    /// to the cached file when it could be written (the bytes are dropped from
    /// memory), else as the bytes themselves.
    pub fn put(&self, key: &str, bytes: Vec<u8>) -> FileContents {
        self.keep(key);
        let Some(path) = self.path(key).filter(|_| self.writable) else {
            return FileContents::Bytes(bytes);
        };
        // Written aside then renamed: a reader never sees half a file.
        match crate::output::replace_file(&path, &bytes) {
            Ok(()) => FileContents::Cached {
                path,
                key: key.to_string(),
            },
            // A failure to write only costs time later.
            Err(_) => FileContents::Bytes(bytes),
        }
    }

    /// Keeps the pictures of `keys` (`<drawing key>.<format>`), which this
    /// build took from the output as the last one left them, without
    /// looking for them: the pictures stay, and so does what the index says
    /// was drawn as them, so that the next build that needs one need not
    /// draw it again. Keys of other caches (the search index's name a
    /// folder, `<key>/<file>`) are passed over.
    pub fn carry<'k>(&self, keys: impl Iterator<Item = &'k str>) {
        let Ok(mut carried) = self.carried.lock() else {
            return;
        };
        for key in keys.filter(|key| !key.contains('/')) {
            carried.files.insert(key.to_string());
            let drawing = key.split_once('.').map_or(key, |(drawing, _)| drawing);
            carried.drawings.insert(drawing.to_string());
        }
    }

    /// Keeps the entry `key` after this build (`prune` removes the others).
    pub fn keep(&self, key: &str) {
        if let Ok(mut used) = self.used.lock() {
            used.insert(key.to_string());
        }
    }

    /// Removes every entry this build did not use, and writes the index of
    /// those it did.
    pub fn prune(&self) {
        let (Some(dir), true) = (&self.dir, self.writable) else {
            return;
        };
        self.remove_unused();
        self.write_index(dir);
    }

    /// Removes the listed files this build neither used nor carried over.
    fn remove_unused(&self) {
        let (Ok(used), Ok(carried)) = (self.used.lock(), self.carried.lock()) else {
            return;
        };
        // Only listed files can be removed: a file written since the
        // listing is one of this build's, in `used`.
        let listed = self.present();
        let unused = |key: &&String| !used.contains(*key) && !carried.files.contains(*key);
        for key in listed.keys.iter().filter(unused) {
            if let Some(path) = self.path(key) {
                let _ = std::fs::remove_file(path);
            }
        }
        for path in &listed.others {
            let _ = std::fs::remove_file(path);
        }
    }

    /// Whether this build wrote the picture `key` at `path` (two pictures
    /// may be drawn the same).
    fn written(&self, key: &str, path: &Path) -> bool {
        self.used.lock().is_ok_and(|used| used.contains(key)) && path.is_file()
    }

    /// Lists the cache and reads its index now (`render_site` does it
    /// beside the model, before pictures are looked up), rather than at the
    /// first lookup.
    pub fn list(&self) {
        self.present();
        // Read now too: first read inside a lookup, it held every thread
        // that looked up a picture meanwhile.
        self.index.get_or_init(|| self.read_index());
    }

    /// The listing, taken when first needed. It is taken on one thread:
    /// a lookup that starts it may run on one of rayon's, and a rayon task
    /// inside a `OnceLock`'s initialisation can deadlock (rayon#1251).
    fn present(&self) -> &Listing {
        self.present.get_or_init(|| match &self.dir {
            Some(dir) => listing(dir),
            None => Listing::default(),
        })
    }
}

/// What the cache folder `dir` holds.
fn listing(dir: &Path) -> Listing {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Listing::default();
    };
    let (folders, files): (Vec<_>, Vec<_>) = entries
        .filter_map(Result::ok)
        .partition(|entry| entry.file_type().is_ok_and(|t| t.is_dir()));
    let in_folders: Vec<(Vec<String>, Vec<PathBuf>)> = folders
        .iter()
        .map(|folder| pictures_in(&folder.path(), &folder.file_name().to_string_lossy()))
        .collect();
    let mut listed = Listing {
        keys: HashSet::default(),
        others: files.iter().map(std::fs::DirEntry::path).collect(),
    };
    for (keys, others) in in_folders {
        listed.keys.extend(keys);
        listed.others.extend(others);
    }
    listed
}

/// The keys of the pictures in the cache's folder `folder`, named `prefix`,
/// and the other files in it, however deep.
fn pictures_in(folder: &Path, prefix: &str) -> (Vec<String>, Vec<PathBuf>) {
    let mut keys = Vec::new();
    let mut others = Vec::new();
    let Ok(entries) = std::fs::read_dir(folder) else {
        return (keys, others);
    };
    for entry in entries.filter_map(Result::ok) {
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            others.extend(pictures_in(&entry.path(), "").1);
            continue;
        }
        match entry.file_name().into_string() {
            Ok(name) if prefix.len() == 2 && name.starts_with(prefix) && kind.is_file() => {
                keys.push(name);
            }
            _ => others.push(entry.path()),
        }
    }
    (keys, others)
}

/// The cache folder of a site.
pub fn default_dir(root: &Path) -> PathBuf {
    root.join(".msp-cache").join("infographics")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_index_keeps_what_this_build_drew_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(Some(dir.path().to_path_buf()), true);
        let drawing = Cache::drawing_key("<svg/>", "fonts");
        assert_eq!(drawing, Cache::drawing_key("<svg/>", "fonts"));
        assert_ne!(drawing, Cache::drawing_key("<svg />", "fonts"));
        assert_ne!(drawing, Cache::drawing_key("<svg/>", "other fonts"));
        assert_eq!(cache.drawing_of("inputs-a"), None);
        std::fs::write(dir.path().join("stale"), "x").unwrap();
        // Listed before it is written, found after (two pictures of one
        // build may be drawn the same).
        assert!(cache.get(&format!("{drawing}.png")).is_none());
        cache.put(&format!("{drawing}.png"), b"png".to_vec());
        assert!(cache.get(&format!("{drawing}.png")).is_some());
        // Two inputs drawn the same share the picture.
        cache.remember("inputs-a", &drawing);
        cache.remember("inputs-b", &drawing);
        cache.prune();
        assert!(!dir.path().join("stale").exists());

        // A malformed line is skipped.
        let index = dir.path().join(INDEX);
        let text = std::fs::read_to_string(&index).unwrap();
        assert_eq!(text, format!("inputs-a {drawing}\ninputs-b {drawing}\n"));
        std::fs::write(&index, format!("{text}no-space-here\n")).unwrap();
        let next = Cache::new(Some(dir.path().to_path_buf()), true);
        assert_eq!(next.drawing_of("inputs-b"), Some(drawing.clone()));
        assert!(next.get(&format!("{drawing}.png")).is_some());
        // The next build draws only "inputs-b": "inputs-a" leaves the index.
        next.remember("inputs-b", &drawing);
        next.prune();
        let text = std::fs::read_to_string(&index).unwrap();
        assert_eq!(text, format!("inputs-b {drawing}\n"));
    }
}
