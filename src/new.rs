//! `msp-site new tool|news|team|offer "Title"`: a new file with every field
//! an editor has to fill in, valid as written.

use std::path::{Path, PathBuf};

use crate::content::load::slugify;
use crate::data::{Data, Date, load_data};
use crate::diagnostics::{Diagnostic, Error, Result};

/// The kinds of file `new` can write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    Tool,
    News,
    Team,
    Offer,
}

/// A YAML double-quoted string: safe whatever the title holds.
fn quoted(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' | '\r' | '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn id_list(ids: impl Iterator<Item = String>) -> String {
    ids.collect::<Vec<_>>().join(", ")
}

fn add_days(date: Date, days: i64) -> Date {
    let epoch_days = days_from_civil(date);
    Date::from_days_since_epoch(epoch_days + days)
}

fn days_from_civil(date: Date) -> i64 {
    let year = i64::from(date.year) - i64::from(date.month <= 2);
    let era = year.div_euclid(400);
    let yoe = year.rem_euclid(400);
    let month = i64::from(date.month);
    let doy =
        (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(date.day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn tool_file(data: &Data, title: &str, today: Date) -> String {
    let first_type = data.tool_types.ids().next().unwrap_or("guide");
    let first_theme = data.themes.ids().next().unwrap_or("coordination");
    format!(
        "---\ntitle: {title}\n# type: one of {types}\ntype: {first_type}\n# themes: one or more of {themes}\nthemes: [{first_theme}]\nkeywords: []\ndate: {today}\nsummary: {summary}\n# attachments: files next to this one, e.g.\n#   - {{ file: mon-document.pdf, label: \"Document (PDF)\" }}\nattachments: []\ndraft: false\n---\n\nPrésentez l'outil ici : à quoi il sert, pour qui, comment l'utiliser.\n",
        title = quoted(title),
        types = id_list(data.tool_types.ids().map(String::from)),
        themes = id_list(data.themes.ids().map(String::from)),
        summary = quoted("Une phrase qui dit à quoi sert l'outil."),
    )
}

fn news_file(title: &str, today: Date) -> String {
    format!(
        "---\ntitle: {}\ndate: {today}\nsummary: {}\ndraft: false\n---\n\nLe texte de l'actualité.\n",
        quoted(title),
        quoted("Une phrase qui résume l'actualité.")
    )
}

fn offer_file(data: &Data, title: &str, today: Date) -> String {
    let team = data.teams.first().map_or("mon-equipe", |t| t.id.as_str());
    format!(
        "---\ntitle: {}\n# team: the id of the team that recruits (a file name in data/teams/)\nteam: {team}\nposition: {}\ndate: {today}\n# expires: the offer is no longer published after this day\nexpires: {}\nsummary: {}\ndraft: false\n---\n\nLe poste, le profil recherché, les conditions, comment candidater.\n",
        quoted(title),
        quoted("Coordinateur ou coordinatrice"),
        add_days(today, 60),
        quoted("Une phrase qui résume l'offre.")
    )
}

fn team_file(data: &Data, title: &str, today: Date) -> String {
    let department = data
        .site
        .region
        .departments
        .first()
        .map_or("44".to_string(), |d| d.code.value.clone());
    let profession = data
        .professions
        .ids()
        .next()
        .unwrap_or("medecin-generaliste");
    format!(
        "name: {name}\n# status: constituee (constituted MSP) or projet (MSP in project)\nstatus: projet\ncity: {city}\n# department: one of {departments}\ndepartment: \"{department}\"\n# coordinates: [latitude, longitude] of the main site, for the map\n# coordinates: [47.2184, -1.5536]\nfounded: {year}\nsites: 1\naci: false\ncpts: false\nsignatories: 0\npatients: 0\n# professions: headcount per profession id, among {professions}\nprofessions:\n  {profession}: 1\ncoordinators: []\nactions:\n  interns: false\n  prevention: []\n  etp: []\n  protocols: []\n  user_involvement: false\nupdated: {today}\n",
        name = quoted(title),
        city = quoted("À compléter"),
        departments = id_list(
            data.site
                .region
                .departments
                .iter()
                .map(|d| d.code.value.clone())
        ),
        year = data.site.year.value,
        professions = id_list(data.professions.ids().map(String::from)),
    )
}

/// Writes the new file and returns its path; never overwrites a file.
pub fn create(root: &Path, kind: Kind, title: &str, today: Date) -> Result<PathBuf> {
    let slug = slugify(title);
    if slug.is_empty() {
        return Err(Error::Usage(format!(
            "the title `{title}` has no letter or digit to make a file name of"
        )));
    }
    let data = load_data(root)?;
    let (path, text) = match kind {
        Kind::Tool => (
            root.join("content/outils").join(format!("{slug}.md")),
            tool_file(&data, title, today),
        ),
        Kind::News => (
            root.join("content/actualites").join(format!("{slug}.md")),
            news_file(title, today),
        ),
        Kind::Offer => (
            root.join("content/offres").join(format!("{slug}.md")),
            offer_file(&data, title, today),
        ),
        Kind::Team => (
            root.join("data/teams").join(format!("{slug}.yaml")),
            team_file(&data, title, today),
        ),
    };
    if path.exists() {
        return Err(Error::Site(
            Diagnostic::whole_file(
                crate::diagnostics::display_path(root, &path),
                "this file exists already: choose another title, or edit it",
            )
            .into(),
        ));
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| Error::io("cannot create folder", parent, e))?;
    }
    std::fs::write(&path, text).map_err(|e| Error::io("cannot write", &path, e))?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds_days_across_months_and_years() {
        let date = Date::parse("2023-12-15").unwrap();
        assert_eq!(add_days(date, 60).to_string(), "2024-02-13");
        assert_eq!(
            add_days(Date::parse("2024-02-28").unwrap(), 1).to_string(),
            "2024-02-29"
        );
    }

    #[test]
    fn quotes_titles_safely() {
        assert_eq!(quoted("L'outil « \"RCP\" »"), "\"L'outil « \\\"RCP\\\" »\"");
    }
}
