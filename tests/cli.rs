//! The command line as a user runs it: exit status, messages, `new`, `check`.

mod common;

use std::process::Command;

use common::fixture;

fn msp_site(root: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_msp-site"))
        .args(args)
        .current_dir(root)
        .env("SOURCE_DATE_EPOCH", "1700000000") // 2023-11-14
        .output()
        .expect("msp-site runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn build_prints_one_summary_line() {
    let site = fixture("minimal");
    let run = msp_site(site.path(), &["build"]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let stdout = text(&run.stdout);
    assert!(stdout.starts_with("Built 24 pages and "), "{stdout}");
    assert!(stdout.contains(" pictures ("), "{stdout}");
    assert_eq!(stdout.lines().count(), 1);
    let again = text(&msp_site(site.path(), &["build"]).stdout);
    let counts = stdout
        .strip_prefix("Built ")
        .and_then(|rest| rest.split(" files").next())
        .expect("counts");
    assert!(
        again.starts_with(&format!(
            "Nothing changed since the last build: {counts} files) in ./output are up to date ("
        )),
        "{again}"
    );
}

#[test]
fn failed_build_lists_errors_and_exits_non_zero() {
    let site = fixture("minimal");
    common::edit(
        site.path(),
        "data/teams/msp-alpha.yaml",
        "  infirmier: 6",
        "  infirmiere: 6",
    );
    let run = msp_site(site.path(), &["build"]);
    assert_eq!(run.status.code(), Some(1));
    assert_eq!(
        text(&run.stderr),
        "data/teams/msp-alpha.yaml:14:3: unknown profession `infirmiere`, did you mean `infirmier`?\n1 error\nThe build failed: ./output was left unchanged.\n"
    );
    assert!(!site.path().join("output").exists());
}

#[test]
fn check_writes_nothing() {
    let site = fixture("minimal");
    let run = msp_site(site.path(), &["check"]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    assert!(text(&run.stdout).starts_with("No problem found (24 pages"));
    let entries: Vec<String> = std::fs::read_dir(site.path())
        .expect("readable")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        !entries.iter().any(|name| name.contains("output")),
        "{entries:?}"
    );
}

#[test]
fn check_reports_errors_with_their_position() {
    let site = fixture("minimal");
    common::edit(
        site.path(),
        "content/outils/guide-rcp.md",
        "type: guide",
        "type: guid",
    );
    let run = msp_site(site.path(), &["check"]);
    assert_eq!(run.status.code(), Some(1));
    assert!(text(&run.stderr).starts_with(
        "content/outils/guide-rcp.md:3:7: unknown tool type `guid`, did you mean `guide`?\n"
    ));
}

#[test]
fn new_files_are_valid_and_published() {
    let site = fixture("minimal");
    for (kind, title, expected) in [
        (
            "tool",
            "Fiche « Accueil » d'un interne",
            "content/outils/fiche-accueil-d-un-interne.md",
        ),
        (
            "news",
            "Rencontre régionale 2024",
            "content/actualites/rencontre-regionale-2024.md",
        ),
        (
            "offer",
            "Secrétaire médical(e) à Nantes",
            "content/offres/secretaire-medical-e-a-nantes.md",
        ),
        ("team", "MSP des Écluses", "data/teams/msp-des-ecluses.yaml"),
    ] {
        let run = msp_site(site.path(), &["new", kind, title]);
        assert!(run.status.success(), "{kind}: {}", text(&run.stderr));
        assert_eq!(text(&run.stdout).trim(), format!("./{expected}"));
        assert!(site.path().join(expected).is_file());
    }
    let tool = std::fs::read_to_string(
        site.path()
            .join("content/outils/fiche-accueil-d-un-interne.md"),
    )
    .expect("written");
    assert!(tool.contains("date: 2023-11-14"), "{tool}");
    let run = msp_site(site.path(), &["build"]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    assert!(
        site.path()
            .join("output/outils/fiche-accueil-d-un-interne/index.html")
            .is_file()
    );
    assert!(
        site.path()
            .join("output/actualites/rencontre-regionale-2024/index.html")
            .is_file()
    );
    assert!(
        site.path()
            .join("output/equipes/msp-des-ecluses/index.html")
            .is_file()
    );
    let offers =
        std::fs::read_to_string(site.path().join("output/offres/index.html")).expect("written");
    assert!(offers.contains("Secrétaire médical(e) à Nantes"));
}

#[test]
fn new_never_overwrites() {
    let site = fixture("minimal");
    let run = msp_site(site.path(), &["new", "tool", "Guide RCP"]);
    assert_eq!(run.status.code(), Some(1));
    assert_eq!(
        text(&run.stderr),
        "content/outils/guide-rcp.md:1:1: this file exists already: choose another title, or edit it\n1 error\nNo file was written.\n"
    );
}

#[test]
fn check_finds_broken_links_missing_alt_texts_and_private_values() {
    let site = fixture("minimal");
    common::write(
        site.path(),
        "content/enquete-2.md",
        "---\ntitle: Page en travaux\nsummary: Des erreurs plantées.\n---\n\n\
         Voir [les équipes](/equipes/msp-omega/), [le haut](#sommaire) et \
         [la région](/region/#nulle-part).\n\n\
         <img src=\"/assets/logo.svg\">\n\n\
         Appeler Anne au 06 99 88 77 66.\n",
    );
    let run = msp_site(site.path(), &["check"]);
    assert!(!run.status.success());
    assert_eq!(
        text(&run.stderr),
        "output/enquete-2/index.html: a private value of the data is published: `06 99 88 77 66` (private: values must never appear)\n\
         output/enquete-2/index.html: broken link `#sommaire`: no `id=sommaire` in `enquete-2/index.html`\n\
         output/enquete-2/index.html: broken link `/equipes/msp-omega/`: no file `equipes/msp-omega/index.html` in the site\n\
         output/enquete-2/index.html: broken link `/region/#nulle-part`: no `id=nulle-part` in `region/index.html`\n\
         output/enquete-2/index.html: image `/assets/logo.svg` has no alt text: add one (or alt=\"\" if it is decoration)\n\
         5 problems\n\
         Nothing was written.\n"
    );
    assert!(!site.path().join("output").exists(), "check writes nothing");
}

#[test]
fn check_passes_on_the_fixture_site() {
    let site = fixture("minimal");
    let run = msp_site(site.path(), &["check"]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    assert!(text(&run.stdout).starts_with("No problem found ("));
}
