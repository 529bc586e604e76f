//! Freeing aside: the large values a build is done with (a national
//! site's model, its 58 000 files, the manifest of the last build, the
//! fonts' glyphs) are freed in a thread of their own, not on the way to
//! the build's end; or not at all when the process ends with the build.

use std::sync::atomic::{AtomicBool, Ordering};

/// Set when the process ends as soon as the command is done (`build`).
static PROCESS_ENDS_AFTER: AtomicBool = AtomicBool::new(false);

/// Tells that the process ends when the command is done: what is set aside
/// is then left for the system to take back with the whole process, as
/// compilers do (clang's `-disable-free`). Freeing a national site's
/// model and files, a few hundred thousand allocations, took CPU that the
/// build's last stage needed. Never set by `serve`, which builds again,
/// nor by a test: set, it stays set for the whole process.
#[doc(hidden)]
pub fn process_ends_after_command() {
    PROCESS_ENDS_AFTER.store(true, Ordering::Relaxed);
}

/// Frees `value` in a thread of its own: freeing a national site's model,
/// or its 58 000 files, takes a tenth of a second of CPU that the build
/// need not wait for (the thread ends with the process if it must).
/// `T` must do nothing but free memory when dropped.
pub(crate) fn drop_aside<T: Send + 'static>(value: T) {
    if PROCESS_ENDS_AFTER.load(Ordering::Relaxed) {
        std::mem::forget(value);
        return;
    }
    // If no thread can be made, `value` comes back, dropped here.
    let _ = std::thread::Builder::new().spawn(move || drop(value));
}

/// Files written in threads of their own while the build goes on (caches
/// for the next build); dropped, it waits for them, so that no build ends
/// in the middle of writing one.
#[derive(Default)]
pub(crate) struct WritingAside(Vec<std::thread::JoinHandle<()>>);

impl WritingAside {
    /// Runs `write` in a thread of its own; if no thread can be made, it
    /// is not run (what it writes only saves time next time).
    pub(crate) fn spawn(&mut self, write: impl FnOnce() + Send + 'static) {
        if let Ok(writing) = std::thread::Builder::new().spawn(write) {
            self.0.push(writing);
        }
    }
}

impl Drop for WritingAside {
    fn drop(&mut self) {
        for writing in self.0.drain(..) {
            let _ = writing.join();
        }
    }
}
