//! Social cards: a 1200 × 630 picture per team, tool and news item, shown
//! when a link to the page is shared (`og:image`).

use super::canvas::{Anchor, Canvas, TextBox, TextStyle};
use super::fonts::{Fonts, Weight};
use super::scene::Drawing;
use super::style;
use super::text::fit;

pub const WIDTH: f32 = 1200.0;
pub const HEIGHT: f32 = 630.0;
const MARGIN: f32 = 72.0;

/// What a card says.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Card {
    /// Small capitals above the title: "BOÎTE À OUTILS", "ACTUALITÉ"…
    pub kicker: String,
    pub title: String,
    /// One or two lines under the title.
    pub subtitle: String,
    /// Up to three key figures (value, label) along the bottom.
    pub figures: Vec<(String, String)>,
    pub federation: String,
}

/// Draws a social card: its SVG and the boxes of its text, for tests.
pub fn social_card(fonts: &Fonts, card: &Card) -> (String, Vec<TextBox>) {
    draw(fonts, card).finish_with_boxes()
}

/// Draws a social card: its SVG and its scene, which paints its PNG.
pub fn social_drawing(fonts: &Fonts, card: &Card) -> Drawing {
    draw(fonts, card).finish_drawing()
}

fn draw<'f>(fonts: &'f Fonts, card: &Card) -> Canvas<'f> {
    let mut canvas = Canvas::new(
        fonts,
        WIDTH,
        HEIGHT,
        &card.title,
        &card.subtitle,
        style::DEEP,
    );
    canvas.rect(0.0, HEIGHT - 14.0, WIDTH, 14.0, style::ORANGE, 0.0);
    canvas.circle(WIDTH - 40.0, 40.0, 150.0, style::CANARD);
    canvas.circle(WIDTH - 40.0, 40.0, 90.0, style::DEEP);
    let width = WIDTH - 2.0 * MARGIN - 120.0;
    canvas.text(
        MARGIN,
        MARGIN + 24.0,
        &card.kicker,
        TextStyle::new(26.0, Weight::Bold, style::ORANGE, Anchor::Start),
    );
    let figures_height = if card.figures.is_empty() { 0.0 } else { 110.0 };
    let bottom = HEIGHT - 70.0 - figures_height;
    let title = fit(fonts, &card.title, Weight::ExtraBold, width, 3, 64.0, 36.0);
    let mut y = MARGIN + 56.0;
    y += canvas.lines(
        MARGIN,
        y,
        &title,
        Weight::ExtraBold,
        style::WHITE,
        Anchor::Start,
    ) + 16.0;
    let room = ((bottom - y) / (28.0 * 1.2)).floor().clamp(0.0, 2.0) as usize;
    if room > 0 && !card.subtitle.is_empty() {
        let subtitle = fit(
            fonts,
            &card.subtitle,
            Weight::Regular,
            width,
            room,
            28.0,
            20.0,
        );
        canvas.lines(
            MARGIN,
            y,
            &subtitle,
            Weight::Regular,
            style::ON_DEEP,
            Anchor::Start,
        );
    }
    let mut x = MARGIN;
    for (value, label) in card.figures.iter().take(3) {
        let top = HEIGHT - 70.0 - figures_height + 10.0;
        let number = fit(fonts, value, Weight::ExtraBold, 300.0, 1, 48.0, 28.0);
        canvas.lines(
            x,
            top,
            &number,
            Weight::ExtraBold,
            style::WHITE,
            Anchor::Start,
        );
        let text = fit(fonts, label, Weight::Regular, 300.0, 1, 20.0, 14.0);
        canvas.lines(
            x,
            top + 62.0,
            &text,
            Weight::Regular,
            style::ON_DEEP,
            Anchor::Start,
        );
        x += 330.0;
    }
    let federation = fit(
        fonts,
        &card.federation,
        Weight::SemiBold,
        520.0,
        1,
        20.0,
        14.0,
    );
    canvas.lines(
        WIDTH - MARGIN,
        HEIGHT - 58.0,
        &federation,
        Weight::SemiBold,
        style::WHITE,
        Anchor::End,
    );
    canvas
}
