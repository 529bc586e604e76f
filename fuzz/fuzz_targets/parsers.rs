//! The parsers alone, without a site around them: thousands of inputs a
//! second where the whole-site targets manage a few dozen. The first byte
//! chooses the parser, the rest is the file's text (invalid UTF-8 is
//! replaced, as the loaders refuse it before any parser sees it).
//!
//! A Markdown document goes through every step a page's body takes:
//! front matter, its YAML, shortcodes, unsafe links, Markdown to HTML,
//! plain text for the search index, French typography.
#![no_main]

use msp_site::content::{
    HomeMeta, NewsMeta, OfferMeta, PageMeta, ToolMeta, front_matter, links, shortcodes,
};
use msp_site::data::{
    Action, Chart, Group, Person, SiteConfig, Source, Team, Term, ToolViews, yaml,
};
use msp_site::render::{french, markdown};
use serde::de::DeserializeOwned;

fn parse<T: DeserializeOwned>(text: &str) {
    let _ = yaml::parse::<T>(&Source::new("fuzz.yaml".to_string(), 1), text);
}

fn document<M: DeserializeOwned>(text: &str) {
    let Ok(parts) = front_matter::split("fuzz.md", text) else {
        return;
    };
    parse::<M>(parts.yaml);
    let (body, calls, _) = shortcodes::extract(parts.body, parts.body_line);
    let _ = links::unsafe_links(&body, parts.body_line);
    let rendered: Vec<String> = calls
        .iter()
        .map(|call| format!("<p>{}</p>", call.name))
        .collect();
    let html = markdown::to_html(&body, &rendered);
    let _ = markdown::plain_text(&body);
    let _ = french::typography(&html);
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Some((choice, bytes)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(bytes);
    match choice % 14 {
        0 => document::<ToolMeta>(&text),
        1 => document::<NewsMeta>(&text),
        2 => document::<OfferMeta>(&text),
        3 => document::<PageMeta>(&text),
        4 => document::<HomeMeta>(&text),
        5 => parse::<SiteConfig>(&text),
        6 => parse::<Team>(&text),
        7 => parse::<Vec<Group>>(&text),
        8 => parse::<Vec<Person>>(&text),
        9 => parse::<Vec<Action>>(&text),
        10 => parse::<Vec<Term>>(&text),
        11 => parse::<Chart>(&text),
        12 => parse::<Vec<ToolViews>>(&text),
        _ => {
            let source = Source::new("fuzz.csv".to_string(), 1);
            let _ = msp_site::data::parse_csv(&source, "fuzz", &text);
        }
    }
});
