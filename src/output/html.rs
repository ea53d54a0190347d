//! One self-contained HTML page for auditors: who scanned what and when, the score per
//! area as a chart, every result with its evidence and mappings, filterable by status
//! and severity in the browser, without a server or a network fetch (a Content Security
//! Policy forbids any). Account text is HTML-escaped and its control and invisible
//! characters shown as escapes; the page's one script carries no account data.

use std::fmt::Write;

use super::{
    percent, plural, resource_label, suppression_warning, terminal_safe, why_not_evaluated,
};
use crate::checks::{Severity, Status};
use crate::report::{Change, Report, ResultEntry, SuppressionState};

/// Escapes text for HTML element content and quoted attribute values.
pub fn h(s: &str) -> String {
    let safe = terminal_safe(s);
    let mut out = String::with_capacity(safe.len() + 16);
    for c in safe.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

const STYLE: &str = r#"
:root { color-scheme: light; --fail: #b3261e; --error: #8a5a00; --pass: #1b6e3a; --muted: #5f6368; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0 auto; max-width: 1400px; padding: 24px; color: #1f1f1f; background: #fff; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 8px 0 0; }
dl.meta dt { color: var(--muted); }
dl.meta dd { margin: 0; overflow-wrap: anywhere; }
.overall { font-size: 40px; font-weight: 700; }
.score { display: flex; gap: 32px; align-items: center; flex-wrap: wrap; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; }
th, td { text-align: left; vertical-align: top; padding: 6px 8px; border-bottom: 1px solid #eee; overflow-wrap: anywhere; }
th { background: #f6f6f6; position: sticky; top: 0; }
td.msg { width: 40%; }
.badge { display: inline-block; padding: 0 6px; border-radius: 4px; font-weight: 600; font-size: 12px; }
.s-FAIL { background: #fce8e6; color: var(--fail); }
.s-ERROR { background: #fef7e0; color: var(--error); }
.s-PASS { background: #e6f4ea; color: var(--pass); }
.s-SUPPRESSED { background: #eee; color: var(--muted); }
.sev-critical { color: var(--fail); font-weight: 700; }
.sev-high { color: var(--fail); }
.sev-medium { color: var(--error); }
.change-new { font-weight: 700; color: var(--fail); }
fieldset { border: 1px solid #ddd; border-radius: 6px; display: inline-block; margin: 0 12px 8px 0; }
legend { color: var(--muted); }
label { margin-right: 10px; white-space: nowrap; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; background: #f8f8f8; padding: 6px; margin: 4px 0 0; font-size: 12px; }
details summary { cursor: pointer; color: var(--muted); }
.muted { color: var(--muted); }
"#;

/// Filters rows by the checked boxes, and keeps the choice in the page's address
/// (`#status=FAIL,ERROR&severity=critical`), so a filtered view can be shared or opened
/// directly.
const SCRIPT: &str = r#"
(function () {
  var form = document.getElementById('filters');
  var rows = Array.prototype.slice.call(document.querySelectorAll('#results tbody tr'));
  var shown = document.getElementById('shown');
  function boxes(name) { return Array.prototype.slice.call(form.querySelectorAll('input[name="' + name + '"]')); }
  function chosen(name) { return boxes(name).filter(function (b) { return b.checked; }).map(function (b) { return b.value; }); }
  function apply(updateHash) {
    var st = chosen('status'), sev = chosen('severity'), n = 0;
    rows.forEach(function (r) {
      var on = st.indexOf(r.dataset.status) >= 0 && sev.indexOf(r.dataset.severity) >= 0;
      r.hidden = !on;
      if (on) { n++; }
    });
    shown.textContent = 'Showing ' + n + ' of ' + rows.length + ' results';
    document.body.dataset.shown = String(n);
    if (updateHash && window.history && history.replaceState) {
      history.replaceState(null, '', '#status=' + st.join(',') + '&severity=' + sev.join(','));
    }
  }
  function fromHash() {
    var h = decodeURIComponent(location.hash.replace(/^#/, ''));
    h.split('&').forEach(function (part) {
      var kv = part.split('=');
      if (kv.length !== 2 || (kv[0] !== 'status' && kv[0] !== 'severity')) { return; }
      var want = kv[1].split(',');
      boxes(kv[0]).forEach(function (b) { b.checked = want.indexOf(b.value) >= 0; });
    });
  }
  form.hidden = false;
  fromHash();
  form.addEventListener('change', function () { apply(true); });
  apply(false);
  document.body.dataset.ready = 'true';
})();
"#;

fn status_key(r: &ResultEntry) -> &'static str {
    if !r.counts() {
        "SUPPRESSED"
    } else {
        r.status.as_str()
    }
}

/// A horizontal bar chart of the score per area, as inline SVG.
fn chart(report: &Report) -> String {
    let row_h = 28;
    let label_w = 190;
    let bar_w = 300;
    let height = row_h * report.score.areas.len() + 8;
    let mut svg = format!(
        r#"<svg role="img" aria-label="Score per area" width="{}" height="{height}" viewBox="0 0 {} {height}" xmlns="http://www.w3.org/2000/svg">"#,
        label_w + bar_w + 60,
        label_w + bar_w + 60
    );
    for (i, a) in report.score.areas.iter().enumerate() {
        let y = i * row_h + 4;
        let p = a.tally.percent.unwrap_or(0) as usize;
        let colour = match a.tally.percent {
            None => "#c4c7c5",
            Some(p) if p >= 90 => "#1b6e3a",
            Some(p) if p >= 70 => "#b06000",
            Some(_) => "#b3261e",
        };
        let _ = write!(
            svg,
            r##"<text x="0" y="{ty}" font-size="13" fill="#1f1f1f">{title}</text><rect x="{label_w}" y="{y}" width="{bar_w}" height="18" fill="#eee" rx="3"/><rect class="bar" data-area="{area}" x="{label_w}" y="{y}" width="{w}" height="18" fill="{colour}" rx="3"/><text x="{tx}" y="{ty}" font-size="13" fill="#1f1f1f">{pct}</text>"##,
            ty = y + 14,
            title = h(&a.title),
            area = h(&a.title),
            w = bar_w * p / 100,
            tx = label_w + bar_w + 8,
            pct = h(&percent(&a.tally)),
        );
    }
    svg.push_str("</svg>");
    svg
}

/// Renders the report as one HTML page.
pub fn render(report: &Report) -> String {
    let o = &report.score.overall;
    let mut out = String::with_capacity(64 * 1024 + report.results.len() * 600);
    let _ = write!(
        out,
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>postura report: account {account}, score {score}</title>
<style>{STYLE}</style>
</head>
<body>
<header>
<h1>postura report: account {account}</h1>
<dl class="meta">
<dt>Account</dt><dd>{account} ({partition})</dd>
<dt>Scanned by</dt><dd>{caller}</dd>
<dt>Regions</dt><dd>{regions}</dd>
<dt>Started</dt><dd>{started}</dd>
<dt>Finished</dt><dd>{finished}</dd>
<dt>Tool</dt><dd>postura {version}</dd>
</dl>
</header>
"#,
        account = h(&report.account.id),
        partition = h(&report.account.partition),
        caller = h(&report.account.scanned_by),
        regions = h(&format!(
            "{} scanned: {}",
            plural(report.regions.len(), "region"),
            report.regions.join(", ")
        )),
        started = report.started_at.format("%Y-%m-%d %H:%M:%S UTC"),
        finished = report.finished_at.format("%Y-%m-%d %H:%M:%S UTC"),
        version = h(&report.tool.version),
        score = h(&percent(o)),
    );
    let _ = write!(
        out,
        r#"<section id="score">
<h2>Score</h2>
<div class="score"><div><div class="overall" id="overall">{}</div><div class="muted">{} of {} checks pass, {} fail, {} could not be evaluated ({} not applicable)</div></div>
{}</div>
"#,
        h(&percent(o)),
        o.passed,
        o.passed + o.failed + o.unknown,
        o.failed,
        o.unknown,
        o.not_applicable,
        chart(report)
    );
    for hub in &report.security_hub {
        let _ = writeln!(
            out,
            "<p>Security Hub score in {}: {} ({} of {} controls pass)</p>",
            h(&hub.region),
            h(&percent(&hub.overall)),
            hub.overall.passed,
            hub.overall.passed + hub.overall.failed + hub.overall.unknown
        );
    }
    if let Some(b) = &report.baseline {
        let _ = writeln!(
            out,
            "<p id=\"baseline\">Against the baseline {} ({}): <strong>{} new</strong>, {} unchanged, {} resolved, {} not re-checked (could not be evaluated now).</p>",
            h(&b.file),
            b.finished_at.format("%Y-%m-%d %H:%M UTC"),
            b.new,
            b.unchanged,
            b.resolved,
            b.not_rechecked.len()
        );
    }
    out.push_str("</section>\n");

    // Results, with filters (hidden until the script runs; without it every row shows).
    let _ = write!(
        out,
        r#"<section id="results">
<h2>Results ({})</h2>
<form id="filters" hidden>
<fieldset><legend>Status</legend>"#,
        report.results.len()
    );
    for (value, label) in [
        ("FAIL", "Fail"),
        ("ERROR", "Not evaluated"),
        ("SUPPRESSED", "Suppressed"),
        ("PASS", "Pass"),
    ] {
        let n = report
            .results
            .iter()
            .filter(|r| status_key(r) == value)
            .count();
        let _ = write!(
            out,
            r#"<label><input type="checkbox" name="status" value="{value}" checked> {label} ({n})</label>"#
        );
    }
    out.push_str("</fieldset><fieldset><legend>Severity</legend>");
    for s in [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Informational,
    ] {
        let _ = write!(
            out,
            r#"<label><input type="checkbox" name="severity" value="{s}" checked> {s}</label>"#
        );
    }
    let _ = write!(
        out,
        r#"</fieldset>
</form>
<p id="shown" class="muted">Showing {n} of {n} results</p>
<table>
<thead><tr><th style="width:9%">Status</th><th style="width:8%">Severity</th><th style="width:16%">Check</th><th style="width:17%">Resource</th><th class="msg">Finding and evidence</th><th style="width:10%">Mappings</th></tr></thead>
<tbody>
"#,
        n = report.results.len()
    );
    for r in &report.results {
        let key = status_key(r);
        let mut finding = h(&r.message);
        if r.status == Status::Error {
            let why = why_not_evaluated(r);
            if why != r.message {
                let _ = write!(finding, "<br><span class=\"muted\">{}</span>", h(&why));
            }
        }
        if let Some(s) = &r.suppressed {
            let _ = write!(
                finding,
                "<br><span class=\"muted\">Suppressed ({}{}): {}</span>",
                h(&s.source),
                s.expires
                    .as_ref()
                    .map(|e| format!(", until {}", h(e)))
                    .unwrap_or_default(),
                h(&s.reason)
            );
        }
        if !r.evidence.is_empty() {
            let evidence = serde_json::to_string_pretty(&r.evidence).unwrap_or_default();
            // Line by line, so that the pretty-printed JSON keeps its lines.
            let lines: Vec<String> = evidence.lines().map(h).collect();
            let _ = write!(
                finding,
                "<details><summary>Evidence</summary><pre>{}</pre></details>",
                lines.join("\n")
            );
        }
        let change = match r.change {
            Some(Change::New) => " <span class=\"change-new\">new</span>",
            Some(Change::Unchanged) => " <span class=\"muted\">unchanged</span>",
            Some(Change::Resolved) => " <span class=\"muted\">resolved</span>",
            None => "",
        };
        let _ = writeln!(
            out,
            r#"<tr data-status="{key}" data-severity="{sev}"><td><span class="badge s-{key}">{label}</span>{change}</td><td class="sev-{sev}">{sev}</td><td><code>{check}</code><br><span class="muted">{title}</span></td><td>{resource}<br><span class="muted">{arn}</span></td><td class="msg">{finding}</td><td>{mappings}</td></tr>"#,
            sev = r.severity,
            label = if r.counts() {
                r.status.as_str()
            } else {
                "SUPPRESSED"
            },
            check = h(&r.check_id),
            title = h(&r.title),
            resource = h(&resource_label(&r.resource)),
            arn = h(&r.resource.arn),
            mappings = h(&r.compliance.join(", ")),
        );
    }
    out.push_str("</tbody>\n</table>\n</section>\n");

    if let Some(b) = report.baseline.as_ref().filter(|b| !b.gone.is_empty()) {
        out.push_str(
            "<section id=\"gone\"><h2>Failed in the baseline, no longer present</h2><table><thead><tr><th>Severity</th><th>Check</th><th>Resource</th><th>Then</th></tr></thead><tbody>\n",
        );
        for g in &b.gone {
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td><code>{}</code></td><td>{}<br><span class=\"muted\">{}</span></td><td>{}</td></tr>",
                g.severity,
                h(&g.check_id),
                h(&resource_label(&g.resource)),
                h(&g.resource.arn),
                h(&g.message)
            );
        }
        out.push_str("</tbody></table></section>\n");
    }
    if !report.suppressions.is_empty() {
        let _ = writeln!(
            out,
            "<section id=\"suppressions\"><h2>Suppressions ({})</h2><ul>",
            report.suppressions.len()
        );
        for u in &report.suppressions {
            let line = if u.state == SuppressionState::Active {
                format!(
                    "{}: {} on {}, {} covered: {}",
                    u.source,
                    u.check,
                    u.resource,
                    plural(u.matched, "result"),
                    u.reason
                )
            } else {
                suppression_warning(u)
            };
            let _ = writeln!(out, "<li>{}</li>", h(&line));
        }
        out.push_str("</ul></section>\n");
    }
    if !report.gaps.is_empty() {
        let _ = writeln!(
            out,
            "<section id=\"gaps\"><h2>Failed calls ({}): grant the missing permissions or retry later</h2><table><thead><tr><th>Service</th><th>Region</th><th>Operation</th><th>Error</th><th>Message</th></tr></thead><tbody>",
            report.gaps.len()
        );
        for g in &report.gaps {
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                h(&g.service),
                h(&g.region),
                h(&g.operation),
                h(&g.error_code),
                h(&g.message)
            );
        }
        out.push_str("</tbody></table></section>\n");
    }
    let _ = write!(out, "<script>{SCRIPT}</script>\n</body>\n</html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_text_is_inert() {
        assert_eq!(
            h("<script>alert('x')</script>&"),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;"
        );
        assert_eq!(h("\"onmouseover=x"), "&quot;onmouseover=x");
        assert!(!h("a\u{202E}b").contains('\u{202E}'));
    }
}
