//! The infographics' palette, type scale and icons: one place for the look.

/// "Bleu canard" and its shades, and the federation's orange.
pub const DEEP: &str = "#003338";
pub const CANARD: &str = "#00727a";
pub const CANARD_DARK: &str = "#004f55";
pub const PALE: &str = "#e5f2f2";
pub const MIST: &str = "#f3f9f9";
pub const ORANGE: &str = "#f28c28";
/// Orange dark enough for text on white (5.5:1).
pub const ORANGE_TEXT: &str = "#a14f00";
pub const INK: &str = "#1b2a2c";
/// Secondary text on white (6.6:1).
pub const MUTED: &str = "#4d5f61";
/// Secondary text on the deep header (8.9:1).
pub const ON_DEEP: &str = "#cfe6e7";
pub const WHITE: &str = "#ffffff";
pub const LINE: &str = "#cfe0e0";

/// Icons on a 24-unit grid, drawn as strokes.
pub mod icons {
    pub const INTERNS: &[&str] = &[
        "M2 9l10-5 10 5-10 5z",
        "M6 11v5c0 1.5 3 3 6 3s6-1.5 6-3v-5",
        "M22 9v6",
    ];
    pub const PREVENTION: &[&str] = &[
        "M12 3l8 3v6c0 5-3.5 8-8 9-4.5-1-8-4-8-9V6z",
        "M8.5 12l2.5 2.5 4.5-5",
    ];
    pub const ETP: &[&str] = &[
        "M3 5h6a3 3 0 0 1 3 3v12a2 2 0 0 0-2-2H3z",
        "M21 5h-6a3 3 0 0 0-3 3v12a2 2 0 0 1 2-2h7z",
    ];
    pub const PROTOCOLS: &[&str] = &[
        "M9 3h6v3H9z",
        "M7 4.5H5V21h14V4.5h-2",
        "M8.5 11h7",
        "M8.5 15h7",
        "M8.5 18h4",
    ];
    pub const USERS: &[&str] = &[
        "M9 11a3 3 0 1 0 0-6 3 3 0 0 0 0 6z",
        "M3 20c0-3.3 2.7-6 6-6s6 2.7 6 6",
        "M16 11a2.5 2.5 0 1 0 0-5",
        "M18 14c2 .6 3 2.6 3 5",
    ];
    pub const CPTS: &[&str] = &[
        "M12 3a2.5 2.5 0 1 1 0 5 2.5 2.5 0 0 1 0-5z",
        "M5 16a2.5 2.5 0 1 1 0 5 2.5 2.5 0 0 1 0-5z",
        "M19 16a2.5 2.5 0 1 1 0 5 2.5 2.5 0 0 1 0-5z",
        "M10.8 8.2l-4.6 7.6",
        "M13.2 8.2l4.6 7.6",
        "M7.5 18.5h9",
    ];
    pub const ACI: &[&str] = &["M6 3h9l4 4v14H6z", "M14 3v5h5", "M9 14l2 2 4-4"];
    pub const COORDINATION: &[&str] = &[
        "M12 12m-3 0a3 3 0 1 0 6 0a3 3 0 1 0-6 0",
        "M12 3v4",
        "M12 17v4",
        "M3 12h4",
        "M17 12h4",
    ];
}

/// WCAG 2 contrast ratio of two `#rrggbb` colours (1 to 21); `None` if one
/// is not written `#rrggbb`.
pub fn contrast(a: &str, b: &str) -> Option<f64> {
    let (la, lb) = (luminance(a)?, luminance(b)?);
    let (light, dark) = if la > lb { (la, lb) } else { (lb, la) };
    Some((light + 0.05) / (dark + 0.05))
}

fn luminance(color: &str) -> Option<f64> {
    let super::scene::Rgb(r, g, b) = super::scene::Rgb::parse(color)?;
    let [r, g, b] = [r, g, b].map(|channel| {
        let value = f64::from(channel) / 255.0;
        if value <= 0.03928 {
            value / 12.92
        } else {
            ((value + 0.055) / 1.055).powf(2.4)
        }
    });
    Some(0.2126 * r + 0.7152 * g + 0.0722 * b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contrast_matches_wcag_examples() {
        assert!((contrast("#000000", "#ffffff").unwrap() - 21.0).abs() < 0.01);
        assert!((contrast("#777777", "#ffffff").unwrap() - 4.48).abs() < 0.01);
        assert_eq!(contrast("#fff", "#000000"), None);
    }

    #[test]
    fn text_colours_reach_4_5_to_1_on_their_backgrounds() {
        for (text, background) in [
            (INK, WHITE),
            (MUTED, WHITE),
            (CANARD_DARK, WHITE),
            (DEEP, WHITE),
            (ORANGE_TEXT, WHITE),
            (INK, MIST),
            (MUTED, MIST),
            (CANARD_DARK, MIST),
            (WHITE, DEEP),
            (ON_DEEP, DEEP),
            (ORANGE, DEEP),
            (WHITE, CANARD),
        ] {
            let ratio = contrast(text, background).unwrap();
            assert!(ratio >= 4.5, "{text} on {background}: {ratio:.2}:1");
        }
    }

    #[test]
    fn graphic_colours_reach_3_to_1_on_white() {
        for colour in [CANARD, CANARD_DARK, DEEP] {
            let ratio = contrast(colour, WHITE).unwrap();
            assert!(ratio >= 3.0, "{colour}: {ratio:.2}:1");
        }
    }
}
