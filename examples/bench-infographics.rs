//! Benchmark: milliseconds per team Scan'équipe (SVG + PNG + PDF) and per
//! social card on one core, painted from their scene as `build` does (and
//! their PNG through usvg, as before, for comparison), and the size of the
//! PNG, over every team of the example site.
//!
//!     cargo run --release --example bench-infographics [-- ROOT]
//!
//! Not a test: it measures and prints, it asserts nothing.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use msp_site::infographic::{Fonts, raster, scan, social};
use msp_site::model::{ModelOptions, SiteModel};

fn main() {
    let root = std::env::args()
        .nth(1)
        .map_or_else(|| PathBuf::from("."), PathBuf::from);
    let site = msp_site::Site::load(&root).unwrap_or_else(|errors| panic!("{errors}"));
    let options = ModelOptions {
        base_url: None,
        drafts: false,
        today: msp_site::data::Date::today(),
    };
    let model = SiteModel::build(&root, &site.data, &site.content, &options);
    let fonts = Fonts::load(&root, &root.join("themes/default")).expect("the theme's fonts");
    let footer = scan::Footer {
        federation: model.config.title.clone(),
        address: "www.example.org".to_string(),
        year: model.config.year,
    };
    let (mut svg_time, mut parse_time, mut png_time) =
        (Duration::ZERO, Duration::ZERO, Duration::ZERO);
    let (mut scene_png_time, mut scene_pdf_time) = (Duration::ZERO, Duration::ZERO);
    let mut png_sizes = Vec::new();
    let rounds = 3;
    for _ in 0..rounds {
        for team in &model.teams {
            let start = Instant::now();
            let drawing = scan::team_drawing(&fonts, team, &footer);
            svg_time += start.elapsed();
            let scene = drawing.scene.as_ref().expect("a Scan'équipe has a scene");
            let start = Instant::now();
            let png =
                raster::png_of_scene(scene, &fonts, 1.0, raster::PngSettings::FAST).expect("png");
            scene_png_time += start.elapsed();
            let start = Instant::now();
            let pdf = msp_site::infographic::pdf::pdf_of_scene(scene, &fonts, 150.0).expect("pdf");
            scene_pdf_time += start.elapsed();
            png_sizes.push(png.len());
            std::hint::black_box(pdf);
            let start = Instant::now();
            let tree = raster::parse(&drawing.svg, &fonts).expect("svg");
            parse_time += start.elapsed();
            let start = Instant::now();
            let png = raster::png_of_tree(&tree, 1.0, raster::PngSettings::FAST).expect("png");
            png_time += start.elapsed();
            std::hint::black_box(png);
        }
    }
    let count = (model.teams.len() * rounds) as f64;
    let ms = |d: Duration| d.as_secs_f64() * 1000.0 / count;
    png_sizes.sort_unstable();
    println!("teams: {} × {rounds} rounds, one thread", model.teams.len());
    println!(
        "per team Scan'équipe PNG through usvg, for comparison: SVG {:.1} ms + parse {:.1} ms + PNG {:.1} ms = {:.1} ms",
        ms(svg_time),
        ms(parse_time),
        ms(png_time),
        ms(svg_time + parse_time + png_time)
    );
    println!(
        "per team Scan'équipe painted from its scene (as built): SVG and scene {:.1} ms + PNG {:.1} ms + PDF {:.1} ms = {:.1} ms",
        ms(svg_time),
        ms(scene_png_time),
        ms(scene_pdf_time),
        ms(svg_time + scene_png_time + scene_pdf_time)
    );
    println!(
        "PNG size: median {} kB, largest {} kB",
        png_sizes[png_sizes.len() / 2] / 1000,
        png_sizes.last().copied().unwrap_or(0) / 1000
    );
    social_cards(&fonts, &model, rounds);
}

/// A social card per team (the most common picture of a large site: one per
/// team, tool and news item).
fn social_cards(fonts: &Fonts, model: &SiteModel, rounds: usize) {
    let (mut svg_time, mut parse_time, mut png_time, mut scene_time) = (
        Duration::ZERO,
        Duration::ZERO,
        Duration::ZERO,
        Duration::ZERO,
    );
    let mut png_sizes = Vec::new();
    for _ in 0..rounds {
        for team in &model.teams {
            let card = social::Card {
                kicker: "ÉQUIPE".to_string(),
                title: team.name.clone(),
                subtitle: team.city.clone(),
                figures: vec![("12 345".to_string(), "patients".to_string())],
                federation: model.config.title.clone(),
            };
            let start = Instant::now();
            let drawing = social::social_drawing(fonts, &card);
            svg_time += start.elapsed();
            let start = Instant::now();
            let tree = raster::parse(&drawing.svg, fonts).expect("svg");
            parse_time += start.elapsed();
            let start = Instant::now();
            let png =
                raster::png_of_tree(&tree, 1.0, raster::PngSettings::FAST_PALETTE).expect("png");
            png_time += start.elapsed();
            let start = Instant::now();
            let scene = drawing.scene.as_ref().expect("a social card has a scene");
            let painted =
                raster::png_of_scene(scene, fonts, 1.0, raster::PngSettings::FAST_PALETTE)
                    .expect("png");
            scene_time += start.elapsed();
            png_sizes.push(painted.len());
            std::hint::black_box(png);
        }
    }
    let count = (model.teams.len() * rounds) as f64;
    let ms = |d: Duration| d.as_secs_f64() * 1000.0 / count;
    println!(
        "per social card through usvg: SVG {:.1} ms + parse {:.1} ms + PNG {:.1} ms = {:.1} ms",
        ms(svg_time),
        ms(parse_time),
        ms(png_time),
        ms(svg_time + parse_time + png_time)
    );
    println!(
        "per social card painted from its scene (as built): SVG and scene {:.1} ms + PNG {:.1} ms = {:.1} ms",
        ms(svg_time),
        ms(scene_time),
        ms(svg_time + scene_time)
    );
    png_sizes.sort_unstable();
    println!(
        "social card PNG size: median {} kB",
        png_sizes[png_sizes.len() / 2] / 1000
    );
}
