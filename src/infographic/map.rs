//! The map of the teams: department outlines, one dot per team linking to its
//! page, and the number of teams of each department. Inline in the teams
//! page, so that its links work; a plain list beside it serves keyboards and
//! screen readers as well.

use rayon::prelude::*;
use svg::Document;
use svg::node::Blob;
use svg::node::element::{Circle, Description, Group, Path, Text, Title};

use super::canvas::Canvas;
use super::style;
use crate::data::geo::Outline;

/// A team to place on the map.
pub struct Dot<'a> {
    pub name: &'a str,
    pub url: &'a str,
    pub latitude: f64,
    pub longitude: f64,
}

/// Number of teams of one department, shown at its centre.
pub struct Count<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub teams: i64,
}

const WIDTH: f64 = 640.0;

/// Equirectangular projection corrected for the latitude of the region,
/// fitted into the map's width: good enough at the scale of a region or a country.
struct Projection {
    west: f64,
    north: f64,
    scale: f64,
    cos_latitude: f64,
    height: f64,
}

impl Projection {
    /// Fitted to the map's width, as tall as the outlines need.
    fn fit(outlines: &[Outline]) -> Option<Projection> {
        Projection::fit_box(outlines, WIDTH, f64::MAX)
    }

    /// Fitted into `width` × at most `max_height`, centred across the width.
    fn fit_box(outlines: &[Outline], width: f64, max_height: f64) -> Option<Projection> {
        let points = outlines.iter().flat_map(|o| o.rings.iter().flatten());
        let (mut west, mut east, mut south, mut north) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
        for [lon, lat] in points {
            west = west.min(*lon);
            east = east.max(*lon);
            south = south.min(*lat);
            north = north.max(*lat);
        }
        if west >= east || south >= north {
            return None;
        }
        let cos_latitude = ((south + north) / 2.0).to_radians().cos();
        let margin = 12.0;
        let scale = ((width - 2.0 * margin) / ((east - west) * cos_latitude))
            .min((max_height - 2.0 * margin) / (north - south));
        let side = (width - 2.0 * margin - (east - west) * cos_latitude * scale) / 2.0;
        Some(Projection {
            west: west - (margin + side) / (scale * cos_latitude),
            north: north + margin / scale,
            scale,
            cos_latitude,
            height: (north - south) * scale + 2.0 * margin,
        })
    }

    fn point(&self, lon: f64, lat: f64) -> (f64, f64) {
        (
            (lon - self.west) * self.cos_latitude * self.scale,
            (self.north - lat) * self.scale,
        )
    }
}

/// The SVG path of rings, dropping points closer than a pixel to the last
/// one kept: the outlines weigh a few kilobytes instead of hundreds.
fn ring_path(projection: &Projection, rings: &[Vec<[f64; 2]>]) -> String {
    let mut d = String::new();
    for ring in rings {
        let mut last: Option<(f64, f64)> = None;
        let mut kept = 0;
        for [lon, lat] in ring {
            let (x, y) = projection.point(*lon, *lat);
            if let Some((lx, ly)) = last
                && (x - lx).hypot(y - ly) < 1.2
            {
                continue;
            }
            d.push_str(if kept == 0 { "M" } else { "L" });
            d.push_str(&format!("{:.1} {:.1}", x, y));
            last = Some((x, y));
            kept += 1;
        }
        d.push('Z');
    }
    d
}

/// The centre of a department's largest ring (by area), for its label.
fn label_point(projection: &Projection, outline: &Outline) -> Option<(f64, f64)> {
    let ring = outline
        .rings
        .iter()
        .max_by(|a, b| ring_area(a).total_cmp(&ring_area(b)))?;
    let (mut cx, mut cy, mut area) = (0.0, 0.0, 0.0);
    let points: Vec<(f64, f64)> = ring
        .iter()
        .map(|[lon, lat]| projection.point(*lon, *lat))
        .collect();
    for pair in points.windows(2) {
        let ((x0, y0), (x1, y1)) = (pair[0], pair[1]);
        let cross = x0 * y1 - x1 * y0;
        area += cross;
        cx += (x0 + x1) * cross;
        cy += (y0 + y1) * cross;
    }
    (area.abs() > f64::EPSILON).then(|| (cx / (3.0 * area), cy / (3.0 * area)))
}

fn ring_area(ring: &[[f64; 2]]) -> f64 {
    ring.windows(2)
        .map(|p| p[0][0] * p[1][1] - p[1][0] * p[0][1])
        .sum::<f64>()
        .abs()
}

/// Beyond this many departments (a national site), their names and counts
/// would cover the map: it shows the dots only, and the list beside it the counts.
pub const MAX_LABELLED_DEPARTMENTS: usize = 12;

/// The radius of the teams' dots: smaller as they get denser, so that a
/// country's thousands of teams do not merge into one blot.
fn dot_radius(dots: usize) -> f32 {
    match dots {
        0..=300 => 5.0,
        301..=1500 => 3.5,
        _ => 2.5,
    }
}

/// A team's dot, a link to its page, written as the `svg` crate writes an
/// element (attributes in order, `&`, `<` and `>` escaped, children on
/// lines of their own): made as elements, a national site's 4 000 dots
/// took 20 ms of each rebuild, an attribute map each.
fn dot_link(projection: &Projection, dot: &Dot, radius: f32) -> String {
    let (x, y) = projection.point(dot.longitude, dot.latitude);
    format!(
        "<a href=\"{href}\">\n<title>{name}</title>\n<circle cx=\"{x:.1}\" cy=\"{y:.1}\" \
         fill=\"{fill}\" r=\"{radius}\" stroke=\"{stroke}\" stroke-width=\"{width}\"/>\n</a>",
        href = escape(dot.url),
        name = escape(dot.name),
        fill = style::ORANGE,
        stroke = style::DEEP,
        width = radius / 4.0,
    )
}

/// Text or an attribute's value escaped as the `svg` crate escapes them.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The map as inline SVG, or `None` without outlines.
pub fn teams_map(
    outlines: &[Outline],
    dots: &[Dot],
    counts: &[Count],
    title: &str,
    source: &str,
) -> Option<String> {
    let projection = Projection::fit(outlines)?;
    let height = projection.height.ceil();
    let mut document = Document::new()
        .set("viewBox", (0, 0, WIDTH, height))
        .set("width", WIDTH)
        .set("height", height)
        .set("class", "teams-map")
        .set("role", "group")
        .set("aria-labelledby", "carte-titre carte-description")
        .set("font-family", "Inter, 'Helvetica Neue', Arial, sans-serif")
        .add(Title::new(title).set("id", "carte-titre"))
        .add(
            Description::new()
                .set("id", "carte-description")
                .add(svg::node::Text::new(source)),
        );
    let mut departments = Group::new()
        .set("fill", style::MIST)
        .set("stroke", style::CANARD)
        .set("stroke-width", 1.2);
    for outline in outlines {
        departments = departments.add(Path::new().set("d", ring_path(&projection, &outline.rings)));
    }
    document = document.add(departments);
    let mut points = Group::new();
    if !dots.is_empty() {
        let radius = dot_radius(dots.len());
        let links: Vec<String> = dots
            .par_iter()
            .map(|dot| dot_link(&projection, dot, radius))
            .collect();
        points = points.add(Blob::new(links.join("\n")));
    }
    // Counts above the dots, so that a dot never hides a figure; they let
    // clicks through, so that every dot stays a link (and every team is
    // also listed below the map).
    let mut labels = Group::new()
        .set("aria-hidden", "true")
        .set("pointer-events", "none");
    let labelled = if counts.len() <= MAX_LABELLED_DEPARTMENTS {
        counts
    } else {
        &[]
    };
    for count in labelled {
        let Some(outline) = outlines.iter().find(|o| o.code == count.code) else {
            continue;
        };
        let Some((x, y)) = label_point(&projection, outline) else {
            continue;
        };
        labels = labels
            .add(
                Circle::new()
                    .set("cx", format!("{x:.1}"))
                    .set("cy", format!("{y:.1}"))
                    .set("r", 19)
                    .set("fill", style::DEEP),
            )
            .add(
                Text::new(count.teams.to_string())
                    .set("x", format!("{x:.1}"))
                    .set("y", format!("{:.1}", y + 6.0))
                    .set("text-anchor", "middle")
                    .set("font-size", 17)
                    .set("font-weight", 700)
                    .set("fill", style::WHITE),
            )
            .add(
                Text::new(count.name)
                    .set("x", format!("{x:.1}"))
                    .set("y", format!("{:.1}", y + 36.0))
                    .set("text-anchor", "middle")
                    .set("font-size", 14)
                    .set("font-weight", 600)
                    .set("fill", style::DEEP)
                    .set("stroke", style::WHITE)
                    .set("stroke-width", 3)
                    .set("paint-order", "stroke"),
            );
    }
    document = document.add(points).add(labels);
    Some(document.to_string())
}

/// A department drawn into the box at (`x`, `y`) of `width` × at most
/// `max_height` on an infographic, with a dot at each of `points`
/// ([latitude, longitude]); returns the height used, or `None` without an outline.
pub fn department_on_canvas(
    canvas: &mut Canvas,
    outline: &Outline,
    points: &[[f64; 2]],
    (x, y): (f32, f32),
    width: f32,
    max_height: f32,
) -> Option<f32> {
    let outlines = std::slice::from_ref(outline);
    let projection = Projection::fit_box(outlines, f64::from(width), f64::from(max_height))?;
    let mut group = Group::new()
        .set("transform", format!("translate({x:.1} {y:.1})"))
        .add(
            Path::new()
                .set("d", ring_path(&projection, &outline.rings))
                .set("fill", style::MIST)
                .set("stroke", style::CANARD)
                .set("stroke-width", 2)
                .set("stroke-linejoin", "round"),
        );
    for [latitude, longitude] in points {
        let (cx, cy) = projection.point(*longitude, *latitude);
        group = group.add(
            Circle::new()
                .set("cx", format!("{cx:.1}"))
                .set("cy", format!("{cy:.1}"))
                .set("r", 9)
                .set("fill", style::ORANGE)
                .set("stroke", style::DEEP)
                .set("stroke-width", 2),
        );
    }
    canvas.add(group);
    Some(projection.height as f32)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `n` square departments side by side, each with one team.
    fn departments(n: usize) -> (Vec<Outline>, Vec<String>, Vec<String>) {
        let outlines = (0..n)
            .map(|i| {
                let x = i as f64 * 0.5;
                Outline {
                    code: format!("{i:02}"),
                    name: format!("Département {i}"),
                    rings: vec![vec![[x, 45.0], [x + 0.5, 45.0], [x + 0.5, 45.5], [x, 45.5]]],
                }
            })
            .collect();
        let codes = (0..n).map(|i| format!("{i:02}")).collect();
        let names = (0..n).map(|i| format!("Département {i}")).collect();
        (outlines, codes, names)
    }

    fn map_of(n: usize, teams: usize) -> String {
        let (outlines, codes, names) = departments(n);
        let counts: Vec<Count> = codes
            .iter()
            .zip(&names)
            .map(|(code, name)| Count {
                code,
                name,
                teams: 1,
            })
            .collect();
        let dots: Vec<Dot> = (0..teams)
            .map(|i| Dot {
                name: "MSP",
                url: "/equipes/msp/",
                latitude: 45.25,
                longitude: (i % n) as f64 * 0.5 + 0.25,
            })
            .collect();
        teams_map(&outlines, &dots, &counts, "Carte", "Source").expect("a map")
    }

    #[test]
    fn a_region_shows_each_department_with_its_count() {
        let map = map_of(5, 40);
        assert_eq!(map.matches("<text").count(), 10, "a count and a name each");
        assert!(map.contains("Département 4"));
        assert!(map.contains(r#"r="5""#));
    }

    #[test]
    fn a_country_shows_dots_only_and_smaller_as_they_get_denser() {
        let map = map_of(96, 4000);
        assert_eq!(
            map.matches("<text").count(),
            0,
            "no label would be readable"
        );
        assert_eq!(map.matches("<a ").count(), 4000, "every team is a link");
        assert!(map.contains(r#"r="2.5""#));
    }

    /// A dot is written as the `svg` crate writes the same elements, its
    /// name and address escaped alike.
    #[test]
    fn a_dot_is_written_as_the_svg_crate_writes_its_elements() {
        use svg::node::element::{Anchor, Circle, Group, Title};
        let (outlines, _, _) = departments(2);
        let projection = Projection::fit(&outlines).expect("a projection");
        let dots = [
            Dot {
                name: "MSP <Les Près & Bois> \"l'Orée\"",
                url: "/equipes/a&b/?x=<1>",
                latitude: 45.25,
                longitude: 0.25,
            },
            Dot {
                name: "Maison de santé",
                url: "/equipes/msp/",
                latitude: 45.1,
                longitude: 0.8,
            },
        ];
        for radius in [5.0, 3.5, 2.5] {
            let mut group = Group::new();
            for dot in &dots {
                let (x, y) = projection.point(dot.longitude, dot.latitude);
                group = group.add(
                    Anchor::new()
                        .set("href", dot.url)
                        .add(Title::new(dot.name))
                        .add(
                            Circle::new()
                                .set("cx", format!("{x:.1}"))
                                .set("cy", format!("{y:.1}"))
                                .set("r", radius)
                                .set("fill", style::ORANGE)
                                .set("stroke", style::DEEP)
                                .set("stroke-width", radius / 4.0),
                        ),
                );
            }
            let links: Vec<String> = dots
                .iter()
                .map(|dot| dot_link(&projection, dot, radius))
                .collect();
            let written = Group::new().add(Blob::new(links.join("\n")));
            assert_eq!(written.to_string(), group.to_string());
        }
    }
}
