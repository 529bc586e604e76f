//! What a picture draws, shape by shape, recorded by the canvas beside its
//! SVG: a picture made only of rectangles, circles, rings, icons and lines of
//! text (the Scan'équipes, social cards) is painted from its scene straight
//! onto the pixmap, and its PDF written from it (`pdf`), without usvg parsing
//! the SVG again and laying its text out glyph by glyph. A picture drawn with
//! anything else (a group card's department outline) has no scene: its PNG
//! goes through resvg, and it cannot be published as PDF.

use resvg::tiny_skia::{self, FillRule, Paint, Path, PathBuilder, Pixmap, Rect, Stroke, Transform};

use super::canvas::Anchor;
use super::fonts::{Fonts, Weight};

/// An opaque colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// `#rrggbb`, the only form the infographics' styles use.
    pub fn parse(css: &str) -> Option<Rgb> {
        let hex = css.strip_prefix('#').filter(|h| h.len() == 6)?;
        let channel = |at: usize| u8::from_str_radix(hex.get(at..at + 2)?, 16).ok();
        Some(Rgb(channel(0)?, channel(2)?, channel(4)?))
    }

    /// Each channel from 0 to 1.
    pub fn unit(self) -> [f32; 3] {
        [self.0, self.1, self.2].map(|channel| f32::from(channel) / 255.0)
    }

    fn paint(self) -> Paint<'static> {
        let mut paint = Paint::default();
        paint.set_color_rgba8(self.0, self.1, self.2, 255);
        paint.anti_alias = true;
        paint
    }
}

/// One shape, with the coordinates its SVG element has.
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    Rect {
        x: f32,
        y: f32,
        width: f32,
        height: f32,
        radius: f32,
        fill: Rgb,
    },
    Circle {
        cx: f32,
        cy: f32,
        radius: f32,
        fill: Rgb,
    },
    Ring {
        cx: f32,
        cy: f32,
        radius: f32,
        stroke: Rgb,
        width: f32,
    },
    /// Outlines drawn on a 24-unit grid, moved to `(x, y)` and scaled: stroked
    /// 2 units wide with round ends and joins.
    Icon {
        x: f32,
        y: f32,
        scale: f32,
        paths: Vec<Path>,
        stroke: Rgb,
    },
    Text {
        x: f32,
        y: f32,
        text: String,
        size: f32,
        weight: Weight,
        fill: Rgb,
        anchor: Anchor,
    },
}

impl Shape {
    /// The outline of a rectangle, circle or ring, in the scene's pixels,
    /// for the PNG and the PDF alike; `None` for an empty one, and for icons
    /// and text, which have their own.
    pub fn outline(&self) -> Option<Path> {
        match self {
            Shape::Rect {
                x,
                y,
                width,
                height,
                radius,
                ..
            } => path_of_rect(*x, *y, *width, *height, *radius),
            Shape::Circle { cx, cy, radius, .. } | Shape::Ring { cx, cy, radius, .. } => {
                PathBuilder::from_circle(*cx, *cy, *radius)
            }
            Shape::Icon { .. } | Shape::Text { .. } => None,
        }
    }
}

/// A picture's shapes, in the order they are drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct Scene {
    pub width: f32,
    pub height: f32,
    pub shapes: Vec<Shape>,
}

impl Scene {
    /// Paints the scene onto `pixmap`, scaled by `scale`.
    pub fn paint(&self, fonts: &Fonts, scale: f32, pixmap: &mut Pixmap) {
        let transform = Transform::from_scale(scale, scale);
        let mut shapes = self.shapes.as_slice();
        // The background covers the whole picture: filled at once, as a
        // colour, not through the painting pipeline.
        match shapes.first() {
            Some(&Shape::Rect {
                x: 0.0,
                y: 0.0,
                width,
                height,
                radius: 0.0,
                fill: Rgb(r, g, b),
            }) if width == self.width && height == self.height => {
                pixmap.fill(tiny_skia::Color::from_rgba8(r, g, b, 255));
                shapes = &shapes[1..];
            }
            _ => pixmap.fill(tiny_skia::Color::WHITE),
        }
        for shape in shapes {
            paint_shape(shape, fonts, transform, pixmap);
        }
    }
}

fn paint_shape(shape: &Shape, fonts: &Fonts, transform: Transform, pixmap: &mut Pixmap) {
    match shape {
        Shape::Rect { fill, .. } | Shape::Circle { fill, .. } => {
            if let Some(path) = shape.outline() {
                fill_path(pixmap, &path, *fill, transform);
            }
        }
        Shape::Ring { stroke, width, .. } => {
            if let Some(path) = shape.outline() {
                let line = Stroke {
                    width: *width,
                    ..Stroke::default()
                };
                pixmap.stroke_path(&path, &stroke.paint(), &line, transform, None);
            }
        }
        Shape::Icon {
            x,
            y,
            scale,
            paths,
            stroke,
        } => {
            let moved = transform.pre_translate(*x, *y).pre_scale(*scale, *scale);
            for path in paths {
                pixmap.stroke_path(path, &stroke.paint(), &ICON_STROKE, moved, None);
            }
        }
        Shape::Text {
            x,
            y,
            text,
            size,
            weight,
            fill,
            anchor,
        } => {
            if let Some(face) = fonts.glyphs(*weight) {
                let scale = transform.sx;
                let at = (x * scale, y * scale);
                face.paint(
                    &collapse_spaces(text),
                    size * scale,
                    at,
                    *anchor,
                    *fill,
                    pixmap,
                );
            }
        }
    }
}

/// How icons are stroked, in their grid's units.
pub const ICON_STROKE: Stroke = Stroke {
    width: 2.0,
    miter_limit: 4.0,
    line_cap: tiny_skia::LineCap::Round,
    line_join: tiny_skia::LineJoin::Round,
    dash: None,
};

/// The outline an SVG path's `d` describes, as usvg reads it (arcs become
/// curves); `None` if it cannot be read.
pub fn path_of(d: &str) -> Option<Path> {
    let mut path = PathBuilder::new();
    for segment in svgtypes::SimplifyingPathParser::from(d) {
        match segment.ok()? {
            svgtypes::SimplePathSegment::MoveTo { x, y } => path.move_to(x as f32, y as f32),
            svgtypes::SimplePathSegment::LineTo { x, y } => path.line_to(x as f32, y as f32),
            svgtypes::SimplePathSegment::Quadratic { x1, y1, x, y } => {
                path.quad_to(x1 as f32, y1 as f32, x as f32, y as f32)
            }
            svgtypes::SimplePathSegment::CurveTo {
                x1,
                y1,
                x2,
                y2,
                x,
                y,
            } => path.cubic_to(
                x1 as f32, y1 as f32, x2 as f32, y2 as f32, x as f32, y as f32,
            ),
            svgtypes::SimplePathSegment::ClosePath => path.close(),
        }
    }
    path.finish()
}

fn fill_path(pixmap: &mut Pixmap, path: &Path, colour: Rgb, transform: Transform) {
    pixmap.fill_path(path, &colour.paint(), FillRule::Winding, transform, None);
}

/// A rectangle, with corners rounded by `radius` as SVG rounds them for
/// `rx` alone: `ry` is the same, then each is at most half of its side, so
/// a bar narrower than its radius gets elliptical corners. The corners are
/// arcs, turned into curves as usvg turns them.
fn path_of_rect(x: f32, y: f32, width: f32, height: f32, radius: f32) -> Option<Path> {
    let rect = Rect::from_xywh(x, y, width, height)?;
    let (rx, ry) = (radius.min(width / 2.0), radius.min(height / 2.0));
    if rx <= 0.0 {
        return Some(PathBuilder::from_rect(rect));
    }
    let (right, bottom) = (x + width, y + height);
    let corner = |x: f32, y: f32| format!("A{rx} {ry} 0 0 1 {x} {y}");
    let d = [
        format!("M{} {y}", x + rx),
        format!("L{} {y}", right - rx),
        corner(right, y + ry),
        format!("L{right} {}", bottom - ry),
        corner(right - rx, bottom),
        format!("L{} {bottom}", x + rx),
        corner(x, bottom - ry),
        format!("L{x} {}", y + ry),
        corner(x + rx, y),
        "Z".to_string(),
    ]
    .concat();
    path_of(&d)
}

/// The text as SVG shows it by default: tabs and line breaks are spaces,
/// runs of spaces one space, none at either end.
pub(crate) fn collapse_spaces(text: &str) -> String {
    text.split([' ', '\t', '\n', '\r'])
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A picture as drawn: its SVG and, for a picture made only of the shapes
/// above, its scene.
#[derive(Debug, Clone)]
pub struct Drawing {
    pub svg: String,
    pub scene: Option<Scene>,
}

impl From<String> for Drawing {
    /// A picture known by its SVG only.
    fn from(svg: String) -> Drawing {
        Drawing { svg, scene: None }
    }
}

/// A pixmap of the scene's size at `scale`, rounded as resvg rounds it.
pub fn pixmap_size(scene: &Scene, scale: f32) -> (u32, u32) {
    let size = |length: f32| (length.round() * scale).round().max(1.0) as u32;
    (size(scene.width), size(scene.height))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_are_read_from_six_hex_digits_only() {
        assert_eq!(Rgb::parse("#f28c28"), Some(Rgb(0xf2, 0x8c, 0x28)));
        assert_eq!(Rgb::parse("#fff"), None);
        assert_eq!(Rgb::parse("none"), None);
        assert_eq!(Rgb::parse("#gg0000"), None);
    }

    #[test]
    fn spaces_are_collapsed_as_svg_collapses_them() {
        assert_eq!(collapse_spaces("  a \t b\n c  "), "a b c");
        // A no-break space is a character, not a space.
        assert_eq!(collapse_spaces("12\u{a0}345"), "12\u{a0}345");
    }
}
