//! SARIF 2.1.0 for GitHub code scanning.
//!
//! One rule per check (its metadata: title, rationale, remediation, references, CIS and
//! FSBP ids as tags, `security-severity`); one result per FAIL. GitHub rejects a whole
//! upload if any result lacks a relative location, so each result is located at a
//! pseudo-path `aws/<account>/<region>/<service>/<resource>` (the ARN's resource part,
//! percent-encoded: never the ARN itself, which has a scheme), and the ARN is in the
//! message and the logical location. `partialFingerprints` hash the check id, the ARN and
//! the resource id, so an alert survives a re-scan whatever the message says; GitHub
//! tracks alerts by `primaryLocationLineHash`, which carries that hash, since there is no
//! file for it to hash lines of. Results that could not be evaluated are not alerts: they
//! are the run's tool notifications.

use std::collections::HashMap;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::{Value, json};

use super::why_not_evaluated;
use crate::checks::{self, Metadata, Severity, Status};
use crate::report::{Change, Report};

/// GitHub code scanning rejects a run with more results than this (and shows the 5,000
/// most severe).
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

/// The pseudo-path a result is located at: `aws/<account>/<region>/<service>/<resource>`,
/// the resource being the ARN's resource part (`user/dev1`, `policy/Admin`), so that two
/// resources of one name (a user and a role) do not share a path; the resource id when
/// there is no ARN.
pub fn location(account: &str, r: &checks::Resource) -> String {
    let parts: Vec<&str> = r.arn.splitn(6, ':').collect();
    let (service, resource) = match parts.as_slice() {
        ["arn", _, service, _, _, resource] if !service.is_empty() && !resource.is_empty() => {
            (*service, *resource)
        }
        _ => ("aws", r.id.as_str()),
    };
    format!(
        "aws/{}/{}/{}/{}",
        segment(account),
        segment(&r.region),
        segment(service),
        segment(resource)
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
    let problem = match m.severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Informational => "recommendation",
    };
    let mut properties = json!({ "tags": tags, "precision": "high", "problem.severity": problem });
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
    let mut seen: HashMap<(&str, &str, &str), usize> = HashMap::new();
    let mut results = Vec::new();
    for r in failed.iter().take(MAX_RESULTS) {
        let n = seen.entry(r.key()).or_insert(0);
        *n += 1;
        let mut fingerprint = fnv1a(&[&r.check_id, &r.resource.arn, &r.resource.id]);
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
            "partialFingerprints": {
                "postura/v1": fingerprint,
                "primaryLocationLineHash": format!("{fingerprint}:1"),
            },
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
                    "{} FAIL results; GitHub code scanning accepts {MAX_RESULTS} per run (and shows the 5,000 most severe), so the {} least severe are left out (the JSON report has them all)",
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
            "Lend2B pool",
            "eu-west-1",
            "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_A",
        );
        let uri = location("123456789012", &r);
        assert_eq!(
            uri,
            "aws/123456789012/eu-west-1/cognito-idp/userpool%2Feu-west-1_A"
        );
        assert!(!uri.contains(' ') && !uri.contains(':'));
        assert_eq!(
            location("1", &resource("..", "global", "")),
            "aws/1/global/aws/%2E%2E"
        );
        assert_eq!(
            location("1", &resource("a b", "global", "not an arn")),
            "aws/1/global/aws/a%20b"
        );
        // One name, two resources, two paths.
        let user = resource("admin", "global", "arn:aws:iam::1:user/admin");
        let role = resource("admin", "global", "arn:aws:iam::1:role/admin");
        assert_ne!(location("1", &user), location("1", &role));
        // An AWS managed and a customer managed policy of one name share a path; the
        // fingerprint, over the ARN, still tells them apart.
        let ours = resource("Admin", "global", "arn:aws:iam::1:policy/Admin");
        let aws = resource("Admin", "global", "arn:aws:iam::aws:policy/Admin");
        assert_ne!(
            fnv1a(&["c", &ours.arn, &ours.id]),
            fnv1a(&["c", &aws.arn, &aws.id])
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
