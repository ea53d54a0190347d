//! The check catalogue: `postura checks` and `postura explain`, rendered from the
//! embedded metadata.

use crate::checks::{self, Metadata};

/// Every check's metadata, as JSON (`postura checks --format json`).
pub fn json() -> String {
    let all: Vec<&Metadata> = checks::REGISTRY
        .iter()
        .filter_map(|c| Metadata::of(c.id))
        .collect();
    serde_json::to_string_pretty(&all).unwrap_or_default() + "\n"
}

/// Every check, as a table (`postura checks`).
pub fn table() -> String {
    let mut t = comfy_table::Table::new();
    t.load_preset(comfy_table::presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(comfy_table::ContentArrangement::Dynamic)
        .set_header(vec!["Id", "Severity", "Area", "Title", "Compliance"]);
    for c in checks::REGISTRY {
        if let Some(m) = Metadata::of(c.id) {
            t.add_row(vec![
                m.id.clone(),
                m.severity.to_string(),
                m.area.title().to_string(),
                m.title.clone(),
                m.compliance.labels().join(", "),
            ]);
        }
    }
    format!("{t}\n")
}

/// What a check verifies, why, how to fix it, its mappings (`postura explain ID`).
/// `bold` is whether to embolden headings (a terminal).
pub fn explain(m: &Metadata, bold_headings: bool) -> String {
    let bold = |s: &str| {
        if bold_headings {
            format!("\x1b[1m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    };
    let mut out = format!(
        "{}\n{}\n\nid: {}\nseverity: {}\narea: {}\n",
        bold(&m.title),
        "=".repeat(m.title.chars().count()),
        m.id,
        m.severity,
        m.area.title()
    );
    let labels = m.compliance.labels();
    if !labels.is_empty() {
        out.push_str(&format!("compliance: {}\n", labels.join(", ")));
    }
    out.push_str(&format!(
        "\n{}\n{}\n\n{}\n{}\n",
        bold("Why it matters"),
        m.rationale.trim(),
        bold("How to fix it"),
        m.remediation.trim()
    ));
    if !m.references.is_empty() {
        out.push_str(&format!("\n{}\n", bold("References")));
        for r in &m.references {
            out.push_str(&format!("- {r}\n"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalogue_lists_and_explains_every_check() {
        let table = table();
        let json: serde_json::Value = serde_json::from_str(&json()).expect("valid JSON");
        assert_eq!(json.as_array().map(Vec::len), Some(checks::REGISTRY.len()));
        for c in checks::REGISTRY {
            assert!(table.contains(c.id), "{} not in the table", c.id);
            let m = Metadata::of(c.id).expect("metadata");
            let plain = explain(m, false);
            assert!(plain.contains("Why it matters") && plain.contains("How to fix it"));
            assert!(!plain.contains('\x1b'), "no escape codes off a terminal");
            assert!(explain(m, true).contains("\x1b[1m"));
        }
    }
}
