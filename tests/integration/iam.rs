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

#[tokio::test(flavor = "multi_thread")]
async fn root_hardware_mfa_fails_when_root_has_no_mfa() {
    // moto cannot enable root MFA of either kind; the virtual/hardware cases are fixture
    // tests in src/checks/iam/root.rs.
    let account = TestAccount::fresh().await;
    let (report, _) = account.scan_json();
    assert_eq!(
        status_of(&report, "root-hardware-mfa", &account.id).as_deref(),
        Some("FAIL")
    );
    let r = crate::support::results(&report, "root-hardware-mfa");
    assert_eq!(r[0]["severity"], "informational");
    let outcome = crate::support::outcome_of(&report, "root-hardware-mfa");
    assert_eq!(outcome["status"], "FAILED", "reported, though not scored");
}

#[tokio::test(flavor = "multi_thread")]
async fn root_recent_use_is_not_evaluated_without_a_root_row() {
    // moto's credential report has no <root_account> row: the check must say it could not
    // judge, never pass. Pass and fail cases with dates are fixture tests.
    let account = TestAccount::fresh().await;
    let (report, _) = account.scan_json();
    assert_eq!(
        status_of(&report, "root-recent-use", &account.id).as_deref(),
        Some("ERROR")
    );
    let check = crate::support::outcome_of(&report, "root-recent-use");
    assert_eq!(check["status"], "UNKNOWN");
}

#[tokio::test(flavor = "multi_thread")]
async fn access_keys_rotation_unused_and_multiple() {
    // moto dates keys "now": fresh keys pass rotation and unused checks here; the 90- and
    // 45-day failures are fixture tests in src/checks/iam/users.rs.
    let account = TestAccount::fresh().await;
    let iam = account.iam().await;
    seed::user(&iam, "one-key").await;
    seed::access_key(&iam, "one-key").await;
    seed::user(&iam, "two-keys").await;
    seed::access_key(&iam, "two-keys").await;
    seed::access_key(&iam, "two-keys").await;

    let (report, _) = account.scan_json();
    assert_eq!(
        status_of(&report, "multiple-active-keys", "two-keys").as_deref(),
        Some("FAIL")
    );
    assert_eq!(
        status_of(&report, "multiple-active-keys", "one-key").as_deref(),
        Some("PASS")
    );
    assert_eq!(
        status_of(&report, "access-key-rotation", "one-key").as_deref(),
        Some("PASS")
    );
    assert_eq!(
        status_of(&report, "unused-credentials", "one-key").as_deref(),
        Some("PASS")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn user_direct_policies_fail_and_group_membership_passes() {
    let account = TestAccount::fresh().await;
    let iam = account.iam().await;
    seed::user(&iam, "grouped").await;
    seed::group(&iam, "readers", seed::READ_ONLY_POLICY, &["grouped"]).await;
    seed::user(&iam, "attached").await;
    seed::attach_user_policy(&iam, "attached", seed::READ_ONLY_POLICY).await;
    seed::user(&iam, "inline").await;
    seed::put_user_policy(
        &iam,
        "inline",
        "own-s3",
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}"#,
    )
    .await;

    let (report, _) = account.scan_json();
    assert_eq!(
        status_of(&report, "user-direct-policies", "grouped").as_deref(),
        Some("PASS")
    );
    assert_eq!(
        status_of(&report, "user-direct-policies", "attached").as_deref(),
        Some("FAIL")
    );
    assert_eq!(
        status_of(&report, "user-direct-policies", "inline").as_deref(),
        Some("FAIL")
    );
    let inline = crate::support::result_of(&report, "user-direct-policies", "inline");
    assert!(
        inline["message"]
            .as_str()
            .is_some_and(|m| m.contains("own-s3")),
        "{inline}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn password_policy_absent_weak_and_strong() {
    let account = TestAccount::fresh().await;
    let (report, _) = account.scan_json();
    assert_eq!(
        status_of(&report, "password-policy", &account.id).as_deref(),
        Some("FAIL")
    );

    let iam = account.iam().await;
    seed::password_policy(&iam, false).await;
    let (report, _) = account.scan_json();
    let r = crate::support::results(&report, "password-policy");
    assert_eq!(r[0]["status"], "FAIL");
    let message = r[0]["message"].as_str().unwrap_or_default();
    for part in ["minimum length 8", "symbols", "reuse prevention"] {
        assert!(message.contains(part), "{part} not in {message}");
    }

    seed::password_policy(&iam, true).await;
    let (report, _) = account.scan_json();
    assert_eq!(
        status_of(&report, "password-policy", &account.id).as_deref(),
        Some("PASS")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn admin_privileges_names_holders_through_groups_and_roles() {
    let account = TestAccount::fresh().await;
    let iam = account.iam().await;
    seed::user(&iam, "lucia").await;
    seed::group(&iam, "administrators", seed::ADMIN_POLICY, &["lucia"]).await;
    seed::user(&iam, "carlos").await;
    seed::group(&iam, "developers", seed::READ_ONLY_POLICY, &["carlos"]).await;
    // A customer managed policy that is admin in disguise, URL-encoded by IAM on the way back.
    let sneaky = seed::managed_policy(
        &iam,
        "everything-but-nothing",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":"made:Up","Resource":"*"}]}"#,
    )
    .await;
    seed::role(&iam, "ops", r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}}"#).await;
    iam.attach_role_policy()
        .role_name("ops")
        .policy_arn(&sneaky)
        .send()
        .await
        .expect("attach role policy");
    // Allow everything, then Deny everything: not admin, and the Deny takes away what the
    // disguised policy gives this role too.
    seed::role(&iam, "locked", r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}}"#).await;
    iam.attach_role_policy()
        .role_name("locked")
        .policy_arn(&sneaky)
        .send()
        .await
        .expect("attach role policy");
    seed::put_role_policy(
        &iam,
        "locked",
        "cancelled",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"*","Resource":"*"}]}"#,
    )
    .await;

    let (report, _) = account.scan_json();
    let by_id = |id: &str| crate::support::result_of(&report, "admin-privileges", id);
    let aws_admin = by_id("AdministratorAccess");
    assert_eq!(aws_admin["status"], "FAIL");
    assert!(
        aws_admin["message"]
            .as_str()
            .is_some_and(|m| m.contains("lucia (through group administrators)")),
        "{aws_admin}"
    );
    assert_eq!(by_id("ReadOnlyAccess")["status"], "PASS");
    let disguised = by_id("everything-but-nothing");
    assert_eq!(disguised["status"], "FAIL");
    assert!(
        disguised["message"]
            .as_str()
            .is_some_and(|m| m.contains("roles ops.") && m.contains("Not to others: locked:")),
        "{disguised}"
    );
    let cancelled = by_id("locked:cancelled");
    assert_eq!(cancelled["status"], "PASS");
    assert!(
        cancelled["message"]
            .as_str()
            .is_some_and(|m| m.contains("a Deny takes them away")),
        "{cancelled}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn github_oidc_trust_fails_wide_roles_and_passes_scoped_ones() {
    let account = TestAccount::fresh().await;
    let iam = account.iam().await;
    let id = account.id.as_str();
    let roles = [
        (
            "no-sub",
            r#"{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com"}}"#,
            "FAIL",
        ),
        (
            "any-repo-in-org",
            r#"{"StringLike":{"token.actions.githubusercontent.com:sub":"repo:lend2b/*"}}"#,
            "FAIL",
        ),
        (
            "star",
            r#"{"StringLike":{"token.actions.githubusercontent.com:sub":"*"}}"#,
            "FAIL",
        ),
        (
            "for-all-values",
            r#"{"ForAllValues:StringLike":{"token.actions.githubusercontent.com:sub":"repo:lend2b/api:*"}}"#,
            "FAIL",
        ),
        (
            "wrong-aud",
            r#"{"StringEquals":{"token.actions.githubusercontent.com:aud":"api://lend2b","token.actions.githubusercontent.com:sub":"repo:lend2b/api:ref:refs/heads/main"}}"#,
            "FAIL",
        ),
        (
            "scoped",
            r#"{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com"},"StringLike":{"token.actions.githubusercontent.com:sub":"repo:lend2b/api:ref:refs/heads/*"}}"#,
            "PASS",
        ),
        (
            "scoped-by-id",
            r#"{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com","token.actions.githubusercontent.com:sub":"repo:lend2b@81234/api@99123:environment:prod"}}"#,
            "PASS",
        ),
    ];
    for (name, condition, _) in &roles {
        seed::role(&iam, name, &seed::github_trust(id, condition)).await;
    }
    seed::role(&iam, "lambda-exec", r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}}"#).await;

    let (report, _) = account.scan_json();
    for (name, _, expected) in &roles {
        assert_eq!(
            status_of(&report, "github-oidc-trust", name).as_deref(),
            Some(*expected),
            "{name}"
        );
    }
    assert_eq!(
        status_of(&report, "github-oidc-trust", "lambda-exec"),
        None,
        "not a GitHub role"
    );
    let wide = crate::support::result_of(&report, "github-oidc-trust", "any-repo-in-org");
    assert_eq!(wide["severity"], "critical");
}

#[tokio::test(flavor = "multi_thread")]
async fn ci_long_lived_keys_flags_a_deploy_user_whose_key_is_in_use() {
    let account = TestAccount::fresh().await;
    let iam = account.iam().await;
    seed::user(&iam, "deploy-github").await;
    let (key, secret) = seed::access_key_pair(&iam, "deploy-github").await;
    seed::use_access_key(&account.endpoint, &key, &secret).await;
    seed::user(&iam, "spare").await;
    seed::access_key(&iam, "spare").await; // active, never used

    let (report, _) = account.scan_json();
    assert_eq!(
        status_of(&report, "ci-long-lived-keys", "deploy-github").as_deref(),
        Some("FAIL")
    );
    assert_eq!(
        status_of(&report, "ci-long-lived-keys", "spare").as_deref(),
        Some("PASS")
    );
    let deploy = crate::support::result_of(&report, "ci-long-lived-keys", "deploy-github");
    let used = deploy["evidence"]["last_used_date"]
        .as_str()
        .and_then(|d| chrono::DateTime::parse_from_rfc3339(d).ok())
        .unwrap_or_else(|| panic!("no last-used date: {deploy}"));
    let age = chrono::Utc::now().signed_duration_since(used);
    assert!(
        age.num_minutes() < 10,
        "the key was used just now, not {used}"
    );
    assert!(
        deploy["message"]
            .as_str()
            .is_some_and(|m| m.contains("OpenID Connect"))
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn privilege_escalation_fails_self_granting_users_and_passes_others() {
    let account = TestAccount::fresh().await;
    let iam = account.iam().await;
    let id = account.id.as_str();
    // Can attach any policy to itself: one call from AdministratorAccess.
    seed::user(&iam, "self-attacher").await;
    seed::put_user_policy(
        &iam,
        "self-attacher",
        "self-service",
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"iam:AttachUserPolicy","Resource":"arn:aws:iam::*:user/${aws:username}"}}"#,
    )
    .await;
    // May attach only ReadOnlyAccess: pinned by its condition, no path.
    seed::user(&iam, "pinned").await;
    seed::put_user_policy(
        &iam,
        "pinned",
        "self-service",
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"iam:AttachUserPolicy","Resource":"*","Condition":{"ArnEquals":{"iam:PolicyARN":"arn:aws:iam::aws:policy/ReadOnlyAccess"}}}}"#,
    )
    .await;
    // A Lambda developer who can pass an administrator role that Lambda may assume.
    seed::role(
        &iam,
        "lambda-admin",
        &seed::service_trust("lambda.amazonaws.com"),
    )
    .await;
    iam.attach_role_policy()
        .role_name("lambda-admin")
        .policy_arn(seed::ADMIN_POLICY)
        .send()
        .await
        .expect("attach");
    seed::user(&iam, "lambda-dev").await;
    seed::put_user_policy(
        &iam,
        "lambda-dev",
        "lambda",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["lambda:CreateFunction","lambda:InvokeFunction"],"Resource":"*"},{"Effect":"Allow","Action":"iam:PassRole","Resource":"*"}]}"#,
    )
    .await;
    // A role whose boundary stops it from granting itself anything.
    let boundary = seed::managed_policy(
        &iam,
        "no-iam-writes",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*","iam:Get*","iam:List*"],"Resource":"*"}]}"#,
    )
    .await;
    seed::bounded_role(
        &iam,
        "bounded-ops",
        &seed::service_trust("ec2.amazonaws.com"),
        &boundary,
    )
    .await;
    seed::put_role_policy(
        &iam,
        "bounded-ops",
        "all",
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#,
    )
    .await;
    seed::user(&iam, "reader").await;
    seed::group(&iam, "readers", seed::READ_ONLY_POLICY, &["reader"]).await;

    let (report, _) = account.scan_json();
    let r = |who: &str| crate::support::result_of(&report, "privilege-escalation", who);
    let attacher = r("self-attacher");
    assert_eq!(attacher["status"], "FAIL", "{attacher}");
    let message = attacher["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("attach arn:aws:iam::aws:policy/AdministratorAccess to itself")
            && message.contains("iam:AttachUserPolicy"),
        "{message}"
    );
    assert_eq!(attacher["severity"], "high");
    assert_eq!(r("pinned")["status"], "PASS", "{}", r("pinned"));
    let dev = r("lambda-dev");
    assert_eq!(dev["status"], "FAIL", "{dev}");
    assert!(
        dev["message"].as_str().is_some_and(|m| m
            .contains("become role lambda-admin (administrator): pass it to lambda.amazonaws.com")),
        "{dev}"
    );
    assert_eq!(r("reader")["status"], "PASS");
    let bounded = r("bounded-ops");
    assert_eq!(bounded["status"], "PASS", "{bounded}");
    assert_eq!(
        bounded["evidence"]["permissions_boundary"],
        format!("arn:aws:iam::{id}:policy/no-iam-writes")
    );
    // Its "*" policy is not administrator rights for it: the boundary holds.
    let all = crate::support::result_of(&report, "admin-privileges", "bounded-ops:all");
    assert_eq!(all["status"], "PASS", "{all}");
    assert!(
        all["message"]
            .as_str()
            .is_some_and(|m| m.contains("no-iam-writes limits it") && m.contains("CIS 1.15")),
        "{all}"
    );
    assert_eq!(
        crate::support::status_of(&report, "privilege-escalation", "lambda-admin"),
        None,
        "an administrator is admin-privileges' finding"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn oidc_providers_audiences_and_dangling_trusts() {
    let account = TestAccount::fresh().await;
    let iam = account.iam().await;
    let id = account.id.as_str();
    seed::oidc_provider(
        &iam,
        "https://token.actions.githubusercontent.com",
        &["sts.amazonaws.com", "api://AzureADTokenExchange"],
    )
    .await;
    seed::oidc_provider(
        &iam,
        "https://token.actions.githubusercontent.com/lend2b",
        &["sts.amazonaws.com"],
    )
    .await;
    let condition = r#"{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com","token.actions.githubusercontent.com:sub":"repo:lend2b/api:environment:prod"}}"#;
    seed::role(&iam, "deploy", &seed::github_trust(id, condition)).await;
    seed::role(
        &iam,
        "old-gitlab",
        &format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"Federated":"arn:aws:iam::{id}:oidc-provider/gitlab.example.com"}},"Action":"sts:AssumeRoleWithWebIdentity"}}]}}"#
        ),
    )
    .await;

    let (report, _) = account.scan_json();
    let audiences = crate::support::results(&report, "github-oidc-provider-audience");
    assert_eq!(audiences.len(), 2, "{audiences:?}");
    let wide = audiences
        .iter()
        .find(|r| r["status"] == "FAIL")
        .expect("the provider with an extra audience fails");
    assert!(
        wide["message"]
            .as_str()
            .is_some_and(|m| m.contains("api://AzureADTokenExchange")),
        "{wide}"
    );
    assert!(audiences.iter().any(|r| r["status"] == "PASS"));
    assert_eq!(
        status_of(&report, "oidc-trust-unknown-provider", "deploy").as_deref(),
        Some("PASS")
    );
    assert_eq!(
        status_of(&report, "oidc-trust-unknown-provider", "old-gitlab").as_deref(),
        Some("FAIL")
    );
    assert_eq!(
        status_of(&report, "github-oidc-trust", "deploy").as_deref(),
        Some("PASS")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn github_trust_customised_subjects_fail_and_deny_narrowing_passes() {
    let account = TestAccount::fresh().await;
    let iam = account.iam().await;
    let id = account.id.as_str();
    seed::role(
        &iam,
        "owner-only",
        &seed::github_trust(
            id,
            r#"{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com","token.actions.githubusercontent.com:sub":"repository_owner:lend2b"}}"#,
        ),
    )
    .await;
    let provider = format!(
        r#"{{"Federated":"arn:aws:iam::{id}:oidc-provider/token.actions.githubusercontent.com"}}"#
    );
    seed::role(
        &iam,
        "narrowed",
        &format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{provider},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{{"StringLike":{{"token.actions.githubusercontent.com:sub":"repo:lend2b/*"}}}}}},{{"Effect":"Deny","Principal":{provider},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{{"StringNotLike":{{"token.actions.githubusercontent.com:sub":"repo:lend2b/api:*"}}}}}}]}}"#
        ),
    )
    .await;

    let (report, _) = account.scan_json();
    let owner = crate::support::result_of(&report, "github-oidc-trust", "owner-only");
    assert_eq!(owner["status"], "FAIL");
    assert!(
        owner["message"]
            .as_str()
            .is_some_and(|m| m.contains("every repository of that owner")),
        "{owner}"
    );
    let narrowed = crate::support::result_of(&report, "github-oidc-trust", "narrowed");
    assert_eq!(narrowed["status"], "PASS", "{narrowed}");
}
