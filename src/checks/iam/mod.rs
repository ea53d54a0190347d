//! Identity & access checks: root, users, password policy, privileges, deploy credentials.

pub mod escalation;
pub mod github;
pub mod holdings;
pub mod oidc;
pub mod password;
pub mod privileges;
pub mod root;
pub mod users;

use crate::checks::Finding;
use crate::inventory::Gap;
use crate::inventory::Inventory;
use crate::inventory::iam::{CredentialReport, CredentialReportRow};

/// Where a fact about the root account comes from.
pub(crate) enum RootSource<'a> {
    /// The credential report's `<root_account>` row: the authoritative source.
    Report(&'a CredentialReportRow),
    /// GetAccountSummary's counters, used when the report has no root row.
    Summary(&'a std::collections::BTreeMap<String, i64>),
    /// Neither could be collected.
    Gap(&'a Gap),
}

/// Adds the credential report's date to a finding: AWS reuses a report for up to four
/// hours, so the auditor sees how fresh the data behind the verdict is.
pub(crate) fn stamp(f: Finding, report: &CredentialReport) -> Finding {
    match report.generated_at {
        Some(d) => f.with("credential_report_generated_at", d.to_rfc3339()),
        None => f,
    }
}

/// The moment `days` days before the scan started (clamped, never a panic, whatever date a
/// hand-edited inventory carries).
pub(crate) fn days_before(inv: &Inventory, days: i64) -> chrono::DateTime<chrono::Utc> {
    chrono::Duration::try_days(days)
        .and_then(|d| inv.started_at.checked_sub_signed(d))
        .unwrap_or(chrono::DateTime::<chrono::Utc>::MIN_UTC)
}

pub(crate) fn root_source(inv: &Inventory) -> RootSource<'_> {
    let report = inv.iam.credential_report.get();
    if let Ok(Some(row)) = report.map(|r| r.root()) {
        return RootSource::Report(row);
    }
    match (inv.iam.account_summary.get(), report) {
        (Ok(summary), _) => RootSource::Summary(summary),
        (Err(gap), Ok(_)) => RootSource::Gap(gap),
        (Err(_), Err(gap)) => RootSource::Gap(gap),
    }
}

#[cfg(test)]
pub(crate) mod fixtures {
    //! Hand-made inventories for the checks' unit tests.

    use std::collections::BTreeMap;

    use chrono::{DateTime, Duration, TimeZone, Utc};

    use crate::inventory::iam::*;
    use crate::inventory::{Account, Collected, Gap, Inventory, Tool};

    pub fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 1, 12, 0, 0)
            .single()
            .expect("valid date")
    }

    pub fn days_ago(days: i64) -> Option<DateTime<Utc>> {
        Some(now() - Duration::days(days))
    }

    /// The account every fixture lives in.
    pub const ACCOUNT: &str = "123456789012";

    /// A user with nothing attached: add what a test needs with the `with_*` builders, so
    /// that a new inventory field changes this one place, not every test.
    pub fn iam_user(name: &str) -> User {
        User {
            name: name.into(),
            arn: format!("arn:aws:iam::{ACCOUNT}:user/{name}"),
            id: format!("AIDA{name}"),
            groups: vec![],
            attached_managed_policies: vec![],
            inline_policies: vec![],
            permissions_boundary: None,
        }
    }

    /// A role with the given trust policy and nothing attached.
    pub fn iam_role(name: &str, trust: serde_json::Value) -> Role {
        Role {
            name: name.into(),
            arn: format!("arn:aws:iam::{ACCOUNT}:role/{name}"),
            id: format!("AROA{name}"),
            trust_policy: Some(trust),
            attached_managed_policies: vec![],
            inline_policies: vec![],
            permissions_boundary: None,
        }
    }

    /// A group with nothing attached.
    pub fn iam_group(name: &str) -> Group {
        Group {
            name: name.into(),
            arn: format!("arn:aws:iam::{ACCOUNT}:group/{name}"),
            id: format!("AGPA{name}"),
            attached_managed_policies: vec![],
            inline_policies: vec![],
        }
    }

    /// A customer managed policy of the account, attached once.
    pub fn customer_policy(name: &str, doc: serde_json::Value) -> ManagedPolicy {
        ManagedPolicy {
            name: name.into(),
            arn: format!("arn:aws:iam::{ACCOUNT}:policy/{name}"),
            id: format!("ANPA{name}"),
            attachment_count: 1,
            document: Some(doc),
            other_versions: vec![],
        }
    }

    /// An attachment of the managed policy `arn`.
    pub fn attachment(arn: &str) -> AttachedPolicy {
        AttachedPolicy {
            name: arn.rsplit('/').next().unwrap_or(arn).into(),
            arn: arn.into(),
        }
    }

    fn inline(name: &str, doc: serde_json::Value) -> InlinePolicy {
        InlinePolicy {
            name: name.into(),
            document: Some(doc),
        }
    }

    /// `with_inline` and `with_attached` for every principal type.
    macro_rules! policy_builders {
        ($($t:ty),*) => {$(
            impl $t {
                pub fn with_inline(mut self, name: &str, doc: serde_json::Value) -> Self {
                    self.inline_policies.push(inline(name, doc));
                    self
                }

                pub fn with_attached(mut self, arn: &str) -> Self {
                    self.attached_managed_policies.push(attachment(arn));
                    self
                }
            }
        )*};
    }
    policy_builders!(User, Role, Group);

    impl User {
        pub fn in_groups(mut self, groups: &[&str]) -> Self {
            self.groups = groups.iter().map(|g| g.to_string()).collect();
            self
        }

        pub fn with_boundary(mut self, arn: &str) -> Self {
            self.permissions_boundary = Some(arn.into());
            self
        }
    }

    pub fn gap(operation: &str, code: &str) -> Gap {
        Gap {
            service: "IAM".into(),
            region: "global".into(),
            operation: operation.into(),
            error_code: code.into(),
            message: "User is not authorized".into(),
        }
    }

    pub fn row(user: &str) -> CredentialReportRow {
        CredentialReportRow {
            user: user.into(),
            arn: if user == ROOT_USER {
                "arn:aws:iam::123456789012:root".into()
            } else {
                format!("arn:aws:iam::123456789012:user/{user}")
            },
            user_creation_time: days_ago(400),
            password_enabled: if user == ROOT_USER { None } else { Some(false) },
            password_last_used: None,
            password_last_changed: None,
            mfa_active: false,
            access_keys: [1u8, 2]
                .into_iter()
                .map(|slot| AccessKeyReport {
                    slot,
                    active: false,
                    last_rotated: None,
                    last_used_date: None,
                    last_used_region: None,
                    last_used_service: None,
                })
                .collect(),
        }
    }

    /// An inventory whose credential report holds `rows`, with every other part empty.
    pub fn inventory(rows: Vec<CredentialReportRow>) -> Inventory {
        Inventory {
            schema_version: crate::inventory::SCHEMA_VERSION,
            tool: Tool::this(),
            account: Account {
                id: "123456789012".into(),
                partition: "aws".into(),
                scanned_by: "arn:aws:iam::123456789012:user/auditor".into(),
            },
            regions: vec!["eu-west-1".into()],
            skipped_regions: Collected::Ok(Vec::new()),
            started_at: now(),
            finished_at: now(),
            iam: IamInventory {
                credential_report: Collected::Ok(CredentialReport {
                    generated_at: Some(now()),
                    users: rows,
                }),
                account_summary: Collected::Ok(BTreeMap::new()),
                password_policy: Collected::Ok(None),
                virtual_mfa_devices: Collected::Ok(Vec::new()),
                authorization_details: Collected::Ok(AuthorizationDetails::default()),
                oidc_providers: Collected::Ok(Vec::new()),
            },
            s3: Collected::Ok(crate::inventory::s3::S3Inventory {
                account_public_access_block: Collected::Ok(Some(
                    crate::inventory::s3::PublicAccessBlock::ALL,
                )),
                buckets: Collected::Ok(Vec::new()),
                outside_scan: Vec::new(),
            }),
            // One trail as CIS 3.1 asks, delivering to a bucket of another account.
            cloudtrail: Collected::Ok(crate::inventory::cloudtrail::CloudTrailInventory {
                trails: vec![crate::inventory::cloudtrail::Trail {
                    name: "main".into(),
                    arn: "arn:aws:cloudtrail:eu-west-1:123456789012:trail/main".into(),
                    home_region: "eu-west-1".into(),
                    multi_region: true,
                    organization: false,
                    log_file_validation: true,
                    bucket: Some("org-log-archive".into()),
                    logging: Collected::Ok(true),
                    custom_selectors: false,
                    selectors: Some(Collected::Ok(
                        crate::inventory::cloudtrail::Selectors::default(),
                    )),
                }],
            }),
            regional: [("eu-west-1".to_string(), empty_region())].into(),
            api_calls: Vec::new(),
        }
    }

    /// A region where everything was collected and nothing exists.
    pub fn empty_region() -> crate::inventory::RegionInventory {
        crate::inventory::RegionInventory {
            ec2: Collected::Ok(crate::inventory::ec2::Ec2Inventory {
                security_groups: Collected::Ok(Vec::new()),
                prefix_lists: Collected::Ok(Vec::new()),
            }),
            rds: Collected::Ok(crate::inventory::rds::RdsInventory {
                instances: Collected::Ok(Vec::new()),
                clusters: Collected::Ok(Vec::new()),
                snapshots: Collected::Ok(Vec::new()),
                cluster_snapshots: Collected::Ok(Vec::new()),
            }),
            cognito: Collected::Ok(crate::inventory::cognito::CognitoInventory {
                user_pools: Vec::new(),
            }),
            securityhub: Collected::Ok(crate::inventory::securityhub::SecurityHubInventory {
                enabled: true,
                standards: Collected::Ok(Vec::new()),
                controls: Collected::Ok(Vec::new()),
                findings_left_out: 0,
            }),
            guardduty: Collected::Ok(crate::inventory::detection::GuardDutyInventory {
                detectors: vec![crate::inventory::detection::Detector {
                    id: "d1".into(),
                    status: Collected::Ok("ENABLED".into()),
                    high_findings: Collected::Ok(0),
                }],
            }),
            config: Collected::Ok(crate::inventory::detection::ConfigInventory {
                recorders: vec![crate::inventory::detection::Recorder {
                    name: "default".into(),
                    all_supported: true,
                    include_global_resource_types: true,
                    recording: Some(true),
                    last_status: Some("Success".into()),
                }],
            }),
            access_analyzer: Collected::Ok(crate::inventory::detection::AccessAnalyzerInventory {
                analyzers: vec![crate::inventory::detection::Analyzer {
                    arn: "arn:aws:access-analyzer:eu-west-1:123456789012:analyzer/account".into(),
                    name: "account".into(),
                    kind: "ACCOUNT".into(),
                    status: "ACTIVE".into(),
                    findings: Some(Collected::Ok(Vec::new())),
                }],
            }),
        }
    }
}

#[cfg(test)]
mod verdicts {
    //! A table of policies and trust policies with the verdicts IAM's documented
    //! evaluation rules give them (`tests/data/iam_verdicts.json`, each with its reason),
    //! judged by `admin-privileges` and `github-oidc-trust` as a scan would.

    use serde_json::{Value, json};

    use crate::checks::{Status, find};
    use crate::inventory::Inventory;

    #[test]
    fn every_case_gets_the_verdict_iam_gives_it() {
        let cases: Vec<Value> = serde_json::from_str(include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/data/iam_verdicts.json"
        )))
        .expect("valid case file");
        let acct = "123456789012";
        let (mut users, mut roles) = (Vec::new(), Vec::new());
        for (i, c) in cases.iter().enumerate() {
            if c["kind"] == "admin" {
                users.push(
                    json!({"name": format!("u{i}"), "arn": format!("arn:aws:iam::{acct}:user/u{i}"),
                    "id": format!("AIDA{i}"), "groups": [], "attached_managed_policies": [],
                    "inline_policies": [{"name": "p", "document": c["policy"]}]}),
                );
            } else {
                roles.push(
                    json!({"name": format!("r{i}"), "arn": format!("arn:aws:iam::{acct}:role/r{i}"),
                    "id": format!("AROA{i}"), "trust_policy": c["trust"],
                    "attached_managed_policies": [], "inline_policies": []}),
                );
            }
        }
        let inv: Inventory = serde_json::from_value(json!({
            "schema_version": 1, "tool": {"name": "postura", "version": "0"},
            "account": {"id": acct, "partition": "aws", "scanned_by": "test"},
            "regions": ["eu-west-1"], "started_at": "2026-12-01T00:00:00Z", "finished_at": "2026-12-01T00:00:00Z",
            "iam": {
                "credential_report": {"ok": {"generated_at": null, "users": []}},
                "account_summary": {"ok": {}}, "password_policy": {"ok": null}, "virtual_mfa_devices": {"ok": []},
                "authorization_details": {"ok": {"users": users, "groups": [], "roles": roles, "policies": []}},
                "oidc_providers": {"ok": [{"arn": format!("arn:aws:iam::{acct}:oidc-provider/token.actions.githubusercontent.com"),
                    "url": "token.actions.githubusercontent.com", "client_ids": ["sts.amazonaws.com"], "thumbprints": []}]}
            },
            "api_calls": []
        }))
        .expect("a valid inventory");
        let admin = find("admin-privileges").expect("registered").run(&inv);
        let github = find("github-oidc-trust").expect("registered").run(&inv);
        let mut wrong = Vec::new();
        for (i, c) in cases.iter().enumerate() {
            let (results, id) = if c["kind"] == "admin" {
                (&admin, format!("u{i}:p"))
            } else {
                (&github, format!("r{i}"))
            };
            let got = results
                .iter()
                .find(|f| f.resource.id == id)
                .map(|f| f.status)
                .map_or("NONE", Status::as_str);
            if got != c["expect"] {
                wrong.push(format!(
                    "{}: expected {}, got {got} ({})",
                    c["name"], c["expect"], c["why"]
                ));
            }
        }
        assert!(cases.len() >= 70, "the table shrank to {}", cases.len());
        assert!(
            wrong.is_empty(),
            "{} cases disagree:\n{}",
            wrong.len(),
            wrong.join("\n")
        );
    }
}
