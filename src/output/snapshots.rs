//! Every renderer on one fixed report with hostile text in it: names, messages, reasons
//! and error messages carrying terminal escapes, Markdown and HTML metacharacters,
//! workflow-command separators and invisible characters. The snapshots show the whole
//! output; the assertions say what must hold whatever the snapshot: nothing from the
//! account leaves its cell, its line or its page.

use chrono::{NaiveDate, TimeZone, Utc};

use super::*;
use crate::checks::Status;
use crate::checks::iam::fixtures::{inventory, row};
use crate::inventory::Gap;
use crate::inventory::iam::ROOT_USER;
use crate::report::Suppression;

/// Text an attacker who can name a resource (or write a tag, a policy Sid, an error
/// message of a proxy) could plant.
const HOSTILE: &str = "x\u{1b}[2J\u{1b}]0;owned\u{7}|<script>alert(1)</script>\n::error title=fake::planted%0A**bold** [link](https://e.vil) `code` @team\r\u{202E}txt";

fn report() -> Report {
    let mut root = row(ROOT_USER);
    root.mfa_active = true;
    let mut dev = row("dev1");
    dev.password_enabled = Some(true);
    let mut ci = row("ci-deploy");
    ci.password_enabled = Some(true);
    let mut inv = inventory(vec![root, dev, ci]);
    let at = Utc
        .with_ymd_and_hms(2026, 12, 1, 9, 30, 0)
        .single()
        .expect("time");
    inv.started_at = at;
    inv.finished_at = at;
    let mut r = Report::evaluate(&inv);
    r.tool.version = "0.0.0-snapshot".into();
    r.api_calls.clear();
    r.gaps = vec![Gap {
        service: "IAM".into(),
        region: "global".into(),
        operation: "ListPolicies".into(),
        error_code: "AccessDenied".into(),
        message: HOSTILE.into(),
    }];
    // The hostile text lands where account data lands: a resource id, a message, an ERROR.
    for res in r
        .results
        .iter_mut()
        .filter(|x| x.check_id == "user-console-mfa")
    {
        if res.resource.id == "dev1" {
            res.resource.id = format!("dev1{HOSTILE}");
            res.message = format!("MFA missing: {HOSTILE}");
        }
    }
    if let Some(e) = r.results.iter_mut().find(|x| x.status == Status::Pass) {
        e.status = Status::Error;
        e.message = format!("could not read: {HOSTILE}");
    }
    r.suppress(
        &[
            Suppression {
                check: "user-console-mfa".into(),
                resource: "arn:aws:iam::*:user/ci-*".into(),
                reason: format!("CI user until the OIDC move {HOSTILE}"),
                expires: NaiveDate::from_ymd_opt(2027, 3, 31),
                source: "postura.toml:2".into(),
            },
            Suppression {
                check: "root-mfa".into(),
                resource: "*".into(),
                reason: "nothing to cover".into(),
                expires: None,
                source: "postura.toml:8".into(),
            },
        ],
        NaiveDate::from_ymd_opt(2026, 12, 1).expect("date"),
    );
    let mut old = r.clone();
    old.results.retain(|x| x.check_id != "password-policy");
    r.compare(&old, "previous.json");
    r
}

fn hostile_escapes_survive_nowhere(out: &str) {
    assert!(!out.contains('\u{1b}'), "no terminal escape");
    assert!(!out.contains('\u{7}'), "no bell");
    assert!(!out.contains('\r'), "no carriage return");
    assert!(!out.contains('\u{202E}'), "no reversing character");
    assert!(
        !out.lines().any(|l| l.starts_with("::error title=fake")),
        "no planted workflow command at the start of a line"
    );
}

#[test]
fn table() {
    let out = render(
        &report(),
        Format::Table,
        Style {
            width: Some(110),
            colour: false,
        },
    );
    hostile_escapes_survive_nowhere(&out);
    assert!(
        out.lines().all(|l| l.chars().count() <= 110),
        "fits 110 columns"
    );
    insta::assert_snapshot!(out);
}

#[test]
fn table_in_colour_colours_only_severities() {
    let out = render(
        &report(),
        Format::Table,
        Style {
            width: Some(110),
            colour: true,
        },
    );
    // The only escapes are postura's own SGR colour codes.
    for (i, _) in out.match_indices('\u{1b}') {
        let rest = &out[i + 1..];
        assert!(rest.starts_with('['), "an SGR sequence");
        let end = rest.find('m').expect("SGR ends with m");
        assert!(rest[1..end].chars().all(|c| c.is_ascii_digit() || c == ';'));
    }
    assert!(out.contains('\u{1b}'), "severities are coloured");
}

#[test]
fn markdown() {
    let out = render(&report(), Format::Markdown, Style::default());
    hostile_escapes_survive_nowhere(&out);
    // Every table row keeps its header's column count: no unescaped `|` from the account.
    let pipes = |line: &str| {
        line.char_indices()
            .filter(|(i, c)| *c == '|' && !line[..*i].ends_with('\\'))
            .count()
    };
    let mut header = None;
    let mut rows = 0;
    for line in out.lines() {
        if !line.starts_with('|') {
            header = None;
            continue;
        }
        match header {
            None => header = Some(pipes(line)),
            Some(n) => {
                assert_eq!(pipes(line), n, "{line}");
                rows += 1;
            }
        }
    }
    assert!(rows > 5, "tables were checked");
    assert!(!out.contains("<script>"), "no raw HTML");
    assert!(!out.contains("](https"), "no live link");
    insta::assert_snapshot!(out);
}

#[test]
fn markdown_stays_within_its_budget_and_says_what_it_left_out() {
    let mut big = report();
    let template = big.results[0].clone();
    for i in 0..20_000 {
        let mut r = template.clone();
        r.status = Status::Fail;
        r.suppressed = None;
        r.resource.arn = format!("arn:aws:iam::123456789012:user/u{i}");
        r.resource.id = format!("u{i}");
        r.message = "a long message ".repeat(8);
        big.results.push(r);
    }
    let out = github::summary(&big);
    assert!(out.len() <= 1024 * 1024, "{} bytes", out.len());
    assert!(out.contains("more not shown here"), "says it left rows out");
    assert!(out.contains("leaves out"), "says what it left out");
}

#[test]
fn json() {
    let out = render(&report(), Format::Json, Style::default());
    let back: Report = serde_json::from_str(&out).expect("the JSON reads back");
    assert_eq!(back.results.len(), report().results.len());
    insta::assert_snapshot!(out);
}

#[test]
fn sarif() {
    let out = render(&report(), Format::Sarif, Style::default());
    let v: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    // The results (the rules are the catalogue's, snapshotted by their own ids).
    let run = &v["runs"][0];
    let rule_ids: Vec<&str> = run["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .filter_map(|r| r["id"].as_str())
        .collect();
    assert_eq!(rule_ids.len(), crate::checks::REGISTRY.len());
    for r in run["results"].as_array().expect("results") {
        let uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .expect("uri");
        assert!(
            !uri.contains(' ') && !uri.contains('\n') && !uri.contains(':'),
            "{uri}"
        );
    }
    let shown = serde_json::json!({ "results": run["results"], "invocations": run["invocations"] });
    insta::assert_snapshot!(serde_json::to_string_pretty(&shown).unwrap_or_default());
}

#[test]
fn html() {
    let out = render(&report(), Format::Html, Style::default());
    hostile_escapes_survive_nowhere(&out);
    assert_eq!(
        out.matches("<script>").count(),
        1,
        "only the page's own script"
    );
    assert!(!out.contains("<script>alert"));
    assert!(out.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    insta::assert_snapshot!(out);
}

#[test]
fn github_annotations() {
    let out = github::annotations(&report());
    hostile_escapes_survive_nowhere(&out);
    assert!(
        out.lines().all(|l| l.starts_with("::")),
        "one command per line"
    );
    assert!(out.lines().count() <= github::MAX_ANNOTATIONS);
    insta::assert_snapshot!(out);
}
