//! The database checks against moto, in two regions at once.

use crate::support::seed::databases::{Settings, instance};
use crate::support::seed::network::{group, rule};
use crate::support::{TestAccount, result_of, status_of};

const EU: &str = "eu-west-1";
const US: &str = "us-east-1";

#[tokio::test(flavor = "multi_thread")]
async fn db_instances_fail_and_pass_in_two_regions() {
    let account = TestAccount::fresh().await;
    let config = account.config().await;
    let eu_ec2 = crate::support::seed::network::client(&config, EU);
    let us_ec2 = crate::support::seed::network::client(&config, US);
    let eu = crate::support::seed::databases::client(&config, EU);
    let us = crate::support::seed::databases::client(&config, US);

    // eu-west-1: the users' rule kept, a database reachable only from the app's group.
    let app = group(&eu_ec2, "app", vec![]).await;
    let guard = group(&eu_ec2, "db", vec![rule("tcp", 5432, 5432, &[&app])]).await;
    instance(
        &eu,
        "orders",
        Settings {
            public: false,
            encrypted: true,
            backup_days: 7,
            deletion_protection: true,
            minor_upgrades: true,
            security_groups: &[&guard],
        },
    )
    .await;
    // us-east-1: public, open to the world on its port, and every setting weak.
    let open = group(
        &us_ec2,
        "db-open",
        vec![rule("tcp", 5432, 5432, &["0.0.0.0/0"])],
    )
    .await;
    instance(
        &us,
        "legacy",
        Settings {
            public: true,
            encrypted: false,
            backup_days: 1,
            deletion_protection: false,
            minor_upgrades: false,
            security_groups: &[&open],
        },
    )
    .await;

    // A manual snapshot of each: the legacy one shared with everyone.
    for (rds, db) in [(&eu, "orders"), (&us, "legacy")] {
        rds.create_db_snapshot()
            .db_instance_identifier(db)
            .db_snapshot_identifier(format!("{db}-manual"))
            .send()
            .await
            .expect("create snapshot");
    }
    us.modify_db_snapshot_attribute()
        .db_snapshot_identifier("legacy-manual")
        .attribute_name("restore")
        .values_to_add("all")
        .send()
        .await
        .expect("share the snapshot");

    let report = account.scan_regions(&[EU, US]);
    for check in [
        "rds-publicly-reachable",
        "rds-publicly-accessible",
        "rds-ingress-from-security-groups",
        "rds-storage-encrypted",
        "rds-backup-retention",
        "rds-deletion-protection",
        "rds-auto-minor-upgrade",
    ] {
        assert_eq!(
            status_of(&report, check, "orders").as_deref(),
            Some("PASS"),
            "{check}"
        );
        assert_eq!(
            status_of(&report, check, "legacy").as_deref(),
            Some("FAIL"),
            "{check}"
        );
    }
    let r = result_of(&report, "rds-publicly-reachable", "legacy");
    assert_eq!(r["resource"]["region"], US);
    assert_eq!(r["severity"], "critical");
    let message = r["message"].as_str().unwrap_or_default();
    assert!(
        message.contains(&open) && message.contains("0.0.0.0/0"),
        "{message}"
    );
    assert_eq!(
        result_of(&report, "rds-storage-encrypted", "orders")["resource"]["region"],
        EU
    );
    assert_eq!(
        status_of(&report, "rds-snapshot-public", "legacy-manual").as_deref(),
        Some("FAIL")
    );
    assert_eq!(
        status_of(&report, "rds-snapshot-public", "orders-manual").as_deref(),
        Some("PASS")
    );
}
