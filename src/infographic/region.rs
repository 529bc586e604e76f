//! The regional Scan'équipe: the aggregates of every team file on one A4
//! page, as the federation publishes it each year.

use super::canvas::{Anchor, Canvas, TextBox, TextStyle};
use super::fonts::{Fonts, Weight};
use super::parts::{
    HEIGHT, MARGIN, WIDTH, figure_tiles, footer_band, gauge, header_band, section_title,
};
use super::scene::Drawing;
use super::style::{self, icons};
use super::text::fit;
use crate::model::region::RegionFigures;
use crate::render::french;

/// What the regional Scan'équipe needs besides the figures: names and colours.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RegionLabels {
    pub region: String,
    pub federation: String,
    pub address: String,
    /// For each of the top professions: plural label and chart colour.
    pub professions: Vec<(String, String)>,
    /// Every department: name, code, number of teams.
    pub departments: Vec<(String, String, i64)>,
}

/// A short sentence with the key figures, for `<desc>`.
pub fn description(figures: &RegionFigures, labels: &RegionLabels) -> String {
    format!(
        "{} MSP constituées et {} en projet en {} en {} : {} professionnels de santé, {} patients en file active ({} % de la population), {} coordinateurs.",
        figures.teams.constituted,
        figures.teams.in_project,
        labels.region,
        figures.year,
        figures.professionals,
        figures.patients,
        figures.population_pct,
        figures.coordinators.count
    )
}

fn professions(
    canvas: &mut Canvas,
    figures: &RegionFigures,
    labels: &RegionLabels,
    x: f32,
    top: f32,
    width: f32,
) -> f32 {
    let mut y = section_title(canvas, x, top, "Professions les plus représentées");
    let largest = figures.top_professions.first().map_or(1, |p| p.pct.max(1)) as f32;
    let label_width = 250.0;
    let bar_room = width - label_width - 16.0 - 80.0;
    // One size for every label: the largest at which the longest fits.
    let size = labels
        .professions
        .iter()
        .map(|(label, _)| {
            fit(
                canvas.fonts,
                label,
                Weight::Regular,
                label_width,
                1,
                21.0,
                14.0,
            )
            .size
        })
        .fold(21.0, f32::min);
    for (share, (label, color)) in figures.top_professions.iter().zip(&labels.professions) {
        let text = fit(
            canvas.fonts,
            label,
            Weight::Regular,
            label_width,
            1,
            size,
            14.0,
        );
        canvas.lines(
            x,
            y + 8.0,
            &text,
            Weight::Regular,
            style::INK,
            Anchor::Start,
        );
        let bar = (share.pct as f32 / largest * bar_room).max(6.0);
        canvas.rect(x + label_width + 16.0, y + 9.0, bar, 22.0, color, 4.0);
        canvas.text(
            x + label_width + 28.0 + bar,
            y + 28.0,
            &french::percent(share.pct),
            TextStyle::new(21.0, Weight::Bold, style::INK, Anchor::Start),
        );
        y += 42.0;
    }
    y
}

fn departments(
    canvas: &mut Canvas,
    labels: &RegionLabels,
    x: f32,
    top: f32,
    width: f32,
    bottom: f32,
) {
    let mut y = section_title(canvas, x, top, "Équipes par département");
    let mut rows: Vec<(String, i64)> = labels
        .departments
        .iter()
        .map(|(name, code, count)| (format!("{name} ({code})"), *count))
        .collect();
    // A national site has a hundred departments: the largest, then the rest together.
    let room = ((bottom - y) / 40.0).floor().max(1.0) as usize;
    if rows.len() > room {
        rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let rest: i64 = rows[room - 1..].iter().map(|r| r.1).sum();
        let others = rows.len() - (room - 1);
        rows.truncate(room - 1);
        rows.push((format!("{others} autres départements"), rest));
    }
    let largest = rows.iter().map(|r| r.1).max().unwrap_or(1).max(1) as f32;
    let label_width = 250.0;
    let bar_room = width - label_width - 16.0 - 60.0;
    let row = ((bottom - y) / rows.len().max(1) as f32).min(44.0);
    let size = (row * 0.48).min(21.0);
    for (label, count) in rows {
        let text = fit(
            canvas.fonts,
            &label,
            Weight::Regular,
            label_width,
            1,
            size,
            12.0,
        );
        canvas.lines(
            x,
            y + (row - text.size * 1.2) / 2.0,
            &text,
            Weight::Regular,
            style::INK,
            Anchor::Start,
        );
        let bar = (count as f32 / largest * bar_room).max(4.0);
        canvas.rect(
            x + label_width + 16.0,
            y + row * 0.25,
            bar,
            row * 0.5,
            style::CANARD,
            4.0,
        );
        canvas.text(
            x + label_width + 26.0 + bar,
            y + row / 2.0 + size * 0.36,
            &count.to_string(),
            TextStyle::new(size, Weight::Bold, style::INK, Anchor::Start),
        );
        y += row;
    }
}

fn coordinators(canvas: &mut Canvas, figures: &RegionFigures, x: f32, top: f32, width: f32) -> f32 {
    let mut y = section_title(canvas, x, top, "Coordination");
    let count = french::integer(figures.coordinators.count);
    canvas.text(
        x,
        y + 56.0,
        &count,
        TextStyle::new(60.0, Weight::ExtraBold, style::CANARD_DARK, Anchor::Start),
    );
    let number_width = canvas.fonts.width(&count, 60.0, Weight::ExtraBold);
    canvas.text(
        x + number_width + 16.0,
        y + 54.0,
        "coordinateurs",
        TextStyle::new(24.0, Weight::SemiBold, style::INK, Anchor::Start),
    );
    y += 84.0;
    let c = &figures.coordinators;
    let rows = [
        (c.network_pct, "membres du réseau des coordinateurs"),
        (c.pacte_pct, "formés au programme PACTE"),
        (c.liberal_pct, "exercent aussi en libéral"),
        (c.pair_pct, "des MSP ont un binôme de coordinateurs"),
    ];
    for (pct, label) in rows {
        canvas.text(
            x,
            y + 22.0,
            &french::percent(pct),
            TextStyle::new(22.0, Weight::Bold, style::CANARD_DARK, Anchor::Start),
        );
        let text = fit(
            canvas.fonts,
            label,
            Weight::Regular,
            width - 100.0,
            1,
            19.0,
            14.0,
        );
        canvas.lines(
            x + 100.0,
            y + 4.0,
            &text,
            Weight::Regular,
            style::INK,
            Anchor::Start,
        );
        gauge(canvas, x, y + 34.0, width, pct);
        y += 64.0;
    }
    y
}

fn shares(canvas: &mut Canvas, figures: &RegionFigures, x: f32, top: f32, width: f32, bottom: f32) {
    let mut y = section_title(canvas, x, top, "Part des MSP…");
    let a = &figures.actions_pct;
    let rows: [(&[&str], i64, &str); 6] = [
        (icons::INTERNS, a.interns, "accueillant des stagiaires"),
        (
            icons::PREVENTION,
            a.prevention,
            "menant des programmes de prévention",
        ),
        (icons::ETP, a.etp, "menant des programmes d’ETP"),
        (
            icons::PROTOCOLS,
            a.protocols,
            "ayant des protocoles pluriprofessionnels",
        ),
        (icons::USERS, a.user_involvement, "impliquant les usagers"),
        (icons::CPTS, a.cpts, "membres d’une CPTS"),
    ];
    // Rows share the room left, up to 66 pixels each.
    let row = ((bottom - y) / rows.len() as f32).min(66.0);
    let circle = (row * 0.4).min(25.0);
    let number_size = (row * 0.48).min(30.0);
    for (icon, pct, label) in rows {
        canvas.circle(x + circle, y + circle, circle, style::CANARD);
        let scale = circle * 1.1 / 24.0;
        canvas.icon(
            x + circle - 12.0 * scale,
            y + circle - 12.0 * scale,
            scale,
            icon,
            style::WHITE,
        );
        canvas.text(
            x + 2.0 * circle + 16.0,
            y + circle + number_size * 0.36,
            &french::percent(pct),
            TextStyle::new(
                number_size,
                Weight::ExtraBold,
                style::CANARD_DARK,
                Anchor::Start,
            ),
        );
        let label_x = x + 2.0 * circle + 16.0 + number_size * 3.4;
        let text = fit(
            canvas.fonts,
            label,
            Weight::Regular,
            x + width - label_x,
            2,
            19.0,
            13.0,
        );
        let text_top = y + circle - text.height() / 2.0;
        canvas.lines(
            label_x,
            text_top,
            &text,
            Weight::Regular,
            style::INK,
            Anchor::Start,
        );
        y += row;
    }
}

/// Draws the regional Scan'équipe; returns the SVG and where its text lies.
pub fn region_scan(
    fonts: &Fonts,
    figures: &RegionFigures,
    labels: &RegionLabels,
) -> (String, Vec<TextBox>) {
    draw(fonts, figures, labels).finish_with_boxes()
}

/// Draws the regional Scan'équipe: its SVG and its scene.
pub fn region_drawing(fonts: &Fonts, figures: &RegionFigures, labels: &RegionLabels) -> Drawing {
    draw(fonts, figures, labels).finish_drawing()
}

fn draw<'f>(fonts: &'f Fonts, figures: &RegionFigures, labels: &RegionLabels) -> Canvas<'f> {
    let title = format!("Scan’équipe région {} — {}", figures.year, labels.region);
    let mut canvas = Canvas::new(
        fonts,
        WIDTH,
        HEIGHT,
        &title,
        &description(figures, labels),
        style::WHITE,
    );
    let badges = vec![
        format!(
            "{} MSP constituées, dont {} sans ACI",
            figures.teams.constituted, figures.teams.without_aci
        ),
        format!("{} MSP en projet", figures.teams.in_project),
    ];
    let after_header = header_band(
        &mut canvas,
        &format!("SCAN’ÉQUIPE RÉGION {}", figures.year),
        &format!("Les MSP adhérentes en {}", labels.region),
        &format!(
            "Le portrait des équipes adhérentes, à partir de leurs réponses {}",
            figures.year
        ),
        &badges,
    );
    let first = [
        (
            french::integer(figures.professionals),
            "professionnels de santé".to_string(),
        ),
        (
            french::integer(figures.patients),
            "patients en file active".to_string(),
        ),
        (
            french::percent(figures.population_pct),
            "de la population de la région".to_string(),
        ),
        (
            format!("{} ans", french::decimal(figures.median_age, 1)),
            "âge médian des MSP".to_string(),
        ),
    ];
    let after_first = figure_tiles(&mut canvas, after_header + 40.0, &first);
    let second = [
        (
            french::decimal(figures.mean_professions, 1),
            "professions en moyenne par MSP".to_string(),
        ),
        (
            french::decimal(figures.mean_signatories, 1),
            "signataires en moyenne par MSP".to_string(),
        ),
        (
            french::percent(figures.sites.mono_pct),
            format!("mono-site ({} MSP)", figures.sites.mono),
        ),
        (
            french::percent(figures.sites.multi_pct),
            format!("multi-sites ({} MSP)", figures.sites.multi),
        ),
    ];
    let after_second = figure_tiles(&mut canvas, after_first + 24.0, &second);
    let columns_top = after_second + 40.0;
    let bottom = HEIGHT - 120.0;
    let column = (WIDTH - 2.0 * MARGIN - 56.0) / 2.0;
    let right = MARGIN + column + 56.0;
    let after_professions = professions(&mut canvas, figures, labels, MARGIN, columns_top, column);
    shares(
        &mut canvas,
        figures,
        MARGIN,
        after_professions + 16.0,
        column,
        bottom,
    );
    let after_coordinators = coordinators(&mut canvas, figures, right, columns_top, column);
    departments(
        &mut canvas,
        labels,
        right,
        after_coordinators + 16.0,
        column,
        bottom,
    );
    footer_band(
        &mut canvas,
        &labels.federation,
        &labels.address,
        &format!("Données des équipes adhérentes, {}", figures.year),
    );
    canvas
}
