//! Shortcodes in Markdown bodies: `{{ chart(name="statut-coordinateurs") }}`
//! on a line of its own.

use std::collections::BTreeMap;

/// One shortcode call found in a body.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Shortcode {
    pub name: String,
    pub args: BTreeMap<String, String>,
    /// 1-based line and column in the whole file.
    pub line: u64,
    pub column: u64,
}

/// A problem in a shortcode call, with its position in the whole file.
#[derive(Debug, Clone, PartialEq)]
pub struct ShortcodeError {
    pub line: u64,
    pub column: u64,
    pub message: String,
}

/// Text that stands in the body, until rendering, where shortcode `index` was.
pub fn placeholder(index: usize) -> String {
    format!("<!--msp-shortcode-{index}-->")
}

/// Replaces every shortcode line of `body` (outside fenced code) with a
/// placeholder, and returns the calls found. `first_line` is the body's line
/// in the file.
pub fn extract(body: &str, first_line: u64) -> (String, Vec<Shortcode>, Vec<ShortcodeError>) {
    let mut out = String::with_capacity(body.len());
    let mut calls = Vec::new();
    let mut errors = Vec::new();
    let mut fence: Option<&str> = None;
    for (index, raw_line) in body.split_inclusive('\n').enumerate() {
        let line_number = first_line + index as u64;
        let line = raw_line.trim_end_matches(['\n', '\r']);
        let trimmed = line.trim_start();
        if let Some(marker) = fence {
            if trimmed.starts_with(marker) {
                fence = None;
            }
            out.push_str(raw_line);
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = Some(&trimmed[..3]);
            out.push_str(raw_line);
            continue;
        }
        let stripped = trimmed.trim_end();
        if stripped.starts_with("{{") && stripped.ends_with("}}") {
            let column = (line.len() - trimmed.len()) as u64 + 1;
            match parse_call(&stripped[2..stripped.len() - 2]) {
                Ok((name, args)) => {
                    out.push('\n');
                    out.push_str(&placeholder(calls.len()));
                    out.push_str("\n\n");
                    calls.push(Shortcode {
                        name,
                        args,
                        line: line_number,
                        column,
                    });
                }
                Err(message) => {
                    errors.push(ShortcodeError {
                        line: line_number,
                        column,
                        message,
                    });
                    out.push_str(raw_line);
                }
            }
            continue;
        }
        out.push_str(raw_line);
    }
    (out, calls, errors)
}

/// Parses `name(key="value", other="x")`.
fn parse_call(inner: &str) -> Result<(String, BTreeMap<String, String>), String> {
    let inner = inner.trim();
    let open = inner.find('(').ok_or_else(|| {
        format!("malformed shortcode `{{{{ {inner} }}}}`: expected `name(key=\"value\")`")
    })?;
    if !inner.ends_with(')') {
        return Err(format!(
            "malformed shortcode `{{{{ {inner} }}}}`: missing `)`"
        ));
    }
    let name = inner[..open].trim().to_string();
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(format!(
            "malformed shortcode `{{{{ {inner} }}}}`: expected a name before `(`"
        ));
    }
    let mut args = BTreeMap::new();
    let mut rest = inner[open + 1..inner.len() - 1].trim();
    while !rest.is_empty() {
        let equals = rest.find('=').ok_or_else(|| {
            format!("malformed argument `{rest}` in shortcode `{name}`: expected key=\"value\"")
        })?;
        let key = rest[..equals].trim().to_string();
        let after = rest[equals + 1..].trim_start();
        let quote = after
            .chars()
            .next()
            .filter(|c| *c == '"' || *c == '\'')
            .ok_or_else(|| {
                format!("the value of `{key}` in shortcode `{name}` must be in quotes")
            })?;
        let close = after[1..]
            .find(quote)
            .ok_or_else(|| format!("unclosed quote in shortcode `{name}`"))?;
        args.insert(key, after[1..1 + close].to_string());
        rest = after[close + 2..]
            .trim_start()
            .trim_start_matches(',')
            .trim_start();
    }
    Ok((name, args))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_chart_call_and_leaves_code_alone() {
        let body = "Texte\n\n{{ chart(name=\"statut\") }}\n\n```\n{{ chart(name=\"no\") }}\n```\n";
        let (out, calls, errors) = extract(body, 5);
        assert!(errors.is_empty());
        assert_eq!(calls.len(), 1);
        assert_eq!(calls[0].name, "chart");
        assert_eq!(calls[0].args["name"], "statut");
        assert_eq!((calls[0].line, calls[0].column), (7, 1));
        assert!(out.contains("<!--msp-shortcode-0-->"));
        assert!(out.contains("{{ chart(name=\"no\") }}"));
    }

    #[test]
    fn reports_a_malformed_call() {
        let (_, _, errors) = extract("  {{ chart(name=statut) }}\n", 3);
        assert_eq!(errors[0].line, 3);
        assert_eq!(errors[0].column, 3);
        assert_eq!(
            errors[0].message,
            "the value of `name` in shortcode `chart` must be in quotes"
        );
    }
}
