//! Checks: pure functions of the inventory.
//!
//! Each check looks at the inventory and yields one [`Finding`] per resource it looked at:
//! PASS, FAIL, or ERROR when the data it needs is a gap. Its metadata (title, severity,
//! area, rationale, remediation, references, CIS and FSBP mappings) is a TOML file in the
//! repository's `checks/` folder, named after the id and embedded at build time.
//!
//! Adding a check: write the function, add one line to [`REGISTRY`], add
//! `checks/<id>.toml`, and a failing and a passing test.

pub mod cloudtrail;
pub mod cognito;
pub mod detection;
pub mod ec2;
pub mod finding;
pub mod iam;
pub mod metadata;
pub mod rds;
pub mod regional;
pub mod s3;
pub mod securityhub;

use crate::inventory::Inventory;
pub use finding::{Finding, Resource, Status};
pub use metadata::{Area, Metadata, Severity};

/// A registered check.
pub struct Check {
    /// The check's id: written here, in its registry line, and in `checks/<id>.toml`'s
    /// name and `id`, nowhere else. Its findings get it from here.
    pub id: &'static str,
    /// The TOML text of `checks/<id>.toml`.
    pub metadata_source: &'static str,
    judge: fn(&Inventory) -> Vec<Finding>,
}

impl Check {
    /// Runs the check; its findings carry its id.
    pub fn run(&self, inv: &Inventory) -> Vec<Finding> {
        let mut findings = (self.judge)(inv);
        for f in &mut findings {
            f.check_id = self.id.to_string();
        }
        findings
    }
}

macro_rules! check {
    ($id:literal, $run:path) => {
        Check {
            id: $id,
            metadata_source: include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/checks/",
                $id,
                ".toml"
            )),
            judge: $run,
        }
    };
}

/// Every check postura runs, in the order they are listed by `postura checks`.
pub static REGISTRY: &[Check] = &[
    check!("root-mfa", iam::root::root_mfa),
    check!("root-hardware-mfa", iam::root::root_hardware_mfa),
    check!("root-access-keys", iam::root::root_access_keys),
    check!("root-recent-use", iam::root::root_recent_use),
    check!("user-console-mfa", iam::users::user_console_mfa),
    check!("access-key-rotation", iam::users::access_key_rotation),
    check!("unused-credentials", iam::users::unused_credentials),
    check!("multiple-active-keys", iam::users::multiple_active_keys),
    check!("user-direct-policies", iam::users::user_direct_policies),
    check!("password-policy", iam::password::password_policy),
    check!("admin-privileges", iam::privileges::admin_privileges),
    check!(
        "privilege-escalation",
        iam::escalation::privilege_escalation
    ),
    check!("github-oidc-trust", iam::github::github_oidc_trust),
    check!(
        "github-oidc-provider-audience",
        iam::oidc::github_oidc_provider_audience
    ),
    check!(
        "oidc-trust-unknown-provider",
        iam::oidc::oidc_trust_unknown_provider
    ),
    check!("ci-long-lived-keys", iam::users::ci_long_lived_keys),
    check!(
        "sg-open-admin-ports",
        ec2::security_groups::sg_open_admin_ports
    ),
    check!(
        "sg-open-high-risk-ports",
        ec2::security_groups::sg_open_high_risk_ports
    ),
    check!(
        "sg-open-database-ports",
        ec2::security_groups::sg_open_database_ports
    ),
    check!(
        "sg-open-all-traffic",
        ec2::security_groups::sg_open_all_traffic
    ),
    check!(
        "sg-open-unauthorized-ports",
        ec2::security_groups::sg_open_unauthorized_ports
    ),
    check!(
        "sg-default-restricts-all",
        ec2::security_groups::sg_default_restricts_all
    ),
    check!(
        "rds-publicly-reachable",
        rds::instances::rds_publicly_reachable
    ),
    check!(
        "rds-publicly-accessible",
        rds::instances::rds_publicly_accessible
    ),
    check!(
        "rds-ingress-from-security-groups",
        rds::instances::rds_ingress_from_security_groups
    ),
    check!(
        "rds-storage-encrypted",
        rds::instances::rds_storage_encrypted
    ),
    check!("rds-backup-retention", rds::instances::rds_backup_retention),
    check!(
        "rds-deletion-protection",
        rds::instances::rds_deletion_protection
    ),
    check!(
        "rds-auto-minor-upgrade",
        rds::instances::rds_auto_minor_upgrade
    ),
    check!("rds-snapshot-public", rds::snapshots::rds_snapshot_public),
    check!(
        "s3-account-public-access-block",
        s3::settings::s3_account_public_access_block
    ),
    check!("s3-bucket-public", s3::public::s3_bucket_public),
    check!(
        "s3-bucket-public-access-block",
        s3::settings::s3_bucket_public_access_block
    ),
    check!("s3-bucket-tls-only", s3::settings::s3_bucket_tls_only),
    check!(
        "s3-bucket-default-encryption",
        s3::settings::s3_bucket_default_encryption
    ),
    check!(
        "s3-bucket-kms-encryption",
        s3::settings::s3_bucket_kms_encryption
    ),
    check!("s3-bucket-versioning", s3::settings::s3_bucket_versioning),
    check!(
        "s3-bucket-acls-disabled",
        s3::settings::s3_bucket_acls_disabled
    ),
    check!("cognito-mfa", cognito::pools::cognito_mfa),
    check!("cognito-mfa-required", cognito::pools::cognito_mfa_required),
    check!(
        "cognito-password-policy",
        cognito::pools::cognito_password_policy
    ),
    check!(
        "cognito-threat-protection",
        cognito::pools::cognito_threat_protection
    ),
    check!(
        "cognito-deletion-protection",
        cognito::pools::cognito_deletion_protection
    ),
    check!("cognito-self-signup", cognito::pools::cognito_self_signup),
    check!(
        "cognito-client-user-existence-errors",
        cognito::clients::cognito_client_user_existence_errors
    ),
    check!(
        "cognito-client-token-revocation",
        cognito::clients::cognito_client_token_revocation
    ),
    check!(
        "cognito-client-refresh-token-validity",
        cognito::clients::cognito_client_refresh_token_validity
    ),
    check!(
        "cognito-client-implicit-grant",
        cognito::clients::cognito_client_implicit_grant
    ),
    check!(
        "cognito-group-admin-role",
        cognito::groups::cognito_group_admin_role
    ),
    check!("securityhub-enabled", securityhub::securityhub_enabled),
    check!(
        "cloudtrail-multi-region",
        cloudtrail::cloudtrail_multi_region
    ),
    check!(
        "cloudtrail-bucket-public",
        cloudtrail::cloudtrail_bucket_public
    ),
    check!("guardduty-enabled", detection::guardduty_enabled),
    check!("config-recording", detection::config_recording),
    check!(
        "access-analyzer-enabled",
        detection::access_analyzer_enabled
    ),
    check!(
        "access-analyzer-external-access",
        detection::access_analyzer_external_access
    ),
];

/// Runs every check over the inventory.
pub fn run_all(inv: &Inventory) -> Vec<Finding> {
    REGISTRY.iter().flat_map(|c| c.run(inv)).collect()
}

pub fn find(id: &str) -> Option<&'static Check> {
    REGISTRY.iter().find(|c| c.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn ids_are_unique_kebab_case() {
        let mut seen = BTreeSet::new();
        for c in REGISTRY {
            assert!(seen.insert(c.id), "duplicate check id {}", c.id);
            assert!(
                c.id.chars()
                    .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-'),
                "{} is not kebab-case",
                c.id
            );
        }
    }

    #[test]
    fn every_check_has_valid_metadata_with_its_id() {
        for c in REGISTRY {
            let m = Metadata::parse(c.metadata_source)
                .unwrap_or_else(|e| panic!("checks/{}.toml: {e}", c.id));
            assert_eq!(m.id, c.id, "checks/{}.toml names another id", c.id);
            assert!(!m.title.trim().is_empty());
            assert!(!m.rationale.trim().is_empty());
            assert!(!m.remediation.trim().is_empty());
            assert!(!m.references.is_empty(), "{} has no references", c.id);
        }
    }

    #[test]
    fn mappings_follow_the_standards() {
        // CIS AWS Foundations v5.0.0 and Security Hub FSBP, as Security Hub maps them.
        let expected: &[(&str, &[&str], &[&str], Severity)] = &[
            ("root-mfa", &["1.4"], &["IAM.9"], Severity::Critical),
            (
                "root-hardware-mfa",
                &["1.5"],
                &["IAM.6"],
                Severity::Informational,
            ),
            ("root-access-keys", &["1.3"], &["IAM.4"], Severity::Critical),
            ("root-recent-use", &["1.6"], &["IAM.20"], Severity::Low),
            ("user-console-mfa", &["1.9"], &["IAM.5"], Severity::Medium),
            (
                "access-key-rotation",
                &["1.13"],
                &["IAM.3"],
                Severity::Medium,
            ),
            (
                "unused-credentials",
                &["1.11"],
                &["IAM.22", "IAM.8"],
                Severity::Medium,
            ),
            ("multiple-active-keys", &["1.12"], &[], Severity::Low),
            ("user-direct-policies", &["1.14"], &["IAM.2"], Severity::Low),
            (
                "password-policy",
                &["1.7", "1.8"],
                &["IAM.7", "IAM.15", "IAM.16"],
                Severity::Medium,
            ),
            ("admin-privileges", &["1.15"], &["IAM.1"], Severity::High),
            ("privilege-escalation", &[], &[], Severity::High),
            ("github-oidc-trust", &[], &[], Severity::Critical),
            ("github-oidc-provider-audience", &[], &[], Severity::Medium),
            ("oidc-trust-unknown-provider", &[], &[], Severity::Low),
            ("ci-long-lived-keys", &[], &[], Severity::Medium),
            (
                "sg-open-admin-ports",
                &["5.3", "5.4"],
                &["EC2.53", "EC2.54"],
                Severity::High,
            ),
            (
                "sg-open-high-risk-ports",
                &[],
                &["EC2.19"],
                Severity::Critical,
            ),
            ("sg-open-database-ports", &[], &[], Severity::High),
            ("sg-open-all-traffic", &[], &[], Severity::High),
            (
                "sg-open-unauthorized-ports",
                &[],
                &["EC2.18"],
                Severity::High,
            ),
            (
                "sg-default-restricts-all",
                &["5.5"],
                &["EC2.2"],
                Severity::High,
            ),
            ("rds-publicly-reachable", &[], &[], Severity::Critical),
            (
                "rds-publicly-accessible",
                &["2.2.3"],
                &["RDS.2"],
                Severity::High,
            ),
            ("rds-ingress-from-security-groups", &[], &[], Severity::High),
            (
                "rds-storage-encrypted",
                &["2.2.1"],
                &["RDS.3"],
                Severity::Medium,
            ),
            ("rds-backup-retention", &[], &["RDS.11"], Severity::Medium),
            ("rds-deletion-protection", &[], &["RDS.8"], Severity::Low),
            (
                "rds-auto-minor-upgrade",
                &["2.2.2"],
                &["RDS.13"],
                Severity::High,
            ),
            ("rds-snapshot-public", &[], &["RDS.1"], Severity::Critical),
            (
                "s3-account-public-access-block",
                &["2.1.4"],
                &["S3.1"],
                Severity::Medium,
            ),
            (
                "s3-bucket-public",
                &[],
                &["S3.2", "S3.3"],
                Severity::Critical,
            ),
            (
                "s3-bucket-public-access-block",
                &["2.1.4"],
                &["S3.8"],
                Severity::High,
            ),
            (
                "s3-bucket-tls-only",
                &["2.1.1"],
                &["S3.5"],
                Severity::Medium,
            ),
            ("s3-bucket-default-encryption", &[], &[], Severity::Medium),
            (
                "s3-bucket-kms-encryption",
                &[],
                &["S3.17"],
                Severity::Medium,
            ),
            ("s3-bucket-versioning", &[], &["S3.14"], Severity::Low),
            ("s3-bucket-acls-disabled", &[], &["S3.12"], Severity::Medium),
            ("cognito-mfa", &[], &["Cognito.5"], Severity::Medium),
            ("cognito-mfa-required", &[], &[], Severity::Low),
            (
                "cognito-password-policy",
                &[],
                &["Cognito.3"],
                Severity::Medium,
            ),
            (
                "cognito-threat-protection",
                &[],
                &["Cognito.1", "Cognito.4"],
                Severity::Medium,
            ),
            (
                "cognito-deletion-protection",
                &[],
                &["Cognito.6"],
                Severity::Medium,
            ),
            ("cognito-self-signup", &[], &[], Severity::Low),
            (
                "cognito-client-user-existence-errors",
                &[],
                &[],
                Severity::Medium,
            ),
            ("cognito-client-token-revocation", &[], &[], Severity::Low),
            (
                "cognito-client-refresh-token-validity",
                &[],
                &[],
                Severity::Low,
            ),
            ("cognito-client-implicit-grant", &[], &[], Severity::Medium),
            ("cognito-group-admin-role", &[], &[], Severity::High),
            ("securityhub-enabled", &["4.16"], &[], Severity::Medium),
            (
                "cloudtrail-multi-region",
                &["3.1"],
                &["CloudTrail.1"],
                Severity::High,
            ),
            ("cloudtrail-bucket-public", &[], &[], Severity::Critical),
            ("guardduty-enabled", &[], &["GuardDuty.1"], Severity::High),
            (
                "config-recording",
                &["3.3"],
                &["Config.1"],
                Severity::Critical,
            ),
            (
                "access-analyzer-enabled",
                &["1.19"],
                &["IAM.28"],
                Severity::High,
            ),
            ("access-analyzer-external-access", &[], &[], Severity::High),
        ];
        assert_eq!(
            expected.len(),
            REGISTRY.len(),
            "a new check needs its row here"
        );
        for (id, cis, fsbp, severity) in expected {
            let m = Metadata::of(id).unwrap_or_else(|| panic!("{id} has no metadata"));
            assert_eq!(m.compliance.cis, *cis, "{id} CIS");
            assert_eq!(m.compliance.fsbp, *fsbp, "{id} FSBP");
            assert_eq!(m.severity, *severity, "{id} severity");
        }
    }

    #[test]
    fn readme_lists_every_check() {
        let readme = include_str!("../../README.md");
        for c in REGISTRY {
            let m = Metadata::parse(c.metadata_source).expect("valid metadata");
            let row = format!("| `{}` | {} |", c.id, m.severity);
            assert!(readme.contains(&row), "README's check table lacks {row}");
        }
    }

    #[test]
    fn findings_carry_their_checks_registry_id() {
        // Over an empty account, one whose every part is a gap, and one with a little of
        // everything, every check runs, its findings name it, and every id has metadata.
        use crate::checks::iam::fixtures::*;
        use crate::inventory::Collected;
        use crate::inventory::iam::ROOT_USER;
        let empty = inventory(vec![]);
        let mut gaps = inventory(vec![]);
        let g = gap("GetAccountAuthorizationDetails", "AccessDenied");
        gaps.iam.credential_report = Collected::Gap(g.clone());
        gaps.iam.account_summary = Collected::Gap(g.clone());
        gaps.iam.password_policy = Collected::Gap(g.clone());
        gaps.iam.virtual_mfa_devices = Collected::Gap(g.clone());
        gaps.iam.authorization_details = Collected::Gap(g.clone());
        gaps.iam.oidc_providers = Collected::Gap(g);
        let mut some = crate::checks::ec2::fixtures::regions(&[(
            "eu-west-1",
            vec![crate::checks::ec2::fixtures::group(
                "sg-1",
                "default",
                vec![crate::checks::ec2::fixtures::rule(
                    "tcp",
                    22,
                    22,
                    &["0.0.0.0/0"],
                )],
            )],
        )]);
        if let Collected::Ok(report) = &mut some.iam.credential_report {
            report.users = vec![row(ROOT_USER), row("alice")];
        }
        if let Some(r) = some.regional.get_mut("eu-west-1") {
            let mut pool = crate::checks::cognito::fixtures::pool("api");
            pool.groups = Collected::Ok(vec![crate::inventory::cognito::PoolGroup {
                name: "Client".into(),
                role_arn: None,
                precedence: None,
            }]);
            r.cognito = crate::checks::cognito::fixtures::inventory(vec![pool])
                .regional
                .remove("eu-west-1")
                .map(|r| r.cognito)
                .unwrap_or_else(crate::inventory::not_collected);
        }
        some.s3 =
            crate::checks::s3::fixtures::open_account(vec![crate::checks::s3::fixtures::bucket(
                "b",
            )])
            .s3;
        let mut seen = 0;
        for inv in [&empty, &gaps, &some] {
            for c in REGISTRY {
                for f in c.run(inv) {
                    assert_eq!(f.check_id, c.id, "a finding of {} names another id", c.id);
                    assert!(
                        Metadata::of(&f.check_id).is_some(),
                        "{} has no metadata",
                        f.check_id
                    );
                    seen += 1;
                }
            }
        }
        assert!(seen >= REGISTRY.len(), "only {seen} findings");
    }

    #[test]
    fn every_metadata_file_has_a_check() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/checks");
        let mut files = 0;
        for entry in std::fs::read_dir(dir).expect("checks/ exists") {
            let path = entry.expect("dir entry").path();
            if path.extension().and_then(|e| e.to_str()) != Some("toml") {
                continue;
            }
            files += 1;
            let stem = path
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or_default();
            assert!(
                find(stem).is_some(),
                "{} has no registered check",
                path.display()
            );
        }
        assert_eq!(files, REGISTRY.len());
    }
}
