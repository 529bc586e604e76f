//! The regional Scan'équipe: aggregates over all team files, exactly as
//! DESIGN.md defines them ("Regional aggregates").

use std::collections::BTreeMap;

use serde::Serialize;

use crate::data::{Data, Team};
use crate::render::french::round_half_up;

/// The open-data figures, serialised with exactly DESIGN.md's keys.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RegionFigures {
    pub year: i64,
    pub teams: TeamCounts,
    pub sites: SiteCounts,
    pub mean_professions: f64,
    pub mean_signatories: f64,
    pub median_age: f64,
    pub professionals: i64,
    pub patients: i64,
    pub population_pct: i64,
    pub top_professions: Vec<ProfessionShare>,
    pub coordinators: CoordinatorFigures,
    pub actions_pct: ActionShares,
    pub departments: BTreeMap<String, i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TeamCounts {
    pub constituted: i64,
    pub without_aci: i64,
    pub in_project: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SiteCounts {
    pub mono: i64,
    pub multi: i64,
    pub mono_pct: i64,
    pub multi_pct: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProfessionShare {
    pub id: String,
    pub count: i64,
    pub pct: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoordinatorFigures {
    pub count: i64,
    pub network_pct: i64,
    pub pacte_pct: i64,
    pub liberal_pct: i64,
    pub pair_pct: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActionShares {
    pub interns: i64,
    pub prevention: i64,
    pub etp: i64,
    pub protocols: i64,
    pub user_involvement: i64,
    pub cpts: i64,
}

/// `numerator / denominator × scale`, rounded half up, in exact integer
/// arithmetic: 15 of 81 is 18.518… %, and 57 of 200 is exactly 28.5 %, which
/// floating point would see as 28.499… and round down.
fn scaled_ratio(numerator: i64, denominator: i64, scale: i64) -> i64 {
    if denominator == 0 {
        return 0;
    }
    let n = i128::from(numerator) * i128::from(scale) * 2;
    let d = i128::from(denominator) * 2;
    let rounded = if n >= 0 {
        (n + i128::from(denominator)) / d
    } else {
        -((-n + i128::from(denominator)) / d)
    };
    rounded as i64
}

/// `part` of `whole` as a whole percentage, rounded half up; 0 when `whole` is 0.
pub fn percentage(part: i64, whole: i64) -> i64 {
    scaled_ratio(part, whole, 100)
}

/// Rounded to one decimal, half up.
pub fn one_decimal(value: f64) -> f64 {
    round_half_up(value * 10.0) / 10.0
}

/// The mean of whole numbers, rounded half up to one decimal, exactly.
fn mean_one_decimal(values: impl Iterator<Item = i64>) -> f64 {
    let (sum, count) = values.fold((0i64, 0i64), |(sum, count), value| (sum + value, count + 1));
    scaled_ratio(sum, count, 10) as f64 / 10.0
}

/// The middle value, or the mean of the two middle values; 0 for none.
pub fn median(mut values: Vec<i64>) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    values.sort_unstable();
    let middle = values.len() / 2;
    if values.len() % 2 == 1 {
        values[middle] as f64
    } else {
        (values[middle - 1] + values[middle]) as f64 / 2.0
    }
}

/// Computes every regional figure from the team files.
pub fn region_figures(data: &Data) -> RegionFigures {
    let all: Vec<&Team> = data.teams.iter().map(|file| &file.team).collect();
    let constituted: Vec<&Team> = all
        .iter()
        .copied()
        .filter(|team| team.is_constituted())
        .collect();
    let constituted_count = constituted.len() as i64;
    let share_of_constituted = |predicate: &dyn Fn(&Team) -> bool| {
        percentage(
            constituted.iter().filter(|t| predicate(t)).count() as i64,
            constituted_count,
        )
    };

    let mono = constituted
        .iter()
        .filter(|team| team.sites.value == 1)
        .count() as i64;
    let multi = constituted
        .iter()
        .filter(|team| team.sites.value > 1)
        .count() as i64;
    let patients: i64 = constituted.iter().map(|team| team.patients.value).sum();
    let professionals: i64 = all.iter().map(|team| team.professionals()).sum();
    let year = data.site.year.value;

    let coordinators: Vec<_> = constituted
        .iter()
        .flat_map(|team| team.coordinators.iter())
        .collect();
    let coordinator_count = coordinators.len() as i64;
    let share_of_coordinators = |predicate: &dyn Fn(&crate::data::Coordinator) -> bool| {
        percentage(
            coordinators.iter().filter(|c| predicate(c)).count() as i64,
            coordinator_count,
        )
    };

    let mut departments: BTreeMap<String, i64> = data
        .site
        .region
        .departments
        .iter()
        .map(|department| (department.code.value.clone(), 0))
        .collect();
    for team in &all {
        *departments
            .entry(team.department.value.clone())
            .or_insert(0) += 1;
    }

    RegionFigures {
        year,
        teams: TeamCounts {
            constituted: constituted_count,
            without_aci: constituted.iter().filter(|team| !team.aci).count() as i64,
            in_project: all.iter().filter(|team| !team.is_constituted()).count() as i64,
        },
        sites: SiteCounts {
            mono,
            multi,
            mono_pct: percentage(mono, constituted_count),
            multi_pct: percentage(multi, constituted_count),
        },
        mean_professions: mean_one_decimal(
            constituted
                .iter()
                .map(|team| team.profession_count() as i64),
        ),
        mean_signatories: mean_one_decimal(constituted.iter().map(|team| team.signatories.value)),
        // A median of whole numbers is whole or ends in .5: one decimal is exact.
        median_age: median(
            constituted
                .iter()
                .map(|team| year - team.founded.value)
                .collect(),
        ),
        professionals,
        patients,
        population_pct: percentage(patients, data.site.region.population.value),
        top_professions: top_professions(data, &all, professionals, 5),
        coordinators: CoordinatorFigures {
            count: coordinator_count,
            network_pct: share_of_coordinators(&|c| c.network),
            pacte_pct: share_of_coordinators(&|c| c.pacte),
            liberal_pct: share_of_coordinators(&|c| c.liberal),
            pair_pct: share_of_constituted(&|team| team.coordinators.len() >= 2),
        },
        actions_pct: ActionShares {
            interns: share_of_constituted(&|team| team.actions.interns),
            prevention: share_of_constituted(&|team| !team.actions.prevention.is_empty()),
            etp: share_of_constituted(&|team| !team.actions.etp.is_empty()),
            protocols: share_of_constituted(&|team| !team.actions.protocols.is_empty()),
            user_involvement: share_of_constituted(&|team| team.actions.user_involvement),
            cpts: share_of_constituted(&|team| team.cpts),
        },
        departments,
    }
}

/// Each profession's share of the summed headcount, largest first (ties in
/// the vocabulary's order), the first `limit`.
fn top_professions(data: &Data, teams: &[&Team], total: i64, limit: usize) -> Vec<ProfessionShare> {
    let mut counts: BTreeMap<&str, i64> = BTreeMap::new();
    for team in teams {
        for (id, count) in team.professions.iter() {
            *counts.entry(id).or_insert(0) += count.max(0);
        }
    }
    let mut shares: Vec<(&str, i64)> = counts.into_iter().filter(|(_, count)| *count > 0).collect();
    shares.sort_by(|a, b| {
        b.1.cmp(&a.1)
            .then_with(|| {
                data.professions
                    .position(a.0)
                    .cmp(&data.professions.position(b.0))
            })
            .then_with(|| a.0.cmp(b.0))
    });
    shares
        .into_iter()
        .take(limit)
        .map(|(id, count)| ProfessionShare {
            id: id.to_string(),
            count,
            pct: percentage(count, total),
        })
        .collect()
}

impl RegionFigures {
    /// The figures as CSV rows `indicateur,valeur` for spreadsheets.
    pub fn to_csv(&self) -> String {
        let mut rows: Vec<(String, String)> = vec![
            ("year".into(), self.year.to_string()),
            (
                "teams.constituted".into(),
                self.teams.constituted.to_string(),
            ),
            (
                "teams.without_aci".into(),
                self.teams.without_aci.to_string(),
            ),
            ("teams.in_project".into(), self.teams.in_project.to_string()),
            ("sites.mono".into(), self.sites.mono.to_string()),
            ("sites.multi".into(), self.sites.multi.to_string()),
            ("sites.mono_pct".into(), self.sites.mono_pct.to_string()),
            ("sites.multi_pct".into(), self.sites.multi_pct.to_string()),
            (
                "mean_professions".into(),
                format!("{:.1}", self.mean_professions),
            ),
            (
                "mean_signatories".into(),
                format!("{:.1}", self.mean_signatories),
            ),
            ("median_age".into(), format!("{:.1}", self.median_age)),
            ("professionals".into(), self.professionals.to_string()),
            ("patients".into(), self.patients.to_string()),
            ("population_pct".into(), self.population_pct.to_string()),
        ];
        for (rank, share) in self.top_professions.iter().enumerate() {
            let n = rank + 1;
            rows.push((format!("top_professions.{n}.id"), share.id.clone()));
            rows.push((
                format!("top_professions.{n}.count"),
                share.count.to_string(),
            ));
            rows.push((format!("top_professions.{n}.pct"), share.pct.to_string()));
        }
        let c = &self.coordinators;
        rows.extend([
            ("coordinators.count".into(), c.count.to_string()),
            ("coordinators.network_pct".into(), c.network_pct.to_string()),
            ("coordinators.pacte_pct".into(), c.pacte_pct.to_string()),
            ("coordinators.liberal_pct".into(), c.liberal_pct.to_string()),
            ("coordinators.pair_pct".into(), c.pair_pct.to_string()),
        ]);
        let a = &self.actions_pct;
        rows.extend([
            ("actions_pct.interns".into(), a.interns.to_string()),
            ("actions_pct.prevention".into(), a.prevention.to_string()),
            ("actions_pct.etp".into(), a.etp.to_string()),
            ("actions_pct.protocols".into(), a.protocols.to_string()),
            (
                "actions_pct.user_involvement".into(),
                a.user_involvement.to_string(),
            ),
            ("actions_pct.cpts".into(), a.cpts.to_string()),
        ]);
        for (code, count) in &self.departments {
            rows.push((format!("departments.{code}"), count.to_string()));
        }
        let mut csv = String::from("indicator,value\n");
        for (key, value) in rows {
            csv.push_str(&key);
            csv.push(',');
            csv.push_str(&value);
            csv.push('\n');
        }
        csv
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_round_half_up() {
        assert_eq!(percentage(15, 81), 19); // 18.52
        assert_eq!(percentage(1, 8), 13); // 12.5
        assert_eq!(percentage(0, 0), 0);
        assert_eq!(percentage(57, 200), 29); // 28.5, exact in decimal, not in binary
    }

    #[test]
    fn medians_of_odd_and_even_counts() {
        assert_eq!(median(vec![3, 1, 2]), 2.0);
        assert_eq!(median(vec![4, 1, 2, 3]), 2.5);
        assert_eq!(median(vec![]), 0.0);
    }

    #[test]
    fn means_are_exact_to_one_decimal() {
        assert_eq!(mean_one_decimal([20, 11, 15].into_iter()), 15.3);
        assert_eq!(mean_one_decimal([1, 2].into_iter()), 1.5);
        assert_eq!(
            mean_one_decimal(
                [1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2].into_iter()
            ),
            1.9
        ); // 1.90
        assert_eq!(
            mean_one_decimal(
                [0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1].into_iter()
            ),
            0.9
        ); // 0.85
        assert_eq!(mean_one_decimal(std::iter::empty()), 0.0);
    }

    #[test]
    fn one_decimal_rounds_half_up() {
        assert_eq!(one_decimal(8.95), 9.0);
        assert_eq!(one_decimal(28.04), 28.0);
        assert_eq!(one_decimal(11.65), 11.7);
    }
}
