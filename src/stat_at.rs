//! `stat` of many files below one folder, each asked relative to that
//! folder, opened once: the system then walks only the path below it.
//!
//! A rebuild asks the size and times of every input file and of every file
//! and folder of the output, to see that nobody changed one: 90 000 on a
//! national site. Asked by their whole paths, each walked again from `/`
//! the folders above the output; the output's 75 000 took 80 ms on two
//! cores, 48 ms asked from the opened output (Linux `statx`). Elsewhere,
//! each is asked by its whole path, as before.

use std::path::{Path, PathBuf};

use crate::fingerprint::Stamp;

/// A folder opened to ask about what is below it.
pub(crate) struct Folder {
    path: PathBuf,
    /// The folder, opened for paths only (`O_PATH`); `None` when it could
    /// not be opened: each file is then asked by its whole path.
    #[cfg(target_os = "linux")]
    opened: Option<rustix::fd::OwnedFd>,
}

/// What a file or folder is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    File,
    Folder,
    /// A link not followed, a device, a socket…
    Other,
}

/// What the system says of a file: its kind, size, modification time and
/// its stamp (`fingerprint::Stamp`, where the system gives one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stat {
    pub kind: Kind,
    pub len: u64,
    /// Nanoseconds since 1970; `None` for a time before.
    pub modified: Option<u128>,
    pub stamp: Option<Stamp>,
}

/// Whether a link at the end of the path is followed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Links {
    Followed,
    NotFollowed,
}

impl Folder {
    /// `path`, opened if it can be (links on its way followed).
    pub(crate) fn open(path: &Path) -> Folder {
        Folder {
            path: path.to_path_buf(),
            #[cfg(target_os = "linux")]
            opened: {
                use rustix::fs::{Mode, OFlags};
                let flags = OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC;
                rustix::fs::open(path, flags, Mode::empty()).ok()
            },
        }
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// What is at `relative` below the folder (`""`: the folder itself, a
    /// link to it followed, as its path and a `/` give it); `None` when
    /// nothing is there or it cannot be asked.
    pub(crate) fn stat(&self, relative: impl AsRef<Path>, links: Links) -> Option<Stat> {
        let relative = relative.as_ref();
        #[cfg(target_os = "linux")]
        if let Some(opened) = &self.opened {
            match statx_at(opened, relative, links) {
                Ok(found) => return Some(found),
                Err(rustix::io::Errno::NOENT | rustix::io::Errno::NOTDIR) => return None,
                // A kernel or a sandbox without `statx`, or any other
                // refusal: asked by the whole path, as the standard
                // library asks (it falls back on `fstatat`).
                Err(_) => {}
            }
        }
        stat_path(&self.path.join(relative), links)
    }
}

/// What is at `path`, asked by the whole path; `None` when nothing is
/// there or it cannot be asked.
pub(crate) fn stat_path(path: &Path, links: Links) -> Option<Stat> {
    let metadata = match links {
        Links::Followed => std::fs::metadata(path),
        Links::NotFollowed => std::fs::symlink_metadata(path),
    };
    metadata.ok().as_ref().map(Stat::of)
}

impl Stat {
    fn of(metadata: &std::fs::Metadata) -> Stat {
        let kind = if metadata.is_file() {
            Kind::File
        } else if metadata.is_dir() {
            Kind::Folder
        } else {
            Kind::Other
        };
        let modified = metadata
            .modified()
            .ok()
            .and_then(|time| time.duration_since(std::time::UNIX_EPOCH).ok())
            .map(|since| since.as_nanos());
        Stat {
            kind,
            len: metadata.len(),
            modified,
            stamp: Stamp::of(metadata),
        }
    }

    /// Its size and modification time, when it is a file.
    pub(crate) fn of_file(&self) -> Option<(u64, u128)> {
        (self.kind == Kind::File).then_some((self.len, self.modified?))
    }
}

#[cfg(target_os = "linux")]
fn statx_at(
    folder: &rustix::fd::OwnedFd,
    relative: &Path,
    links: Links,
) -> Result<Stat, rustix::io::Errno> {
    use rustix::fs::{AtFlags, FileType, StatxFlags};
    let mut flags = match links {
        Links::Followed => AtFlags::empty(),
        Links::NotFollowed => AtFlags::SYMLINK_NOFOLLOW,
    };
    // The opened folder itself (opened through any link to it).
    if relative.as_os_str().is_empty() {
        flags |= AtFlags::EMPTY_PATH;
    }
    let asked = StatxFlags::TYPE
        | StatxFlags::SIZE
        | StatxFlags::MTIME
        | StatxFlags::CTIME
        | StatxFlags::INO;
    let found = rustix::fs::statx(folder, relative, flags, asked)?;
    let kind = match FileType::from_raw_mode(found.stx_mode.into()) {
        FileType::RegularFile => Kind::File,
        FileType::Directory => Kind::Folder,
        _ => Kind::Other,
    };
    let nanos = |time: rustix::fs::StatxTimestamp| {
        i128::from(time.tv_sec) * 1_000_000_000 + i128::from(time.tv_nsec)
    };
    let modified = nanos(found.stx_mtime);
    Ok(Stat {
        kind,
        len: found.stx_size,
        modified: u128::try_from(modified).ok(),
        stamp: Some(Stamp::from_parts(
            found.stx_size,
            modified,
            nanos(found.stx_ctime),
            rustix::fs::makedev(found.stx_dev_major, found.stx_dev_minor),
            found.stx_ino,
        )),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_below_an_opened_folder_is_seen_as_by_its_whole_path() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("a/b")).unwrap();
        std::fs::write(dir.path().join("a/b/page.html"), "<p>page</p>").unwrap();
        let folder = Folder::open(dir.path());
        for (relative, kind) in [
            ("a/b/page.html", Kind::File),
            ("a/b", Kind::Folder),
            ("", Kind::Folder),
        ] {
            for links in [Links::Followed, Links::NotFollowed] {
                let stat = folder.stat(relative, links).expect("a stat");
                assert_eq!(stat.kind, kind, "{relative}");
                assert_eq!(
                    Some(stat),
                    stat_path(&dir.path().join(relative), links),
                    "{relative}"
                );
            }
        }
        let page = folder.stat("a/b/page.html", Links::Followed).unwrap();
        assert_eq!(page.of_file().map(|(len, _)| len), Some(11));
        assert_eq!(folder.stat("a/b", Links::Followed).unwrap().of_file(), None);
        assert_eq!(folder.stat("a/missing", Links::Followed), None);
    }

    #[cfg(unix)]
    #[test]
    fn a_link_is_followed_only_when_asked() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("real")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("real"), dir.path().join("link")).unwrap();
        let folder = Folder::open(dir.path());
        assert_eq!(
            folder.stat("link", Links::Followed).unwrap().kind,
            Kind::Folder
        );
        assert_eq!(
            folder.stat("link", Links::NotFollowed).unwrap().kind,
            Kind::Other
        );
        // A folder opened through a link is itself the folder linked to, as
        // its path and a `/` give it.
        let through_link = Folder::open(&dir.path().join("link"));
        let itself = through_link.stat("", Links::NotFollowed).expect("a stat");
        assert_eq!(itself.kind, Kind::Folder);
        assert_eq!(
            Some(itself),
            stat_path(&dir.path().join("link/"), Links::NotFollowed)
        );
    }

    #[test]
    fn a_folder_that_cannot_be_opened_is_asked_by_whole_paths() {
        let dir = tempfile::tempdir().unwrap();
        let folder = Folder::open(&dir.path().join("later"));
        std::fs::create_dir(dir.path().join("later")).unwrap();
        std::fs::write(dir.path().join("later/file"), "x").unwrap();
        assert_eq!(folder.stat("file", Links::Followed).unwrap().len, 1);
    }
}
