//! The security-group checks against moto, in two regions at once, and the all-region
//! default.

use crate::support::seed::network::{close_default_group, default_group, group, prefix_list, rule};
use crate::support::{TestAccount, result_of, status_of};

const EU: &str = "eu-west-1";
const US: &str = "us-east-1";

#[tokio::test(flavor = "multi_thread")]
async fn security_groups_fail_and_pass_in_two_regions() {
    let account = TestAccount::fresh().await;
    let config = account.config().await;
    let eu = crate::support::seed::network::client(&config, EU);
    let us = crate::support::seed::network::client(&config, US);

    // eu-west-1: SSH from anywhere by a range, two halves of IPv4 to RDP, a database, a
    // customer prefix list that is the internet; the default group closed.
    let ssh_range = group(&eu, "ssh-range", vec![rule("tcp", 20, 30, &["0.0.0.0/0"])]).await;
    let halves = group(
        &eu,
        "rdp-halves",
        vec![
            rule("tcp", 3389, 3389, &["0.0.0.0/1"]),
            rule("tcp", 3389, 3389, &["128.0.0.0/1"]),
        ],
    )
    .await;
    let postgres = group(&eu, "postgres", vec![rule("tcp", 5432, 5432, &["::/0"])]).await;
    let world = prefix_list(&eu, "everyone", &["0.0.0.0/1", "128.0.0.0/1"]).await;
    let office = prefix_list(&eu, "office", &["203.0.113.0/24"]).await;
    let via_world = group(&eu, "via-world", vec![rule("tcp", 22, 22, &[&world])]).await;
    let via_office = group(&eu, "via-office", vec![rule("tcp", 22, 22, &[&office])]).await;
    let eu_default = close_default_group(&eu).await;

    // us-east-1: everything open, a web server, SSH from an office range and from another
    // group; the default group as AWS makes it.
    let everything = group(&us, "everything", vec![rule("-1", 0, 0, &["0.0.0.0/0"])]).await;
    let web = group(
        &us,
        "web",
        vec![
            rule("tcp", 80, 80, &["0.0.0.0/0", "::/0"]),
            rule("tcp", 443, 443, &["0.0.0.0/0", "::/0"]),
        ],
    )
    .await;
    let bastion = group(
        &us,
        "bastion",
        vec![rule("tcp", 22, 22, &["203.0.113.0/24"])],
    )
    .await;
    let app = group(&us, "app", vec![rule("tcp", 22, 22, &[&bastion])]).await;
    let us_default = default_group(&us).await;

    let report = account.scan_regions(&[EU, US]);
    assert_eq!(report["regions"], serde_json::json!([EU, US]));
    let status = |check: &str, id: &str| status_of(&report, check, id).unwrap_or_default();

    let admin = "sg-open-admin-ports";
    for id in [&ssh_range, &halves, &via_world, &everything] {
        assert_eq!(status(admin, id), "FAIL", "{id}");
    }
    for id in [&postgres, &via_office, &web, &bastion, &app] {
        assert_eq!(status(admin, id), "PASS", "{id}");
    }
    let r = result_of(&report, admin, &ssh_range);
    assert_eq!(r["resource"]["region"], EU);
    let message = r["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("ssh-range") && message.contains("vpc-"),
        "{message}"
    );
    assert!(message.contains("tcp 20-30 from 0.0.0.0/0"), "{message}");
    assert_eq!(
        result_of(&report, admin, &everything)["resource"]["region"],
        US
    );
    let compliance = &result_of(&report, admin, &ssh_range)["compliance"];
    assert_eq!(
        compliance,
        &serde_json::json!(["CIS 5.3", "CIS 5.4", "FSBP EC2.53", "FSBP EC2.54"])
    );

    let db = "sg-open-database-ports";
    assert_eq!(status(db, &postgres), "FAIL");
    assert_eq!(status(db, &everything), "FAIL");
    assert_eq!(status(db, &web), "PASS");
    assert_eq!(
        status(db, &ssh_range),
        "PASS",
        "20-30 holds no database port"
    );

    let risky = "sg-open-high-risk-ports";
    assert_eq!(status(risky, &ssh_range), "FAIL", "20, 21, 22, 23, 25");
    assert_eq!(status(risky, &postgres), "FAIL");
    assert_eq!(status(risky, &web), "PASS");

    let all = "sg-open-all-traffic";
    assert_eq!(status(all, &everything), "FAIL");
    for id in [&ssh_range, &postgres, &web] {
        assert_eq!(status(all, id), "PASS", "{id}");
    }

    let unauthorized = "sg-open-unauthorized-ports";
    assert_eq!(status(unauthorized, &web), "PASS");
    assert_eq!(status(unauthorized, &bastion), "PASS");
    assert_eq!(status(unauthorized, &postgres), "FAIL");
    assert_eq!(status(unauthorized, &everything), "FAIL");

    let default = "sg-default-restricts-all";
    assert_eq!(status(default, &eu_default), "PASS");
    assert_eq!(status(default, &us_default), "FAIL");
    let r = result_of(&report, default, &us_default);
    assert_eq!(r["resource"]["region"], US);
    assert!(
        r["message"]
            .as_str()
            .is_some_and(|m| m.contains("outbound all traffic to 0.0.0.0/0")),
        "{r}"
    );
    assert_eq!(status(default, &web), "", "only default groups are judged");

    // Calls: one DescribeSecurityGroups per region; prefix lists only where a rule names
    // one (eu-west-1), with one entries call per customer list named.
    let calls = report["api_calls"].as_array().expect("api_calls");
    let count = |op: &str, region: &str| {
        calls
            .iter()
            .find(|c| c["operation"] == op && c["region"] == region)
            .and_then(|c| c["calls"].as_u64())
    };
    assert_eq!(count("DescribeSecurityGroups", EU), Some(1));
    assert_eq!(count("DescribeSecurityGroups", US), Some(1));
    assert_eq!(count("DescribeManagedPrefixLists", EU), Some(1));
    assert_eq!(count("GetManagedPrefixListEntries", EU), Some(2));
    // No rule in us-east-1 names a prefix list: no prefix-list call there.
    assert_eq!(count("DescribeManagedPrefixLists", US), None);
    assert_eq!(count("GetManagedPrefixListEntries", US), None);
    assert_eq!(count("GetAccountAuthorizationDetails", "global"), Some(1));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_default_scan_covers_every_enabled_region() {
    let account = TestAccount::fresh().await;
    let config = account.config().await;
    // A finding far from the home region proves the far region was read.
    let sa = crate::support::seed::network::client(&config, "sa-east-1");
    let open = group(&sa, "far-away", vec![rule("tcp", 22, 22, &["0.0.0.0/0"])]).await;
    let out = account
        .postura_all_regions()
        .args(["scan", "--format", "json"])
        .output()
        .expect("run postura");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let regions = report["regions"].as_array().expect("regions");
    // moto enables the 20 regions that need no opt-in, and lists the rest as not opted in.
    assert_eq!(regions.len(), 20, "{regions:?}");
    assert!(regions.contains(&serde_json::json!("sa-east-1")));
    let skipped = report["skipped_regions"]["ok"].as_array().expect("skipped");
    assert!(!skipped.is_empty());
    assert!(
        skipped.iter().all(|s| s["reason"] == "not-opted-in"),
        "{skipped:?}"
    );
    assert!(
        !regions.iter().any(|r| r
            .as_str()
            .is_some_and(|r| r.starts_with("cn-") || r.starts_with("us-gov-"))),
        "only the account's partition: {regions:?}"
    );
    assert_eq!(
        status_of(&report, "sg-open-admin-ports", &open).as_deref(),
        Some("FAIL")
    );
    let calls = report["api_calls"].as_array().expect("api_calls");
    let sgs: Vec<_> = calls
        .iter()
        .filter(|c| c["operation"] == "DescribeSecurityGroups")
        .collect();
    assert_eq!(sgs.len(), 20, "every region: {sgs:?}");
    assert!(
        sgs.iter().all(|c| c["calls"] == 1),
        "one call per region: {sgs:?}"
    );

    // The table's header says how many regions were scanned.
    let out = account
        .postura_all_regions()
        .arg("scan")
        .output()
        .expect("run postura");
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(table.contains("20 regions scanned"), "{table}");
    assert!(table.contains("not opted in"), "{table}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_region_of_another_partition_is_a_clear_error() {
    let account = TestAccount::fresh().await;
    let out = account
        .postura_all_regions()
        .args(["--region", "eu-west-1", "--region", "cn-north-1", "scan"])
        .output()
        .expect("run postura");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("--region cn-north-1 names no region"),
        "{stderr}"
    );
    assert!(
        stderr.contains("eu-west-1"),
        "lists the valid ones: {stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(out.stdout.is_empty());
}
