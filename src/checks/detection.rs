//! GuardDuty and AWS Config, in every scanned region.

use serde_json::json;

use crate::checks::{Finding, Resource};
use crate::inventory::Inventory;
use crate::inventory::detection::reports_external_access as is_external;

fn stand_in(inv: &Inventory, region: &str, service: &str, what: &str, kind: &str) -> Resource {
    Resource::all_in_region(inv, region, service, "*", kind, what)
}

pub fn guardduty_enabled(inv: &Inventory) -> Vec<Finding> {
    let mut out = Vec::new();
    let res = |r: &str| stand_in(inv, r, "guardduty", "GuardDuty", "AwsGuardDutyDetector");
    let regions = crate::checks::regional::collected(inv, &mut out, res, |r| r.guardduty.get());
    for (region, _, gd) in regions {
        let enabled: Vec<_> = gd
            .detectors
            .iter()
            .filter(|d| matches!(d.status.get(), Ok(s) if s == "ENABLED"))
            .collect();
        let unknown: Vec<_> = gd
            .detectors
            .iter()
            .filter(|d| d.status.get().is_err())
            .collect();
        let evidence = json!(gd
            .detectors
            .iter()
            .map(|d| json!({"detector": d.id, "status": d.status.get().ok(), "high_findings": d.high_findings.get().ok()}))
            .collect::<Vec<_>>());
        let f = if let Some(d) = enabled.first() {
            let findings = match d.high_findings.get() {
                Ok(0) => "no unarchived finding of high severity".to_string(),
                Ok(1) => "1 unarchived finding of high severity".to_string(),
                Ok(n) => format!("{n} unarchived findings of high severity"),
                Err(g) => format!(
                    "its findings could not be counted ({} {})",
                    g.operation, g.error_code
                ),
            };
            Finding::pass(
                res(region),
                format!(
                    "GuardDuty's detector {} is enabled in {region}: {findings}",
                    d.id
                ),
            )
        } else if let Some(Err(g)) = unknown.first().map(|d| d.status.get()) {
            Finding::gap(res(region), g)
        } else if gd.detectors.is_empty() {
            Finding::fail(
                res(region),
                format!("GuardDuty has no detector in {region}: threats there go undetected"),
            )
        } else {
            Finding::fail(
                res(region),
                format!("GuardDuty's detector in {region} is suspended or disabled"),
            )
        };
        out.push(f.with("detectors", evidence));
    }
    out
}

pub fn config_recording(inv: &Inventory) -> Vec<Finding> {
    let mut out = Vec::new();
    let res = |r: &str| {
        stand_in(
            inv,
            r,
            "config",
            "AWS Config",
            "AwsConfigConfigurationRecorder",
        )
    };
    let regions = crate::checks::regional::collected(inv, &mut out, res, |r| r.config.get());
    for (region, _, cfg) in regions {
        let evidence = serde_json::to_value(&cfg.recorders).unwrap_or_default();
        let good = cfg
            .recorders
            .iter()
            // CIS 3.3 asks for a recorder that records, and whose last delivery did not fail
            // (PENDING is a new recorder's state, and the emulator's).
            .find(|r| {
                r.all_supported
                    && r.recording == Some(true)
                    && r.last_status.as_deref() != Some("Failure")
            });
        let f = match good {
            Some(r) => Finding::pass(
                res(region),
                format!(
                    "AWS Config's recorder {} records every supported resource type in {region}{}",
                    r.name,
                    if r.include_global_resource_types {
                        ", global resources (IAM) included"
                    } else {
                        ""
                    },
                ),
            ),
            None if cfg.recorders.is_empty() => Finding::fail(
                res(region),
                format!(
                    "AWS Config has no recorder in {region}: no history of resource configurations there"
                ),
            ),
            None => {
                let why: Vec<String> = cfg
                    .recorders
                    .iter()
                    .map(|r| {
                        let mut w = Vec::new();
                        if r.recording != Some(true) {
                            w.push("is not recording");
                        }
                        if !r.all_supported {
                            w.push("records only some resource types");
                        }
                        if r.last_status.as_deref() == Some("Failure") {
                            w.push("failed to deliver its last recording");
                        }
                        format!("{} {}", r.name, w.join(" and "))
                    })
                    .collect();
                Finding::fail(
                    res(region),
                    format!(
                        "AWS Config in {region} does not record everything: {}",
                        why.join("; ")
                    ),
                )
            }
        };
        out.push(f.with("recorders", evidence));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Status;
    use crate::inventory::Collected;
    use crate::inventory::detection::{ConfigInventory, Detector, GuardDutyInventory, Recorder};

    fn region(inv: &mut Inventory) -> &mut crate::inventory::RegionInventory {
        inv.regional.get_mut("eu-west-1").expect("fixture region")
    }

    #[test]
    fn guardduty_enabled_disabled_absent_and_unknown() {
        let mut inv = crate::checks::iam::fixtures::inventory(vec![]);
        let f = guardduty_enabled(&inv);
        assert_eq!(f[0].status, Status::Pass);
        assert!(
            f[0].message
                .contains("no unarchived finding of high severity"),
            "{}",
            f[0].message
        );
        let detector = |status: Collected<String>, high: Collected<u64>| GuardDutyInventory {
            detectors: vec![Detector {
                id: "d1".into(),
                status,
                high_findings: high,
            }],
        };
        region(&mut inv).guardduty =
            Collected::Ok(detector(Collected::Ok("ENABLED".into()), Collected::Ok(3)));
        assert!(
            guardduty_enabled(&inv)[0]
                .message
                .contains("3 unarchived findings")
        );
        let gap = crate::checks::iam::fixtures::gap("GetFindingsStatistics", "BadRequestException");
        region(&mut inv).guardduty = Collected::Ok(detector(
            Collected::Ok("ENABLED".into()),
            Collected::Gap(gap.clone()),
        ));
        let f = guardduty_enabled(&inv);
        assert_eq!(
            f[0].status,
            Status::Pass,
            "the detector decides; the count is told as unknown"
        );
        assert!(
            f[0].message.contains("could not be counted"),
            "{}",
            f[0].message
        );
        region(&mut inv).guardduty =
            Collected::Ok(detector(Collected::Ok("DISABLED".into()), Collected::Ok(0)));
        assert_eq!(guardduty_enabled(&inv)[0].status, Status::Fail);
        region(&mut inv).guardduty = Collected::Ok(GuardDutyInventory { detectors: vec![] });
        assert_eq!(guardduty_enabled(&inv)[0].status, Status::Fail);
        region(&mut inv).guardduty =
            Collected::Ok(detector(Collected::Gap(gap.clone()), Collected::Ok(0)));
        assert_eq!(guardduty_enabled(&inv)[0].status, Status::Error);
        region(&mut inv).guardduty = Collected::Gap(gap);
        assert_eq!(guardduty_enabled(&inv)[0].status, Status::Error);
    }

    #[test]
    fn config_recording_everything_or_not() {
        let mut inv = crate::checks::iam::fixtures::inventory(vec![]);
        assert_eq!(config_recording(&inv)[0].status, Status::Pass);
        let rec = |all: bool, recording: Option<bool>| ConfigInventory {
            recorders: vec![Recorder {
                name: "default".into(),
                all_supported: all,
                include_global_resource_types: false,
                recording,
                last_status: Some("Pending".into()),
            }],
        };
        region(&mut inv).config = Collected::Ok(rec(true, Some(false)));
        let f = config_recording(&inv);
        assert_eq!(f[0].status, Status::Fail);
        assert!(
            f[0].message.contains("is not recording"),
            "{}",
            f[0].message
        );
        region(&mut inv).config = Collected::Ok(rec(false, Some(true)));
        assert!(
            config_recording(&inv)[0]
                .message
                .contains("only some resource types")
        );
        region(&mut inv).config = Collected::Ok(rec(true, None));
        assert_eq!(config_recording(&inv)[0].status, Status::Fail);
        // Recording, but its last delivery failed: CIS 3.3 asks for SUCCESS (or a new
        // recorder's PENDING).
        let mut failing = rec(true, Some(true));
        failing.recorders[0].last_status = Some("Failure".into());
        region(&mut inv).config = Collected::Ok(failing);
        let f = config_recording(&inv);
        assert_eq!(f[0].status, Status::Fail, "{}", f[0].message);
        assert!(
            f[0].message.contains("failed to deliver"),
            "{}",
            f[0].message
        );
        region(&mut inv).config = Collected::Ok(ConfigInventory { recorders: vec![] });
        assert_eq!(config_recording(&inv)[0].status, Status::Fail);
        region(&mut inv).config = Collected::Gap(crate::checks::iam::fixtures::gap(
            "DescribeConfigurationRecorders",
            "AccessDeniedException",
        ));
        assert_eq!(config_recording(&inv)[0].status, Status::Error);
    }
}

fn analyzer_stand_in(inv: &Inventory, region: &str) -> Resource {
    stand_in(
        inv,
        region,
        "access-analyzer",
        "IAM Access Analyzer",
        "AwsAccessAnalyzer",
    )
}

pub fn access_analyzer_enabled(inv: &Inventory) -> Vec<Finding> {
    let mut out = Vec::new();
    let res = |r: &str| analyzer_stand_in(inv, r);
    let regions =
        crate::checks::regional::collected(inv, &mut out, res, |r| r.access_analyzer.get());
    for (region, _, aa) in regions {
        let active: Vec<_> = aa
            .analyzers
            .iter()
            .filter(|a| is_external(&a.kind) && a.status == "ACTIVE")
            .collect();
        let evidence = json!(
            aa.analyzers
                .iter()
                .map(|a| json!({"analyzer": a.arn, "type": a.kind, "status": a.status}))
                .collect::<Vec<_>>()
        );
        let f = match active.first() {
            Some(a) => Finding::pass(
                res(region),
                format!(
                    "IAM Access Analyzer's {} analyzer {} is active in {region}",
                    a.kind.to_lowercase(),
                    a.name
                ),
            ),
            None if aa.analyzers.iter().any(|a| is_external(&a.kind)) => Finding::fail(
                res(region),
                format!(
                    "IAM Access Analyzer in {region} has an external-access analyzer, but none is active"
                ),
            ),
            None => Finding::fail(
                res(region),
                format!(
                    "IAM Access Analyzer has no external-access analyzer (account or organization) in {region}: resources shared outside the account there go unnoticed"
                ),
            ),
        };
        out.push(f.with("analyzers", evidence));
    }
    out
}

pub fn access_analyzer_external_access(inv: &Inventory) -> Vec<Finding> {
    let mut out = Vec::new();
    let res = |r: &str| analyzer_stand_in(inv, r);
    let regions =
        crate::checks::regional::collected(inv, &mut out, res, |r| r.access_analyzer.get());
    for (region, _, aa) in regions {
        let mut any = false;
        for a in aa
            .analyzers
            .iter()
            .filter(|a| is_external(&a.kind) && a.status == "ACTIVE")
        {
            any = true;
            let findings = match a.findings.as_ref().map(|f| f.get()) {
                Some(Ok(f)) => f,
                Some(Err(gap)) => {
                    out.push(Finding::gap(res(region), gap));
                    continue;
                }
                None => {
                    out.push(Finding::error(
                        res(region),
                        format!("analyzer {}'s findings were not read", a.name),
                    ));
                    continue;
                }
            };
            if findings.is_empty() {
                out.push(Finding::pass(
                    res(region),
                    format!(
                        "analyzer {} has no active external-access finding in {region}",
                        a.name
                    ),
                ));
            }
            for f in findings {
                let who: Vec<String> = f
                    .principal
                    .iter()
                    .map(|(k, v)| format!("{k} {v}"))
                    .collect();
                let resource = Resource {
                    arn: f.resource.clone(),
                    id: f
                        .resource
                        .rsplit([':', '/'])
                        .next()
                        .unwrap_or(&f.resource)
                        .to_string(),
                    kind: f.resource_type.clone(),
                    region: region.into(),
                };
                out.push(
                    Finding::fail(
                        resource,
                        format!(
                            "{} {} is shared outside the account{}: {} ({})",
                            f.resource_type,
                            f.resource,
                            if f.public { ", with everyone" } else { "" },
                            if who.is_empty() {
                                "principal not named".to_string()
                            } else {
                                who.join(", ")
                            },
                            f.actions.join(", ")
                        ),
                    )
                    .with("finding", f.id.clone())
                    .with("analyzer", a.arn.clone()),
                );
            }
        }
        if !any {
            out.push(Finding::error(
                res(region),
                format!("no active external-access analyzer in {region}, so what is shared outside the account there is unknown"),
            ));
        }
    }
    out
}

#[cfg(test)]
mod analyzer_tests {
    use super::*;
    use crate::checks::Status;
    use crate::inventory::Collected;
    use crate::inventory::detection::{AccessAnalyzerInventory, Analyzer, ExternalAccess};

    fn with(analyzers: Vec<Analyzer>) -> Inventory {
        let mut inv = crate::checks::iam::fixtures::inventory(vec![]);
        if let Some(r) = inv.regional.get_mut("eu-west-1") {
            r.access_analyzer = Collected::Ok(AccessAnalyzerInventory { analyzers });
        }
        inv
    }

    fn analyzer(
        kind: &str,
        status: &str,
        findings: Option<Collected<Vec<ExternalAccess>>>,
    ) -> Analyzer {
        Analyzer {
            arn: "arn:aws:access-analyzer:eu-west-1:123456789012:analyzer/a".into(),
            name: "a".into(),
            kind: kind.into(),
            status: status.into(),
            findings,
        }
    }

    #[test]
    fn an_active_external_access_analyzer_in_each_region() {
        let inv = with(vec![analyzer(
            "ACCOUNT",
            "ACTIVE",
            Some(Collected::Ok(vec![])),
        )]);
        assert_eq!(access_analyzer_enabled(&inv)[0].status, Status::Pass);
        assert_eq!(
            access_analyzer_external_access(&inv)[0].status,
            Status::Pass
        );
        let inv = with(vec![analyzer("ACCOUNT_UNUSED_ACCESS", "ACTIVE", None)]);
        assert_eq!(
            access_analyzer_enabled(&inv)[0].status,
            Status::Fail,
            "unused access is not external access"
        );
        assert_eq!(
            access_analyzer_external_access(&inv)[0].status,
            Status::Error
        );
        let inv = with(vec![analyzer("ORGANIZATION", "DISABLED", None)]);
        assert_eq!(access_analyzer_enabled(&inv)[0].status, Status::Fail);
        assert_eq!(
            access_analyzer_enabled(&with(vec![]))[0].status,
            Status::Fail
        );
        // moto has no Access Analyzer: the region's list is a gap, and both checks ERROR.
        let mut inv = with(vec![]);
        if let Some(r) = inv.regional.get_mut("eu-west-1") {
            r.access_analyzer = Collected::Gap(crate::checks::iam::fixtures::gap(
                "ListAnalyzers",
                "HttpStatus404",
            ));
        }
        assert_eq!(access_analyzer_enabled(&inv)[0].status, Status::Error);
        assert_eq!(
            access_analyzer_external_access(&inv)[0].status,
            Status::Error
        );
    }

    #[test]
    fn each_active_finding_names_the_resource_and_who_gets_in() {
        let shared = ExternalAccess {
            id: "f1".into(),
            resource: "arn:aws:s3:::exports".into(),
            resource_type: "AWS::S3::Bucket".into(),
            principal: vec![("AWS".into(), "999999999999".into())],
            public: false,
            actions: vec!["s3:GetObject".into()],
        };
        let inv = with(vec![analyzer(
            "ACCOUNT",
            "ACTIVE",
            Some(Collected::Ok(vec![shared])),
        )]);
        let f = access_analyzer_external_access(&inv);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].status, Status::Fail);
        assert_eq!(f[0].resource.arn, "arn:aws:s3:::exports");
        assert!(
            f[0].message.contains("AWS 999999999999") && f[0].message.contains("s3:GetObject"),
            "{}",
            f[0].message
        );
        let inv = with(vec![analyzer(
            "ACCOUNT",
            "ACTIVE",
            Some(Collected::Gap(crate::checks::iam::fixtures::gap(
                "ListFindings",
                "ThrottlingException",
            ))),
        )]);
        assert_eq!(
            access_analyzer_external_access(&inv)[0].status,
            Status::Error
        );
    }
}
