//! Writing the site, so that a failed build never touches the published
//! folder and a rebuild only writes what changed.
//!
//! The first build writes every file into a staging folder beside the output
//! folder, then swaps it into place. It also writes a manifest beside it
//! (`.output.manifest`): what each file holds (its identity), its size and
//! its modification time. A page's identity also says what it was made from
//! (its key), so that the next build can leave an unchanged page where it is
//! without rendering it (`PreviousOutput`). Later builds update the output
//! in place: a file whose contents did
//! not change, and which nobody touched since (same size and time), is left
//! alone; the changed files are first written beside their targets, and only
//! when all are written are they renamed into place and the files the site
//! no longer has removed. If anything fails before the renames, the new files
//! are deleted and the folder is as it was.
//!
//! To find stray files (a page the site no longer has, a file dropped in by
//! hand), the manifest also records each folder's stamp (`fingerprint::Stamp`:
//! times, inode) once it has settled: a folder whose stamp is still that
//! one holds only the manifest's files and their folders, and is not read
//! again. A folder gets a new modification time whenever an entry is added
//! to it, removed or renamed; on a file system where it does not (some
//! network and FUSE mounts), which a build sees in the folders it renames
//! files into, no stamp is recorded and every folder is read.

use crate::fast_hash::{FastHashMap as HashMap, FastHashSet as HashSet};
use std::borrow::Cow;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostics::{Error, Result};
use crate::fingerprint::Stamp;
use crate::render::toolbox::Made;
use crate::render::{FileContents, OutputFile};
use crate::stat_at::{Folder, Kind, Links};

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
        FileContents::Bytes(bytes) if file.path.ends_with(".html") => Some(minify_page(bytes)),
        FileContents::Page { html, .. } => Some(minify_page(html.as_bytes())),
        _ => None,
    }
}

fn minify_page(bytes: &[u8]) -> Vec<u8> {
    minify_html::minify(bytes, &minify_config())
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

/// What a file holds, as the manifest records it: a hash of its bytes, the
/// key of a cached picture (which names its bytes), or for a page its key
/// and the hash of its HTML (`page:KEY:html-…`, see `html_identity`).
fn identity(data: &[u8]) -> String {
    format!("b3:{}", blake3::hash(data).to_hex())
}

/// A file as the manifest saw it after the last build, read in place from
/// the manifest's text: a national site's 58 757 paths and identities were
/// each copied out of it, a quarter of reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Entry<'a> {
    identity: &'a str,
    len: u64,
    modified: u128,
    /// Its line (without its end), written again as it is for a file
    /// still the same: formatting 58 757 lines was most of writing them.
    line: &'a str,
}

/// A folder as the manifest saw it: its stamp, and its line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FolderEntry<'a> {
    stamp: Stamp,
    line: &'a str,
}

/// The manifest's files and folders, by path.
struct ManifestLines<'a> {
    entries: Entries<'a>,
    folders: HashMap<&'a str, FolderEntry<'a>>,
}

/// The manifest's files in the order of their paths, as the manifest lists
/// them: looked up by a binary search, or beside the site's files, which
/// are in the same order. A map of the national site's 58 757 paths took
/// most of the time spent reading the manifest, on the way to everything.
struct Entries<'a>(Vec<(&'a str, Entry<'a>)>);

impl<'a> Entries<'a> {
    /// `entries` in the order of their paths, each path once (the first
    /// line of a path that a hand repeated).
    fn sorted(mut entries: Vec<(&'a str, Entry<'a>)>) -> Entries<'a> {
        if !entries.windows(2).all(|pair| pair[0].0 < pair[1].0) {
            entries.sort_by(|a, b| a.0.cmp(b.0));
            entries.dedup_by(|later, first| later.0 == first.0);
        }
        Entries(entries)
    }

    fn get(&self, path: &str) -> Option<&Entry<'a>> {
        let at = self
            .0
            .binary_search_by(|(listed, _)| (*listed).cmp(path))
            .ok()?;
        Some(&self.0[at].1)
    }

    fn contains(&self, path: &str) -> bool {
        self.get(path).is_some()
    }

    fn len(&self) -> usize {
        self.0.len()
    }

    fn paths(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.0.iter().map(|(path, _)| *path)
    }

    fn par_iter(&self) -> impl IndexedParallelIterator<Item = &(&'a str, Entry<'a>)> + '_ {
        self.0.par_iter()
    }

    /// The entry of each of `paths`, found by walking both lists together
    /// while `paths` go in order, by a search for any that does not.
    fn along<'p>(&self, paths: impl Iterator<Item = &'p str>) -> Vec<Option<&Entry<'a>>> {
        let mut at = 0;
        let mut last: Option<&str> = None;
        paths
            .map(|path| {
                if last.is_some_and(|last| path <= last) {
                    return self.get(path);
                }
                last = Some(path);
                while self.0.get(at).is_some_and(|(listed, _)| *listed < path) {
                    at += 1;
                }
                self.0
                    .get(at)
                    .filter(|(listed, _)| *listed == path)
                    .map(|(_, entry)| entry)
            })
            .collect()
    }
}

self_cell::self_cell!(
    /// A manifest's text, and its lines read in place.
    struct Manifest {
        owner: String,
        #[covariant]
        dependent: ManifestLines,
    }
);

/// The manifest beside `output`: `identity<TAB>len<TAB>modified<TAB>path`
/// per line, after a first line `inputs<TAB>fingerprint` when the build
/// that wrote it knew the fingerprint of its inputs. Folders whose stamp
/// had settled when it was taken have a line `folder<TAB>stamp<TAB>path`
/// (`Stamp::to_fields`; the output itself has the empty path).
const INPUTS_LINE: &str = "inputs\t";
/// Then, when the build knew it, `toolbox<TAB>key<TAB>inputs`: what the
/// toolbox's files were made from (`render::toolbox::Made`).
const TOOLBOX_LINE: &str = "toolbox\t";
const FOLDER_LINE: &str = "folder\t";
/// A line that says the output's folders were seen to change their times
/// with their contents (`Renamed`): without it, no folder stamp is trusted.
const FOLDER_TIMES_LINE: &str = "folder-times\tmove";

fn manifest_text(output: &Path) -> Option<String> {
    std::fs::read_to_string(sibling(output, "manifest")).ok()
}

/// The fingerprint on the manifest's first line, if any.
fn recorded_inputs(text: &str) -> Option<&str> {
    text.lines().next()?.strip_prefix(INPUTS_LINE)
}

/// What the toolbox was made from, on one of the manifest's first two
/// lines, if any.
fn recorded_toolbox(text: &str) -> Option<Made> {
    let line = text
        .lines()
        .take(2)
        .find_map(|line| line.strip_prefix(TOOLBOX_LINE))?;
    let (key, inputs) = line.split_once('\t')?;
    Some(Made {
        key: key.to_string(),
        inputs: inputs.to_string(),
    })
}

/// The entries of a manifest, by path. A line that does not read is a file
/// that will be rewritten.
fn manifest_entries(text: &str) -> Entries<'_> {
    // Sized once: grown by doubling, a national site's 58 000 entries were
    // moved about again at each growth.
    let mut entries = Vec::with_capacity(lines_in(text));
    // Folders' lines come after the files' (`manifest_parts`): left out
    // here all the same, should one stray among them.
    let lines = text
        .lines()
        .filter(|line| !line.starts_with(FOLDER_LINE) && *line != FOLDER_TIMES_LINE)
        .filter_map(|line| {
            let mut fields = line.splitn(4, '\t');
            let identity = fields.next()?;
            let len = fields.next()?.parse().ok()?;
            let modified = fields.next()?.parse().ok()?;
            let path = fields.next()?;
            Some((
                path,
                Entry {
                    identity,
                    len,
                    modified,
                    line,
                },
            ))
        });
    entries.extend(lines);
    Entries::sorted(entries)
}

/// How many lines `text` has, about (a last line without its end is not
/// counted): to size a map of them once.
pub(crate) fn lines_in(text: &str) -> usize {
    text.bytes().filter(|&byte| byte == b'\n').count()
}

/// The stamps of the folders the last build left, by path. One later than
/// the clock now says the clock went back: times are no guide, and the
/// folder is read.
fn manifest_folders(text: &str, now: i128) -> HashMap<&str, FolderEntry<'_>> {
    let mut folders = HashMap::default();
    folders.reserve(lines_in(text));
    let lines = text.lines().filter_map(|line| {
        let mut fields = line.strip_prefix(FOLDER_LINE)?.splitn(6, '\t');
        let stamp = Stamp::from_fields(&mut fields)?;
        let path = fields.next()?;
        stamp
            .not_after(now)
            .then_some((path, FolderEntry { stamp, line }))
    });
    folders.extend(lines);
    folders
}

/// A manifest's files' lines, and its folders' lines when its folders were
/// seen to change their times (`write_manifest` writes these last, after
/// `FOLDER_TIMES_LINE`): each part is read on its own.
fn manifest_parts(text: &str) -> (&str, Option<&str>) {
    let times = format!("{FOLDER_TIMES_LINE}\n");
    if let Some(folders) = text.strip_prefix(&times) {
        return ("", Some(folders));
    }
    // Searched from the end, where it is: the files' lines are most of it.
    match text.rfind(&format!("\n{times}")) {
        Some(at) => (&text[..=at], Some(&text[at + 1 + times.len()..])),
        None => (text, None),
    }
}

/// The files the last build left in an output folder, as its manifest
/// records them: what each was made from, and its size and time then.
pub struct PreviousOutput {
    /// The output folder, opened to look at its files.
    dir: Folder,
    /// The fingerprint of the inputs it was built from, if known.
    inputs: Option<String>,
    /// What its toolbox's files were made from, if known.
    toolbox: Option<Made>,
    manifest: Manifest,
    /// Its folders were seen to change their times with their contents.
    folder_times_move: bool,
}

impl PreviousOutput {
    /// `None` when `output` has no manifest (no build wrote it, or one failed
    /// while publishing).
    pub fn read(output: &Path) -> Option<PreviousOutput> {
        Some(PreviousOutput::of_manifest(output, manifest_text(output)?))
    }

    /// The output `output` as the manifest `text` records it.
    fn of_manifest(output: &Path, text: String) -> PreviousOutput {
        let (files, folders) = manifest_parts(&text);
        let inputs = recorded_inputs(files).map(str::to_string);
        let toolbox = recorded_toolbox(files);
        let folder_times_move = folders.is_some();
        let now = Stamp::now();
        // The folders' lines read meanwhile, on another thread.
        let manifest = Manifest::new(text, |text| {
            let (files, folders) = manifest_parts(text);
            let (entries, folders) = rayon::join(
                || manifest_entries(files),
                || folders.map_or_else(HashMap::default, |folders| manifest_folders(folders, now)),
            );
            ManifestLines { entries, folders }
        });
        PreviousOutput {
            dir: Folder::open(output),
            inputs,
            toolbox,
            manifest,
            folder_times_move,
        }
    }

    /// The last build's files, by path.
    fn entries(&self) -> &Entries<'_> {
        &self.manifest.borrow_dependent().entries
    }

    /// The last build's folders whose stamp it recorded, by path.
    fn folders(&self) -> &HashMap<&str, FolderEntry<'_>> {
        &self.manifest.borrow_dependent().folders
    }

    /// When the last build had the fingerprint `inputs` and every file it
    /// wrote is still there as it left it (same size and time), with no
    /// other file beside them: the paths of its files. A build would write
    /// exactly these files again; it has nothing to do.
    pub fn unchanged_since(&self, inputs: &str) -> Option<Vec<&str>> {
        if self.inputs.as_deref() != Some(inputs) {
            return None;
        }
        let intact = self
            .entries()
            .par_iter()
            .all(|(path, entry)| stamp(&self.dir, path) == Some((entry.len, entry.modified)));
        (intact && nothing_else_in(&self.dir, self.entries(), self.folders()))
            .then(|| self.entries().paths().collect())
    }

    /// What the toolbox's files were made from among the input files, as
    /// the last build recorded it (`render::toolbox::Made`).
    pub fn toolbox_inputs(&self) -> Option<&str> {
        Some(&self.toolbox.as_ref()?.inputs)
    }

    /// The toolbox's files (`render::toolbox::holds`) as the last build left
    /// them, each as `FileContents::Published`, with the key that build made
    /// them from: `None` when it did not record one, or when one of them
    /// is not as it left it (same size and time).
    pub fn toolbox_files(&self) -> Option<(&str, Vec<OutputFile>)> {
        let key = &self.toolbox.as_ref()?.key;
        let files = self
            .entries()
            .par_iter()
            .filter(|(path, _)| crate::render::toolbox::holds(path))
            .map(|(path, entry)| {
                let contents = self.as_left(path, entry)?;
                Some(OutputFile::new(path.to_string(), contents))
            })
            .collect::<Option<Vec<OutputFile>>>()?;
        Some((key, files))
    }

    /// The page at `path`, as `FileContents::Published`, when the last
    /// build made it from the page key `key` and nobody touched it since
    /// (same size and time): this build would write the same bytes there.
    pub fn unchanged_page(&self, path: &str, key: &str) -> Option<FileContents> {
        let entry = self.entries().get(path).filter(|e| {
            e.identity
                .strip_prefix(key)
                .is_some_and(|rest| rest.starts_with(':'))
        })?;
        self.as_left(path, entry)
    }

    /// The file at `path`, as `FileContents::Published`, when it still has
    /// the size and time its manifest `entry` gives.
    fn as_left(&self, path: &str, entry: &Entry) -> Option<FileContents> {
        (stamp(&self.dir, path) == Some((entry.len, entry.modified))).then(|| {
            FileContents::Published {
                path: self.dir.path().join(path),
                identity: entry.identity.to_string(),
                len: entry.len,
                modified: entry.modified,
            }
        })
    }
}

/// The size and modification time of the file at `path` in `output`.
fn stamp(output: &Folder, path: &str) -> Option<(u64, u128)> {
    output.stat(path, Links::Followed)?.of_file()
}

/// `stamp` of a file found by its whole path.
fn stamp_of(path: &Path) -> Option<(u64, u128)> {
    crate::stat_at::stat_path(path, Links::Followed)?.of_file()
}

/// A published file, as the manifest records it. Borrowed from the site's
/// files where it can be: 58 000 paths and identities were copied for one
/// manifest.
struct Record<'a> {
    path: &'a str,
    identity: Cow<'a, str>,
    /// Its size and time when already known (a file left as it was);
    /// `None` for a file just written.
    known: Option<(u64, u128)>,
    /// Its line in the last build's manifest, when it is the same file.
    line: Option<&'a str>,
}

impl Record<'_> {
    fn is_written(&self) -> bool {
        self.known.is_none()
    }
}

/// The files' lines of the manifest, ahead of knowing the folders' stamps:
/// written straight to the file, not made first into one string (12 MB of
/// fresh memory, which the system zeroes first, on a national site).
struct ManifestFiles<'a> {
    records: &'a [Record<'a>],
    /// Each record's size and time; `None`: it could not be stamped.
    stamps: Vec<Option<(u64, u128)>>,
    made: MadeFrom<'a>,
    /// A file could not be recorded: it is written again next time.
    unrecorded: bool,
}

/// The manifest's lines of `records`, after the fingerprint of the inputs
/// and what the toolbox was made from (its key and inputs).
fn manifest_files<'a>(
    output: &Folder,
    records: &'a [Record<'a>],
    made: MadeFrom<'a>,
) -> ManifestFiles<'a> {
    let stamps: Vec<Option<(u64, u128)>> = records
        .iter()
        .map(|record| record.known.or_else(|| stamp(output, record.path)))
        .collect();
    let unrecorded = stamps.iter().any(Option::is_none);
    ManifestFiles {
        records,
        stamps,
        made,
        unrecorded,
    }
}

impl ManifestFiles<'_> {
    fn write_to(&self, out: &mut impl std::io::Write) -> std::io::Result<()> {
        let MadeFrom { inputs, toolbox } = self.made;
        if let Some(inputs) = inputs {
            writeln!(out, "{INPUTS_LINE}{inputs}")?;
        }
        // The toolbox is carried over as the manifest lists its files: with
        // one of them left out, it is made again next time.
        if let (Some(Made { key, inputs }), false) = (toolbox, self.unrecorded) {
            writeln!(out, "{TOOLBOX_LINE}{key}\t{inputs}")?;
        }
        for (record, stamp) in self.records.iter().zip(&self.stamps) {
            if let Some(line) = record.line {
                out.write_all(line.as_bytes())?;
                out.write_all(b"\n")?;
            } else if let Some((len, modified)) = stamp {
                let Record { path, identity, .. } = record;
                writeln!(out, "{identity}\t{len}\t{modified}\t{path}")?;
            }
        }
        Ok(())
    }
}

/// How much of the manifest is written at a time.
const MANIFEST_BUFFER: usize = 1 << 20;

/// Writes the manifest: the files' lines, and the folders' `stamps`;
/// `None` when the output's folders do not change their times with their
/// contents.
fn write_manifest(
    output: &Path,
    files: ManifestFiles,
    stamps: Option<&[FolderRecord]>,
) -> Result<()> {
    PendingManifest::begin(output, files)?.finish(stamps)
}

/// The manifest written aside, under a name of this process (two builds
/// at once cannot mix their lines), its files' lines first: they are
/// written while the output is swept (12 MB on a national site, which
/// took the build's last 30 ms on one thread), the folders' after, and the
/// whole then put in place.
struct PendingManifest {
    path: PathBuf,
    /// Where it is written; `None` once in place.
    partial: Option<PathBuf>,
    file: std::io::BufWriter<std::fs::File>,
    unrecorded: bool,
}

impl PendingManifest {
    fn begin(output: &Path, files: ManifestFiles) -> Result<PendingManifest> {
        let path = sibling(output, "manifest");
        let partial = partial_path(&path);
        let error = |e| Error::io("cannot write", &path, e);
        let file = std::fs::File::create(&partial).map_err(error)?;
        let mut pending = PendingManifest {
            partial: Some(partial),
            file: std::io::BufWriter::with_capacity(MANIFEST_BUFFER, file),
            unrecorded: files.unrecorded,
            path: path.clone(),
        };
        // Dropped on error, it removes what it wrote.
        files.write_to(&mut pending.file).map_err(error)?;
        Ok(pending)
    }

    /// Adds the folders' `stamps` (`write_manifest`), and puts the
    /// manifest in place.
    fn finish(mut self, stamps: Option<&[FolderRecord]>) -> Result<()> {
        let path = self.path.clone();
        let error = |e| Error::io("cannot write", &path, e);
        // A file left out would be in a folder not read again: then all are.
        if let (Some(stamps), false) = (stamps, self.unrecorded) {
            write_folders(&mut self.file, stamps).map_err(error)?;
        }
        std::io::Write::flush(&mut self.file).map_err(error)?;
        if let Some(partial) = &self.partial {
            std::fs::rename(partial, &self.path).map_err(error)?;
        }
        self.partial = None;
        Ok(())
    }
}

/// The folders' lines of the manifest, in the order of their paths.
fn write_folders(out: &mut impl std::io::Write, stamps: &[FolderRecord]) -> std::io::Result<()> {
    writeln!(out, "{FOLDER_TIMES_LINE}")?;
    let mut stamps: Vec<&FolderRecord> = stamps.iter().collect();
    stamps.sort_unstable_by_key(|record| record.folder);
    for record in stamps {
        if let Some(line) = record.line {
            out.write_all(line.as_bytes())?;
            out.write_all(b"\n")?;
        } else {
            let FolderRecord { folder, stamp, .. } = record;
            writeln!(out, "{FOLDER_LINE}{}\t{folder}", stamp.to_fields())?;
        }
    }
    Ok(())
}

impl Drop for PendingManifest {
    fn drop(&mut self) {
        if let Some(partial) = &self.partial {
            let _ = std::fs::remove_file(partial);
        }
    }
}

/// What a page holds: the hash of its HTML before minification, and of the
/// minifier (its settings here, its version in Cargo.lock), which makes the
/// bytes of the file from it.
fn html_identity(html: &[u8]) -> String {
    static MINIFIER: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let minifier = MINIFIER.get_or_init(|| {
        let mut hasher = blake3::Hasher::new();
        hasher.update(include_str!("output.rs").as_bytes());
        hasher.update(crate::fingerprint::dependencies().as_bytes());
        hasher.finalize().to_hex()[..16].to_string()
    });
    format!("html-{minifier}-{}", blake3::hash(html).to_hex())
}

/// Whether a file recorded as `recorded` holds the bytes `new` describes.
/// A page made from values (`page:KEY:HTML`) holds its HTML's bytes, which
/// can stay the same when its key changes (a new version of msp-site): the
/// file is then left as it is, and only its record changes.
fn same_bytes(recorded: &str, new: &str) -> bool {
    match (page_html(recorded), page_html(new)) {
        (Some(recorded), Some(new)) => recorded == new,
        _ => recorded == new,
    }
}

/// What a cached file's identity starts with, before its key in its cache.
const CACHED: &str = "key:";

/// The key of a file kept in a cache (a picture, a file of the search
/// index), from its identity as the manifest records it.
pub(crate) fn cached_key(identity: &str) -> Option<&str> {
    identity.strip_prefix(CACHED)
}

/// The HTML part of a page's identity (`page:KEY:HTML`).
fn page_html(identity: &str) -> Option<&str> {
    identity
        .strip_prefix("page:")
        .and_then(|rest| rest.rsplit_once(':'))
        .map(|(_, html)| html)
}

/// The bytes to write for `file`, with their identity.
enum Prepared<'a> {
    Data(std::borrow::Cow<'a, [u8]>),
    /// An HTML page, minified only when it must be written: its identity is
    /// the hash of its bytes before minification, so that an unchanged page
    /// costs a hash, not a minification.
    Page(&'a [u8]),
    /// A cached picture: copied from where it is when it must be written.
    CopyOf(&'a Path),
    /// A file the last build published, found unchanged (`stamp`: its size
    /// and time then), copied when it must be written elsewhere (the whole
    /// output replaced).
    Republish {
        path: &'a Path,
        stamp: (u64, u128),
    },
}

fn prepare(file: &OutputFile) -> Result<(Prepared<'_>, Cow<'_, str>)> {
    Ok(match &file.contents {
        FileContents::Bytes(bytes) if file.path.ends_with(".html") => {
            (Prepared::Page(bytes), html_identity(bytes).into())
        }
        FileContents::Bytes(bytes) => (Prepared::Data(bytes.into()), identity(bytes).into()),
        FileContents::Copy(source) => {
            let data = std::fs::read(source).map_err(|e| Error::io("cannot read", source, e))?;
            let identity = identity(&data);
            (Prepared::Data(data.into()), identity.into())
        }
        FileContents::Page { html, key } => {
            let identity = format!("{key}:{}", html_identity(html.as_bytes()));
            (Prepared::Page(html.as_bytes()), identity.into())
        }
        FileContents::Cached { path, key } => {
            let identity = format!("{CACHED}{key}");
            (Prepared::CopyOf(path), identity.into())
        }
        FileContents::Published {
            path,
            identity,
            len,
            modified,
        } => (
            Prepared::Republish {
                path,
                stamp: (*len, *modified),
            },
            identity.as_str().into(),
        ),
        // Only `serve` defers pictures, and it writes nothing.
        FileContents::Deferred(_) => {
            let error = std::io::Error::other("a picture was not rasterised");
            return Err(Error::io("cannot write", Path::new(&file.path), error));
        }
    })
}

fn write_prepared(prepared: &Prepared, target: &Path) -> Result<()> {
    let write = |data: &[u8]| {
        std::fs::write(target, data).map_err(|e| Error::io("cannot write", target, e))
    };
    match prepared {
        Prepared::Data(data) => write(data),
        Prepared::Page(bytes) => write(&minify_page(bytes)),
        Prepared::CopyOf(source) => std::fs::copy(source, target)
            .map(|_| ())
            .map_err(|e| Error::io("cannot copy", source, e)),
        Prepared::Republish { path, stamp: known } => {
            // Its HTML is not in memory: a file edited since it was found
            // unchanged cannot be put back, and must not be recorded as the page.
            if stamp_of(path) != Some(*known) {
                let changed = std::io::Error::other("it was changed during the build; build again");
                return Err(Error::io("cannot publish", path, changed));
            }
            std::fs::copy(path, target)
                .map(|_| ())
                .map_err(|e| Error::io("cannot copy", path, e))
        }
    }
}

fn create_parent(target: &Path) -> Result<()> {
    match target.parent() {
        Some(parent) if !parent.is_dir() => std::fs::create_dir_all(parent)
            .map_err(|e| Error::io("cannot create folder", parent, e)),
        _ => Ok(()),
    }
}

/// Makes the folders of the output's file `path`. Anything on the way that
/// is not a real folder (a file, a link) is replaced by one: a link is not
/// followed, lest a file outside the output be overwritten.
fn create_folders_in(output: &Path, path: &str) -> Result<()> {
    for folder in folders_on_the_way(path) {
        let folder = output.join(folder);
        match std::fs::symlink_metadata(&folder) {
            Ok(found) if found.is_dir() => continue,
            Ok(_) => std::fs::remove_file(&folder)
                .map_err(|e| Error::io("cannot replace with a folder", &folder, e))?,
            Err(_) => {}
        }
        std::fs::create_dir(&folder).map_err(|e| Error::io("cannot create folder", &folder, e))?;
    }
    Ok(())
}

/// What `publish` did: how many files it wrote and removed, and how many
/// folders it read to find stray files, for tests and benchmarks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Published {
    pub written: usize,
    pub removed: usize,
    pub folders_read: usize,
}

/// What a build's files were made from, recorded in the manifest for the
/// next build.
#[derive(Debug, Default, Clone, Copy)]
pub struct MadeFrom<'a> {
    /// The fingerprint of the inputs (`fingerprint::of_inputs`).
    pub inputs: Option<&'a str>,
    /// What the toolbox's files were made from (`render::toolbox::Made`).
    pub toolbox: Option<&'a Made>,
}

/// Writes `files` into `output`: the whole folder replaced at once the first
/// time, then only the files that changed. `inputs`, the fingerprint of what
/// the files were built from, is recorded for the next build.
pub fn publish(output: &Path, files: &[OutputFile], inputs: Option<&str>) -> Result<Published> {
    let made = MadeFrom {
        inputs,
        toolbox: None,
    };
    publish_over(output, files, made, PreviousOutput::read(output))
}

/// `publish`, given the manifest of `output` that the build already read
/// to leave unchanged pages where they are: it is not read a second time.
pub fn publish_over(
    output: &Path,
    files: &[OutputFile],
    made: MadeFrom,
    previous: Option<PreviousOutput>,
) -> Result<Published> {
    publish_at(output, files, made, previous, None)
}

/// `publish_over`, with the clock at `taken_at` for which folders have
/// settled (`None`: now).
fn publish_at(
    output: &Path,
    files: &[OutputFile],
    made: MadeFrom,
    previous: Option<PreviousOutput>,
    taken_at: Option<i128>,
) -> Result<Published> {
    if let Some(previous) = previous.filter(|_| output.is_dir()) {
        let updated = update_in_place(output, files, &previous, made, taken_at);
        crate::aside::drop_aside(previous);
        match updated {
            Ok(published) => return Ok(published),
            // A folder where a file should go, a file nobody can overwrite:
            // the whole folder is replaced instead.
            Err(Failure::BeforeRenames) => {}
            Err(Failure::DuringRenames(error)) => {
                let _ = std::fs::remove_file(sibling(output, "manifest"));
                return Err(error);
            }
        }
    }
    replace_whole(output, files, made)
}

/// Writes every file into a staging folder, then swaps it into place.
fn replace_whole(output: &Path, files: &[OutputFile], made: MadeFrom) -> Result<Published> {
    let started = Stamp::now();
    let staging = sibling(output, "staging");
    if staging.exists() {
        std::fs::remove_dir_all(&staging)
            .map_err(|e| Error::io("cannot remove the old staging folder", &staging, e))?;
    }
    std::fs::create_dir_all(&staging)
        .map_err(|e| Error::io("cannot create folder", &staging, e))?;
    let written: Result<Vec<Record>> = files
        .par_iter()
        .map(|file| {
            let (prepared, identity) = prepare(file)?;
            let target = staging.join(&file.path);
            create_parent(&target)?;
            write_prepared(&prepared, &target)?;
            Ok(Record {
                path: file.path.as_str(),
                identity,
                known: None,
                line: None,
            })
        })
        .collect();
    let written = match written {
        Ok(written) => written,
        Err(error) => {
            let _ = std::fs::remove_dir_all(&staging);
            return Err(error);
        }
    };
    let _ = std::fs::remove_file(sibling(output, "manifest"));
    swap_into_place(&staging, output)?;
    // Its folders were all just made: none has settled, all are read next
    // time. The output's own time says whether folders' times move.
    let output_folder = Folder::open(output);
    let moved = folder_stamp(&output_folder, "").is_some_and(|stamp| stamp.changed_since(started));
    let lines = manifest_files(&output_folder, &written, made);
    write_manifest(output, lines, moved.then_some(&[]))?;
    Ok(Published {
        written: files.len(),
        removed: 0,
        folders_read: 0,
    })
}

enum Failure {
    /// Nothing of the output changed (the error is met again, and reported,
    /// when the whole folder is replaced).
    BeforeRenames,
    /// Some files are new, others not yet.
    DuringRenames(Error),
}

/// The name a changed file is written under before it is renamed into place.
fn pending(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    target.with_file_name(format!(".{name}.msp-new"))
}

fn update_in_place(
    output: &Path,
    files: &[OutputFile],
    previous: &PreviousOutput,
    made: MadeFrom,
    taken_at: Option<i128>,
) -> std::result::Result<Published, Failure> {
    let mut watch = crate::stopwatch::Stopwatch::start();
    // Opened again: the folder the path leads to now, should it have been
    // replaced since the last manifest was read.
    let folder = Folder::open(output);
    let in_manifest = previous
        .entries()
        .along(files.iter().map(|file| file.path.as_str()));
    // Each file: its record, and whether the manifest has it; a file
    // without size and time was written aside.
    let results: Vec<Result<(Record, bool)>> = files
        .par_iter()
        .zip(in_manifest)
        .map(|(file, recorded)| {
            let (prepared, identity) = prepare(file)?;
            let unchanged = match &file.contents {
                // Found with this size and time when its page was made (or
                // its toolbox carried over). Edited since, it is recorded as
                // it was found: the next build sees the difference and makes
                // it again.
                FileContents::Published { len, modified, .. } => recorded
                    .filter(|entry| entry.identity == identity)
                    .map(|entry| (entry.len, entry.modified))
                    .filter(|&known| known == (*len, *modified)),
                _ => recorded
                    .filter(|entry| same_bytes(entry.identity, &identity))
                    .map(|entry| (entry.len, entry.modified))
                    .filter(|&known| stamp(&folder, &file.path) == Some(known)),
            };
            if unchanged.is_none() {
                create_folders_in(output, &file.path)?;
                write_prepared(&prepared, &pending(&output.join(&file.path)))?;
            }
            // A page whose HTML is the same under another key is recorded
            // under its new key: not with its last line.
            let line = unchanged
                .and(recorded)
                .filter(|entry| entry.identity == identity)
                .map(|entry| entry.line);
            let record = Record {
                path: file.path.as_str(),
                identity,
                known: unchanged,
                line,
            };
            Ok((record, recorded.is_some()))
        })
        .collect();
    watch.lap("publish: files compared");
    let mut written = Vec::with_capacity(files.len());
    let mut recorded = 0;
    let mut first_error = None;
    for result in results {
        match result {
            Ok((record, in_manifest)) => {
                written.push(record);
                recorded += usize::from(in_manifest);
            }
            Err(error) => {
                first_error.get_or_insert(error);
            }
        }
    }
    if let Some(error) = first_error {
        for record in written.iter().filter(|record| record.is_written()) {
            let _ = std::fs::remove_file(pending(&output.join(record.path)));
        }
        drop(error);
        return Err(Failure::BeforeRenames);
    }
    let renamed = Renamed {
        folders: written
            .iter()
            .filter(|record| record.is_written())
            .map(|record| folder_of(record.path))
            .collect(),
        at: Stamp::now(),
    };
    for record in written.iter().filter(|record| record.is_written()) {
        let target = output.join(record.path);
        if target.is_dir() {
            let _ = std::fs::remove_dir_all(&target);
        }
        std::fs::rename(pending(&target), &target)
            .map_err(|e| Failure::DuringRenames(Error::io("cannot write", &target, e)))?;
    }
    watch.lap("publish: renamed");
    // The files' lines are made and written while the folders are swept:
    // only the folders' stamps wait for the sweep.
    let (swept, manifest) = rayon::join(
        || {
            let keep = Kept::new(files, recorded);
            remove_others(&folder, &keep, previous, &renamed, taken_at)
        },
        || {
            let lines = manifest_files(&folder, &written, made);
            PendingManifest::begin(output, lines)
        },
    );
    watch.lap(&format!(
        "publish: swept ({} folders read), manifest's files written",
        swept.folders_read
    ));
    let manifest = manifest.map_err(Failure::DuringRenames)?;
    manifest
        .finish(swept.stamps.as_deref())
        .map_err(Failure::DuringRenames)?;
    watch.lap("publish: manifest");
    Ok(Published {
        written: written.iter().filter(|record| record.is_written()).count(),
        removed: swept.removed,
        folders_read: swept.folders_read,
    })
}

/// What sweeping the output did: files removed, folders read, and the
/// stamps of the folders to record for the next build.
struct SweepReport<'a> {
    removed: usize,
    folders_read: usize,
    /// `None` when the output's folders do not change their times.
    stamps: Option<Vec<FolderRecord<'a>>>,
}

/// A folder's stamp, as the manifest records it.
struct FolderRecord<'a> {
    folder: &'a str,
    stamp: Stamp,
    /// Its line in the last build's manifest, when it has the same stamp.
    line: Option<&'a str>,
}

/// A folder of the output as the sweep found it.
struct Looked<'a> {
    folder: &'a str,
    /// Its stamp before it was read; `None` if it is not a folder (a link
    /// to one is not followed: the sweep of its parent removes it).
    stamp: Option<Stamp>,
    /// Its line in the last build's manifest, when its stamp is that one.
    line: Option<&'a str>,
    read: bool,
    removed: usize,
    /// It holds nothing but the site's files and folders: its stamp was
    /// the one recorded, or every other entry in it was removed.
    clean: bool,
}

/// The files changed by this build, and when they were renamed into place:
/// the folders they went into must show a change since, or the file
/// system does not change a folder's times with its contents (some network
/// and FUSE mounts), and no folder's stamp can be trusted.
struct Renamed<'a> {
    folders: HashSet<&'a str>,
    at: i128,
}

/// Removes every file of `output` that is not one of the site's (`files`):
/// those the last build wrote (`previous`) that the site no longer
/// has, and any other file in a folder that changed since (stray files,
/// leftovers of an interrupted build); then the folders left empty.
///
/// A folder whose stamp is the one the last build recorded (`recorded`)
/// holds only that build's files and their folders, and is not read:
/// reading the 16 000 folders of a national site took more time than all
/// the rest of publishing. `taken_at`: the clock, for which stamps have
/// settled (`None`: now).
fn remove_others<'a>(
    output: &Folder,
    keep: &Kept<'a>,
    previous: &'a PreviousOutput,
    renamed: &Renamed,
    taken_at: Option<i128>,
) -> SweepReport<'a> {
    let taken_at = taken_at.unwrap_or_else(Stamp::now);
    let files = keep.files;
    // First, so that the folders they were in are read below. A file not
    // removed leaves its folder unproven (a link on its way is not followed).
    let gone: Vec<&str> = if keep.all_of(previous) {
        Vec::new()
    } else {
        previous
            .entries()
            .paths()
            .filter(|path| !keep.paths().contains(path))
            .collect()
    };
    let not_removed: Vec<&str> = gone
        .par_iter()
        .copied()
        .filter(|path| !remove_in_real_folders(output, path))
        .collect();
    // About as many as the last build had.
    let kept_folders = folders_of(
        files.iter().map(|file| file.path.as_str()),
        previous.folders().len(),
    );
    // The last build's other folders hold only files gone since.
    let previous_folders = folders_of(gone.iter().copied(), 0);
    let all_folders: HashSet<&str>;
    let folders = if gone.is_empty() {
        &kept_folders
    } else {
        all_folders = kept_folders.union(&previous_folders).copied().collect();
        &all_folders
    };
    let looked: Vec<Looked> = folders
        .par_iter()
        .map(|&folder| look_into(output, folder, keep, folders, previous.folders()))
        .collect();
    // Deepest first, so that a folder emptied of folders goes too.
    let mut emptied: Vec<&str> = previous_folders
        .difference(&kept_folders)
        .copied()
        .collect();
    emptied.sort_by_key(|folder| std::cmp::Reverse(folder.matches('/').count()));
    for folder in &emptied {
        let _ = std::fs::remove_dir(output.path().join(folder));
    }
    // Folders changed after their stamp was taken are read next time.
    let unproven: HashSet<&str> = not_removed
        .iter()
        .chain(&emptied)
        .map(|path| folder_of(path))
        .collect();
    let stamps = folder_times_move(&looked, renamed, previous).then(|| {
        looked
            .iter()
            .filter(|looked| looked.clean && kept_folders.contains(looked.folder))
            .filter(|looked| !unproven.contains(looked.folder))
            .filter_map(|looked| {
                Some(FolderRecord {
                    folder: looked.folder,
                    stamp: looked.stamp?,
                    line: looked.line,
                })
            })
            .filter(|record| record.stamp.settled_before(taken_at))
            .collect()
    });
    SweepReport {
        removed: gone.len() - not_removed.len()
            + looked.iter().map(|looked| looked.removed).sum::<usize>(),
        folders_read: looked.iter().filter(|looked| looked.read).count(),
        stamps,
    }
}

/// The site's files, as the sweep keeps them.
struct Kept<'a> {
    files: &'a [OutputFile],
    /// How many of them the last build's manifest has: counted as they
    /// were compared with it, rather than looked up again.
    recorded: usize,
    /// Their paths as a set, made only when needed: to find the last
    /// build's files gone since, or the stray files of a folder that
    /// changed. Most rebuilds need neither, and the set of a national
    /// site's 58 000 paths was a tenth of publishing, on one thread.
    paths: std::sync::OnceLock<HashSet<&'a str>>,
}

impl<'a> Kept<'a> {
    fn new(files: &'a [OutputFile], recorded: usize) -> Kept<'a> {
        Kept {
            files,
            recorded,
            paths: std::sync::OnceLock::new(),
        }
    }

    fn paths(&self) -> &HashSet<&'a str> {
        self.paths
            .get_or_init(|| self.files.iter().map(|file| file.path.as_str()).collect())
    }

    /// Whether every file of `previous` is among them. Told without the
    /// set: the files sorted, so each once, as many of them as `previous`
    /// has found in it.
    fn all_of(&self, previous: &PreviousOutput) -> bool {
        self.files
            .par_windows(2)
            .all(|pair| pair[0].path < pair[1].path)
            && self.recorded == previous.entries().len()
    }
}

/// Removes the output's file at `path` unless a folder on its way is not a
/// real one (a link); whether it is gone.
fn remove_in_real_folders(output: &Folder, path: &str) -> bool {
    let folders_real =
        folders_on_the_way(path).all(|folder| folder_stamp(output, folder).is_some());
    folders_real
        && match std::fs::remove_file(output.path().join(path)) {
            Ok(()) => true,
            Err(error) => error.kind() == std::io::ErrorKind::NotFound,
        }
}

/// `folder` of the output: left unread when its stamp is the `recorded`
/// one, else read, and cleared of what is not the site's.
fn look_into<'a>(
    output: &Folder,
    folder: &'a str,
    keep: &Kept,
    folders: &HashSet<&str>,
    recorded: &HashMap<&str, FolderEntry<'a>>,
) -> Looked<'a> {
    let stamp = folder_stamp(output, folder);
    let as_recorded = recorded
        .get(folder)
        .filter(|entry| Some(entry.stamp) == stamp);
    let unread = |clean| Looked {
        folder,
        stamp,
        line: as_recorded.map(|entry| entry.line),
        read: false,
        removed: 0,
        clean,
    };
    match stamp {
        None => unread(false),
        Some(_) if as_recorded.is_some() => unread(true),
        Some(_) => {
            let dir = output.path().join(folder);
            let (removed, clean) = remove_others_directly_in(&dir, folder, keep.paths(), folders);
            Looked {
                folder,
                stamp,
                line: None,
                read: true,
                removed,
                clean,
            }
        }
    }
}

/// Whether this output's folders' times change with what they hold, as
/// the folders this build renamed files into show; with no file renamed,
/// as the last build found.
fn folder_times_move(looked: &[Looked], renamed: &Renamed, previous: &PreviousOutput) -> bool {
    if renamed.folders.is_empty() {
        return previous.folder_times_move;
    }
    looked
        .iter()
        .filter(|looked| renamed.folders.contains(looked.folder))
        .all(|looked| {
            looked
                .stamp
                .is_some_and(|stamp| stamp.changed_since(renamed.at))
        })
}

/// Every folder that holds one of `paths`, however deep, the output itself
/// (`""`) included. (Sorted paths are quicker: a folder's files follow
/// one another.)
fn folders_of<'a>(paths: impl Iterator<Item = &'a str>, about: usize) -> HashSet<&'a str> {
    let mut folders = HashSet::default();
    folders.reserve(about);
    folders.insert("");
    let mut last = "";
    for path in paths {
        let folder = folder_of(path);
        if folder == last {
            continue;
        }
        last = folder;
        let mut rest = path;
        while let Some((parent, _)) = rest.rsplit_once('/') {
            // Its own folders are in already.
            if !folders.insert(parent) {
                break;
            }
            rest = parent;
        }
    }
    folders
}

/// The folder of the output's file or folder `path` (`""`: the output).
fn folder_of(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(folder, _)| folder)
}

/// The folders from the output down to the file `path`'s own, the output
/// itself left out: `a`, then `a/b` for `a/b/c.html`.
fn folders_on_the_way(path: &str) -> impl Iterator<Item = &str> {
    path.match_indices('/').map(|(end, _)| &path[..end])
}

/// Whether `folder`'s stamp is `now` the one the last build recorded: then
/// it holds only that build's files and their folders.
fn as_recorded(recorded: &HashMap<&str, FolderEntry>, folder: &str, now: Stamp) -> bool {
    recorded.get(folder).map(|entry| entry.stamp) == Some(now)
}

/// The stamp of the folder at `relative` in `output` (`""`: the output);
/// `None` when it is not a folder.
fn folder_stamp(output: &Folder, relative: &str) -> Option<Stamp> {
    let found = output.stat(relative, Links::NotFollowed)?;
    if found.kind == Kind::Folder {
        found.stamp
    } else {
        None
    }
}

/// `relative`'s entry `name`, relative to the output.
fn child(relative: &str, name: &str) -> String {
    if relative.is_empty() {
        name.to_string()
    } else {
        format!("{relative}/{name}")
    }
}

/// Removes the files in `dir` (at `relative` in the output) that are not
/// kept, and the folders that are none of `folders`, with all they hold.
/// The folders among `folders` are swept on their own. How many files
/// went, and whether all that had to go did.
fn remove_others_directly_in(
    dir: &Path,
    relative: &str,
    keep: &HashSet<&str>,
    folders: &HashSet<&str>,
) -> (usize, bool) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return (0, false);
    };
    let mut removed = 0;
    let mut clean = true;
    for entry in entries {
        let Ok(entry) = entry else {
            clean = false;
            continue;
        };
        let path = child(relative, &entry.file_name().to_string_lossy());
        // A link is not followed: one to a folder is removed as a file.
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            if !folders.contains(path.as_str()) {
                let swept = remove_others_in(&entry.path(), &path, keep);
                removed += swept.removed;
                clean &= swept.empty && std::fs::remove_dir(entry.path()).is_ok();
            }
        } else if !keep.contains(path.as_str()) {
            match std::fs::remove_file(entry.path()) {
                Ok(()) => removed += 1,
                Err(_) => clean = false,
            }
        }
    }
    (removed, clean)
}

/// What was left in a folder once the files not kept were removed.
struct Swept {
    removed: usize,
    empty: bool,
}

/// Removes the files of `dir`, whose path relative to the output is
/// `relative`, that are not kept, however deep, and the folders left empty.
fn remove_others_in(dir: &Path, relative: &str, keep: &HashSet<&str>) -> Swept {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Swept {
            removed: 0,
            empty: false,
        };
    };
    let mut folders = Vec::new();
    let mut removed = 0;
    let mut left = 0;
    for entry in entries.filter_map(std::result::Result::ok) {
        let path = child(relative, &entry.file_name().to_string_lossy());
        // A link is not followed: one to a folder is removed as a file.
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            folders.push((entry.path(), path));
        } else if !keep.contains(path.as_str()) && std::fs::remove_file(entry.path()).is_ok() {
            removed += 1;
        } else {
            left += 1;
        }
    }
    let swept: Vec<Swept> = folders
        .par_iter()
        .map(|(folder, path)| {
            let swept = remove_others_in(folder, path, keep);
            Swept {
                removed: swept.removed,
                empty: swept.empty && std::fs::remove_dir(folder).is_ok(),
            }
        })
        .collect();
    Swept {
        removed: removed + swept.iter().map(|s| s.removed).sum::<usize>(),
        empty: left == 0 && swept.iter().all(|s| s.empty),
    }
}

/// Whether `output` holds nothing but the files of `entries` and their
/// folders. A folder whose stamp is the recorded one is not read.
fn nothing_else_in(
    output: &Folder,
    entries: &Entries,
    recorded: &HashMap<&str, FolderEntry>,
) -> bool {
    let folders = folders_of(entries.paths(), recorded.len());
    folders.par_iter().all(|&folder| {
        if folder_stamp(output, folder).is_some_and(|now| as_recorded(recorded, folder, now)) {
            return true;
        }
        let Ok(found) = std::fs::read_dir(output.path().join(folder)) else {
            return false;
        };
        found.filter_map(std::result::Result::ok).all(|entry| {
            let path = child(folder, &entry.file_name().to_string_lossy());
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                folders.contains(path.as_str())
            } else {
                entries.contains(path.as_str())
            }
        })
    })
}

/// Writes a file of the cache in one step: `bytes` go to a file beside
/// `path` named for this process (two builds at once each write their own,
/// and the last rename wins), which is then renamed over `path`, or removed
/// if anything failed. A reader sees the old file or the new one, whole.
pub(crate) fn replace_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let partial = partial_path(path);
    let written = path
        .parent()
        .map_or(Ok(()), std::fs::create_dir_all)
        .and_then(|()| std::fs::write(&partial, bytes))
        .and_then(|()| std::fs::rename(&partial, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    written
}

/// Where `replace_file` writes a file aside, under a name of this process.
fn partial_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".partial-{}", std::process::id()));
    path.with_file_name(name)
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
        publish(&output, &[OutputFile::text("a.txt", "1".into())], None).unwrap();
        publish(&output, &[OutputFile::text("b.txt", "2".into())], None).unwrap();
        assert!(!output.join("a.txt").exists());
        assert_eq!(std::fs::read_to_string(output.join("b.txt")).unwrap(), "2");
        assert_eq!(
            names(dir.path()),
            [".output.manifest", "output"],
            "staging and previous folders are removed"
        );
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_rebuild_writes_only_the_files_that_changed_and_removes_the_others() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("output");
        let site = |b: &str| {
            vec![
                OutputFile::text("a/index.html", "<p>a</p>".into()),
                OutputFile::text("b.txt", b.into()),
                OutputFile::text("c/d.txt", "d".into()),
            ]
        };
        publish(&output, &site("1"), None).unwrap();
        // Its folders were all written less than 3 seconds ago: each of
        // them ("", "a" and "c") is read, at every build of this test.
        let published = publish(&output, &site("1"), None).unwrap();
        assert_eq!(
            published,
            Published {
                written: 0,
                removed: 0,
                folders_read: 3
            }
        );

        let published = publish(&output, &site("2"), None).unwrap();
        assert_eq!(
            published,
            Published {
                written: 1,
                removed: 0,
                folders_read: 3
            }
        );
        assert_eq!(std::fs::read_to_string(output.join("b.txt")).unwrap(), "2");

        // A file changed by hand is written again; stray files are removed,
        // with the folders they leave empty, however deep.
        std::fs::write(output.join("c/d.txt"), "edited").unwrap();
        std::fs::write(output.join("stray.txt"), "x").unwrap();
        std::fs::write(output.join("c/stray.txt"), "x").unwrap();
        std::fs::create_dir_all(output.join("x/y")).unwrap();
        std::fs::write(output.join("x/y/stray.txt"), "x").unwrap();
        let published = publish(&output, &site("2"), None).unwrap();
        assert_eq!(
            published,
            Published {
                written: 1,
                removed: 3,
                folders_read: 3
            }
        );
        assert_eq!(
            std::fs::read_to_string(output.join("c/d.txt")).unwrap(),
            "d"
        );
        assert_eq!(names(&output), ["a", "b.txt", "c"]);
        assert_eq!(names(&output.join("c")), ["d.txt"]);

        // A page removed from the site goes, with its empty folder.
        let mut smaller = site("2");
        smaller.remove(0);
        let published = publish(&output, &smaller, None).unwrap();
        assert_eq!(
            published,
            Published {
                written: 0,
                removed: 1,
                folders_read: 3
            }
        );
        assert_eq!(names(&output), ["b.txt", "c"]);
    }

    /// Once their stamps have settled, only the folders that changed since
    /// the last build are read to find stray files, in `build` as in the
    /// check that nothing changed; a stray file is found all the same.
    #[test]
    fn only_the_folders_that_changed_are_read_for_stray_files() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("output");
        let site = |b: &str| {
            vec![
                OutputFile::text("a/index.html", "<p>a</p>".into()),
                OutputFile::text("b.txt", b.into()),
                OutputFile::text("c/d.txt", "d".into()),
                OutputFile::text("c/e/f.txt", "f".into()),
            ]
        };
        // An hour from now, every stamp taken has settled.
        let later = Some(Stamp::now() + 3_600_000_000_000);
        let build = |files: &[OutputFile]| {
            let made = MadeFrom {
                inputs: Some("i"),
                toolbox: None,
            };
            publish_at(&output, files, made, PreviousOutput::read(&output), later).unwrap()
        };
        publish(&output, &site("1"), Some("i")).unwrap();
        let unchanged = || {
            PreviousOutput::read(&output)
                .is_some_and(|previous| previous.unchanged_since("i").is_some())
        };
        assert!(unchanged());
        assert_eq!(build(&site("1")).folders_read, 4, "none recorded yet");
        assert_eq!(build(&site("1")).folders_read, 0);
        assert!(unchanged());

        // Written into the output folder: only it is read.
        let published = build(&site("2"));
        assert_eq!((published.written, published.folders_read), (1, 1));

        // A stray file is found in its folder, however deep; a stray
        // folder in the folder that holds it.
        std::fs::write(output.join("c/e/stray.txt"), "x").unwrap();
        assert!(!unchanged());
        let published = build(&site("2"));
        assert_eq!((published.removed, published.folders_read), (1, 1));
        assert!(unchanged());
        std::fs::create_dir_all(output.join("a/x/y")).unwrap();
        std::fs::write(output.join("a/x/y/stray.txt"), "x").unwrap();
        assert!(!unchanged());
        let published = build(&site("2"));
        // "c/e" too: a folder where something was removed is not recorded.
        assert_eq!((published.removed, published.folders_read), (1, 2));
        assert_eq!(names(&output.join("a")), ["index.html"]);

        // A file the site no longer has is removed from the manifest's
        // record, then its folders, left empty, are.
        let mut smaller = site("2");
        smaller.pop();
        let published = build(&smaller);
        // "c/e", and "a" where the last build removed a folder.
        assert_eq!((published.removed, published.folders_read), (1, 2));
        assert_eq!(names(&output.join("c")), ["d.txt"]);
        assert!(unchanged());
    }

    /// The files' lines and the folders' lines, split at the line that
    /// says folder times move; without it, no folder's line is read.
    #[test]
    fn a_manifest_is_read_in_its_two_parts() {
        let files = "inputs\tf\nb3:x\t1\t2\ta/b.txt\n";
        let folders = format!("{FOLDER_LINE}1\t2\t3\t4\t5\ta\n");
        let both = format!("{files}{FOLDER_TIMES_LINE}\n{folders}");
        assert_eq!(manifest_parts(&both), (files, Some(folders.as_str())));
        assert_eq!(manifest_parts(files), (files, None));
        let no_files = format!("{FOLDER_TIMES_LINE}\n{folders}");
        assert_eq!(manifest_parts(&no_files), ("", Some(folders.as_str())));
        let entries = manifest_entries(manifest_parts(&both).0);
        assert_eq!(entries.paths().collect::<Vec<_>>(), ["a/b.txt"]);
    }

    /// The manifest's files are found by their paths, beside paths in order
    /// and out of it; lines out of order are put in order, a path written
    /// twice is taken once.
    #[test]
    fn a_manifests_files_are_found_in_order_and_out_of_it() {
        let text =
            "b3:c\t1\t2\tc.txt\nb3:a\t1\t2\ta.txt\nb3:b\t1\t2\tb/x.txt\nb3:a2\t1\t2\ta.txt\n";
        let entries = manifest_entries(text);
        assert_eq!(
            entries.paths().collect::<Vec<_>>(),
            ["a.txt", "b/x.txt", "c.txt"]
        );
        assert_eq!(entries.get("a.txt").map(|e| e.identity), Some("b3:a"));
        let paths = ["a.txt", "b.txt", "c.txt", "b/x.txt", "d.txt"];
        let found: Vec<Option<&str>> = entries
            .along(paths.into_iter())
            .iter()
            .map(|entry| entry.map(|entry| entry.identity))
            .collect();
        assert_eq!(
            found,
            [Some("b3:a"), None, Some("b3:c"), Some("b3:b"), None]
        );
    }

    /// The sweep tells without a set of paths that none of the last
    /// build's files is gone, only when that is so.
    #[test]
    fn files_all_kept_are_told_apart_from_files_replaced() {
        let previous = |paths: &[&str]| {
            let lines: String = paths
                .iter()
                .map(|path| format!("b3:x\t0\t0\t{path}\n"))
                .collect();
            PreviousOutput::of_manifest(Path::new(""), lines)
        };
        let files: Vec<OutputFile> = ["a.txt", "b/c.txt", "d.txt"]
            .iter()
            .map(|path| OutputFile::text(*path, String::new()))
            .collect();
        let all_of = |files: &[OutputFile], paths: &[&str]| {
            let previous = previous(paths);
            let recorded = files
                .iter()
                .filter(|file| previous.entries().contains(file.path.as_str()))
                .count();
            Kept::new(files, recorded).all_of(&previous)
        };
        assert!(all_of(&files, &["a.txt", "b/c.txt", "d.txt"]));
        assert!(all_of(&files, &["a.txt", "d.txt"]), "one more now");
        assert!(
            !all_of(&files, &["a.txt", "b/c.txt", "e.txt"]),
            "one replaced"
        );
        assert!(
            !all_of(&files[..2], &["a.txt", "b/c.txt", "d.txt"]),
            "one gone"
        );
        let twice = [files[0].clone(), files[0].clone(), files[2].clone()];
        assert!(
            !all_of(&twice, &["a.txt", "b/c.txt", "d.txt"]),
            "not told by count"
        );
    }

    /// A folder's stamp from later than the clock says (the clock went
    /// back) is not trusted: the folder is read.
    #[test]
    fn a_folder_stamp_from_the_future_is_not_trusted() {
        let line =
            |modified: i128| format!("{FOLDER_LINE}4096\t{modified}\t{modified}\t1\t2\ta/b\n");
        let now = 10_000_000_000;
        let text = format!("{}{}", line(now - 1), "b3:x\t1\t2\ta/b/c.txt\n");
        let folders = manifest_folders(&text, now);
        assert_eq!(folders.len(), 1);
        assert!(folders.contains_key("a/b"));
        assert_eq!(manifest_entries(&text).len(), 1, "not taken for a file");
        assert!(manifest_folders(&line(now + 1), now).is_empty());
    }

    /// A folder of the output replaced by a link is not followed: what the
    /// link leads to is left alone, and the site's folder is put back.
    #[cfg(unix)]
    #[test]
    fn a_link_in_the_output_is_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("output");
        let outside = dir.path().join("outside");
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(outside.join("precious.txt"), "keep me").unwrap();
        std::fs::write(outside.join("index.html"), "keep me too").unwrap();
        let site = vec![
            OutputFile::text("a/index.html", "<p>a</p>".into()),
            OutputFile::text("b/index.html", "<p>b</p>".into()),
        ];
        let later = Some(Stamp::now() + 3_600_000_000_000);
        let build = |files: &[OutputFile]| {
            publish_at(
                &output,
                files,
                MadeFrom::default(),
                PreviousOutput::read(&output),
                later,
            )
            .unwrap()
        };
        publish(&output, &site, None).unwrap();
        build(&site);
        for linked in ["a", "b"] {
            std::fs::remove_dir_all(output.join(linked)).unwrap();
            std::os::unix::fs::symlink(&outside, output.join(linked)).unwrap();
        }
        // "b" is no longer the site's: its page, through the link, stays.
        build(&site[..1]);
        assert_eq!(names(&outside), ["index.html", "precious.txt"]);
        assert_eq!(
            std::fs::read_to_string(outside.join("index.html")).unwrap(),
            "keep me too"
        );
        assert_eq!(names(&output), ["a"]);
        assert!(output.join("a").symlink_metadata().unwrap().is_dir());
        assert_eq!(
            std::fs::read_to_string(output.join("a/index.html")).unwrap(),
            "<p>a</p>"
        );
    }

    /// A page is known by its key and its HTML: a new key with the same HTML
    /// (a new version of msp-site) leaves the file alone but records the key,
    /// so that the next build finds the page without rendering it.
    #[test]
    fn a_page_with_a_new_key_and_the_same_html_is_not_written_again() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("output");
        let page = |key: &str, html: &str| {
            let contents = FileContents::Page {
                html: html.into(),
                key: format!("page:{key}"),
            };
            vec![OutputFile::new("a/index.html", contents)]
        };
        publish(&output, &page("k1", "<p>a</p>"), None).unwrap();
        let published = publish(&output, &page("k2", "<p>a</p>"), None).unwrap();
        assert_eq!(published.written, 0);
        let previous = PreviousOutput::read(&output).unwrap();
        assert!(previous.unchanged_page("a/index.html", "page:k1").is_none());
        let Some(FileContents::Published { path, identity, .. }) =
            previous.unchanged_page("a/index.html", "page:k2")
        else {
            panic!("the page is known under its new key");
        };
        assert_eq!(path, output.join("a/index.html"));
        assert!(identity.starts_with("page:k2:html-"), "{identity}");
        // Not a prefix of another key.
        assert!(previous.unchanged_page("a/index.html", "page:k").is_none());

        let published = publish(&output, &page("k3", "<p>b</p>"), None).unwrap();
        assert_eq!(published.written, 1);
        let file = output.join("a/index.html");
        let previous = PreviousOutput::read(&output).unwrap();
        let kept = previous.unchanged_page("a/index.html", "page:k3").unwrap();
        // Touched by hand (same bytes, another time): no longer known.
        let an_hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        let touch = |file: &Path| {
            std::fs::File::options()
                .write(true)
                .open(file)
                .and_then(|f| f.set_modified(an_hour_ago))
                .unwrap();
        };
        touch(&file);
        assert!(previous.unchanged_page("a/index.html", "page:k3").is_none());
        // Found unchanged, then touched before it is published: left as it
        // is, and recorded as it was found, so that the next build sees the
        // difference and writes the page again.
        let published = publish(
            &output,
            &[OutputFile::new("a/index.html", kept.clone())],
            None,
        );
        assert_eq!(published.unwrap().written, 0);
        let previous = PreviousOutput::read(&output).unwrap();
        assert!(previous.unchanged_page("a/index.html", "page:k3").is_none());
        // When the whole output is written again (no manifest), such a page
        // cannot be copied: an error, not a file recorded as the page.
        std::fs::remove_file(sibling(&output, "manifest")).unwrap();
        let error = publish(&output, &[OutputFile::new("a/index.html", kept)], None).unwrap_err();
        assert_eq!(
            error.to_string(),
            format!(
                "cannot publish `{}`: it was changed during the build; build again",
                file.display()
            )
        );
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "<p>b</p>");
    }

    #[test]
    fn a_failed_update_leaves_the_output_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("output");
        publish(&output, &[OutputFile::text("a.txt", "1".into())], None).unwrap();
        let missing = dir.path().join("missing.pdf");
        let files = [
            OutputFile::text("a.txt", "2".into()),
            OutputFile::new("b.pdf", FileContents::Copy(missing)),
        ];
        assert!(publish(&output, &files, None).is_err());
        assert_eq!(names(&output), ["a.txt"], "no new file left behind");
        assert_eq!(std::fs::read_to_string(output.join("a.txt")).unwrap(), "1");
    }
}
