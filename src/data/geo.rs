//! `data/geo/departements.geojson`: department outlines for the map of the
//! teams (optional: without it, the map is left out).

use std::path::Path;

use serde::Deserialize;

use crate::diagnostics::{Diagnostic, display_path};

/// Outlines are exported, not written by hand: the communes of a whole
/// region weigh a few megabytes, so they may weigh more than other files.
const MAX_OUTLINE_BYTES: u64 = 64_000_000;

/// One department's outline, as rings of `[longitude, latitude]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Outline {
    pub code: String,
    pub name: String,
    pub rings: Vec<Vec<[f64; 2]>>,
}

#[derive(Deserialize)]
struct Collection {
    features: Vec<Feature>,
}

#[derive(Deserialize)]
struct Feature {
    properties: Properties,
    geometry: Geometry,
}

#[derive(Deserialize)]
struct Properties {
    code: String,
    #[serde(default)]
    nom: String,
}

#[derive(Deserialize)]
#[serde(tag = "type", content = "coordinates")]
enum Geometry {
    Polygon(Vec<Vec<[f64; 2]>>),
    MultiPolygon(Vec<Vec<Vec<[f64; 2]>>>),
}

/// Reads the outlines, if the file exists.
pub fn load_outlines(root: &Path) -> Result<Vec<Outline>, Diagnostic> {
    let path = root.join("data/geo/departements.geojson");
    if !path.is_file() {
        return Ok(Vec::new());
    }
    let shown = display_path(root, &path);
    let text = super::load::read_text_up_to(root, &path, MAX_OUTLINE_BYTES)?;
    let collection: Collection = serde_json::from_str(&text).map_err(|error| {
        Diagnostic::new(
            shown.clone(),
            error.line() as u64,
            error.column() as u64,
            format!("not a GeoJSON collection of department outlines: {error}"),
        )
    })?;
    let mut outlines: Vec<Outline> = collection
        .features
        .into_iter()
        .map(|feature| Outline {
            code: feature.properties.code,
            name: feature.properties.nom,
            rings: match feature.geometry {
                // Holes are left out: a map of departments has none worth drawing.
                Geometry::Polygon(rings) => rings.into_iter().take(1).collect(),
                Geometry::MultiPolygon(polygons) => polygons
                    .into_iter()
                    .filter_map(|p| p.into_iter().next())
                    .collect(),
            },
        })
        .collect();
    outlines.sort_by(|a, b| a.code.cmp(&b.code));
    Ok(outlines)
}
