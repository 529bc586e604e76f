//! The pieces every A4 infographic is made of: the header band, rows of key
//! figures, section titles, the footer.

use super::canvas::{Anchor, Canvas, TextStyle};
use super::fonts::Weight;
use super::style;
use super::text::fit;

/// A4 portrait at 150 dpi.
pub const WIDTH: f32 = 1240.0;
pub const HEIGHT: f32 = 1754.0;
pub const MARGIN: f32 = 72.0;

/// The deep band at the top: kicker, title (wrapped, shrunk if long),
/// subtitle and pill badges. Returns the height used.
pub fn header_band(
    canvas: &mut Canvas,
    kicker: &str,
    title: &str,
    subtitle: &str,
    badges: &[String],
) -> f32 {
    let width = WIDTH - 2.0 * MARGIN;
    let fonts = canvas.fonts;
    let title = fit(fonts, title, Weight::ExtraBold, width, 3, 64.0, 34.0);
    let subtitle = fit(fonts, subtitle, Weight::Regular, width, 2, 30.0, 22.0);
    let top = 64.0;
    let badges_height = if badges.is_empty() { 0.0 } else { 48.0 + 26.0 };
    let height = top + 58.0 + title.height() + 14.0 + subtitle.height() + badges_height + 48.0;
    canvas.rect(0.0, 0.0, WIDTH, height, style::DEEP, 0.0);
    canvas.rect(0.0, height, WIDTH, 8.0, style::ORANGE, 0.0);
    canvas.text(
        MARGIN,
        top + 28.0,
        kicker,
        TextStyle::new(26.0, Weight::Bold, style::ORANGE, Anchor::Start),
    );
    let mut y = top + 58.0;
    y += canvas.lines(
        MARGIN,
        y,
        &title,
        Weight::ExtraBold,
        style::WHITE,
        Anchor::Start,
    ) + 14.0;
    y += canvas.lines(
        MARGIN,
        y,
        &subtitle,
        Weight::Regular,
        style::ON_DEEP,
        Anchor::Start,
    ) + 26.0;
    let mut x = MARGIN;
    for label in badges {
        let text_width = fonts.width(label, 22.0, Weight::SemiBold);
        canvas.rect(x, y, text_width + 40.0, 48.0, style::CANARD, 24.0);
        canvas.text(
            x + 20.0,
            y + 32.0,
            label,
            TextStyle::new(22.0, Weight::SemiBold, style::WHITE, Anchor::Start),
        );
        x += text_width + 56.0;
    }
    height + 8.0
}

/// A row of equal tiles, each a big number over a label; returns the bottom.
pub fn figure_tiles(canvas: &mut Canvas, top: f32, figures: &[(String, String)]) -> f32 {
    let gap = 24.0;
    let count = figures.len().max(1) as f32;
    let tile = (WIDTH - 2.0 * MARGIN - (count - 1.0) * gap) / count;
    let height = 172.0;
    for (index, (value, label)) in figures.iter().enumerate() {
        let x = MARGIN + index as f32 * (tile + gap);
        canvas.rect(x, top, tile, height, style::MIST, 14.0);
        canvas.rect(x, top, tile, 8.0, style::CANARD, 0.0);
        let number = fit(
            canvas.fonts,
            value,
            Weight::ExtraBold,
            tile - 48.0,
            1,
            60.0,
            30.0,
        );
        canvas.lines(
            x + 24.0,
            top + 28.0,
            &number,
            Weight::ExtraBold,
            style::CANARD_DARK,
            Anchor::Start,
        );
        let text = fit(
            canvas.fonts,
            label,
            Weight::Regular,
            tile - 48.0,
            2,
            22.0,
            16.0,
        );
        canvas.lines(
            x + 24.0,
            top + 104.0,
            &text,
            Weight::Regular,
            style::INK,
            Anchor::Start,
        );
    }
    top + height
}

/// A section title with the orange rule under it; returns where content starts.
pub fn section_title(canvas: &mut Canvas, x: f32, y: f32, title: &str) -> f32 {
    canvas.text(
        x,
        y + 30.0,
        title,
        TextStyle::new(30.0, Weight::Bold, style::DEEP, Anchor::Start),
    );
    canvas.rect(x, y + 46.0, 56.0, 5.0, style::ORANGE, 2.5);
    y + 74.0
}

/// The line at the bottom: federation and address on the left, a note on the right.
pub fn footer_band(canvas: &mut Canvas, federation: &str, address: &str, note: &str) {
    let y = HEIGHT - 70.0;
    canvas.rect(
        MARGIN,
        y - 26.0,
        WIDTH - 2.0 * MARGIN,
        2.0,
        style::LINE,
        0.0,
    );
    let left = fit(
        canvas.fonts,
        federation,
        Weight::SemiBold,
        560.0,
        1,
        20.0,
        14.0,
    );
    canvas.lines(
        MARGIN,
        y - 8.0,
        &left,
        Weight::SemiBold,
        style::DEEP,
        Anchor::Start,
    );
    canvas.text(
        MARGIN,
        y + 38.0,
        address,
        TextStyle::new(18.0, Weight::Regular, style::MUTED, Anchor::Start),
    );
    canvas.text(
        WIDTH - MARGIN,
        y + 18.0,
        note,
        TextStyle::new(18.0, Weight::Regular, style::MUTED, Anchor::End),
    );
}

/// A horizontal gauge: a pale track and a filled part for `pct` %.
pub fn gauge(canvas: &mut Canvas, x: f32, y: f32, width: f32, pct: i64) {
    canvas.rect(x, y, width, 14.0, style::PALE, 7.0);
    let filled = width * (pct.clamp(0, 100) as f32) / 100.0;
    if filled > 0.0 {
        canvas.rect(x, y, filled.max(14.0), 14.0, style::CANARD, 7.0);
    }
}
