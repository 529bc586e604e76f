//! Markdown bodies to HTML: CommonMark with tables, footnotes and
//! strikethrough, French spacing in text, and an id on every heading so that
//! sections can be linked to.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, RwLock};

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd, html};

use super::french;
use crate::content::load::slugify;
use crate::content::shortcodes::placeholder;
use crate::kept;

pub(crate) fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
}

/// Renders `markdown`; `shortcodes[i]` replaces the placeholder of call `i`.
pub fn to_html(markdown: &str, shortcodes: &[String]) -> String {
    let mut events: Vec<Event> = Vec::new();
    let mut in_code_block = false;
    let mut used_ids: HashSet<String> = HashSet::new();
    let mut heading_start: Option<usize> = None;
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Start(Tag::CodeBlock(_)) => {
                in_code_block = true;
                events.push(event);
            }
            Event::End(TagEnd::CodeBlock) => {
                in_code_block = false;
                events.push(event);
            }
            Event::Text(text) if !in_code_block => {
                events.push(Event::Text(CowStr::from(french::typography(&text))));
            }
            Event::Start(Tag::Heading { .. }) => {
                heading_start = Some(events.len());
                events.push(event);
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some(start) = heading_start.take() {
                    give_heading_an_id(&mut events, start, &mut used_ids);
                }
                events.push(event);
            }
            other => events.push(other),
        }
    }
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events.into_iter());
    for (index, replacement) in shortcodes.iter().enumerate() {
        out = out.replace(&placeholder(index), replacement);
    }
    out
}

/// Sets the id of the heading that starts at `events[start]` from its text,
/// unless the editor gave one (`## Titre {#mon-id}`).
fn give_heading_an_id(events: &mut [Event], start: usize, used: &mut HashSet<String>) {
    let text: String = events[start + 1..]
        .iter()
        .filter_map(|event| match event {
            Event::Text(text) | Event::Code(text) => Some(text.as_ref()),
            _ => None,
        })
        .collect();
    if let Event::Start(Tag::Heading { id, .. }) = &mut events[start] {
        if let Some(given) = id {
            used.insert(given.to_string());
            return;
        }
        let base = match slugify(&text) {
            slug if slug.is_empty() => "section".to_string(),
            slug => slug,
        };
        let mut candidate = base.clone();
        let mut counter = 2;
        while !used.insert(candidate.clone()) {
            candidate = format!("{base}-{counter}");
            counter += 1;
        }
        *id = Some(CowStr::from(candidate));
    }
}

/// The text of a Markdown snippet without markup, e.g. for a description.
pub fn plain_text(markdown: &str) -> String {
    let mut text = String::new();
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph) => text.push(' '),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Bodies rendered by the last build, by the hash of their Markdown and of
/// their shortcodes' HTML, so that an unchanged body is not rendered again:
/// the 12 000 bodies of a national site take a quarter of a second of CPU.
/// `build` keeps them in `.msp-cache/markdown`, `serve` in memory.
#[derive(Default)]
pub struct RenderedBodies {
    /// Where they are kept between processes; `None`: in memory only.
    file: Option<PathBuf>,
    /// What the last build rendered or found.
    kept: RwLock<HashMap<blake3::Hash, String>>,
    /// What this build rendered or found: it replaces `kept` when the
    /// build ends (`finish`), so that bodies no longer in the site go.
    seen: Mutex<HashMap<blake3::Hash, String>>,
    /// Bodies rendered (not found) since the last `finish`.
    rendered: AtomicUsize,
    /// Bodies rendered (not found) by the last finished build, for tests.
    pub rendered_by_last: AtomicUsize,
}

impl RenderedBodies {
    /// The bodies kept at `file` by the last build of this program; none if
    /// it does not read.
    pub fn stored_in(file: PathBuf) -> RenderedBodies {
        let kept = kept::read(&file, |bytes| read_bodies(&bytes));
        RenderedBodies {
            file: Some(file),
            kept: RwLock::new(kept),
            ..RenderedBodies::default()
        }
    }

    /// Starts a build: nothing seen or rendered yet (a `serve` rebuild that
    /// failed may have left some).
    pub fn begin(&self) {
        if let Ok(mut seen) = self.seen.lock() {
            seen.clear();
        }
        self.rendered.store(0, Ordering::Relaxed);
    }

    /// `to_html`, found among the bodies of the last build when it can be.
    pub fn to_html(&self, markdown: &str, shortcodes: &[String]) -> String {
        let key = body_key(markdown, shortcodes);
        let found = self
            .kept
            .read()
            .ok()
            .and_then(|kept| kept.get(&key).cloned());
        let html = found.unwrap_or_else(|| {
            self.rendered.fetch_add(1, Ordering::Relaxed);
            to_html(markdown, shortcodes)
        });
        if let Ok(mut seen) = self.seen.lock() {
            seen.insert(key, html.clone());
        }
        html
    }

    /// Ends a build: what it rendered or found is kept for the next one
    /// (written to the file, if any, when it differs from what was read),
    /// and what it did not look for if `keep_unseen`: the bodies of tools
    /// the build left out (`content::load::Tools`). Bodies gone since are
    /// then kept too, until the next build that loads the tools (the first
    /// of each day at least: the day is among what the toolbox is made from).
    pub fn finish(&self, keep_unseen: bool) {
        let (Ok(mut kept), Ok(mut seen)) = (self.kept.write(), self.seen.lock()) else {
            return;
        };
        let rendered = self.rendered.swap(0, Ordering::Relaxed);
        self.rendered_by_last.store(rendered, Ordering::Relaxed);
        let last = kept.len();
        if keep_unseen {
            for (key, html) in kept.drain() {
                seen.entry(key).or_insert(html);
            }
        }
        let changed = rendered > 0 || seen.len() != last;
        *kept = std::mem::take(&mut *seen);
        if let (Some(file), true) = (&self.file, changed) {
            let mut bodies: Vec<(&blake3::Hash, &String)> = kept.iter().collect();
            bodies.sort_unstable_by_key(|(key, _)| *key.as_bytes());
            let mut out = header();
            for (key, html) in bodies {
                out.extend_from_slice(key.as_bytes());
                if kept::write_chunk(&mut out, html.as_bytes()).is_none() {
                    return;
                }
            }
            kept::seal_and_write(out, file);
        }
    }
}

/// What a body is rendered from: each text with its length before it, so
/// that no two different bodies give the same bytes to hash.
fn body_key(markdown: &str, shortcodes: &[String]) -> blake3::Hash {
    let mut key = blake3::Hasher::new();
    for text in std::iter::once(markdown).chain(shortcodes.iter().map(String::as_str)) {
        key.update(&(text.len() as u64).to_le_bytes());
        key.update(text.as_bytes());
    }
    key.finalize()
}

fn header() -> Vec<u8> {
    kept::header("markdown 1", "")
}

fn read_bodies(bytes: &[u8]) -> Option<HashMap<blake3::Hash, String>> {
    let mut rest = kept::opened(bytes, &header())?;
    let mut bodies = HashMap::new();
    while !rest.is_empty() {
        let key = kept::take_hash(&mut rest)?;
        let html = std::str::from_utf8(kept::take_chunk(&mut rest)?).ok()?;
        bodies.insert(key, html.to_string());
    }
    Some(bodies)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_are_kept_by_what_they_are_rendered_from() {
        let key = |markdown: &str, shortcodes: &[&str]| {
            let shortcodes: Vec<String> = shortcodes.iter().map(|s| s.to_string()).collect();
            body_key(markdown, &shortcodes)
        };
        assert_eq!(key("a", &["b"]), key("a", &["b"]));
        assert_ne!(key("a\0b", &[]), key("a", &["b"]));
        assert_ne!(key("ab", &[]), key("a", &["b"]));
        assert_ne!(key("a", &["b", ""]), key("a", &["b"]));
        assert_ne!(key("a", &["bc"]), key("a", &["b", "c"]));
    }

    #[test]
    fn headings_get_unique_ids() {
        let html = to_html(
            "## Les étapes\n\n## Les étapes\n\n## Autre {#mon-id}\n",
            &[],
        );
        assert!(
            html.contains("<h2 id=\"les-etapes\">Les étapes</h2>"),
            "{html}"
        );
        assert!(html.contains("<h2 id=\"les-etapes-2\">"), "{html}");
        assert!(html.contains("<h2 id=\"mon-id\">"), "{html}");
    }

    #[test]
    fn french_spacing_applies_to_text_but_not_code() {
        let html = to_html("Attention : voir `a : b`\n\n```\nx : y\n```\n", &[]);
        assert!(
            html.contains("Attention\u{202F}: voir <code>a : b</code>"),
            "{html}"
        );
        assert!(html.contains("x : y"), "{html}");
    }

    #[test]
    fn placeholders_are_replaced() {
        let html = to_html(
            "Avant\n\n<!--msp-shortcode-0-->\n\nAprès\n",
            &["<figure>X</figure>".to_string()],
        );
        assert!(html.contains("<figure>X</figure>"), "{html}");
        assert!(!html.contains("msp-shortcode"));
    }

    #[test]
    fn tables_render() {
        let html = to_html("| a | b |\n|---|---|\n| 1 | 2 |\n", &[]);
        assert!(html.contains("<table>"));
    }
}
