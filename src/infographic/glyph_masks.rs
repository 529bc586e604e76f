//! Text painted from glyph masks, as browsers and font renderers paint it: each
//! glyph's coverage is computed once per size and quarter-pixel position
//! (with `ab_glyph_rasterizer`, the exact-area method of FreeType and
//! font-rs), then blended wherever the glyph appears. A Scan'équipe sets
//! about 1 400 glyphs from a few hundred masks, instead of filling every
//! outline again through tiny-skia's general path filler (7.6 ms of its
//! 10 ms of painting, before). The masks are not bounded in number: the
//! layout sets text in a few sizes (each a step of 0.92 from the largest),
//! so a national site keeps a few MB of them.

use ab_glyph_rasterizer::{Rasterizer, point};
use resvg::tiny_skia::{Path, PathSegment, Pixmap};

use super::scene::Rgb;

/// Positions within a pixel a glyph may start at, on each axis. A quarter
/// of a pixel is what Skia's glyph cache keeps: a glyph moves by at most an
/// eighth of a pixel, which the eye cannot tell.
pub const SUBPIXELS: f32 = 4.0;

/// Coverage is kept in sixteenths (17 levels, as 4 × 4 supersampling gives):
/// a social card's text then blends into few enough colours for a palette.
const LEVELS: f32 = 16.0;

/// How much of each pixel a glyph covers, from 0 to 255, over the pixels
/// around it; `left` and `top` are where they start, from the pixel the
/// glyph's origin falls in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GlyphMask {
    left: i32,
    top: i32,
    width: usize,
    coverage: Vec<u8>,
}

/// Where a glyph's origin falls: a pixel, and a position within it in
/// quarters of a pixel on each axis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PixelPosition {
    pub x: i32,
    pub y: i32,
    pub offset: (u8, u8),
}

impl PixelPosition {
    /// The pixel and quarter-pixel nearest to `(x, y)`.
    pub fn of(x: f32, y: f32) -> PixelPosition {
        let split = |value: f32| {
            let quarters = (value * SUBPIXELS).round();
            let pixel = (quarters / SUBPIXELS).floor();
            // Whole quarters below `SUBPIXELS`: the cast keeps them exactly.
            (pixel as i32, (quarters - pixel * SUBPIXELS) as u8)
        };
        let ((x, offset_x), (y, offset_y)) = (split(x), split(y));
        PixelPosition {
            x,
            y,
            offset: (offset_x, offset_y),
        }
    }
}

impl GlyphMask {
    /// The coverage of `outline` (in font units, y up), scaled by `scale`
    /// pixels per unit with its origin at `offset` quarters of a pixel
    /// into the pixel.
    pub fn render(outline: &Path, scale: f32, offset: (u8, u8)) -> GlyphMask {
        let (dx, dy) = (
            f32::from(offset.0) / SUBPIXELS,
            f32::from(offset.1) / SUBPIXELS,
        );
        let bounds = outline.bounds();
        let left = (bounds.left() * scale + dx).floor();
        let top = (-bounds.bottom() * scale + dy).floor();
        // Two columns more than the glyph spans: the rasteriser puts the
        // area right of an edge in the pixel after it, even for an edge on
        // the last column, and its running sum must not spill into the
        // next row.
        let width = ((bounds.right() * scale + dx).ceil() - left) as usize + 2;
        let height = ((-bounds.top() * scale + dy).ceil() - top) as usize + 1;
        let mut rasterizer = Rasterizer::new(width, height);
        let place =
            |p: resvg::tiny_skia::Point| point(p.x * scale + dx - left, -p.y * scale + dy - top);
        trace(outline, place, &mut rasterizer);
        let mut coverage = vec![0; width * height];
        rasterizer.for_each_pixel(|index, area| {
            let level = (area.min(1.0) * LEVELS).round() / LEVELS;
            coverage[index] = (level * 255.0).round() as u8;
        });
        GlyphMask {
            left: left as i32,
            top: top as i32,
            width,
            coverage,
        }
    }

    /// Blends the glyph in `colour` onto `pixmap`, its origin's pixel at
    /// `(x, y)`. The pixmap is opaque, so its premultiplied pixels are
    /// plain RGB.
    pub fn blend(&self, pixmap: &mut Pixmap, x: i32, y: i32, colour: Rgb) {
        let (pixmap_width, pixmap_height) = (pixmap.width() as i32, pixmap.height() as i32);
        let left = x + self.left;
        // The mask's columns that fall on the pixmap, the same for every row.
        let first = (-left).clamp(0, self.width as i32);
        let last = (pixmap_width - left).clamp(first, self.width as i32);
        if first == last {
            return;
        }
        let (first, last) = (first as usize, last as usize);
        let data = pixmap.data_mut();
        let source = [colour.0, colour.1, colour.2];
        for (row, coverage) in self.coverage.chunks_exact(self.width).enumerate() {
            let target_y = y + self.top + row as i32;
            if !(0..pixmap_height).contains(&target_y) {
                continue;
            }
            // Within the pixmap: `target_y` and the columns were clipped above.
            let start =
                (target_y as usize * pixmap_width as usize + (left + first as i32) as usize) * 4;
            let pixels = &mut data[start..start + (last - first) * 4];
            for (pixel, &alpha) in pixels.chunks_exact_mut(4).zip(&coverage[first..last]) {
                match alpha {
                    0 => {}
                    255 => pixel[..3].copy_from_slice(&source),
                    _ => {
                        let (alpha, rest) = (u32::from(alpha), 255 - u32::from(alpha));
                        for (channel, source) in pixel[..3].iter_mut().zip(source) {
                            *channel =
                                div255(u32::from(source) * alpha + u32::from(*channel) * rest);
                        }
                    }
                }
            }
        }
    }
}

/// `value / 255`, rounded, for `value` up to 255 × 255.
fn div255(value: u32) -> u8 {
    let value = value + 128;
    ((value + (value >> 8)) >> 8) as u8
}

/// Draws `outline`'s contours into `rasterizer`, each point moved by
/// `place`; every contour is closed, as a fill closes it.
fn trace(
    outline: &Path,
    place: impl Fn(resvg::tiny_skia::Point) -> ab_glyph_rasterizer::Point,
    rasterizer: &mut Rasterizer,
) {
    let (mut pen, mut start) = (point(0.0, 0.0), point(0.0, 0.0));
    for segment in outline.segments() {
        match segment {
            PathSegment::MoveTo(p) => {
                rasterizer.draw_line(pen, start);
                pen = place(p);
                start = pen;
            }
            PathSegment::LineTo(p) => {
                let p = place(p);
                rasterizer.draw_line(pen, p);
                pen = p;
            }
            PathSegment::QuadTo(p1, p) => {
                let (p1, p) = (place(p1), place(p));
                rasterizer.draw_quad(pen, p1, p);
                pen = p;
            }
            PathSegment::CubicTo(p1, p2, p) => {
                let (p1, p2, p) = (place(p1), place(p2), place(p));
                rasterizer.draw_cubic(pen, p1, p2, p);
                pen = p;
            }
            PathSegment::Close => {
                rasterizer.draw_line(pen, start);
                pen = start;
            }
        }
    }
    rasterizer.draw_line(pen, start);
}

#[cfg(test)]
mod tests {
    use super::*;
    use resvg::tiny_skia::{PathBuilder, Rect};

    #[test]
    fn a_position_is_split_into_a_pixel_and_quarters() {
        let at = |x, y| PixelPosition::of(x, y);
        assert_eq!(at(10.0, 20.0).offset, (0, 0));
        assert_eq!((at(10.3, 20.6).x, at(10.3, 20.6).y), (10, 20));
        assert_eq!(at(10.3, 20.6).offset, (1, 2));
        // Nearer the next pixel than its last quarter: the next pixel.
        assert_eq!((at(10.9, -0.1).x, at(10.9, -0.1).offset.0), (11, 0));
        assert_eq!((at(10.9, -0.1).y, at(10.9, -0.1).offset.1), (0, 0));
        assert_eq!((at(-0.3, 0.0).x, at(-0.3, 0.0).offset.0), (-1, 3));
    }

    /// A square of 2 × 2 units at 1 pixel per unit, half a pixel into its
    /// pixel: it covers the middle pixel wholly and halves on each side.
    #[test]
    fn a_mask_holds_the_area_each_pixel_is_covered() {
        let square = PathBuilder::from_rect(Rect::from_xywh(0.0, 0.0, 2.0, 2.0).expect("a rect"));
        let mask = GlyphMask::render(&square, 1.0, (2, 0));
        let mut pixmap = Pixmap::new(4, 4).expect("a pixmap");
        pixmap.fill(resvg::tiny_skia::Color::WHITE);
        // The square's bottom-left corner (y up) at the middle of (0, 3).
        mask.blend(&mut pixmap, 0, 3, Rgb(0, 0, 0));
        let grey = |x: usize, y: usize| pixmap.data()[(y * 4 + x) * 4];
        assert_eq!(
            [grey(0, 1), grey(1, 1), grey(2, 1), grey(3, 1)],
            [127, 0, 127, 255]
        );
        assert_eq!([grey(0, 2), grey(1, 2), grey(2, 2)], [127, 0, 127]);
        assert_eq!([grey(0, 0), grey(1, 0), grey(0, 3)], [255, 255, 255]);
    }

    /// A glyph partly off the picture is painted where it falls on it.
    #[test]
    fn a_glyph_past_the_edges_is_clipped() {
        let square = PathBuilder::from_rect(Rect::from_xywh(0.0, 0.0, 3.0, 3.0).expect("a rect"));
        let mask = GlyphMask::render(&square, 1.0, (0, 0));
        let mut pixmap = Pixmap::new(4, 4).expect("a pixmap");
        pixmap.fill(resvg::tiny_skia::Color::WHITE);
        // Columns -2 to 0 and rows -2 to 0: only (0, 0) is on the picture.
        mask.blend(&mut pixmap, -2, 1, Rgb(0, 0, 0));
        // Columns 3 to 5 and rows 2 to 4: (3, 2) and (3, 3).
        mask.blend(&mut pixmap, 3, 5, Rgb(0, 0, 0));
        // Wholly outside.
        mask.blend(&mut pixmap, 9, 9, Rgb(0, 0, 0));
        mask.blend(&mut pixmap, -9, -9, Rgb(0, 0, 0));
        let black: Vec<(usize, usize)> = (0..16)
            .filter(|i| pixmap.data()[i * 4] == 0)
            .map(|i| (i % 4, i / 4))
            .collect();
        assert_eq!(black, [(0, 0), (3, 2), (3, 3)]);
    }

    #[test]
    fn division_by_255_rounds() {
        for value in [0, 1, 127, 128, 254 * 255, 255 * 255] {
            assert_eq!(u32::from(div255(value)), (value + 127) / 255, "{value}");
        }
    }
}
