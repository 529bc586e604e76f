//! `data/charts/<name>.yaml` or `.csv`: small tables for charts in pages.

use super::Spanned;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChartKind {
    Bar,
    Column,
    Donut,
    Line,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Chart {
    pub title: String,
    #[serde(default)]
    pub unit: String,
    #[serde(default = "default_kind")]
    pub kind: ChartKind,
    #[serde(default)]
    pub source: Option<String>,
    pub series: Vec<Series>,
}

fn default_kind() -> ChartKind {
    ChartKind::Bar
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Series {
    pub label: String,
    pub values: ChartValues,
}

/// Category → value, in the order written (a YAML mapping keeps no order for
/// serde maps, so it is read entry by entry).
#[derive(Debug, Clone, Default, Serialize)]
pub struct ChartValues(pub Vec<(String, Spanned<f64>)>);

impl<'de> Deserialize<'de> for ChartValues {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ValuesVisitor;
        impl<'de> serde::de::Visitor<'de> for ValuesVisitor {
            type Value = ChartValues;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a mapping of category to number")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<ChartValues, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry::<String, Spanned<f64>>()? {
                    entries.push(entry);
                }
                Ok(ChartValues(entries))
            }
        }
        deserializer.deserialize_map(ValuesVisitor)
    }
}

impl Chart {
    /// Every category, in first-seen order across series.
    pub fn categories(&self) -> Vec<String> {
        let mut categories: Vec<String> = Vec::new();
        for series in &self.series {
            for (category, _) in &series.values.0 {
                if !categories.contains(category) {
                    categories.push(category.clone());
                }
            }
        }
        categories
    }
}

/// Reads a chart exported from a spreadsheet:
///
/// ```text
/// # title: Statut des coordinateurs
/// # unit: %
/// # kind: bar
/// Statut;2021;2022
/// Salarié;21,2;42,9
/// ```
///
/// Optional `# key: value` lines come first; then a header row whose cells
/// after the first are the categories, then one row per series. Cells are
/// separated by `;` (French spreadsheets, decimal comma allowed) or `,`.
pub fn parse_csv(
    source: &super::Source,
    name: &str,
    text: &str,
) -> Result<Chart, crate::diagnostics::Diagnostic> {
    let mut title = name.replace('-', " ");
    let mut unit = String::new();
    let mut kind = ChartKind::Bar;
    let mut chart_source = None;
    let mut header: Option<Vec<String>> = None;
    let mut series = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let line_number = index as u64 + 1;
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        if let Some(setting) = line.strip_prefix('#') {
            let Some((key, value)) = setting.split_once(':') else {
                continue;
            };
            let value = value.trim().to_string();
            match key.trim() {
                "title" => title = value,
                "unit" => unit = value,
                "source" => chart_source = Some(value),
                "kind" => {
                    kind = match value.as_str() {
                        "bar" => ChartKind::Bar,
                        "column" => ChartKind::Column,
                        "donut" => ChartKind::Donut,
                        "line" => ChartKind::Line,
                        other => {
                            return Err(source.at_file_line(
                                line_number,
                                1,
                                crate::suggest::unknown_id_message(
                                    "chart kind",
                                    other,
                                    ["bar", "column", "donut", "line"],
                                ),
                            ));
                        }
                    }
                }
                other => {
                    return Err(source.at_file_line(
                        line_number,
                        2,
                        crate::suggest::unknown_id_message(
                            "setting",
                            other,
                            ["title", "unit", "kind", "source"],
                        ),
                    ));
                }
            }
            continue;
        }
        let separator = if line.contains(';') { ';' } else { ',' };
        let cells: Vec<(usize, String)> = split_csv_line(line, separator);
        match &header {
            None => header = Some(cells.into_iter().skip(1).map(|(_, cell)| cell).collect()),
            Some(categories) => {
                let mut cells = cells.into_iter();
                let label = cells.next().map(|(_, cell)| cell).unwrap_or_default();
                let mut values = Vec::new();
                for (position, (column, cell)) in cells.enumerate() {
                    let Some(category) = categories.get(position) else {
                        return Err(source.at_file_line(
                            line_number,
                            column as u64,
                            format!(
                                "this row has more cells than the header has columns ({})",
                                categories.len() + 1
                            ),
                        ));
                    };
                    if cell.trim().is_empty() {
                        continue;
                    }
                    let number = cell
                        .trim()
                        .replace(['\u{202f}', '\u{a0}', ' '], "")
                        .replace(',', ".");
                    let value: f64 = number
                        .parse()
                        .ok()
                        .filter(|v: &f64| v.is_finite())
                        .ok_or_else(|| {
                            source.at_file_line(
                                line_number,
                                column as u64,
                                format!("`{}` is not a number", cell.trim()),
                            )
                        })?;
                    values.push((category.clone(), super::unlocated(value)));
                }
                series.push(Series {
                    label,
                    values: ChartValues(values),
                });
            }
        }
    }
    if series.is_empty() {
        return Err(source.at_file_line(
            1,
            1,
            "no data: expected a header row of categories and at least one row of values",
        ));
    }
    Ok(Chart {
        title,
        unit,
        kind,
        source: chart_source,
        series,
    })
}

/// Splits one CSV line, honouring double quotes; returns each cell with its
/// 1-based starting column.
fn split_csv_line(line: &str, separator: char) -> Vec<(usize, String)> {
    let mut cells = Vec::new();
    let mut current = String::new();
    let mut start = 1;
    let mut in_quotes = false;
    let mut chars = line.chars().enumerate().peekable();
    while let Some((index, c)) = chars.next() {
        match c {
            '"' if in_quotes && chars.peek().is_some_and(|(_, next)| *next == '"') => {
                current.push('"');
                chars.next();
            }
            '"' => in_quotes = !in_quotes,
            c if c == separator && !in_quotes => {
                cells.push((start, std::mem::take(&mut current).trim().to_string()));
                start = index + 2;
            }
            c => current.push(c),
        }
    }
    cells.push((start, current.trim().to_string()));
    cells
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_french_spreadsheet_export() {
        let text = "# title: Statut\n# unit: %\nStatut;2021;2022\nSalarié;21,2;42,9\n\"Libéral; mixte\";10;\n";
        let chart =
            parse_csv(&crate::data::Source::new("data/charts/s.csv", 0), "s", text).unwrap();
        assert_eq!(chart.title, "Statut");
        assert_eq!(chart.unit, "%");
        assert_eq!(chart.categories(), vec!["2021", "2022"]);
        assert_eq!(chart.series[0].values.0[1].1.value, 42.9);
        assert_eq!(chart.series[1].label, "Libéral; mixte");
        assert_eq!(chart.series[1].values.0.len(), 1);
    }

    #[test]
    fn a_bad_number_is_located() {
        let text = "x,2021,2022\nSalarié,21.2,beaucoup\n";
        let error =
            parse_csv(&crate::data::Source::new("data/charts/s.csv", 0), "s", text).unwrap_err();
        assert_eq!(
            error.to_string(),
            "data/charts/s.csv:2:14: `beaucoup` is not a number"
        );
    }
}
