//! Vocabularies: professions, toolbox themes, tool types, action kinds.

use std::collections::HashMap;

use super::Spanned;
use serde::{Deserialize, Serialize};

use super::yaml::Source;

/// One entry of a vocabulary file.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Term {
    pub id: Spanned<String>,
    pub label: String,
    #[serde(default)]
    pub plural: Option<String>,
    #[serde(default)]
    pub color: Option<Spanned<String>>,
}

impl Term {
    /// The label to use after a number greater than one.
    pub fn plural_label(&self) -> &str {
        self.plural.as_deref().unwrap_or(&self.label)
    }
}

/// A vocabulary file, in the order the file gives (the display order).
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    pub source: Source,
    pub terms: Vec<Term>,
    index: HashMap<String, usize>,
}

impl Vocabulary {
    pub fn new(source: Source, terms: Vec<Term>) -> Self {
        let mut index = HashMap::new();
        for (position, term) in terms.iter().enumerate() {
            index.entry(term.id.value.clone()).or_insert(position);
        }
        Vocabulary {
            source,
            terms,
            index,
        }
    }

    pub fn get(&self, id: &str) -> Option<&Term> {
        self.index.get(id).map(|&position| &self.terms[position])
    }

    pub fn contains(&self, id: &str) -> bool {
        self.index.contains_key(id)
    }

    /// Position in the file, for sorting in the editors' order.
    pub fn position(&self, id: &str) -> usize {
        self.index.get(id).copied().unwrap_or(usize::MAX)
    }

    pub fn ids(&self) -> impl Iterator<Item = &str> + Clone {
        self.terms.iter().map(|term| term.id.value.as_str())
    }

    pub fn label<'a>(&'a self, id: &'a str) -> &'a str {
        self.get(id).map_or(id, |term| term.label.as_str())
    }
}
