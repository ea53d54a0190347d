//! The terminal report: scores per area, then failures by severity, then what could not
//! be checked.

use std::fmt::Write;

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Cell, ContentArrangement, Table};

use super::terminal_safe as safe;
use crate::checks::Status;
use crate::report::{Report, Tally};

fn percent(t: &Tally) -> String {
    t.percent
        .map(|p| format!("{p}%"))
        .unwrap_or_else(|| "n/a".into())
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

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

/// The resource's id, and its region when it is regional.
fn resource_cell(r: &crate::checks::Resource) -> String {
    if r.region == crate::inventory::GLOBAL_REGION {
        safe(&r.id).to_string()
    } else {
        format!("{} ({})", safe(&r.id), safe(&r.region))
    }
}

fn table() -> Table {
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic);
    t
}

/// Renders the report for a terminal `width` columns wide (`None`: no wrapping).
pub fn render(report: &Report, width: Option<u16>) -> String {
    let mut out = String::new();
    let sized = |mut t: Table| {
        if let Some(w) = width {
            t.set_width(w);
        }
        t
    };
    let _ = writeln!(
        out,
        "postura {} | account {} | {} | {}",
        report.tool.version,
        safe(&report.account.id),
        regions_line(report),
        report.finished_at.format("%Y-%m-%d %H:%M:%S UTC"),
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

    let failed: Vec<_> = report
        .results
        .iter()
        .filter(|r| r.status == Status::Fail)
        .collect();
    if failed.is_empty() {
        let _ = writeln!(out, "\nNo failed results.");
    } else {
        let _ = writeln!(out, "\nFailed ({}), most severe first:", failed.len());
        let mut t = table();
        t.set_header(vec!["Severity", "Check", "Resource", "Finding"]);
        for r in failed {
            t.add_row(vec![
                Cell::new(r.severity),
                Cell::new(&r.check_id),
                Cell::new(resource_cell(&r.resource)),
                Cell::new(safe(&r.message)),
            ]);
        }
        let _ = writeln!(out, "{}", sized(t));
    }

    let errors: Vec<_> = report
        .results
        .iter()
        .filter(|r| r.status == Status::Error)
        .collect();
    if !errors.is_empty() {
        let _ = writeln!(
            out,
            "\nNot evaluated ({}): these results are unknown, not passed.",
            plural(errors.len(), "result")
        );
        let mut t = table();
        t.set_header(vec!["Check", "Resource", "Why"]);
        for r in &errors {
            let why = match r.evidence.get("gap") {
                Some(g) => format!(
                    "{} {} failed: {}",
                    g["service"].as_str().unwrap_or_default(),
                    g["operation"].as_str().unwrap_or_default(),
                    g["error_code"].as_str().unwrap_or_default()
                ),
                None => r.message.clone(),
            };
            t.add_row(vec![
                Cell::new(&r.check_id),
                Cell::new(resource_cell(&r.resource)),
                Cell::new(safe(&why)),
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
    out
}
