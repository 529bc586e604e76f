//! Pictures to PNG, with the theme's fonts only: painted from their scene
//! when they have one (`scene`), else from their SVG by resvg.

use resvg::tiny_skia;
use resvg::usvg;

use super::fonts::{FAMILY, Fonts};
use super::png_file::{self, PngError};
use super::scene::Scene;

/// Why an infographic could not be converted (a bug, not a user error).
#[derive(Debug, thiserror::Error)]
pub enum RasterError {
    #[error("the SVG is not valid: {0}")]
    Svg(#[from] usvg::Error),
    #[error("cannot allocate a {0}×{1} picture")]
    Size(u32, u32),
    #[error("cannot encode the PNG: {0}")]
    Png(#[from] PngError),
    #[error("the theme has no face of weight {0}")]
    NoFace(u16),
    #[error("cannot embed a font in the PDF: {0}")]
    Subset(String),
    #[error("cannot compress the PDF: {0}")]
    Compress(flate2::CompressError),
    #[error("the picture has no scene to write its PDF from")]
    NoScene,
}

fn options(fonts: &Fonts) -> usvg::Options<'static> {
    usvg::Options {
        font_family: FAMILY.to_string(),
        fontdb: fonts.database.clone(),
        ..usvg::Options::default()
    }
}

pub fn parse(svg: &str, fonts: &Fonts) -> Result<usvg::Tree, RasterError> {
    Ok(usvg::Tree::from_str(svg, &options(fonts))?)
}

/// Renders `svg` at `scale` × its own size and encodes it as PNG with fast
/// compression (flat infographics compress well even so), in RGB.
pub fn png(svg: &str, fonts: &Fonts, scale: f32) -> Result<Vec<u8>, RasterError> {
    png_of_tree(&parse(svg, fonts)?, scale, PngSettings::FAST)
}

/// How a picture is stored as PNG.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PngSettings {
    pub compression: Compression,
    pub colours: Colours,
}

impl PngSettings {
    /// Many colours, fast compression: the Scan'équipe of each team.
    pub const FAST: PngSettings = PngSettings {
        compression: Compression::Fast,
        colours: Colours::Many,
    };

    /// Few colours, fast compression: social cards.
    pub const FAST_PALETTE: PngSettings = PngSettings {
        compression: Compression::Fast,
        colours: Colours::Few,
    };

    /// Its name in the picture cache.
    pub fn cache_suffix(self) -> &'static str {
        match (self.compression, self.colours) {
            (Compression::Fast, Colours::Many) => "fast.png",
            (Compression::Fast, Colours::Few) => "fast-palette.png",
            (Compression::Small, Colours::Many) => "small.png",
            (Compression::Small, Colours::Few) => "small-palette.png",
        }
    }
}

/// How many colours a picture has once anti-aliased.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Colours {
    /// Usually at most 256 (a social card has about a hundred): a palette is
    /// tried first, and RGB kept if the picture has more colours after all.
    Few,
    /// Hundreds (a Scan'équipe has about 420): stored as RGB straight away,
    /// without counting them.
    Many,
}

/// How hard to compress a PNG.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    /// For the many: zlib level 2, about 5 ms and 140 kB for a Scan'équipe.
    Fast,
    /// For a single picture: zlib level 6, about 36 ms and 40 % smaller.
    Small,
}

/// PNG of a parsed SVG, for pictures without a scene. The
/// picture is drawn on white: every infographic has an opaque background, and
/// an opaque picture is stored without alpha: as RGB, a quarter smaller than
/// RGBA, or with a palette when `settings` say it has few colours.
pub fn png_of_tree(
    tree: &usvg::Tree,
    scale: f32,
    settings: PngSettings,
) -> Result<Vec<u8>, RasterError> {
    let size = tree
        .size()
        .to_int_size()
        .scale_by(scale)
        .ok_or(RasterError::Size(0, 0))?;
    png_of_painting(size.width(), size.height(), settings, |pixmap| {
        pixmap.fill(tiny_skia::Color::WHITE);
        resvg::render(
            tree,
            tiny_skia::Transform::from_scale(scale, scale),
            &mut pixmap.as_mut(),
        );
    })
}

/// PNG of a picture painted from its scene, without usvg: the picture its
/// SVG gives, but for the anti-aliasing of glyph edges (text is painted
/// from glyph masks).
pub fn png_of_scene(
    scene: &Scene,
    fonts: &Fonts,
    scale: f32,
    settings: PngSettings,
) -> Result<Vec<u8>, RasterError> {
    let (width, height) = super::scene::pixmap_size(scene, scale);
    png_of_painting(width, height, settings, |pixmap| {
        scene.paint(fonts, scale, pixmap);
    })
}

/// The PNG of what `paint` draws on a `width` × `height` pixmap, which
/// still holds the last picture: `paint` covers it all.
fn png_of_painting(
    width: u32,
    height: u32,
    settings: PngSettings,
    paint: impl FnOnce(&mut tiny_skia::Pixmap),
) -> Result<Vec<u8>, RasterError> {
    let compression = settings.compression;
    BUFFERS.with_borrow_mut(|buffers| {
        let Buffers {
            pixmap,
            rgb,
            indexed,
        } = buffers;
        let pixmap = reuse_pixmap(pixmap, width, height)?;
        paint(pixmap);
        if settings.colours == Colours::Few
            && let Some(palette) = index_colours(pixmap.data(), width as usize, indexed)
        {
            let colours = png_file::Colours::Indexed(&palette);
            return encode(indexed, colours, width, height, compression);
        }
        drop_alpha(pixmap.data(), width as usize, rgb);
        encode(rgb, png_file::Colours::Rgb, width, height, compression)
    })
}

/// The rows of RGB of opaque RGBA pixels `width` wide, each after its
/// filter byte, into `rows`.
fn drop_alpha(rgba: &[u8], width: usize, rows: &mut Vec<u8>) {
    let width = width.max(1);
    let row_bytes = 1 + width * 3;
    let height = rgba.len() / 4 / width;
    // Every byte is written below: no need to clear the last picture's. One
    // byte more for the last pixel's alpha (see below), then cut off.
    rows.resize(height * row_bytes + 1, 0);
    for (row, pixels) in rgba.chunks_exact(width * 4).enumerate() {
        let start = row * row_bytes;
        rows[start] = 0;
        // Each pixel is copied whole, alpha included, 3 bytes after the
        // last: one 4-byte copy is faster than a 3-byte one, and the next
        // pixel (or the next row's filter byte) overwrites the alpha.
        for (column, pixel) in pixels.chunks_exact(4).enumerate() {
            let at = start + 1 + column * 3;
            rows[at..at + 4].copy_from_slice(pixel);
        }
    }
    rows.truncate(height * row_bytes);
}

/// The palette of an opaque picture `width` pixels wide, of at most 256
/// colours, in the order they first appear, with each pixel's index in
/// `indices`; `None` when it has more colours. A social card has about a
/// hundred: stored as indices, it is a third of the bytes to compress, and
/// smaller. Each row of indices comes after its filter byte (0, none), as
/// the PNG stores it.
fn index_colours(rgba: &[u8], width: usize, indices: &mut Vec<u8>) -> Option<Vec<u8>> {
    let mut palette = Palette::default();
    let width = width.max(1);
    let row_bytes = 1 + width;
    indices.clear();
    indices.resize(rgba.len() / 4 / width * row_bytes, 0);
    let mut rows = rgba.chunks_exact(width * 4).enumerate().peekable();
    while let Some((row, pixels)) = rows.next() {
        let start = row * row_bytes;
        index_row(
            pixels,
            &mut indices[start + 1..start + row_bytes],
            &mut palette,
        )?;
        // A flat picture repeats many of its rows (a background, a bar): the
        // rows below that are the same take its indices without a lookup.
        while let Some((next, _)) = rows.next_if(|(_, next)| *next == pixels) {
            indices.copy_within(start..start + row_bytes, next * row_bytes);
        }
    }
    Some(palette.rgb())
}

/// The indices of one row of pixels.
fn index_row(pixels: &[u8], indices: &mut [u8], palette: &mut Palette) -> Option<()> {
    // Flat pictures come in long runs of one colour: the last colour
    // answers most pixels without a lookup.
    let (mut last, mut last_index) = (u32::MAX, 0u8);
    for (index, pixel) in indices.iter_mut().zip(pixels.chunks_exact(4)) {
        let colour = u32::from_le_bytes([pixel[0], pixel[1], pixel[2], 0]);
        if colour != last {
            last_index = palette.index_of(colour)?;
            last = colour;
        }
        *index = last_index;
    }
    Some(())
}

/// The colours of a picture as they are found, at most 256, with a small
/// direct-mapped table in front: anti-aliased edges change colour at every
/// pixel, and a linear search of a hundred colours there took most of the
/// time of a social card's encoding.
struct Palette {
    colours: Vec<u32>,
    /// Per slot, a colour (or `u32::MAX`: no RGB colour has its top byte set)
    /// and its index in `colours`.
    recent: Box<[(u32, u8); Palette::SLOTS]>,
}

impl Default for Palette {
    fn default() -> Self {
        Palette {
            colours: Vec::with_capacity(256),
            recent: Box::new([(u32::MAX, 0); Palette::SLOTS]),
        }
    }
}

impl Palette {
    const SLOTS: usize = 1024;

    fn slot(colour: u32) -> usize {
        // Fibonacci hashing: the top 10 bits of the product.
        (colour.wrapping_mul(0x9E37_79B1) >> 22) as usize
    }

    /// The index of `colour`, added if it is new; `None` past 256 colours.
    fn index_of(&mut self, colour: u32) -> Option<u8> {
        let slot = Palette::slot(colour);
        if self.recent[slot].0 == colour {
            return Some(self.recent[slot].1);
        }
        let index = match self.colours.iter().position(|&c| c == colour) {
            Some(index) => index,
            None if self.colours.len() < 256 => {
                self.colours.push(colour);
                self.colours.len() - 1
            }
            None => return None,
        };
        // At most 256 colours, so every index fits a byte.
        let index = index as u8;
        self.recent[slot] = (colour, index);
        Some(index)
    }

    fn rgb(&self) -> Vec<u8> {
        self.colours
            .iter()
            .flat_map(|c| c.to_le_bytes().into_iter().take(3))
            .collect()
    }
}

/// A pixmap, an RGB buffer and a buffer of palette indices kept from one
/// picture to the next on each thread: allocating 9 MB afresh costs thousands of page faults, as much
/// time as the encoding itself.
#[derive(Default)]
struct Buffers {
    pixmap: Option<tiny_skia::Pixmap>,
    rgb: Vec<u8>,
    indexed: Vec<u8>,
}

/// The pixmap kept in `slot`, made anew when it is not `width` × `height`.
fn reuse_pixmap(
    slot: &mut Option<tiny_skia::Pixmap>,
    width: u32,
    height: u32,
) -> Result<&mut tiny_skia::Pixmap, RasterError> {
    let reusable = slot
        .as_ref()
        .is_some_and(|p| p.width() == width && p.height() == height);
    if !reusable {
        *slot = tiny_skia::Pixmap::new(width, height);
    }
    slot.as_mut().ok_or(RasterError::Size(width, height))
}

thread_local! {
    static BUFFERS: std::cell::RefCell<Buffers> = std::cell::RefCell::default();
}

/// Encodes rows of RGB pixels, or of palette indices with their palette.
fn encode(
    rows: &[u8],
    colours: png_file::Colours,
    width: u32,
    height: u32,
    compression: Compression,
) -> Result<Vec<u8>, RasterError> {
    // Measured on the example's Scan'équipes (examples/bench-infographics.rs,
    // flate2 on zlib-rs): level 2 without filters gives 138 kB in 5 ms; level 1
    // is 3.6 ms but over 200 kB, fdeflate 2.5 ms but 380 kB with any filter.
    let level = match compression {
        Compression::Fast => 2,
        Compression::Small => 6,
    };
    Ok(png_file::png(rows, width, height, colours, level)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `n` pixels of `n` different colours, as RGBA.
    fn colours(n: u32) -> Vec<u8> {
        (0..n)
            .flat_map(|i| [(i % 256) as u8, (i / 256) as u8, 7, 255])
            .collect()
    }

    #[test]
    fn rows_of_rgb_follow_their_filter_byte() {
        let rgba = [
            [1, 2, 3, 255],
            [4, 5, 6, 255],
            [7, 8, 9, 255],
            [10, 11, 12, 255],
        ]
        .concat();
        let mut rows = vec![99; 40];
        drop_alpha(&rgba, 2, &mut rows);
        assert_eq!(rows, [0, 1, 2, 3, 4, 5, 6, 0, 7, 8, 9, 10, 11, 12]);
    }

    #[test]
    fn a_palette_holds_256_colours_and_no_more() {
        let mut indices = Vec::new();
        let palette = index_colours(&colours(256), 256, &mut indices).expect("256 colours fit");
        assert_eq!(palette.len(), 256 * 3);
        assert_eq!(indices[0], 0, "the row's filter byte");
        assert_eq!(indices[1..], (0..=255).collect::<Vec<u8>>());
        assert_eq!(&palette[3 * 200..3 * 201], &[200, 0, 7]);
        assert!(index_colours(&colours(257), 257, &mut indices).is_none());
    }

    #[test]
    fn a_palette_is_in_the_order_colours_first_appear() {
        let rgba = [
            [9, 9, 9, 255],
            [1, 2, 3, 255],
            [9, 9, 9, 255],
            [1, 2, 3, 255],
        ]
        .concat();
        let mut indices = Vec::new();
        // Two rows of two pixels, the second the same as the first.
        let palette = index_colours(&rgba, 2, &mut indices).expect("2 colours");
        assert_eq!(palette, [9, 9, 9, 1, 2, 3]);
        assert_eq!(indices, [0, 0, 1, 0, 0, 1]);
    }
}
