//! SVG to PNG (resvg) and to PDF (svg2pdf), with the theme's fonts only.

use resvg::tiny_skia;
use resvg::usvg;

use super::fonts::{FAMILY, Fonts};

/// Why an infographic could not be converted (a bug, not a user error).
#[derive(Debug, thiserror::Error)]
pub enum RasterError {
    #[error("the SVG is not valid: {0}")]
    Svg(#[from] usvg::Error),
    #[error("cannot allocate a {0}×{1} picture")]
    Size(u32, u32),
    #[error("cannot encode the PNG: {0}")]
    Png(#[from] png::EncodingError),
    #[error("cannot convert to PDF: {0}")]
    Pdf(String),
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

/// PNG of an already parsed SVG, so that PNG and PDF share one parse. The
/// picture is drawn on white: every infographic has an opaque background, and
/// an opaque picture is stored without alpha: as RGB, a quarter smaller than
/// RGBA, or with a palette when `settings` say it has few colours.
pub fn png_of_tree(
    tree: &usvg::Tree,
    scale: f32,
    settings: PngSettings,
) -> Result<Vec<u8>, RasterError> {
    let compression = settings.compression;
    let size = tree
        .size()
        .to_int_size()
        .scale_by(scale)
        .ok_or(RasterError::Size(0, 0))?;
    let (width, height) = (size.width(), size.height());
    BUFFERS.with_borrow_mut(|buffers| {
        let Buffers {
            pixmap,
            rgb,
            indexed,
        } = buffers;
        let pixmap = reuse_pixmap(pixmap, width, height)?;
        pixmap.fill(tiny_skia::Color::WHITE);
        resvg::render(
            tree,
            tiny_skia::Transform::from_scale(scale, scale),
            &mut pixmap.as_mut(),
        );
        if settings.colours == Colours::Few
            && let Some(palette) = index_colours(pixmap.data(), indexed)
        {
            return encode(indexed, Some(&palette), width, height, compression);
        }
        rgb.clear();
        rgb.resize(pixmap.data().len() / 4 * 3, 0);
        for (out, pixel) in rgb.chunks_exact_mut(3).zip(pixmap.data().chunks_exact(4)) {
            out.copy_from_slice(&pixel[..3]);
        }
        encode(rgb, None, width, height, compression)
    })
}

/// The palette of an opaque picture of at most 256 colours, in the order
/// they first appear, with each pixel's index in `indices`; `None` when it
/// has more colours. A social card has about a hundred: stored as indices,
/// it is a third of the bytes to compress, and smaller.
fn index_colours(rgba: &[u8], indices: &mut Vec<u8>) -> Option<Vec<u8>> {
    let mut colours: Vec<u32> = Vec::with_capacity(256);
    indices.clear();
    indices.reserve(rgba.len() / 4);
    // Flat pictures come in long runs of one colour: the last colour
    // answers most pixels without a search.
    let (mut last, mut last_index) = (None, 0u8);
    for pixel in rgba.chunks_exact(4) {
        let colour = u32::from_le_bytes([pixel[0], pixel[1], pixel[2], 0]);
        if last != Some(colour) {
            last_index = match colours.iter().position(|&c| c == colour) {
                Some(index) => index as u8,
                None if colours.len() < 256 => {
                    colours.push(colour);
                    (colours.len() - 1) as u8
                }
                None => return None,
            };
            last = Some(colour);
        }
        indices.push(last_index);
    }
    Some(
        colours
            .iter()
            .flat_map(|c| c.to_le_bytes().into_iter().take(3))
            .collect(),
    )
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

/// Encodes RGB pixels, or palette indices with their `palette`.
fn encode(
    pixels: &[u8],
    palette: Option<&[u8]>,
    width: u32,
    height: u32,
    compression: Compression,
) -> Result<Vec<u8>, RasterError> {
    let mut bytes = Vec::with_capacity(256 * 1024);
    let mut encoder = png::Encoder::new(&mut bytes, width, height);
    match palette {
        Some(palette) => {
            encoder.set_color(png::ColorType::Indexed);
            encoder.set_palette(palette.to_vec());
        }
        None => encoder.set_color(png::ColorType::Rgb),
    }
    encoder.set_depth(png::BitDepth::Eight);
    // Measured on the example's Scan'équipes (examples/bench-infographics.rs,
    // flate2 on zlib-rs): level 2 without filters gives 138 kB in 5 ms; level 1
    // is 3.6 ms but over 200 kB, fdeflate 2.5 ms but 380 kB with any filter.
    encoder.set_deflate_compression(png::DeflateCompression::Level(match compression {
        Compression::Fast => 2,
        Compression::Small => 6,
    }));
    encoder.set_filter(png::Filter::NoFilter);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(pixels)?;
    writer.finish()?;
    Ok(bytes)
}

/// A one-page vector PDF whose page is the SVG's size at `dpi`; text stays
/// text (selectable, searchable), set in the embedded theme fonts.
pub fn pdf(svg: &str, fonts: &Fonts, dpi: f32) -> Result<Vec<u8>, RasterError> {
    pdf_of_tree(&parse(svg, fonts)?, dpi)
}

/// PDF of an already parsed SVG.
pub fn pdf_of_tree(tree: &usvg::Tree, dpi: f32) -> Result<Vec<u8>, RasterError> {
    let mut pdf = svg2pdf::to_pdf(
        tree,
        svg2pdf::ConversionOptions::default(),
        svg2pdf::PageOptions { dpi },
    )
    .map_err(|e| RasterError::Pdf(e.to_string()))?;
    sort_resource_dictionaries(&mut pdf);
    Ok(canonical_pdf(&pdf).unwrap_or(pdf))
}

/// svg2pdf writes fonts, and numbers their sub-objects, in hash-map order,
/// which changes from run to run. This rewrites the file canonically: objects
/// are renumbered in the order a walk from the trailer first meets them (in
/// the order references are written), and written in that order with a new
/// cross-reference table. Stream data is copied as it is. `None` if the file
/// is not laid out as expected; it is then kept as it is.
fn canonical_pdf(pdf: &[u8]) -> Option<Vec<u8>> {
    let layout = PdfLayout::read(pdf)?;
    let count = layout.objects.len();
    // New number of each old object, in order of discovery from the trailer.
    let mut renumbered: Vec<Option<usize>> = vec![None; count];
    let mut order: Vec<usize> = Vec::new();
    let mut queue: std::collections::VecDeque<usize> =
        references(layout.trailer).into_iter().collect();
    while let Some(old) = queue.pop_front() {
        if old >= count || renumbered[old].is_some() || layout.objects[old].is_none() {
            continue;
        }
        order.push(old);
        renumbered[old] = Some(order.len());
        if let Some(object) = layout.objects[old] {
            queue.extend(references(dictionary_part(object)));
        }
    }
    // Objects no reference leads to keep their relative order at the end.
    let unreached: Vec<usize> = (1..count)
        .filter(|&old| renumbered[old].is_none() && layout.objects[old].is_some())
        .collect();
    for old in unreached {
        order.push(old);
        renumbered[old] = Some(order.len());
    }
    let mut out = pdf[..layout.header_end].to_vec();
    let mut offsets = Vec::with_capacity(order.len());
    for &old in &order {
        let object = layout.objects[old]?;
        offsets.push(out.len());
        let body_start = object.windows(7).position(|w| w == b" 0 obj\n")? + 7;
        out.extend_from_slice(format!("{} 0 obj\n", renumbered[old]?).as_bytes());
        let body = &object[body_start..];
        let dictionary = dictionary_part(body);
        out.extend_from_slice(&rewrite_references(dictionary, &renumbered)?);
        out.extend_from_slice(&body[dictionary.len()..]);
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f\r\n", order.len() + 1).as_bytes(),
    );
    for offset in offsets {
        out.extend_from_slice(format!("{offset:010} 00000 n\r\n").as_bytes());
    }
    let trailer = rewrite_references(layout.trailer, &renumbered)?;
    let trailer = String::from_utf8(trailer).ok()?;
    let size_start = trailer.find("/Size ")? + "/Size ".len();
    let size_end = size_start + trailer[size_start..].find(|c: char| !c.is_ascii_digit())?;
    out.extend_from_slice(&trailer.as_bytes()[..size_start]);
    out.extend_from_slice((order.len() + 1).to_string().as_bytes());
    out.extend_from_slice(&trailer.as_bytes()[size_end..]);
    out.extend_from_slice(format!("startxref\n{xref}\n%%EOF").as_bytes());
    Some(out)
}

/// A PDF cut into its objects through its cross-reference table.
struct PdfLayout<'a> {
    header_end: usize,
    /// Indexed by object number: the bytes from `N 0 obj` to the next object.
    objects: Vec<Option<&'a [u8]>>,
    /// From `trailer` to `startxref`.
    trailer: &'a [u8],
}

impl<'a> PdfLayout<'a> {
    fn read(pdf: &'a [u8]) -> Option<PdfLayout<'a>> {
        let marker = b"startxref\n";
        let startxref = pdf.windows(marker.len()).rposition(|w| w == marker)?;
        let digits: Vec<u8> = pdf[startxref + marker.len()..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .copied()
            .collect();
        let xref: usize = std::str::from_utf8(&digits).ok()?.parse().ok()?;
        let mut lines = pdf.get(xref..startxref)?.split(|&b| b == b'\n');
        if lines.next()? != b"xref" {
            return None;
        }
        let header = std::str::from_utf8(lines.next()?).ok()?;
        let count: usize = header.strip_prefix("0 ")?.trim().parse().ok()?;
        let entries = xref + b"xref\n".len() + header.len() + 1;
        let mut positions: Vec<(usize, usize)> = Vec::new();
        for number in 1..count {
            let entry = pdf.get(entries + number * 20..entries + number * 20 + 20)?;
            if entry.get(17) == Some(&b'n') {
                positions.push((
                    std::str::from_utf8(&entry[..10]).ok()?.parse().ok()?,
                    number,
                ));
            }
        }
        positions.sort_unstable();
        let mut objects = vec![None; count];
        for (index, &(offset, number)) in positions.iter().enumerate() {
            let end = positions.get(index + 1).map_or(xref, |next| next.0);
            objects[number] = Some(pdf.get(offset..end)?);
        }
        Some(PdfLayout {
            header_end: positions.first()?.0,
            objects,
            trailer: pdf.get(entries + count * 20..startxref)?,
        })
    }
}

/// The part of an object before its stream data, where references are.
fn dictionary_part(object: &[u8]) -> &[u8] {
    match object
        .windows(7)
        .position(|w| w == b"stream\n" || w == b"stream\r")
    {
        Some(index) => &object[..index],
        None => object,
    }
}

/// Every `N 0 R` of `text`, in order: its start, its end and `N`.
fn reference_spans(text: &[u8]) -> Vec<(usize, usize, usize)> {
    let mut spans = Vec::new();
    let mut index = 0;
    while index < text.len() {
        let starts_number = text[index].is_ascii_digit()
            && (index == 0 || !text[index - 1].is_ascii_alphanumeric());
        if !starts_number {
            index += 1;
            continue;
        }
        let end = index
            + text[index..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count();
        if text[end..].starts_with(b" 0 R")
            && let Some(number) = std::str::from_utf8(&text[index..end])
                .ok()
                .and_then(|n| n.parse().ok())
        {
            spans.push((index, end, number));
            index = end + 4;
        } else {
            index = end;
        }
    }
    spans
}

/// The numbers of every `N 0 R` of `text`, in order.
fn references(text: &[u8]) -> Vec<usize> {
    reference_spans(text)
        .into_iter()
        .map(|(_, _, number)| number)
        .collect()
}

/// `text` with each `N 0 R` renumbered; `None` if one refers to no object.
fn rewrite_references(text: &[u8], renumbered: &[Option<usize>]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len());
    let mut copied = 0;
    for (start, end, old) in reference_spans(text) {
        out.extend_from_slice(&text[copied..start]);
        out.extend_from_slice(
            renumbered
                .get(old)
                .copied()
                .flatten()?
                .to_string()
                .as_bytes(),
        );
        copied = end;
    }
    out.extend_from_slice(&text[copied..]);
    Some(out)
}

/// svg2pdf writes the entries of resource dictionaries (`/Font << … >>`) in
/// the order of a hash map. Sorting the entries, one per line, makes them
/// stable; a permutation of lines keeps the dictionary's length.
fn sort_resource_dictionaries(pdf: &mut [u8]) {
    let keys: [&[u8]; 6] = [
        b"/Font <<\n",
        b"/XObject <<\n",
        b"/ExtGState <<\n",
        b"/Pattern <<\n",
        b"/Shading <<\n",
        b"/ColorSpace <<\n",
    ];
    for key in keys {
        let mut from = 0;
        while let Some(found) = find(&pdf[from..], key) {
            let start = from + found + key.len();
            let Some(length) = find(&pdf[start..], b">>") else {
                break;
            };
            // The entries end at the line holding the closing `>>`.
            let body_end = pdf[start..start + length]
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(start, |i| start + i + 1);
            let mut lines: Vec<Vec<u8>> = pdf[start..body_end]
                .split_inclusive(|&b| b == b'\n')
                .map(<[u8]>::to_vec)
                .collect();
            lines.sort();
            pdf[start..body_end].copy_from_slice(&lines.concat());
            from = body_end;
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
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
    fn a_palette_holds_256_colours_and_no_more() {
        let mut indices = Vec::new();
        let palette = index_colours(&colours(256), &mut indices).expect("256 colours fit");
        assert_eq!(palette.len(), 256 * 3);
        assert_eq!(indices, (0..=255).collect::<Vec<u8>>());
        assert_eq!(&palette[3 * 200..3 * 201], &[200, 0, 7]);
        assert!(index_colours(&colours(257), &mut indices).is_none());
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
        let palette = index_colours(&rgba, &mut indices).expect("2 colours");
        assert_eq!(palette, [9, 9, 9, 1, 2, 3]);
        assert_eq!(indices, [0, 1, 0, 1]);
    }
}
