//! Splitting a Markdown file into its YAML front matter and its body.

use crate::diagnostics::Diagnostic;

/// A Markdown file cut in two.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the two `---` lines.
    pub yaml: &'a str,
    /// The Markdown after the closing `---` line.
    pub body: &'a str,
    /// 1-based line of the file where the body starts.
    pub body_line: u64,
}

/// Cuts `text` (BOM already removed) at its `---` lines.
pub fn split<'a>(path: &str, text: &'a str) -> Result<Split<'a>, Diagnostic> {
    let first_line_end = text.find('\n').map_or(text.len(), |i| i + 1);
    if text[..first_line_end].trim_end() != "---" {
        return Err(Diagnostic::whole_file(
            path,
            "missing front matter: the file must start with a line `---`, then fields such as `title: …`, then a line `---`",
        ));
    }
    let yaml_start = first_line_end;
    let mut offset = yaml_start;
    let mut line = 2u64;
    while offset < text.len() {
        let end = text[offset..]
            .find('\n')
            .map_or(text.len(), |i| offset + i + 1);
        if text[offset..end].trim_end() == "---" {
            return Ok(Split {
                yaml: &text[yaml_start..offset],
                body: &text[end..],
                body_line: line + 1,
            });
        }
        offset = end;
        line += 1;
    }
    Err(Diagnostic::whole_file(
        path,
        "the front matter is not closed: add a line `---` after its last field",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_yaml_and_body() {
        let parts = split("a.md", "---\ntitle: A\n---\nBody\n").unwrap();
        assert_eq!(parts.yaml, "title: A\n");
        assert_eq!(parts.body, "Body\n");
        assert_eq!(parts.body_line, 4);
    }

    #[test]
    fn accepts_windows_line_endings() {
        let parts = split("a.md", "---\r\ntitle: A\r\n---\r\nBody\r\n").unwrap();
        assert_eq!(parts.yaml, "title: A\r\n");
        assert_eq!(parts.body, "Body\r\n");
    }

    #[test]
    fn reports_missing_and_unclosed_front_matter() {
        assert_eq!(
            split("a.md", "# Titre\n").unwrap_err().to_string(),
            "a.md:1:1: missing front matter: the file must start with a line `---`, then fields such as `title: …`, then a line `---`"
        );
        assert_eq!(
            split("a.md", "---\ntitle: A\nBody\n")
                .unwrap_err()
                .to_string(),
            "a.md:1:1: the front matter is not closed: add a line `---` after its last field"
        );
    }
}
