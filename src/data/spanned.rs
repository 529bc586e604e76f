//! A value with the place it was written, for error messages.
//!
//! serde-saphyr reads the place (its own `Spanned`), but writes the value
//! only: a parsed file kept on disk between builds (`ParsedFiles`) would lose
//! the line and column of every value, and an error found across files (a
//! team in a department the site no longer has) could not point at the team
//! file. This type reads through serde-saphyr's, and keeps the place in
//! binary forms (`is_human_readable` false: the parsed files' cache), while
//! human-readable ones (JSON) get the value only, as before.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A 1-based line and column in a YAML document; line 0: nowhere in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Location {
    line: u64,
    column: u64,
}

impl Location {
    /// Not written by the user (a default value).
    pub const UNKNOWN: Location = Location { line: 0, column: 0 };

    pub fn line(&self) -> u64 {
        self.line
    }

    pub fn column(&self) -> u64 {
        self.column
    }
}

impl From<&serde_saphyr::Location> for Location {
    fn from(location: &serde_saphyr::Location) -> Self {
        Location {
            line: location.line(),
            column: location.column(),
        }
    }
}

/// A value and where it was written (`referenced`: the place of its use,
/// an alias when the value came through one).
#[derive(Debug, Clone, PartialEq)]
pub struct Spanned<T> {
    pub value: T,
    pub referenced: Location,
}

impl<T> Spanned<T> {
    /// A value the user did not write (a default).
    pub fn unlocated(value: T) -> Self {
        Spanned {
            value,
            referenced: Location::UNKNOWN,
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Spanned<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        if deserializer.is_human_readable() {
            let read = serde_saphyr::Spanned::<T>::deserialize(deserializer)?;
            Ok(Spanned {
                referenced: Location::from(&read.referenced),
                value: read.value,
            })
        } else {
            let (value, referenced) = <(T, Location)>::deserialize(deserializer)?;
            Ok(Spanned { value, referenced })
        }
    }
}

impl<T: Serialize> Serialize for Spanned<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if serializer.is_human_readable() {
            self.value.serialize(serializer)
        } else {
            (&self.value, &self.referenced).serialize(serializer)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, Deserialize, Serialize)]
    struct Sample {
        name: Spanned<String>,
        counts: Vec<Spanned<i64>>,
    }

    #[test]
    fn the_place_survives_a_binary_form_but_not_json() {
        let read: Sample =
            serde_saphyr::from_str("name: Sarthe\ncounts:\n  - 1\n  - 22\n").expect("valid YAML");
        assert_eq!(read.name.referenced, Location { line: 1, column: 7 });
        assert_eq!(read.counts[1].referenced, Location { line: 4, column: 5 });
        let bytes = postcard::to_allocvec(&read).expect("serialisable");
        let again: Sample = postcard::from_bytes(&bytes).expect("readable");
        assert_eq!(again, read);
        assert_eq!(
            serde_json::to_string(&read).expect("serialisable"),
            r#"{"name":"Sarthe","counts":[1,22]}"#
        );
    }
}
