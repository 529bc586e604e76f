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
//! Reading 16 000 files to hash them takes a national site a quarter of a
//! second. So, as git does with its index, the hash of each file is kept in
//! `.msp-cache/inputs` with its size, times, device and inode, and a file
//! whose stamp is still that one is not read again. On a local POSIX file
//! system the change time (`ctime`) is set by the system on every write,
//! and no program can set it back: a file written since has another. A file
//! changed less than 3 seconds before its hash was taken is not trusted
//! that way (its time may be the same as a write right after, timestamps
//! being coarse): it is read again at the next build. A record taken later
//! than the clock now says is not trusted at all. Like git, this trusts the
//! file system: on a network share whose client keeps stale attributes,
//! delete `.msp-cache/inputs` before building to be sure.
//!
//! `output` records the fingerprint of the last successful build in its
//! manifest; a build whose fingerprint is that one, into an output folder
//! whose files are all as that build left them, has nothing to do.

use crate::fast_hash::FastHashMap as HashMap;
use std::ffi::{OsStr, OsString};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::site::BuildOptions;

/// The folders a build reads, relative to the site's root; `serve` watches
/// them.
pub const INPUT_FOLDERS: [&str; 3] = ["content", "data", "themes"];

/// The fingerprint of everything `options` builds from, or `None` when a
/// file cannot be read (the build then runs, and reports it).
pub fn of_inputs(options: &BuildOptions) -> Option<Inputs> {
    of_inputs_at(options, Stamp::now())
}

/// The inputs' fingerprint, and the hash of each file's bytes, by path:
/// the loaders take from the parsed files' cache, without reading them,
/// the files whose bytes are those it parsed.
pub struct Inputs {
    pub fingerprint: String,
    /// The same, the teams' files left out: what the toolbox is made
    /// from when no tool has a shortcode (`render::toolbox::inputs`).
    pub without_teams: String,
    /// By the bytes of the path (see `ParsedFiles`); shared by the
    /// parsed files of the tools and of the others.
    pub hashes: std::sync::Arc<HashMap<OsString, blake3::Hash>>,
    /// The record of the inputs' hashes, when it changed and is yet to be
    /// written (`of_inputs_leaving_record`).
    pub record: Option<InputsRecord>,
}

/// `of_inputs`, leaving the record of the inputs' hashes to be written
/// (`Inputs::record`): `build` writes its 3 MB while it loads the site.
pub fn of_inputs_leaving_record(options: &BuildOptions) -> Option<Inputs> {
    hash_inputs_at(options, Stamp::now())
}

/// `of_inputs`, with the clock at `taken_at` (nanoseconds since 1970): files
/// that changed shortly before are not trusted by their stamp next time.
fn of_inputs_at(options: &BuildOptions, taken_at: i128) -> Option<Inputs> {
    let mut inputs = hash_inputs_at(options, taken_at)?;
    if let Some(record) = inputs.record.take() {
        record.write();
    }
    Some(inputs)
}

/// The record of the inputs' hashes for the next build, to be written.
pub struct InputsRecord {
    path: PathBuf,
    text: String,
}

impl InputsRecord {
    /// A record not written only means files are read again next time.
    pub fn write(self) {
        let _ = crate::output::replace_file(&self.path, self.text.as_bytes());
    }
}

fn hash_inputs_at(options: &BuildOptions, taken_at: i128) -> Option<Inputs> {
    let record = record_path(options);
    // Read in place: its 16 000 paths are looked up, not copied out.
    let last_record = record
        .as_deref()
        .and_then(|record| std::fs::read_to_string(record).ok());
    let (files, known) = rayon::join(
        || input_files(&options.root),
        || {
            last_record
                .as_deref()
                .map(|text| read_record(text, taken_at))
                .unwrap_or_default()
        },
    );
    let files = files?;
    let hashes: Vec<Hashed> = files
        .par_iter()
        .map(|(path, stamp)| match (stamp, known.get(path.as_os_str())) {
            (Some(stamp), Some(seen)) if seen.stamp == *stamp => Some(Hashed {
                hash: seen.hash,
                stamp: Some(*stamp),
                read: false,
            }),
            _ => read_and_hash(path),
        })
        .collect::<Option<_>>()?;
    let record = record.filter(|_| options.write_cache).filter(|_| {
        hashes.iter().any(|h| h.stamp.is_some())
            && (known.len() != files.len() || hashes.iter().any(|h| h.read))
    });
    drop(known);
    // The record is made while the fingerprint is.
    let ((fingerprint, without_teams), record) = rayon::join(
        || fingerprint_of(options, &files, &hashes),
        || {
            record.map(|path| InputsRecord {
                text: record_text(&files, &hashes, taken_at),
                path,
            })
        },
    );
    Some(Inputs {
        fingerprint,
        without_teams,
        record,
        hashes: std::sync::Arc::new(
            files
                .into_iter()
                .zip(hashes)
                .map(|((path, _), hashed)| (path.into_os_string(), hashed.hash))
                .collect(),
        ),
    })
}

/// The folder of the teams' files, relative to the site's root.
pub const TEAMS_FOLDER: [&str; 2] = ["data", "teams"];

/// The hash of the program, the build's settings, and every input file's
/// path and hash; then the same without the teams' files.
fn fingerprint_of(
    options: &BuildOptions,
    files: &[(PathBuf, Option<Stamp>)],
    hashes: &[Hashed],
) -> (String, String) {
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
    let mut without_teams = fingerprint.clone();
    let teams: PathBuf = TEAMS_FOLDER.iter().collect();
    for ((path, _), hashed) in files.iter().zip(hashes) {
        let relative = path.strip_prefix(&options.root).unwrap_or(path);
        let name = relative.to_string_lossy();
        fingerprint.update(name.as_bytes());
        fingerprint.update(&[0]).update(hashed.hash.as_bytes());
        if !relative.starts_with(&teams) {
            without_teams.update(name.as_bytes());
            without_teams.update(&[0]).update(hashed.hash.as_bytes());
        }
    }
    (
        fingerprint.finalize().to_hex().to_string(),
        without_teams.finalize().to_hex().to_string(),
    )
}

/// Hashes the file at `path`, with the stamp of the very file read: the
/// path may lead elsewhere than when it was listed (a link pointed at
/// another file), and the record must not pair one file's stamp with
/// another's hash.
fn read_and_hash(path: &Path) -> Option<Hashed> {
    let mut file = std::fs::File::open(path).ok()?;
    let stamp = file.metadata().ok().as_ref().and_then(Stamp::of);
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut file, &mut bytes).ok()?;
    Some(Hashed {
        hash: blake3::hash(&bytes),
        stamp,
        read: true,
    })
}

/// A file's hash, and whether it had to be read to know it.
struct Hashed {
    hash: blake3::Hash,
    stamp: Option<Stamp>,
    read: bool,
}

/// What the system says of a file, that changes whenever its bytes do:
/// size, modification and change times (nanoseconds), device and inode.
/// `output` keeps its folders' stamps the same way, to know without
/// reading them that nobody added a file to them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stamp {
    len: u64,
    modified: i128,
    changed: i128,
    device: u64,
    inode: u64,
}

/// How long before its hash was taken a file must have last changed for
/// its stamp to be trusted: more than the coarsest timestamps of the file
/// systems in use (FAT's 2 seconds).
const SETTLED_NANOS: i128 = 3_000_000_000;

impl Stamp {
    #[cfg(unix)]
    pub(crate) fn of(metadata: &std::fs::Metadata) -> Option<Stamp> {
        use std::os::unix::fs::MetadataExt;
        let nanos =
            |seconds: i64, nanos: i64| i128::from(seconds) * 1_000_000_000 + i128::from(nanos);
        Some(Stamp {
            len: metadata.len(),
            modified: nanos(metadata.mtime(), metadata.mtime_nsec()),
            changed: nanos(metadata.ctime(), metadata.ctime_nsec()),
            device: metadata.dev(),
            inode: metadata.ino(),
        })
    }

    /// Elsewhere no change time says whether a file was written: every file
    /// is read.
    #[cfg(not(unix))]
    pub(crate) fn of(_metadata: &std::fs::Metadata) -> Option<Stamp> {
        None
    }

    /// A stamp from what the system said of a file (`stat_at`); times in
    /// nanoseconds.
    pub(crate) fn from_parts(
        len: u64,
        modified: i128,
        changed: i128,
        device: u64,
        inode: u64,
    ) -> Stamp {
        Stamp {
            len,
            modified,
            changed,
            device,
            inode,
        }
    }

    /// The clock now, in the stamps' nanoseconds.
    pub(crate) fn now() -> i128 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |since| since.as_nanos() as i128)
    }

    /// Whether the file had stopped changing well before `taken_at`.
    pub(crate) fn settled_before(&self, taken_at: i128) -> bool {
        self.changed.max(self.modified) < taken_at - SETTLED_NANOS
    }

    /// Whether the file changed at `at` or later (as far as its file
    /// system's coarse times can tell).
    pub(crate) fn changed_since(&self, at: i128) -> bool {
        self.changed.max(self.modified) >= at - SETTLED_NANOS
    }

    /// Whether the stamp's times are not later than `now`: when they are,
    /// the clock went back, and a later change could get the same times.
    pub(crate) fn not_after(&self, now: i128) -> bool {
        self.changed.max(self.modified) <= now
    }

    /// The stamp as tab-separated fields, as the records keep it.
    pub(crate) fn to_fields(self) -> String {
        format!(
            "{}\t{}\t{}\t{}\t{}",
            self.len, self.modified, self.changed, self.device, self.inode
        )
    }

    /// A stamp from the next five of `fields` (`to_fields`).
    pub(crate) fn from_fields<'a>(fields: &mut impl Iterator<Item = &'a str>) -> Option<Stamp> {
        Some(Stamp {
            len: fields.next()?.parse().ok()?,
            modified: fields.next()?.parse().ok()?,
            changed: fields.next()?.parse().ok()?,
            device: fields.next()?.parse().ok()?,
            inode: fields.next()?.parse().ok()?,
        })
    }
}

/// A file's hash as the last fingerprint took it, with its stamp then.
struct Seen {
    hash: blake3::Hash,
    stamp: Stamp,
}

/// Where the hashes are kept: beside the pictures' cache (`.msp-cache/inputs`),
/// none without a cache.
fn record_path(options: &BuildOptions) -> Option<PathBuf> {
    let cache = options.cache.as_ref()?;
    Some(cache.parent()?.join("inputs"))
}

/// The record's first line, followed by a tab and the time it was taken.
const RECORD_HEADER: &str = "msp-site inputs 2";

/// The hashes of the last fingerprint, by path; empty when there are none,
/// and without the lines that do not read (those files are read again).
/// A record taken later than `now` says the clock went back: times are
/// then no guide, and every file is read.
fn read_record(text: &str, now: i128) -> HashMap<&OsStr, Seen> {
    let mut lines = text.lines();
    let taken_at = lines
        .next()
        .and_then(|header| header.strip_prefix(RECORD_HEADER)?.strip_prefix('\t'))
        .and_then(|taken_at| taken_at.parse::<i128>().ok());
    if taken_at.is_none_or(|taken_at| taken_at > now) {
        return HashMap::default();
    }
    // Sized once, for a line per file.
    let mut known = HashMap::default();
    known.reserve(crate::output::lines_in(text));
    known.extend(lines.filter_map(|line| {
        let mut fields = line.splitn(7, '\t');
        let hash = blake3::Hash::from_hex(fields.next()?).ok()?;
        let stamp = Stamp::from_fields(&mut fields)?;
        Some((OsStr::new(fields.next()?), Seen { hash, stamp }))
    }));
    known
}

/// The record's text: the hashes of the files that had settled when they
/// were taken.
fn record_text(files: &[(PathBuf, Option<Stamp>)], hashes: &[Hashed], taken_at: i128) -> String {
    let mut text = String::with_capacity(files.len() * 200);
    let _ = writeln!(text, "{RECORD_HEADER}\t{taken_at}");
    for ((file, _), hashed) in files.iter().zip(hashes) {
        let Some(stamp) = hashed.stamp.filter(|s| s.settled_before(taken_at)) else {
            continue;
        };
        // Paths with a tab or a line break in them are read every time.
        let Some(file) = file.to_str().filter(|f| !f.contains(['\t', '\n', '\r'])) else {
            continue;
        };
        let _ = writeln!(
            text,
            "{}\t{}\t{file}",
            hashed.hash.to_hex(),
            stamp.to_fields()
        );
    }
    text
}

/// The files under `dir`, in a stable order (each folder's entries by
/// name, a folder's files where its name falls); `None` if a folder cannot
/// be read or links go round in a loop. A folder's entries are told apart
/// by the type its listing gives: following every link meant a `stat` for
/// each of a national site's 22 000 files, one after the other. Only links
/// to folders are walked into, each by a walk of its own that follows
/// links and stops at a loop. Folders are listed in parallel, and entries
/// sorted by their names' bytes: walkdir's sort took a path apart for each
/// comparison.
fn list_files(dir: &Path) -> Option<Vec<PathBuf>> {
    list_files_below(dir, 0)
}

/// Deeper than this, folders are taken for a loop (a mount inside itself)
/// and give no fingerprint: each level is a call on a thread's stack.
const MAX_DEPTH: usize = 100;

/// `list_files` for `dir`, `depth` folders below an input folder.
fn list_files_below(dir: &Path, depth: usize) -> Option<Vec<PathBuf>> {
    if depth > MAX_DEPTH {
        return None;
    }
    let mut entries = Vec::new();
    for entry in std::fs::read_dir(dir).ok()? {
        let entry = entry.ok()?;
        entries.push((entry.file_name(), entry.file_type().ok()?));
    }
    entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let listed: Vec<Option<Listed>> = entries
        .into_par_iter()
        .map(|(name, kind)| {
            let path = dir.join(name);
            if kind.is_dir() {
                list_files_below(&path, depth + 1).map(Listed::Files)
            } else if kind.is_symlink() && path.is_dir() {
                list_linked(&path).map(Listed::Files)
            } else {
                Some(Listed::File(path))
            }
        })
        .collect();
    let mut files = Vec::with_capacity(listed.len());
    for listed in listed {
        match listed? {
            Listed::File(path) => files.push(path),
            Listed::Files(paths) => files.extend(paths),
        }
    }
    Some(files)
}

/// An entry of a folder: a file, or the files of a folder.
enum Listed {
    File(PathBuf),
    Files(Vec<PathBuf>),
}

/// The files under the folder that the link `link` points to, following
/// links; `None` at a loop.
fn list_linked(link: &Path) -> Option<Vec<PathBuf>> {
    let mut files = Vec::new();
    let walk = walkdir::WalkDir::new(link)
        .follow_links(true)
        .sort_by_file_name();
    for entry in walk {
        let entry = entry.ok()?;
        if !entry.file_type().is_dir() {
            files.push(entry.into_path());
        }
    }
    Some(files)
}

/// Every file under the input folders, in a stable order, with its stamp.
/// Links are followed, as the loaders follow them.
fn input_files(root: &Path) -> Option<Vec<(PathBuf, Option<Stamp>)>> {
    let mut paths = Vec::new();
    for folder in INPUT_FOLDERS {
        let dir = root.join(folder);
        if dir.is_dir() {
            paths.extend(list_files(&dir)?);
        } else if dir.exists() {
            paths.push(dir);
        }
    }
    // Stamped in parallel, each from the opened root: 16 000 `stat` calls
    // by whole paths took 40 ms on one core.
    let opened = crate::stat_at::Folder::open(root);
    let stamped = paths.into_par_iter().map(|path| {
        let below = path.strip_prefix(root).unwrap_or(&path);
        let found = opened.stat(below, crate::stat_at::Links::Followed);
        let stamp = found.and_then(|found| found.stamp);
        (path, stamp)
    });
    Some(stamped.collect())
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

static PROGRAM: std::sync::OnceLock<String> = std::sync::OnceLock::new();

/// A hash of the running program: what it makes from the same inputs (a
/// page, a picture's SVG) is only known to be the same for the same code. If
/// the program cannot be read, a value of this run only: nothing is reused,
/// nothing is wrong.
pub(crate) fn program() -> &'static str {
    PROGRAM.get_or_init(|| hash_program().map_or_else(|_| this_run_only(), |(hash, _)| hash))
}

/// Takes the program's hash from `record` (`.msp-cache/program`) when the
/// program's file has the stamp recorded with it there, and records it
/// otherwise: reading and hashing the 50 MB program took 2 % of a one-team
/// rebuild's time. A build of a new version is a new file. To be called
/// before anything asks for `program`.
pub(crate) fn program_recorded_in(record: &Path) {
    PROGRAM.get_or_init(|| recorded_program(record).unwrap_or_else(this_run_only));
}

fn recorded_program(record: &Path) -> Option<String> {
    let exe = std::env::current_exe().ok()?;
    let stamp = std::fs::metadata(&exe).ok().as_ref().and_then(Stamp::of);
    let text = std::fs::read_to_string(record).unwrap_or_default();
    if let Some((fields, hash)) = text.trim_end().rsplit_once('\t')
        && hash.len() == 64
        && hash.bytes().all(|b| b.is_ascii_hexdigit())
        && stamp.is_some()
        && Stamp::from_fields(&mut fields.split('\t')) == stamp
    {
        return Some(hash.to_string());
    }
    let taken_at = Stamp::now();
    let (hash, stamp) = hash_program().ok()?;
    // A file that changed within the clock's grain could change again
    // and keep its stamp: recorded once settled.
    if let Some(stamp) = stamp.filter(|stamp| stamp.settled_before(taken_at)) {
        let line = format!("{}\t{hash}\n", stamp.to_fields());
        let _ = crate::output::replace_file(record, line.as_bytes());
    }
    Some(hash)
}

fn this_run_only() -> String {
    format!("{}-{:?}", std::process::id(), std::time::SystemTime::now())
}

/// The program's BLAKE3, read in small pieces (reading its 50 MB whole into
/// memory took three times as long: the kernel zeroes every new page), and
/// the stamp of the very file read.
fn hash_program() -> std::io::Result<(String, Option<Stamp>)> {
    let file = std::fs::File::open(std::env::current_exe()?)?;
    let stamp = file.metadata().ok().as_ref().and_then(Stamp::of);
    let mut hasher = blake3::Hasher::new();
    hasher.update_reader(file)?;
    Ok((hasher.finalize().to_hex().to_string(), stamp))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn the_program_hash_is_taken_from_its_record_only_for_the_same_file() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let record = dir.path().join("program");
        let (hash, _) = hash_program().expect("the test program reads");
        assert_eq!(recorded_program(&record).as_deref(), Some(hash.as_str()));
        let exe = std::env::current_exe().expect("the test program");
        let stamp = Stamp::of(&std::fs::metadata(exe).expect("stat")).expect("a stamp");
        // Recorded for this very file: taken as it is, not computed.
        let recorded = "ab".repeat(32);
        let line = format!("{}\t{recorded}\n", stamp.to_fields());
        std::fs::write(&record, line).expect("written");
        assert_eq!(recorded_program(&record), Some(recorded.clone()));
        // Not a hash: computed again.
        let line = format!("{}\tnot-a-hash\n", stamp.to_fields());
        std::fs::write(&record, line).expect("written");
        assert_eq!(recorded_program(&record).as_deref(), Some(hash.as_str()));
        // Recorded for another file: computed again.
        let other = Stamp {
            len: stamp.len + 1,
            ..stamp
        };
        let line = format!("{}\t{recorded}\n", other.to_fields());
        std::fs::write(&record, line).expect("written");
        assert_eq!(recorded_program(&record).as_deref(), Some(hash.as_str()));
    }

    /// The fingerprint alone, which these tests compare.
    fn of_inputs(options: &BuildOptions) -> Option<String> {
        super::of_inputs(options).map(|inputs| inputs.fingerprint)
    }

    fn of_inputs_at(options: &BuildOptions, taken_at: i128) -> Option<String> {
        super::of_inputs_at(options, taken_at).map(|inputs| inputs.fingerprint)
    }

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

    /// The record of hashes beside the cache, as `of_inputs` wrote it.
    fn record(options: &BuildOptions) -> String {
        std::fs::read_to_string(record_path(options).expect("a cache")).unwrap_or_default()
    }

    #[test]
    fn a_file_is_read_again_only_when_its_stamp_changed() {
        let dir = site();
        let options = BuildOptions::new(dir.path());
        let later = Stamp::now() + 10 * SETTLED_NANOS;
        let first = of_inputs_at(&options, later).expect("fingerprint");
        assert_eq!(record(&options).lines().count(), 4, "{}", record(&options));
        // The record is trusted: a hash changed in it, for a file whose
        // stamp is the same, changes the fingerprint.
        let forged = record(&options).replacen(
            &blake3::hash(b"title: A\n").to_hex().to_string(),
            blake3::hash(b"forged").to_hex().as_str(),
            1,
        );
        std::fs::write(record_path(&options).expect("a cache"), &forged).expect("forge");
        assert_ne!(of_inputs_at(&options, later).as_ref(), Some(&first));
        // Unless the clock went back since the record was taken.
        std::fs::write(record_path(&options).expect("a cache"), &forged).expect("forge");
        assert_eq!(
            of_inputs_at(&options, later - SETTLED_NANOS).as_ref(),
            Some(&first)
        );
        // File times are as coarse as the kernel's tick (up to 10 ms): a
        // real edit comes later than that after the last build's look.
        std::thread::sleep(std::time::Duration::from_millis(20));
        // An edit of the same size is seen (its change time is another), and
        // the record is mended.
        std::fs::write(dir.path().join("data/site.yaml"), "title: A\n").expect("mend");
        assert_eq!(of_inputs_at(&options, later).as_ref(), Some(&first));
        // A tick later again.
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(dir.path().join("data/site.yaml"), "title: B\n").expect("edit");
        let edited = of_inputs_at(&options, later).expect("fingerprint");
        assert_ne!(edited, first);
        assert!(
            record(&options).contains(&blake3::hash(b"title: B\n").to_hex().to_string()),
            "{}",
            record(&options)
        );
    }

    #[test]
    fn a_file_that_just_changed_is_not_trusted_by_its_stamp() {
        let dir = site();
        let options = BuildOptions::new(dir.path());
        of_inputs_at(&options, Stamp::now()).expect("fingerprint");
        assert_eq!(record(&options).lines().count(), 1, "{}", record(&options));
        let without_cache = BuildOptions {
            cache: None,
            ..options.clone()
        };
        assert_eq!(of_inputs(&without_cache), of_inputs(&options));
    }

    /// Folders and files reached through links count as the loaders read
    /// them; links that go round in a loop give no fingerprint (the build
    /// runs, and reports what it cannot read).
    #[test]
    fn links_are_followed_and_loops_are_found() {
        let dir = site();
        let shared = tempfile::tempdir().expect("temporary folder");
        std::fs::write(shared.path().join("b.md"), "---\ntitle: B\n---\n").expect("file");
        let link = |target: &Path, name: &str| {
            std::os::unix::fs::symlink(target, dir.path().join("content").join(name))
                .expect("link");
        };
        link(shared.path(), "linked");
        link(&shared.path().join("b.md"), "c.md");
        let options = BuildOptions::new(dir.path());
        let inputs = super::of_inputs(&options).expect("fingerprint");
        let content = dir.path().join("content");
        for path in ["a.md", "c.md", "linked/b.md"] {
            assert!(
                inputs.hashes.contains_key(content.join(path).as_os_str()),
                "{path}"
            );
        }
        std::fs::write(shared.path().join("b.md"), "---\ntitle: C\n---\n").expect("edit");
        assert_ne!(of_inputs(&options), Some(inputs.fingerprint));
        // An input folder that is a link: each of its files listed once.
        let themes = tempfile::tempdir().expect("temporary folder");
        let moved = themes.path().join("default");
        std::fs::rename(dir.path().join("themes/default"), &moved).expect("move");
        std::fs::remove_dir(dir.path().join("themes")).expect("remove");
        std::os::unix::fs::symlink(themes.path(), dir.path().join("themes")).expect("link");
        let listed = input_files(dir.path()).expect("listed");
        let paths: Vec<&Path> = listed.iter().map(|(path, _)| path.as_path()).collect();
        let mut unique = paths.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(paths.len(), 5, "{paths:?}");
        assert_eq!(unique.len(), paths.len(), "{paths:?}");
        std::os::unix::fs::symlink(&content, shared.path().join("loop")).expect("link");
        assert_eq!(of_inputs(&options), None);
    }

    /// Folders nested deeper than any site's (a mount inside itself) give
    /// no fingerprint rather than a stack overflow.
    #[test]
    fn folders_nested_too_deep_give_no_fingerprint() {
        let dir = site();
        let mut deep = dir.path().join("content");
        for _ in 0..MAX_DEPTH {
            deep.push("d");
        }
        std::fs::create_dir_all(&deep).expect("folders");
        std::fs::write(deep.join("x.md"), "x").expect("file");
        assert!(input_files(dir.path()).is_some(), "as deep as allowed");
        std::fs::create_dir(deep.join("d")).expect("folder");
        std::fs::write(deep.join("d/y.md"), "y").expect("file");
        assert!(input_files(dir.path()).is_none(), "one deeper");
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
