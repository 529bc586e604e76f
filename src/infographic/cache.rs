//! A content-addressed cache of rasterised infographics, outside `output/`:
//! an infographic whose SVG (and fonts, and settings) did not change is not
//! rasterised again. Entries not used by a build are removed after it, so the
//! cache holds one build's pictures at most.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Pictures kept in memory between rebuilds (`serve`), by cache key.
pub type Memory = Arc<Mutex<HashMap<String, Vec<u8>>>>;

/// Where cached pictures live, and which of them this build used.
#[derive(Debug)]
pub struct Cache {
    dir: Option<PathBuf>,
    /// `check` reads the cache but never writes it.
    writable: bool,
    used: Mutex<HashSet<String>>,
    /// With `serve`, pictures are also kept in memory: a rebuild does not
    /// read hundreds of files back from the disk.
    memory: Option<Memory>,
}

impl Cache {
    /// The cache in `dir`, or none at all.
    pub fn new(dir: Option<PathBuf>, writable: bool) -> Cache {
        Cache {
            dir,
            writable,
            used: Mutex::new(HashSet::new()),
            memory: None,
        }
    }

    /// The same cache, with a memory layer shared between rebuilds.
    pub fn with_memory(mut self, memory: Option<Memory>) -> Cache {
        self.memory = memory;
        self
    }

    /// The name under which a conversion of `svg` is kept: a hash of
    /// everything the result depends on.
    pub fn key(svg: &str, fonts_hash: &str, setting: &str) -> String {
        let mut hasher = blake3::Hasher::new();
        hasher.update(env!("CARGO_PKG_VERSION").as_bytes());
        hasher.update(super::raster::ENCODING_VERSION.as_bytes());
        hasher.update(fonts_hash.as_bytes());
        hasher.update(setting.as_bytes());
        hasher.update(svg.as_bytes());
        format!("{}.{setting}", &hasher.finalize().to_hex()[..32])
    }

    fn path(&self, key: &str) -> Option<PathBuf> {
        self.dir.as_ref().map(|dir| dir.join(&key[..2]).join(key))
    }

    /// The cached bytes of `key`, if any.
    pub fn get(&self, key: &str) -> Option<Vec<u8>> {
        if let Some(Ok(memory)) = self.memory.as_ref().map(|m| m.lock())
            && let Some(bytes) = memory.get(key)
        {
            self.mark_used(key);
            return Some(bytes.clone());
        }
        let bytes = std::fs::read(self.path(key)?).ok()?;
        self.mark_used(key);
        self.remember(key, &bytes);
        Some(bytes)
    }

    fn remember(&self, key: &str, bytes: &[u8]) {
        if let Some(Ok(mut memory)) = self.memory.as_ref().map(|m| m.lock()) {
            memory.insert(key.to_string(), bytes.to_vec());
        }
    }

    /// Keeps `bytes` under `key`; a failure to write only costs time later.
    pub fn put(&self, key: &str, bytes: &[u8]) {
        self.mark_used(key);
        self.remember(key, bytes);
        let Some(path) = self.path(key).filter(|_| self.writable) else {
            return;
        };
        if let Some(parent) = path.parent()
            && std::fs::create_dir_all(parent).is_ok()
        {
            // Written aside then renamed: a reader never sees half a file.
            let partial = path.with_extension(format!("partial-{}", std::process::id()));
            if std::fs::write(&partial, bytes).is_ok() {
                let _ = std::fs::rename(&partial, &path);
            }
        }
    }

    fn mark_used(&self, key: &str) {
        if let Ok(mut used) = self.used.lock() {
            used.insert(key.to_string());
        }
    }

    /// Removes every entry this build did not use.
    pub fn prune(&self) {
        let Ok(used) = self.used.lock() else {
            return;
        };
        if let Some(Ok(mut memory)) = self.memory.as_ref().map(|m| m.lock()) {
            memory.retain(|key, _| used.contains(key));
        }
        let (Some(dir), true) = (&self.dir, self.writable) else {
            return;
        };
        for entry in walkdir::WalkDir::new(dir)
            .into_iter()
            .filter_map(Result::ok)
        {
            let name = entry.file_name().to_string_lossy();
            if entry.file_type().is_file() && !used.contains(name.as_ref()) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}

/// The cache folder of a site.
pub fn default_dir(root: &Path) -> PathBuf {
    root.join(".msp-cache").join("infographics")
}
