//! Security Hub against moto: on in one region with findings whose score is known, off in
//! another. moto has no GetEnabledStandards (404): the score is over the controls seen in
//! findings, and says so.

use aws_sdk_securityhub::types::ComplianceStatus;

use crate::support::seed::hub::{self, Seeded};
use crate::support::{TestAccount, result_of, status_of};

const EU: &str = "eu-west-1";
const US: &str = "us-east-1";

#[tokio::test(flavor = "multi_thread")]
async fn the_security_score_is_reproduced_and_regions_without_it_fail() {
    let account = TestAccount::fresh().await;
    let config = account.config().await;
    let eu = hub::client(&config, EU);
    hub::enable(&eu).await;
    let ids: Vec<String> = (0..130).map(|i| format!("finding-{i}")).collect();
    let controls: Vec<String> = (1..=13).map(|i| format!("Ctl.{i}")).collect();
    let mut seeded = Vec::new();
    // 13 controls, each with several findings (130 in all: more than a page of 100). The
    // first 10 pass; the last 3 have one failed finding among passed ones.
    for (i, id) in ids.iter().enumerate() {
        let c = i % 13;
        let failed = c >= 10 && i / 13 == 0;
        seeded.push(Seeded {
            id,
            control: Some(&controls[c]),
            status: if failed {
                ComplianceStatus::Failed
            } else {
                ComplianceStatus::Passed
            },
            archived: false,
            suppressed: false,
        });
    }
    // Failed findings that must not count: one suppressed, one archived, on passing
    // controls; and a finding that is no control's.
    seeded.push(Seeded {
        id: "suppressed",
        control: Some(&controls[0]),
        status: ComplianceStatus::Failed,
        archived: false,
        suppressed: true,
    });
    seeded.push(Seeded {
        id: "archived",
        control: Some(&controls[1]),
        status: ComplianceStatus::Failed,
        archived: true,
        suppressed: false,
    });
    seeded.push(Seeded {
        id: "threat",
        control: None,
        status: ComplianceStatus::Failed,
        archived: false,
        suppressed: false,
    });
    hub::import(&eu, &account.id, EU, &seeded).await;

    let report = account.scan_regions(&[EU, US]);
    assert_eq!(
        status_of(
            &report,
            "securityhub-enabled",
            &format!("Security Hub in {EU}")
        )
        .as_deref(),
        Some("PASS")
    );
    let off = result_of(
        &report,
        "securityhub-enabled",
        &format!("Security Hub in {US}"),
    );
    assert_eq!(off["status"], "FAIL", "{off}");
    assert_eq!(off["resource"]["region"], US);

    let scores = report["security_hub"].as_array().expect("security_hub");
    assert_eq!(scores.len(), 1, "only where Security Hub is on: {scores:?}");
    let s = &scores[0];
    assert_eq!(s["region"], EU);
    assert_eq!(s["percent"], 77, "{s}");
    assert_eq!(
        (s["passed"].as_u64(), s["failed"].as_u64()),
        (Some(10), Some(3))
    );
    assert_eq!(s["findings_left_out"], 2);
    assert!(
        s["method"]
            .as_str()
            .is_some_and(|m| m.contains("seen in findings")),
        "{s}"
    );
    let failed: Vec<&str> = s["failed_controls"]
        .as_array()
        .expect("failed controls")
        .iter()
        .filter_map(|c| c["id"].as_str())
        .collect();
    assert_eq!(failed, ["Ctl.11", "Ctl.12", "Ctl.13"]);
    assert_eq!(
        s["standards"][0]["name"],
        "AWS Foundational Security Best Practices v1.0.0"
    );
    // Every page of findings was read.
    let pages: u64 = report["api_calls"]
        .as_array()
        .expect("api_calls")
        .iter()
        .filter(|c| c["operation"] == "GetFindings")
        .filter_map(|c| c["calls"].as_u64())
        .sum();
    assert!(pages >= 2, "{pages} GetFindings calls");

    // The table shows it next to postura's own score.
    let out = account
        .postura_all_regions()
        .args(["--region", EU, "--region", US, "scan"])
        .output()
        .expect("run postura");
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(
        table.contains("Security Hub score in eu-west-1 77%: 10 of 13 controls pass, 3 fail"),
        "{table}"
    );
}
