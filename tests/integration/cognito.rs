//! The Cognito checks against moto: a pool set up well and one set up badly, in two
//! regions, with app clients and groups whose roles the identity checks judge.

use crate::support::seed::{self, user_pools};
use crate::support::{TestAccount, result_of, status_of};

const EU: &str = "eu-west-1";
const US: &str = "us-east-1";

#[tokio::test(flavor = "multi_thread")]
async fn user_pools_fail_and_pass_in_two_regions() {
    let account = TestAccount::fresh().await;
    let config = account.config().await;
    let iam = account.iam().await;
    let trust = seed::service_trust("cognito-identity.amazonaws.com");
    seed::role(&iam, "lend2b-admin", &trust).await;
    iam.attach_role_policy()
        .role_name("lend2b-admin")
        .policy_arn("arn:aws:iam::aws:policy/AdministratorAccess")
        .send()
        .await
        .expect("attach");
    seed::role(&iam, "api-client", &trust).await;
    seed::put_role_policy(
        &iam,
        "api-client",
        "invoke",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"execute-api:Invoke","Resource":"*"}]}"#,
    )
    .await;

    let eu = user_pools::client(&config, EU);
    let us = user_pools::client(&config, US);
    let good = user_pools::pool(&eu, "lending-api", true).await;
    let good_client = user_pools::app_client(&eu, &good, "web", true).await;
    let id = &account.id;
    user_pools::group(
        &eu,
        &good,
        "Lend2B",
        Some(&format!("arn:aws:iam::{id}:role/lend2b-admin")),
    )
    .await;
    user_pools::group(
        &eu,
        &good,
        "Client",
        Some(&format!("arn:aws:iam::{id}:role/api-client")),
    )
    .await;
    user_pools::group(&eu, &good, "Provider", None).await;
    let bad = user_pools::pool(&us, "legacy-api", false).await;
    let bad_client = user_pools::app_client(&us, &bad, "old-web", false).await;

    let report = account.scan_regions(&[EU, US]);
    let expect = [
        ("cognito-mfa", good.as_str(), "PASS"),
        ("cognito-mfa", bad.as_str(), "FAIL"),
        ("cognito-mfa-required", good.as_str(), "PASS"),
        ("cognito-mfa-required", bad.as_str(), "FAIL"),
        ("cognito-password-policy", good.as_str(), "PASS"),
        ("cognito-password-policy", bad.as_str(), "FAIL"),
        // ENFORCED, but moto answers DescribeRiskConfiguration with a 500: not evaluated.
        ("cognito-threat-protection", good.as_str(), "ERROR"),
        ("cognito-threat-protection", bad.as_str(), "FAIL"),
        ("cognito-deletion-protection", good.as_str(), "PASS"),
        ("cognito-deletion-protection", bad.as_str(), "FAIL"),
        ("cognito-self-signup", good.as_str(), "PASS"),
        ("cognito-self-signup", bad.as_str(), "FAIL"),
        (
            "cognito-client-user-existence-errors",
            good_client.as_str(),
            "PASS",
        ),
        (
            "cognito-client-user-existence-errors",
            bad_client.as_str(),
            "FAIL",
        ),
        (
            "cognito-client-token-revocation",
            good_client.as_str(),
            "PASS",
        ),
        (
            "cognito-client-token-revocation",
            bad_client.as_str(),
            "FAIL",
        ),
        (
            "cognito-client-refresh-token-validity",
            good_client.as_str(),
            "PASS",
        ),
        (
            "cognito-client-refresh-token-validity",
            bad_client.as_str(),
            "FAIL",
        ),
        (
            "cognito-client-implicit-grant",
            good_client.as_str(),
            "PASS",
        ),
        ("cognito-client-implicit-grant", bad_client.as_str(), "FAIL"),
    ];
    for (check, resource, status) in expect {
        assert_eq!(
            status_of(&report, check, resource).as_deref(),
            Some(status),
            "{check} on {resource}: {}",
            result_of(&report, check, resource)
        );
    }
    let r = result_of(&report, "cognito-mfa", &good);
    assert_eq!(r["resource"]["region"], EU);
    assert!(
        r["message"]
            .as_str()
            .is_some_and(|m| m.contains("authenticator apps (TOTP)")),
        "{r}"
    );
    let r = result_of(&report, "cognito-password-policy", &bad);
    let m = r["message"].as_str().unwrap_or_default();
    assert!(
        m.contains("minimum length of 6") && m.contains("numbers, symbols"),
        "{m}"
    );
    let r = result_of(
        &report,
        "cognito-client-refresh-token-validity",
        &bad_client,
    );
    assert!(
        r["message"]
            .as_str()
            .is_some_and(|m| m.contains("3650 days")),
        "{r}"
    );
    let r = result_of(&report, "cognito-threat-protection", &good);
    assert!(
        r["message"]
            .as_str()
            .is_some_and(|m| m.contains("DescribeRiskConfiguration")),
        "{r}"
    );
    for (group, status) in [("Lend2B", "FAIL"), ("Client", "PASS"), ("Provider", "PASS")] {
        let gid = format!("{good}/{group}");
        assert_eq!(
            status_of(&report, "cognito-group-admin-role", &gid).as_deref(),
            Some(status),
            "{group}: {}",
            result_of(&report, "cognito-group-admin-role", &gid)
        );
    }
}
