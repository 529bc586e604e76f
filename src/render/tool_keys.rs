//! The hash of each tool as templates see it, made once per render: the
//! keys of the toolbox's pages and of the search index are made of them.
//! A national site has 10 000 tools, listed 40 000 times over by the
//! toolbox and its themes and types; hashing each tool once, rather than
//! each page's values whole, took a tenth of a one-team rebuild off.

use rayon::prelude::*;

use crate::model::SiteModel;

pub struct ToolKeys {
    /// Of each tool's `ToolView`, by the tool's index.
    pub views: Vec<blake3::Hash>,
    /// Of each tool's `ToolRef` (what listings show), by the tool's index.
    pub refs: Vec<blake3::Hash>,
}

impl ToolKeys {
    pub fn of(model: &SiteModel) -> ToolKeys {
        let (views, refs) = model
            .tools
            .par_iter()
            .map(|tool| {
                (
                    crate::value_hash::of(tool),
                    crate::value_hash::of(&tool.as_ref()),
                )
            })
            .unzip();
        ToolKeys { views, refs }
    }

    /// The fingerprint of the listing of the tools at `indexes`, in order.
    pub fn of_listing(&self, indexes: impl Iterator<Item = usize>) -> String {
        let mut hasher = blake3::Hasher::new();
        for index in indexes {
            hasher.update(self.refs[index].as_bytes());
        }
        hasher.finalize().to_hex().to_string()
    }
}
