//! Text set for pictures drawn straight from their scene: shaped by
//! rustybuzz with the same features as usvg, so that a line lands where the
//! SVG would put it, then painted from glyph masks (`glyph_masks`). Each
//! face's shaper and each glyph's mask are made once per build instead of
//! once per text.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};

use resvg::tiny_skia::{Path, PathBuilder, Pixmap};
use rustybuzz::ttf_parser::{self, GlyphId};

use super::canvas::Anchor;
use super::glyph_masks::{GlyphMask, PixelPosition};
use super::scene::Rgb;

type MaskKey = (u16, u32, (u8, u8));

/// How many shaped lines a face keeps (about 1.5 kB each).
const SHAPED_LINES_KEPT: usize = 8192;

type Face<'a> = rustybuzz::Face<'a>;

self_cell::self_cell!(
    /// A face's bytes with the shaper that reads them.
    struct OwnedFace {
        owner: Arc<Vec<u8>>,
        #[covariant]
        dependent: Face,
    }
);

/// One face of the theme, ready to set text.
pub struct GlyphFace {
    face: OwnedFace,
    units_per_em: f32,
    /// Shape plans by script: making one costs more than shaping a line.
    plans: Mutex<Vec<(rustybuzz::Script, Arc<rustybuzz::ShapePlan>)>>,
    /// Glyph masks by glyph, size (its bits) and position within a pixel
    /// (`None`: a glyph with no outline, a space).
    masks: RwLock<HashMap<MaskKey, Option<Arc<GlyphMask>>>>,
    /// Lines already shaped, by their text.
    shaped: RwLock<HashMap<String, Arc<ShapedLine>>>,
}

impl std::fmt::Debug for GlyphFace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GlyphFace")
            .field("units_per_em", &self.units_per_em)
            .finish_non_exhaustive()
    }
}

/// A glyph placed on a line, in font units from the line's start.
#[derive(Debug, Clone, PartialEq)]
pub struct Placed {
    pub glyph: u16,
    pub x: f32,
    pub y: f32,
    /// The text it shows: a character, several for a ligature, none for
    /// the second glyph of a character drawn with two.
    pub text: String,
}

/// A line of text set in one face, in font units.
#[derive(Debug, Clone, PartialEq)]
pub struct ShapedLine {
    pub glyphs: Vec<Placed>,
    pub advance: f32,
}

impl ShapedLine {
    /// Where the line starts for its `anchor` at `x`, `size` pixels high.
    pub fn start(&self, x: f32, size: f32, units_per_em: f32, anchor: Anchor) -> f32 {
        anchor.start(x, self.advance * size / units_per_em)
    }
}

impl GlyphFace {
    /// `None` when rustybuzz cannot read the font.
    pub fn new(data: Arc<Vec<u8>>) -> Option<GlyphFace> {
        let face = OwnedFace::try_new(data, |data| Face::from_slice(data, 0).ok_or(())).ok()?;
        // The font's own, not rustybuzz's scaled copy of it.
        let units_per_em = f32::from(ttf_parser::Face::units_per_em(face.borrow_dependent()));
        Some(GlyphFace {
            face,
            units_per_em,
            plans: Mutex::new(Vec::new()),
            masks: RwLock::new(HashMap::new()),
            shaped: RwLock::new(HashMap::new()),
        })
    }

    pub fn units_per_em(&self) -> f32 {
        self.units_per_em
    }

    /// The face's tables, for its metrics and names.
    pub fn tables(&self) -> &ttf_parser::Face<'_> {
        self.face.borrow_dependent()
    }

    /// How far the font itself moves the pen after `glyph`, in font units.
    pub fn advance(&self, glyph: u16) -> f32 {
        self.tables()
            .glyph_hor_advance(GlyphId(glyph))
            .map_or(0.0, f32::from)
    }

    /// The bytes of the font file.
    pub fn data(&self) -> &[u8] {
        self.face.borrow_owner()
    }

    /// Paints one line of `text` in `colour`, `size` pixels high, whose
    /// baseline starts (or, by `anchor`, is centred or ends) at `(x, y)`.
    pub fn paint(
        &self,
        text: &str,
        size: f32,
        (x, y): (f32, f32),
        anchor: Anchor,
        colour: Rgb,
        pixmap: &mut Pixmap,
    ) {
        let line = self.shape(text);
        let scale = size / self.units_per_em;
        let start = line.start(x, size, self.units_per_em, anchor);
        for glyph in &line.glyphs {
            let at = PixelPosition::of(start + glyph.x * scale, y - glyph.y * scale);
            if let Some(mask) = self.mask(glyph.glyph, size, at.offset) {
                mask.blend(pixmap, at.x, at.y, colour);
            }
        }
    }

    /// The mask of `glyph`, `size` pixels high, its origin `offset`
    /// quarters of a pixel into its pixel; `None` for a glyph without an
    /// outline (a space).
    fn mask(&self, glyph: u16, size: f32, offset: (u8, u8)) -> Option<Arc<GlyphMask>> {
        let key = (glyph, size.to_bits(), offset);
        if let Some(mask) = self
            .masks
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(&key)
        {
            return mask.clone();
        }
        let mask = self.outline(glyph).map(|outline| {
            Arc::new(GlyphMask::render(
                &outline,
                size / self.units_per_em,
                offset,
            ))
        });
        let mut masks = self.masks.write().unwrap_or_else(|e| e.into_inner());
        masks.insert(key, mask.clone());
        mask
    }

    /// The glyphs of `text` on one line, as usvg shapes them. A line is
    /// shaped once for a picture's PNG and PDF, and the labels every
    /// Scan'équipe shares once for all of them.
    pub fn shape(&self, text: &str) -> Arc<ShapedLine> {
        let known = self.shaped.read().unwrap_or_else(|e| e.into_inner());
        if let Some(line) = known.get(text) {
            return line.clone();
        }
        drop(known);
        let line = Arc::new(self.shape_anew(text));
        let mut shaped = self.shaped.write().unwrap_or_else(|e| e.into_inner());
        // Bounded: a national site has tens of thousands of different lines
        // (names, cities), most drawn in a single picture.
        if shaped.len() >= SHAPED_LINES_KEPT {
            shaped.clear();
        }
        shaped.insert(text.to_string(), line.clone());
        line
    }

    fn shape_anew(&self, text: &str) -> ShapedLine {
        let face = self.face.borrow_dependent();
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.set_direction(rustybuzz::Direction::LeftToRight);
        buffer.guess_segment_properties();
        let plan = self.plan(buffer.script());
        let output = rustybuzz::shape_with_plan(face, &plan, buffer);
        let infos = output.glyph_infos();
        let mut pen = 0.0;
        let glyphs = infos
            .iter()
            .zip(output.glyph_positions())
            .enumerate()
            .map(|(index, (info, position))| {
                let start = info.cluster as usize;
                let first_of_cluster = index == 0 || infos[index - 1].cluster != info.cluster;
                let end = infos[index..]
                    .iter()
                    .map(|next| next.cluster as usize)
                    .find(|&next| next != start)
                    .unwrap_or(text.len());
                let glyph = Placed {
                    // rustybuzz's glyph ids come from a 16-bit table.
                    glyph: u16::try_from(info.glyph_id).unwrap_or(0),
                    x: pen + position.x_offset as f32,
                    y: position.y_offset as f32,
                    text: if first_of_cluster {
                        text.get(start..end).unwrap_or_default().to_string()
                    } else {
                        String::new()
                    },
                };
                pen += position.x_advance as f32;
                glyph
            })
            .collect();
        ShapedLine {
            glyphs,
            advance: pen,
        }
    }

    fn plan(&self, script: rustybuzz::Script) -> Arc<rustybuzz::ShapePlan> {
        let mut plans = self.plans.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, plan)) = plans.iter().find(|(s, _)| *s == script) {
            return plan.clone();
        }
        let plan = Arc::new(rustybuzz::ShapePlan::new(
            self.face.borrow_dependent(),
            rustybuzz::Direction::LeftToRight,
            Some(script),
            None,
            &[],
        ));
        plans.push((script, plan.clone()));
        plan
    }

    fn outline(&self, glyph: u16) -> Option<Path> {
        let mut outline = Outline(PathBuilder::new());
        self.face
            .borrow_dependent()
            .outline_glyph(GlyphId(glyph), &mut outline)?;
        outline.0.finish()
    }
}

/// Collects a glyph's outline.
struct Outline(PathBuilder);

impl ttf_parser::OutlineBuilder for Outline {
    fn move_to(&mut self, x: f32, y: f32) {
        self.0.move_to(x, y);
    }

    fn line_to(&mut self, x: f32, y: f32) {
        self.0.line_to(x, y);
    }

    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        self.0.quad_to(x1, y1, x, y);
    }

    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        self.0.cubic_to(x1, y1, x2, y2, x, y);
    }

    fn close(&mut self) {
        self.0.close();
    }
}
