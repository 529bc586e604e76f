//! The theme's fonts, loaded from memory: infographics never use a font of
//! the machine they are rendered on, so every machine renders the same pixels.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use resvg::usvg::fontdb;

use super::glyphs::GlyphFace;

use crate::diagnostics::{Diagnostic, display_path};

/// The family every infographic is set in.
pub const FAMILY: &str = "Inter";

/// Font weights used by the infographics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Weight {
    Regular = 400,
    SemiBold = 600,
    Bold = 700,
    ExtraBold = 800,
}

impl Weight {
    pub fn css(self) -> u16 {
        self as u16
    }
}

/// Advance widths of one face, for measuring text before it is drawn.
#[derive(Debug, Clone)]
struct FaceMetrics {
    units_per_em: f32,
    advances: HashMap<char, f32>,
    /// Advance of a character the face lacks (it would show as a box).
    missing: f32,
}

/// The fonts of the theme: a font database for resvg, metrics for
/// measuring text, and each face to set text as outlines or in a PDF.
#[derive(Debug, Clone)]
pub struct Fonts {
    pub database: Arc<fontdb::Database>,
    /// A hash of every font file, part of the key of cached pictures.
    pub hash: String,
    metrics: HashMap<Weight, FaceMetrics>,
    /// Each weight's face, to set text without usvg (`scene`).
    glyphs: Arc<HashMap<Weight, GlyphFace>>,
}

fn face_metrics(data: &[u8]) -> Option<FaceMetrics> {
    let face = ttf_parser::Face::parse(data, 0).ok()?;
    let mut advances = HashMap::new();
    let ranges = [
        0x20u32..0x250,
        0x2000..0x2070,
        0x20AC..0x20AD,
        0x2212..0x2213,
    ];
    for code in ranges.into_iter().flatten() {
        if let Some(c) = char::from_u32(code)
            && let Some(glyph) = face.glyph_index(c)
            && let Some(advance) = face.glyph_hor_advance(glyph)
        {
            advances.insert(c, f32::from(advance));
        }
    }
    let missing = face
        .glyph_hor_advance(ttf_parser::GlyphId(0))
        .map_or(f32::from(face.units_per_em()) * 0.6, f32::from);
    Some(FaceMetrics {
        units_per_em: f32::from(face.units_per_em()),
        advances,
        missing,
    })
}

fn weight_of(data: &[u8]) -> Option<Weight> {
    let face = ttf_parser::Face::parse(data, 0).ok()?;
    match face.weight().to_number() {
        400 => Some(Weight::Regular),
        600 => Some(Weight::SemiBold),
        700 => Some(Weight::Bold),
        800 => Some(Weight::ExtraBold),
        _ => None,
    }
}

impl Fonts {
    /// Loads every `.otf` and `.ttf` of `theme/fonts/`; the four weights of
    /// Inter must be there.
    pub fn load(root: &Path, theme: &Path) -> Result<Fonts, Diagnostic> {
        let dir = theme.join("fonts");
        let shown = display_path(root, &dir);
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .map_err(|e| {
                Diagnostic::whole_file(shown.clone(), format!("cannot read the theme's fonts: {e}"))
            })?
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .filter(|path| {
                path.extension()
                    .is_some_and(|ext| ext == "otf" || ext == "ttf")
            })
            .collect();
        files.sort();
        let mut database = fontdb::Database::new();
        let mut metrics = HashMap::new();
        let mut glyphs = HashMap::new();
        let mut hasher = blake3::Hasher::new();
        for path in files {
            let data = std::fs::read(&path).map_err(|e| {
                Diagnostic::whole_file(
                    display_path(root, &path),
                    format!("cannot read the font: {e}"),
                )
            })?;
            hasher.update(&data);
            let data = Arc::new(data);
            if let (Some(weight), Some(face), Some(glyph_face)) = (
                weight_of(&data),
                face_metrics(&data),
                GlyphFace::new(data.clone()),
            ) {
                metrics.insert(weight, face);
                glyphs.insert(weight, glyph_face);
            }
            database.load_font_source(fontdb::Source::Binary(data));
        }
        for weight in [
            Weight::Regular,
            Weight::SemiBold,
            Weight::Bold,
            Weight::ExtraBold,
        ] {
            if !metrics.contains_key(&weight) {
                return Err(Diagnostic::whole_file(
                    shown,
                    format!(
                        "the infographics need Inter at weight {} in this folder",
                        weight.css()
                    ),
                ));
            }
        }
        database.set_sans_serif_family(FAMILY);
        Ok(Fonts {
            database: Arc::new(database),
            hash: hasher.finalize().to_hex().to_string(),
            metrics,
            glyphs: Arc::new(glyphs),
        })
    }

    /// Width of `text` set at `size` pixels in `weight`, without kerning
    /// (which only narrows text, so the measure errs on the safe side).
    pub fn width(&self, text: &str, size: f32, weight: Weight) -> f32 {
        let Some(face) = self.metrics.get(&weight) else {
            return text.chars().count() as f32 * size * 0.6;
        };
        let units: f32 = text
            .chars()
            .map(|c| face.advances.get(&c).copied().unwrap_or(face.missing))
            .sum();
        units * size / face.units_per_em
    }

    /// The face of `weight`, to set text as outlines.
    pub fn glyphs(&self, weight: Weight) -> Option<&GlyphFace> {
        self.glyphs.get(&weight)
    }

    /// Whether every character of `text` has a glyph (else it would show as a box).
    pub fn covers(&self, text: &str, weight: Weight) -> bool {
        self.metrics.get(&weight).is_some_and(|face| {
            text.chars()
                .all(|c| c.is_whitespace() || face.advances.contains_key(&c))
        })
    }
}
