//! Renderers: pure functions from a report to text. Each escapes text from the account
//! for its own medium; none decides anything about the account.

pub mod catalogue;
pub mod github;
pub mod html;
pub mod json;
pub mod markdown;
pub mod sarif;
pub mod table;

#[cfg(test)]
mod snapshots;

use clap::ValueEnum;

use crate::report::{Report, ResultEntry, Tally};

/// The formats a report renders to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Tables for a person at a terminal.
    Table,
    /// The versioned JSON report, for auditors and other tools.
    Json,
    /// SARIF 2.1.0, for GitHub code scanning.
    Sarif,
    /// Markdown: a pull request comment, a wiki page, a job summary.
    Markdown,
    /// One self-contained HTML page for auditors, filterable offline.
    Html,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Json => "json",
            Format::Sarif => "sarif",
            Format::Markdown => "markdown",
            Format::Html => "html",
        }
    }

    pub fn from_name(name: &str) -> Option<Format> {
        <Format as ValueEnum>::from_str(name, true).ok()
    }
}

/// How the table renders: wrapped to `width` columns (`None`: no wrapping), and coloured.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Style {
    pub width: Option<u16>,
    pub colour: bool,
}

/// Renders a report in one format.
pub fn render(report: &Report, format: Format, style: Style) -> String {
    match format {
        Format::Table => table::render(report, style),
        Format::Json => json::render(report),
        Format::Sarif => sarif::render(report),
        Format::Markdown => markdown::render(report, None),
        Format::Html => html::render(report),
    }
}

/// Whether a character can reorder, hide or break text where it is shown: control
/// characters, bidirectional overrides and isolates, zero-width characters, line and
/// paragraph separators.
fn is_hazard(c: char) -> bool {
    c.is_control()
        || matches!(c,
            // Soft hyphen, Arabic letter mark, Mongolian vowel separator.
            '\u{00AD}' | '\u{061C}' | '\u{180E}'
            // Zero-width characters, directional marks, embeddings, overrides and
            // isolates; line and paragraph separators; invisible operators.
            | '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202E}' | '\u{2060}'..='\u{206F}'
            | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}'
            // Tag characters, which can spell hidden text.
            | '\u{E0000}'..='\u{E007F}')
}

/// Text from the account (names, tags, policy text) is data: escape every control
/// character so it cannot move the cursor, recolour the terminal or fake a line, and
/// every invisible or reordering character so it cannot disguise what it says.
pub fn terminal_safe(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if is_hazard(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

pub(crate) fn percent(t: &Tally) -> String {
    t.percent
        .map(|p| format!("{p}%"))
        .unwrap_or_else(|| "n/a".into())
}

pub(crate) fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// Why a result was not evaluated: the failed call when a gap caused it, else its message.
pub(crate) fn why_not_evaluated(r: &ResultEntry) -> String {
    match r.evidence.get("gap") {
        Some(g) => format!(
            "{} {} failed: {}",
            g["service"].as_str().unwrap_or_default(),
            g["operation"].as_str().unwrap_or_default(),
            g["error_code"].as_str().unwrap_or_default()
        ),
        None => r.message.clone(),
    }
}

/// What to do about a suppression that is not in force (expired, or matching nothing).
pub(crate) fn suppression_warning(u: &crate::report::SuppressionUse) -> String {
    let what = format!(
        "the suppression at {} ({} on {})",
        u.source, u.check, u.resource
    );
    match u.state {
        crate::report::SuppressionState::Expired => format!(
            "{what} expired on {}: it covers nothing now; renew it with a later date or remove it",
            u.expires.as_deref().unwrap_or("?")
        ),
        _ => format!(
            "{what} matches no failed or unevaluated result: remove it, or fix its check or resource pattern"
        ),
    }
}

/// The resource's id, and its region when it is regional.
pub(crate) fn resource_label(r: &crate::checks::Resource) -> String {
    if r.region == crate::inventory::GLOBAL_REGION {
        r.id.clone()
    } else {
        format!("{} ({})", r.id, r.region)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_and_invisible_characters_are_escaped() {
        assert_eq!(terminal_safe("ok\x1b[31mred\n"), "ok\\u{1b}[31mred\\n");
        assert_eq!(terminal_safe("día ✓"), "día ✓");
        assert_eq!(
            terminal_safe("admin\u{202E}txt.exe\u{200B}"),
            "admin\\u{202e}txt.exe\\u{200b}"
        );
        assert_eq!(terminal_safe("a\u{2028}b"), "a\\u{2028}b");
        assert_eq!(terminal_safe("x\u{061C}\u{E0041}y"), "x\\u{61c}\\u{e0041}y");
    }
}
