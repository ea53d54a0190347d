//! Markdown (GitHub-flavoured): a job summary, a pull request comment, a wiki page.
//!
//! Text from the account is escaped so that it stays inside its table cell: every ASCII
//! punctuation character is backslash-escaped (so no `|`, `<tag>`, `[link](...)`, `*`,
//! `` ` `` or `@mention` takes effect), and control and invisible characters are shown
//! as escapes. With a byte budget (a job summary is capped at 1 MiB), rows stop before the
//! budget and the page says what it left out.

use std::fmt::Write;

use super::{
    percent, plural, resource_label, suppression_warning, terminal_safe, why_not_evaluated,
};
use crate::checks::Status;
use crate::report::{Change, Report, SuppressionState};

/// Escapes account text for a Markdown table cell or line.
pub fn md(s: &str) -> String {
    let safe = terminal_safe(s);
    let mut out = String::with_capacity(safe.len() + 8);
    for c in safe.chars() {
        if c.is_ascii_punctuation() {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// What is kept free at the end of a budgeted page for the notes of what was left out.
const RESERVE: usize = 4 * 1024;

/// A section: a heading line, a table header, rows, and what to call a left-out row.
struct Section {
    heading: String,
    header: String,
    rows: Vec<String>,
    noun: &'static str,
}

impl Section {
    fn new(heading: String, columns: &[&str], noun: &'static str) -> Self {
        let header = format!(
            "| {} |\n|{}\n",
            columns.join(" | "),
            "---|".repeat(columns.len())
        );
        Section {
            heading,
            header,
            rows: Vec::new(),
            noun,
        }
    }

    fn row(&mut self, cells: &[String]) {
        self.rows.push(format!("| {} |\n", cells.join(" | ")));
    }
}

/// Renders the report as Markdown; with `budget`, the page stays under that many bytes.
pub fn render(report: &Report, budget: Option<usize>) -> String {
    let mut out = String::new();
    let o = &report.score.overall;
    let _ = writeln!(
        out,
        "## postura: account {}, score {}\n",
        md(&report.account.id),
        percent(o)
    );
    let _ = writeln!(
        out,
        "postura {} · scanned by {} · {} ({}) · {}\n",
        md(&report.tool.version),
        md(&report.account.scanned_by),
        plural(report.regions.len(), "region"),
        md(&report.regions.join(", ")),
        report.finished_at.format("%Y-%m-%d %H:%M UTC"),
    );
    let _ = writeln!(
        out,
        "**{}** of {} checks pass, {} fail, {} could not be evaluated ({} not applicable).\n",
        o.passed,
        o.passed + o.failed + o.unknown,
        o.failed,
        o.unknown,
        o.not_applicable
    );
    out.push_str("| Area | Score | Passed | Failed | Unknown |\n|---|---:|---:|---:|---:|\n");
    for a in &report.score.areas {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            md(&a.title),
            percent(&a.tally),
            a.tally.passed,
            a.tally.failed,
            a.tally.unknown
        );
    }
    let _ = writeln!(
        out,
        "| **Overall** | **{}** | {} | {} | {} |\n",
        percent(o),
        o.passed,
        o.failed,
        o.unknown
    );
    for h in &report.security_hub {
        let _ = writeln!(
            out,
            "Security Hub score in {}: {} ({} of {} controls pass).\n",
            md(&h.region),
            percent(&h.overall),
            h.overall.passed,
            h.overall.passed + h.overall.failed + h.overall.unknown
        );
    }
    if let Some(b) = &report.baseline {
        let _ = writeln!(
            out,
            "Against the baseline {} ({}): **{} new**, {} unchanged, {} resolved, {} not re-checked (could not be evaluated now).\n",
            md(&b.file),
            b.finished_at.format("%Y-%m-%d %H:%M UTC"),
            b.new,
            b.unchanged,
            b.resolved,
            b.not_rechecked.len()
        );
    }

    let mut sections = Vec::new();
    let failed: Vec<_> = report.counted(Status::Fail).collect();
    let compared = report.baseline.is_some();
    let mut columns = vec!["Severity", "Check", "Resource", "Finding"];
    if compared {
        columns.push("Change");
    }
    let mut s = Section::new(
        format!("### Failed ({}), most severe first\n", failed.len()),
        &columns,
        "failed result",
    );
    for r in &failed {
        let mut cells = vec![
            r.severity.to_string(),
            format!("`{}`", r.check_id),
            md(&resource_label(&r.resource)),
            md(&r.message),
        ];
        if compared {
            cells.push(match r.change {
                Some(Change::New) => "**new**".into(),
                Some(c) => c.as_str().into(),
                None => String::new(),
            });
        }
        s.row(&cells);
    }
    if failed.is_empty() {
        s.heading = "### No failed results\n".into();
    }
    sections.push(s);

    let errors: Vec<_> = report.counted(Status::Error).collect();
    if !errors.is_empty() {
        let mut s = Section::new(
            format!(
                "### Not evaluated ({}): unknown, not passed\n",
                plural(errors.len(), "result")
            ),
            &["Check", "Resource", "Why"],
            "unevaluated result",
        );
        for r in errors {
            s.row(&[
                format!("`{}`", r.check_id),
                md(&resource_label(&r.resource)),
                md(&why_not_evaluated(r)),
            ]);
        }
        sections.push(s);
    }

    let suppressed: Vec<_> = report.results.iter().filter(|r| !r.counts()).collect();
    if !suppressed.is_empty() {
        let mut s = Section::new(
            format!(
                "### Suppressed ({}): accepted in the configuration, out of the score\n",
                plural(suppressed.len(), "result")
            ),
            &["Status", "Check", "Resource", "Reason", "Until", "Where"],
            "suppressed result",
        );
        for r in suppressed {
            let sup = r.suppressed.as_ref();
            s.row(&[
                r.status.as_str().into(),
                format!("`{}`", r.check_id),
                md(&resource_label(&r.resource)),
                md(sup.map(|s| s.reason.as_str()).unwrap_or_default()),
                md(sup
                    .and_then(|s| s.expires.as_deref())
                    .unwrap_or("no expiry")),
                md(sup.map(|s| s.source.as_str()).unwrap_or_default()),
            ]);
        }
        sections.push(s);
    }
    let stale: Vec<_> = report
        .suppressions
        .iter()
        .filter(|u| u.state != SuppressionState::Active)
        .collect();
    if !stale.is_empty() {
        let mut s = Section::new(
            "### Suppressions to review\n".into(),
            &["Suppression"],
            "suppression",
        );
        for u in stale {
            s.row(&[md(&suppression_warning(u))]);
        }
        sections.push(s);
    }

    if let Some(b) = report.baseline.as_ref().filter(|b| b.resolved > 0) {
        let mut s = Section::new(
            format!("### Resolved since the baseline ({})\n", b.resolved),
            &["Severity", "Check", "Resource", "Now"],
            "resolved result",
        );
        for r in report
            .results
            .iter()
            .filter(|r| r.change == Some(Change::Resolved))
        {
            s.row(&[
                r.severity.to_string(),
                format!("`{}`", r.check_id),
                md(&resource_label(&r.resource)),
                "PASS".into(),
            ]);
        }
        for g in &b.gone {
            s.row(&[
                g.severity.to_string(),
                format!("`{}`", g.check_id),
                md(&resource_label(&g.resource)),
                "no longer present".into(),
            ]);
        }
        sections.push(s);
    }

    if !report.gaps.is_empty() {
        let mut s = Section::new(
            format!(
                "### Failed calls ({}): grant the missing permissions or retry later\n",
                report.gaps.len()
            ),
            &["Service", "Region", "Operation", "Error", "Message"],
            "failed call",
        );
        for g in &report.gaps {
            s.row(&[
                md(&g.service),
                md(&g.region),
                md(&g.operation),
                md(&g.error_code),
                md(&g.message),
            ]);
        }
        sections.push(s);
    }

    let limit = budget.map(|b| b.saturating_sub(RESERVE));
    let mut left_out: Vec<String> = Vec::new();
    for s in sections {
        let fits = |extra: usize, out: &String| limit.is_none_or(|l| out.len() + extra <= l);
        if !fits(s.heading.len() + s.header.len(), &out) {
            if !s.rows.is_empty() {
                left_out.push(plural(s.rows.len(), s.noun));
            }
            continue;
        }
        let _ = writeln!(out, "{}", s.heading);
        if s.rows.is_empty() {
            continue;
        }
        out.push_str(&s.header);
        let mut shown = 0;
        for row in &s.rows {
            if !fits(row.len(), &out) {
                break;
            }
            out.push_str(row);
            shown += 1;
        }
        if shown < s.rows.len() {
            let _ = writeln!(
                out,
                "\n_{} more not shown here._",
                plural(s.rows.len() - shown, s.noun)
            );
            left_out.push(plural(s.rows.len() - shown, s.noun));
        }
        out.push('\n');
    }
    if !left_out.is_empty() {
        let _ = writeln!(
            out,
            "_This summary stays under its size limit, so it leaves out {}; the JSON, SARIF and HTML reports have every result._",
            left_out.join(", ")
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_text_cannot_leave_its_cell() {
        assert_eq!(md("a|b"), "a\\|b");
        assert_eq!(
            md("<img src=x onerror=alert(1)>"),
            "\\<img src\\=x onerror\\=alert\\(1\\)\\>"
        );
        assert_eq!(
            md("[x](http://e.vil) @team"),
            "\\[x\\]\\(http\\:\\/\\/e\\.vil\\) \\@team"
        );
        assert_eq!(md("line\nbreak"), "line\\\\nbreak");
        assert!(!md("a\u{1b}[2Jb").contains('\u{1b}'));
    }
}
