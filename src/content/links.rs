//! Link destinations in Markdown bodies that would run code: a
//! `[texte](javascript:…)` link or a `data:` page is refused at the link,
//! with its position. Raw HTML stays the editors' own responsibility.

use pulldown_cmark::{Event, Parser, Tag};

use super::shortcodes::ShortcodeError;

/// Every link or image of `body` whose address would run code or hide a
/// page; `first_line` is the body's line in the file.
pub fn unsafe_links(body: &str, first_line: u64) -> Vec<ShortcodeError> {
    Parser::new_ext(body, crate::render::markdown::options())
        .into_offset_iter()
        .filter_map(|(event, range)| {
            let (address, is_image) = match event {
                Event::Start(Tag::Link { dest_url, .. }) => (dest_url, false),
                Event::Start(Tag::Image { dest_url, .. }) => (dest_url, true),
                _ => return None,
            };
            let message = refusal(&address, is_image)?;
            let before = &body[..range.start];
            let line = first_line + before.matches('\n').count() as u64;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u64 + 1;
            Some(ShortcodeError {
                line,
                column,
                message,
            })
        })
        .collect()
}

/// Why `address` may not be published, if it may not. Browsers ignore
/// spaces, tabs and case in a scheme (`Java\tScript:`), so this does too.
fn refusal(address: &str, is_image: bool) -> Option<String> {
    let (scheme, rest) = address.split_once(':')?;
    let scheme: String = scheme
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_ascii_control())
        .collect::<String>()
        .to_ascii_lowercase();
    let shown: String = address.chars().take(40).collect();
    let what = if is_image { "the image" } else { "the link" };
    match scheme.as_str() {
        "javascript" | "vbscript" => Some(format!(
            "{what} `{shown}` would run code in visitors' browsers: link to a web address (https://…) or to a page of the site"
        )),
        "data" if is_image && is_raster_image(rest) => None,
        "data" => Some(format!(
            "{what} `{shown}` hides a whole document in its address: put the file next to this page and link to it"
        )),
        _ => None,
    }
}

/// `data:image/png;base64,…` and the like: pixels, no script (unlike SVG).
fn is_raster_image(rest: &str) -> bool {
    let kind = rest.trim_start().to_ascii_lowercase();
    [
        "image/png",
        "image/jpeg",
        "image/gif",
        "image/webp",
        "image/avif",
    ]
    .iter()
    .any(|raster| kind.starts_with(raster))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(body: &str) -> Vec<(u64, u64)> {
        unsafe_links(body, 5)
            .into_iter()
            .map(|e| (e.line, e.column))
            .collect()
    }

    #[test]
    fn script_and_data_links_are_refused_where_they_are() {
        assert_eq!(
            refused(
                "Un [lien](javascript:alert(1)).\n\nPuis <JavaScript:x> et [b](jav\tascript:x)\n"
            ),
            vec![(5, 4), (7, 6)]
        );
        assert_eq!(refused("- [page](data:text/html,<b>x</b>)\n"), vec![(5, 3)]);
        assert_eq!(
            refused("![logo](data:image/svg+xml,<svg/>)\n"),
            vec![(5, 1)]
        );
    }

    #[test]
    fn web_addresses_pages_and_raster_data_images_are_kept() {
        assert!(
            refused("[a](https://x.org) [b](/outils/) [c](#top) [d](mailto:a@b.fr)\n").is_empty()
        );
        assert!(refused("![p](data:image/png;base64,iVBOR)\n").is_empty());
        assert!(refused("`[a](javascript:x)`\n\n    [b](javascript:y)\n").is_empty());
    }
}
