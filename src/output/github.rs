//! GitHub Actions: workflow annotations for the most severe findings, and the job summary
//! (Markdown, appended to `$GITHUB_STEP_SUMMARY`).
//!
//! GitHub shows at most 10 error and 10 warning annotations per step, so postura emits at
//! most [`MAX_ANNOTATIONS`] in all, most severe first, the last one saying how many more
//! there are. Account text is escaped as workflow commands require (`%`, CR, LF in the
//! message; also `:` and `,` in properties), after control characters are made visible,
//! so no name can end the command or start another.

use std::fmt::Write;

use super::terminal_safe;
use crate::checks::{Severity, Status};
use crate::report::Report;

/// Annotations emitted per run, the overflow notice included.
pub const MAX_ANNOTATIONS: usize = 10;
/// A step summary is capped at 1 MiB; postura stays a little under.
pub const SUMMARY_BUDGET: usize = 1024 * 1024 - 16 * 1024;

fn data(s: &str) -> String {
    terminal_safe(s)
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

fn command(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Informational => "notice",
    }
}

/// The workflow commands for the report's most severe counted FAILs, one per line.
pub fn annotations(report: &Report) -> String {
    let failed: Vec<_> = report.counted(Status::Fail).collect();
    let shown = if failed.len() > MAX_ANNOTATIONS {
        MAX_ANNOTATIONS - 1
    } else {
        failed.len()
    };
    let mut out = String::new();
    for r in &failed[..shown] {
        let _ = writeln!(
            out,
            "::{} title={}::{}",
            command(r.severity),
            property(&format!("postura {}: {}", r.severity, r.check_id)),
            data(&format!(
                "{}: {} ({})",
                super::resource_label(&r.resource),
                r.message,
                r.resource.arn
            )),
        );
    }
    if failed.len() > shown {
        let _ = writeln!(
            out,
            "::notice title={}::{}",
            property("postura: more findings"),
            data(&format!(
                "{} more failed results are not annotated; the job summary and the reports list them all",
                failed.len() - shown
            )),
        );
    }
    out
}

/// The job summary: the Markdown report, kept under GitHub's 1 MiB.
pub fn summary(report: &Report) -> String {
    super::markdown::render(report, Some(SUMMARY_BUDGET))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workflow_command_text_is_escaped() {
        assert_eq!(data("50%\r\n::error::x"), "50%25\\r\\n::error::x");
        assert_eq!(property("a: b, c"), "a%3A b%2C c");
        // A raw newline never survives, so nothing can start a command of its own.
        assert!(!data("x\n::add-mask::y").contains('\n'));
    }
}
