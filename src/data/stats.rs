//! `data/stats.yaml` (optional): how often each tool was consulted, for the
//! toolbox's "most consulted" section.
//!
//! ```yaml
//! - { tool: organiser-une-rcp, views: 1520 }
//! ```

use super::Spanned;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ToolViews {
    /// The tool's slug: its file name in `content/outils/` without `.md`.
    pub tool: Spanned<String>,
    pub views: Spanned<i64>,
}
