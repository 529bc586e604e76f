//! Freeing aside: the large values a build is done with (a national
//! site's model, its 58 000 files, the manifest of the last build, the
//! fonts' glyphs) are freed in a thread of their own, not on the way to
//! the build's end.

/// Frees `value` in a thread of its own: freeing a national site's model,
/// or its 58 000 files, takes a tenth of a second of CPU that the build
/// need not wait for (the thread ends with the process if it must).
/// `T` must do nothing but free memory when dropped.
pub(crate) fn drop_aside<T: Send + 'static>(value: T) {
    // If no thread can be made, `value` comes back, dropped here.
    let _ = std::thread::Builder::new().spawn(move || drop(value));
}
