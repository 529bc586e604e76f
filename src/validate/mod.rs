//! Cross-checks between files: every id that one file names must exist in
//! another, every number must make sense. Each problem is located.

mod content;
mod data;

use std::path::Path;

use crate::content::Content;
use crate::data::Data;
use crate::diagnostics::Diagnostics;

pub use content::{attachment_path, reserved_page_slugs};

/// Checks everything that parsing alone cannot, and returns every problem.
pub fn validate(root: &Path, data: &Data, content: &Content) -> Diagnostics {
    let mut diagnostics = Diagnostics::new();
    data::check_site(data, &mut diagnostics);
    data::check_vocabularies(data, &mut diagnostics);
    data::check_teams(data, &mut diagnostics);
    data::check_people_and_groups(data, &mut diagnostics);
    data::check_actions(data, &mut diagnostics);
    data::check_charts(data, &mut diagnostics);
    content::check_content(root, data, content, &mut diagnostics);
    diagnostics
}
