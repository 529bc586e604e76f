//! "Did you mean …?" suggestions for unknown ids and fields.

/// The known value closest to `unknown`, if one is close enough to be a likely typo.
pub fn nearest<'a>(unknown: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let unknown_lower = unknown.to_lowercase();
    known
        .into_iter()
        .map(|candidate| {
            let distance = strsim::damerau_levenshtein(&unknown_lower, &candidate.to_lowercase());
            (distance, candidate)
        })
        .filter(|(distance, candidate)| {
            // Allow about one edit in three characters, and at least two edits.
            let tolerance = (candidate.chars().count().max(unknown.chars().count()) / 3).max(2);
            *distance <= tolerance
        })
        .min_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)))
        .map(|(_, candidate)| candidate)
}

/// `unknown {what} `{id}`` followed by a suggestion or the list of known values.
pub fn unknown_id_message<'a>(
    what: &str,
    id: &str,
    known: impl IntoIterator<Item = &'a str> + Clone,
) -> String {
    match nearest(id, known.clone()) {
        Some(candidate) => format!("unknown {what} `{id}`, did you mean `{candidate}`?"),
        None => {
            let mut list: Vec<&str> = known.into_iter().collect();
            list.sort_unstable();
            if list.is_empty() {
                format!("unknown {what} `{id}`: none is defined")
            } else if list.len() <= 12 {
                format!(
                    "unknown {what} `{id}`, expected one of {}",
                    list.iter()
                        .map(|k| format!("`{k}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            } else {
                format!("unknown {what} `{id}`")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_closest_profession() {
        let known = ["infirmier", "infirmier-pratique-avancee", "pharmacien"];
        assert_eq!(nearest("infirmiere", known), Some("infirmier"));
        assert_eq!(nearest("pharmacienne", known), Some("pharmacien"));
    }

    #[test]
    fn suggests_nothing_for_an_unrelated_word() {
        assert_eq!(nearest("boulanger", ["infirmier", "pharmacien"]), None);
    }

    #[test]
    fn message_lists_known_values_when_nothing_is_close() {
        assert_eq!(
            unknown_id_message("status", "zzz", ["projet", "constituee"]),
            "unknown status `zzz`, expected one of `constituee`, `projet`"
        );
    }
}
