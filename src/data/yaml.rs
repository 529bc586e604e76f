//! YAML parsing with located, readable errors.
//!
//! serde-saphyr gives every error and every [`Spanned`] value a line and
//! column; this module turns them into [`Diagnostic`]s that name the user's
//! file, shifted by `line_offset` when the YAML is a Markdown front matter.

use super::spanned::{Location, Spanned};
use serde::de::DeserializeOwned;

use crate::diagnostics::Diagnostic;
use crate::suggest;

/// Where a piece of YAML comes from, so that positions inside it can be
/// reported as positions in the user's file.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Source {
    /// Path relative to the site root, `/`-separated.
    pub path: String,
    /// Lines of the file before the YAML (1 for a front matter after `---`).
    pub line_offset: u64,
}

impl Source {
    pub fn new(path: impl Into<String>, line_offset: u64) -> Self {
        Source {
            path: path.into(),
            line_offset,
        }
    }

    /// A diagnostic at a location inside this source.
    pub fn at_location(&self, location: &Location, message: impl Into<String>) -> Diagnostic {
        if location.line() == 0 {
            return Diagnostic::whole_file(self.path.clone(), message);
        }
        Diagnostic::new(
            self.path.clone(),
            location.line() + self.line_offset,
            location.column(),
            message,
        )
    }

    /// A diagnostic at the place a spanned value was written.
    pub fn at<T>(&self, spanned: &Spanned<T>, message: impl Into<String>) -> Diagnostic {
        self.at_location(&spanned.referenced, message)
    }

    /// A diagnostic at a 1-based line of the whole file (not shifted).
    pub fn at_file_line(&self, line: u64, column: u64, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(self.path.clone(), line, column, message)
    }
}

/// Parses `text` as `T`, reporting a syntax or shape error at its position.
pub fn parse<T: DeserializeOwned>(source: &Source, text: &str) -> Result<T, Diagnostic> {
    if text.trim().is_empty() {
        return Err(Diagnostic::new(
            source.path.clone(),
            1 + source.line_offset,
            1,
            "the file is empty",
        ));
    }
    serde_saphyr::from_str::<T>(text).map_err(|error| {
        let error_line = error.location().map(|l| l.line() as usize);
        let blames_tab =
            |(line, _): &(usize, usize)| mentions_tab(&error) || error_line == Some(*line);
        if let Some((line, column)) = tab_indentation(text).filter(blames_tab) {
            return Diagnostic::new(
                source.path.clone(),
                line as u64 + source.line_offset,
                column as u64,
                "a tab indents this line: YAML indents with spaces only",
            );
        }
        let message = readable_message(strip_position(&error.without_snippet().to_string()));
        match error.location() {
            Some(location) => source.at_location(&Location::from(&location), message),
            None => Diagnostic::new(source.path.clone(), 1 + source.line_offset, 1, message),
        }
    })
}

fn mentions_tab(error: &serde_saphyr::Error) -> bool {
    error.without_snippet().to_string().contains("tab")
}

/// The first tab in a line's indentation (1-based line and column): the
/// usual cause of a YAML error that mentions tabs, wherever the parser
/// noticed it.
fn tab_indentation(text: &str) -> Option<(usize, usize)> {
    text.lines().enumerate().find_map(|(index, line)| {
        let indentation = &line[..line.len() - line.trim_start_matches([' ', '\t']).len()];
        indentation.find('\t').map(|at| (index + 1, at + 1))
    })
}

/// serde-saphyr's limits keep a hostile file (aliases that multiply, lists
/// nested thousands deep) from taking the build's memory or time; its
/// message names the limit as `Nodes { nodes: 250001 }`.
fn too_big_message(breach: &str) -> String {
    let (kind, rest) = breach.split_once(" {").unwrap_or((breach, ""));
    let count: u64 = rest
        .split('}')
        .next()
        .unwrap_or_default()
        .chars()
        .filter(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap_or(0);
    let limit = count.saturating_sub(1);
    let what = match kind {
        "Nodes" | "Events" => format!("holds more than {limit} values"),
        "Aliases" => format!("repeats more than {limit} aliases (`*name`)"),
        "Anchors" => format!("marks more than {limit} anchors (`&name`)"),
        "Depth" => format!("nests lists and mappings more than {limit} levels deep"),
        _ => format!("is beyond what a site file may hold ({kind})"),
    };
    format!(
        "this YAML {what}: write the values out plainly, without `&anchors` and `*aliases` that repeat them"
    )
}

/// serde-saphyr appends ` at line L, column C` to the message; the position is
/// printed in front by the diagnostic already.
fn strip_position(message: &str) -> &str {
    match message.rfind(" at line ") {
        Some(index) if message[index..].contains(", column ") => &message[..index],
        _ => message,
    }
}

/// Rewrites the parser's and serde's messages into words for editors, with a
/// suggestion where one is possible.
fn readable_message(message: &str) -> String {
    if let Some(rest) = message.strip_prefix("unknown field `") {
        if let Some((field, expected)) = rest.split_once("`, expected one of ") {
            return unknown_name_message("field", field, expected);
        }
        if let Some((field, expected)) = rest.split_once("`, expected ") {
            return unknown_name_message("field", field, expected);
        }
        if let Some((field, _)) = rest.split_once("`, there are no fields") {
            return format!("unknown field `{field}`: this entry takes no fields");
        }
    }
    if let Some(rest) = message.strip_prefix("unknown variant `") {
        if let Some((variant, expected)) = rest.split_once("`, expected one of ") {
            return unknown_name_message("value", variant, expected);
        }
        if let Some((variant, expected)) = rest.split_once("`, expected ") {
            return unknown_name_message("value", variant, expected);
        }
    }
    if let Some(rest) = message.strip_prefix("duplicate mapping key: ") {
        let key = rest
            .split(", set DuplicateKeyPolicy")
            .next()
            .unwrap_or(rest);
        return format!("duplicate key `{key}`: each key may appear only once");
    }
    if let Some(breach) = message.strip_prefix("budget breached: ") {
        return too_big_message(breach);
    }
    if message == "recursion limit exceeded" {
        return "lists and mappings are nested too deeply here: is a bracket left open?"
            .to_string();
    }
    match message {
        "invalid u8" | "invalid u16" | "invalid u32" | "invalid u64" | "invalid i8"
        | "invalid i16" | "invalid i32" | "invalid i64" => "expected a whole number".to_string(),
        "invalid f32" | "invalid f64" => "expected a number".to_string(),
        "invalid bool" => "expected `true` or `false`".to_string(),
        "expected string scalar" => "expected a text value".to_string(),
        "expected mapping start" => "expected a mapping of `key: value` lines".to_string(),
        "expected sequence start" => "expected a list".to_string(),
        "invalid trailing content after double-quoted scalar"
        | "invalid trailing content after single-quoted scalar" => {
            format!("{message}: is a quote left open on an earlier line?")
        }
        _ => message.to_string(),
    }
}

/// `unknown field `fondé``, with the nearest known name and the list of them.
fn unknown_name_message(what: &str, name: &str, expected: &str) -> String {
    let known: Vec<&str> = expected
        .split([',', ' '])
        .map(|part| part.trim().trim_matches('`'))
        .filter(|part| !part.is_empty() && *part != "or")
        .collect();
    let listing = known
        .iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ");
    match suggest::nearest(name, known.iter().copied()) {
        Some(candidate) => {
            format!(
                "unknown {what} `{name}`, did you mean `{candidate}`? (expected one of {listing})"
            )
        }
        None => format!("unknown {what} `{name}`, expected one of {listing}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Sample {
        founded: u32,
        name: String,
    }

    fn error_of(text: &str) -> String {
        parse::<Sample>(&Source::new("data/x.yaml", 0), text)
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn unknown_field_suggests_the_nearest() {
        assert_eq!(
            error_of("name: a\nfonded: 3\n"),
            "data/x.yaml:2:1: unknown field `fonded`, did you mean `founded`? (expected one of `founded`, `name`)"
        );
    }

    #[test]
    fn wrong_type_is_located() {
        assert_eq!(
            error_of("name: a\nfounded: deux\n"),
            "data/x.yaml:2:10: expected a whole number"
        );
    }

    #[test]
    fn duplicate_key_is_an_error() {
        assert_eq!(
            error_of("name: a\nname: b\nfounded: 1\n"),
            "data/x.yaml:2:1: duplicate key `name`: each key may appear only once"
        );
    }

    #[test]
    fn front_matter_offset_shifts_lines() {
        let error =
            parse::<Sample>(&Source::new("content/a.md", 1), "name: a\nfounded: x\n").unwrap_err();
        assert_eq!(
            error.to_string(),
            "content/a.md:3:10: expected a whole number"
        );
    }

    #[test]
    fn empty_file_is_reported() {
        assert_eq!(error_of("  \n"), "data/x.yaml:1:1: the file is empty");
    }
}
