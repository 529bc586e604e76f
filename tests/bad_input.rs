//! One test per kind of bad input: the exact `path:line:column: message`,
//! and the guarantee that the previously published output is untouched.

mod common;

use std::path::Path;

use common::{build, build_errors, digest, edit, fixture, write};

/// Builds the fixture once, breaks it with `breakage`, builds again: returns
/// the errors, after checking that `output/` did not change.
fn errors_after(breakage: impl FnOnce(&Path)) -> Vec<String> {
    let site = fixture("minimal");
    build(site.path()).expect("the fixture builds");
    let before = digest(&site.path().join("output"));
    breakage(site.path());
    let errors = build_errors(site.path());
    assert_eq!(
        before,
        digest(&site.path().join("output")),
        "output/ was changed by a failed build"
    );
    let leftovers: Vec<_> = std::fs::read_dir(site.path())
        .expect("readable")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        // The manifest of the published files stays; nothing else may.
        .filter(|name| name.starts_with(".output") && name != ".output.manifest")
        .collect();
    assert!(
        leftovers.is_empty(),
        "staging folders left behind: {leftovers:?}"
    );
    errors
}

fn assert_errors(breakage: impl FnOnce(&Path), expected: &[&str]) {
    assert_eq!(errors_after(breakage), expected);
}

#[test]
fn yaml_syntax_error() {
    assert_errors(
        |root| {
            edit(
                root,
                "data/teams/msp-alpha.yaml",
                "name: MSP Alpha",
                "name: \"MSP Alpha",
            )
        },
        &[
            "data/teams/msp-alpha.yaml:4:14: invalid trailing content after double-quoted scalar: is a quote left open on an earlier line?",
        ],
    );
}

#[test]
fn unknown_field_suggests_the_known_one() {
    assert_errors(
        |root| edit(root, "data/teams/msp-alpha.yaml", "founded:", "fonded:"),
        &[
            "data/teams/msp-alpha.yaml:6:1: unknown field `fonded`, did you mean `founded`? (expected one of `name`, `status`, `city`, `department`, `coordinates`, `founded`, `sites`, `aci`, `cpts`, `signatories`, `patients`, `professions`, `coordinators`, `actions`, `website`, `updated`, `private`)",
        ],
    );
}

#[test]
fn wrong_type() {
    assert_errors(
        |root| edit(root, "data/teams/msp-alpha.yaml", "sites: 1", "sites: deux"),
        &["data/teams/msp-alpha.yaml:7:8: expected a whole number"],
    );
}

#[test]
fn unknown_profession_suggests_the_nearest() {
    assert_errors(
        |root| {
            edit(
                root,
                "data/teams/msp-alpha.yaml",
                "  infirmier: 6",
                "  infirmiere: 6",
            )
        },
        &[
            "data/teams/msp-alpha.yaml:14:3: unknown profession `infirmiere`, did you mean `infirmier`?",
        ],
    );
}

#[test]
fn unknown_department() {
    assert_errors(
        |root| {
            edit(
                root,
                "data/teams/msp-alpha.yaml",
                "department: \"44\"",
                "department: \"45\"",
            )
        },
        &["data/teams/msp-alpha.yaml:4:13: unknown department `45`, did you mean `44`?"],
    );
}

#[test]
fn coordinates_out_of_range() {
    assert_errors(
        |root| {
            edit(
                root,
                "data/teams/msp-alpha.yaml",
                "[47.2735, -2.2138]",
                "[-2.2138, 247.2735]",
            )
        },
        &[
            "data/teams/msp-alpha.yaml:5:14: coordinates [-2.2138, 247.2735] are out of range: write [latitude, longitude], latitude from -90 to 90, longitude from -180 to 180",
        ],
    );
}

#[test]
fn founded_after_the_year() {
    assert_errors(
        |root| {
            edit(
                root,
                "data/teams/msp-alpha.yaml",
                "founded: 2013",
                "founded: 2031",
            )
        },
        &[
            "data/teams/msp-alpha.yaml:6:10: `founded` (2031) is after the year the figures describe (2023, in data/site.yaml)",
        ],
    );
}

#[test]
fn negative_count() {
    assert_errors(
        |root| {
            edit(
                root,
                "data/teams/msp-alpha.yaml",
                "patients: 10000",
                "patients: -10000",
            )
        },
        &[
            "data/teams/msp-alpha.yaml:11:11: the file active (patients) cannot be negative (-10000)",
        ],
    );
}

#[test]
fn invalid_date() {
    assert_errors(
        |root| {
            edit(
                root,
                "data/teams/msp-alpha.yaml",
                "updated: 2023-06-30",
                "updated: 2023-06-31",
            )
        },
        &[
            "data/teams/msp-alpha.yaml:26:10: invalid date `2023-06-31`, expected a real day written YYYY-MM-DD, such as 2023-09-21",
        ],
    );
}

#[test]
fn group_with_unknown_team_and_person() {
    assert_errors(
        |root| {
            edit(
                root,
                "data/groups.yaml",
                "teams: [msp-alpha, msp-gamma]",
                "teams: [msp-alpha, msp-gama]",
            );
            edit(
                root,
                "data/groups.yaml",
                "referents: [anne-martin]",
                "referents: [anne-marin]",
            );
        },
        &[
            "data/groups.yaml:4:15: unknown person `anne-marin`, did you mean `anne-martin`?",
            "data/groups.yaml:5:22: unknown team `msp-gama`, did you mean `msp-gamma`?",
        ],
    );
}

#[test]
fn duplicate_ids() {
    assert_errors(
        |root| {
            let people = std::fs::read_to_string(root.join("data/people.yaml")).expect("readable");
            write(
                root,
                "data/people.yaml",
                &people.replace("id: paul-durand", "id: anne-martin"),
            );
        },
        &["data/people.yaml:7:7: duplicate person id `anne-martin` (first defined on line 1)"],
    );
}

#[test]
fn duplicate_key() {
    assert_errors(
        |root| {
            edit(
                root,
                "data/teams/msp-alpha.yaml",
                "sites: 1\n",
                "sites: 1\nsites: 2\n",
            )
        },
        &["data/teams/msp-alpha.yaml:8:1: duplicate key `sites`: each key may appear only once"],
    );
}

#[test]
fn action_with_unknown_kind_and_group() {
    assert_errors(
        |root| {
            edit(
                root,
                "data/actions.yaml",
                "kind: reunion-thematique",
                "kind: reunion-thematik",
            );
            edit(
                root,
                "data/actions.yaml",
                "group: 44-loire",
                "group: 44-loir",
            );
        },
        &[
            "data/actions.yaml:2:9: unknown action kind `reunion-thematik`, did you mean `reunion-thematique`?",
            "data/actions.yaml:13:10: unknown group `44-loir`, did you mean `44-loire`?",
        ],
    );
}

#[test]
fn offer_for_an_unknown_team() {
    assert_errors(
        |root| {
            edit(
                root,
                "content/offres/coordinateur-alpha.md",
                "team: msp-alpha",
                "team: msp-alfa",
            )
        },
        &[
            "content/offres/coordinateur-alpha.md:3:7: unknown team `msp-alfa`, did you mean `msp-alpha`?",
        ],
    );
}

#[test]
fn tool_with_unknown_theme_and_type() {
    assert_errors(
        |root| {
            edit(
                root,
                "content/outils/guide-rcp.md",
                "type: guide",
                "type: guid",
            );
            edit(
                root,
                "content/outils/guide-rcp.md",
                "themes: [coordination, protocoles]",
                "themes: [coordination, protocole]",
            );
        },
        &[
            "content/outils/guide-rcp.md:3:7: unknown tool type `guid`, did you mean `guide`?",
            "content/outils/guide-rcp.md:4:24: unknown theme `protocole`, did you mean `protocoles`?",
        ],
    );
}

#[test]
fn missing_attachment() {
    assert_errors(
        |root| std::fs::remove_file(root.join("content/outils/guide-rcp.pdf")).expect("removed"),
        &[
            "content/outils/guide-rcp.md:9:13: attachment `guide-rcp.pdf` does not exist: put it next to the Markdown file",
        ],
    );
}

/// An attachment named like the tool's own page or social card would
/// overwrite it.
#[test]
fn attachment_named_like_the_tools_own_files() {
    assert_errors(
        |root| {
            std::fs::copy(
                root.join("content/outils/guide-rcp.pdf"),
                root.join("content/outils/social.png"),
            )
            .expect("copied");
            edit(
                root,
                "content/outils/guide-rcp.md",
                "file: guide-rcp.pdf",
                "file: social.png",
            )
        },
        &[
            "content/outils/guide-rcp.md:9:13: attachment `social.png` would be published as `social.png`, a file the tool's page already has: rename it",
        ],
    );
}

#[test]
fn attachment_outside_content() {
    assert_errors(
        |root| {
            edit(
                root,
                "content/outils/guide-rcp.md",
                "file: guide-rcp.pdf",
                "file: ../../data/site.yaml",
            )
        },
        &[
            "content/outils/guide-rcp.md:9:13: attachment `../../data/site.yaml` is outside content/: only files inside content/ are published",
        ],
    );
}

#[test]
fn attachment_with_an_absolute_path() {
    assert_errors(
        |root| {
            edit(
                root,
                "content/outils/guide-rcp.md",
                "file: guide-rcp.pdf",
                "file: /etc/passwd",
            )
        },
        &[
            "content/outils/guide-rcp.md:9:13: attachment `/etc/passwd` must be a path relative to the Markdown file, like `livret.pdf`",
        ],
    );
}

#[cfg(unix)]
#[test]
fn attachment_through_a_symlink_out_of_content() {
    assert_errors(
        |root| {
            std::fs::remove_file(root.join("content/outils/guide-rcp.pdf")).expect("removed");
            std::os::unix::fs::symlink(
                root.join("data/site.yaml"),
                root.join("content/outils/guide-rcp.pdf"),
            )
            .expect("symlink");
        },
        &[
            "content/outils/guide-rcp.md:9:13: attachment `guide-rcp.pdf` is outside content/: only files inside content/ are published",
        ],
    );
}

#[test]
fn missing_front_matter() {
    assert_errors(
        |root| {
            write(
                root,
                "content/actualites/sans-entete.md",
                "# Une actualité\n\nSans en-tête.\n",
            )
        },
        &[
            "content/actualites/sans-entete.md:1:1: missing front matter: the file must start with a line `---`, then fields such as `title: …`, then a line `---`",
        ],
    );
}

#[test]
fn unclosed_front_matter() {
    assert_errors(
        |root| {
            write(
                root,
                "content/actualites/ouverte.md",
                "---\ntitle: Ouverte\ndate: 2023-01-02\n\nLe texte.\n",
            )
        },
        &[
            "content/actualites/ouverte.md:1:1: the front matter is not closed: add a line `---` after its last field",
        ],
    );
}

#[test]
fn unknown_chart_in_a_shortcode() {
    assert_errors(
        |root| {
            edit(
                root,
                "content/enquete.md",
                "chart(name=\"statut\")",
                "chart(name=\"statuts\")",
            )
        },
        &[
            "content/enquete.md:7:1: unknown chart `statuts`, did you mean `statut`? (charts are files in data/charts/)",
        ],
    );
}

#[test]
fn template_syntax_error() {
    assert_errors(
        |root| {
            edit(
                root,
                "themes/default/templates/team.html",
                "{{ team.name | typo }}",
                "{{ team.name | typo }",
            )
        },
        &["themes/default/templates/team.html:8:29: Found `}` but expected }}."],
    );
}

#[test]
fn non_utf8_file() {
    assert_errors(
        |root| {
            std::fs::write(
                root.join("data/teams/msp-alpha.yaml"),
                b"name: MSP \xe9t\xe9\n",
            )
            .expect("written")
        },
        &[
            "data/teams/msp-alpha.yaml:1:11: the file is not valid UTF-8 text: save it as UTF-8 in your editor",
        ],
    );
}

#[test]
fn file_name_that_is_not_a_slug() {
    assert_errors(
        |root| {
            std::fs::rename(
                root.join("content/outils/modele-convention.md"),
                root.join("content/outils/Modèle Convention.md"),
            )
            .expect("renamed")
        },
        &[
            "content/outils/Modèle Convention.md:1:1: the file name `Modèle Convention` cannot be a web address: use lowercase letters, digits and hyphens, e.g. `modele-convention.md`",
        ],
    );
}

#[test]
fn every_error_of_a_run_is_reported() {
    // Files that cannot be read are all reported, and nothing else: their
    // cross-references cannot be checked.
    let errors = errors_after(|root| {
        edit(
            root,
            "data/teams/msp-gamma.yaml",
            "name: Pôle",
            "name: \"Pôle",
        );
        edit(
            root,
            "content/outils/guide-rcp.md",
            "date: 2023-05-12",
            "date: 12/05/2023",
        );
        edit(
            root,
            "data/teams/msp-beta.yaml",
            "sage-femme: 1",
            "sage-femmes: 1",
        );
    });
    assert_eq!(
        errors,
        [
            "content/outils/guide-rcp.md:6:7: invalid date `12/05/2023`, expected a real day written YYYY-MM-DD, such as 2023-09-21",
            "data/teams/msp-gamma.yaml:4:14: invalid trailing content after double-quoted scalar: is a quote left open on an earlier line?",
        ]
    );
    // Once every file reads, every cross-reference problem is reported.
    let errors = errors_after(|root| {
        edit(
            root,
            "data/teams/msp-beta.yaml",
            "sage-femme: 1",
            "sage-femmes: 1",
        );
        edit(
            root,
            "data/teams/msp-gamma.yaml",
            "department: \"44\"",
            "department: \"4\"",
        );
        edit(
            root,
            "content/outils/guide-rcp.md",
            "type: guide",
            "type: guid",
        );
    });
    assert_eq!(
        errors,
        [
            "content/outils/guide-rcp.md:3:7: unknown tool type `guid`, did you mean `guide`?",
            "data/teams/msp-beta.yaml:17:3: unknown profession `sage-femmes`, did you mean `sage-femme`?",
            "data/teams/msp-gamma.yaml:4:13: unknown department `4`, did you mean `44`?",
        ]
    );
}

#[test]
fn windows_line_endings_and_a_bom_are_accepted() {
    let site = fixture("minimal");
    let path = site.path().join("data/teams/msp-alpha.yaml");
    let text = std::fs::read_to_string(&path).expect("readable");
    std::fs::write(&path, format!("\u{feff}{}", text.replace('\n', "\r\n"))).expect("written");
    let note = site.path().join("content/actualites/journee-regionale.md");
    let text = std::fs::read_to_string(&note).expect("readable");
    std::fs::write(&note, text.replace('\n', "\r\n")).expect("written");
    build(site.path()).expect("CRLF and BOM are fine");
    assert!(common::read(site.path(), "equipes/msp-alpha/index.html").contains("Saint-Nazaire"));
}

#[test]
fn a_vocabulary_colour_too_pale_for_a_chart() {
    assert_errors(
        |root| {
            edit(
                root,
                "data/professions.yaml",
                "color: \"#b34a00\"",
                "color: \"#f8c080\"",
            )
        },
        &[
            "data/professions.yaml:2:65: colour `#f8c080` has a contrast of 1.6:1 on white; charts need at least 3:1: choose a darker shade",
        ],
    );
}

#[test]
fn stats_naming_unknown_tools_or_negative_views() {
    assert_errors(
        |root| {
            write(
                root,
                "data/stats.yaml",
                "- { tool: guide-rcp, views: 10 }\n- { tool: guide-rpc, views: 5 }\n- { tool: guide-rcp, views: -3 }\n",
            )
        },
        &[
            "data/stats.yaml:2:11: unknown tool `guide-rpc`, did you mean `guide-rcp`? (tools are the files of content/outils/)",
            "data/stats.yaml:3:11: tool `guide-rcp` is already counted on line 1",
            "data/stats.yaml:3:29: `views` cannot be negative (found -3)",
        ],
    );
}

#[test]
fn tab_indentation_in_a_data_file() {
    assert_errors(
        |root| {
            edit(
                root,
                "data/teams/msp-alpha.yaml",
                "status: constituee",
                "\tstatus: constituee",
            )
        },
        &["data/teams/msp-alpha.yaml:2:1: a tab indents this line: YAML indents with spaces only"],
    );
}

#[test]
fn tab_indentation_in_a_front_matter() {
    assert_errors(
        |root| {
            edit(
                root,
                "content/a-propos.md",
                "summary: La",
                "  \tsummary: La",
            )
        },
        &["content/a-propos.md:3:3: a tab indents this line: YAML indents with spaces only"],
    );
}

#[test]
fn empty_data_file() {
    assert_errors(
        |root| write(root, "data/teams/msp-alpha.yaml", ""),
        &["data/teams/msp-alpha.yaml:1:1: the file is empty"],
    );
}

#[test]
fn empty_markdown_file() {
    assert_errors(
        |root| write(root, "content/a-propos.md", "\n"),
        &[
            "content/a-propos.md:1:1: missing front matter: the file must start with a line `---`, then fields such as `title: …`, then a line `---`",
        ],
    );
}

#[test]
fn huge_file() {
    assert_errors(
        |root| write(root, "data/people.yaml", &"#".repeat(17_000_000)),
        &[
            "data/people.yaml:1:1: the file weighs 17 MB, more than the 16 MB such a file may: is it the right file?",
        ],
    );
}

#[test]
fn aliases_that_multiply_a_file() {
    let mut bomb = String::from("private:\n  a0: &a0 \"lol\"\n");
    for level in 1..10 {
        let items = vec![format!("*a{}", level - 1); 10].join(", ");
        bomb.push_str(&format!("  a{level}: &a{level} [{items}]\n"));
    }
    assert_errors(
        |root| {
            let path = root.join("data/teams/msp-alpha.yaml");
            let text = std::fs::read_to_string(&path).expect("readable");
            std::fs::write(path, text + &bomb).expect("write");
        },
        &[
            "data/teams/msp-alpha.yaml:34:17: this YAML holds more than 250000 values: write the values out plainly, without `&anchors` and `*aliases` that repeat them",
        ],
    );
}

#[test]
fn lists_nested_thousands_deep() {
    assert_errors(
        |root| {
            let deep = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
            edit(root, "data/people.yaml", "\"06 99 88 77 66\"", &deep);
        },
        &[
            "data/people.yaml:12:276: lists and mappings are nested too deeply here: is a bracket left open?",
        ],
    );
}

#[test]
fn number_too_large() {
    assert_errors(
        |root| {
            edit(
                root,
                "data/teams/msp-alpha.yaml",
                "patients: 10000",
                "patients: 99999999999999999999",
            )
        },
        &["data/teams/msp-alpha.yaml:11:11: expected a whole number"],
    );
}

#[test]
fn absurd_numbers() {
    assert_errors(
        |root| {
            let team = "data/teams/msp-alpha.yaml";
            edit(root, team, "patients: 10000", "patients: 5000000000");
            edit(root, team, "sites: 1", "sites: 0");
            edit(root, team, "infirmier: 6", "infirmier: 100000");
            edit(root, team, "hours_per_week: 10 }", "hours_per_week: 100 }");
        },
        &[
            "data/teams/msp-alpha.yaml:7:8: a team has at least one site (1 = mono-site), found 0",
            "data/teams/msp-alpha.yaml:11:11: a file active of 5000000000 is not plausible (more than 1000000)",
            "data/teams/msp-alpha.yaml:14:14: a headcount of 100000 is not plausible (more than 1000)",
            "data/teams/msp-alpha.yaml:17:67: `hours_per_week` must be between 0 and 80, found 100",
        ],
    );
}

#[test]
fn script_and_data_addresses_in_data_links() {
    assert_errors(
        |root| {
            edit(
                root,
                "data/teams/msp-alpha.yaml",
                "website: https://www.msp-alpha.example.org",
                "website: \"JavaScript:alert(document.cookie)\"",
            );
            edit(
                root,
                "data/teams/msp-beta.yaml",
                "updated:",
                "website: \"data:text/html,<script>alert(1)</script>\"\nupdated:",
            );
            edit(
                root,
                "data/site.yaml",
                "base_url: https://msp.example.org",
                "base_url: javascript:alert(1)",
            );
        },
        &[
            "data/site.yaml:3:11: `javascript:alert(1)` is not a web address: write it like `https://www.example.org`",
            "data/teams/msp-alpha.yaml:25:10: `JavaScript:alert(document.cookie)` is not a web address: it must start with `https://`",
            "data/teams/msp-beta.yaml:23:10: `data:text/html,<script>alert(1)</script>` is not a web address: it must start with `https://`",
        ],
    );
}

#[test]
fn script_and_data_addresses_in_markdown_links() {
    assert_errors(
        |root| {
            edit(
                root,
                "content/a-propos.md",
                "Notre équipe :",
                "Notre [équipe](javascript:alert(1)), <JAVASCRIPT:x> et ![logo](data:image/svg+xml,<svg/>) :",
            )
        },
        &[
            "content/a-propos.md:7:7: the link `javascript:alert(1)` would run code in visitors' browsers: link to a web address (https://…) or to a page of the site",
            "content/a-propos.md:7:38: the link `JAVASCRIPT:x` would run code in visitors' browsers: link to a web address (https://…) or to a page of the site",
            "content/a-propos.md:7:56: the image `data:image/svg+xml,<svg/>` hides a whole document in its address: put the file next to this page and link to it",
        ],
    );
}

#[test]
fn missing_variable_in_a_template() {
    assert_errors(
        |root| {
            edit(
                root,
                "themes/default/templates/base.html",
                "{{ page.title | typo }} ·",
                "{{ page.titel }} ·",
            )
        },
        &[
            "themes/default/templates/base.html:6:34: Field `titel` is not defined. Available fields: description, image, path, permalink, section, title",
        ],
    );
}

#[test]
fn unknown_ids_in_people_groups_and_actions() {
    assert_errors(
        |root| {
            edit(
                root,
                "data/people.yaml",
                "  team: msp-beta",
                "  team: msp-betaa",
            );
            edit(
                root,
                "data/groups.yaml",
                "department: \"44\"",
                "department: \"4\"",
            );
            edit(
                root,
                "data/actions.yaml",
                "  department: \"44\"",
                "  department: \"99\"",
            );
        },
        &[
            "data/actions.yaml:6:15: unknown department `99`, did you mean `49`?",
            "data/groups.yaml:3:15: unknown department `4`, did you mean `44`?",
            "data/people.yaml:11:9: unknown team `msp-betaa`, did you mean `msp-beta`?",
        ],
    );
}

#[test]
fn front_matter_with_a_wrong_date_and_an_unknown_field() {
    assert_errors(
        |root| {
            let tool = "content/outils/guide-rcp.md";
            edit(root, tool, "date: 2023-05-12", "date: hier");
            edit(root, tool, "summary: Un guide", "sumary: Un guide");
        },
        &[
            "content/outils/guide-rcp.md:6:7: invalid date `hier`, expected a real day written YYYY-MM-DD, such as 2023-09-21",
        ],
    );
}

#[test]
fn unknown_field_in_a_front_matter() {
    assert_errors(
        |root| {
            edit(
                root,
                "content/outils/guide-rcp.md",
                "summary: Un guide",
                "sumary: Un guide",
            )
        },
        &[
            "content/outils/guide-rcp.md:7:1: unknown field `sumary`, did you mean `summary`? (expected one of `title`, `type`, `themes`, `keywords`, `date`, `summary`, `attachments`, `draft`)",
        ],
    );
}

#[test]
fn malformed_shortcode() {
    assert_errors(
        |root| {
            edit(
                root,
                "content/enquete.md",
                "{{ chart(name=\"statut\") }}",
                "{{ chart(name=\"statut\" }}",
            )
        },
        &["content/enquete.md:7:1: malformed shortcode `{{ chart(name=\"statut\" }}`: missing `)`"],
    );
}

#[test]
fn unknown_kind_of_people_in_a_shortcode() {
    assert_errors(
        |root| {
            edit(
                root,
                "content/a-propos.md",
                "people(kind=\"staff\")",
                "people(kind=\"stafff\")",
            )
        },
        &["content/a-propos.md:9:1: unknown kind of people `stafff`, did you mean `staff`?"],
    );
}

#[test]
fn chart_without_series() {
    assert_errors(
        |root| {
            write(
                root,
                "data/charts/vide.yaml",
                "title: Vide\nkind: bar\nseries: []\n",
            )
        },
        &["data/charts/vide.yaml:1:1: the chart has no series"],
    );
}
