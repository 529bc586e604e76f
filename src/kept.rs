//! The files a build keeps in `.msp-cache` for the next one (the parsed
//! files, the rendered Markdown): a header that names the format and the
//! program that wrote it (a new one may parse or render differently), then
//! length-prefixed chunks, then the hash of all the rest, so that a file cut
//! short or damaged (a crash before the disk had it all) is not read.

/// The first bytes of a file of `format`, written by this program; `extra`
/// is anything else its entries depend on.
pub(crate) fn header(format: &str, extra: &str) -> Vec<u8> {
    format!(
        "msp-site {format}\n{}\n{extra}\n",
        crate::fingerprint::program()
    )
    .into_bytes()
}

/// What `entries` reads from the file at `path`, given its bytes to keep;
/// nothing (the default) when there is no such file or it does not read.
pub(crate) fn read<T: Default>(
    path: &std::path::Path,
    entries: impl FnOnce(Vec<u8>) -> Option<T>,
) -> T {
    std::fs::read(path)
        .ok()
        .and_then(entries)
        .unwrap_or_default()
}

/// Ends `out` with the hash of what it holds, and writes it to `path`. A
/// failure only means the next build does the work again.
pub(crate) fn seal_and_write(mut out: Vec<u8>, path: &std::path::Path) {
    let check = blake3::hash(&out);
    out.extend_from_slice(check.as_bytes());
    let _ = crate::output::replace_file(path, &out);
}

/// The chunks of a file's `bytes`, after `header`; `None` if the file was
/// written by another program or format, or is damaged.
pub(crate) fn opened<'a>(bytes: &'a [u8], header: &[u8]) -> Option<&'a [u8]> {
    let (body, check) = bytes.split_at_checked(bytes.len().checked_sub(blake3::OUT_LEN)?)?;
    if blake3::hash(body).as_bytes() != check {
        return None;
    }
    body.strip_prefix(header)
}

/// A length (4 bytes, little-endian) and the bytes; `None` for more than
/// 4 GiB (the file is then not written).
pub(crate) fn write_chunk(out: &mut Vec<u8>, bytes: &[u8]) -> Option<()> {
    out.extend_from_slice(&u32::try_from(bytes.len()).ok()?.to_le_bytes());
    out.extend_from_slice(bytes);
    Some(())
}

/// The next chunk of `rest` (`write_chunk`).
pub(crate) fn take_chunk<'a>(rest: &mut &'a [u8]) -> Option<&'a [u8]> {
    let len = take(rest, 4)?;
    let len = u32::from_le_bytes(len.try_into().ok()?) as usize;
    take(rest, len)
}

/// The next `len` bytes of `rest`.
pub(crate) fn take<'a>(rest: &mut &'a [u8], len: usize) -> Option<&'a [u8]> {
    if rest.len() < len {
        return None;
    }
    let (taken, left) = rest.split_at(len);
    *rest = left;
    Some(taken)
}

/// The next hash of `rest`.
pub(crate) fn take_hash(rest: &mut &[u8]) -> Option<blake3::Hash> {
    let bytes = take(rest, blake3::OUT_LEN)?;
    Some(blake3::Hash::from_bytes(bytes.try_into().ok()?))
}
