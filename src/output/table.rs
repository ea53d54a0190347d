//! The terminal report: scores per area, then failures by severity, then what could not
//! be checked.

use std::fmt::Write;

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Attribute, Cell, Color, ContentArrangement, Table};

use super::{Style, percent, plural, resource_label, terminal_safe as safe, why_not_evaluated};
use crate::checks::{Severity, Status};
use crate::report::{Change, Report, SuppressionState};

/// `2 regions scanned (eu-west-1, us-east-1), 15 not requested, 2 not opted in`.
fn regions_line(report: &Report) -> String {
    let n = report.regions.len();
    let mut line = format!(
        "{} scanned ({})",
        plural(n, "region"),
        safe(&report.regions.join(", "))
    );
    match report.skipped_regions.get() {
        Ok(skipped) => {
            for (reason, label) in [
                ("not-requested", "not requested"),
                ("not-opted-in", "not opted in"),
            ] {
                let k = skipped.iter().filter(|s| s.reason == reason).count();
                if k > 0 {
                    let _ = write!(line, ", {k} {label}");
                }
            }
        }
        Err(g) => {
            let _ = write!(
                line,
                "; other regions unknown ({} {}: see the failed calls below)",
                safe(&g.operation),
                safe(&g.error_code),
            );
        }
    }
    line
}

fn resource_cell(r: &crate::checks::Resource) -> String {
    safe(&resource_label(r))
}

fn severity_cell(severity: Severity, colour: bool) -> Cell {
    let cell = Cell::new(severity);
    if !colour {
        return cell;
    }
    match severity {
        Severity::Critical => cell.fg(Color::Red).add_attribute(Attribute::Bold),
        Severity::High => cell.fg(Color::Red),
        Severity::Medium => cell.fg(Color::Yellow),
        Severity::Low => cell.fg(Color::Cyan),
        Severity::Informational => cell,
    }
}

/// Renders the report for a terminal: wrapped to `style.width` columns (`None`: no
/// wrapping), severities coloured when `style.colour`.
pub fn render(report: &Report, style: Style) -> String {
    let mut out = String::new();
    let table = || {
        let mut t = Table::new();
        t.load_preset(UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Dynamic);
        if style.colour {
            t.enforce_styling();
        } else {
            t.force_no_tty();
        }
        t
    };
    let sized = |mut t: Table| {
        if let Some(w) = style.width {
            t.set_width(w);
        }
        t
    };
    let colour = style.colour;
    let _ = writeln!(
        out,
        "postura {} | account {} | {}\n{}",
        report.tool.version,
        safe(&report.account.id),
        report.finished_at.format("%Y-%m-%d %H:%M:%S UTC"),
        regions_line(report),
    );
    let _ = writeln!(out, "scanned by {}", safe(&report.account.scanned_by));
    let o = &report.score.overall;
    let _ = writeln!(
        out,
        "\nScore {}: {} of {} checks pass, {} fail, {} could not be evaluated ({} not applicable)\n",
        percent(o),
        o.passed,
        o.passed + o.failed + o.unknown,
        o.failed,
        o.unknown,
        o.not_applicable
    );

    let mut scores = table();
    scores.set_header(vec!["Area", "Score", "Passed", "Failed", "Unknown"]);
    for a in &report.score.areas {
        scores.add_row(vec![
            Cell::new(&a.title),
            Cell::new(percent(&a.tally)),
            Cell::new(a.tally.passed),
            Cell::new(a.tally.failed),
            Cell::new(a.tally.unknown),
        ]);
    }
    scores.add_row(vec![
        Cell::new("Overall"),
        Cell::new(percent(o)),
        Cell::new(o.passed),
        Cell::new(o.failed),
        Cell::new(o.unknown),
    ]);
    let _ = writeln!(out, "{}", sized(scores));
    for h in &report.security_hub {
        let standards: Vec<String> = h
            .standards
            .iter()
            .map(|s| format!("{} {}", safe(&s.name), percent(&s.tally)))
            .collect();
        let _ = writeln!(
            out,
            "Security Hub score in {} {}: {} of {} controls pass, {} fail{} ({}; {}){}",
            safe(&h.region),
            percent(&h.overall),
            h.overall.passed,
            h.overall.passed + h.overall.failed + h.overall.unknown,
            h.overall.failed,
            if h.overall.unknown > 0 {
                format!(", {} unknown", h.overall.unknown)
            } else {
                String::new()
            },
            if standards.is_empty() {
                "no standard".to_string()
            } else {
                standards.join(", ")
            },
            safe(&h.method),
            if h.failed_controls.is_empty() {
                String::new()
            } else {
                format!(
                    "\n  failed controls: {}",
                    h.failed_controls
                        .iter()
                        .map(|c| format!("{} {}", safe(&c.id), safe(&c.title)))
                        .collect::<Vec<_>>()
                        .join("; ")
                )
            }
        );
    }
    if !report.security_hub.is_empty() {
        let _ = writeln!(out);
    }

    if let Some(b) = &report.baseline {
        let _ = writeln!(
            out,
            "\nAgainst the baseline {} ({}): {} new, {} unchanged, {} resolved, {} not re-checked.",
            safe(&b.file),
            b.finished_at.format("%Y-%m-%d %H:%M UTC"),
            b.new,
            b.unchanged,
            b.resolved,
            b.not_rechecked.len()
        );
    }
    let failed: Vec<_> = report.counted(Status::Fail).collect();
    if failed.is_empty() {
        let _ = writeln!(out, "\nNo failed results.");
    } else {
        let _ = writeln!(out, "\nFailed ({}), most severe first:", failed.len());
        let mut t = table();
        let compared = report.baseline.is_some();
        let mut header = vec!["Severity", "Check", "Resource", "Finding"];
        if compared {
            header.push("Change");
        }
        t.set_header(header);
        for r in failed {
            let mut row = vec![
                severity_cell(r.severity, colour),
                Cell::new(&r.check_id),
                Cell::new(resource_cell(&r.resource)),
                Cell::new(safe(&r.message)),
            ];
            if compared {
                let cell = Cell::new(r.change.map(Change::as_str).unwrap_or(""));
                row.push(if colour && r.change == Some(Change::New) {
                    cell.add_attribute(Attribute::Bold)
                } else {
                    cell
                });
            }
            t.add_row(row);
        }
        let _ = writeln!(out, "{}", sized(t));
    }
    if let Some(b) = report.baseline.as_ref().filter(|b| b.resolved > 0) {
        let _ = writeln!(out, "\nResolved since the baseline ({}):", b.resolved);
        let mut t = table();
        t.set_header(vec!["Severity", "Check", "Resource", "Now"]);
        for r in report
            .results
            .iter()
            .filter(|r| r.change == Some(Change::Resolved))
        {
            t.add_row(vec![
                severity_cell(r.severity, colour),
                Cell::new(&r.check_id),
                Cell::new(resource_cell(&r.resource)),
                Cell::new("PASS"),
            ]);
        }
        for g in &b.gone {
            t.add_row(vec![
                severity_cell(g.severity, colour),
                Cell::new(&g.check_id),
                Cell::new(resource_cell(&g.resource)),
                Cell::new("no longer present"),
            ]);
        }
        let _ = writeln!(out, "{}", sized(t));
    }

    let suppressed: Vec<_> = report.results.iter().filter(|r| !r.counts()).collect();
    if !suppressed.is_empty() {
        let _ = writeln!(
            out,
            "\nSuppressed ({}): accepted in the configuration, left out of the score.",
            plural(suppressed.len(), "result")
        );
        let mut t = table();
        t.set_header(vec![
            "Status", "Check", "Resource", "Reason", "Until", "Where",
        ]);
        for r in suppressed {
            let s = r.suppressed.as_ref();
            t.add_row(vec![
                Cell::new(r.status.as_str()),
                Cell::new(&r.check_id),
                Cell::new(resource_cell(&r.resource)),
                Cell::new(safe(s.map(|s| s.reason.as_str()).unwrap_or_default())),
                Cell::new(safe(
                    s.and_then(|s| s.expires.as_deref()).unwrap_or("no expiry"),
                )),
                Cell::new(safe(s.map(|s| s.source.as_str()).unwrap_or_default())),
            ]);
        }
        let _ = writeln!(out, "{}", sized(t));
    }
    for u in report
        .suppressions
        .iter()
        .filter(|u| u.state != SuppressionState::Active)
    {
        let _ = writeln!(out, "\nwarning: {}", safe(&super::suppression_warning(u)));
    }

    let errors: Vec<_> = report.counted(Status::Error).collect();
    if !errors.is_empty() {
        let _ = writeln!(
            out,
            "\nNot evaluated ({}): these results are unknown, not passed.",
            plural(errors.len(), "result")
        );
        let mut t = table();
        t.set_header(vec!["Check", "Resource", "Why"]);
        for r in &errors {
            t.add_row(vec![
                Cell::new(&r.check_id),
                Cell::new(resource_cell(&r.resource)),
                Cell::new(safe(&why_not_evaluated(r))),
            ]);
        }
        let _ = writeln!(out, "{}", sized(t));
    }
    if !report.gaps.is_empty() {
        let _ = writeln!(
            out,
            "\nFailed calls ({}): grant the missing permissions or retry later.",
            report.gaps.len()
        );
        let mut t = table();
        t.set_header(vec!["Service", "Region", "Operation", "Error", "Message"]);
        for g in &report.gaps {
            t.add_row(vec![
                Cell::new(safe(&g.service)),
                Cell::new(safe(&g.region)),
                Cell::new(safe(&g.operation)),
                Cell::new(safe(&g.error_code)),
                Cell::new(safe(&g.message)),
            ]);
        }
        let _ = writeln!(out, "{}", sized(t));
    }
    match style.width {
        Some(w) => wrap_lines(&out, usize::from(w)),
        None => out,
    }
}

/// Wraps the lines outside tables (tables size themselves) at spaces to `width` columns,
/// continuation lines indented by two.
fn wrap_lines(text: &str, width: usize) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    for line in text.split_inclusive('\n') {
        let (body, end) = match line.strip_suffix('\n') {
            Some(b) => (b, "\n"),
            None => (line, ""),
        };
        let boxed = body.starts_with(['│', '┌', '╞', '└', '├', '╘', '┆']);
        if boxed || body.chars().count() <= width {
            out.push_str(line);
            continue;
        }
        let mut col = 0;
        for (i, word) in body.split(' ').enumerate() {
            let len = word.chars().count();
            if i > 0 {
                if col + 1 + len > width && col > 2 {
                    out.push_str("\n  ");
                    col = 2;
                } else {
                    out.push(' ');
                    col += 1;
                }
            }
            out.push_str(word);
            col += len;
        }
        out.push_str(end);
    }
    out
}
