//! zlib streams kept by each thread, one per compression level, and reset
//! between pictures: a new stream for each of a national site's 20 000
//! PNGs and 4 000 PDFs (several streams each) cleared its 300 kB of tables
//! every time.

use std::cell::RefCell;

use flate2::{Compress, Compression, FlushCompress, Status};

thread_local! {
    /// This thread's streams, with the level each compresses at.
    static STREAMS: RefCell<Vec<(u32, Compress)>> = const { RefCell::new(Vec::new()) };
}

/// `data` as one zlib stream at `level` (0 to 9).
pub fn compress(data: &[u8], level: u32) -> Result<Vec<u8>, flate2::CompressError> {
    let mut out = Vec::with_capacity(data.len() / 4 + 64);
    compress_into(data, level, &mut out)?;
    Ok(out)
}

/// Appends `data` to `out` as one zlib stream at `level`.
pub fn compress_into(
    data: &[u8],
    level: u32,
    out: &mut Vec<u8>,
) -> Result<(), flate2::CompressError> {
    STREAMS.with_borrow_mut(|streams| {
        let at = match streams.iter().position(|(kept, _)| *kept == level) {
            Some(at) => {
                streams[at].1.reset();
                at
            }
            None => {
                streams.push((level, Compress::new(Compression::new(level), true)));
                streams.len() - 1
            }
        };
        let stream = &mut streams[at].1;
        let mut consumed = 0;
        loop {
            let before = stream.total_in();
            let status = stream.compress_vec(&data[consumed..], out, FlushCompress::Finish)?;
            // At most what `data` holds: it fits a usize.
            consumed += (stream.total_in() - before) as usize;
            if status == Status::StreamEnd {
                return Ok(());
            }
            out.reserve(out.capacity().max(64 * 1024));
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn inflate(data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        flate2::read::ZlibDecoder::new(data)
            .read_to_end(&mut out)
            .expect("a zlib stream");
        out
    }

    /// A stream reset and used again gives the bytes a new one gives, at
    /// each level, whichever level was used in between.
    #[test]
    fn a_kept_stream_compresses_as_a_new_one() {
        let data: Vec<u8> = (0..200_000u32)
            .map(|i| ((i % 251) ^ (i / 977)) as u8)
            .collect();
        let fresh = |level| {
            let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), Compression::new(level));
            std::io::Write::write_all(&mut encoder, &data).expect("compresses");
            encoder.finish().expect("compresses")
        };
        for level in [2, 6, 2, 6] {
            let kept = compress(&data, level).expect("compresses");
            assert_eq!(inflate(&kept), data);
            assert_eq!(kept, fresh(level), "level {level}");
        }
        // A short input after a long, different one: nothing of the long
        // one is left in the window or the tables.
        let short = &data[150_000..151_000];
        for level in [2, 6] {
            compress(&data, level).expect("compresses");
            let kept = compress(short, level).expect("compresses");
            let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), Compression::new(level));
            std::io::Write::write_all(&mut encoder, short).expect("compresses");
            assert_eq!(kept, encoder.finish().expect("compresses"), "level {level}");
            assert_eq!(inflate(&kept), short);
        }
        assert_eq!(inflate(&compress(b"", 2).expect("compresses")), b"");
    }
}
