//! Checks of the rendered site, before anything is published: every internal
//! link and `#anchor` leads somewhere, every image has an alt text, and no
//! private value of the data appears in any file.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::io::Read;

use crate::render::OutputFile;

/// One problem in one output file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Finding {
    /// The file, as its path in `output/`.
    pub page: String,
    pub message: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "output/{}: {}", self.page, self.message)
    }
}

/// Every finding of a check, sorted by page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Findings(pub Vec<Finding>);

impl fmt::Display for Findings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for finding in &self.0 {
            writeln!(f, "{finding}")?;
        }
        let count = self.0.len();
        write!(f, "{count} problem{}", if count == 1 { "" } else { "s" })
    }
}

/// Private values shorter than this are not searched for: a two-digit number
/// would be "found" in every page.
const SHORTEST_PRIVATE_VALUE: usize = 4;

/// Checks the rendered `files` of a site published under `base_path` (`/`
/// or `/prefix/`), with the `private` values of its data.
pub fn check_output(files: &[OutputFile], base_path: &str, private: &[String]) -> Findings {
    let paths: HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let html: Vec<(&str, String)> = files
        .iter()
        .filter(|f| f.path.ends_with(".html"))
        .filter_map(|f| Some((f.path.as_str(), text_of(f)?)))
        .collect();
    let anchors: HashMap<&str, HashSet<String>> = html
        .iter()
        .map(|(path, text)| (*path, attribute_values(text, "id").into_iter().collect()))
        .collect();
    let mut findings = Vec::new();
    for (page, text) in &html {
        check_links(page, text, base_path, &paths, &anchors, &mut findings);
        check_images(page, text, &mut findings);
    }
    check_private_values(files, private, &mut findings);
    findings.sort();
    findings.dedup();
    Findings(findings)
}

/// The text of a file, if it is text; Pagefind's files are gzip streams
/// and are read uncompressed, so that the search index is checked too.
fn text_of(file: &OutputFile) -> Option<String> {
    let bytes = file.contents.read().ok()?;
    if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut text = String::new();
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_string(&mut text)
            .ok()?;
        return Some(text);
    }
    String::from_utf8(bytes.into_owned()).ok()
}

/// Values of every `name=` attribute in `html`, quoted or not (the pages are
/// minified), with the entities links may carry decoded.
fn attribute_values(html: &str, name: &str) -> Vec<String> {
    let mut values = Vec::new();
    let needle = format!("{name}=");
    let mut rest = html;
    while let Some(at) = rest.find(&needle) {
        let before = rest[..at].chars().next_back();
        rest = &rest[at + needle.len()..];
        // `data-id=` or `aria-labelledby=` are other attributes.
        if !before.is_some_and(|c| c.is_whitespace()) {
            continue;
        }
        let (value, after) = match rest.chars().next() {
            Some(quote @ ('"' | '\'')) => {
                let body = &rest[1..];
                let end = body.find(quote).unwrap_or(body.len());
                (&body[..end], &body[end..])
            }
            _ => {
                let end = rest
                    .find(|c: char| c.is_whitespace() || c == '>')
                    .unwrap_or(rest.len());
                (&rest[..end], &rest[end..])
            }
        };
        values.push(decode_entities(value));
        rest = after;
    }
    values
}

fn decode_entities(text: &str) -> String {
    text.replace("&amp;", "&")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
}

fn is_external(link: &str) -> bool {
    let scheme_end = link.find(':');
    let path_start = link.find(['/', '?', '#']);
    match (scheme_end, path_start) {
        (Some(colon), Some(slash)) => colon < slash,
        (Some(_), None) => true,
        _ => link.starts_with("//"),
    }
}

/// The output path a link of `page` leads to, or `None` if it leaves the site.
fn resolve(page: &str, link: &str, base_path: &str) -> Option<String> {
    let path = if let Some(absolute) = link.strip_prefix('/') {
        let inside = format!("/{absolute}");
        inside.strip_prefix(base_path)?.to_string()
    } else {
        let folder = page.rsplit_once('/').map_or("", |(folder, _)| folder);
        if folder.is_empty() {
            link.to_string()
        } else {
            format!("{folder}/{link}")
        }
    };
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    let joined = parts.join("/");
    Some(if joined.is_empty() || joined.ends_with('/') {
        format!("{joined}index.html")
    } else {
        joined
    })
}

fn check_links(
    page: &str,
    html: &str,
    base_path: &str,
    paths: &HashSet<&str>,
    anchors: &HashMap<&str, HashSet<String>>,
    findings: &mut Vec<Finding>,
) {
    let links = attribute_values(html, "href")
        .into_iter()
        .chain(attribute_values(html, "src"));
    for link in links {
        if link.is_empty() || is_external(&link) {
            continue;
        }
        let (address, anchor) = link.split_once('#').unwrap_or((&link, ""));
        let address = address.split('?').next().unwrap_or_default();
        let target = if address.is_empty() {
            page.to_string()
        } else {
            match resolve(page, address, base_path) {
                Some(target) => target,
                None => {
                    findings.push(Finding {
                        page: page.to_string(),
                        message: format!("link `{link}` leads outside the site"),
                    });
                    continue;
                }
            }
        };
        if !paths.contains(target.as_str()) {
            findings.push(Finding {
                page: page.to_string(),
                message: format!("broken link `{link}`: no file `{target}` in the site"),
            });
        } else if !anchor.is_empty()
            && let Some(ids) = anchors.get(target.as_str())
            && !ids.contains(anchor)
        {
            findings.push(Finding {
                page: page.to_string(),
                message: format!("broken link `{link}`: no `id={anchor}` in `{target}`"),
            });
        }
    }
}

fn check_images(page: &str, html: &str, findings: &mut Vec<Finding>) {
    for (index, _) in html.match_indices("<img") {
        let tag_end = html[index..]
            .find('>')
            .map_or(html.len(), |end| index + end);
        let tag = &html[index..tag_end];
        let has_alt = tag
            .split(|c: char| c.is_whitespace())
            .any(|part| part == "alt" || part.starts_with("alt="));
        if !has_alt {
            let source = attribute_values(tag, "src")
                .into_iter()
                .next()
                .unwrap_or_default();
            findings.push(Finding {
                page: page.to_string(),
                message: format!(
                    "image `{source}` has no alt text: add one (or alt=\"\" if it is decoration)"
                ),
            });
        }
    }
}

/// Text as a reader sees it: the typographic spaces and apostrophes the
/// renderer puts in are made plain, so that a private note is found even
/// after French typography changed it.
fn normalized(text: &str) -> String {
    decode_entities(text)
        .replace(['\u{a0}', '\u{202f}'], " ")
        .replace('\u{2019}', "'")
}

fn check_private_values(files: &[OutputFile], private: &[String], findings: &mut Vec<Finding>) {
    let values: Vec<String> = private
        .iter()
        .map(|value| normalized(value.trim()))
        .filter(|value| value.chars().count() >= SHORTEST_PRIVATE_VALUE)
        .collect();
    if values.is_empty() {
        return;
    }
    for file in files {
        let Some(text) = text_of(file) else { continue };
        let text = normalized(&text);
        for value in &values {
            if text.contains(value.as_str()) {
                findings.push(Finding {
                    page: file.path.clone(),
                    message: format!(
                        "a private value of the data is published: `{value}` (private: values must never appear)"
                    ),
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(path: &str, html: &str) -> OutputFile {
        OutputFile::text(path, html.to_string())
    }

    #[test]
    fn attributes_are_read_quoted_or_not() {
        let html = r#"<a href=/a/ id=x><a data-href="no" href="/b/?q=1&amp;t=2">"#;
        assert_eq!(attribute_values(html, "href"), ["/a/", "/b/?q=1&t=2"]);
        assert_eq!(attribute_values(html, "id"), ["x"]);
    }

    #[test]
    fn links_resolve_against_the_page_and_the_base_path() {
        assert_eq!(
            resolve("a/index.html", "b.png", "/"),
            Some("a/b.png".into())
        );
        assert_eq!(
            resolve("a/index.html", "../", "/"),
            Some("index.html".into())
        );
        assert_eq!(
            resolve("index.html", "/site/a/", "/site/"),
            Some("a/index.html".into())
        );
        assert_eq!(resolve("index.html", "/other/", "/site/"), None);
        assert_eq!(resolve("index.html", "../../x", "/"), None);
    }

    #[test]
    fn finds_broken_links_anchors_missing_alt_and_private_values() {
        let files = vec![
            page(
                "index.html",
                "<h2 id=top>x</h2><a href=/a/>a</a><a href=/nope/>b</a><a href=#top>c</a>\
                 <a href=/a/#missing>d</a><a href=https://example.org/>e</a><img src=/logo.svg>",
            ),
            page(
                "a/index.html",
                "<p>06 12 34 56 78</p><img alt src=/logo.svg>",
            ),
            page("logo.svg", "<svg/>"),
        ];
        let findings = check_output(&files, "/", &["06 12 34 56 78".to_string(), "12".into()]);
        let lines: Vec<String> = findings.0.iter().map(ToString::to_string).collect();
        assert_eq!(
            lines,
            [
                "output/a/index.html: a private value of the data is published: `06 12 34 56 78` (private: values must never appear)",
                "output/index.html: broken link `/a/#missing`: no `id=missing` in `a/index.html`",
                "output/index.html: broken link `/nope/`: no file `nope/index.html` in the site",
                "output/index.html: image `/logo.svg` has no alt text: add one (or alt=\"\" if it is decoration)",
            ]
        );
    }
}
