//! Infographics built as SVG from the data, rasterised to PNG and converted
//! to PDF with the theme's own fonts: the team Scan'équipe, the regional one.

pub mod cache;
pub mod canvas;
pub mod fonts;
pub mod glyph_masks;
pub mod glyphs;
pub mod group_card;
pub mod map;
pub mod parts;
pub mod pdf;
pub mod png_file;
pub mod raster;
pub mod region;
pub mod scan;
pub mod scene;
pub mod social;
pub mod style;
pub mod text;
pub mod zlib;

pub use fonts::Fonts;
