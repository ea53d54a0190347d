//! The demo account (scripts/demo): every problem it was built with is found, and what the
//! security document gets right passes.

use crate::support::{TestAccount, seed, status_of};

#[tokio::test(flavor = "multi_thread")]
async fn the_lending_platform_sample_shows_its_known_problems() {
    let account = TestAccount::fresh().await;
    let iam = account.iam().await;
    seed::lending_platform(&iam, &account.id, &account.endpoint).await;
    let (report, code) = account.scan_json();
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
    ];
    for (check, resource, status) in expect {
        assert_eq!(
            status_of(&report, check, resource).as_deref(),
            Some(status),
            "{check} on {resource}"
        );
    }
}
