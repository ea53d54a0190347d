//! GuardDuty and AWS Config against moto, in two regions: on in one, off in the other.

use aws_sdk_config::types::{ConfigurationRecorder, DeliveryChannel, RecordingGroup};

use crate::support::seed::storage;
use crate::support::{TestAccount, result_of};

const EU: &str = "eu-west-1";
const US: &str = "us-east-1";

#[tokio::test(flavor = "multi_thread")]
async fn detectors_and_recorders_fail_and_pass_in_two_regions() {
    let account = TestAccount::fresh().await;
    let config = account.config().await;
    let gd = |region: &str| {
        aws_sdk_guardduty::Client::from_conf(
            aws_sdk_guardduty::config::Builder::from(&config)
                .region(aws_sdk_guardduty::config::Region::new(region.to_string()))
                .build(),
        )
    };
    let cfg = |region: &str| {
        aws_sdk_config::Client::from_conf(
            aws_sdk_config::config::Builder::from(&config)
                .region(aws_sdk_config::config::Region::new(region.to_string()))
                .build(),
        )
    };
    gd(EU)
        .create_detector()
        .enable(true)
        .send()
        .await
        .expect("detector");
    gd(US)
        .create_detector()
        .enable(false)
        .send()
        .await
        .expect("detector");

    let bucket = format!("config-{}", account.id);
    storage::bare(&storage::client(&config, EU), &bucket, EU).await;
    for (region, start, all) in [(EU, true, true), (US, false, true)] {
        let c = cfg(region);
        c.put_configuration_recorder()
            .configuration_recorder(
                ConfigurationRecorder::builder()
                    .name("default")
                    .role_arn(format!("arn:aws:iam::{}:role/config", account.id))
                    .recording_group(
                        RecordingGroup::builder()
                            .all_supported(all)
                            .include_global_resource_types(region == EU)
                            .build(),
                    )
                    .build(),
            )
            .send()
            .await
            .expect("recorder");
        if start {
            c.put_delivery_channel()
                .delivery_channel(
                    DeliveryChannel::builder()
                        .name("default")
                        .s3_bucket_name(&bucket)
                        .build(),
                )
                .send()
                .await
                .expect("delivery channel");
            c.start_configuration_recorder()
                .configuration_recorder_name("default")
                .send()
                .await
                .expect("start recorder");
        }
    }

    let report = account.scan_regions(&[EU, US]);
    let r = result_of(&report, "guardduty-enabled", &format!("GuardDuty in {EU}"));
    assert_eq!(r["status"], "PASS", "{r}");
    assert_eq!(r["resource"]["region"], EU);
    let r = result_of(&report, "guardduty-enabled", &format!("GuardDuty in {US}"));
    assert_eq!(r["status"], "FAIL", "{r}");
    let r = result_of(&report, "config-recording", &format!("AWS Config in {EU}"));
    assert_eq!(r["status"], "PASS", "{r}");
    assert!(
        r["message"]
            .as_str()
            .is_some_and(|m| m.contains("global resources")),
        "{r}"
    );
    let r = result_of(&report, "config-recording", &format!("AWS Config in {US}"));
    assert_eq!(r["status"], "FAIL", "{r}");
    assert!(
        r["message"]
            .as_str()
            .is_some_and(|m| m.contains("is not recording")),
        "{r}"
    );

    // moto has no IAM Access Analyzer (the harness makes it unreachable): both of its
    // checks are ERROR in each region, with the failed call named, never PASS.
    for check in ["access-analyzer-enabled", "access-analyzer-external-access"] {
        for region in [EU, US] {
            let r = result_of(&report, check, &format!("IAM Access Analyzer in {region}"));
            assert_eq!(r["status"], "ERROR", "{check} in {region}: {r}");
            assert!(
                r["message"]
                    .as_str()
                    .is_some_and(|m| m.contains("ListAnalyzers")),
                "{r}"
            );
        }
    }
}
