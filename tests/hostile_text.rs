//! Hostile text is inert: markup and script typed into data fields and front
//! matter (a team name, a tool title, a partner…) is published as text in
//! HTML, attributes, SVG, JSON, feeds and the search index, never as code.
//! The browser test (`tests/browser.rs`) runs the same site in Chromium.

mod common;

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use common::hostile::{make_hostile, payload};
use common::{build, fixture, read};

/// What a hostile payload would have become if it had been copied as
/// markup: an element or attribute found by a real parser.
fn live_markup_in_html(html: &str) -> Vec<String> {
    use std::cell::RefCell;
    let found = RefCell::new(Vec::new());
    let mut rewriter = lol_html::HtmlRewriter::new(
        lol_html::Settings::new()
            .append_element_content_handler(lol_html::element!("*", |element| {
                for attribute in element.attributes() {
                    let name = attribute.name();
                    let value = attribute.value();
                    let is_handler = name.starts_with("on");
                    let is_script_url = value
                        .trim_start()
                        .to_ascii_lowercase()
                        .starts_with("javascript:");
                    if is_handler || name == "data-pwned" || is_script_url {
                        found
                            .borrow_mut()
                            .push(format!("<{} {name}={value:?}>", element.tag_name()));
                    }
                }
                Ok(())
            }))
            .append_element_content_handler(lol_html::text!("script, style", |chunk| {
                if chunk.as_str().contains("__pwned") {
                    found
                        .borrow_mut()
                        .push(format!("script or style: {}", chunk.as_str()));
                }
                Ok(())
            })),
        |_: &[u8]| {},
    );
    rewriter.write(html.as_bytes()).expect("parsable HTML");
    rewriter.end().expect("parsable HTML");
    found.into_inner()
}

/// The same for SVG and XML, which must stay well-formed.
fn live_markup_in_xml(text: &str) -> Vec<String> {
    let document = roxmltree::Document::parse(text).unwrap_or_else(|e| panic!("not XML: {e}"));
    let mut found = Vec::new();
    for node in document.descendants().filter(roxmltree::Node::is_element) {
        let tag = node.tag_name().name();
        if matches!(tag, "script" | "img" | "foreignObject") {
            found.push(format!("<{tag}>"));
        }
        for attribute in node.attributes() {
            if attribute.name().starts_with("on") || attribute.name() == "data-pwned" {
                found.push(format!("<{tag} {}>", attribute.name()));
            }
        }
    }
    found
}

fn read_output(output: &Path, relative: &Path) -> Vec<u8> {
    let bytes = std::fs::read(output.join(relative)).expect("readable");
    if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(bytes.as_slice())
            .read_to_end(&mut out)
            .expect("gzip");
        return out;
    }
    bytes
}

#[test]
fn hostile_text_in_every_field_is_published_as_text() {
    let site = fixture("minimal");
    make_hostile(site.path());
    build(site.path()).expect("hostile text is not an error: it is escaped");
    let output = site.path().join("output");
    let mut checked = BTreeMap::<String, usize>::new();
    for entry in walkdir::WalkDir::new(&output)
        .into_iter()
        .filter_map(Result::ok)
    {
        if !entry.file_type().is_file() {
            continue;
        }
        let relative = entry.path().strip_prefix(&output).expect("inside");
        let extension = relative.extension().and_then(|e| e.to_str()).unwrap_or("");
        let bytes = read_output(&output, relative);
        let text = String::from_utf8_lossy(&bytes);
        let found = match extension {
            "html" => live_markup_in_html(&text),
            "svg" | "xml" => live_markup_in_xml(&text),
            "json" => {
                serde_json::from_slice::<serde_json::Value>(&bytes)
                    .unwrap_or_else(|e| panic!("{}: not JSON: {e}", relative.display()));
                Vec::new()
            }
            _ => continue,
        };
        assert!(
            found.is_empty(),
            "{}: live markup {found:#?}",
            relative.display()
        );
        *checked.entry(extension.to_string()).or_default() += 1;
    }
    assert!(
        checked["html"] > 20 && checked["svg"] > 5 && checked["xml"] >= 1 && checked["json"] >= 4,
        "{checked:?}"
    );

    // The text did get in, whole, as text: in a page's title and body, in
    // an attribute, in the pictures' SVG, in the feed, in JSON.
    let team = read(site.path(), "equipes/msp-alpha/index.html");
    let title = element_text(&team, "h1");
    assert!(title.contains(&payload(6)), "{title}");
    let svg = read(site.path(), "equipes/msp-alpha/scan-equipe.svg");
    let svg_text: String = roxmltree::Document::parse(&svg)
        .expect("XML")
        .descendants()
        .filter_map(|n| n.text())
        .collect();
    assert!(
        svg_text.contains("Champ6 <script>"),
        "the Scan'équipe names the team"
    );
    let feed = read(site.path(), "atom.xml");
    let feed_text: String = roxmltree::Document::parse(&feed)
        .expect("XML")
        .descendants()
        .filter_map(|n| n.text())
        .collect();
    assert!(
        feed_text.contains(&payload(23)),
        "the feed names the news item"
    );
    let json: serde_json::Value =
        serde_json::from_str(&read(site.path(), "equipes/msp-alpha/scan-equipe.json"))
            .expect("JSON");
    assert!(json.to_string().contains("Champ6 <script>"), "{json}");
}

/// The text of the first `selector` element of a page, entities decoded.
fn element_text(html: &str, selector: &str) -> String {
    use std::cell::RefCell;
    let text = RefCell::new(String::new());
    let mut rewriter = lol_html::HtmlRewriter::new(
        lol_html::Settings::new().append_element_content_handler(lol_html::text!(
            selector,
            |chunk| {
                text.borrow_mut().push_str(chunk.as_str());
                Ok(())
            }
        )),
        |_: &[u8]| {},
    );
    rewriter.write(html.as_bytes()).expect("parsable HTML");
    rewriter.end().expect("parsable HTML");
    decode_entities(&text.into_inner())
}

/// Decodes the entities a minifier leaves in text (`&lt;`, `&amp;`, `&#39;`…).
fn decode_entities(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
}
