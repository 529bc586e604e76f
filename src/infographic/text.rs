//! Fitting text into boxes: long names are wrapped on word boundaries and,
//! when they still do not fit, set smaller; nothing overflows or is clipped.

use super::fonts::{Fonts, Weight};

/// Text laid out in a box.
#[derive(Debug, Clone, PartialEq)]
pub struct Lines {
    pub lines: Vec<String>,
    pub size: f32,
    /// Distance between baselines.
    pub line_height: f32,
}

impl Lines {
    pub fn height(&self) -> f32 {
        self.line_height * self.lines.len() as f32
    }
}

/// Greedy word wrap of `text` at `size` into lines no wider than `width`;
/// a word longer than the width gets a line of its own (and is reported by
/// `fits` as too wide).
pub fn wrap(fonts: &Fonts, text: &str, size: f32, weight: Weight, width: f32) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    // No-break spaces (U+00A0, U+202F before `: ; ! ?` and inside « ») bind.
    for word in text
        .split([' ', '\t', '\n', '\r'])
        .filter(|w| !w.is_empty())
    {
        let candidate = if current.is_empty() {
            word.to_string()
        } else {
            format!("{current} {word}")
        };
        if current.is_empty() || fonts.width(&candidate, size, weight) <= width {
            current = candidate;
        } else {
            lines.push(std::mem::replace(&mut current, word.to_string()));
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

/// Lays `text` out in at most `max_lines` lines of `width`, starting at
/// `size` and shrinking by steps down to `min_size`. At the smallest size, a
/// text still too long is cut at a word and ends with `…`.
pub fn fit(
    fonts: &Fonts,
    text: &str,
    weight: Weight,
    width: f32,
    max_lines: usize,
    size: f32,
    min_size: f32,
) -> Lines {
    // French spacing and apostrophes, measured as they will be drawn.
    let text = &crate::render::french::typography(text);
    let mut current = size;
    loop {
        let lines = wrap(fonts, text, current, weight, width);
        let widest = lines
            .iter()
            .map(|l| fonts.width(l, current, weight))
            .fold(0.0, f32::max);
        if lines.len() <= max_lines && widest <= width {
            return Lines {
                lines,
                size: current,
                line_height: current * 1.2,
            };
        }
        if current <= min_size {
            return truncate(fonts, lines, weight, width, max_lines, current);
        }
        current = (current * 0.92).max(min_size);
    }
}

fn truncate(
    fonts: &Fonts,
    lines: Vec<String>,
    weight: Weight,
    width: f32,
    max_lines: usize,
    size: f32,
) -> Lines {
    let mut kept: Vec<String> = lines.into_iter().take(max_lines.max(1)).collect();
    if let Some(last) = kept.last_mut() {
        let mut words: Vec<&str> = last.split(' ').collect();
        loop {
            let candidate = format!("{}…", words.join(" "));
            if words.len() <= 1 || fonts.width(&candidate, size, weight) <= width {
                // A single word wider than the box is cut by characters.
                let mut text = candidate;
                while fonts.width(&text, size, weight) > width && text.chars().count() > 2 {
                    let mut chars: Vec<char> = text.chars().collect();
                    chars.truncate(chars.len() - 2);
                    text = chars.into_iter().collect::<String>() + "…";
                }
                *last = text;
                break;
            }
            words.pop();
        }
    }
    Lines {
        lines: kept,
        size,
        line_height: size * 1.2,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn no_break_spaces_are_not_break_points() {
        let fonts = crate::infographic::Fonts::load(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")),
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default"),
        )
        .expect("fonts");
        let text = crate::render::french::typography("Protocole « réponse aux crises » : oui");
        for width in [80.0, 120.0, 200.0, 300.0] {
            for line in super::wrap(&fonts, &text, 20.0, super::Weight::Regular, width) {
                assert!(
                    !line.ends_with('«') && !line.starts_with('»') && !line.starts_with(':'),
                    "{line:?}"
                );
            }
        }
    }
}
