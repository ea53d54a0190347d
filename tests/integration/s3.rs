//! The S3 checks against moto: buckets in two scanned regions and one outside the scan,
//! the account's Block Public Access read through S3 Control on a loopback endpoint.

use crate::support::seed::storage;
use crate::support::{TestAccount, result_of, results, status_of};

const EU: &str = "eu-west-1";
const US: &str = "us-east-1";

fn public_read(name: &str) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"PublicRead","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::{name}/*"}}]}}"#
    )
}

fn calls(report: &serde_json::Value, service: &str, operation: &str) -> Vec<(String, u64)> {
    report["api_calls"]
        .as_array()
        .expect("api_calls")
        .iter()
        .filter(|c| c["service"] == service && c["operation"] == operation)
        .map(|c| {
            (
                c["region"].as_str().unwrap_or_default().to_string(),
                c["calls"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

fn sorted(mut v: Vec<(String, u64)>) -> Vec<(String, u64)> {
    v.sort();
    v
}

fn total(report: &serde_json::Value, service: &str, operation: &str) -> u64 {
    calls(report, service, operation)
        .iter()
        .map(|(_, n)| n)
        .sum()
}

#[tokio::test(flavor = "multi_thread")]
async fn buckets_fail_and_pass_in_two_regions() {
    let account = TestAccount::fresh().await;
    let config = account.config().await;
    let eu = storage::client(&config, EU);
    let us = storage::client(&config, US);
    let ap = storage::client(&config, "ap-southeast-2");
    let id = &account.id;
    let hardened = format!("hardened-{id}");
    let site = format!("site-{id}");
    let vpce = format!("vpce-only-{id}");
    let listing = format!("acl-listing-{id}");
    let blocked = format!("blocked-{id}");
    let elsewhere = format!("elsewhere-{id}");

    // eu-west-1: one bucket as AWS advises, one public by policy, one whose policy admits
    // everyone only through a VPC endpoint.
    storage::hardened(&eu, &hardened, EU).await;
    storage::bare(&eu, &site, EU).await;
    storage::policy(&eu, &site, &public_read(&site)).await;
    storage::bare(&eu, &vpce, EU).await;
    storage::policy(
        &eu,
        &vpce,
        &format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":"*"}},"Action":["s3:GetObject","s3:ListBucket"],"Resource":["arn:aws:s3:::{vpce}","arn:aws:s3:::{vpce}/*"],"Condition":{{"StringEquals":{{"aws:SourceVpce":"vpce-1a2b3c4d"}}}}}},{}]}}"#,
            storage::tls_only_statement(&vpce)
        ),
    )
    .await;
    // us-east-1: one listable by everyone through its ACL, one public by policy but
    // neutralised by its own Block Public Access.
    storage::bare(&us, &listing, US).await;
    storage::canned_acl(&us, &listing, "public-read").await;
    storage::bare(&us, &blocked, US).await;
    storage::policy(&us, &blocked, &public_read(&blocked)).await;
    storage::bucket_block(&us, &blocked, true).await;
    // A region the scan does not cover.
    storage::bare(&ap, &elsewhere, "ap-southeast-2").await;
    storage::policy(&ap, &elsewhere, &public_read(&elsewhere)).await;

    let report = account.scan_regions(&[EU, US]);

    // The account has no Block Public Access of its own.
    let acct = result_of(&report, "s3-account-public-access-block", id);
    assert_eq!(acct["status"], "FAIL", "{acct}");
    assert!(
        acct["message"]
            .as_str()
            .is_some_and(|m| m.contains("no S3 Block Public Access")),
        "{acct}"
    );
    assert_eq!(acct["evidence"]["buckets_in_regions_not_scanned"], 1);

    // Public access, judged with the policy, the ACL and Block Public Access.
    let r = result_of(&report, "s3-bucket-public", &site);
    assert_eq!(r["status"], "FAIL", "{r}");
    assert_eq!(r["resource"]["region"], EU);
    assert_eq!(r["resource"]["arn"], format!("arn:aws:s3:::{site}"));
    let m = r["message"].as_str().unwrap_or_default();
    assert!(
        m.contains("anyone can read (s3:GetObject") && m.contains("\"PublicRead\""),
        "{m}"
    );
    assert_eq!(r["evidence"]["s3_policy_status_is_public"], true, "{r}");
    let r = result_of(&report, "s3-bucket-public", &listing);
    assert_eq!(r["status"], "FAIL", "{r}");
    assert_eq!(r["resource"]["region"], US);
    let m = r["message"].as_str().unwrap_or_default();
    assert!(
        m.contains("anyone can list") && m.contains("READ grant to AllUsers"),
        "{m}"
    );
    let r = result_of(&report, "s3-bucket-public", &vpce);
    assert_eq!(r["status"], "PASS", "{r}");
    assert!(
        r["message"]
            .as_str()
            .is_some_and(|m| m.contains("aws:SourceVpce")),
        "{r}"
    );
    let r = result_of(&report, "s3-bucket-public", &blocked);
    assert_eq!(r["status"], "PASS", "{r}");
    assert!(
        r["message"]
            .as_str()
            .is_some_and(|m| m.contains("without it, anyone can read")),
        "{r}"
    );
    assert_eq!(
        status_of(&report, "s3-bucket-public", &hardened).as_deref(),
        Some("PASS")
    );
    // Nothing of the bucket outside the scanned regions is judged.
    assert!(
        report["results"]
            .as_array()
            .expect("results")
            .iter()
            .all(|r| r["resource"]["id"] != elsewhere.as_str()),
        "the ap-southeast-2 bucket is outside the scan"
    );

    // Every setting passes on the hardened bucket and fails on a bare one (moto gives new
    // buckets none of AWS's defaults).
    for check in [
        "s3-bucket-public-access-block",
        "s3-bucket-tls-only",
        "s3-bucket-default-encryption",
        "s3-bucket-kms-encryption",
        "s3-bucket-versioning",
        "s3-bucket-acls-disabled",
    ] {
        assert_eq!(
            status_of(&report, check, &hardened).as_deref(),
            Some("PASS"),
            "{check}: {}",
            result_of(&report, check, &hardened)
        );
        assert_eq!(
            status_of(&report, check, &site).as_deref(),
            Some("FAIL"),
            "{check}: {}",
            result_of(&report, check, &site)
        );
        assert_eq!(
            results(&report, check).len(),
            5,
            "{check}: one per scanned bucket"
        );
    }
    assert_eq!(
        status_of(&report, "s3-bucket-tls-only", &vpce).as_deref(),
        Some("PASS")
    );

    // Calls: S3 Control once; ListBuckets once; GetBucketLocation per bucket (moto's
    // ListBuckets names no region); per scanned bucket, in its region, one each of policy,
    // Block Public Access, encryption, versioning and ownership; the ACL only where ACLs
    // are enabled (not on the hardened bucket); the policy status only with a policy.
    assert_eq!(total(&report, "S3 Control", "GetPublicAccessBlock"), 1);
    assert_eq!(total(&report, "S3", "ListBuckets"), 1);
    assert_eq!(total(&report, "S3", "GetBucketLocation"), 6);
    for op in [
        "GetBucketPolicy",
        "GetPublicAccessBlock",
        "GetBucketEncryption",
        "GetBucketVersioning",
        "GetBucketOwnershipControls",
    ] {
        assert_eq!(
            sorted(calls(&report, "S3", op)),
            [(EU.to_string(), 3), (US.to_string(), 2)],
            "{op}"
        );
    }
    assert_eq!(total(&report, "S3", "GetBucketAcl"), 4);
    assert_eq!(total(&report, "S3", "GetBucketPolicyStatus"), 4);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_accounts_block_public_access_covers_every_bucket() {
    let account = TestAccount::fresh().await;
    let config = account.config().await;
    storage::account_block(&config, &account.id, true).await;
    let eu = storage::client(&config, EU);
    let site = format!("site-{}", account.id);
    storage::bare(&eu, &site, EU).await;
    storage::policy(&eu, &site, &public_read(&site)).await;
    storage::canned_acl(&eu, &site, "public-read").await;

    let report = account.scan_regions(&[EU, US]);
    let acct = result_of(&report, "s3-account-public-access-block", &account.id);
    assert_eq!(acct["status"], "PASS", "{acct}");
    let r = result_of(&report, "s3-bucket-public", &site);
    assert_eq!(r["status"], "PASS", "{r}");
    let m = r["message"].as_str().unwrap_or_default();
    assert!(
        m.contains("RestrictPublicBuckets (account level)")
            && m.contains("IgnorePublicAcls (account level)"),
        "{m}"
    );
    let r = result_of(&report, "s3-bucket-public-access-block", &site);
    assert_eq!(r["status"], "PASS", "{r}");
    assert!(
        r["message"]
            .as_str()
            .is_some_and(|m| m.contains("through the account's settings")),
        "{r}"
    );
}
