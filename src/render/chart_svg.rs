//! Charts in pages drawn as inline SVG: bar, column, donut and line, from a
//! table of series × categories. The same figures follow as an HTML table.

use std::fmt::Write;

use super::charts::value_label;
use super::escape::html;
use crate::data::{Chart, ChartKind};

/// Series colours: each at least 3:1 against white, told apart by hue.
const PALETTE: [&str; 6] = [
    "#00727a", "#b34a00", "#3d5a98", "#7a4d9c", "#2e7d32", "#a0264f",
];
const WIDTH: f64 = 640.0;
const INK: &str = "#1b2a2c";
const MUTED: &str = "#4d5f61";
const GRID: &str = "#cfe0e0";

fn color(index: usize) -> &'static str {
    PALETTE[index % PALETTE.len()]
}

fn value(chart: &Chart, series: usize, category: &str) -> Option<f64> {
    chart.series[series]
        .values
        .0
        .iter()
        .find(|(c, _)| c == category)
        .map(|(_, v)| v.value)
}

fn largest(chart: &Chart) -> f64 {
    chart
        .series
        .iter()
        .flat_map(|s| s.values.0.iter().map(|(_, v)| v.value))
        .fold(0.0, f64::max)
        .max(f64::MIN_POSITIVE)
}

/// A legend of the categories (years…) when there are several.
fn legend(out: &mut String, categories: &[String], y: f64) -> f64 {
    if categories.len() < 2 {
        return y;
    }
    let mut x = 0.0;
    for (index, category) in categories.iter().enumerate() {
        let _ = write!(
            out,
            r#"<rect x="{x:.1}" y="{:.1}" width="14" height="14" rx="3" fill="{}"/><text x="{:.1}" y="{:.1}" font-size="14" fill="{INK}">{}</text>"#,
            y,
            color(index),
            x + 20.0,
            y + 12.0,
            html(category)
        );
        x += 40.0 + category.chars().count() as f64 * 8.5;
    }
    y + 30.0
}

/// A legend of the series, one per line from `y`; returns the bottom.
fn series_legend(out: &mut String, chart: &Chart, mut y: f64) -> f64 {
    for (s, series) in chart.series.iter().enumerate() {
        let _ = write!(
            out,
            r#"<rect x="0" y="{y:.1}" width="14" height="14" rx="3" fill="{}"/><text x="22" y="{:.1}" font-size="14" fill="{INK}">{}</text>"#,
            color(s),
            y + 12.0,
            html(&series.label)
        );
        y += 24.0;
    }
    y
}

/// Horizontal bars: each series a label over one bar per category.
fn bars(out: &mut String, chart: &Chart, categories: &[String]) -> f64 {
    let max = largest(chart);
    let mut y = legend(out, categories, 0.0);
    let room = WIDTH - 90.0;
    for (index, series) in chart.series.iter().enumerate() {
        let _ = write!(
            out,
            r#"<text x="0" y="{:.1}" font-size="15" font-weight="600" fill="{INK}">{}</text>"#,
            y + 15.0,
            html(&series.label)
        );
        y += 24.0;
        for (c, category) in categories.iter().enumerate() {
            let Some(v) = value(chart, index, category) else {
                continue;
            };
            let length = (v / max * room).max(2.0);
            let _ = write!(
                out,
                r#"<rect x="0" y="{y:.1}" width="{length:.1}" height="18" rx="3" fill="{}"/><text x="{:.1}" y="{:.1}" font-size="14" fill="{INK}">{}</text>"#,
                color(c),
                length + 8.0,
                y + 14.0,
                html(&value_label(v, &chart.unit))
            );
            y += 24.0;
        }
        y += 10.0;
    }
    y
}

/// Vertical columns: groups of one column per category, a group per series.
fn columns(out: &mut String, chart: &Chart, categories: &[String]) -> f64 {
    let max = largest(chart);
    let top = legend(out, categories, 0.0);
    let plot = 220.0;
    let base = top + 20.0 + plot;
    let groups = chart.series.len().max(1) as f64;
    let group_width = WIDTH / groups;
    let column = ((group_width - 40.0) / categories.len().max(1) as f64).min(70.0);
    let _ = write!(
        out,
        r#"<line x1="0" x2="{WIDTH}" y1="{base:.1}" y2="{base:.1}" stroke="{GRID}" stroke-width="2"/>"#
    );
    for (index, series) in chart.series.iter().enumerate() {
        let start =
            index as f64 * group_width + (group_width - column * categories.len() as f64) / 2.0;
        for (c, category) in categories.iter().enumerate() {
            let Some(v) = value(chart, index, category) else {
                continue;
            };
            let height = (v / max * plot).max(2.0);
            let x = start + c as f64 * column;
            let _ = write!(
                out,
                r#"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{height:.1}" rx="3" fill="{}"/><text x="{:.1}" y="{:.1}" font-size="14" text-anchor="middle" fill="{INK}">{}</text><text x="{:.1}" y="{:.1}" font-size="13" text-anchor="middle" fill="{MUTED}">{}</text>"#,
                x + 4.0,
                base - height,
                column - 8.0,
                color(c),
                x + column / 2.0,
                base - height - 8.0,
                html(&value_label(v, &chart.unit)),
                x + column / 2.0,
                base + 18.0,
                html(category)
            );
        }
        let _ = write!(
            out,
            r#"<text x="{:.1}" y="{:.1}" font-size="15" font-weight="600" text-anchor="middle" fill="{INK}">{}</text>"#,
            index as f64 * group_width + group_width / 2.0,
            base + 42.0,
            html(&series.label)
        );
    }
    base + 56.0
}

/// A donut per category (at most three), a slice per series.
fn donuts(out: &mut String, chart: &Chart, categories: &[String]) -> f64 {
    let shown: Vec<&String> = categories.iter().take(3).collect();
    let cell = WIDTH / shown.len().max(1) as f64;
    let radius = (cell / 2.0 - 30.0).min(90.0);
    for (c, category) in shown.iter().enumerate() {
        let cx = cell * c as f64 + cell / 2.0;
        let cy = radius + 30.0;
        let total: f64 = (0..chart.series.len())
            .filter_map(|s| value(chart, s, category))
            .filter(|v| *v > 0.0)
            .sum();
        let mut angle = -std::f64::consts::FRAC_PI_2;
        for s in 0..chart.series.len() {
            let Some(v) = value(chart, s, category).filter(|v| *v > 0.0 && total > 0.0) else {
                continue;
            };
            let sweep = v / total * std::f64::consts::TAU;
            let (x0, y0) = (cx + radius * angle.cos(), cy + radius * angle.sin());
            let end = angle + sweep.min(std::f64::consts::TAU - 1e-6);
            let (x1, y1) = (cx + radius * end.cos(), cy + radius * end.sin());
            let large = i32::from(sweep > std::f64::consts::PI);
            let _ = write!(
                out,
                r#"<path d="M{x0:.1} {y0:.1}A{radius:.1} {radius:.1} 0 {large} 1 {x1:.1} {y1:.1}" fill="none" stroke="{}" stroke-width="34"/>"#,
                color(s)
            );
            angle = end;
        }
        let _ = write!(
            out,
            r#"<text x="{cx:.1}" y="{:.1}" font-size="18" font-weight="700" text-anchor="middle" fill="{INK}">{}</text>"#,
            cy + 6.0,
            html(category)
        );
    }
    series_legend(out, chart, 2.0 * radius + 70.0)
}

/// One line per series across the categories.
fn lines(out: &mut String, chart: &Chart, categories: &[String]) -> f64 {
    let max = largest(chart);
    let plot = 220.0;
    let top = 20.0;
    let base = top + plot;
    let step = if categories.len() > 1 {
        (WIDTH - 80.0) / (categories.len() - 1) as f64
    } else {
        0.0
    };
    let _ = write!(
        out,
        r#"<line x1="0" x2="{WIDTH}" y1="{base:.1}" y2="{base:.1}" stroke="{GRID}" stroke-width="2"/>"#
    );
    for (c, category) in categories.iter().enumerate() {
        let _ = write!(
            out,
            r#"<text x="{:.1}" y="{:.1}" font-size="13" text-anchor="middle" fill="{MUTED}">{}</text>"#,
            40.0 + c as f64 * step,
            base + 20.0,
            html(category)
        );
    }
    for (s, _) in chart.series.iter().enumerate() {
        let points: Vec<(f64, f64)> = categories
            .iter()
            .enumerate()
            .filter_map(|(c, category)| {
                value(chart, s, category).map(|v| (40.0 + c as f64 * step, base - v / max * plot))
            })
            .collect();
        let d: String = points
            .iter()
            .enumerate()
            .map(|(i, (x, y))| format!("{}{x:.1} {y:.1}", if i == 0 { "M" } else { "L" }))
            .collect();
        let _ = write!(
            out,
            r#"<path d="{d}" fill="none" stroke="{}" stroke-width="3"/>"#,
            color(s)
        );
        for (x, y) in points {
            let _ = write!(
                out,
                r#"<circle cx="{x:.1}" cy="{y:.1}" r="4" fill="{}"/>"#,
                color(s)
            );
        }
    }
    series_legend(out, chart, base + 40.0)
}

/// The chart as inline SVG, described by `title`; `kind` overrides the file's.
pub fn chart_svg(chart: &Chart, title: &str, kind: ChartKind, id: &str) -> String {
    let categories = chart.categories();
    let mut body = String::new();
    let height = match kind {
        ChartKind::Bar => bars(&mut body, chart, &categories),
        ChartKind::Column => columns(&mut body, chart, &categories),
        ChartKind::Donut => donuts(&mut body, chart, &categories),
        ChartKind::Line => lines(&mut body, chart, &categories),
    };
    format!(
        r#"<svg class="chart-svg" viewBox="0 0 {WIDTH} {height:.0}" width="{WIDTH}" height="{height:.0}" role="img" aria-labelledby="{id}-titre" font-family="Inter, 'Helvetica Neue', Arial, sans-serif"><title id="{id}-titre">{}</title>{body}</svg>"#,
        html(title)
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn series_colours_reach_3_to_1_on_white() {
        for colour in super::PALETTE {
            let ratio = crate::infographic::style::contrast(colour, "#ffffff").unwrap();
            assert!(ratio >= 3.0, "{colour}: {ratio:.2}:1");
        }
    }
}
