//! The example site is valid and whole: every page and picture passes the
//! Nu HTML Checker (the W3C's validator) without an error or a warning, and
//! `msp-site check` finds no broken internal link or anchor, no image
//! without text, no private value.
//!
//! The checker is a Java program: `./scripts/test` installs Java from
//! Debian's packages when missing and the pinned `vnu-jar` from npm into
//! `target/vnu/`, or `MSP_SITE_VNU_JAR` names a `vnu.jar`.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// The version `./scripts/test` installs, as `../shared/verify` pins it.
const VNU_VERSION: &str = "26.9.27";

fn vnu_jar() -> PathBuf {
    let jar = std::env::var_os("MSP_SITE_VNU_JAR").map_or_else(
        || common::repository().join("target/vnu/node_modules/vnu-jar/build/dist/vnu.jar"),
        PathBuf::from,
    );
    assert!(
        jar.is_file(),
        "the Nu HTML Checker {VNU_VERSION} is needed at {}: run ./scripts/test, which installs it",
        jar.display()
    );
    jar
}

/// Every message of the Nu HTML Checker on the pages (`.html`) and pictures
/// (`.svg`) of `dir` that is an error or a warning, as `file: message`.
fn nu_errors_and_warnings(dir: &Path) -> Vec<String> {
    let output = Command::new("java")
        .args(["-Xss2m", "-jar"])
        .arg(vnu_jar())
        .args([
            "--format",
            "json",
            "--stdout",
            "--exit-zero-always",
            "--skip-non-html",
            "--also-check-svg",
        ])
        .arg(dir)
        .output()
        .expect("java runs (./scripts/test installs it)");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: Value = serde_json::from_slice(&output.stdout).expect("the checker's JSON");
    let messages = report["messages"].as_array().expect("a list of messages");
    messages
        .iter()
        .filter(|m| {
            m["type"] == "error" || m["subType"] == "warning" || m["type"] == "non-document-error"
        })
        .map(|m| {
            let file = m["url"].as_str().unwrap_or_default();
            let file = file.rsplit_once("/output/").map_or(file, |(_, rest)| rest);
            format!(
                "{file}:{}: {}",
                m["lastLine"],
                m["message"].as_str().unwrap_or_default()
            )
        })
        .collect()
}

#[test]
fn the_example_site_is_valid_html_and_svg_with_no_broken_link() {
    let site = common::example_site();
    let report = common::build(site.path()).expect("the example builds");
    assert!(report.pages > 150);

    // Internal links, #anchors, text alternatives, private values.
    msp_site::check(&common::options(site.path()))
        .unwrap_or_else(|problems| panic!("msp-site check:\n{problems}"));

    let output = site.path().join("output");
    let pages = walkdir::WalkDir::new(&output)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| {
            e.path()
                .extension()
                .is_some_and(|x| x == "html" || x == "svg")
        })
        .count();
    assert!(pages > 250, "{pages} pages and pictures");
    let problems = nu_errors_and_warnings(&output);
    assert!(
        problems.is_empty(),
        "{} problems in {pages} files:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn the_checker_finds_what_it_is_meant_to_find() {
    // A page with a known error and a known warning, so that a checker that
    // silently checks nothing cannot pass the test above.
    let dir = tempfile::tempdir().expect("temporary folder");
    let output = dir.path().join("output");
    std::fs::create_dir_all(&output).expect("folder");
    std::fs::write(
        output.join("index.html"),
        "<!doctype html><html lang=fr><title>x</title><p><div>bloc</div></p><section></section>",
    )
    .expect("write");
    let problems = nu_errors_and_warnings(&output);
    assert!(
        problems
            .iter()
            .any(|p| p.contains("No “p” element in scope")),
        "{problems:?}"
    );
}
