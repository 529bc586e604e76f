//! Files parsed by an earlier load, so that a file whose text did not change
//! is not parsed again. Parsing is most of loading: 16 000 YAML documents
//! (team files, front matters) take a national site a second of CPU, about
//! 90 µs for each 800-byte team file.
//!
//! - `serve` keeps the parsed values in memory, from one save to the next.
//! - `build` is a new process each time: it keeps each file's binary form
//!   (postcard) in `.msp-cache/parsed`, the tools' in
//!   `.msp-cache/parsed-tools` (a build may leave the tools out, and then
//!   does not read that file), with the hash of the text it was parsed from. The
//!   places of values go with them (see `Spanned`), so an error found
//!   across files still points into a file that was not parsed.
//!
//! Only files that parsed are kept: a file with an error is parsed, and
//! reported, again until it is mended. A file gone is forgotten when the
//! load ends.

use crate::fast_hash::FastHashMap as HashMap;
use std::any::Any;
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::kept;

/// The parsed files of the last load, and what this load parses or reuses.
/// Files are known by their paths' bytes, as the loaders and the
/// fingerprint make them alike from the same root: hashing a `Path` takes
/// it apart into components, and 16 000 of them were a tenth of loading.
#[derive(Default)]
pub struct ParsedFiles {
    /// What the last load parsed, by path, in memory (`serve`).
    kept: Mutex<HashMap<OsString, Parsed>>,
    /// What this load parsed or found: it replaces `kept` when the load
    /// ends, so that deleted files are forgotten.
    seen: Mutex<HashMap<OsString, Parsed>>,
    /// Where the binary forms are kept between processes (`build`); `None`:
    /// values are kept in memory instead.
    file: Option<PathBuf>,
    /// The binary forms read from `file`, by path.
    stored: HashMap<OsString, Stored>,
    /// The hash of each input file's bytes when the build began (the
    /// inputs' fingerprint): a file whose bytes are those of a kept text
    /// need not be read. Shared by the tools' parsed files and the others'.
    bytes: Arc<HashMap<OsString, blake3::Hash>>,
    /// Files parsed (not found) by the last load.
    pub parsed: AtomicUsize,
}

/// A file's parsed form, and the hash of the text it was parsed from.
struct Parsed {
    text: blake3::Hash,
    /// The value itself, when kept in memory.
    value: Option<Arc<dyn Any + Send + Sync>>,
    /// Its binary form, when kept on disk.
    bytes: Option<Slice>,
}

/// A file's binary form as read from the cache.
struct Stored {
    text: blake3::Hash,
    bytes: Slice,
}

/// Bytes within a buffer others share: the cache file is read once, and
/// its 16 000 entries are slices of it rather than copies. The whole
/// buffer (20 MB on a national site) lives as long as one of them: until
/// the cache is saved.
#[derive(Clone)]
struct Slice {
    buffer: Arc<Vec<u8>>,
    range: std::ops::Range<usize>,
}

impl Slice {
    fn whole(bytes: Vec<u8>) -> Slice {
        Slice {
            range: 0..bytes.len(),
            buffer: Arc::new(bytes),
        }
    }

    fn bytes(&self) -> &[u8] {
        &self.buffer[self.range.clone()]
    }
}

impl ParsedFiles {
    /// Parsed files kept on disk at `file`, from the last build of the
    /// same program in the same folder; none if it does not read.
    pub fn stored_in(file: PathBuf) -> ParsedFiles {
        let stored = kept::read(&file, |bytes| read_entries(Arc::new(bytes)));
        ParsedFiles {
            file: Some(file),
            stored,
            ..ParsedFiles::default()
        }
    }

    /// Knowing the hash of each input file's bytes, as the build's
    /// fingerprint took them before anything was read.
    pub fn knowing(self, bytes: Arc<HashMap<OsString, blake3::Hash>>) -> ParsedFiles {
        ParsedFiles { bytes, ..self }
    }

    /// The value kept for the file at `path` if its bytes, when the build
    /// began, were the text it was parsed from: it need not even be read.
    /// (A text is its file's bytes but for a leading byte-order mark: a
    /// file that has one is read, then found by its text.) The build is
    /// made of the files as its fingerprint found them; a file saved since
    /// makes the next build's fingerprint differ.
    pub fn unread<T>(&self, path: &Path) -> Option<T>
    where
        T: Clone + Send + Sync + DeserializeOwned + 'static,
    {
        let (value, parsed) = self.reuse::<T>(path, *self.bytes.get(path.as_os_str())?)?;
        if let Ok(mut seen) = self.seen.lock() {
            seen.insert(path.as_os_str().to_os_string(), parsed);
        }
        Some(value)
    }

    /// Starts a load: nothing seen yet.
    pub fn begin(&self) {
        if let Ok(mut seen) = self.seen.lock() {
            seen.clear();
            // Sized once for as many files as last time.
            seen.reserve(self.stored.len());
        }
        self.parsed.store(0, Ordering::Relaxed);
    }

    /// Ends a load: what it saw is what the next one can reuse.
    pub fn finish(&self) {
        if let (Ok(mut kept), Ok(mut seen)) = (self.kept.lock(), self.seen.lock()) {
            *kept = std::mem::take(&mut *seen);
        }
    }

    /// `parse(text)` for the file at `path`, or what it gave for the same
    /// text at the last load.
    pub fn parse<T, E>(
        &self,
        path: &Path,
        text: &str,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Result<T, E>
    where
        T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    {
        let hash = blake3::hash(text.as_bytes());
        let (value, parsed) = match self.reuse::<T>(path, hash) {
            Some(reused) => reused,
            None => {
                self.parsed.fetch_add(1, Ordering::Relaxed);
                let value = parse(text)?;
                let parsed = self.keep(&value, hash);
                (value, parsed)
            }
        };
        if let Ok(mut seen) = self.seen.lock() {
            seen.insert(path.as_os_str().to_os_string(), parsed);
        }
        Ok(value)
    }

    /// The value parsed from the same text, in memory or on disk.
    fn reuse<T>(&self, path: &Path, text: blake3::Hash) -> Option<(T, Parsed)>
    where
        T: Clone + Send + Sync + DeserializeOwned + 'static,
    {
        // Kept on disk, nothing is kept in memory: no lock taken for it.
        let in_memory = self.file.is_none().then(|| self.kept.lock().ok()).flatten();
        let in_memory = in_memory.and_then(|kept| {
            let parsed = kept
                .get(path.as_os_str())
                .filter(|parsed| parsed.text == text)?;
            let value = Arc::clone(parsed.value.as_ref()?);
            Some(value)
        });
        if let Some(value) = in_memory {
            let copy = value.downcast_ref::<T>()?.clone();
            return Some((
                copy,
                Parsed {
                    text,
                    value: Some(value),
                    bytes: None,
                },
            ));
        }
        let stored = self
            .stored
            .get(path.as_os_str())
            .filter(|stored| stored.text == text)?;
        let (value, left) = postcard::take_from_bytes::<T>(stored.bytes.bytes()).ok()?;
        if !left.is_empty() {
            return None;
        }
        Some((
            value,
            Parsed {
                text,
                value: None,
                bytes: Some(stored.bytes.clone()),
            },
        ))
    }

    /// What is kept of a value just parsed: itself, or its binary form.
    fn keep<T>(&self, value: &T, text: blake3::Hash) -> Parsed
    where
        T: Clone + Send + Sync + Serialize + 'static,
    {
        if self.file.is_some() {
            return Parsed {
                text,
                value: None,
                bytes: postcard::to_allocvec(value).ok().map(Slice::whole),
            };
        }
        Parsed {
            text,
            value: Some(Arc::new(value.clone())),
            bytes: None,
        }
    }

    /// Writes what the last load kept to the cache file, when it differs
    /// from what was read: a file parsed, or one gone. A failure only
    /// means the next build parses again.
    pub fn save(&self) {
        let Some(file) = &self.file else { return };
        let Ok(kept) = self.kept.lock() else { return };
        // What can be kept: a binary form, under a path that is text.
        let mut entries: Vec<(&str, &Parsed, &[u8])> = kept
            .iter()
            .filter_map(|(path, parsed)| {
                Some((path.to_str()?, parsed, parsed.bytes.as_ref()?.bytes()))
            })
            .collect();
        let unchanged = self.parsed.load(Ordering::Relaxed) == 0
            && entries.len() == self.stored.len()
            && entries
                .iter()
                .all(|(path, _, _)| self.stored.contains_key(OsStr::new(path)));
        if unchanged {
            return;
        }
        entries.sort_unstable_by_key(|(path, _, _)| *path);
        let mut out = header();
        // Sized once: grown by doubling, its 20 MB on a national site were
        // copied and their pages touched twice over.
        let size: usize = entries
            .iter()
            .map(|(path, _, bytes)| path.len() + blake3::OUT_LEN + bytes.len() + 8)
            .sum();
        out.reserve(size + blake3::OUT_LEN);
        for (path, parsed, bytes) in entries {
            let written = kept::write_chunk(&mut out, path.as_bytes()).and_then(|()| {
                out.extend_from_slice(parsed.text.as_bytes());
                kept::write_chunk(&mut out, bytes)
            });
            if written.is_none() {
                return;
            }
        }
        kept::seal_and_write(out, file);
    }
}

/// The cache's first bytes: its format, the program that wrote it, and the
/// folder it ran in (paths are kept as the build was given them, maybe
/// relative).
fn header() -> Vec<u8> {
    let folder = std::env::current_dir().unwrap_or_default();
    kept::header("parsed 1", &folder.display().to_string())
}

/// The entries of a cache file written by this program in this folder;
/// `None` if it was not, or if it is cut short.
fn read_entries(buffer: Arc<Vec<u8>>) -> Option<HashMap<OsString, Stored>> {
    let mut rest = kept::opened(&buffer, &header())?;
    let mut entries = HashMap::default();
    while !rest.is_empty() {
        let path = kept::take_chunk(&mut rest)?;
        let text = kept::take_hash(&mut rest)?;
        let bytes = kept::take_chunk(&mut rest)?;
        // Where the chunk is in the buffer it was taken from.
        let start = bytes.as_ptr() as usize - buffer.as_ptr() as usize;
        let stored = Stored {
            text,
            bytes: Slice {
                buffer: Arc::clone(&buffer),
                range: start..start + bytes.len(),
            },
        };
        entries.insert(OsString::from(std::str::from_utf8(path).ok()?), stored);
    }
    Some(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_and_save(file: &Path) {
        let parsed = ParsedFiles::stored_in(file.to_path_buf());
        parsed.begin();
        let value = parsed.parse(Path::new("data/a.yaml"), "a: 1", |text| {
            Ok::<_, ()>(text.len())
        });
        assert_eq!(value, Ok(4));
        parsed.finish();
        parsed.save();
    }

    #[test]
    fn a_cache_file_cut_short_or_damaged_is_not_read() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let file = dir.path().join("parsed");
        parse_and_save(&file);
        assert_eq!(ParsedFiles::stored_in(file.clone()).stored.len(), 1);

        let bytes = std::fs::read(&file).expect("written");
        let mut damaged = bytes.clone();
        let inside = damaged.len() - blake3::OUT_LEN - 1;
        damaged[inside] ^= 1;
        std::fs::write(&file, &damaged).expect("writable");
        assert!(ParsedFiles::stored_in(file.clone()).stored.is_empty());

        std::fs::write(&file, &bytes[..bytes.len() - 1]).expect("writable");
        assert!(ParsedFiles::stored_in(file.clone()).stored.is_empty());

        std::fs::write(&file, &bytes).expect("writable");
        assert_eq!(ParsedFiles::stored_in(file).stored.len(), 1);
    }
}
