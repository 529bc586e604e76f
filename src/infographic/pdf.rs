//! A one-page vector PDF painted from a scene, as `paint` paints its PNG:
//! the same shapes, and text kept as text (selectable, searchable) in the
//! theme's faces, embedded as subsets. It replaced usvg and svg2pdf, which
//! parsed the SVG again and laid its text out once more for every
//! Scan'équipe, and wrote objects in an order that changed from run to run.

use std::collections::BTreeMap;

use pdf_writer::types::{CidFontType, FontFlags, LineCapStyle, LineJoinStyle, SystemInfo};
use pdf_writer::{Content, Filter, Name, Pdf, Rect, Ref, Str};
use resvg::tiny_skia::{Path, PathSegment, Point};

use super::fonts::{Fonts, Weight};
use super::glyphs::{GlyphFace, ShapedLine};
use super::raster::RasterError;
use super::scene::{Rgb, Scene, Shape};

const SYSTEM_INFO: SystemInfo = SystemInfo {
    registry: Str(b"Adobe"),
    ordering: Str(b"Identity"),
    supplement: 0,
};

/// A line of text, shaped, and where and how it is set.
struct TextRun {
    line: std::sync::Arc<ShapedLine>,
    x: f32,
    y: f32,
    size: f32,
    weight: Weight,
    fill: Rgb,
}

/// The glyphs a face shows in the document, with the text of each.
type GlyphTexts = BTreeMap<u16, String>;

/// The PDF of `scene`, its page the scene's size at `dpi`.
pub fn pdf_of_scene(scene: &Scene, fonts: &Fonts, dpi: f32) -> Result<Vec<u8>, RasterError> {
    let runs = shape_texts(scene, fonts)?;
    let used = glyphs_used(&runs);
    let remappers: BTreeMap<Weight, subsetter::GlyphRemapper> = used
        .iter()
        .map(|(weight, glyphs)| {
            let ids: Vec<u16> = glyphs.keys().copied().collect();
            (
                *weight,
                subsetter::GlyphRemapper::new_from_glyphs_sorted(&ids),
            )
        })
        .collect();
    let points_per_pixel = 72.0 / dpi;
    let (page_width, page_height) = (
        scene.width * points_per_pixel,
        scene.height * points_per_pixel,
    );
    let content = page_content(scene, &runs, &remappers, fonts, points_per_pixel)?;

    let mut pdf = Pdf::new();
    let mut next = Ref::new(1);
    let mut alloc = || next.bump();
    let (catalog, pages, page, contents, info) = (alloc(), alloc(), alloc(), alloc(), alloc());
    pdf.catalog(catalog).pages(pages);
    pdf.document_info(info)
        .producer(pdf_writer::TextStr("msp-site"));
    pdf.pages(pages).kids([page]).count(1);
    let font_refs: Vec<(Weight, Ref)> = used.keys().map(|weight| (*weight, alloc())).collect();
    {
        let mut page_writer = pdf.page(page);
        page_writer
            .parent(pages)
            .media_box(Rect::new(0.0, 0.0, page_width, page_height))
            .contents(contents);
        let mut resources = page_writer.resources();
        let mut font_dict = resources.fonts();
        for (weight, reference) in &font_refs {
            font_dict.pair(font_name(*weight).as_name(), *reference);
        }
    }
    pdf.stream(contents, &deflate(&content.finish())?)
        .filter(Filter::FlateDecode);
    for (weight, type0) in font_refs {
        let face = fonts.glyphs(weight).ok_or_else(|| missing_face(weight))?;
        let (glyphs, remapper) = used
            .get(&weight)
            .zip(remappers.get(&weight))
            .ok_or(RasterError::NoFace(weight.css()))?;
        write_font(&mut pdf, &mut alloc, type0, face, glyphs, remapper)?;
    }
    Ok(pdf.finish())
}

/// The glyphs each face shows, with their text, in a stable order.
fn glyphs_used(runs: &BTreeMap<usize, TextRun>) -> BTreeMap<Weight, GlyphTexts> {
    let mut used: BTreeMap<Weight, GlyphTexts> = BTreeMap::new();
    for run in runs.values() {
        let glyphs = used.entry(run.weight).or_default();
        for glyph in &run.line.glyphs {
            let text = glyphs.entry(glyph.glyph).or_default();
            if text.is_empty() {
                text.push_str(&glyph.text);
            }
        }
    }
    used
}

/// The page's drawing operators, shape by shape.
fn page_content(
    scene: &Scene,
    runs: &BTreeMap<usize, TextRun>,
    remappers: &BTreeMap<Weight, subsetter::GlyphRemapper>,
    fonts: &Fonts,
    points_per_pixel: f32,
) -> Result<Content, RasterError> {
    let mut content = Content::new();
    // The scene's pixels, y down, onto the page's points, y up.
    content.transform([
        points_per_pixel,
        0.0,
        0.0,
        -points_per_pixel,
        0.0,
        scene.height * points_per_pixel,
    ]);
    for (index, shape) in scene.shapes.iter().enumerate() {
        match runs.get(&index) {
            Some(run) => write_text(&mut content, run, remappers, fonts)?,
            None => write_shape(&mut content, shape),
        }
    }
    Ok(content)
}

/// Each text of the scene shaped, by its index among the shapes.
fn shape_texts(scene: &Scene, fonts: &Fonts) -> Result<BTreeMap<usize, TextRun>, RasterError> {
    let mut runs = BTreeMap::new();
    for (index, shape) in scene.shapes.iter().enumerate() {
        if let Shape::Text {
            x,
            y,
            text,
            size,
            weight,
            fill,
            anchor,
        } = shape
        {
            let face = fonts.glyphs(*weight).ok_or_else(|| missing_face(*weight))?;
            let line = face.shape(&super::scene::collapse_spaces(text));
            let start = line.start(*x, *size, face.units_per_em(), *anchor);
            runs.insert(
                index,
                TextRun {
                    line,
                    x: start,
                    y: *y,
                    size: *size,
                    weight: *weight,
                    fill: *fill,
                },
            );
        }
    }
    Ok(runs)
}

fn missing_face(weight: Weight) -> RasterError {
    RasterError::NoFace(weight.css())
}

/// The resource name of a face: `/F400`…
struct FontName(String);

impl FontName {
    fn as_name(&self) -> Name<'_> {
        Name(self.0.as_bytes())
    }
}

fn font_name(weight: Weight) -> FontName {
    FontName(format!("F{}", weight.css()))
}

fn set_fill(content: &mut Content, colour: Rgb) {
    let [r, g, b] = colour.unit();
    content.set_fill_rgb(r, g, b);
}

fn set_stroke(content: &mut Content, colour: Rgb) {
    let [r, g, b] = colour.unit();
    content.set_stroke_rgb(r, g, b);
}

fn write_shape(content: &mut Content, shape: &Shape) {
    match shape {
        // An empty rectangle draws nothing, in SVG as here.
        Shape::Rect { fill, .. } | Shape::Circle { fill, .. } => {
            if let Some(path) = shape.outline() {
                set_fill(content, *fill);
                trace(content, &path);
                content.fill_nonzero();
            }
        }
        Shape::Ring { stroke, width, .. } => {
            if let Some(path) = shape.outline() {
                set_stroke(content, *stroke);
                content.set_line_width(*width);
                trace(content, &path);
                content.stroke();
            }
        }
        Shape::Icon {
            x,
            y,
            scale,
            paths,
            stroke,
        } => {
            content.save_state();
            content.transform([*scale, 0.0, 0.0, *scale, *x, *y]);
            set_stroke(content, *stroke);
            content.set_line_width(super::scene::ICON_STROKE.width);
            content.set_line_cap(LineCapStyle::RoundCap);
            content.set_line_join(LineJoinStyle::RoundJoin);
            for path in paths {
                trace(content, path);
                content.stroke();
            }
            content.restore_state();
        }
        // Set by `write_text`.
        Shape::Text { .. } => {}
    }
}

/// The outline of `path` as PDF path operators; quadratic curves become
/// the cubic curves they are.
fn trace(content: &mut Content, path: &Path) {
    let mut last = Point::zero();
    let mut start = Point::zero();
    for segment in path.segments() {
        match segment {
            PathSegment::MoveTo(p) => {
                content.move_to(p.x, p.y);
                (last, start) = (p, p);
            }
            PathSegment::LineTo(p) => {
                content.line_to(p.x, p.y);
                last = p;
            }
            PathSegment::QuadTo(q, p) => {
                let two_thirds = |from: Point| {
                    Point::from_xy(
                        from.x + (q.x - from.x) * 2.0 / 3.0,
                        from.y + (q.y - from.y) * 2.0 / 3.0,
                    )
                };
                let (c1, c2) = (two_thirds(last), two_thirds(p));
                content.cubic_to(c1.x, c1.y, c2.x, c2.y, p.x, p.y);
                last = p;
            }
            PathSegment::CubicTo(c1, c2, p) => {
                content.cubic_to(c1.x, c1.y, c2.x, c2.y, p.x, p.y);
                last = p;
            }
            PathSegment::Close => {
                content.close_path();
                last = start;
            }
        }
    }
}

/// A line of text: its glyphs by their number in the embedded subset, each
/// moved from where the font's own advance would put it to where shaping
/// (kerning) puts it.
fn write_text(
    content: &mut Content,
    run: &TextRun,
    remappers: &BTreeMap<Weight, subsetter::GlyphRemapper>,
    fonts: &Fonts,
) -> Result<(), RasterError> {
    let face = fonts
        .glyphs(run.weight)
        .ok_or_else(|| missing_face(run.weight))?;
    let remapper = remappers
        .get(&run.weight)
        .ok_or_else(|| missing_face(run.weight))?;
    set_fill(content, run.fill);
    content.begin_text();
    content.set_font(font_name(run.weight).as_name(), run.size);
    if run.line.glyphs.iter().any(|glyph| glyph.y != 0.0) {
        show_glyph_by_glyph(content, run, remapper, face);
    } else {
        show_line(content, run, remapper, face);
    }
    content.end_text();
    Ok(())
}

/// A line whose glyphs all sit on the baseline: one `TJ`, the pen moved
/// only where shaping moved a glyph from the font's own advance.
fn show_line(
    content: &mut Content,
    run: &TextRun,
    remapper: &subsetter::GlyphRemapper,
    face: &GlyphFace,
) {
    let to_thousandths = 1000.0 / face.units_per_em();
    // Text space y up, in the page's flipped space: upright glyphs.
    content.set_text_matrix([1.0, 0.0, 0.0, -1.0, run.x, run.y]);
    let mut show = content.show_positioned();
    let mut items = show.items();
    // Where the PDF's pen is, in font units from the line's start.
    let mut pen = 0.0;
    // Glyphs shown one after the other, without moving the pen between.
    let mut string: Vec<u8> = Vec::new();
    for glyph in &run.line.glyphs {
        let shift = glyph.x - pen;
        if shift.abs() > 0.001 {
            if !string.is_empty() {
                items.show(Str(&string));
                string.clear();
            }
            items.adjust(-shift * to_thousandths);
        }
        let cid = remapper.get(glyph.glyph).unwrap_or(0);
        string.extend(cid.to_be_bytes());
        pen = glyph.x + face.advance(glyph.glyph);
    }
    if !string.is_empty() {
        items.show(Str(&string));
    }
}

/// A line with marks shaped above or below their letter: each glyph set
/// where it goes.
fn show_glyph_by_glyph(
    content: &mut Content,
    run: &TextRun,
    remapper: &subsetter::GlyphRemapper,
    face: &GlyphFace,
) {
    let scale = run.size / face.units_per_em();
    for glyph in &run.line.glyphs {
        let (x, y) = (run.x + glyph.x * scale, run.y - glyph.y * scale);
        content.set_text_matrix([1.0, 0.0, 0.0, -1.0, x, y]);
        let cid = remapper.get(glyph.glyph).unwrap_or(0);
        content.show(Str(&cid.to_be_bytes()));
    }
}

/// The Type 0 font of one face: its subset, widths and text mapping.
fn write_font(
    pdf: &mut Pdf,
    alloc: &mut impl FnMut() -> Ref,
    type0: Ref,
    face: &GlyphFace,
    glyphs: &GlyphTexts,
    remapper: &subsetter::GlyphRemapper,
) -> Result<(), RasterError> {
    let metrics = face.tables();
    let (cid_font, descriptor, cmap, program) = (alloc(), alloc(), alloc(), alloc());
    let postscript = metrics
        .names()
        .into_iter()
        .filter(|name| name.name_id == ttf_parser::name_id::POST_SCRIPT_NAME)
        .find_map(|name| name.to_string())
        .unwrap_or_else(|| "Inter".to_string());
    let base_font = format!("{}+{postscript}", subset_tag(glyphs));
    let type0_name = format!("{base_font}-Identity-H");

    pdf.type0_font(type0)
        .base_font(Name(type0_name.as_bytes()))
        .encoding_predefined(Name(b"Identity-H"))
        .descendant_font(cid_font)
        .to_unicode(cmap);

    let units_per_em = face.units_per_em();
    let thousandths = |units: f32| units / units_per_em * 1000.0;
    {
        let mut cid = pdf.cid_font(cid_font);
        cid.subtype(CidFontType::Type0)
            .base_font(Name(base_font.as_bytes()))
            .system_info(SYSTEM_INFO)
            .font_descriptor(descriptor)
            .default_width(0.0);
        let widths: Vec<f32> = remapper
            .remapped_gids()
            .map(|old| thousandths(face.advance(old)))
            .collect();
        cid.widths().consecutive(0, widths);
    }

    let bbox = metrics.global_bounding_box();
    let ascent = thousandths(f32::from(metrics.ascender()));
    let descent = thousandths(f32::from(metrics.descender()));
    let cap_height = metrics
        .capital_height()
        .filter(|&h| h > 0)
        .map_or(ascent, |h| thousandths(f32::from(h)));
    pdf.font_descriptor(descriptor)
        .name(Name(base_font.as_bytes()))
        .flags(FontFlags::SYMBOLIC)
        .bbox(Rect::new(
            thousandths(f32::from(bbox.x_min)),
            thousandths(f32::from(bbox.y_min)),
            thousandths(f32::from(bbox.x_max)),
            thousandths(f32::from(bbox.y_max)),
        ))
        .italic_angle(0.0)
        .ascent(ascent)
        .descent(descent)
        .cap_height(cap_height)
        .stem_v(10.0 + 0.244 * (f32::from(metrics.weight().to_number()) - 50.0))
        .font_file3(program);

    let mut unicode = pdf_writer::types::UnicodeCmap::new(Name(b"Custom"), SYSTEM_INFO);
    for (glyph, text) in glyphs {
        if let Some(cid) = remapper.get(*glyph)
            && !text.is_empty()
        {
            unicode.pair_with_multiple(cid, text.chars());
        }
    }
    pdf.cmap(cmap, &deflate(&unicode.finish())?)
        .writing_mode(pdf_writer::writers::WMode::Horizontal)
        .filter(Filter::FlateDecode);

    let subset = subsetter::subset(face.data(), 0, remapper)
        .map_err(|e| RasterError::Subset(e.to_string()))?;
    let cff = ttf_parser::RawFace::parse(&subset, 0)
        .ok()
        .and_then(|raw| raw.table(ttf_parser::Tag::from_bytes(b"CFF ")))
        .ok_or_else(|| RasterError::Subset("the subset has no CFF table".to_string()))?;
    pdf.stream(program, &deflate(cff)?)
        .filter(Filter::FlateDecode)
        .pair(Name(b"Subtype"), Name(b"CIDFontType0C"));
    Ok(())
}

/// Six capitals naming a subset, from the glyphs it holds: the same glyphs
/// give the same name, so the file is the same from run to run.
fn subset_tag(glyphs: &GlyphTexts) -> String {
    let mut hasher = blake3::Hasher::new();
    for glyph in glyphs.keys() {
        hasher.update(&glyph.to_le_bytes());
    }
    hasher
        .finalize()
        .as_bytes()
        .iter()
        .take(6)
        .map(|byte| char::from(b'A' + byte % 26))
        .collect()
}

fn deflate(data: &[u8]) -> Result<Vec<u8>, RasterError> {
    super::zlib::compress(data, 6).map_err(RasterError::Compress)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::infographic::canvas::Anchor;

    fn fonts() -> Fonts {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        Fonts::load(root, &root.join("themes/default")).expect("the theme's fonts")
    }

    /// Kerning pulls the V of "AV" towards the A: the PDF shows the A, then
    /// moves the pen back (a positive number, in thousandths of an em) by
    /// the kerning, then shows the V.
    #[test]
    fn kerning_moves_the_pen_back_by_thousandths_of_an_em() {
        let fonts = fonts();
        let scene = Scene {
            width: 200.0,
            height: 100.0,
            shapes: vec![Shape::Text {
                x: 10.0,
                y: 50.0,
                text: "AV".to_string(),
                size: 40.0,
                weight: Weight::Regular,
                fill: Rgb(0, 0, 0),
                anchor: Anchor::Start,
            }],
        };
        let face = fonts.glyphs(Weight::Regular).expect("regular");
        let line = face.shape("AV");
        let (a, v) = (&line.glyphs[0], &line.glyphs[1]);
        let kerning = v.x - face.advance(a.glyph);
        assert!(kerning < 0.0, "Inter kerns AV");
        let runs = shape_texts(&scene, &fonts).expect("shaped");
        let remappers = BTreeMap::from([(
            Weight::Regular,
            subsetter::GlyphRemapper::new_from_glyphs_sorted(&[a.glyph, v.glyph]),
        )]);
        let content = page_content(&scene, &runs, &remappers, &fonts, 1.0).expect("content");
        let text = String::from_utf8(content.finish()).expect("ASCII");
        let adjustment = -kerning * 1000.0 / face.units_per_em();
        let (cid_a, cid_v) = (
            remappers[&Weight::Regular].get(a.glyph).expect("A"),
            remappers[&Weight::Regular].get(v.glyph).expect("V"),
        );
        let expected = format!("[(\\000\\00{cid_a}) {adjustment} (\\000\\00{cid_v})] TJ");
        assert!(text.contains(&expected), "{expected} in {text}");
    }
}
