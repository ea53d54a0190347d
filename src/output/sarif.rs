//! SARIF 2.1.0 for GitHub code scanning.
//!
//! One rule per check (its metadata: title, rationale, remediation, references, CIS and
//! FSBP ids as tags, `security-severity`); one result per FAIL. GitHub rejects a whole
//! upload if any result lacks a relative location, so each result is located at a
//! pseudo-path `aws/<account>/<region>/<service>/<resource id>` (percent-encoded, never
//! the ARN itself, which has a scheme), and the ARN is in the message and the logical
//! location. `partialFingerprints` hash the check id and the ARN, so an alert survives a
//! re-scan whatever the message says. Results that could not be evaluated are not alerts:
//! they are the run's tool notifications.

use std::collections::HashMap;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::{Value, json};

use super::why_not_evaluated;
use crate::checks::{self, Metadata, Severity, Status};
use crate::report::{Change, Report};

/// GitHub code scanning keeps at most this many results per run.
pub const MAX_RESULTS: usize = 25_000;
/// A result's message is cut to this many characters (GitHub shows the start).
const MAX_MESSAGE: usize = 8_000;

/// Unreserved characters of RFC 3986 stay; everything else in a path segment is encoded.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

fn segment(s: &str) -> String {
    match s {
        "" => "_".into(),
        // `.` and `..` would be read as relative path steps.
        "." => "%2E".into(),
        ".." => "%2E%2E".into(),
        _ => utf8_percent_encode(s, SEGMENT).to_string(),
    }
}

/// The pseudo-path a result is located at.
pub fn location(account: &str, r: &checks::Resource) -> String {
    let service = r
        .arn
        .split(':')
        .nth(2)
        .filter(|s| !s.is_empty())
        .unwrap_or("aws");
    format!(
        "aws/{}/{}/{}/{}",
        segment(account),
        segment(&r.region),
        segment(service),
        segment(&r.id)
    )
}

/// FNV-1a, 64 bits: a stable hash (the standard library's is not stable across releases).
fn fnv1a(parts: &[&str]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in parts.join("\0").bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{h:016x}")
}

pub fn security_severity(s: Severity) -> Option<&'static str> {
    match s {
        Severity::Critical => Some("9.5"),
        Severity::High => Some("8.0"),
        Severity::Medium => Some("5.5"),
        Severity::Low => Some("2.0"),
        Severity::Informational => None,
    }
}

pub fn level(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Informational => "note",
    }
}

fn cut(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max).collect();
        t.push('…');
        t
    }
}

fn rule(m: &Metadata) -> Value {
    let mut tags = vec!["security".to_string(), format!("area/{}", area_tag(m))];
    tags.extend(m.compliance.labels());
    let mut help = m.remediation.trim().to_string();
    if !m.references.is_empty() {
        help.push_str("\n\nReferences:\n");
        for r in &m.references {
            help.push_str(&format!("- {r}\n"));
        }
    }
    let mut markdown = format!("{}\n", m.remediation.trim());
    if !m.references.is_empty() {
        markdown.push_str("\n**References**\n\n");
        for r in &m.references {
            markdown.push_str(&format!("- <{r}>\n"));
        }
    }
    let mut properties =
        json!({ "tags": tags, "precision": "high", "problem.severity": level(m.severity) });
    if let Some(s) = security_severity(m.severity) {
        properties["security-severity"] = json!(s);
    }
    let mut rule = json!({
        "id": m.id,
        "name": m.id,
        "shortDescription": { "text": m.title },
        "fullDescription": { "text": m.rationale.trim() },
        "help": { "text": help.trim_end(), "markdown": markdown.trim_end() },
        "defaultConfiguration": { "level": level(m.severity) },
        "properties": properties,
    });
    if let Some(first) = m.references.first() {
        rule["helpUri"] = json!(first);
    }
    rule
}

fn area_tag(m: &Metadata) -> String {
    serde_json::to_value(m.area)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// Renders the report as one SARIF run.
pub fn render(report: &Report) -> String {
    let metas: Vec<&Metadata> = checks::REGISTRY
        .iter()
        .filter_map(|c| Metadata::of(c.id))
        .collect();
    let index: HashMap<&str, usize> = metas
        .iter()
        .enumerate()
        .map(|(i, m)| (m.id.as_str(), i))
        .collect();
    let rules: Vec<Value> = metas.iter().map(|m| rule(m)).collect();

    let failed: Vec<_> = report
        .results
        .iter()
        .filter(|r| r.status == Status::Fail)
        .collect();
    let mut seen: HashMap<(&str, &str), usize> = HashMap::new();
    let mut results = Vec::new();
    for r in failed.iter().take(MAX_RESULTS) {
        let n = seen.entry(r.key()).or_insert(0);
        *n += 1;
        let mut fingerprint = fnv1a(&[&r.check_id, &r.resource.arn]);
        if *n > 1 {
            fingerprint.push_str(&format!(":{n}"));
        }
        let text = cut(
            &format!(
                "{} {}\nResource: {} ({})",
                r.title, r.message, r.resource.arn, r.resource.region
            ),
            MAX_MESSAGE,
        );
        let mut result = json!({
            "ruleId": r.check_id,
            "level": level(r.severity),
            "kind": "fail",
            "message": { "text": text },
            "locations": [{
                "physicalLocation": {
                    "artifactLocation": { "uri": location(&report.account.id, &r.resource) },
                    "region": { "startLine": 1, "startColumn": 1, "endLine": 1, "endColumn": 2 }
                },
                "logicalLocations": [{
                    "name": r.resource.id,
                    "fullyQualifiedName": r.resource.arn,
                    "kind": "resource"
                }]
            }],
            "partialFingerprints": { "postura/v1": fingerprint },
            "properties": {
                "severity": r.severity.as_str(),
                "compliance": r.compliance,
                "resourceType": r.resource.kind,
                "region": r.resource.region,
            }
        });
        if let Some(i) = index.get(r.check_id.as_str()) {
            result["ruleIndex"] = json!(i);
        }
        if let Some(s) = &r.suppressed {
            result["suppressions"] = json!([{
                "kind": "external",
                "status": "accepted",
                "justification": format!("{} ({}{})", s.reason, s.source,
                    s.expires.as_ref().map(|e| format!(", until {e}")).unwrap_or_default()),
            }]);
        }
        if report.baseline.is_some() {
            result["baselineState"] = json!(match r.change {
                Some(Change::Unchanged) => "unchanged",
                _ => "new",
            });
        }
        results.push(result);
    }

    let mut notifications: Vec<Value> = report
        .results
        .iter()
        .filter(|r| r.status == Status::Error)
        .map(|r| {
            json!({
                "level": "warning",
                "message": { "text": cut(&format!(
                    "{} could not be evaluated for {}: {}",
                    r.check_id, r.resource.arn, why_not_evaluated(r)
                ), MAX_MESSAGE) },
                "descriptor": { "id": "not-evaluated" },
                "associatedRule": { "id": r.check_id },
            })
        })
        .collect();
    if failed.len() > MAX_RESULTS {
        notifications.insert(
            0,
            json!({
                "level": "warning",
                "message": { "text": format!(
                    "{} FAIL results; GitHub code scanning keeps {MAX_RESULTS} per run, so the {} least severe are left out (the JSON report has them all)",
                    failed.len(), failed.len() - MAX_RESULTS
                ) },
                "descriptor": { "id": "results-truncated" },
            }),
        );
    }

    let sarif = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "postura",
                "version": report.tool.version,
                "semanticVersion": report.tool.version,
                "rules": rules,
            } },
            "automationDetails": { "id": format!("postura/{}/", report.account.id) },
            "invocations": [{
                "executionSuccessful": true,
                "startTimeUtc": report.started_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                "endTimeUtc": report.finished_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                "toolExecutionNotifications": notifications,
            }],
            "results": results,
            "properties": {
                "account": report.account.id,
                "scannedBy": report.account.scanned_by,
                "regions": report.regions,
                "score": report.score.overall.percent,
            }
        }]
    });
    let mut text = serde_json::to_string_pretty(&sarif).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resource(id: &str, region: &str, arn: &str) -> checks::Resource {
        checks::Resource {
            arn: arn.into(),
            id: id.into(),
            kind: "AwsCognitoUserPool".into(),
            region: region.into(),
        }
    }

    #[test]
    fn locations_are_relative_paths_without_spaces() {
        let r = resource(
            "Lend2B pool/../x",
            "eu-west-1",
            "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_A",
        );
        let uri = location("123456789012", &r);
        assert_eq!(
            uri,
            "aws/123456789012/eu-west-1/cognito-idp/Lend2B%20pool%2F..%2Fx"
        );
        assert!(!uri.contains(' ') && !uri.contains(':'));
        assert_eq!(
            location("1", &resource("..", "global", "")),
            "aws/1/global/aws/%2E%2E"
        );
    }

    #[test]
    fn fingerprints_are_stable_and_distinct() {
        let a = fnv1a(&["root-mfa", "arn:aws:iam::1:root"]);
        assert_eq!(a, fnv1a(&["root-mfa", "arn:aws:iam::1:root"]));
        assert_ne!(a, fnv1a(&["root-mf", "aarn:aws:iam::1:root"]));
        assert_eq!(a.len(), 16);
    }
}
