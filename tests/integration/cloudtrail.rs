//! CloudTrail against moto: a single-region trail fails CIS 3.1 even in a one-region scan;
//! a multi-region, logging, validated trail passes until its selectors drop read events;
//! the trail's bucket is judged as a bucket.

use aws_sdk_cloudtrail::types::{EventSelector, ReadWriteType};

use crate::support::seed::storage;
use crate::support::{TestAccount, result_of};

const EU: &str = "eu-west-1";

#[tokio::test(flavor = "multi_thread")]
async fn trails_fail_and_pass_and_their_bucket_is_judged() {
    let account = TestAccount::fresh().await;
    let config = account.config().await;
    let s3 = storage::client(&config, EU);
    let logs = format!("trail-logs-{}", account.id);
    storage::bare(&s3, &logs, EU).await;
    let ct = aws_sdk_cloudtrail::Client::from_conf(
        aws_sdk_cloudtrail::config::Builder::from(&config)
            .region(aws_sdk_cloudtrail::config::Region::new(EU))
            .build(),
    );
    ct.create_trail()
        .name("regional")
        .s3_bucket_name(&logs)
        .enable_log_file_validation(true)
        .send()
        .await
        .expect("create trail");
    ct.start_logging()
        .name("regional")
        .send()
        .await
        .expect("start logging");

    let check = |report: &serde_json::Value| {
        result_of(report, "cloudtrail-multi-region", &account.id).clone()
    };
    let report = account.scan_regions(&[EU]);
    let r = check(&report);
    assert_eq!(r["status"], "FAIL", "{r}");
    assert!(
        r["message"]
            .as_str()
            .is_some_and(|m| m.contains("single-region")),
        "{r}"
    );

    ct.create_trail()
        .name("main")
        .s3_bucket_name(&logs)
        .is_multi_region_trail(true)
        .enable_log_file_validation(true)
        .send()
        .await
        .expect("create trail");
    ct.start_logging()
        .name("main")
        .send()
        .await
        .expect("start logging");
    storage::policy(
        &s3,
        &logs,
        &format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::{logs}/*"}}]}}"#
        ),
    )
    .await;
    let report = account.scan_regions(&[EU]);
    let r = check(&report);
    assert_eq!(r["status"], "PASS", "{r}");
    assert!(
        r["message"]
            .as_str()
            .is_some_and(|m| m.contains("trail main")),
        "{r}"
    );
    let b = result_of(&report, "cloudtrail-bucket-public", &logs);
    assert_eq!(b["status"], "FAIL", "{b}");
    assert!(
        b["message"]
            .as_str()
            .is_some_and(|m| m.contains("anyone can read")),
        "{b}"
    );

    // Write events only: CIS 3.1 asks for read and write.
    ct.put_event_selectors()
        .trail_name("main")
        .event_selectors(
            EventSelector::builder()
                .read_write_type(ReadWriteType::WriteOnly)
                .include_management_events(true)
                .build(),
        )
        .send()
        .await
        .expect("event selectors");
    let report = account.scan_regions(&[EU]);
    let r = check(&report);
    assert_eq!(r["status"], "FAIL", "{r}");
    assert!(
        r["message"]
            .as_str()
            .is_some_and(|m| m.contains("WriteOnly")),
        "{r}"
    );
}
