//! Whole-site tests: fixture sites are built into temporary folders and the
//! pages are read back.

mod common;

use common::{build, digest, example_site, fixture, read, write};

const NNBSP: char = '\u{202F}';

fn nn(text: &str) -> String {
    text.replace('_', &NNBSP.to_string())
}

#[test]
fn every_page_of_the_minimal_site_is_written() {
    let site = fixture("minimal");
    build(site.path()).expect("the fixture builds");
    for path in [
        "index.html",
        "404.html",
        "equipes/index.html",
        "equipes/msp-alpha/index.html",
        "equipes/msp-beta/index.html",
        "equipes/msp-gamma/index.html",
        "equipes/esp-delta/index.html",
        "region/index.html",
        "region/scan-equipe-region.json",
        "region/scan-equipe-region.csv",
        "reseau/index.html",
        "reseau/44-loire/index.html",
        "outils/index.html",
        "outils/guide-rcp/index.html",
        "outils/guide-rcp/guide-rcp.pdf",
        "outils/modele-convention/index.html",
        "outils/themes/coordination/index.html",
        "outils/themes/prevention/index.html",
        "outils/types/guide/index.html",
        "outils/types/modele-document/index.html",
        "actions/index.html",
        "actualites/index.html",
        "actualites/journee-regionale/index.html",
        "offres/index.html",
        "a-propos/index.html",
        "enquete/index.html",
        "sitemap.xml",
        "atom.xml",
        "robots.txt",
    ] {
        assert!(
            site.path().join("output").join(path).is_file(),
            "missing output/{path}"
        );
    }
}

#[test]
fn drafts_and_expired_offers_are_not_published() {
    let site = fixture("minimal");
    build(site.path()).expect("the fixture builds");
    assert!(!site.path().join("output/outils/brouillon").exists());
    let offers = read(site.path(), "offres/index.html");
    assert!(offers.contains("La MSP Alpha recrute un coordinateur"));
    assert!(!offers.contains("Une offre expirée"));
    let sitemap = read(site.path(), "sitemap.xml");
    assert!(!sitemap.contains("brouillon"));
    assert!(sitemap.contains("<loc>https://msp.example.org/outils/guide-rcp/</loc>"));
}

#[test]
fn drafts_are_published_with_the_drafts_option() {
    let site = fixture("minimal");
    let mut options = common::options(site.path());
    options.drafts = true;
    msp_site::build(&options).expect("the fixture builds");
    assert!(
        site.path()
            .join("output/outils/brouillon/index.html")
            .is_file()
    );
}

#[test]
fn team_page_shows_figures_in_french_format() {
    let site = fixture("minimal");
    build(site.path()).expect("the fixture builds");
    let page = read(site.path(), "equipes/msp-alpha/index.html");
    assert!(page.contains("<h1>MSP Alpha</h1>"), "{page}");
    assert!(
        page.contains(&nn("10_000")),
        "patients with a narrow no-break space"
    );
    assert!(page.contains("Médecins généralistes"));
    assert!(
        page.contains(&nn("33_%")),
        "share of general practitioners: 4 of 12"
    );
    assert!(page.contains(&nn("15,5_h par semaine")), "{page}");
    assert!(page.contains("Groupe local Loire"));
    assert!(page.contains("La MSP Alpha recrute un coordinateur"));
    assert!(page.contains("30 juin 2023"));
    assert!(page.contains("https://www.msp-alpha.example.org"));
    for file in [
        "scan-equipe.pdf",
        "scan-equipe.png",
        "scan-equipe.svg",
        "scan-equipe.json",
    ] {
        assert!(
            page.contains(&format!("href=/equipes/msp-alpha/{file}")),
            "download link to {file}"
        );
    }
}

#[test]
fn group_page_lists_teams_referents_and_meetings() {
    let site = fixture("minimal");
    build(site.path()).expect("the fixture builds");
    let page = read(site.path(), "reseau/44-loire/index.html");
    assert!(page.contains("Anne Martin"));
    assert!(page.contains("mailto:anne.martin@example.org"));
    assert!(page.contains("02 00 00 00 01"));
    assert!(page.contains("MSP Alpha"));
    assert!(page.contains("Rencontre du groupe local Loire"));
    assert!(page.contains("14 mars 2023"));
    assert!(!page.contains("MSP Beta"), "not a member");
}

#[test]
fn tool_page_has_its_attachment_taxonomies_and_related_tools() {
    let site = fixture("minimal");
    build(site.path()).expect("the fixture builds");
    let page = read(site.path(), "outils/guide-rcp/index.html");
    assert!(page.contains(&nn("PDF, 2_ko")), "{page}");
    assert!(page.contains("/outils/guide-rcp/guide-rcp.pdf"));
    assert!(page.contains("/outils/themes/protocoles/"));
    assert!(page.contains("/outils/types/guide/"));
    assert!(
        page.contains(r#"<a href="/outils/?keyword=cas+complexes">cas complexes</a>"#),
        "keywords link to the toolbox filtered on them: {page}"
    );
    assert!(
        page.contains(&nn("Pourquoi une RCP_?")),
        "French spacing in headings"
    );
    assert!(page.contains("<h2 id=pourquoi-une-rcp>"), "{page}");
    assert!(
        page.contains("Modèle de convention de stage"),
        "related by the coordination theme"
    );
    let copied =
        std::fs::read(site.path().join("output/outils/guide-rcp/guide-rcp.pdf")).expect("copied");
    let original = std::fs::read(site.path().join("content/outils/guide-rcp.pdf")).expect("source");
    assert_eq!(copied, original);
}

#[test]
fn home_shows_key_figures_from_the_data_and_site_yaml() {
    let site = fixture("minimal");
    build(site.path()).expect("the fixture builds");
    let page = read(site.path(), "index.html");
    assert!(page.contains("En un coup d"), "{page}");
    assert!(page.contains(">34<"), "professionals summed over all teams");
    assert!(
        page.contains(&nn("19_500")),
        "patients of constituted teams"
    );
    assert!(page.contains(&nn("156_850")), "figure from site.yaml");
    assert!(page.contains("Journée régionale 2023"), "latest news");
}

#[test]
fn actions_page_counts_participants_by_kind() {
    let site = fixture("minimal");
    build(site.path()).expect("the fixture builds");
    let page = read(site.path(), "actions/index.html");
    assert!(page.contains("21 septembre 2023"));
    assert!(page.contains(&nn("«_Le salariat en SISA_»")), "{page}");
    assert!(
        page.contains("Houdart & Associés"),
        "minified: an unambiguous ampersand needs no escape"
    );
    assert!(page.contains("35 participations"), "{page}");
}

#[test]
fn shortcodes_render_charts_and_people() {
    let site = fixture("minimal");
    build(site.path()).expect("the fixture builds");
    let survey = read(site.path(), "enquete/index.html");
    assert!(survey.contains("Statut des coordinateurs"));
    assert!(survey.contains(&nn("42,9_%")), "{survey}");
    assert!(
        survey.contains("class=chart-svg"),
        "the chart is drawn inline"
    );
    assert!(survey.contains("role=img"), "{survey}");
    assert!(
        survey.contains("<table class=chart-data>"),
        "with its data table"
    );
    let about = read(site.path(), "a-propos/index.html");
    assert!(about.contains("Chargée de mission coordination"));
    assert!(
        !about.contains("Paul Durand"),
        "board members are not staff"
    );
    let home = read(site.path(), "index.html");
    assert!(
        home.contains(">À propos<"),
        "pages with `menu` are in the menu"
    );
}

#[test]
fn feeds_are_absolute_and_dated_from_content() {
    let site = fixture("minimal");
    build(site.path()).expect("the fixture builds");
    let atom = read(site.path(), "atom.xml");
    assert!(
        atom.contains("<link href=\"https://msp.example.org/actualites/journee-regionale/\"/>")
    );
    assert!(atom.contains("<updated>2023-10-12T00:00:00Z</updated>"));
    let robots = read(site.path(), "robots.txt");
    assert!(robots.contains("Sitemap: https://msp.example.org/sitemap.xml"));
}

#[test]
fn base_url_option_prefixes_every_link() {
    let site = fixture("minimal");
    let mut options = common::options(site.path());
    options.base_url = Some("https://example.org/federation/".to_string());
    msp_site::build(&options).expect("the fixture builds");
    let page = read(site.path(), "equipes/index.html");
    assert!(
        page.contains("href=/federation/equipes/msp-alpha/")
            || page.contains("href=\"/federation/equipes/msp-alpha/\""),
        "{page}"
    );
    assert!(page.contains("https://example.org/federation/equipes/"));
}

#[test]
fn private_values_never_reach_the_output() {
    let site = fixture("minimal");
    build(site.path()).expect("the fixture builds");
    let private = ["Relancer avant la journée régionale", "06 99 88 77 66"];
    for (path, _) in digest(&site.path().join("output")) {
        let bytes = std::fs::read(site.path().join("output").join(&path)).expect("readable");
        let text = String::from_utf8_lossy(&bytes);
        for value in private {
            assert!(!text.contains(value), "{value:?} leaked into {path}");
        }
    }
}

#[test]
fn two_builds_are_byte_identical() {
    let first = fixture("minimal");
    let second = fixture("minimal");
    build(first.path()).expect("builds");
    build(second.path()).expect("builds");
    let a = digest(&first.path().join("output"));
    let b = digest(&second.path().join("output"));
    assert!(!a.is_empty());
    assert_eq!(a, b);
}

#[test]
fn html_pages_are_minified_and_assets_fingerprinted() {
    let site = fixture("minimal");
    build(site.path()).expect("builds");
    let page = read(site.path(), "index.html");
    assert!(
        page.starts_with("<!doctype html><html lang=fr>"),
        "{}",
        &page[..80]
    );
    let assets: Vec<String> = digest(&site.path().join("output/assets"))
        .into_keys()
        .collect();
    assert!(
        assets.iter().any(|p| p.starts_with("style.")
            && p.ends_with(".css")
            && p.len() == "style.0123456789.css".len()),
        "{assets:?}"
    );
    assert!(
        assets
            .iter()
            .any(|p| p == "fonts/inter-latin-400-normal.woff2")
    );
}

#[test]
fn the_example_site_builds_with_every_section() {
    let site = example_site();
    build(site.path()).expect("the example site builds");
    let output = site.path().join("output");
    let teams = std::fs::read_dir(site.path().join("data/teams"))
        .expect("teams")
        .count();
    assert!(teams >= 90, "{teams} team files");
    let team_pages = std::fs::read_dir(output.join("equipes"))
        .expect("pages")
        .filter(|e| e.as_ref().is_ok_and(|e| e.path().is_dir()))
        .count();
    assert_eq!(team_pages, teams, "one page per team");
    let groups = std::fs::read_dir(output.join("reseau"))
        .expect("groups")
        .filter(|e| e.as_ref().is_ok_and(|e| e.path().is_dir()))
        .count();
    assert_eq!(groups, 7, "the seven local groups");
    for path in [
        "index.html",
        "region/index.html",
        "outils/index.html",
        "actions/index.html",
        "actualites/index.html",
        "offres/index.html",
        "404.html",
        "sitemap.xml",
        "atom.xml",
        "robots.txt",
    ] {
        assert!(output.join(path).is_file(), "missing {path}");
    }
    let json = read(site.path(), "region/scan-equipe-region.json");
    assert!(json.contains("\"constituted\": 81"), "{json}");
    assert!(json.contains("\"professionals\": 2382"), "{json}");
    assert!(json.contains("\"patients\": 719920"), "{json}");
}

/// The regional aggregates of the minimal fixture, computed by hand from its
/// four team files (see DESIGN.md, "Regional aggregates"):
/// constituted alpha (2013, 1 site, 3 professions, 20 signatories, 10 000
/// patients, 2 coordinators), beta (2020, 3 sites, no ACI, 5 professions, 11,
/// 5 000, 1 coordinator), gamma (2018, 2 sites, 4 professions, 15, 4 500, none);
/// delta in project. Headcounts: infirmier 15, médecin généraliste 11,
/// pharmacien 3, kiné 2, then orthophoniste, sage-femme and psychologue at 1
/// (ties in the vocabulary's order), 34 in all.
#[test]
fn regional_open_data_matches_the_definitions() {
    let site = fixture("minimal");
    build(site.path()).expect("builds");
    let json: serde_json::Value =
        serde_json::from_str(&read(site.path(), "region/scan-equipe-region.json")).expect("JSON");
    let expected = serde_json::json!({
        "year": 2023,
        "teams": { "constituted": 3, "without_aci": 1, "in_project": 1 },
        "sites": { "mono": 1, "multi": 2, "mono_pct": 33, "multi_pct": 67 },
        "mean_professions": 4.0,          // (3 + 5 + 4) / 3
        "mean_signatories": 15.3,         // (20 + 11 + 15) / 3 = 15.33
        "median_age": 5.0,                // ages 10, 3, 5
        "professionals": 34,
        "patients": 19500,
        "population_pct": 20,             // 19.5 % rounded half up
        "top_professions": [
            { "id": "infirmier", "count": 15, "pct": 44 },
            { "id": "medecin-generaliste", "count": 11, "pct": 32 },
            { "id": "pharmacien", "count": 3, "pct": 9 },
            { "id": "masseur-kinesitherapeute", "count": 2, "pct": 6 },
            { "id": "orthophoniste", "count": 1, "pct": 3 }
        ],
        "coordinators": { "count": 3, "network_pct": 67, "pacte_pct": 33, "liberal_pct": 33, "pair_pct": 33 },
        "actions_pct": { "interns": 67, "prevention": 67, "etp": 33, "protocols": 67, "user_involvement": 33, "cpts": 67 },
        "departments": { "44": 2, "49": 2 }
    });
    assert_eq!(json, expected);
    let csv = read(site.path(), "region/scan-equipe-region.csv");
    assert!(
        csv.starts_with("indicator,value\nyear,2023\nteams.constituted,3\n"),
        "{csv}"
    );
    assert!(csv.contains("\nmean_signatories,15.3\n"));
    assert!(csv.contains("\ntop_professions.5.id,orthophoniste\n"));
}

#[test]
fn teams_page_has_a_map_with_a_link_per_located_team() {
    let site = fixture("minimal");
    build(site.path()).expect("builds");
    let page = read(site.path(), "equipes/index.html");
    assert!(page.contains("<svg"), "the map is inline");
    assert!(
        page.contains(
            "<title id=carte-titre>Carte des 4 équipes adhérentes en Région test</title>"
        ) || page.contains("Carte des 4 équipes adhérentes en Région test"),
        "{page}"
    );
    // Alpha and Beta have coordinates, Gamma and Delta do not.
    assert!(
        page.contains("<a href=/equipes/msp-alpha/> <title>MSP Alpha</title>"),
        "{page}"
    );
    assert!(page.contains("<a href=/equipes/msp-beta/> <title>MSP Beta</title>"));
    assert!(!page.contains("<title>Équipe en projet Delta</title>"));
    // The departments' counts are drawn over the dots, so that no dot hides
    // a figure, and let clicks through to the dots.
    let map = between(&page, "<svg", "</svg>");
    let counts = map
        .find("pointer-events=none")
        .unwrap_or_else(|| panic!("{map}"));
    let last_dot = map.rfind("<a href=").unwrap_or_else(|| panic!("{map}"));
    assert!(counts > last_dot, "{map}");
    assert!(
        page.contains("IGN – Admin Express COG 2018"),
        "the outlines' source is cited"
    );
}

/// The part of `page` from `start` to the next `end`.
fn between<'a>(page: &'a str, start: &str, end: &str) -> &'a str {
    let from = page
        .find(start)
        .unwrap_or_else(|| panic!("{start} in {page}"));
    let rest = &page[from..];
    &rest[..rest.find(end).unwrap_or(rest.len())]
}

#[test]
fn teams_page_lists_each_team_under_its_department() {
    let link = |team: &str| format!("/equipes/{team}/");
    let site = fixture("minimal");
    build(site.path()).expect("builds");
    let page = read(site.path(), "equipes/index.html");
    let loire_atlantique = between(&page, "id=departement-44", "</section>");
    let maine_et_loire = between(&page, "id=departement-49", "</section>");
    for (section, present, absent) in [
        (
            loire_atlantique,
            ["msp-alpha", "msp-gamma"],
            ["msp-beta", "esp-delta"],
        ),
        (
            maine_et_loire,
            ["msp-beta", "esp-delta"],
            ["msp-alpha", "msp-gamma"],
        ),
    ] {
        let (present, absent) = (present.map(link), absent.map(link));
        for team in present {
            assert!(section.contains(team.as_str()), "{team} in {section}");
        }
        for team in absent {
            assert!(!section.contains(team.as_str()), "{team} not in {section}");
        }
    }
    assert!(
        maine_et_loire.contains("en projet"),
        "Delta is a project: {maine_et_loire}"
    );
    assert!(
        page.contains("4 équipes de soins primaires adhérentes"),
        "{page}"
    );
}

#[test]
fn a_broken_geojson_file_is_located() {
    let site = fixture("minimal");
    common::write(
        site.path(),
        "data/geo/departements.geojson",
        "{\"type\": \"FeatureCollection\",\n \"features\": [ {\"type\": 3} ]}",
    );
    let errors = common::build_errors(site.path());
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with("data/geo/departements.geojson:2:"),
        "{errors:?}"
    );
}

#[test]
fn toolbox_page_works_without_javascript_and_shows_new_and_most_consulted_tools() {
    let site = fixture("minimal");
    write(
        site.path(),
        "data/stats.yaml",
        "- { tool: modele-convention, views: 1520 }\n- { tool: guide-rcp, views: 87 }\n",
    );
    build(site.path()).expect("the fixture builds");
    let page = read(site.path(), "outils/index.html");
    // Without JavaScript: search and filters stay hidden; every tool and the
    // theme and type pages are plain links.
    assert!(
        page.contains("data-search=/pagefind/pagefind.js hidden role=search>"),
        "{page}"
    );
    assert!(page.contains("data-facets hidden"), "{page}");
    for link in [
        "href=/outils/guide-rcp/",
        "href=/outils/modele-convention/",
        "href=/outils/themes/coordination/",
        "href=/outils/types/guide/",
    ] {
        assert!(page.contains(link), "{link}");
    }
    // The site's year is 2023: the RCP guide (2023-05-12) is new, the
    // convention (2022) is not.
    let new = section(&page, "id=nouveautes", "</section>");
    assert!(
        new.contains("guide-rcp") && !new.contains("modele-convention"),
        "{new}"
    );
    // Most consulted first, with its count in French.
    let viewed = section(&page, "id=plus-consultes", "</section>");
    let convention = viewed.find("modele-convention").expect("listed");
    let guide = viewed.find("guide-rcp").expect("listed");
    assert!(convention < guide, "{viewed}");
    assert!(viewed.contains(&nn("1_520 consultations")), "{viewed}");
    assert!(viewed.contains("87 consultations"), "{viewed}");
    // Facet values and their counts, for the filters.
    assert!(
        page.contains("name=keyword type=checkbox value=RCP> <span class=facet-label>RCP</span> <span class=count data-count data-total=1>1</span>"),
        "{page}"
    );
}

#[test]
fn toolbox_without_stats_has_no_most_consulted_section() {
    let site = fixture("minimal");
    build(site.path()).expect("the fixture builds");
    let page = read(site.path(), "outils/index.html");
    assert!(!page.contains("plus-consultes"));
}

#[test]
fn search_index_is_built_in_french_for_published_tools_only() {
    let site = fixture("minimal");
    build(site.path()).expect("the fixture builds");
    let output = site.path().join("output/pagefind");
    let entry = std::fs::read_to_string(output.join("pagefind-entry.json")).expect("entry");
    assert!(entry.contains(r#""fr":{"#), "{entry}");
    assert!(
        entry.contains(r#""page_count":2"#),
        "two published tools: {entry}"
    );
    assert!(output.join("pagefind.js").is_file());
    assert!(output.join("wasm.fr.pagefind").is_file());
    assert!(
        !output.join("pagefind-ui.js").exists(),
        "Pagefind's own interfaces are not published"
    );
}

#[test]
fn social_cards_and_search_can_be_turned_off_in_site_yaml() {
    let site = fixture("minimal");
    let config = site.path().join("data/site.yaml");
    let text = std::fs::read_to_string(&config).expect("site.yaml");
    std::fs::write(
        &config,
        format!("{text}build: {{ social_cards: false, search: false }}\n"),
    )
    .expect("write");
    build(site.path()).expect("the fixture builds");
    let output = site.path().join("output");
    let files: Vec<String> = walkdir::WalkDir::new(&output)
        .into_iter()
        .map(|e| e.expect("entry").path().display().to_string())
        .collect();
    assert!(
        !files.iter().any(|f| f.ends_with("social.png")),
        "{files:?}"
    );
    assert!(!output.join("pagefind").exists());
    assert!(output.join("equipes/msp-alpha/scan-equipe.png").is_file());
    let tools = read(site.path(), "outils/index.html");
    assert!(
        !tools.contains("data-search"),
        "no search box without its index"
    );
    assert!(tools.contains("cards"), "the tools are still listed");
    let team = read(site.path(), "equipes/msp-alpha/index.html");
    assert!(!team.contains("og:image"), "no card, no og:image");

    // With the settings on (the default), both are back.
    std::fs::write(&config, text).expect("write");
    build(site.path()).expect("the fixture builds");
    assert!(output.join("equipes/msp-alpha/social.png").is_file());
    assert!(read(site.path(), "equipes/msp-alpha/index.html").contains("og:image"));
    assert!(output.join("pagefind/pagefind.js").is_file());
}

/// The part of `page` from `start` to the next `end`.
fn section<'a>(page: &'a str, start: &str, end: &str) -> &'a str {
    let from = page
        .find(start)
        .unwrap_or_else(|| panic!("{start} in {page}"));
    let to = page[from..].find(end).map_or(page.len(), |i| from + i);
    &page[from..to]
}

#[test]
fn a_rebuild_with_nothing_changed_writes_nothing_and_mends_a_touched_output() {
    let site = fixture("minimal");
    let root = site.path();
    let first = build(root).expect("builds");
    assert_eq!((first.written, first.up_to_date), (first.files, false));
    let published = digest(&root.join("output"));

    // Nothing changed, a file saved again with the same bytes: nothing to do.
    let again = build(root).expect("builds");
    assert_eq!(
        (again.pages, again.pictures, again.files, again.written),
        (first.pages, first.pictures, first.files, 0)
    );
    let team = std::fs::read_to_string(root.join("data/teams/msp-alpha.yaml")).expect("team");
    common::write(root, "data/teams/msp-alpha.yaml", &team);
    assert_eq!(build(root).expect("builds").written, 0);
    assert_eq!(digest(&root.join("output")), published);

    // A published file removed, another added: the build puts the folder back.
    std::fs::remove_file(root.join("output/equipes/msp-alpha/index.html")).expect("removed");
    common::write(root, "output/stray.html", "<p>not ours</p>");
    let mended = build(root).expect("builds");
    assert_eq!((mended.up_to_date, mended.written), (false, 1));
    assert_eq!(digest(&root.join("output")), published);
    assert!(build(root).expect("builds").up_to_date);
    // A published file edited by hand is written again too.
    common::write(root, "output/equipes/msp-beta/index.html", "edited");
    assert_eq!(build(root).expect("builds").written, 1);
    assert_eq!(digest(&root.join("output")), published);
    // So is a picture of the cache's.
    common::write(root, "output/equipes/msp-beta/scan-equipe.png", "edited");
    assert_eq!(build(root).expect("builds").written, 1);
    assert_eq!(digest(&root.join("output")), published);

    // A real change, or other options: the build runs.
    common::edit(
        root,
        "data/teams/msp-alpha.yaml",
        "patients: 10000",
        "patients: 10001",
    );
    let changed = build(root).expect("builds");
    assert!(!changed.up_to_date && changed.written > 0);
    assert!(read(root, "equipes/msp-alpha/index.html").contains(&nn("10_001")));
    let mut drafts = common::options(root);
    drafts.drafts = true;
    assert!(msp_site::build(&drafts).expect("builds").written > 0);
}
