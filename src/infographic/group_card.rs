//! A local group's identity card ("carte d'identité"): its department, its
//! teams and its referents, for welcoming new coordinators.

use super::canvas::{Anchor, Canvas, TextBox, TextStyle};
use super::fonts::{Fonts, Weight};
use super::map::department_on_canvas;
use super::parts::{HEIGHT, MARGIN, WIDTH, figure_tiles, footer_band, header_band, section_title};
use super::style;
use super::text::fit;
use crate::data::geo::Outline;
use crate::model::views::GroupView;

/// A short sentence for `<desc>`.
pub fn description(group: &GroupView) -> String {
    let referents: Vec<&str> = group.referents.iter().map(|p| p.name.as_str()).collect();
    format!(
        "{} ({}) : {} équipes membres, {} rencontres ; référents : {}.",
        group.name,
        group.department.name,
        group.teams.len(),
        group.meetings.len(),
        if referents.is_empty() {
            "aucun".to_string()
        } else {
            referents.join(", ")
        }
    )
}

fn referents(canvas: &mut Canvas, group: &GroupView, x: f32, top: f32, width: f32) -> f32 {
    let mut y = section_title(canvas, x, top, "Référents");
    if group.referents.is_empty() {
        canvas.text(
            x,
            y + 24.0,
            "Pas encore de référent",
            TextStyle::new(21.0, Weight::Regular, style::MUTED, Anchor::Start),
        );
        return y + 40.0;
    }
    for person in &group.referents {
        let name = fit(
            canvas.fonts,
            &person.name,
            Weight::Bold,
            width,
            1,
            24.0,
            16.0,
        );
        y += canvas.lines(x, y, &name, Weight::Bold, style::DEEP, Anchor::Start) + 4.0;
        let contact: Vec<&str> = [
            Some(person.role.as_str()),
            person.email.as_deref(),
            person.phone.as_deref(),
        ]
        .into_iter()
        .flatten()
        .filter(|s| !s.is_empty())
        .collect();
        for line in contact {
            let text = fit(canvas.fonts, line, Weight::Regular, width, 2, 19.0, 14.0);
            y += canvas.lines(x, y, &text, Weight::Regular, style::INK, Anchor::Start) + 2.0;
        }
        y += 22.0;
    }
    y
}

fn meetings(
    canvas: &mut Canvas,
    group: &GroupView,
    x: f32,
    top: f32,
    width: f32,
    bottom: f32,
    year: i64,
) -> f32 {
    let mut y = section_title(canvas, x, top, &format!("Rencontres {year}"));
    if group.meetings.is_empty() {
        canvas.text(
            x,
            y + 24.0,
            "Aucune rencontre enregistrée",
            TextStyle::new(20.0, Weight::Regular, style::MUTED, Anchor::Start),
        );
        return y + 40.0;
    }
    for meeting in &group.meetings {
        let title = fit(
            canvas.fonts,
            &meeting.title,
            Weight::Regular,
            width,
            2,
            19.0,
            14.0,
        );
        if y + 26.0 + title.height() > bottom {
            break;
        }
        canvas.text(
            x,
            y + 19.0,
            &crate::render::french::long_date(meeting.date),
            TextStyle::new(19.0, Weight::Bold, style::CANARD_DARK, Anchor::Start),
        );
        y += 28.0;
        y += canvas.lines(x, y, &title, Weight::Regular, style::INK, Anchor::Start) + 18.0;
    }
    y
}

fn teams(canvas: &mut Canvas, group: &GroupView, x: f32, top: f32, width: f32, bottom: f32) -> f32 {
    let mut y = section_title(canvas, x, top, "Équipes membres");
    let row = 56.0;
    let capacity = (((bottom - y) / row).floor() as usize).max(1);
    let shown = if group.teams.len() > capacity {
        capacity - 1
    } else {
        group.teams.len()
    };
    for team in &group.teams[..shown] {
        canvas.circle(x + 7.0, y + 14.0, 6.0, style::ORANGE);
        let name = fit(
            canvas.fonts,
            &team.name,
            Weight::SemiBold,
            width - 24.0,
            1,
            20.0,
            13.0,
        );
        canvas.lines(
            x + 24.0,
            y,
            &name,
            Weight::SemiBold,
            style::INK,
            Anchor::Start,
        );
        let city = fit(
            canvas.fonts,
            &team.city,
            Weight::Regular,
            width - 24.0,
            1,
            17.0,
            13.0,
        );
        canvas.lines(
            x + 24.0,
            y + 27.0,
            &city,
            Weight::Regular,
            style::MUTED,
            Anchor::Start,
        );
        y += row;
    }
    if shown < group.teams.len() {
        let rest = group.teams.len() - shown;
        canvas.text(
            x + 24.0,
            y + 20.0,
            &format!(
                "et {rest} autre{} équipe{}",
                if rest > 1 { "s" } else { "" },
                if rest > 1 { "s" } else { "" }
            ),
            TextStyle::new(19.0, Weight::Regular, style::MUTED, Anchor::Start),
        );
        y += 40.0;
    }
    y
}

/// Where the map of the territory can go: `(x, top, width)`.
type Space = (f32, f32, f32);

/// The group's department with a dot per team, in the first of `spaces`
/// tall enough for a readable map (under both lists, when a small group
/// leaves a third of the page; else under the meetings, when a long list of
/// teams fills the right column only); nothing without room or outline.
fn territory(
    canvas: &mut Canvas,
    group: &GroupView,
    outline: Option<&Outline>,
    spaces: &[Space],
    bottom: f32,
) {
    let Some(outline) = outline else {
        return;
    };
    let Some(&(x, top, width)) = spaces.iter().find(|(_, top, _)| bottom - top >= 320.0) else {
        return;
    };
    // In a column, the department's name (already in the header) would not fit.
    let title = if width > WIDTH / 2.0 {
        format!("Territoire : {}", group.department.name)
    } else {
        "Territoire".to_string()
    };
    let map_top = section_title(canvas, x, top, &title);
    let points: Vec<[f64; 2]> = group.teams.iter().filter_map(|t| t.coordinates).collect();
    department_on_canvas(
        canvas,
        outline,
        &points,
        (x, map_top),
        width,
        bottom - map_top,
    );
}

/// Draws the card of `group`; returns the SVG and where its text lies.
pub fn group_card(
    fonts: &Fonts,
    group: &GroupView,
    outline: Option<&Outline>,
    federation: &str,
    address: &str,
    year: i64,
) -> (String, Vec<TextBox>) {
    let title = format!("Carte d’identité — {}", group.name);
    let mut canvas = Canvas::new(
        fonts,
        WIDTH,
        HEIGHT,
        &title,
        &description(group),
        style::WHITE,
    );
    let after_header = header_band(
        &mut canvas,
        "RÉSEAU DES COORDINATEURS · CARTE D’IDENTITÉ",
        &group.name,
        &format!("{} ({})", group.department.name, group.department.code),
        &[],
    );
    let figures = [
        (group.teams.len().to_string(), "équipes membres".to_string()),
        (
            group.meetings.len().to_string(),
            format!("rencontres en {year}"),
        ),
        (group.participants.to_string(), "participations".to_string()),
    ];
    let after_figures = figure_tiles(&mut canvas, after_header + 44.0, &figures);
    let top = after_figures + 44.0;
    let bottom = HEIGHT - 120.0;
    let left_width = 470.0;
    let right_x = MARGIN + left_width + 56.0;
    let after_referents = referents(&mut canvas, group, MARGIN, top, left_width);
    let after_meetings = meetings(
        &mut canvas,
        group,
        MARGIN,
        after_referents + 12.0,
        left_width,
        bottom,
        year,
    );
    let after_teams = teams(
        &mut canvas,
        group,
        right_x,
        top,
        WIDTH - MARGIN - right_x,
        bottom,
    );
    let spaces = [
        (
            MARGIN,
            after_meetings.max(after_teams) + 16.0,
            WIDTH - 2.0 * MARGIN,
        ),
        (MARGIN, after_meetings + 16.0, left_width),
    ];
    territory(&mut canvas, group, outline, &spaces, bottom);
    footer_band(
        &mut canvas,
        federation,
        address,
        &format!("Groupe local, {year}"),
    );
    canvas.finish_with_boxes()
}
