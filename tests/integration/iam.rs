//! Identity checks end to end: seed an account in moto, scan it, read the JSON report.

use crate::support::{TestAccount, seed, status_of};

#[tokio::test(flavor = "multi_thread")]
async fn user_console_mfa_fails_without_mfa_and_passes_with_it() {
    let account = TestAccount::fresh().await;
    let iam = account.iam().await;
    seed::console_user(&iam, "with-mfa").await;
    seed::virtual_mfa(&iam, "with-mfa").await;
    seed::console_user(&iam, "without-mfa").await;
    seed::user(&iam, "api-only").await;

    let (report, code) = account.scan_json();
    assert_eq!(
        status_of(&report, "user-console-mfa", "without-mfa").as_deref(),
        Some("FAIL")
    );
    assert_eq!(
        status_of(&report, "user-console-mfa", "with-mfa").as_deref(),
        Some("PASS")
    );
    assert_eq!(
        status_of(&report, "user-console-mfa", "api-only"),
        None,
        "no password: not judged"
    );
    assert_eq!(code, 3, "a FAIL exits 3");
    let failed = crate::support::results(&report, "user-console-mfa")
        .into_iter()
        .find(|r| r["status"] == "FAIL")
        .expect("a failure");
    assert_eq!(failed["severity"], "medium");
    assert_eq!(failed["area"], "identity");
    assert_eq!(failed["resource"]["type"], "AwsIamUser");
    assert_eq!(
        failed["resource"]["arn"],
        format!("arn:aws:iam::{}:user/without-mfa", account.id)
    );
    assert!(
        failed["compliance"]
            .as_array()
            .expect("array")
            .iter()
            .any(|c| c == "CIS 1.9")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn root_mfa_fails_in_an_account_without_root_mfa() {
    // moto never enables root MFA (AccountMFAEnabled is 0); the passing case is a fixture
    // test in src/checks/iam/root.rs.
    let account = TestAccount::fresh().await;
    let (report, _) = account.scan_json();
    let account_id = account.id.as_str();
    assert_eq!(
        status_of(&report, "root-mfa", account_id).as_deref(),
        Some("FAIL")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn root_access_keys_pass_in_an_account_without_root_keys() {
    // moto cannot give the root user access keys; the failing case is a fixture test in
    // src/checks/iam/root.rs.
    let account = TestAccount::fresh().await;
    let (report, _) = account.scan_json();
    assert_eq!(
        status_of(&report, "root-access-keys", &account.id).as_deref(),
        Some("PASS")
    );
}
