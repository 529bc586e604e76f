//! PNG files written straight from their rows: the signature and three or
//! four chunks (header, a palette for indexed pictures, one compressed data
//! chunk, end), each with its CRC, as the PNG specification lays them out,
//! compressed by the thread's kept zlib stream (`zlib`). The `png` crate's
//! writer made a new stream for every picture and copied every row once
//! more to filter it.

use super::zlib;

/// How a PNG's rows stand for colours.
#[derive(Debug, Clone, Copy)]
pub enum Colours<'a> {
    /// Three bytes per pixel.
    Rgb,
    /// One byte per pixel, an index into this palette of RGB triples.
    Indexed(&'a [u8]),
}

/// Why a PNG could not be written.
#[derive(Debug, thiserror::Error)]
pub enum PngError {
    #[error("cannot compress the pixels: {0}")]
    Compress(#[from] flate2::CompressError),
    #[error("the compressed pixels are larger than a PNG chunk can hold")]
    TooLarge,
}

/// The bytes of a PNG `width` × `height` pixels, 8 bits per channel,
/// whose `rows` each start with their filter byte (0: none), compressed at
/// zlib `level`.
pub fn png(
    rows: &[u8],
    width: u32,
    height: u32,
    colours: Colours,
    level: u32,
) -> Result<Vec<u8>, PngError> {
    let mut png = Vec::with_capacity(rows.len() / 8 + 1024);
    png.extend_from_slice(b"\x89PNG\r\n\x1a\n");
    // The header's colour type, and the bytes of a pixel in a row.
    let (colour_type, pixel_bytes) = match colours {
        Colours::Rgb => (2, 3),
        Colours::Indexed(_) => (3, 1),
    };
    let mut header = [0; 13];
    header[..4].copy_from_slice(&width.to_be_bytes());
    header[4..8].copy_from_slice(&height.to_be_bytes());
    // Bit depth 8, the colour type, then deflate, adaptive filtering and
    // no interlacing (0, 0, 0).
    header[8..10].copy_from_slice(&[8, colour_type]);
    chunk(&mut png, b"IHDR", |png| png.extend_from_slice(&header))?;
    if let Colours::Indexed(palette) = colours {
        chunk(&mut png, b"PLTE", |png| png.extend_from_slice(palette))?;
    }
    debug_assert_eq!(
        rows.len(),
        height as usize * (1 + width as usize * pixel_bytes),
        "rows of {width} × {height} pixels, each after its filter byte"
    );
    let mut compressed = Ok(());
    chunk(&mut png, b"IDAT", |png| {
        compressed = zlib::compress_into(rows, level, png)
    })?;
    compressed?;
    chunk(&mut png, b"IEND", |_| {})?;
    // Room was made for poorly compressible pixels: a PNG kept in memory
    // (when the picture cache cannot be written) holds only its bytes.
    png.shrink_to_fit();
    Ok(png)
}

/// Appends a chunk of `kind` whose data `write` appends, with its length
/// before and its CRC after.
fn chunk(
    png: &mut Vec<u8>,
    kind: &[u8; 4],
    write: impl FnOnce(&mut Vec<u8>),
) -> Result<(), PngError> {
    let length_at = png.len();
    png.extend_from_slice(&[0; 4]);
    png.extend_from_slice(kind);
    write(png);
    let length = png.len() - length_at - 8;
    let length = u32::try_from(length)
        .ok()
        .filter(|&length| length < 1 << 31)
        .ok_or(PngError::TooLarge)?;
    png[length_at..length_at + 4].copy_from_slice(&length.to_be_bytes());
    let crc = crc32fast::hash(&png[length_at + 4..]);
    png.extend_from_slice(&crc.to_be_bytes());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(png: &[u8]) -> (png::OutputInfo, Vec<u8>) {
        let decoder = png::Decoder::new(std::io::Cursor::new(png));
        let mut reader = decoder.read_info().expect("a PNG");
        let mut pixels = vec![0; reader.output_buffer_size().expect("a size")];
        let info = reader.next_frame(&mut pixels).expect("its pixels");
        (info, pixels)
    }

    #[test]
    fn an_rgb_png_reads_back_as_its_pixels() {
        // Two rows of two pixels, each row after its filter byte.
        let rows = [0, 1, 2, 3, 4, 5, 6, 0, 7, 8, 9, 10, 11, 12];
        let png = png(&rows, 2, 2, Colours::Rgb, 2).expect("a PNG");
        let (info, pixels) = decode(&png);
        assert_eq!((info.width, info.height), (2, 2));
        assert_eq!(info.color_type, png::ColorType::Rgb);
        assert_eq!(pixels, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
        // The stream kept by the thread gives the same bytes again.
        assert_eq!(
            super::png(&rows, 2, 2, Colours::Rgb, 2).expect("a PNG"),
            png
        );
    }

    #[test]
    fn an_indexed_png_carries_its_palette() {
        let rows = [0, 1, 0, 0, 0, 1];
        let palette = [255, 0, 0, 0, 0, 255];
        let png = png(&rows, 2, 2, Colours::Indexed(&palette), 6).expect("a PNG");
        let decoder = png::Decoder::new(std::io::Cursor::new(&png[..]));
        let reader = decoder.read_info().expect("a PNG");
        assert_eq!(reader.info().color_type, png::ColorType::Indexed);
        assert_eq!(reader.info().palette.as_deref(), Some(&palette[..]));
        assert_eq!(decode(&png).1, [1, 0, 0, 1]);
    }
}
