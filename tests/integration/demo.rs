//! The demo account (scripts/demo): every problem it was built with is found, and what the
//! security document gets right passes.

use crate::support::{TestAccount, seed, status_of};

#[tokio::test(flavor = "multi_thread")]
async fn the_lending_platform_sample_shows_its_known_problems() {
    let account = TestAccount::fresh().await;
    let iam = account.iam().await;
    seed::lending_platform(&iam, &account.id, &account.endpoint).await;
    let config = account.config().await;
    let net = seed::lending_network(&config).await;
    let files = seed::lending_storage(&config, &account.id).await;
    let api = seed::lending_api(&config, &account.id).await;
    let staff = format!("{}/Lend2B", api.pool);
    let clients = format!("{}/Client", api.pool);
    // As scripts/demo runs it: the two regions the network spans.
    let out = account
        .postura_all_regions()
        .args([
            "--region",
            seed::DEMO_REGIONS[0],
            "--region",
            seed::DEMO_REGIONS[1],
        ])
        .args(["scan", "--format", "json"])
        .output()
        .expect("run postura");
    let code = out.status.code().unwrap_or(-1);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(code, 3);

    let expect = [
        ("user-console-mfa", "dev-maria", "FAIL"),
        ("user-console-mfa", "dev-carlos", "PASS"),
        ("user-console-mfa", "admin-lucia", "PASS"),
        ("ci-long-lived-keys", "deploy-github", "FAIL"),
        ("user-direct-policies", "deploy-github", "FAIL"),
        ("user-direct-policies", "dev-maria", "PASS"),
        ("github-oidc-trust", "github-deploy", "FAIL"),
        ("oidc-trust-unknown-provider", "github-deploy", "PASS"),
        (
            "github-oidc-provider-audience",
            "token.actions.githubusercontent.com",
            "PASS",
        ),
        ("privilege-escalation", "deploy-github", "PASS"),
        ("privilege-escalation", "dev-maria", "PASS"),
        ("admin-privileges", "AdministratorAccess", "FAIL"),
        ("admin-privileges", "ReadOnlyAccess", "PASS"),
        ("password-policy", account.id.as_str(), "FAIL"),
        ("multiple-active-keys", "deploy-github", "PASS"),
        ("sg-open-admin-ports", &net.ops_ssh, "FAIL"),
        ("sg-open-high-risk-ports", &net.ops_ssh, "FAIL"),
        ("sg-open-admin-ports", &net.web, "PASS"),
        ("sg-open-unauthorized-ports", &net.web, "PASS"),
        ("sg-open-database-ports", &net.database, "PASS"),
        ("sg-open-database-ports", &net.reports, "PASS"),
        ("sg-default-restricts-all", &net.eu_default, "PASS"),
        ("sg-default-restricts-all", &net.us_default, "FAIL"),
        ("rds-ingress-from-security-groups", "loans", "PASS"),
        ("rds-publicly-reachable", "loans", "PASS"),
        ("rds-storage-encrypted", "loans", "PASS"),
        ("rds-deletion-protection", "loans", "FAIL"),
        (
            "s3-account-public-access-block",
            account.id.as_str(),
            "FAIL",
        ),
        ("s3-bucket-public", &files.documents, "PASS"),
        ("s3-bucket-public", &files.assets, "FAIL"),
        ("s3-bucket-public", &files.exports, "FAIL"),
        ("s3-bucket-tls-only", &files.documents, "PASS"),
        ("s3-bucket-tls-only", &files.assets, "FAIL"),
        ("s3-bucket-tls-only", &files.exports, "PASS"),
        ("s3-bucket-kms-encryption", &files.documents, "PASS"),
        ("s3-bucket-acls-disabled", &files.exports, "FAIL"),
        ("cognito-mfa", &api.pool, "PASS"),
        ("cognito-mfa-required", &api.pool, "FAIL"),
        ("cognito-password-policy", &api.pool, "PASS"),
        ("cognito-threat-protection", &api.pool, "FAIL"),
        ("cognito-deletion-protection", &api.pool, "FAIL"),
        ("cognito-self-signup", &api.pool, "PASS"),
        ("cognito-client-user-existence-errors", &api.web, "PASS"),
        ("cognito-client-user-existence-errors", &api.partner, "FAIL"),
        (
            "cognito-client-refresh-token-validity",
            &api.partner,
            "FAIL",
        ),
        ("cognito-group-admin-role", &staff, "FAIL"),
        ("cognito-group-admin-role", &clients, "PASS"),
    ];
    // The exports bucket's policy is confined to the office; its ACL is what opens it.
    let exports = crate::support::result_of(&report, "s3-bucket-public", &files.exports);
    let m = exports["message"].as_str().unwrap_or_default();
    assert!(
        m.contains("any AWS account can list") && !m.contains("OfficeOnly"),
        "{m}"
    );
    for (check, resource, status) in expect {
        assert_eq!(
            status_of(&report, check, resource).as_deref(),
            Some(status),
            "{check} on {resource}"
        );
    }
}
