//! The team Scan'équipe: one A4 page that presents a team — identity, key
//! numbers, composition by profession, coordination and actions.

use super::canvas::{Anchor, Canvas, TextBox, TextStyle};
use super::fonts::{Fonts, Weight};
use super::scene::Drawing;
use super::style::{self, icons};
use super::text::{fit, wrap};
use crate::model::views::TeamView;
use crate::render::french;

pub use super::parts::{HEIGHT, WIDTH};
use super::parts::{MARGIN, figure_tiles, footer_band, header_band, section_title};

/// What the Scan'équipe says of the site it belongs to.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Footer {
    pub federation: String,
    pub address: String,
    pub year: i64,
}

/// One row of the actions column.
struct ActionRow<'a> {
    icon: &'a [&'a str],
    title: &'a str,
    done: bool,
    detail: String,
}

fn list_or(items: &[String], none: &str) -> String {
    if items.is_empty() {
        none.to_string()
    } else {
        items.join(", ")
    }
}

fn action_rows(team: &TeamView) -> Vec<ActionRow<'static>> {
    vec![
        ActionRow {
            icon: icons::INTERNS,
            title: "Accueil de stagiaires",
            done: team.interns,
            detail: if team.interns {
                "L’équipe accueille des stagiaires"
            } else {
                "Pas encore"
            }
            .to_string(),
        },
        ActionRow {
            icon: icons::PREVENTION,
            title: "Prévention",
            done: !team.prevention.is_empty(),
            detail: list_or(&team.prevention, "Pas encore de programme"),
        },
        ActionRow {
            icon: icons::ETP,
            title: "Éducation thérapeutique",
            done: !team.etp.is_empty(),
            detail: list_or(&team.etp, "Pas encore de programme"),
        },
        ActionRow {
            icon: icons::PROTOCOLS,
            title: "Protocoles pluriprofessionnels",
            done: !team.protocols.is_empty(),
            detail: list_or(&team.protocols, "Pas encore de protocole"),
        },
        ActionRow {
            icon: icons::USERS,
            title: "Implication des usagers",
            done: team.user_involvement,
            detail: if team.user_involvement {
                "Les usagers participent"
            } else {
                "Pas encore"
            }
            .to_string(),
        },
        ActionRow {
            icon: icons::CPTS,
            title: "Membre d’une CPTS",
            done: team.cpts,
            detail: if team.cpts { "Oui" } else { "Non" }.to_string(),
        },
        ActionRow {
            icon: icons::ACI,
            title: "Accord conventionnel (ACI)",
            done: team.aci,
            detail: if team.aci { "Signé" } else { "Non signé" }.to_string(),
        },
    ]
}

/// A short sentence with the key figures, for `<desc>` and screen readers.
pub fn description(team: &TeamView) -> String {
    format!(
        "{} à {} ({}) : {} professionnels de santé de {} professions, {} signataires du projet de santé, {} patients en file active, {} coordinateur{}.",
        team.name,
        team.city,
        team.department.name,
        team.professionals,
        team.profession_count,
        team.signatories,
        team.patients,
        team.coordination.count,
        if team.coordination.count >= 2 {
            "s"
        } else {
            ""
        },
    )
}

/// Status and sites, as pills under the name.
fn badges(team: &TeamView) -> Vec<String> {
    let status = match (team.constituted, team.age) {
        (true, 0) => format!("MSP constituée en {}", team.founded),
        (true, age) => format!(
            "MSP constituée en {} · {age} an{}",
            team.founded,
            if age >= 2 { "s" } else { "" }
        ),
        (false, _) => format!("MSP en projet depuis {}", team.founded),
    };
    let sites = if team.sites > 1 {
        format!("Multi-sites · {} sites", team.sites)
    } else {
        "Mono-site".to_string()
    };
    vec![status, sites]
}

fn composition(canvas: &mut Canvas, team: &TeamView, x: f32, top: f32, width: f32, bottom: f32) {
    let mut y = section_title(canvas, x, top, "Composition de l’équipe");
    let rows = team.composition.len().max(1) as f32;
    let row = ((bottom - y) / rows).clamp(30.0, 52.0);
    let label_width = 268.0;
    let bar_left = x + label_width + 16.0;
    let bar_room = width - label_width - 16.0 - 64.0;
    let largest = team
        .composition
        .iter()
        .map(|p| p.count)
        .max()
        .unwrap_or(1)
        .max(1) as f32;
    // One size for every label, the largest at which the longest one fits.
    let size = team
        .composition
        .iter()
        .map(|p| {
            fit(
                canvas.fonts,
                &p.label,
                Weight::Regular,
                label_width,
                1,
                (row * 0.5).clamp(17.0, 22.0),
                14.0,
            )
            .size
        })
        .fold((row * 0.5).clamp(17.0, 22.0), f32::min);
    for profession in &team.composition {
        let label = fit(
            canvas.fonts,
            &profession.label,
            Weight::Regular,
            label_width,
            1,
            size,
            14.0,
        );
        let baseline_top = y + (row - label.size * 1.2) / 2.0;
        canvas.lines(
            x,
            baseline_top,
            &label,
            Weight::Regular,
            style::INK,
            Anchor::Start,
        );
        let bar = (profession.count as f32 / largest * bar_room).max(6.0);
        let bar_height = (row * 0.5).min(22.0);
        canvas.rect(
            bar_left,
            y + (row - bar_height) / 2.0,
            bar,
            bar_height,
            &profession.color,
            4.0,
        );
        canvas.text(
            bar_left + bar + 12.0,
            y + row / 2.0 + size * 0.36,
            &profession.count.to_string(),
            TextStyle::new(size, Weight::Bold, style::INK, Anchor::Start),
        );
        y += row;
    }
    if team.composition.is_empty() {
        canvas.text(
            x,
            y + 30.0,
            "Composition non renseignée",
            TextStyle::new(22.0, Weight::Regular, style::MUTED, Anchor::Start),
        );
    }
}

fn coordination(canvas: &mut Canvas, team: &TeamView, x: f32, top: f32, width: f32) -> f32 {
    let y = section_title(canvas, x, top, "Coordination");
    let height = 176.0;
    canvas.rect(x, y, width, height, style::MIST, 14.0);
    let count = team.coordination.count;
    canvas.text(
        x + 28.0,
        y + 78.0,
        &count.to_string(),
        TextStyle::new(64.0, Weight::ExtraBold, style::CANARD_DARK, Anchor::Start),
    );
    let number_width = canvas
        .fonts
        .width(&count.to_string(), 64.0, Weight::ExtraBold);
    let label = if count >= 2 {
        "coordinateurs"
    } else {
        "coordinateur"
    };
    canvas.text(
        x + 44.0 + number_width,
        y + 76.0,
        label,
        TextStyle::new(24.0, Weight::SemiBold, style::INK, Anchor::Start),
    );
    let details = if count == 0 {
        "Pas de coordinateur déclaré".to_string()
    } else {
        let mut parts = Vec::new();
        if team.coordination.hours_per_week > 0.0 {
            parts.push(format!(
                "{}{}h par semaine",
                french::decimal(team.coordination.hours_per_week, 1),
                french::NNBSP
            ));
        }
        parts.push(format!(
            "{} au réseau des coordinateurs",
            team.coordination.network
        ));
        parts.push(format!(
            "{} formé{} PACTE",
            team.coordination.pacte,
            if team.coordination.pacte >= 2 {
                "s"
            } else {
                ""
            }
        ));
        parts.join(" · ")
    };
    let lines = fit(
        canvas.fonts,
        &details,
        Weight::Regular,
        width - 56.0,
        2,
        21.0,
        16.0,
    );
    canvas.lines(
        x + 28.0,
        y + 104.0,
        &lines,
        Weight::Regular,
        style::MUTED,
        Anchor::Start,
    );
    y + height
}

fn actions(canvas: &mut Canvas, team: &TeamView, x: f32, top: f32, width: f32, bottom: f32) {
    let mut y = section_title(canvas, x, top, "Actions de l’équipe");
    let rows = action_rows(team);
    let room = (bottom - y) / rows.len() as f32;
    let circle = 27.0;
    let text_left = x + 2.0 * circle + 18.0;
    let text_width = width - 2.0 * circle - 18.0;
    for row in rows {
        let (fill, stroke) = if row.done {
            (style::CANARD, style::WHITE)
        } else {
            (style::PALE, style::MUTED)
        };
        canvas.circle(x + circle, y + circle, circle, fill);
        canvas.icon(x + circle - 15.0, y + circle - 15.0, 1.25, row.icon, stroke);
        let title = fit(
            canvas.fonts,
            row.title,
            Weight::Bold,
            text_width,
            1,
            22.0,
            16.0,
        );
        let title_height = canvas.lines(
            text_left,
            y + 2.0,
            &title,
            Weight::Bold,
            style::INK,
            Anchor::Start,
        );
        let detail_lines = ((room - title_height - 14.0) / 23.0).floor().max(1.0) as usize;
        let detail = fit(
            canvas.fonts,
            &row.detail,
            Weight::Regular,
            text_width,
            detail_lines.min(3),
            19.0,
            15.0,
        );
        let color = if row.done { style::INK } else { style::MUTED };
        canvas.lines(
            text_left,
            y + 4.0 + title_height,
            &detail,
            Weight::Regular,
            color,
            Anchor::Start,
        );
        y += room;
    }
}

/// Draws the Scan'équipe of `team`; returns the SVG and where its text lies.
pub fn team_scan(fonts: &Fonts, team: &TeamView, info: &Footer) -> (String, Vec<TextBox>) {
    draw(fonts, team, info).finish_with_boxes()
}

/// Draws the Scan'équipe of `team`: its SVG and its scene.
pub fn team_drawing(fonts: &Fonts, team: &TeamView, info: &Footer) -> Drawing {
    draw(fonts, team, info).finish_drawing()
}

fn draw<'f>(fonts: &'f Fonts, team: &TeamView, info: &Footer) -> Canvas<'f> {
    let title = format!("Scan’équipe {} — {}", info.year, team.name);
    let mut canvas = Canvas::new(
        fonts,
        WIDTH,
        HEIGHT,
        &title,
        &description(team),
        style::WHITE,
    );
    let after_header = header_band(
        &mut canvas,
        &format!("SCAN’ÉQUIPE {}", info.year),
        &team.name,
        &format!(
            "{} · {} ({})",
            team.city, team.department.name, team.department.code
        ),
        &badges(team),
    );
    let figures = [
        (
            french::integer(team.professionals),
            "professionnels de santé".to_string(),
        ),
        (team.profession_count.to_string(), "professions".to_string()),
        (
            french::integer(team.signatories),
            "signataires du projet de santé".to_string(),
        ),
        (
            french::integer(team.patients),
            "patients en file active".to_string(),
        ),
    ];
    let after_figures = figure_tiles(&mut canvas, after_header + 44.0, &figures);
    let columns_top = after_figures + 44.0;
    let bottom = HEIGHT - 120.0;
    let left_width = 620.0;
    let right_x = MARGIN + left_width + 48.0;
    let right_width = WIDTH - MARGIN - right_x;
    composition(&mut canvas, team, MARGIN, columns_top, left_width, bottom);
    let after_coordination = coordination(&mut canvas, team, right_x, columns_top, right_width);
    actions(
        &mut canvas,
        team,
        right_x,
        after_coordination + 32.0,
        right_width,
        bottom,
    );
    footer_band(
        &mut canvas,
        &info.federation,
        &info.address,
        &format!("Données déclarées le {}", french::long_date(team.updated)),
    );
    canvas
}

/// Lines of `text` as they would wrap at `size` in `width` (for tests).
pub fn wrapped(fonts: &Fonts, text: &str, size: f32, width: f32) -> Vec<String> {
    wrap(fonts, text, size, Weight::Regular, width)
}
