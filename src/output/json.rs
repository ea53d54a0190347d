//! The JSON report: a versioned contract (see `schema_version`).

use crate::report::Report;

pub fn render(report: &Report) -> String {
    // Serialising plain owned data with string keys cannot fail.
    let mut text = serde_json::to_string_pretty(report)
        .unwrap_or_else(|e| format!("{{\"error\": \"could not serialise the report: {e}\"}}"));
    text.push('\n');
    text
}
