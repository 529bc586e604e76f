//! Checks of `data/`.

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;

use crate::data::Spanned;

use crate::content::load::is_valid_slug;
use crate::data::{Data, Source, TeamFile, Vocabulary};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::suggest::unknown_id_message;

pub(super) fn check_site(data: &Data, out: &mut Diagnostics) {
    let site = &data.site;
    let source = &data.site_source;
    let base = &site.base_url.value;
    if !(base.starts_with("https://") || base.starts_with("http://"))
        || base.contains(char::is_whitespace)
    {
        out.push(source.at(
            &site.base_url,
            format!("`{base}` is not a web address: write it like `https://www.example.org`"),
        ));
    }
    let year = site.year.value;
    if !(1990..=2100).contains(&year) {
        out.push(source.at(
            &site.year,
            format!("year {year} is out of range (1990 to 2100)"),
        ));
    }
    if site.region.population.value <= 0 {
        out.push(source.at(
            &site.region.population,
            "the population must be a positive number",
        ));
    }
    if site.region.departments.is_empty() {
        out.push(Diagnostic::whole_file(
            source.path.clone(),
            "`region.departments` lists no department",
        ));
    }
    let mut seen = HashSet::new();
    for department in &site.region.departments {
        let code = &department.code.value;
        if !is_department_code(code) {
            out.push(source.at(
                &department.code,
                format!("`{code}` is not a department code: write it in quotes, like \"44\", \"2A\" or \"974\""),
            ));
        }
        if !seen.insert(code.clone()) {
            out.push(source.at(
                &department.code,
                format!("department `{code}` is listed twice"),
            ));
        }
    }
    for color in [&site.colors.primary, &site.colors.accent] {
        check_color(source, color, out);
    }
    for figure in &site.figures {
        if !figure.value.value.is_finite() || figure.value.value < 0.0 {
            out.push(source.at(&figure.value, "a key figure must be a number, zero or more"));
        }
    }
}

/// Metropolitan (`01`–`95`, `2A`, `2B`) and overseas (`971`–`976`) codes.
fn is_department_code(code: &str) -> bool {
    match code.len() {
        2 => {
            code == "2A"
                || code == "2B"
                || (code.chars().all(|c| c.is_ascii_digit()) && code != "00" && code != "20")
        }
        3 => code.starts_with("97") && code.chars().all(|c| c.is_ascii_digit()),
        _ => false,
    }
}

fn check_color(source: &Source, color: &Spanned<String>, out: &mut Diagnostics) {
    let text = &color.value;
    let valid = text.len() == 7
        && text.starts_with('#')
        && text[1..].chars().all(|c| c.is_ascii_hexdigit());
    if !valid {
        out.push(source.at(
            color,
            format!("`{text}` is not a colour: write it `#rrggbb`, like `#00727a`"),
        ));
    }
}

/// Vocabulary colours draw bars and dots on white: they need 3:1 (WCAG 1.4.11).
fn check_chart_contrast(source: &Source, color: &Spanned<String>, out: &mut Diagnostics) {
    if let Some(ratio) = crate::infographic::style::contrast(&color.value, "#ffffff")
        && ratio < 3.0
    {
        out.push(source.at(
            color,
            format!(
                "colour `{}` has a contrast of {ratio:.1}:1 on white; charts need at least 3:1: choose a darker shade",
                color.value
            ),
        ));
    }
}

pub(super) fn check_vocabularies(data: &Data, out: &mut Diagnostics) {
    for vocabulary in [
        &data.professions,
        &data.themes,
        &data.tool_types,
        &data.action_kinds,
    ] {
        let mut seen = HashSet::new();
        for term in &vocabulary.terms {
            let id = &term.id.value;
            if !is_valid_slug(id) {
                out.push(vocabulary.source.at(
                    &term.id,
                    format!("`{id}` is not a valid id: use lowercase letters, digits and hyphens"),
                ));
            }
            if !seen.insert(id.clone()) {
                out.push(
                    vocabulary
                        .source
                        .at(&term.id, format!("duplicate id `{id}`")),
                );
            }
            if let Some(color) = &term.color {
                check_color(&vocabulary.source, color, out);
                check_chart_contrast(&vocabulary.source, color, out);
            }
        }
    }
}

/// An id that refers to a vocabulary term must exist in it.
fn check_term(
    source: &Source,
    vocabulary: &Vocabulary,
    what: &str,
    id: &Spanned<String>,
    out: &mut Diagnostics,
) {
    if !vocabulary.contains(&id.value) {
        out.push(source.at(id, unknown_id_message(what, &id.value, vocabulary.ids())));
    }
}

fn department_codes(data: &Data) -> Vec<&str> {
    data.site
        .region
        .departments
        .iter()
        .map(|d| d.code.value.as_str())
        .collect()
}

pub(super) fn check_department(
    data: &Data,
    source: &Source,
    code: &Spanned<String>,
    out: &mut Diagnostics,
) {
    let codes = department_codes(data);
    if !codes.contains(&code.value.as_str()) {
        out.push(source.at(
            code,
            unknown_id_message("department", &code.value, codes.iter().copied()),
        ));
    }
}

fn check_not_negative(source: &Source, what: &str, value: &Spanned<i64>, out: &mut Diagnostics) {
    if value.value < 0 {
        out.push(source.at(
            value,
            format!("{what} cannot be negative ({})", value.value),
        ));
    }
}

/// Absurd values are typing mistakes (an extra zero, a year in a count).
fn check_at_most(
    source: &Source,
    what: &str,
    value: &Spanned<i64>,
    max: i64,
    out: &mut Diagnostics,
) {
    if value.value > max {
        out.push(source.at(
            value,
            format!(
                "{what} of {} is not plausible (more than {max})",
                value.value
            ),
        ));
    }
}

pub(super) fn check_teams(data: &Data, out: &mut Diagnostics) {
    // Each team on its own, in parallel (4 000 on a national site), the
    // problems in the teams' order.
    let found: Vec<Diagnostics> = data
        .teams
        .par_iter()
        .map(|file| {
            let mut found = Diagnostics::new();
            check_team(data, file, &mut found);
            found
        })
        .collect();
    for problems in found {
        out.extend(problems);
    }
}

fn check_team(data: &Data, file: &TeamFile, out: &mut Diagnostics) {
    let year = data.site.year.value;
    let team = &file.team;
    let source = &file.source;
    if !is_valid_slug(&file.id) {
        out.push(Diagnostic::whole_file(
            source.path.clone(),
            format!(
                "the file name `{}` cannot be a team id (it is the team's web address): use lowercase letters, digits and hyphens, e.g. `{}.yaml`",
                file.id,
                crate::content::load::slugify(&file.id)
            ),
        ));
    }
    if team.name.trim().is_empty() {
        out.push(Diagnostic::whole_file(
            source.path.clone(),
            "the team has an empty `name`",
        ));
    }
    check_department(data, source, &team.department, out);
    if let Some(coordinates) = &team.coordinates {
        let [latitude, longitude] = coordinates.value;
        if !(-90.0..=90.0).contains(&latitude) || !(-180.0..=180.0).contains(&longitude) {
            out.push(source.at(
                coordinates,
                format!(
                    "coordinates [{latitude}, {longitude}] are out of range: write [latitude, longitude], latitude from -90 to 90, longitude from -180 to 180"
                ),
            ));
        }
    }
    let founded = &team.founded;
    if founded.value > year {
        out.push(source.at(
            founded,
            format!(
                "`founded` ({}) is after the year the figures describe ({year}, in data/site.yaml)",
                founded.value
            ),
        ));
    } else if founded.value < 1900 {
        out.push(source.at(
            founded,
            format!("`founded` ({}) is not a plausible year", founded.value),
        ));
    }
    if team.sites.value < 1 {
        out.push(source.at(
            &team.sites,
            format!(
                "a team has at least one site (1 = mono-site), found {}",
                team.sites.value
            ),
        ));
    }
    check_at_most(source, "a number of sites", &team.sites, 50, out);
    check_not_negative(source, "the number of signatories", &team.signatories, out);
    check_at_most(
        source,
        "a number of signatories",
        &team.signatories,
        2_000,
        out,
    );
    check_not_negative(source, "the file active (patients)", &team.patients, out);
    check_at_most(source, "a file active", &team.patients, 1_000_000, out);
    let mut seen = HashSet::new();
    for (profession, count) in &team.professions.0 {
        check_term(source, &data.professions, "profession", profession, out);
        check_not_negative(source, "a headcount", count, out);
        check_at_most(source, "a headcount", count, 1_000, out);
        if !seen.insert(profession.value.as_str()) {
            out.push(source.at(
                profession,
                format!("profession `{}` is listed twice", profession.value),
            ));
        }
    }
    for coordinator in &team.coordinators {
        if let Some(hours) = &coordinator.hours_per_week
            && (!hours.value.is_finite() || hours.value < 0.0 || hours.value > 80.0)
        {
            out.push(source.at(
                hours,
                format!(
                    "`hours_per_week` must be between 0 and 80, found {}",
                    hours.value
                ),
            ));
        }
    }
    if let Some(website) = &team.website {
        check_web_address(source, website, out);
    }
}

/// Only `http(s)` addresses may be published as links: `javascript:` or
/// `data:` would run code in visitors' browsers.
pub(super) fn check_web_address(source: &Source, url: &Spanned<String>, out: &mut Diagnostics) {
    let text = url.value.trim();
    let lower = text.to_ascii_lowercase();
    let valid = (lower.starts_with("https://") || lower.starts_with("http://"))
        && text.len() > "https://".len()
        && !text
            .chars()
            .any(|c| c.is_whitespace() || c == '"' || c == '<' || c == '>');
    if !valid {
        out.push(source.at(
            url,
            format!("`{text}` is not a web address: it must start with `https://`"),
        ));
    }
}

fn check_unique_ids<'a>(
    source: &Source,
    what: &str,
    ids: impl Iterator<Item = &'a Spanned<String>>,
    out: &mut Diagnostics,
) {
    let mut seen: HashMap<&str, u64> = HashMap::new();
    for id in ids {
        if !is_valid_slug(&id.value) {
            out.push(source.at(
                id,
                format!(
                    "`{}` is not a valid {what} id: use lowercase letters, digits and hyphens",
                    id.value
                ),
            ));
        }
        if let Some(first_line) = seen.insert(&id.value, id.referenced.line()) {
            out.push(source.at(
                id,
                format!(
                    "duplicate {what} id `{}` (first defined on line {first_line})",
                    id.value
                ),
            ));
        }
    }
}

fn team_ids(data: &Data) -> Vec<&str> {
    data.teams.iter().map(|t| t.id.as_str()).collect()
}

pub(super) fn check_team_ref(
    data: &Data,
    source: &Source,
    id: &Spanned<String>,
    out: &mut Diagnostics,
) {
    if data
        .teams
        .binary_search_by(|t| t.id.as_str().cmp(&id.value))
        .is_err()
    {
        out.push(source.at(id, unknown_id_message("team", &id.value, team_ids(data))));
    }
}

pub(super) fn check_people_and_groups(data: &Data, out: &mut Diagnostics) {
    let people_source = &data.people_source;
    check_unique_ids(
        people_source,
        "person",
        data.people.iter().map(|p| &p.id),
        out,
    );
    for person in &data.people {
        if let Some(team) = &person.team {
            check_team_ref(data, people_source, team, out);
        }
        if let Some(email) = &person.email {
            let text = &email.value;
            let valid = text.split_once('@').is_some_and(|(user, domain)| {
                !user.is_empty() && domain.contains('.') && !text.contains(char::is_whitespace)
            });
            if !valid {
                out.push(people_source.at(email, format!("`{text}` is not an e-mail address")));
            }
        }
    }
    let person_ids: Vec<&str> = data.people.iter().map(|p| p.id.value.as_str()).collect();
    let groups_source = &data.groups_source;
    check_unique_ids(
        groups_source,
        "group",
        data.groups.iter().map(|g| &g.id),
        out,
    );
    for group in &data.groups {
        check_department(data, groups_source, &group.department, out);
        for referent in &group.referents {
            if !person_ids.contains(&referent.value.as_str()) {
                out.push(groups_source.at(
                    referent,
                    unknown_id_message("person", &referent.value, person_ids.iter().copied()),
                ));
            }
        }
        for team in &group.teams {
            check_team_ref(data, groups_source, team, out);
        }
    }
}

pub(super) fn check_actions(data: &Data, out: &mut Diagnostics) {
    let source = &data.actions_source;
    let group_ids: Vec<&str> = data.groups.iter().map(|g| g.id.value.as_str()).collect();
    for action in &data.actions {
        check_term(source, &data.action_kinds, "action kind", &action.kind, out);
        check_not_negative(
            source,
            "the number of participants",
            &action.participants,
            out,
        );
        check_at_most(
            source,
            "a number of participants",
            &action.participants,
            100_000,
            out,
        );
        if let Some(teams) = &action.teams {
            check_not_negative(source, "the number of teams", teams, out);
            check_at_most(source, "a number of teams", teams, 10_000, out);
        }
        if let Some(department) = &action.department {
            check_department(data, source, department, out);
        }
        match &action.group {
            Some(group) if !group_ids.contains(&group.value.as_str()) => {
                out.push(source.at(
                    group,
                    unknown_id_message("group", &group.value, group_ids.iter().copied()),
                ));
            }
            None if action.kind.value == "groupe-local" => {
                out.push(source.at(
                    &action.kind,
                    "a local-group meeting needs `group:`, the id of its group in data/groups.yaml",
                ));
            }
            _ => {}
        }
    }
}

pub(super) fn check_charts(data: &Data, out: &mut Diagnostics) {
    for file in &data.charts {
        if file.chart.series.is_empty() {
            out.push(Diagnostic::whole_file(
                file.source.path.clone(),
                "the chart has no series",
            ));
        }
        for series in &file.chart.series {
            for (_, value) in &series.values.0 {
                if !value.value.is_finite() {
                    out.push(file.source.at(value, "a chart value must be a number"));
                } else if value.value < 0.0 && file.chart.kind == crate::data::ChartKind::Donut {
                    out.push(
                        file.source
                            .at(value, "a donut chart cannot show a negative value"),
                    );
                }
            }
        }
    }
}
