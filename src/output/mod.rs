//! Renderers: pure functions from a report to text.

pub mod catalogue;
pub mod json;
pub mod table;

use clap::ValueEnum;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Tables for a person at a terminal.
    Table,
    /// The versioned JSON report, for auditors and other tools.
    Json,
}

/// Text from the account (names, tags, policy text) is data: escape every control
/// character so it cannot move the cursor, recolour the terminal or fake a line.
pub fn terminal_safe(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(terminal_safe("ok\x1b[31mred\n"), "ok\\u{1b}[31mred\\n");
        assert_eq!(terminal_safe("día ✓"), "día ✓");
    }
}
