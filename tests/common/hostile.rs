//! Hostile text for the tests that prove it inert (`tests/hostile_text.rs`
//! on the files, `tests/browser.rs` in Chromium).

use std::path::Path;

use super::edit;

/// The hostile text put in field number `n`: each piece would run code or
/// break out of its context if it were copied as it is. `n` tells, on a
/// failure, which field leaked.
pub fn payload(n: usize) -> String {
    format!(
        "Champ{n} <script>window.__pwned='{n}'</script><img src=x onerror=\"window.__pwned='{n}'\" data-pwned> \
         '\"onerror=\"window.__pwned='{n}'\" </textarea></title><svg onload=\"window.__pwned='{n}'\"> \
         javascript:window.__pwned='{n}' ]]> {{{{ n }}}}"
    )
}

/// A YAML scalar holding `text` exactly (a JSON string is a YAML
/// double-quoted scalar).
fn quoted(text: &str) -> String {
    serde_json::to_string(text).expect("a string")
}

/// The fields of the minimal fixture that hold free text, each replaced by a
/// payload: (file, `key: value` line to replace).
const FIELDS: &[(&str, &str)] = &[
    ("data/site.yaml", "title: Fédération test"),
    ("data/site.yaml", "tagline: Exercice coordonné"),
    ("data/site.yaml", "name: Région test"),
    (
        "data/site.yaml",
        "address: \"1 rue de la Santé, 44000 Nantes\"",
    ),
    ("data/site.yaml", "label: pages vues"),
    ("data/site.yaml", "section: Information"),
    ("data/teams/msp-alpha.yaml", "name: MSP Alpha"),
    ("data/teams/msp-alpha.yaml", "city: Saint-Nazaire"),
    ("data/teams/msp-alpha.yaml", "prevention: [Octobre rose]"),
    (
        "data/teams/msp-alpha.yaml",
        "protocols: [Anticoagulants oraux]",
    ),
    ("data/teams/msp-beta.yaml", "etp: [Diabète de type 2]"),
    ("data/groups.yaml", "name: Groupe local Loire"),
    ("data/people.yaml", "name: Anne Martin"),
    ("data/people.yaml", "role: Chargée de mission coordination"),
    ("data/people.yaml", "role: Président"),
    (
        "data/actions.yaml",
        "title: \"Réunion d'information « Le salariat en SISA »\"",
    ),
    ("data/actions.yaml", "partners: [Houdart & Associés]"),
    ("data/charts/statut.yaml", "title: Statut des coordinateurs"),
    ("data/charts/statut.yaml", "label: Salarié"),
    (
        "content/outils/guide-rcp.md",
        "title: Organiser une RCP « cas complexes »",
    ),
    (
        "content/outils/guide-rcp.md",
        "summary: Un guide pour préparer et animer une réunion de concertation.",
    ),
    (
        "content/outils/guide-rcp.md",
        "keywords: [RCP, cas complexes]",
    ),
    ("content/outils/guide-rcp.md", "label: \"Guide (PDF)\""),
    (
        "content/actualites/journee-regionale.md",
        "title: Journée régionale 2023",
    ),
    (
        "content/actualites/journee-regionale.md",
        "summary: 203 participants à la journée régionale de l'exercice coordonné.",
    ),
    (
        "content/offres/coordinateur-alpha.md",
        "title: La MSP Alpha recrute un coordinateur",
    ),
    (
        "content/offres/coordinateur-alpha.md",
        "position: Coordinateur ou coordinatrice",
    ),
    ("content/a-propos.md", "title: À propos"),
    (
        "content/a-propos.md",
        "summary: La fédération et son équipe.",
    ),
    ("content/_index.md", "title: Bienvenue"),
];

/// Puts a payload in every field of [`FIELDS`] (lists get one item).
pub fn make_hostile(root: &Path) {
    for (n, (path, line)) in FIELDS.iter().enumerate() {
        let (key, value) = line.split_once(": ").expect("key: value");
        let text = quoted(&payload(n));
        let replacement = if value.starts_with('[') {
            format!("{key}: [{text}]")
        } else {
            format!("{key}: {text}")
        };
        edit(root, path, line, &replacement);
    }
}
