//! The command line: report contract, offline re-evaluation, call accounting, bad input.

use predicates::prelude::*;
use predicates::str::contains;

use crate::support::{REGION, TestAccount, postura_isolated, seed};

/// One paragraph on stderr, starting with `error:`, naming the problem, no panic text.
fn assert_clean_error(out: &std::process::Output, needle: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "stderr: {stderr}");
    assert!(stderr.starts_with("error: "), "stderr: {stderr}");
    assert!(stderr.contains(needle), "expected {needle:?} in: {stderr}");
    assert_eq!(
        stderr.trim_end().lines().count(),
        1,
        "one paragraph: {stderr}"
    );
    assert!(
        !stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"),
        "{stderr}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn json_report_has_the_versioned_contract() {
    let account = TestAccount::fresh().await;
    let iam = account.iam().await;
    seed::console_user(&iam, "alice").await;
    let (report, _) = account.scan_json();

    assert_eq!(report["schema_version"], 1);
    assert_eq!(report["tool"]["name"], "postura");
    assert_eq!(report["tool"]["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(report["account"]["id"], account.id.as_str());
    assert_eq!(report["regions"], serde_json::json!([REGION]));
    for key in ["started_at", "finished_at"] {
        let t = report[key].as_str().expect(key);
        assert!(
            chrono::DateTime::parse_from_rfc3339(t).is_ok(),
            "{key}: {t}"
        );
    }
    assert!(report["score"]["percent"].is_u64());
    assert!(
        report["score"]["areas"]
            .as_array()
            .is_some_and(|a| !a.is_empty())
    );
    let results = report["results"].as_array().expect("results");
    assert!(!results.is_empty());
    for r in results {
        for key in [
            "check_id",
            "status",
            "severity",
            "area",
            "message",
            "compliance",
        ] {
            assert!(!r[key].is_null(), "result lacks {key}: {r}");
        }
        for key in ["arn", "id", "type", "region"] {
            assert!(r["resource"][key].is_string(), "resource lacks {key}: {r}");
        }
    }
    assert!(report["gaps"].is_array());
}

#[tokio::test(flavor = "multi_thread")]
async fn every_call_is_declared_counted_and_few() {
    let account = TestAccount::fresh().await;
    let iam = account.iam().await;
    for i in 0..30 {
        seed::user(&iam, &format!("user-{i}")).await;
    }
    let (report, _) = account.scan_json();
    let calls = report["api_calls"].as_array().expect("api_calls");
    let declared: Vec<(String, String)> = postura::collect::operations::OPERATIONS
        .iter()
        .map(|o| (o.service.to_string(), o.operation.to_string()))
        .collect();
    let mut total = 0;
    for c in calls {
        let key = (
            c["service"].as_str().unwrap_or_default().to_string(),
            c["operation"].as_str().unwrap_or_default().to_string(),
        );
        assert!(declared.contains(&key), "undeclared call {key:?}");
        assert!(c["iam_action"].as_str().is_some_and(|a| a.contains(':')));
        assert!(c["attempts"].as_u64() >= c["calls"].as_u64());
        total += c["calls"].as_u64().unwrap_or(0);
    }
    let count = |op: &str| {
        calls
            .iter()
            .find(|c| c["operation"] == op)
            .and_then(|c| c["calls"].as_u64())
    };
    assert_eq!(count("GetCallerIdentity"), Some(1));
    assert_eq!(count("GetCredentialReport"), Some(1));
    assert!(count("GenerateCredentialReport").is_some_and(|n| (1..=5).contains(&n)));
    // One region: the list of regions, then its security groups (no rule names a prefix
    // list, so no prefix-list call).
    assert_eq!(count("DescribeRegions"), Some(1));
    assert_eq!(count("DescribeSecurityGroups"), Some(1));
    assert_eq!(count("DescribeManagedPrefixLists"), None);
    assert_eq!(count("DescribeDBInstances"), Some(1));
    assert_eq!(count("DescribeDBClusters"), Some(1));
    // An empty account's services, one call each (Security Hub off: DescribeHub only).
    assert_eq!(count("ListUserPools"), Some(1));
    assert_eq!(count("DescribeHub"), Some(1));
    assert_eq!(count("GetFindings"), None);
    assert_eq!(count("DescribeTrails"), Some(1));
    // ListTrails names single-region trails homed in other regions, which DescribeTrails
    // in the home region does not list.
    assert_eq!(count("ListTrails"), Some(1));
    assert_eq!(count("ListDetectors"), Some(1));
    assert_eq!(count("DescribeConfigurationRecorders"), Some(1));
    // moto has no Access Analyzer: asked once, a gap.
    assert_eq!(count("ListAnalyzers"), Some(1));
    // 30 users cost no per-user call (24 before ListTrails, the one call added since).
    assert!(total <= 25, "{total} calls: {calls:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn collect_then_evaluate_gives_the_same_results() {
    let account = TestAccount::fresh().await;
    let iam = account.iam().await;
    seed::console_user(&iam, "bob").await;
    let dir = tempfile::tempdir().expect("tempdir");
    let inv = dir.path().join("inventory.json");
    account
        .postura()
        .args(["collect", "-o"])
        .arg(&inv)
        .assert()
        .success()
        .stderr(contains("wrote the inventory"));
    let out = postura_isolated()
        .arg("evaluate")
        .arg(&inv)
        .args(["--format", "json"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(3), "bob has no MFA");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(
        crate::support::status_of(&report, "user-console-mfa", "bob").as_deref(),
        Some("FAIL")
    );
    assert_eq!(report["account"]["id"], account.id.as_str());

    // The table names the area scores, the failure and its severity.
    let table = postura_isolated()
        .arg("evaluate")
        .arg(&inv)
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&table.stdout);
    assert!(text.contains("Identity & access"), "{text}");
    assert!(
        text.contains("user-console-mfa") && text.contains("medium"),
        "{text}"
    );

    // --output writes the file; --fail-on high ignores the medium failures once root MFA,
    // which moto cannot enable, is set in the saved inventory, the default VPC's
    // default security group (which AWS and moto make open) is emptied there, and a
    // multi-region trail, a GuardDuty detector and a Config recorder (the empty account
    // has none) are added there. What is left
    // is exit 4: root-recent-use cannot be evaluated without the root row moto does not
    // produce.
    let mut saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&inv).expect("read")).expect("json");
    saved["iam"]["account_summary"]["ok"]["AccountMFAEnabled"] = serde_json::json!(1);
    let groups = saved["regional"][REGION]["ec2"]["ok"]["security_groups"]["ok"]
        .as_array_mut()
        .expect("the region's security groups");
    assert!(!groups.is_empty(), "moto makes a default VPC and its group");
    for g in groups {
        g["ingress"] = serde_json::json!([]);
        g["egress"] = serde_json::json!([]);
    }
    saved["cloudtrail"]["ok"]["trails"] = serde_json::json!([{
        "name": "main", "arn": format!("arn:aws:cloudtrail:{REGION}:{}:trail/main", account.id),
        "home_region": REGION, "multi_region": true, "organization": false,
        "log_file_validation": true, "bucket": null, "logging": {"ok": true},
        "custom_selectors": false, "selectors": {"ok": {"basic": [], "advanced": []}}
    }]);
    saved["regional"][REGION]["guardduty"]["ok"]["detectors"] = serde_json::json!([{
        "id": "d1", "status": {"ok": "ENABLED"}, "high_findings": {"ok": 0}
    }]);
    saved["regional"][REGION]["config"]["ok"]["recorders"] = serde_json::json!([{
        "name": "default", "all_supported": true, "include_global_resource_types": true,
        "recording": true, "last_status": "Success"
    }]);
    std::fs::write(&inv, saved.to_string()).expect("write");
    let out_file = dir.path().join("report.json");
    postura_isolated()
        .arg("evaluate")
        .arg(&inv)
        .args(["--format", "json", "--fail-on", "high", "--output"])
        .arg(&out_file)
        .assert()
        .code(4)
        .stdout("");
    let written = std::fs::read_to_string(&out_file).expect("written");
    assert!(written.contains("\"schema_version\""));
    postura_isolated()
        .arg("evaluate")
        .arg(&inv)
        .assert()
        .code(3);
}

#[test]
fn no_credentials_is_a_clear_error() {
    let out = postura_isolated()
        .args([
            "scan",
            "--region",
            REGION,
            "--endpoint-url",
            crate::support::endpoint(),
        ])
        .output()
        .expect("run");
    assert_clean_error(&out, "no AWS credentials");
}

#[test]
fn unknown_profile_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("config");
    std::fs::write(&config, "[profile prod]\nregion = eu-west-1\n").expect("write");
    let out = postura_isolated()
        .env("AWS_CONFIG_FILE", &config)
        .args(["scan", "--profile", "typo"])
        .output()
        .expect("run");
    assert_clean_error(&out, "profile `typo` does not exist");
    assert!(String::from_utf8_lossy(&out.stderr).contains("prod"));
}

#[test]
fn invalid_region_is_a_clear_error() {
    let out = postura_isolated()
        .args(["scan", "--region", "europe-1"])
        .output()
        .expect("run");
    assert_clean_error(&out, "`europe-1` is not an AWS region");
}

#[test]
fn missing_region_is_a_clear_error() {
    let out = postura_isolated()
        .env("AWS_ACCESS_KEY_ID", "AKIAEXAMPLE")
        .env("AWS_SECRET_ACCESS_KEY", "secret")
        .arg("scan")
        .output()
        .expect("run");
    assert_clean_error(&out, "no AWS region is configured");
}

#[test]
fn unreachable_endpoint_is_a_clear_error() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr").port()
    };
    let url = format!("http://127.0.0.1:{port}");
    let out = postura_isolated()
        .env("AWS_ACCESS_KEY_ID", "AKIAEXAMPLE")
        .env("AWS_SECRET_ACCESS_KEY", "secret")
        .args(["scan", "--region", REGION, "--endpoint-url", &url])
        .output()
        .expect("run");
    assert_clean_error(&out, &format!("could not reach {url}"));
}

#[test]
fn unreadable_and_malformed_inventories_are_clear_errors() {
    let out = postura_isolated()
        .args(["evaluate", "/nonexistent/inventory.json"])
        .output()
        .expect("run");
    assert_clean_error(&out, "cannot read the inventory file");

    let dir = tempfile::tempdir().expect("tempdir");
    let bad = dir.path().join("bad.json");
    for (content, needle) in [
        ("{ not json", "is not a postura inventory"),
        (r#"{"schema_version": 99}"#, "schema version 99"),
        (
            r#"{"schema_version": 1, "tool": {}}"#,
            "is not a postura inventory",
        ),
    ] {
        std::fs::write(&bad, content).expect("write");
        let out = postura_isolated()
            .arg("evaluate")
            .arg(&bad)
            .output()
            .expect("run");
        assert_clean_error(&out, needle);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn older_inventories_read_and_bad_values_are_named_by_path_and_line() {
    let account = TestAccount::fresh().await;
    seed::user(&account.iam().await, "bob").await;
    let dir = tempfile::tempdir().expect("tempdir");
    let inv = dir.path().join("inventory.json");
    account
        .postura()
        .args(["collect", "-o"])
        .arg(&inv)
        .assert()
        .success();
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&inv).expect("read")).expect("json");

    // An inventory written before OIDC providers were collected still evaluates; the
    // checks that need them say they could not, never pass.
    let mut older = saved.clone();
    older["iam"]
        .as_object_mut()
        .expect("iam section")
        .remove("oidc_providers");
    let old = dir.path().join("older.json");
    std::fs::write(&old, older.to_string()).expect("write");
    let out = postura_isolated()
        .arg("evaluate")
        .arg(&old)
        .args(["--format", "json"])
        .output()
        .expect("run");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let r = crate::support::results(&report, "github-oidc-provider-audience");
    assert_eq!(r.len(), 1, "{r:?}");
    assert_eq!(r[0]["status"], "ERROR");
    assert!(
        r[0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("NotCollected")),
        "{}",
        r[0]
    );

    // One written before regions and EC2 were collected (no `regional`, no
    // `skipped_regions`) reads too: its scanned region's security groups are a gap naming
    // EC2 and the region, so those checks are ERROR there, and IAM's run as before.
    let mut older = saved.clone();
    let top = older.as_object_mut().expect("an object");
    top.remove("regional");
    top.remove("skipped_regions");
    std::fs::write(&old, older.to_string()).expect("write");
    let out = postura_isolated()
        .arg("evaluate")
        .arg(&old)
        .args(["--format", "json"])
        .output()
        .expect("run");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let r = crate::support::results(&report, "sg-default-restricts-all");
    assert_eq!(r.len(), 1, "one per scanned region: {r:?}");
    assert_eq!(r[0]["status"], "ERROR");
    assert_eq!(r[0]["resource"]["region"], crate::support::REGION);
    let gap = &r[0]["evidence"]["gap"];
    assert_eq!(gap["service"], "EC2", "{gap}");
    assert_eq!(gap["region"], crate::support::REGION, "{gap}");
    assert_eq!(gap["error_code"], "NotCollected", "{gap}");
    assert!(
        report["gaps"].as_array().is_some_and(|g| g
            .iter()
            .any(|g| g["service"] == "EC2" && g["error_code"] == "NotCollected")),
        "the report lists it among the gaps"
    );
    assert_eq!(
        crate::support::status_of(&report, "user-direct-policies", "bob").as_deref(),
        Some("PASS")
    );

    // A value of the wrong type is named by its path and line.
    let mut broken = saved;
    broken["iam"]["authorization_details"]["ok"]["users"][0]["name"] = serde_json::json!(5);
    let bad = dir.path().join("broken.json");
    std::fs::write(
        &bad,
        serde_json::to_string_pretty(&broken).expect("serialise"),
    )
    .expect("write");
    let out = postura_isolated()
        .arg("evaluate")
        .arg(&bad)
        .output()
        .expect("run");
    assert_clean_error(&out, "`iam.authorization_details.ok.users[0].name`");
    assert_clean_error(&out, "line ");
}

#[test]
fn checks_explain_and_policy() {
    postura_isolated()
        .arg("checks")
        .assert()
        .success()
        .stdout(contains("root-mfa").and(contains("user-console-mfa")));
    postura_isolated()
        .args(["explain", "root-access-keys"])
        .assert()
        .success()
        .stdout(
            contains("CIS 1.3")
                .and(contains("FSBP IAM.4"))
                .and(contains("How to fix it")),
        );
    let out = postura_isolated()
        .args(["explain", "no-such-check"])
        .output()
        .expect("run");
    assert_clean_error(&out, "there is no check `no-such-check`");
    postura_isolated()
        .arg("policy")
        .assert()
        .success()
        .stdout(contains("iam:GenerateCredentialReport").and(contains("\"Effect\": \"Allow\"")));
}

#[test]
fn usage_errors_exit_2() {
    postura_isolated()
        .args(["scan", "--format", "xml"])
        .assert()
        .code(2);
    postura_isolated().assert().code(2);
}

/// A small JSON Schema validator for the keywords `schema/report-v1.schema.json` uses:
/// `$ref` (local), `oneOf`, `type`, `required`, `properties`, `items`, `enum`, `const`,
/// `minimum`, `maximum`; objects may hold no property the schema does not name (evidence
/// aside). Returns the first violation.
fn validate(
    schema: &serde_json::Value,
    value: &serde_json::Value,
    root: &serde_json::Value,
    path: &str,
) -> Result<(), String> {
    use serde_json::Value;
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let name = r.trim_start_matches("#/$defs/");
        return validate(&root["$defs"][name], value, root, path);
    }
    if let Some(options) = schema.get("oneOf").and_then(Value::as_array) {
        let matching = options
            .iter()
            .filter(|o| validate(o, value, root, path).is_ok())
            .count();
        if matching != 1 {
            return Err(format!(
                "{path}: {value} matches {matching} of oneOf's {} options",
                options.len()
            ));
        }
    }
    if let Some(t) = schema.get("type") {
        let types: Vec<&str> = match t {
            Value::String(s) => vec![s.as_str()],
            Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        let ok = types.iter().any(|t| match *t {
            "object" => value.is_object(),
            "array" => value.is_array(),
            "string" => value.is_string(),
            "integer" => value.is_i64() || value.is_u64(),
            "null" => value.is_null(),
            "boolean" => value.is_boolean(),
            _ => false,
        });
        if !ok {
            return Err(format!("{path}: {value} is not {t}"));
        }
    }
    if schema.get("const").is_some_and(|c| c != value) {
        return Err(format!("{path}: {value} is not {}", schema["const"]));
    }
    if let Some(e) = schema.get("enum").and_then(Value::as_array)
        && !e.contains(value)
    {
        return Err(format!("{path}: {value} is not one of {e:?}"));
    }
    let bound = |key: &str| schema.get(key).and_then(Value::as_i64);
    if let (Some(min), Some(v)) = (bound("minimum"), value.as_i64())
        && v < min
    {
        return Err(format!("{path}: {v} < {min}"));
    }
    if let (Some(max), Some(v)) = (bound("maximum"), value.as_i64())
        && v > max
    {
        return Err(format!("{path}: {v} > {max}"));
    }
    if let Some(req) = schema.get("required").and_then(Value::as_array) {
        for k in req.iter().filter_map(Value::as_str) {
            if value.get(k).is_none() {
                return Err(format!("{path}: missing {k}"));
            }
        }
    }
    if let (Some(props), Some(obj)) = (
        schema.get("properties").and_then(Value::as_object),
        value.as_object(),
    ) {
        for (k, v) in obj {
            match props.get(k) {
                Some(s) => validate(s, v, root, &format!("{path}.{k}"))?,
                // Top-level and nested objects may not grow fields the schema does not
                // document, except evidence, which is free-form.
                None if !path.ends_with("evidence") => {
                    return Err(format!("{path}: {k} is not in the schema"));
                }
                None => {}
            }
        }
    }
    if let (Some(items), Some(arr)) = (schema.get("items"), value.as_array()) {
        for (i, v) in arr.iter().enumerate() {
            validate(items, v, root, &format!("{path}[{i}]"))?;
        }
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn json_report_matches_the_published_schema() {
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("../../schema/report-v1.schema.json"))
            .expect("schema is JSON");
    let account = TestAccount::fresh().await;
    let iam = account.iam().await;
    seed::lending_platform(&iam, &account.id, &account.endpoint).await;
    let (report, _) = account.scan_json();
    validate(&schema, &report, &schema, "$").unwrap_or_else(|e| panic!("{e}"));
    // The validator itself catches a drift.
    let mut broken = report.clone();
    broken["results"][0]["status"] = serde_json::json!("MAYBE");
    assert!(validate(&schema, &broken, &schema, "$").is_err());
    let mut extra = report;
    extra["surprise"] = serde_json::json!(1);
    assert!(validate(&schema, &extra, &schema, "$").is_err());
}

#[tokio::test(flavor = "multi_thread")]
async fn flags_select_endpoint_regions_and_output_file() {
    let account = TestAccount::fresh().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let out_file = dir.path().join("scan.json");
    let out = account
        .postura_all_regions()
        .env_remove("AWS_ENDPOINT_URL")
        .env_remove("AWS_REGION")
        .args([
            "scan",
            "--format",
            "json",
            "--region",
            "eu-west-1",
            "--region",
            "us-east-1",
        ])
        .args(["--endpoint-url", &account.endpoint, "--output"])
        .arg(&out_file)
        .output()
        .expect("run");
    assert!(out.stdout.is_empty(), "the report goes to the file");
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out_file).expect("written")).expect("json");
    assert_eq!(
        report["regions"],
        serde_json::json!(["eu-west-1", "us-east-1"])
    );
    let skipped = report["skipped_regions"]["ok"]
        .as_array()
        .expect("the other regions");
    assert!(
        skipped
            .iter()
            .any(|s| s["region"] == "us-west-2" && s["reason"] == "not-requested"),
        "{skipped:?}"
    );
    assert!(
        skipped
            .iter()
            .any(|s| s["region"] == "ap-east-1" && s["reason"] == "not-opted-in"),
        "{skipped:?}"
    );
    assert_eq!(report["account"]["id"], account.id.as_str());
}
