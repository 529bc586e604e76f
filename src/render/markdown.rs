//! Markdown bodies to HTML: CommonMark with tables, footnotes and
//! strikethrough, French spacing in text, and an id on every heading so that
//! sections can be linked to.

use std::collections::HashSet;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd, html};

use super::french;
use crate::content::load::slugify;
use crate::content::shortcodes::placeholder;

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

#[cfg(test)]
mod tests {
    use super::*;

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
