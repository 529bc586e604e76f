//! Charts embedded in pages with `{{ chart(name="…") }}`: a figure with its
//! caption and the data as an accessible table.

use super::escape::html;
use super::french;
use crate::content::shortcodes::Shortcode;
use crate::data::{Chart, ChartKind, Data};

/// The HTML that replaces a `chart` shortcode (validated beforehand).
pub fn shortcode_html(data: &Data, call: &Shortcode) -> String {
    let Some(name) = call.args.get("name") else {
        return String::new();
    };
    let Some(file) = data.charts.iter().find(|c| &c.name == name) else {
        return String::new();
    };
    let title = call
        .args
        .get("title")
        .cloned()
        .unwrap_or_else(|| file.chart.title.clone());
    let kind = match call.args.get("kind").map(String::as_str) {
        Some("bar") => ChartKind::Bar,
        Some("column") => ChartKind::Column,
        Some("donut") => ChartKind::Donut,
        Some("line") => ChartKind::Line,
        _ => file.chart.kind,
    };
    figure_html(name, &title, &file.chart, kind)
}

/// Formats a chart value with its unit: `42,9 %`, `11,6 h`.
pub fn value_label(value: f64, unit: &str) -> String {
    let number = french::decimal(value, 1);
    match unit {
        "" => number,
        unit => format!("{number}{}{unit}", french::NNBSP),
    }
}

fn figure_html(name: &str, title: &str, chart: &Chart, kind: ChartKind) -> String {
    let categories = chart.categories();
    let mut out = String::new();
    out.push_str(&format!(
        "<figure class=\"chart\" id=\"graphique-{}\">\n<figcaption>{}</figcaption>\n",
        html(name),
        html(&french::typography(title))
    ));
    out.push_str(&super::chart_svg::chart_svg(
        chart,
        &french::typography(title),
        kind,
        &format!("graphique-{}", html(name)),
    ));
    out.push_str("\n<details class=\"chart-table\"><summary>Les données du graphique</summary>\n");
    out.push_str("<div class=\"table-wrap\"><table class=\"chart-data\">\n<thead><tr><th scope=\"col\"></th>");
    for category in &categories {
        out.push_str(&format!("<th scope=\"col\">{}</th>", html(category)));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for series in &chart.series {
        out.push_str(&format!(
            "<tr><th scope=\"row\">{}</th>",
            html(&series.label)
        ));
        for category in &categories {
            let value = series
                .values
                .0
                .iter()
                .find(|(c, _)| c == category)
                .map(|(_, v)| v.value);
            let cell = value.map_or_else(|| "—".to_string(), |v| value_label(v, &chart.unit));
            out.push_str(&format!("<td>{}</td>", html(&cell)));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table></div></details>\n");
    if let Some(source) = &chart.source {
        out.push_str(&format!(
            "<p class=\"chart-source\">Source&#8239;: {}</p>\n",
            html(source)
        ));
    }
    out.push_str("</figure>");
    out
}
