//! Rebuilds with a memo (`serve`) give exactly the files of a fresh build,
//! and redo only what depends on what changed.

mod common;

use std::path::Path;

use msp_site::Site;
use msp_site::content::load::Tools;
use msp_site::data::load::ParsedFiles;
use msp_site::render::markdown::RenderedBodies;
use msp_site::render::{FileContents, Memo, OutputFile};

fn render(root: &Path, memo: Option<&Memo>) -> Vec<OutputFile> {
    let tools = Tools::Loaded(memo.map(|m| &m.tools));
    let site = Site::load_kept(root, memo.map(|m| &m.files), tools).expect("loads");
    let mut options = common::options(root);
    options.cache = None;
    site.render_site(&options, memo, Default::default())
        .expect("renders")
        .files
}

fn rendered_pages(memo: &Memo) -> Vec<String> {
    let mut pages = memo.pages.rendered.lock().expect("list").clone();
    pages.sort();
    pages
}

/// Team and Markdown files the last load parsed (not found unchanged).
fn files_parsed(memo: &Memo) -> usize {
    let parsed = |files: &ParsedFiles| files.parsed.load(std::sync::atomic::Ordering::Relaxed);
    parsed(&memo.files) + parsed(&memo.tools)
}

/// Markdown bodies the last render made (not found unchanged).
fn bodies_rendered(bodies: &RenderedBodies) -> usize {
    bodies
        .rendered_by_last
        .load(std::sync::atomic::Ordering::Relaxed)
}

fn drawn_pictures(memo: &Memo) -> Vec<String> {
    let mut pictures = memo.pictures.drawn.lock().expect("list").clone();
    pictures.sort();
    pictures
}

fn assert_same(incremental: &[OutputFile], fresh: &[OutputFile]) {
    let paths = |files: &[OutputFile]| files.iter().map(|f| f.path.clone()).collect::<Vec<_>>();
    assert_eq!(paths(incremental), paths(fresh));
    for (a, b) in incremental.iter().zip(fresh) {
        let same = match (&a.contents, &b.contents) {
            (FileContents::Copy(x), FileContents::Copy(y)) => x == y,
            (x, y) => x.read().expect("readable") == y.read().expect("readable"),
        };
        assert!(same, "{} differs from a fresh build", a.path);
    }
}

#[test]
fn a_chain_of_edits_rebuilt_incrementally_equals_fresh_builds() {
    let site = common::fixture("minimal");
    let root = site.path();
    let memo = Memo::default();
    assert_same(&render(root, Some(&memo)), &render(root, None));
    let first = rendered_pages(&memo).len();
    assert!(first > 20, "the first build renders every page");

    assert!(drawn_pictures(&memo).len() > 10, "and draws every picture");
    let bodies = bodies_rendered(&memo.bodies);
    assert!(bodies >= 6, "and renders every Markdown body ({bodies})");

    // Nothing changed: nothing is parsed, rendered or drawn again.
    assert_same(&render(root, Some(&memo)), &render(root, None));
    assert_eq!(files_parsed(&memo), 0);
    assert_eq!(rendered_pages(&memo), Vec::<String>::new());
    assert_eq!(drawn_pictures(&memo), Vec::<String>::new());
    assert_eq!(bodies_rendered(&memo.bodies), 0);

    // One team's figures: its page, and the pages that show regional figures.
    common::edit(
        root,
        "data/teams/msp-alpha.yaml",
        "patients: ",
        "patients: 1",
    );
    assert_same(&render(root, Some(&memo)), &render(root, None));
    assert_eq!(
        files_parsed(&memo),
        1,
        "only the team's file is parsed again"
    );
    let pages = rendered_pages(&memo);
    eprintln!("one team changed, pages rendered again: {pages:?}");
    assert!(
        pages.contains(&"equipes/msp-alpha/index.html".to_string()),
        "{pages:?}"
    );
    assert!(
        pages.contains(&"region/index.html".to_string()),
        "{pages:?}"
    );
    assert!(
        !pages.contains(&"equipes/msp-beta/index.html".to_string()),
        "{pages:?}"
    );
    // The teams' page lists names and towns, not figures.
    assert!(
        !pages.contains(&"equipes/index.html".to_string()),
        "{pages:?}"
    );
    assert!(!pages.iter().any(|p| p.starts_with("outils/")), "{pages:?}");
    assert!(
        !pages.iter().any(|p| p.starts_with("actualites/")),
        "{pages:?}"
    );
    // Its Scan'équipe and social card, and the regional figures.
    assert_eq!(
        drawn_pictures(&memo),
        [
            "equipes/msp-alpha/scan-equipe",
            "equipes/msp-alpha/social",
            "region/scan-equipe-region",
        ]
    );

    // One tool: that tool and the listings it appears in.
    common::edit(
        root,
        "content/outils/guide-rcp.md",
        "Pour partager",
        "Pour bien partager",
    );
    assert_same(&render(root, Some(&memo)), &render(root, None));
    assert_eq!(
        files_parsed(&memo),
        1,
        "only the tool's file is parsed again"
    );
    assert_eq!(
        bodies_rendered(&memo.bodies),
        1,
        "only its body is rendered"
    );
    let pages = rendered_pages(&memo);
    eprintln!("one tool changed, pages rendered again: {pages:?}");
    assert!(
        pages.contains(&"outils/guide-rcp/index.html".to_string()),
        "{pages:?}"
    );
    assert!(
        !pages.iter().any(|p| p.starts_with("equipes/")),
        "{pages:?}"
    );

    // A team joins a local group: its page, which names its groups, is
    // made again (the group is added to its view after the view is made).
    common::edit(
        root,
        "data/groups.yaml",
        "teams: [msp-alpha, msp-gamma]",
        "teams: [msp-alpha, msp-beta, msp-gamma]",
    );
    assert_same(&render(root, Some(&memo)), &render(root, None));
    let pages = rendered_pages(&memo);
    assert!(
        pages.contains(&"equipes/msp-beta/index.html".to_string()),
        "{pages:?}"
    );
    assert!(
        !pages.contains(&"equipes/esp-delta/index.html".to_string()),
        "{pages:?}"
    );

    // A new file, a deleted one, a template.
    common::write(
        root,
        "content/actualites/nouvelle.md",
        "---\ntitle: Une nouvelle\ndate: 2023-12-01\nsummary: Du neuf.\n---\n\nTexte.\n",
    );
    assert_same(&render(root, Some(&memo)), &render(root, None));
    assert_eq!(files_parsed(&memo), 1, "only the new file is parsed");
    // A file with a mistake fails the load, and is parsed again once mended.
    common::edit(
        root,
        "data/teams/msp-beta.yaml",
        "patients: ",
        "patients: [",
    );
    assert!(Site::load_kept(root, Some(&memo.files), Tools::Loaded(Some(&memo.tools))).is_err());
    common::edit(
        root,
        "data/teams/msp-beta.yaml",
        "patients: [",
        "patients: ",
    );
    assert_same(&render(root, Some(&memo)), &render(root, None));
    assert_eq!(files_parsed(&memo), 1, "the mended file is parsed again");
    std::fs::remove_file(root.join("content/outils/modele-convention.md")).expect("removed");
    assert_same(&render(root, Some(&memo)), &render(root, None));
    common::edit(
        root,
        "themes/default/templates/tool.html",
        "Publié le",
        "Mis en ligne le",
    );
    assert_same(&render(root, Some(&memo)), &render(root, None));
    let pages = rendered_pages(&memo);
    assert!(
        pages.len() >= first - 2,
        "a template change renders every page again"
    );
}

/// `build` keeps the Markdown bodies it rendered: the next build renders
/// only those whose text changed, and makes the same pages.
#[test]
fn markdown_bodies_kept_by_one_build_are_found_by_the_next() {
    let site = common::fixture("minimal");
    let root = site.path();
    let file = root.join(".msp-cache/markdown");
    let render_keeping = |bodies: &RenderedBodies| {
        let site = Site::load(root).expect("loads");
        let mut options = common::options(root);
        options.cache = None;
        let last = msp_site::site::Incremental {
            last_bodies: Some(bodies),
            ..Default::default()
        };
        site.render_site(&options, None, last)
            .expect("renders")
            .files
    };
    let kept_and_fresh = || {
        let bodies = RenderedBodies::stored_in(file.clone());
        assert_same(&render_keeping(&bodies), &render(root, None));
        bodies_rendered(&bodies)
    };
    let all = kept_and_fresh();
    assert!(all >= 6, "the first build renders every body ({all})");
    assert!(file.is_file());
    assert_eq!(kept_and_fresh(), 0);

    common::edit(
        root,
        "content/outils/guide-rcp.md",
        "Pour partager",
        "Pour bien partager",
    );
    assert_eq!(kept_and_fresh(), 1);
    assert_eq!(kept_and_fresh(), 0, "the new body was kept");

    // A damaged file is not read: every body is rendered again.
    let mut bytes = std::fs::read(&file).expect("written");
    let middle = bytes.len() / 2;
    bytes[middle] ^= 1;
    std::fs::write(&file, bytes).expect("writable");
    assert_eq!(kept_and_fresh(), all);
}

/// The digest of what a build with `options` writes into an empty folder,
/// with no cache at all: nothing parsed, drawn or indexed is reused.
fn fresh_build(options: &msp_site::BuildOptions) -> std::collections::BTreeMap<String, String> {
    let fresh = tempfile::tempdir().expect("temporary folder");
    let options = msp_site::BuildOptions {
        output: fresh.path().join("output"),
        cache: None,
        ..options.clone()
    };
    msp_site::build(&options).expect("builds");
    common::digest(&options.output)
}

/// Builds into `options.output`, which must then hold what a fresh build writes.
fn build_and_compare(options: &msp_site::BuildOptions) -> msp_site::BuildReport {
    let report = msp_site::build(options).expect("builds");
    assert_eq!(common::digest(&options.output), fresh_build(options));
    report
}

/// `build` into the same output folder, edit after edit: each time the
/// folder is exactly what a fresh build makes, and a page the last build
/// wrote from the same values, untouched since, is not rendered again.
#[test]
fn a_chain_of_builds_into_one_output_equals_fresh_builds_and_renders_only_what_changed() {
    let site = common::fixture("minimal");
    let root = site.path();
    let output = root.join("output");
    let options = common::options(root);
    let first = build_and_compare(&options);
    assert_eq!(first.pages_rendered, first.pages, "{first:?}");
    assert!(
        root.join(".msp-cache/parsed").is_file(),
        "parsed files kept"
    );
    assert!(
        root.join(".msp-cache/markdown").is_file(),
        "Markdown bodies kept"
    );

    // One team's figures: its page and the few that show them.
    common::edit(
        root,
        "data/teams/msp-alpha.yaml",
        "patients: ",
        "patients: 1",
    );
    let report = build_and_compare(&options);
    assert!(
        (2..=6).contains(&report.pages_rendered),
        "{} of {} pages rendered again",
        report.pages_rendered,
        report.pages
    );

    // A page touched by hand, then one edited by hand: rendered again, and
    // put back.
    let page = output.join("equipes/msp-beta/index.html");
    let bytes = std::fs::read(&page).expect("written");
    let an_hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    std::fs::File::options()
        .write(true)
        .open(&page)
        .and_then(|file| file.set_modified(an_hour_ago))
        .expect("touched");
    assert_eq!(build_and_compare(&options).pages_rendered, 1);
    std::fs::write(&page, b"<p>edited by hand</p>").expect("edited");
    assert_eq!(build_and_compare(&options).pages_rendered, 1);
    assert_eq!(std::fs::read(&page).expect("written"), bytes);

    // A tool's text: that tool and the listings that show its summary.
    common::edit(
        root,
        "content/outils/guide-rcp.md",
        "Pour partager",
        "Pour bien partager",
    );
    let report = build_and_compare(&options);
    assert!((1..=6).contains(&report.pages_rendered), "{report:?}");

    // A template, the site's settings, an option: every page again.
    common::edit(
        root,
        "themes/default/templates/base.html",
        "</footer>",
        "<p>Mis à jour</p></footer>",
    );
    let report = build_and_compare(&options);
    assert_eq!(report.pages_rendered, report.pages);
    let options = msp_site::BuildOptions {
        base_url: Some("https://autre.example.org".to_string()),
        ..options
    };
    let report = build_and_compare(&options);
    assert_eq!(report.pages_rendered, report.pages);

    // The manifest gone (a build failed while publishing): every page again.
    std::fs::remove_file(root.join(".output.manifest")).expect("removed");
    let report = build_and_compare(&options);
    assert_eq!(report.pages_rendered, report.pages);
}

#[test]
fn files_parsed_by_one_build_are_read_back_by_the_next_with_their_places() {
    let parsed_by = |files: &ParsedFiles| files.parsed.load(std::sync::atomic::Ordering::Relaxed);
    let site = common::fixture("minimal");
    let root = site.path();
    let kept = root.join(".msp-cache/parsed");
    let fresh = Site::load(root).expect("loads");

    let first = ParsedFiles::stored_in(kept.clone());
    Site::load_kept(root, Some(&first), Tools::Loaded(Some(&first))).expect("loads");
    assert!(
        parsed_by(&first) > 10,
        "nothing kept yet: every file is parsed"
    );
    first.save();

    // A new process: every file is read back, places included.
    let second = ParsedFiles::stored_in(kept.clone());
    let again = Site::load_kept(root, Some(&second), Tools::Loaded(Some(&second))).expect("loads");
    assert_eq!(parsed_by(&second), 0);
    assert_eq!(
        format!("{:?}", again.data.teams),
        format!("{:?}", fresh.data.teams)
    );
    assert_eq!(
        format!("{:?}", again.content),
        format!("{:?}", fresh.content)
    );
    // The lists of groups, people, actions and views too, private values
    // included.
    let lists = |site: &Site| {
        let data = &site.data;
        format!(
            "{:?}",
            (&data.groups, &data.people, &data.actions, &data.tool_views)
        )
    };
    assert_eq!(lists(&again), lists(&fresh));

    // An error found across files points into a team file that was not
    // parsed again, exactly as when it is.
    let config = root.join("data/site.yaml");
    let text = std::fs::read_to_string(&config).expect("readable");
    let text = text.replace(
        r#"{ code: "49", name: Maine-et-Loire }"#,
        r#"{ code: "53", name: Mayenne }"#,
    );
    std::fs::write(&config, text).expect("writable");
    let third = ParsedFiles::stored_in(kept.clone());
    let cached = Site::load_kept(root, Some(&third), Tools::Loaded(Some(&third)))
        .err()
        .expect("a team in a department the site no longer has")
        .to_string();
    assert_eq!(parsed_by(&third), 0);
    let uncached = Site::load(root).err().expect("the same error").to_string();
    assert_eq!(cached, uncached);
    assert!(
        cached.contains("data/teams/msp-beta.yaml:4:13: "),
        "{cached}"
    );

    // An edited file is parsed again, alone; one with an error is not kept.
    let team = root.join("data/teams/msp-alpha.yaml");
    let text = std::fs::read_to_string(&team).expect("readable");
    std::fs::write(&team, text.replace("department: \"44\"", "department: [")).expect("writable");
    third.save();
    let fourth = ParsedFiles::stored_in(kept.clone());
    assert!(Site::load_kept(root, Some(&fourth), Tools::Loaded(Some(&fourth))).is_err());
    assert_eq!(parsed_by(&fourth), 1);
    fourth.save();
    let fifth = ParsedFiles::stored_in(kept);
    assert!(Site::load_kept(root, Some(&fifth), Tools::Loaded(Some(&fifth))).is_err());
    assert_eq!(
        parsed_by(&fifth),
        1,
        "the broken file is parsed until mended"
    );
}

#[test]
fn a_file_the_fingerprint_found_as_it_was_parsed_is_not_read_again() {
    use msp_site::fingerprint::of_inputs;
    let parsed_by = |files: &ParsedFiles| files.parsed.load(std::sync::atomic::Ordering::Relaxed);
    let name_of_alpha = |site: &Site| {
        let alpha = site.data.teams.iter().find(|t| t.id == "msp-alpha");
        alpha.expect("msp-alpha").team.name.clone()
    };
    let site = common::fixture("minimal");
    let root = site.path();
    let options = common::options(root);
    let kept = root.join(".msp-cache/parsed");
    let first = ParsedFiles::stored_in(kept.clone());
    Site::load_kept(root, Some(&first), Tools::Loaded(Some(&first))).expect("loads");
    first.save();

    // The build's fingerprint is taken, then the file is saved: the build
    // is made of the bytes the fingerprint hashed, taken from the cache
    // without reading the file.
    let before = of_inputs(&options).expect("fingerprint");
    let team = root.join("data/teams/msp-alpha.yaml");
    let text = std::fs::read_to_string(&team).expect("readable");
    std::fs::write(
        &team,
        text.replace("name: MSP Alpha", "name: MSP Alpha bis"),
    )
    .expect("writable");
    let second = ParsedFiles::stored_in(kept.clone()).knowing(before.hashes);
    let loaded = Site::load_kept(root, Some(&second), Tools::Loaded(Some(&second))).expect("loads");
    assert_eq!(parsed_by(&second), 0);
    assert_eq!(name_of_alpha(&loaded), "MSP Alpha");

    // The next fingerprint has the file's new bytes: it is read and parsed.
    let after = of_inputs(&options).expect("fingerprint");
    let third = ParsedFiles::stored_in(kept).knowing(after.hashes);
    let loaded = Site::load_kept(root, Some(&third), Tools::Loaded(Some(&third))).expect("loads");
    assert_eq!(parsed_by(&third), 1);
    assert_eq!(name_of_alpha(&loaded), "MSP Alpha bis");
}

/// Once the output's folders have settled (3 seconds), a build records
/// their stamps and the next ones read only the folders that changed: a
/// file dropped by hand into one of them is still found, by the check that
/// nothing changed and by the build that follows, which removes it.
#[test]
fn a_file_dropped_into_a_settled_output_folder_is_found_and_removed() {
    let site = common::fixture("minimal");
    let root = site.path();
    let output = root.join("output");
    let options = common::options(root);
    msp_site::build(&options).expect("builds");
    std::thread::sleep(std::time::Duration::from_millis(3100));
    common::edit(
        root,
        "data/teams/msp-alpha.yaml",
        "patients: ",
        "patients: 1",
    );
    msp_site::build(&options).expect("builds");
    let manifest = std::fs::read_to_string(root.join(".output.manifest")).expect("written");
    let recorded = |folder: &str| {
        manifest
            .lines()
            .any(|line| line.starts_with("folder\t") && line.ends_with(&format!("\t{folder}")))
    };
    assert!(
        recorded("equipes/msp-beta"),
        "settled, and not written again"
    );
    assert!(!recorded("equipes/msp-alpha"), "written by this build");
    let published = common::digest(&output);

    let dropped = output.join("equipes/msp-beta/notes.txt");
    std::fs::write(&dropped, "x").expect("writable");
    let report = msp_site::build(&options).expect("builds");
    assert!(!report.up_to_date, "{report:?}");
    assert!(!dropped.exists());
    assert_eq!(common::digest(&output), published);
    assert!(msp_site::build(&options).expect("builds").up_to_date);
}

#[test]
fn the_toolbox_is_carried_over_while_nothing_it_is_made_from_changes() {
    let site = common::fixture("minimal");
    let root = site.path();
    let options = common::options(root);
    let patients = std::cell::Cell::new(10_000);
    let team_edit = || {
        let (from, to) = (patients.get(), patients.get() + 1);
        common::edit(
            root,
            "data/teams/msp-alpha.yaml",
            &format!("patients: {from}"),
            &format!("patients: {to}"),
        );
        patients.set(to);
    };
    let first = build_and_compare(&options);
    assert!(!first.toolbox_carried, "{first:?}");
    let card = root.join("output/outils/guide-rcp/social.png");
    assert!(card.is_file(), "the tools have social cards");
    let index = root.join(".msp-cache/infographics/index");
    let pictures = || {
        std::fs::read_to_string(&index)
            .expect("index")
            .lines()
            .count()
    };
    let drawn = pictures();

    // One team's figures: the toolbox is taken as the last build left it,
    // and its pictures stay in the cache's index. Its tools are not even
    // loaded: their parsed files are not read (a damaged file would be
    // replaced), and their Markdown bodies stay in the cache.
    let kept_file = |name: &str| root.join(".msp-cache").join(name);
    let kept = |name: &str| std::fs::read(kept_file(name)).expect("kept");
    let bodies = kept("markdown");
    std::fs::write(kept_file("parsed-tools"), "damaged").expect("written");
    team_edit();
    let report = build_and_compare(&options);
    assert!(report.toolbox_carried, "{report:?}");
    assert!(!report.tools_loaded, "{report:?}");
    assert_eq!(pictures(), drawn);
    assert!(
        kept("parsed-tools") == b"damaged",
        "the tools' parsed files not read"
    );
    assert!(kept("markdown") == bodies, "the tools' bodies kept");

    // A tool's page edited by hand: made again, and put back.
    let page = root.join("output/outils/guide-rcp/index.html");
    let bytes = std::fs::read(&page).expect("written");
    std::fs::write(&page, b"<p>edited by hand</p>").expect("edited");
    team_edit();
    let report = build_and_compare(&options);
    assert!(!report.toolbox_carried, "{report:?}");
    assert!(report.tools_loaded, "loaded once found needed: {report:?}");
    assert_eq!(std::fs::read(&page).expect("written"), bytes);
    team_edit();
    assert!(build_and_compare(&options).toolbox_carried);

    // A file of the search index edited by hand: made again, and put back.
    let index_file = std::fs::read_dir(root.join("output/pagefind"))
        .expect("the search index")
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .find(|path| path.is_file())
        .expect("a file of the index");
    let index_bytes = std::fs::read(&index_file).expect("written");
    std::fs::write(&index_file, b"edited by hand").expect("edited");
    team_edit();
    assert!(!build_and_compare(&options).toolbox_carried);
    assert_eq!(std::fs::read(&index_file).expect("written"), index_bytes);

    // What the toolbox is made from: a tool, its attachment, the tools'
    // views, a theme's label, a template.
    common::edit(
        root,
        "content/outils/guide-rcp.md",
        "Pour partager",
        "Pour bien partager",
    );
    let report = build_and_compare(&options);
    assert!(!report.toolbox_carried && report.tools_loaded, "{report:?}");
    let attachment = root.join("content/outils/guide-rcp.pdf");
    let mut pdf = std::fs::read(&attachment).expect("attachment");
    pdf.extend_from_slice(b"\n% one more line\n");
    std::fs::write(&attachment, pdf).expect("written");
    assert!(!build_and_compare(&options).toolbox_carried);
    let views = "- { tool: guide-rcp, views: 12 }\n";
    std::fs::write(root.join("data/stats.yaml"), views).expect("written");
    assert!(!build_and_compare(&options).toolbox_carried);
    common::edit(
        root,
        "data/themes.yaml",
        "label: Prévention",
        "label: Santé",
    );
    assert!(!build_and_compare(&options).toolbox_carried);
    common::edit(
        root,
        "themes/default/templates/tool.html",
        "</article>",
        "<p>Outil</p></article>",
    );
    assert!(!build_and_compare(&options).toolbox_carried);
    team_edit();
    assert!(build_and_compare(&options).toolbox_carried);

    // A new team changes its department's count of teams, which the
    // site's settings hold for every page: made again.
    let gamma = std::fs::read_to_string(root.join("data/teams/msp-gamma.yaml")).expect("team");
    let epsilon = gamma.replace("MSP Gamma", "MSP Epsilon");
    std::fs::write(root.join("data/teams/msp-epsilon.yaml"), epsilon).expect("written");
    // The tools are left out, then found needed: loaded through their
    // parsed files, which are kept again.
    std::fs::write(kept_file("parsed-tools"), "damaged").expect("written");
    let report = build_and_compare(&options);
    assert!(!report.toolbox_carried && report.tools_loaded, "{report:?}");
    assert!(kept("parsed-tools").starts_with(b"msp-site parsed"));
    team_edit();
    assert!(build_and_compare(&options).toolbox_carried);

    // A tool's body with a shortcode (a `people` card names its team):
    // the teams' files are among what the toolbox is made from.
    common::edit(
        root,
        "content/outils/guide-rcp.md",
        "## Pourquoi une RCP ?",
        "{{ people(kind=\"staff\") }}\n\n## Pourquoi une RCP ?",
    );
    assert!(!build_and_compare(&options).toolbox_carried);
    team_edit();
    let report = build_and_compare(&options);
    assert!(!report.toolbox_carried && report.tools_loaded, "{report:?}");

    // No manifest left half-written beside the output.
    let beside: Vec<String> = std::fs::read_dir(root)
        .expect("the site")
        .filter_map(Result::ok)
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains(".partial-"))
        .collect();
    assert!(beside.is_empty(), "{beside:?}");
}
