//! Private data (DESIGN.md): a `private:` mapping on every team, person and
//! local group of the fixture, with texts, numbers, e-mail addresses and
//! nested lists. None of its values may reach any file of `output/` — pages,
//! pictures' SVG, PDF streams, JSON, feeds, the search index — nor the model
//! that every page and picture is drawn from.

mod common;

use std::io::Read;
use std::path::Path;

use common::{build, edit, fixture, options};
use msp_site::model::{ModelOptions, SiteModel};

/// The private mapping of entity `n`, and the values it holds.
fn private_mapping(n: usize) -> (String, Vec<String>) {
    let values = vec![
        format!("06 1{n} 2{n} 3{n} 4{n}"),
        format!("Note interne n°{n} : relancer la trésorière"),
        format!("prive{n}@crm.example.org"),
        format!("98765{n}"),
        format!("Contact CRM {n}"),
    ];
    let mapping = format!(
        "{{ mobile: \"{}\", note: \"{}\", email: {}, code: {}, crm: {{ contacts: [\"{}\"] }} }}",
        values[0], values[1], values[2], values[3], values[4]
    );
    (mapping, values)
}

/// Puts a private mapping on every team, person and group; returns every value.
fn put_private_values_everywhere(root: &Path) -> Vec<String> {
    let mut all = Vec::new();
    let mut next = || {
        let (mapping, values) = private_mapping(all.len() / 5);
        all.extend(values);
        mapping
    };
    for team in ["msp-alpha", "msp-beta", "msp-gamma", "esp-delta"] {
        let path = root.join(format!("data/teams/{team}.yaml"));
        let text = std::fs::read_to_string(&path).expect("team file");
        let kept: String = text
            .lines()
            .filter(|line| !line.starts_with("private:"))
            .map(|line| format!("{line}\n"))
            .collect();
        std::fs::write(&path, format!("{kept}private: {}\n", next())).expect("write");
    }
    edit(
        root,
        "data/people.yaml",
        "  private: { mobile: \"06 99 88 77 66\" }\n",
        "",
    );
    for name in ["Anne Martin", "Paul Durand"] {
        let line = format!("  name: {name}\n");
        edit(
            root,
            "data/people.yaml",
            &line,
            &format!("{line}  private: {}\n", next()),
        );
    }
    let line = "  name: Groupe local Loire\n";
    edit(
        root,
        "data/groups.yaml",
        line,
        &format!("{line}  private: {}\n", next()),
    );
    all
}

/// An output file as its readers get it: gzip files decompressed, and a
/// PDF's compressed streams inflated.
fn readable_text(path: &Path) -> String {
    let bytes = std::fs::read(path).expect("readable");
    let bytes = if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(bytes.as_slice())
            .read_to_end(&mut out)
            .expect("gzip");
        out
    } else if bytes.starts_with(b"%PDF") {
        with_streams_inflated(&bytes)
    } else {
        bytes
    };
    // Typography may have changed spaces and apostrophes.
    String::from_utf8_lossy(&bytes)
        .replace(['\u{a0}', '\u{202f}'], " ")
        .replace('’', "'")
}

fn with_streams_inflated(pdf: &[u8]) -> Vec<u8> {
    let mut out = pdf.to_vec();
    out.extend(common::pdf_streams(pdf).concat());
    out
}

#[test]
fn private_values_everywhere_reach_no_output_file_and_not_the_model() {
    let site = fixture("minimal");
    let private = put_private_values_everywhere(site.path());
    assert_eq!(private.len(), 7 * 5);
    let report = build(site.path()).expect("private values are allowed");
    assert!(report.pictures > 10);

    let output = site.path().join("output");
    let mut files = 0;
    for entry in walkdir::WalkDir::new(&output)
        .into_iter()
        .filter_map(Result::ok)
    {
        if !entry.file_type().is_file() {
            continue;
        }
        files += 1;
        let text = readable_text(entry.path());
        for value in &private {
            let compact = value.replace(' ', "");
            assert!(
                !text.contains(value.as_str()) && !text.contains(&compact),
                "{value:?} leaked into {}",
                entry
                    .path()
                    .strip_prefix(&output)
                    .expect("inside")
                    .display()
            );
        }
    }
    assert!(files > 60, "only {files} files");

    // Pictures are drawn from the model; PNG pixels cannot be searched, so
    // the model itself must not hold the values.
    let loaded = msp_site::Site::load(site.path()).expect("loads");
    let options = options(site.path());
    let model = SiteModel::build(
        site.path(),
        &loaded.data,
        &loaded.content,
        &ModelOptions {
            base_url: None,
            drafts: false,
            today: options.today,
        },
    );
    let views = serde_json::to_string(&(
        &model.config,
        &model.teams,
        &model.groups,
        &model.staff,
        &model.board,
        &model.actions,
        &model.tools,
        &model.news,
        &model.offers,
        &model.pages,
        &model.home,
        &model.region,
        &model.key_figures,
        &model.menu,
    ))
    .expect("serialisable")
        + model.teams_map.as_deref().unwrap_or_default();
    for value in &private {
        assert!(!views.contains(value.as_str()), "{value:?} is in the model");
    }
    // …while the leak check knows every one of them.
    for value in &private {
        assert!(
            model.private_values.contains(value),
            "{value:?} not checked"
        );
    }
}
