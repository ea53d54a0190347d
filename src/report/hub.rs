//! Security Hub's security score, reproduced as the console computes it, per scanned region
//! where Security Hub is on.
//!
//! A control's status comes from its active, not suppressed findings: FAILED if any
//! failed, UNKNOWN if none failed but some are WARNING or NOT_AVAILABLE, PASSED if all
//! passed; a control without findings has no data and is left out. A standard's score is
//! `round(100 × passed / (passed + failed + unknown))` over its controls; the overall
//! score counts each control once across the enabled standards. When the enabled standards
//! cannot be listed, the scores are over the controls and standards seen in findings, and
//! `method` says so.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::Tally;
use super::model::CheckStatus;
use crate::inventory::Inventory;
use crate::inventory::securityhub::{ControlFindings, standard_key};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HubScore {
    pub region: String,
    /// How the scores were computed: over the enabled standards, or over the controls seen
    /// in findings (and why).
    pub method: String,
    #[serde(flatten)]
    pub overall: Tally,
    pub standards: Vec<StandardScore>,
    /// Failed controls across the scored standards, by id.
    pub failed_controls: Vec<FailedControl>,
    /// Archived or suppressed findings read and left out.
    pub findings_left_out: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StandardScore {
    /// `standards/aws-foundational-security-best-practices/v/1.0.0`.
    pub standard: String,
    pub name: String,
    #[serde(flatten)]
    pub tally: Tally,
    pub failed_controls: Vec<FailedControl>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FailedControl {
    pub id: String,
    pub title: String,
}

/// A control's status from its findings; `None`: no data.
pub fn control_status(c: &ControlFindings) -> Option<CheckStatus> {
    if c.failed > 0 {
        Some(CheckStatus::Failed)
    } else if c.other > 0 {
        Some(CheckStatus::Unknown)
    } else if c.passed > 0 {
        Some(CheckStatus::Passed)
    } else {
        None
    }
}

/// `AWS Foundational Security Best Practices v1.0.0` for its key.
pub fn standard_name(key: &str) -> String {
    let parts: Vec<&str> = key.split('/').collect();
    let slug = parts.get(1).copied().unwrap_or(key);
    let version = parts.get(3).map(|v| format!(" v{v}")).unwrap_or_default();
    let name = match slug {
        "aws-foundational-security-best-practices" => "AWS Foundational Security Best Practices",
        "cis-aws-foundations-benchmark" => "CIS AWS Foundations Benchmark",
        "nist-800-53" => "NIST SP 800-53",
        "nist-800-171" => "NIST SP 800-171",
        "pci-dss" => "PCI DSS",
        "aws-resource-tagging-standard" => "AWS Resource Tagging Standard",
        other => other,
    };
    format!("{name}{version}")
}

fn tally<'a>(controls: impl Iterator<Item = &'a ControlFindings>) -> (Tally, Vec<FailedControl>) {
    let mut t = Tally::default();
    let mut failed = Vec::new();
    for c in controls {
        if let Some(s) = control_status(c) {
            t.add(s);
            if s == CheckStatus::Failed {
                failed.push(FailedControl {
                    id: c.id.clone(),
                    title: c.title.clone(),
                });
            }
        }
    }
    failed.sort_by(|a, b| a.id.cmp(&b.id));
    (t.finish(), failed)
}

/// The score of every scanned region where Security Hub is on and its findings were read.
pub fn scores(inv: &Inventory) -> Vec<HubScore> {
    let mut out = Vec::new();
    for (region, r) in inv.regions() {
        let Ok(r) = r else { continue };
        let Ok(hub) = r.securityhub.get() else {
            continue;
        };
        if !hub.enabled {
            continue;
        }
        let Ok(controls) = hub.controls.get() else {
            continue;
        };
        let (keys, method): (Vec<String>, String) = match hub.standards.get() {
            Ok(enabled) => (
                enabled
                    .iter()
                    .map(|s| standard_key(&s.arn).to_string())
                    .collect(),
                "over the enabled standards (GetEnabledStandards), each control counted once"
                    .into(),
            ),
            Err(gap) => (
                controls
                    .iter()
                    .flat_map(|c| c.standards.iter().cloned())
                    .collect::<BTreeSet<_>>()
                    .into_iter()
                    .collect(),
                format!(
                    "over the controls seen in findings: the enabled standards could not be listed (GetEnabledStandards {})",
                    gap.error_code
                ),
            ),
        };
        let in_standard = |c: &ControlFindings, k: &str| c.standards.iter().any(|s| s == k);
        let standards: Vec<StandardScore> = keys
            .iter()
            .map(|k| {
                let (t, failed) = tally(controls.iter().filter(|c| in_standard(c, k)));
                StandardScore {
                    standard: k.clone(),
                    name: standard_name(k),
                    tally: t,
                    failed_controls: failed,
                }
            })
            .collect();
        let seen_only = hub.standards.get().is_err();
        let (overall, failed) = tally(
            controls
                .iter()
                .filter(|c| seen_only || keys.iter().any(|k| in_standard(c, k))),
        );
        out.push(HubScore {
            region: region.to_string(),
            method,
            overall,
            standards,
            failed_controls: failed,
            findings_left_out: hub.findings_left_out,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::Collected;
    use crate::inventory::securityhub::EnabledStandard;

    const FSBP: &str = "standards/aws-foundational-security-best-practices/v/1.0.0";
    const CIS: &str = "standards/cis-aws-foundations-benchmark/v/5.0.0";

    fn control(
        id: &str,
        passed: u64,
        failed: u64,
        other: u64,
        standards: &[&str],
    ) -> ControlFindings {
        ControlFindings {
            id: id.into(),
            title: format!("{id} title"),
            passed,
            failed,
            other,
            standards: standards.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn with_hub(
        controls: Vec<ControlFindings>,
        standards: Collected<Vec<EnabledStandard>>,
    ) -> Inventory {
        let mut inv = crate::checks::iam::fixtures::inventory(vec![]);
        if let Some(r) = inv.regional.get_mut("eu-west-1")
            && let Collected::Ok(h) = &mut r.securityhub
        {
            h.enabled = true;
            h.controls = Collected::Ok(controls);
            h.standards = standards;
        }
        inv
    }

    #[test]
    fn ten_of_thirteen_controls_is_77_percent_and_one_failed_finding_fails_a_control() {
        let mut controls: Vec<_> = (1..=10)
            .map(|i| control(&format!("IAM.{i}"), 2, 0, 0, &[FSBP]))
            .collect();
        // One failed finding among several passed ones: the control fails.
        controls.push(control("S3.1", 5, 1, 0, &[FSBP]));
        controls.push(control("S3.8", 0, 2, 0, &[FSBP]));
        controls.push(control("EC2.2", 0, 1, 0, &[FSBP]));
        // A control with no active findings has no data and is left out.
        controls.push(control("RDS.2", 0, 0, 0, &[FSBP]));
        let inv = with_hub(
            controls,
            Collected::Ok(vec![EnabledStandard {
                arn: format!("arn:aws:securityhub:eu-west-1::{FSBP}"),
                status: "READY".into(),
            }]),
        );
        let s = scores(&inv);
        assert_eq!(s.len(), 1);
        assert_eq!((s[0].overall.passed, s[0].overall.failed), (10, 3));
        assert_eq!(s[0].overall.percent, Some(77));
        assert_eq!(s[0].standards[0].tally.percent, Some(77));
        assert_eq!(
            s[0].standards[0].name,
            "AWS Foundational Security Best Practices v1.0.0"
        );
        let failed: Vec<&str> = s[0].failed_controls.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(failed, ["EC2.2", "S3.1", "S3.8"]);
        assert!(s[0].method.contains("enabled standards"));
    }

    #[test]
    fn unknown_controls_count_and_controls_are_counted_once_across_standards() {
        let controls = vec![
            control("IAM.1", 1, 0, 0, &[FSBP, CIS]),
            control("IAM.2", 1, 0, 1, &[FSBP]),
            control("S3.1", 0, 1, 0, &[CIS]),
        ];
        let inv = with_hub(
            controls,
            Collected::Ok(vec![
                EnabledStandard {
                    arn: format!("arn:aws:securityhub:eu-west-1::{FSBP}"),
                    status: "READY".into(),
                },
                EnabledStandard {
                    arn: format!("arn:aws:securityhub:eu-west-1::{CIS}"),
                    status: "READY".into(),
                },
            ]),
        );
        let s = &scores(&inv)[0];
        // IAM.2 is UNKNOWN (a WARNING and no failure) and counts in the denominator.
        let fsbp = &s.standards[0].tally;
        assert_eq!(
            (fsbp.passed, fsbp.failed, fsbp.unknown, fsbp.percent),
            (1, 0, 1, Some(50))
        );
        let cis = &s.standards[1].tally;
        assert_eq!((cis.passed, cis.failed, cis.percent), (1, 1, Some(50)));
        // Overall: IAM.1 once, IAM.2, S3.1: 1 of 3.
        assert_eq!(
            (
                s.overall.passed,
                s.overall.failed,
                s.overall.unknown,
                s.overall.percent
            ),
            (1, 1, 1, Some(33))
        );
    }

    #[test]
    fn without_the_enabled_standards_the_score_is_over_what_findings_show_and_says_so() {
        let gap = crate::checks::iam::fixtures::gap("GetEnabledStandards", "HttpStatus404");
        let inv = with_hub(
            vec![
                control("IAM.1", 1, 0, 0, &[FSBP]),
                control("S3.1", 0, 1, 0, &[CIS]),
            ],
            Collected::Gap(gap),
        );
        let s = &scores(&inv)[0];
        assert_eq!(s.overall.percent, Some(50));
        assert_eq!(s.standards.len(), 2, "the standards seen in findings");
        assert!(
            s.method.contains("seen in findings") && s.method.contains("HttpStatus404"),
            "{}",
            s.method
        );
    }

    #[test]
    fn regions_without_security_hub_or_findings_have_no_score() {
        let inv = crate::checks::iam::fixtures::inventory(vec![]);
        assert!(scores(&inv).iter().all(|s| s.overall.percent.is_none()));
        let mut inv = with_hub(vec![], Collected::Ok(vec![]));
        if let Some(r) = inv.regional.get_mut("eu-west-1")
            && let Collected::Ok(h) = &mut r.securityhub
        {
            h.enabled = false;
        }
        assert!(scores(&inv).is_empty());
    }
}
