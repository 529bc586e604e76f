//! Rebuilds with a memo (`serve`) give exactly the files of a fresh build,
//! and redo only what depends on what changed.

mod common;

use std::path::Path;

use msp_site::Site;
use msp_site::render::{FileContents, Memo, OutputFile};

fn render(root: &Path, memo: Option<&Memo>) -> Vec<OutputFile> {
    let site = Site::load(root).expect("loads");
    let mut options = common::options(root);
    options.cache = None;
    site.render_site(&options, memo).expect("renders").files
}

fn rendered_pages(memo: &Memo) -> Vec<String> {
    let mut pages = memo.pages.rendered.lock().expect("list").clone();
    pages.sort();
    pages
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

    // Nothing changed: nothing is rendered again.
    assert_same(&render(root, Some(&memo)), &render(root, None));
    assert_eq!(rendered_pages(&memo), Vec::<String>::new());

    // One team's figures: its page, and the pages that show regional figures.
    common::edit(
        root,
        "data/teams/msp-alpha.yaml",
        "patients: ",
        "patients: 1",
    );
    assert_same(&render(root, Some(&memo)), &render(root, None));
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
    assert!(!pages.iter().any(|p| p.starts_with("outils/")), "{pages:?}");
    assert!(
        !pages.iter().any(|p| p.starts_with("actualites/")),
        "{pages:?}"
    );

    // One tool: that tool and the listings it appears in.
    common::edit(
        root,
        "content/outils/guide-rcp.md",
        "Pour partager",
        "Pour bien partager",
    );
    assert_same(&render(root, Some(&memo)), &render(root, None));
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

    // A new file, a deleted one, a template.
    common::write(
        root,
        "content/actualites/nouvelle.md",
        "---\ntitle: Une nouvelle\ndate: 2023-12-01\nsummary: Du neuf.\n---\n\nTexte.\n",
    );
    assert_same(&render(root, Some(&memo)), &render(root, None));
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
