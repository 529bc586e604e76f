//! A thin drawing layer over the `svg` crate that also records where every
//! piece of text lands, so that tests can prove nothing leaves the canvas.
//!
//! The `svg` crate escapes `& < >` in text and attribute values but not `"`:
//! user text therefore only ever goes into text nodes, never into attributes.

use svg::Document;
use svg::node::element::{Circle, Description, Element, Group, Path, Rectangle, Text, Title};

use super::fonts::{Fonts, Weight};
use super::scene::{Drawing, Rgb, Scene, Shape};
use super::text::Lines;

/// Where a piece of text is drawn: its box, for layout checks.
#[derive(Debug, Clone, PartialEq)]
pub struct TextBox {
    pub text: String,
    pub left: f32,
    pub top: f32,
    pub width: f32,
    pub height: f32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    Start,
    Middle,
    End,
}

impl Anchor {
    /// Where a line `width` wide starts when anchored at `x`.
    pub fn start(self, x: f32, width: f32) -> f32 {
        match self {
            Anchor::Start => x,
            Anchor::Middle => x - width / 2.0,
            Anchor::End => x - width,
        }
    }

    fn svg(self) -> &'static str {
        match self {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        }
    }
}

/// How a line of text is set.
#[derive(Debug, Clone, Copy)]
pub struct TextStyle<'a> {
    pub size: f32,
    pub weight: Weight,
    pub fill: &'a str,
    pub anchor: Anchor,
}

impl<'a> TextStyle<'a> {
    pub fn new(size: f32, weight: Weight, fill: &'a str, anchor: Anchor) -> Self {
        TextStyle {
            size,
            weight,
            fill,
            anchor,
        }
    }
}

/// `text` without the characters XML forbids (control characters but tab
/// and line breaks): a YAML escape such as `"\x01"` in a team's name must
/// not make the published SVG unreadable.
fn xml_text(text: &str) -> std::borrow::Cow<'_, str> {
    let forbidden = |c: char| {
        (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{fffe}' | '\u{ffff}')
    };
    if text.contains(forbidden) {
        text.replace(forbidden, "").into()
    } else {
        text.into()
    }
}

/// Rounds coordinates so that the SVG stays small and byte-stable.
fn r(value: f32) -> f32 {
    (value * 10.0).round() / 10.0
}

pub struct Canvas<'f> {
    pub width: f32,
    pub height: f32,
    pub fonts: &'f Fonts,
    document: Document,
    pub boxes: Vec<TextBox>,
    /// The same shapes as the document, while they are all of the kinds a
    /// scene holds; `None` from the first that is not.
    scene: Option<Scene>,
}

impl<'f> Canvas<'f> {
    /// A canvas with a `<title>` and `<desc>` for screen readers.
    pub fn new(
        fonts: &'f Fonts,
        width: f32,
        height: f32,
        title: &str,
        description: &str,
        background: &str,
    ) -> Self {
        let (title, description) = (&*xml_text(title), &*xml_text(description));
        let document = Document::new()
            .set("viewBox", (0, 0, width, height))
            .set("width", width)
            .set("height", height)
            .set("role", "img")
            .set("aria-labelledby", "titre description")
            .set("font-family", "Inter, 'Helvetica Neue', Arial, sans-serif")
            .add(Title::new(title).set("id", "titre"))
            .add(
                Description::new()
                    .set("id", "description")
                    .add(svg::node::Text::new(description)),
            )
            .add(
                Rectangle::new()
                    .set("width", width)
                    .set("height", height)
                    .set("fill", background),
            );
        let scene = Rgb::parse(background).map(|fill| Scene {
            width,
            height,
            shapes: vec![Shape::Rect {
                x: 0.0,
                y: 0.0,
                width,
                height,
                radius: 0.0,
                fill,
            }],
        });
        Canvas {
            width,
            height,
            fonts,
            document,
            boxes: Vec::new(),
            scene,
        }
    }

    /// Adds any SVG node: the picture can no longer be drawn from its scene.
    pub fn add(&mut self, node: impl Into<Box<dyn svg::Node>>) {
        self.scene = None;
        self.append(node);
    }

    fn append(&mut self, node: impl Into<Box<dyn svg::Node>>) {
        svg::Node::append(&mut self.document, node);
    }

    /// Records `shape` in the scene, if the picture still has one and
    /// `colour` is one a scene can hold.
    fn record(&mut self, colour: &str, shape: impl FnOnce(Rgb) -> Shape) {
        match Rgb::parse(colour) {
            Some(rgb) => {
                if let Some(scene) = &mut self.scene {
                    scene.shapes.push(shape(rgb));
                }
            }
            None => self.scene = None,
        }
    }

    pub fn rect(&mut self, x: f32, y: f32, width: f32, height: f32, fill: &str, radius: f32) {
        let mut rect = Rectangle::new()
            .set("x", r(x))
            .set("y", r(y))
            .set("width", r(width))
            .set("height", r(height))
            .set("fill", fill);
        if radius > 0.0 {
            rect = rect.set("rx", r(radius));
        }
        self.append(rect);
        self.record(fill, |fill| Shape::Rect {
            x: r(x),
            y: r(y),
            width: r(width),
            height: r(height),
            radius: if radius > 0.0 { r(radius) } else { 0.0 },
            fill,
        });
    }

    pub fn circle(&mut self, cx: f32, cy: f32, radius: f32, fill: &str) {
        self.append(
            Circle::new()
                .set("cx", r(cx))
                .set("cy", r(cy))
                .set("r", r(radius))
                .set("fill", fill),
        );
        self.record(fill, |fill| Shape::Circle {
            cx: r(cx),
            cy: r(cy),
            radius: r(radius),
            fill,
        });
    }

    pub fn ring(&mut self, cx: f32, cy: f32, radius: f32, stroke: &str, width: f32) {
        self.append(
            Circle::new()
                .set("cx", r(cx))
                .set("cy", r(cy))
                .set("r", r(radius))
                .set("fill", "none")
                .set("stroke", stroke)
                .set("stroke-width", width),
        );
        self.record(stroke, |stroke| Shape::Ring {
            cx: r(cx),
            cy: r(cy),
            radius: r(radius),
            stroke,
            width,
        });
    }

    pub fn path(&mut self, d: &str, fill: &str, stroke: Option<(&str, f32)>) {
        let mut path = Path::new().set("d", d).set("fill", fill);
        if let Some((color, width)) = stroke {
            path = path
                .set("stroke", color)
                .set("stroke-width", width)
                .set("stroke-linecap", "round")
                .set("stroke-linejoin", "round");
        }
        self.add(path);
    }

    /// A group translated to `(x, y)` and scaled, for icons drawn on a 24-unit grid.
    pub fn icon(&mut self, x: f32, y: f32, scale: f32, paths: &[&str], color: &str) {
        let mut group = Group::new().set(
            "transform",
            format!("translate({} {}) scale({})", r(x), r(y), scale),
        );
        for d in paths {
            group = group.add(
                Path::new()
                    .set("d", *d)
                    .set("fill", "none")
                    .set("stroke", color)
                    .set("stroke-width", 2)
                    .set("stroke-linecap", "round")
                    .set("stroke-linejoin", "round"),
            );
        }
        self.append(group);
        let outlines: Option<Vec<_>> = paths.iter().map(|d| super::scene::path_of(d)).collect();
        match outlines {
            Some(paths) => self.record(color, |stroke| Shape::Icon {
                x: r(x),
                y: r(y),
                scale,
                paths,
                stroke,
            }),
            None => self.scene = None,
        }
    }

    /// One line of text with its baseline at `y`; its box is recorded.
    pub fn text(&mut self, x: f32, y: f32, content: &str, style: TextStyle) -> f32 {
        let content = &*xml_text(content);
        let TextStyle {
            size,
            weight,
            fill,
            anchor,
        } = style;
        let width = self.fonts.width(content, size, weight);
        let left = anchor.start(x, width);
        self.boxes.push(TextBox {
            text: content.to_string(),
            // From the top of an accented capital to the bottom of a descender.
            top: y - size * 0.93,
            left,
            width,
            height: size * 1.18,
        });
        self.record(fill, |fill| Shape::Text {
            x: r(x),
            y: r(y),
            text: content.to_string(),
            size: r(size),
            weight,
            fill,
            anchor,
        });
        let mut text = Text::new(content)
            .set("x", r(x))
            .set("y", r(y))
            .set("font-size", r(size))
            .set("font-weight", weight.css())
            .set("fill", fill);
        if anchor != Anchor::Start {
            text = text.set("text-anchor", anchor.svg());
        }
        self.append(text);
        width
    }

    /// Several lines from `top`; returns the height used.
    pub fn lines(
        &mut self,
        x: f32,
        top: f32,
        lines: &Lines,
        weight: Weight,
        fill: &str,
        anchor: Anchor,
    ) -> f32 {
        for (index, line) in lines.lines.iter().enumerate() {
            let baseline = top + lines.size * 0.97 + lines.line_height * index as f32;
            self.text(
                x,
                baseline,
                line,
                TextStyle::new(lines.size, weight, fill, anchor),
            );
        }
        lines.height()
    }

    /// The finished SVG document.
    pub fn finish(self) -> String {
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        out.push_str(&self.document.to_string());
        out.push('\n');
        out
    }

    /// The SVG and, when every shape could be recorded, the scene.
    pub fn finish_drawing(mut self) -> Drawing {
        let scene = self.scene.take();
        Drawing {
            svg: self.finish(),
            scene,
        }
    }

    /// The document with the recorded text boxes, for layout tests.
    pub fn finish_with_boxes(self) -> (String, Vec<TextBox>) {
        let boxes = self.boxes.clone();
        (self.finish(), boxes)
    }
}

/// A raw element, for the rare attribute the typed builders lack.
pub fn element(name: &str) -> Element {
    Element::new(name)
}
