//! Missing permissions never turn into a PASS: run the scan as a user that may only read
//! the credential report, against a moto server that enforces IAM policies.

use aws_sdk_iam::config::Credentials;

use crate::support::{REGION, Server, postura_isolated, seed};

#[tokio::test(flavor = "multi_thread")]
async fn missing_permissions_are_errors_and_gaps_never_passes() {
    // moto authorises every request after the first three, which set the auditor up.
    let server = Server::start(&[("INITIAL_NO_AUTH_ACTION_COUNT", "3")]);
    let testing = Credentials::new("testing", "testing", None, None, "test");
    let config = seed::emulator_config(&server.endpoint, Some(testing)).await;
    let iam = aws_sdk_iam::Client::new(&config);
    seed::user(&iam, "auditor").await;
    let (key, secret) = seed::access_key_pair(&iam, "auditor").await;
    seed::put_user_policy(
        &iam,
        "auditor",
        "credential-report-only",
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["sts:GetCallerIdentity","iam:GenerateCredentialReport","iam:GetCredentialReport"],"Resource":"*"}}"#,
    )
    .await;

    let out = postura_isolated()
        .env("AWS_ACCESS_KEY_ID", &key)
        .env("AWS_SECRET_ACCESS_KEY", &secret)
        .env("AWS_ENDPOINT_URL", &server.endpoint)
        .env(
            "AWS_ENDPOINT_URL_ACCESSANALYZER",
            crate::support::NO_ACCESS_ANALYZER,
        )
        .env("AWS_REGION", REGION)
        .args(["scan", "--format", "json"])
        .output()
        .expect("run postura");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let report: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("no JSON ({e}): {stderr}"));

    let gaps = report["gaps"].as_array().expect("gaps");
    for op in [
        "GetAccountAuthorizationDetails",
        "GetAccountSummary",
        "GetAccountPasswordPolicy",
        "ListVirtualMFADevices",
        "ListOpenIDConnectProviders",
    ] {
        let gap = gaps
            .iter()
            .find(|g| g["operation"] == op)
            .unwrap_or_else(|| panic!("no gap for {op}: {gaps:?}"));
        assert!(
            gap["error_code"]
                .as_str()
                .is_some_and(|c| c.contains("AccessDenied")),
            "{gap}"
        );
        assert_eq!(gap["service"], "IAM");
    }
    // Without ec2:DescribeRegions the scan covers the home region and says the others are
    // unknown; without ec2:DescribeSecurityGroups that region's groups are not evaluated.
    for op in ["DescribeRegions", "DescribeSecurityGroups"] {
        let gap = gaps
            .iter()
            .find(|g| g["operation"] == op)
            .unwrap_or_else(|| panic!("no gap for {op}: {gaps:?}"));
        assert_eq!(gap["service"], "EC2");
        assert_eq!(gap["region"], REGION);
    }
    // Without s3:ListAllMyBuckets or s3:GetAccountPublicAccessBlock, S3 is a gap too.
    for (service, op) in [
        ("S3", "ListBuckets"),
        ("S3 Control", "GetPublicAccessBlock"),
    ] {
        let gap = gaps
            .iter()
            .find(|g| g["service"] == service && g["operation"] == op)
            .unwrap_or_else(|| panic!("no gap for {service} {op}: {gaps:?}"));
        assert_eq!(gap["error_code"], "AccessDenied", "{gap}");
    }
    // moto answers Security Hub's and GuardDuty's signed GETs with SignatureDoesNotMatch
    // under IAM enforcement rather than AccessDenied: a gap all the same, and ERROR, never
    // PASS.
    for (service, op, check) in [
        ("SecurityHub", "DescribeHub", "securityhub-enabled"),
        ("GuardDuty", "ListDetectors", "guardduty-enabled"),
    ] {
        assert!(
            gaps.iter()
                .any(|g| g["service"] == service && g["operation"] == op),
            "{service} {op}: {gaps:?}"
        );
        let results = crate::support::results(&report, check);
        assert!(!results.is_empty(), "{check} said nothing");
        for r in results {
            assert_eq!(r["status"], "ERROR", "{r}");
        }
    }
    assert_eq!(report["regions"], serde_json::json!([REGION]));
    assert!(
        report["skipped_regions"]["gap"].is_object(),
        "{}",
        report["skipped_regions"]
    );
    for check in [
        "password-policy",
        "admin-privileges",
        "user-direct-policies",
        "github-oidc-trust",
        "root-mfa",
        "root-hardware-mfa",
        "sg-open-admin-ports",
        "sg-default-restricts-all",
        "s3-account-public-access-block",
        "s3-bucket-public",
        "s3-bucket-tls-only",
        "cognito-mfa",
        "cognito-group-admin-role",
        "cloudtrail-multi-region",
        "config-recording",
    ] {
        let results = crate::support::results(&report, check);
        assert!(!results.is_empty(), "{check} said nothing");
        for r in &results {
            assert_eq!(r["status"], "ERROR", "{check}: {r}");
            assert!(
                r["message"].as_str().is_some_and(
                    |m| m.contains("AccessDenied") || m.contains("UnauthorizedOperation")
                ),
                "{r}"
            );
        }
        let outcome = crate::support::outcome_of(&report, check);
        assert_eq!(outcome["status"], "UNKNOWN", "{check}");
    }
    // The credential report was readable, so the checks built on it still ran.
    assert_eq!(
        crate::support::status_of(&report, "multiple-active-keys", "auditor").as_deref(),
        Some("PASS")
    );
    let gap = gaps
        .iter()
        .find(|g| g["service"] == "IAM")
        .expect("an IAM gap");
    assert_eq!(gap["region"], "global");
    assert!(
        gap["message"]
            .as_str()
            .is_some_and(|m| m.contains("not authorized")),
        "{gap}"
    );
    assert!(report["score"]["unknown"].as_u64().is_some_and(|n| n >= 6));

    // The table says what could not be checked and why.
    let out = postura_isolated()
        .env("AWS_ACCESS_KEY_ID", &key)
        .env("AWS_SECRET_ACCESS_KEY", &secret)
        .env("AWS_ENDPOINT_URL", &server.endpoint)
        .env(
            "AWS_ENDPOINT_URL_ACCESSANALYZER",
            crate::support::NO_ACCESS_ANALYZER,
        )
        .env("AWS_REGION", REGION)
        .arg("scan")
        .output()
        .expect("run postura");
    let table = String::from_utf8_lossy(&out.stdout);
    for needle in [
        "Not evaluated",
        "Failed calls (19)",
        "GetAccountAuthorizationDetails",
        "AccessDenied",
    ] {
        assert!(table.contains(needle), "{needle:?} not in:\n{table}");
    }
    drop(server);
}
