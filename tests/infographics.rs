//! Infographics: text stays inside the canvas whatever the names, the fonts
//! really draw, and the files are written for every team.

mod common;

use std::collections::HashMap;

use msp_site::infographic::canvas::TextBox;
use msp_site::infographic::{Fonts, group_card, raster, region, scan, social};
use msp_site::model::views::TeamView;
use msp_site::model::{ModelOptions, SiteModel};

fn model_of_fixture() -> (tempfile::TempDir, SiteModel, Fonts) {
    let site = common::fixture("minimal");
    let loaded = msp_site::Site::load(site.path()).expect("the fixture loads");
    let options = ModelOptions {
        base_url: None,
        drafts: false,
        today: msp_site::data::Date::parse("2026-11-23").expect("date"),
    };
    let model = SiteModel::build(site.path(), &loaded.data, &loaded.content, &options);
    let fonts = Fonts::load(site.path(), &site.path().join("themes/default")).expect("fonts");
    (site, model, fonts)
}

fn footer() -> scan::Footer {
    scan::Footer {
        federation: "Fédération test".to_string(),
        address: "msp.example.org".to_string(),
        year: 2023,
    }
}

fn team<'a>(model: &'a SiteModel, id: &str) -> &'a TeamView {
    model
        .teams
        .iter()
        .find(|t| t.id == id)
        .expect("team in the fixture")
}

fn assert_inside_and_apart(boxes: &[TextBox], width: f32, height: f32) {
    for b in boxes {
        assert!(
            b.left >= 0.0
                && b.top >= 0.0
                && b.left + b.width <= width
                && b.top + b.height <= height,
            "text outside the canvas: {b:?}"
        );
    }
    for (i, a) in boxes.iter().enumerate() {
        for b in &boxes[i + 1..] {
            let apart = a.left + a.width <= b.left
                || b.left + b.width <= a.left
                || a.top + a.height <= b.top + 0.5
                || b.top + b.height <= a.top + 0.5;
            assert!(apart, "texts overlap:\n  {a:?}\n  {b:?}");
        }
    }
}

#[test]
fn longest_names_and_lists_stay_inside_the_canvas() {
    let (_site, model, fonts) = model_of_fixture();
    let mut extreme = team(&model, "msp-alpha").clone();
    extreme.name = "Pôle de Santé pluridisciplinaire de Saint-Germain-sur-Moine, Montfaucon-Montigné et des communes associées du bocage vendéen et choletais".to_string();
    extreme.city = "Saint-Hilaire-de-Loulay-et-Saint-Georges-de-Montaigu".to_string();
    extreme.department.name = "Loire-Atlantique".to_string();
    extreme.prevention = vec![
        "Octobre rose".into(),
        "Mois sans tabac".into(),
        "Vaccination antigrippale des plus de 65 ans".into(),
        "Dépistage du cancer colorectal".into(),
        "Prévention des chutes chez la personne âgée".into(),
    ];
    extreme.protocols = (1..=9)
        .map(|i| format!("Protocole pluriprofessionnel numéro {i}"))
        .collect();
    extreme.patients = 123_456_789;
    let professions = [
        "Infirmiers en pratique avancée",
        "Masseurs-kinésithérapeutes",
        "Chirurgiens-dentistes",
        "Pédicures-podologues",
        "Médecins spécialistes",
        "Psychomotriciens",
    ];
    for (index, label) in professions.iter().enumerate() {
        let mut extra = extreme.composition[0].clone();
        extra.id = format!("p{index}");
        extra.label = label.to_string();
        extra.count = 250 + index as i64;
        extreme.composition.push(extra);
    }
    for _ in 0..7 {
        let copy = extreme.composition[1].clone();
        extreme.composition.push(copy);
    }
    let (svg, boxes) = scan::team_scan(&fonts, &extreme, &footer());
    assert!(boxes.len() > 40, "{} text boxes", boxes.len());
    assert_inside_and_apart(&boxes, scan::WIDTH, scan::HEIGHT);
    assert!(svg.contains("role=\"img\""));
    assert!(svg.contains("<title id=\"titre\">"));
    assert!(svg.contains("<desc id=\"description\">"));
}

#[test]
fn every_fixture_team_fits() {
    let (_site, model, fonts) = model_of_fixture();
    for team in &model.teams {
        let (_, boxes) = scan::team_scan(&fonts, team, &footer());
        assert_inside_and_apart(&boxes, scan::WIDTH, scan::HEIGHT);
    }
}

#[test]
fn the_theme_font_has_every_glyph_used() {
    let (_site, model, fonts) = model_of_fixture();
    use msp_site::infographic::fonts::Weight;
    for team in &model.teams {
        let (_, boxes) = scan::team_scan(&fonts, team, &footer());
        for b in boxes {
            assert!(
                fonts.covers(&b.text, Weight::Regular),
                "missing glyph in {:?}",
                b.text
            );
        }
    }
    assert!(fonts.covers("719\u{202F}920 «\u{202F}ÉŒœ’…\u{202F}»", Weight::Bold));
}

/// Decodes a PNG to RGB rows.
fn decode(png: &[u8]) -> (u32, u32, Vec<u8>) {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(png));
    decoder.set_transformations(png::Transformations::EXPAND);
    let mut reader = decoder.read_info().expect("a PNG");
    let mut pixels = vec![0; reader.output_buffer_size().expect("size")];
    let info = reader.next_frame(&mut pixels).expect("a frame");
    assert_eq!(
        info.color_type,
        png::ColorType::Rgb,
        "opaque, without alpha"
    );
    (info.width, info.height, pixels)
}

/// How a PNG stores its pixels: `Rgb` or `Indexed` (a palette).
fn stored_colour_type(png: &[u8]) -> png::ColorType {
    let decoder = png::Decoder::new(std::io::Cursor::new(png));
    decoder.read_info().expect("a PNG").info().color_type
}

/// Every element the SVG draws is a shape of the scene: a rectangle, a
/// circle, a line of text, an icon's group.
fn assert_scene_holds_every_element(drawing: &msp_site::infographic::scene::Drawing) {
    let scene = drawing.scene.as_ref().expect("a scene");
    let elements: usize = ["<rect", "<circle", "<text", "<g"]
        .iter()
        .map(|tag| drawing.svg.matches(tag).count())
        .sum();
    assert_eq!(scene.shapes.len(), elements);
}

/// The PNG painted from the scene of `drawing` is the one resvg draws from
/// its SVG. Its shapes are compared pixel by pixel, without the text: fewer
/// than 5 pixels in 10 000 may differ by more than 8 levels (the edges of
/// icons' strokes). With its text, it is compared seen from a little
/// further away: text is anti-aliased from glyph masks, not as resvg fills
/// outlines, so single pixels of a glyph's edge differ.
fn assert_painted_as_resvg_draws(
    drawing: &msp_site::infographic::scene::Drawing,
    fonts: &Fonts,
    name: &str,
) {
    let scene = drawing.scene.as_ref().expect("a scene");
    let painted =
        raster::png_of_scene(scene, fonts, 1.0, raster::PngSettings::FAST).expect("paints");
    let largest = block_difference(&decode(&painted), &rendered_by_resvg(drawing, fonts));
    eprintln!("{name}: squares differ by {largest:.1} at most");
    assert!(
        largest < BLOCK_TOLERANCE,
        "{name}: a square differs by {largest:.1}"
    );

    let shapes = without_text(drawing);
    let painted = raster::png_of_scene(
        shapes.scene.as_ref().expect("a scene"),
        fonts,
        1.0,
        raster::PngSettings::FAST,
    );
    let (share, most) = difference(
        &decode(&painted.expect("paints")),
        &rendered_by_resvg(&shapes, fonts),
        8,
    );
    eprintln!("{name} without text: {share:.5} of pixels differ by more than 8, at most {most}");
    assert!(
        share < 0.0005,
        "{share} of the pixels of {name}'s shapes differ"
    );
}

/// `drawing` without its lines of text, in its scene and its SVG.
fn without_text(
    drawing: &msp_site::infographic::scene::Drawing,
) -> msp_site::infographic::scene::Drawing {
    use msp_site::infographic::scene::Shape;
    let mut scene = drawing.scene.clone().expect("a scene");
    scene
        .shapes
        .retain(|shape| !matches!(shape, Shape::Text { .. }));
    let mut svg = drawing.svg.clone();
    while let Some(start) = svg.find("<text") {
        let end = svg[start..].find("</text>").expect("a closed text element") + start;
        svg.replace_range(start..end + "</text>".len(), "");
    }
    assert_eq!(svg.matches("<text").count(), 0);
    msp_site::infographic::scene::Drawing {
        svg,
        scene: Some(scene),
    }
}

/// How far apart two pictures of one size are: the share of pixels whose
/// colour differs by more than `tolerance` on some channel, and the largest
/// difference of any channel.
fn difference(a: &(u32, u32, Vec<u8>), b: &(u32, u32, Vec<u8>), tolerance: u8) -> (f64, u8) {
    assert_eq!((a.0, a.1), (b.0, b.1), "sizes");
    let largest = a.2.iter().zip(&b.2).map(|(x, y)| x.abs_diff(*y)).max();
    let differing =
        a.2.chunks_exact(3)
            .zip(b.2.chunks_exact(3))
            .filter(|(p, q)| {
                p.iter()
                    .zip(q.iter())
                    .any(|(x, y)| x.abs_diff(*y) > tolerance)
            })
            .count();
    (
        differing as f64 / (a.2.len() / 3) as f64,
        largest.unwrap_or(0),
    )
}

/// How far apart a square of a painted picture may be from resvg's. Text
/// painted from glyph masks, each glyph within an eighth of a pixel of
/// where resvg puts it, gives at most 25 on the fixture's pictures; the
/// footer's grey line one pixel to the right gives 53, and without its
/// last glyph 109.
const BLOCK_TOLERANCE: f64 = 32.0;

/// The side of the squares `block_difference` compares.
const BLOCK: usize = 4;

fn rendered_by_resvg(
    drawing: &msp_site::infographic::scene::Drawing,
    fonts: &Fonts,
) -> (u32, u32, Vec<u8>) {
    let tree = raster::parse(&drawing.svg, fonts).expect("parses");
    decode(&raster::png_of_tree(&tree, 1.0, raster::PngSettings::FAST).expect("renders"))
}

/// How far apart two pictures of one size are seen from a little further
/// away: the largest difference, on any channel, between their mean colours
/// over any square of `BLOCK` × `BLOCK` pixels. Glyph edges anti-aliased
/// another way, or an eighth of a pixel off, move a square's mean by a few
/// levels; a glyph left out, or a line one pixel off, by tens.
fn block_difference(a: &(u32, u32, Vec<u8>), b: &(u32, u32, Vec<u8>)) -> f64 {
    assert_eq!((a.0, a.1), (b.0, b.1), "sizes");
    let (width, height) = (a.0 as usize, a.1 as usize);
    let row = width + 1;
    let mut largest: f64 = 0.0;
    for channel in 0..3 {
        let difference = |x: usize, y: usize| {
            i64::from(a.2[(y * width + x) * 3 + channel])
                - i64::from(b.2[(y * width + x) * 3 + channel])
        };
        // The sum of the differences above and left of each point: any
        // square's sum in four lookups.
        let mut sums = vec![0i64; row * (height + 1)];
        for y in 0..height {
            for x in 0..width {
                sums[(y + 1) * row + x + 1] =
                    difference(x, y) + sums[y * row + x + 1] + sums[(y + 1) * row + x]
                        - sums[y * row + x];
            }
        }
        for y in 0..=height.saturating_sub(BLOCK) {
            for x in 0..=width.saturating_sub(BLOCK) {
                let sum = sums[(y + BLOCK) * row + x + BLOCK]
                    - sums[y * row + x + BLOCK]
                    - sums[(y + BLOCK) * row + x]
                    + sums[y * row + x];
                largest = largest.max(sum.abs() as f64 / (BLOCK * BLOCK) as f64);
            }
        }
    }
    largest
}

/// Social cards are painted from their scene, without usvg: the picture is
/// the one resvg draws from the SVG, but for the anti-aliasing of a few
/// glyph edges. Cards with accents, no-break spaces, « », long titles set
/// smaller, figures and a right-aligned line.
#[test]
fn a_social_card_painted_from_its_scene_is_the_picture_of_its_svg() {
    let (_site, model, fonts) = model_of_fixture();
    let alpha = team(&model, "msp-alpha");
    let cards = [
        social::Card {
            kicker: "ÉQUIPE".to_string(),
            title: alpha.name.clone(),
            subtitle: format!("{} · Loire-Atlantique (44)", alpha.city),
            figures: vec![
                ("12\u{a0}345".into(), "patients en file active".into()),
                ("7".into(), "professions".into()),
            ],
            federation: "Fédération des maisons de santé".to_string(),
        },
        social::Card {
            kicker: "BOÎTE À OUTILS · PROTOCOLE".to_string(),
            title: "Protocole « réponse aux crises » : AVK, INR et suivi — une très longue \
                    annonce qui doit passer sur trois lignes au plus, quoi qu'il arrive"
                .to_string(),
            subtitle: "Œuvre commune, été 2024 ; déjà 1\u{202f}000 équipes".to_string(),
            figures: Vec::new(),
            federation: "Fédération".to_string(),
        },
    ];
    for card in &cards {
        let drawing = social::social_drawing(&fonts, card);
        assert_scene_holds_every_element(&drawing);
        assert_painted_as_resvg_draws(&drawing, &fonts, &card.title);
    }
}

/// A social card has about a hundred colours: it is stored with a palette,
/// and shows exactly the pixels it would in RGB. A picture with more than
/// 256 colours is stored in RGB even when a palette was asked for.
#[test]
fn a_palette_is_used_only_when_it_loses_nothing() {
    let (_site, model, fonts) = model_of_fixture();
    let alpha = team(&model, "msp-alpha");
    let card = social::Card {
        kicker: "ÉQUIPE".to_string(),
        title: alpha.name.clone(),
        subtitle: alpha.city.clone(),
        figures: vec![("12".into(), "professionnels de santé".into())],
        federation: "Fédération".to_string(),
    };
    let (svg, _) = social::social_card(&fonts, &card);
    let tree = raster::parse(&svg, &fonts).expect("parses");
    let indexed =
        raster::png_of_tree(&tree, 1.0, raster::PngSettings::FAST_PALETTE).expect("renders");
    let rgb = raster::png_of_tree(&tree, 1.0, raster::PngSettings::FAST).expect("renders");
    assert_eq!(stored_colour_type(&indexed), png::ColorType::Indexed);
    assert_eq!(stored_colour_type(&rgb), png::ColorType::Rgb);
    assert_eq!(decode(&indexed), decode(&rgb), "the same pixels");
    assert!(
        indexed.len() < rgb.len(),
        "{} ≥ {}",
        indexed.len(),
        rgb.len()
    );

    let gradient = r##"<svg xmlns="http://www.w3.org/2000/svg" width="600" height="10">
        <defs><linearGradient id="g"><stop offset="0" stop-color="#000"/>
        <stop offset="1" stop-color="#0f8"/></linearGradient></defs>
        <rect width="600" height="10" fill="url(#g)"/></svg>"##;
    let tree = raster::parse(gradient, &fonts).expect("parses");
    let many = raster::png_of_tree(&tree, 1.0, raster::PngSettings::FAST_PALETTE).expect("renders");
    assert_eq!(stored_colour_type(&many), png::ColorType::Rgb);
    let (_, _, pixels) = decode(&many);
    let colours: std::collections::HashSet<&[u8]> = pixels.chunks_exact(3).collect();
    assert!(colours.len() > 256, "{} colours", colours.len());
}

/// Dark pixels in the first key-figure tile, where the number of
/// professionals is written in dark teal on a pale background: with no font,
/// resvg would silently draw no text and the count would be zero.
#[test]
fn text_is_really_drawn_with_the_shipped_font() {
    let (_site, model, fonts) = model_of_fixture();
    let (svg, boxes) = scan::team_scan(&fonts, team(&model, "msp-alpha"), &footer());
    let number = boxes
        .iter()
        .find(|b| b.text == "12")
        .expect("the number of professionals");
    let png = raster::png(&svg, &fonts, 1.0).expect("renders");
    let (width, height, pixels) = decode(&png);
    assert_eq!((width, height), (1240, 1754));
    let mut dark = 0;
    for y in number.top as u32..(number.top + number.height) as u32 {
        for x in number.left as u32..(number.left + number.width) as u32 {
            let i = ((y * width + x) * 3) as usize;
            if u32::from(pixels[i]) + u32::from(pixels[i + 1]) + u32::from(pixels[i + 2]) < 300 {
                dark += 1;
            }
        }
    }
    assert!(
        dark > 800,
        "only {dark} dark pixels where the number should be"
    );
}

#[test]
fn the_pdf_is_a4_with_selectable_text() {
    let (_site, model, fonts) = model_of_fixture();
    let alpha = team(&model, "msp-alpha");
    let drawing = scan::team_drawing(&fonts, alpha, &footer());
    let scene = drawing.scene.as_ref().expect("a Scan'équipe has a scene");
    let pdf = msp_site::infographic::pdf::pdf_of_scene(scene, &fonts, 150.0).expect("writes");
    let text = String::from_utf8_lossy(&pdf);
    assert!(text.starts_with("%PDF-"));
    assert!(
        text.contains("/MediaBox [0 0 595.2 841.92]"),
        "A4 in points"
    );
    assert_eq!(text.matches("/FontFile3").count(), 4, "four faces embedded");
    assert_eq!(text.matches("/ToUnicode").count(), 4);
    let streams = pdf_streams(&pdf);
    // Every line of the picture is set as text, in its face and size.
    let content = streams
        .iter()
        .find(|s| s.starts_with("0.48 0 0 -0.48 0 841.92 cm"))
        .expect("the page's content");
    let lines = scene
        .shapes
        .iter()
        .filter(|s| matches!(s, msp_site::infographic::scene::Shape::Text { .. }))
        .count();
    assert_eq!(content.matches("] TJ").count(), lines);
    for weight in [400, 600, 700, 800] {
        assert!(content.contains(&format!("/F{weight} ")), "{weight}");
    }
    // Every line of text can be copied out of the file as it was written:
    // each glyph maps back to its characters through its face's ToUnicode.
    let cmaps: Vec<HashMap<u16, String>> = streams
        .iter()
        .filter(|s| s.contains("beginbfchar"))
        .map(|cmap| unicode_map(cmap))
        .collect();
    // The faces are written by weight: 400, 600, 700, 800.
    let face_of = |font: &str| {
        ["/F400", "/F600", "/F700", "/F800"]
            .iter()
            .position(|f| *f == font)
    };
    let copied: Vec<String> = shown_lines(content)
        .iter()
        .map(|(font, bytes)| {
            let cmap = &cmaps[face_of(font).expect("a known face")];
            bytes
                .chunks_exact(2)
                .map(|cid| cmap[&u16::from_be_bytes([cid[0], cid[1]])].as_str())
                .collect()
        })
        .collect();
    let written: Vec<String> = scene
        .shapes
        .iter()
        .filter_map(|shape| match shape {
            msp_site::infographic::scene::Shape::Text { text, .. } => {
                // Spaces collapsed as SVG collapses them; no-break spaces kept.
                let words: Vec<&str> = text.split(' ').filter(|w| !w.is_empty()).collect();
                Some(words.join(" "))
            }
            _ => None,
        })
        .collect();
    assert_eq!(copied, written);
    assert!(written.iter().any(|line| line.contains(&alpha.name)));
    // The same scene gives the same bytes.
    assert_eq!(
        msp_site::infographic::pdf::pdf_of_scene(scene, &fonts, 150.0).expect("writes"),
        pdf
    );
}

/// A ToUnicode CMap: each glyph's characters.
fn unicode_map(cmap: &str) -> HashMap<u16, String> {
    let hex = |h: &str| h.trim_matches(['<', '>']).to_string();
    cmap.lines()
        .filter_map(|line| line.split_once("> <"))
        .filter_map(|(cid, text)| {
            let cid = u16::from_str_radix(&hex(cid), 16).ok()?;
            let units: Vec<u16> = hex(text)
                .as_bytes()
                .chunks(4)
                .filter_map(|unit| u16::from_str_radix(std::str::from_utf8(unit).ok()?, 16).ok())
                .collect();
            Some((cid, String::from_utf16(&units).ok()?))
        })
        .collect()
}

/// Each `[…] TJ` of a content stream: the face selected before it and the
/// bytes of its strings (literal, with escapes and balanced parentheses, or
/// hexadecimal), the numbers between them left out.
fn shown_lines(content: &str) -> Vec<(String, Vec<u8>)> {
    let mut lines = Vec::new();
    let mut font = String::new();
    let bytes = content.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b'/' => {
                let end = content[at..].find(' ').map_or(bytes.len(), |e| at + e);
                font = content[at..end].to_string();
                at = end;
            }
            b'[' => {
                let mut shown = Vec::new();
                at += 1;
                while bytes[at] != b']' {
                    match bytes[at] {
                        b'(' => at = literal(bytes, at, &mut shown),
                        b'<' => {
                            let end = at + content[at..].find('>').expect("closed");
                            let digits = &content[at + 1..end];
                            shown.extend(
                                (0..digits.len()).step_by(2).map(|i| {
                                    u8::from_str_radix(&digits[i..i + 2], 16).expect("hex")
                                }),
                            );
                            at = end + 1;
                        }
                        _ => at += 1,
                    }
                }
                lines.push((font.clone(), shown));
                at += 1;
            }
            _ => at += 1,
        }
    }
    lines
}

/// Reads the literal string opening at `start` into `out`; returns where it ends.
fn literal(bytes: &[u8], start: usize, out: &mut Vec<u8>) -> usize {
    let (mut at, mut depth) = (start + 1, 1);
    loop {
        match bytes[at] {
            b'\\' => {
                at += 1;
                match bytes[at] {
                    b'n' => out.push(b'\n'),
                    b'r' => out.push(b'\r'),
                    b't' => out.push(b'\t'),
                    b'b' => out.push(8),
                    b'f' => out.push(12),
                    b'0'..=b'7' => {
                        let digits = bytes[at..]
                            .iter()
                            .take(3)
                            .take_while(|d| d.is_ascii_digit())
                            .count();
                        let octal = std::str::from_utf8(&bytes[at..at + digits]).expect("ascii");
                        out.push(u8::from_str_radix(octal, 8).expect("octal"));
                        at += digits - 1;
                    }
                    other => out.push(other),
                }
            }
            b'(' => {
                depth += 1;
                out.push(b'(');
            }
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return at + 1;
                }
                out.push(b')');
            }
            other => out.push(other),
        }
        at += 1;
    }
}

/// The inflated streams of a PDF, as text.
fn pdf_streams(pdf: &[u8]) -> Vec<String> {
    common::pdf_streams(pdf)
        .iter()
        .map(|stream| String::from_utf8_lossy(stream).into_owned())
        .collect()
}

#[test]
fn every_team_gets_its_four_files() {
    let site = common::fixture("minimal");
    common::build(site.path()).expect("builds");
    for id in ["msp-alpha", "msp-beta", "msp-gamma", "esp-delta"] {
        for extension in ["svg", "png", "pdf", "json"] {
            let path = site
                .path()
                .join(format!("output/equipes/{id}/scan-equipe.{extension}"));
            assert!(path.is_file(), "missing {}", path.display());
        }
    }
    let json: serde_json::Value = serde_json::from_str(&common::read(
        site.path(),
        "equipes/msp-alpha/scan-equipe.json",
    ))
    .expect("JSON");
    assert_eq!(json["professionals"], 12);
    assert_eq!(json["professions"]["infirmier"], 6);
    assert_eq!(json["coordinators"]["hours_per_week"], 15.5);
    let png =
        std::fs::read(site.path().join("output/equipes/msp-alpha/scan-equipe.png")).expect("png");
    assert!(png.len() < 200_000, "PNG of {} bytes", png.len());
}

fn region_labels(model: &SiteModel, departments: usize) -> region::RegionLabels {
    region::RegionLabels {
        region: "Provence-Alpes-Côte d’Azur et collectivités d’outre-mer associées".to_string(),
        federation: "Fédération test".to_string(),
        address: "msp.example.org".to_string(),
        professions: vec![
            (
                "Infirmiers en pratique avancée".to_string(),
                "#00727a".to_string()
            );
            model.region.top_professions.len()
        ],
        departments: (0..departments)
            .map(|i| {
                (
                    format!("Département numéro {i}"),
                    format!("{i:02}"),
                    i as i64 % 40,
                )
            })
            .collect(),
    }
}

#[test]
fn the_regional_scan_fits_with_long_labels_and_a_hundred_departments() {
    let (_site, model, fonts) = model_of_fixture();
    for departments in [2, 5, 101] {
        let (svg, boxes) =
            region::region_scan(&fonts, &model.region, &region_labels(&model, departments));
        assert_inside_and_apart(&boxes, scan::WIDTH, scan::HEIGHT);
        assert!(
            svg.contains("<desc id=\"description\">3 MSP constituées et 1 en projet"),
            "{svg}"
        );
    }
}

#[test]
fn the_regional_scan_is_published_beside_its_open_data() {
    let site = common::fixture("minimal");
    common::build(site.path()).expect("builds");
    for extension in ["svg", "png", "pdf", "json", "csv"] {
        let path = site
            .path()
            .join(format!("output/region/scan-equipe-region.{extension}"));
        assert!(path.is_file(), "missing {}", path.display());
    }
    let page = common::read(site.path(), "region/index.html");
    assert!(
        page.contains("href=/region/scan-equipe-region.pdf"),
        "download link"
    );
}

#[test]
fn a_group_card_fits_with_many_teams_and_long_texts() {
    let (_site, model, fonts) = model_of_fixture();
    let mut group = model.groups[0].clone();
    group.name =
        "Groupe local des coordinateurs de Loire-Atlantique Nord, Estuaire et Pays de Retz"
            .to_string();
    let team = group.teams[0].clone();
    group.teams = (0..60)
        .map(|i| {
            let mut t = team.clone();
            t.name = format!(
                "Pôle de Santé pluridisciplinaire numéro {i} des communes associées du bocage"
            );
            t
        })
        .collect();
    let person = group.referents[0].clone();
    group.referents = vec![person.clone(), person];
    let meeting = group.meetings[0].clone();
    group.meetings = vec![meeting; 30];
    let (svg, boxes) = group_card::group_card(
        &fonts,
        &group,
        None,
        "Fédération test",
        "msp.example.org",
        2023,
    );
    assert_inside_and_apart(&boxes, scan::WIDTH, scan::HEIGHT);
    assert!(
        svg.contains("autres équipes"),
        "the teams that do not fit are counted"
    );
}

#[test]
fn every_group_gets_its_card() {
    let site = common::fixture("minimal");
    common::build(site.path()).expect("builds");
    for extension in ["svg", "png"] {
        assert!(
            site.path()
                .join(format!("output/reseau/44-loire/carte.{extension}"))
                .is_file()
        );
    }
    let page = common::read(site.path(), "reseau/44-loire/index.html");
    assert!(page.contains("href=/reseau/44-loire/carte.png"));
    // A small group: its department fills the space under the lists, with a
    // dot per team placed inside the card.
    let card = common::read(site.path(), "reseau/44-loire/carte.svg");
    assert!(card.contains("Territoire : Loire-Atlantique"), "{card}");
    let dots = card.matches(r#"r="9""#).count();
    assert_eq!(
        dots, 1,
        "one dot per team with coordinates (gamma has none)"
    );
}

#[test]
fn social_cards_fit_and_are_linked_as_og_image() {
    let (_site, _model, fonts) = model_of_fixture();
    let card = social::Card {
        kicker: "BOÎTE À OUTILS · MODÈLE DE DOCUMENT".to_string(),
        title: "Protocole organisationnel « réponse aux crises sanitaires graves » : un modèle à adapter pour toute l’équipe pluriprofessionnelle".to_string(),
        subtitle: "Un protocole type, prêt à adapter, pour organiser l’équipe face à une situation sanitaire exceptionnelle, avec ses annexes et ses fiches réflexes.".to_string(),
        figures: vec![("123 456".into(), "patients en file active".into()); 3],
        federation: "Fédération des maisons de santé pluriprofessionnelles".to_string(),
    };
    let (_, boxes) = social::social_card(&fonts, &card);
    assert_inside_and_apart(&boxes, social::WIDTH, social::HEIGHT);

    let site = common::fixture("minimal");
    common::build(site.path()).expect("builds");
    for path in [
        "equipes/msp-alpha/social.png",
        "outils/guide-rcp/social.png",
        "actualites/journee-regionale/social.png",
    ] {
        let png = std::fs::read(site.path().join("output").join(path)).expect("written");
        let (width, height, _) = decode(&png);
        assert_eq!((width, height), (1200, 630), "{path}");
    }
    let page = common::read(site.path(), "outils/guide-rcp/index.html");
    assert!(
        page.contains(
            "<meta content=https://msp.example.org/outils/guide-rcp/social.png property=og:image>"
        ),
        "{page}"
    );
}

/// The pictures in the cache (not its index).
fn cache_entries(root: &std::path::Path) -> std::collections::BTreeSet<String> {
    common::digest(&root.join(".msp-cache/infographics"))
        .into_keys()
        .filter(|name| name != "index")
        .collect()
}

/// A team's inputs change in a way its pictures do not show (its website):
/// the cache finds them under their SVG, converts nothing, and the output's
/// PNG and PDF are not even written again. The same holds for a new version
/// of msp-site that draws them the same way.
#[test]
fn a_picture_drawn_the_same_from_new_inputs_is_not_converted_again() {
    let site = common::fixture("minimal");
    common::build(site.path()).expect("builds");
    let entries = cache_entries(site.path());
    let index = std::fs::read_to_string(site.path().join(".msp-cache/infographics/index"))
        .expect("the cache has an index");
    // Per team a Scan'équipe and a social card, the regional Scan'équipe, a
    // group card, the social cards of two tools and a news item.
    assert_eq!(index.lines().count(), 4 * 2 + 1 + 1 + 3, "{index}");
    let png = site.path().join("output/equipes/msp-beta/scan-equipe.png");
    let written = std::fs::metadata(&png)
        .and_then(|m| m.modified())
        .expect("time");

    common::edit(
        site.path(),
        "data/teams/msp-beta.yaml",
        "updated: ",
        "website: https://beta.example.org\nupdated: ",
    );
    let report = common::build(site.path()).expect("builds");
    assert_eq!(cache_entries(site.path()), entries, "nothing converted");
    let new_index = std::fs::read_to_string(site.path().join(".msp-cache/infographics/index"))
        .expect("the cache has an index");
    assert_ne!(index, new_index, "beta's inputs have a new key");
    assert_eq!(
        std::fs::metadata(&png)
            .and_then(|m| m.modified())
            .expect("time"),
        written,
        "the PNG is not written again"
    );
    // Only beta's page, which shows the website, and the manifest's record.
    assert_eq!(report.written, 1, "{report:?}");
    assert!(common::read(site.path(), "equipes/msp-beta/index.html").contains("beta.example.org"));
}

#[test]
fn the_search_index_is_kept_in_the_cache_and_only_the_last_one() {
    let site = common::fixture("minimal");
    common::build(site.path()).expect("builds");
    let indexes = || {
        let mut names: Vec<String> = std::fs::read_dir(site.path().join(".msp-cache/search"))
            .expect("the index is cached")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    let first = indexes();
    assert_eq!(first.len(), 1, "{first:?}");
    let before = common::digest(&site.path().join("output/pagefind"));
    common::edit(
        site.path(),
        "content/outils/guide-rcp.md",
        "title: ",
        "title: Nouveau ",
    );
    common::build(site.path()).expect("builds");
    let second = indexes();
    assert_eq!(second.len(), 1, "the old index is removed: {second:?}");
    assert_ne!(first, second, "a tool changed: a new index");
    assert_ne!(before, common::digest(&site.path().join("output/pagefind")));
    // From the cache or indexed again: the same files.
    let cached = common::digest(&site.path().join("output/pagefind"));
    std::fs::remove_dir_all(site.path().join(".msp-cache")).expect("removed");
    common::build(site.path()).expect("builds");
    assert_eq!(cached, common::digest(&site.path().join("output/pagefind")));
}

#[test]
fn unchanged_infographics_come_from_the_cache_and_stale_ones_are_pruned() {
    let site = common::fixture("minimal");
    common::build(site.path()).expect("builds");
    let first = cache_entries(site.path());
    // Per team: Scan'équipe SVG, PNG and PDF, social card; the region's SVG,
    // PNG and PDF; a group card's SVG and PNG; the social cards of two tools
    // and a news item.
    assert_eq!(first.len(), 4 * 4 + 3 + 2 + 2 + 1, "{first:?}");
    let before = common::digest(&site.path().join("output"));

    common::edit(
        site.path(),
        "data/teams/msp-beta.yaml",
        "patients: 5000",
        "patients: 5200",
    );
    common::build(site.path()).expect("builds");
    let second = cache_entries(site.path());
    assert_eq!(
        second.len(),
        first.len(),
        "the entries of the old figures are pruned"
    );
    let changed: Vec<&String> = second.difference(&first).collect();
    // Beta's Scan'équipe (SVG, PNG, PDF) and social card, and the regional
    // SVG, PNG and PDF; nothing else was drawn again.
    assert_eq!(changed.len(), 7, "{changed:?}");

    let after = common::digest(&site.path().join("output"));
    assert_eq!(
        before["equipes/msp-alpha/scan-equipe.png"],
        after["equipes/msp-alpha/scan-equipe.png"]
    );
    assert_ne!(
        before["equipes/msp-beta/scan-equipe.png"],
        after["equipes/msp-beta/scan-equipe.png"]
    );

    // The same files as a build without any cache.
    std::fs::remove_dir_all(site.path().join(".msp-cache")).expect("removed");
    common::build(site.path()).expect("builds");
    assert_eq!(after, common::digest(&site.path().join("output")));
}

/// A control character (a YAML escape such as `"\x01"`) never reaches a
/// picture: its SVG stays readable XML.
#[test]
fn control_characters_are_left_out_of_pictures() {
    let (_site, _model, fonts) = model_of_fixture();
    let card = social::Card {
        kicker: "ÉQUIPE".to_string(),
        title: "MSP\u{1} Alpha\u{1b}".to_string(),
        subtitle: "Nantes".to_string(),
        figures: Vec::new(),
        federation: "Fédération\u{0}".to_string(),
    };
    let drawing = social::social_drawing(&fonts, &card);
    assert!(!drawing.svg.contains(['\u{0}', '\u{1}', '\u{1b}']));
    raster::parse(&drawing.svg, &fonts).expect("the SVG is valid XML");
    let scene = drawing.scene.expect("a scene");
    assert!(scene.shapes.iter().any(|shape| matches!(
        shape,
        msp_site::infographic::scene::Shape::Text { text, .. } if text == "MSP Alpha"
    )));
}

/// The Scan'équipes are painted from their scene too: icons, tiles, bars
/// and text land where resvg draws them from the SVG.
#[test]
fn a_scan_painted_from_its_scene_is_the_picture_of_its_svg() {
    let (_site, model, fonts) = model_of_fixture();
    let region = (
        "region".to_string(),
        region::region_drawing(&fonts, &model.region, &region_labels(&model, 12)),
    );
    let teams = model
        .teams
        .iter()
        .map(|team| (team.id.clone(), scan::team_drawing(&fonts, team, &footer())));
    for (name, drawing) in teams.chain([region]) {
        assert_scene_holds_every_element(&drawing);
        assert_painted_as_resvg_draws(&drawing, &fonts, &name);
    }
}

/// The comparison above would fail if painting lost a glyph or moved a
/// line by one pixel: tried on the smallest text of a Scan'équipe, its
/// footer's last line.
#[test]
fn a_glyph_left_out_or_a_line_one_pixel_off_is_told_apart() {
    use msp_site::infographic::scene::Shape;
    let (_site, model, fonts) = model_of_fixture();
    let drawing = scan::team_drawing(&fonts, team(&model, "msp-alpha"), &footer());
    let resvg = rendered_by_resvg(&drawing, &fonts);
    let scene = drawing.scene.as_ref().expect("a scene");
    let last_line = scene
        .shapes
        .iter()
        .rposition(|shape| matches!(shape, Shape::Text { .. }))
        .expect("a line of text");
    let changed = |change: &dyn Fn(&mut Shape)| {
        let mut scene = scene.clone();
        change(&mut scene.shapes[last_line]);
        let png = raster::png_of_scene(&scene, &fonts, 1.0, raster::PngSettings::FAST);
        block_difference(&decode(&png.expect("paints")), &resvg)
    };
    let glyph_left_out = changed(&|shape| {
        if let Shape::Text { text, .. } = shape {
            text.pop();
        }
    });
    let one_pixel_off = changed(&|shape| {
        if let Shape::Text { x, .. } = shape {
            *x += 1.0;
        }
    });
    assert!(glyph_left_out > BLOCK_TOLERANCE, "{glyph_left_out}");
    assert!(one_pixel_off > BLOCK_TOLERANCE, "{one_pixel_off}");
}
