//! IAM: the credential report, the account summary, the password policy, virtual MFA
//! devices, and the account's authorization details (users, groups, roles, policies).

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Collected, Gap};

/// The user name IAM gives the root account's row in the credential report.
pub const ROOT_USER: &str = "<root_account>";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IamInventory {
    pub credential_report: Collected<CredentialReport>,
    /// GetAccountSummary's map (`AccountMFAEnabled`, `AccountAccessKeysPresent`, ...).
    pub account_summary: Collected<BTreeMap<String, i64>>,
    /// `None` when the account has no password policy (IAM answers NoSuchEntity).
    pub password_policy: Collected<Option<PasswordPolicy>>,
    pub virtual_mfa_devices: Collected<Vec<VirtualMfaDevice>>,
    pub authorization_details: Collected<AuthorizationDetails>,
    /// The account's OpenID Connect identity providers (GitHub's among them).
    #[serde(default = "super::not_collected")]
    pub oidc_providers: Collected<Vec<OidcProvider>>,
}

impl IamInventory {
    /// IAM's part when its collector could not run at all: every piece is `gap`.
    pub fn unavailable(gap: Gap) -> Self {
        IamInventory {
            credential_report: Collected::Gap(gap.clone()),
            account_summary: Collected::Gap(gap.clone()),
            password_policy: Collected::Gap(gap.clone()),
            virtual_mfa_devices: Collected::Gap(gap.clone()),
            authorization_details: Collected::Gap(gap.clone()),
            oidc_providers: Collected::Gap(gap),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CredentialReport {
    pub generated_at: Option<DateTime<Utc>>,
    pub users: Vec<CredentialReportRow>,
}

impl CredentialReport {
    /// The root account's row. AWS always includes it; some emulators do not.
    pub fn root(&self) -> Option<&CredentialReportRow> {
        self.users.iter().find(|u| u.is_root())
    }

    /// Every IAM user's row (the root row left out).
    pub fn iam_users(&self) -> impl Iterator<Item = &CredentialReportRow> {
        self.users.iter().filter(|u| !u.is_root())
    }
}

/// One row of the credential report. Dates are `None` where the report says `N/A`,
/// `no_information` or `not_supported`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CredentialReportRow {
    pub user: String,
    pub arn: String,
    pub user_creation_time: Option<DateTime<Utc>>,
    /// `None` for the root account, whose password fields are `not_supported`.
    pub password_enabled: Option<bool>,
    pub password_last_used: Option<DateTime<Utc>>,
    pub password_last_changed: Option<DateTime<Utc>>,
    pub mfa_active: bool,
    pub access_keys: Vec<AccessKeyReport>,
}

impl CredentialReportRow {
    pub fn is_root(&self) -> bool {
        self.user == ROOT_USER
    }

    pub fn active_keys(&self) -> impl Iterator<Item = &AccessKeyReport> {
        self.access_keys.iter().filter(|k| k.active)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccessKeyReport {
    /// 1 or 2: the report's column pair this key came from.
    pub slot: u8,
    pub active: bool,
    pub last_rotated: Option<DateTime<Utc>>,
    pub last_used_date: Option<DateTime<Utc>>,
    pub last_used_region: Option<String>,
    pub last_used_service: Option<String>,
}

/// The credential report's CSV could not be read.
#[derive(Debug, thiserror::Error)]
pub enum CredentialReportError {
    #[error("the credential report is not valid CSV: {0}")]
    Csv(#[from] csv::Error),
    #[error("the credential report has no `{0}` column")]
    MissingColumn(&'static str),
    #[error("the credential report's `{column}` for user `{user}` is not true or false: `{value}`")]
    BadBool {
        column: String,
        user: String,
        value: String,
    },
    #[error("the credential report's `{column}` for user `{user}` is not a date: `{value}`")]
    BadDate {
        column: String,
        user: String,
        value: String,
    },
}

impl CredentialReport {
    /// Parses the CSV that iam:GetCredentialReport returns.
    pub fn from_csv(
        csv_text: &[u8],
        generated_at: Option<DateTime<Utc>>,
    ) -> Result<Self, CredentialReportError> {
        // Rows of another length are an error (not flexible): a short row must not read as
        // "no key, no password".
        let mut reader = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .from_reader(csv_text);
        let headers = reader.headers()?.clone();
        let index: HashMap<&str, usize> = headers.iter().enumerate().map(|(i, h)| (h, i)).collect();
        for col in REQUIRED_COLUMNS {
            if !index.contains_key(col) {
                return Err(CredentialReportError::MissingColumn(col));
            }
        }
        let mut users = Vec::new();
        for record in reader.records() {
            let record = record?;
            let field = |name: &str| -> &str {
                index
                    .get(name)
                    .and_then(|&i| record.get(i))
                    .unwrap_or("N/A")
            };
            let user = field("user").to_string();
            let date = |name: &str| -> Result<Option<DateTime<Utc>>, CredentialReportError> {
                parse_report_date(field(name)).map_err(|value| CredentialReportError::BadDate {
                    column: name.to_string(),
                    user: user.clone(),
                    value,
                })
            };
            let boolean = |name: &str| -> Result<Option<bool>, CredentialReportError> {
                let value = field(name);
                match parse_bool(value) {
                    Some(b) => Ok(Some(b)),
                    None if value.eq_ignore_ascii_case("not_supported") => Ok(None),
                    None => Err(CredentialReportError::BadBool {
                        column: name.to_string(),
                        user: user.clone(),
                        value: value.to_string(),
                    }),
                }
            };
            let mut access_keys = Vec::with_capacity(2);
            for slot in [1u8, 2] {
                let col = |suffix: &str| format!("access_key_{slot}_{suffix}");
                access_keys.push(AccessKeyReport {
                    slot,
                    active: boolean(&col("active"))?.unwrap_or(false),
                    last_rotated: date(&col("last_rotated"))?,
                    last_used_date: date(&col("last_used_date"))?,
                    last_used_region: parse_text(field(&col("last_used_region"))),
                    last_used_service: parse_text(field(&col("last_used_service"))),
                });
            }
            users.push(CredentialReportRow {
                arn: field("arn").to_string(),
                user_creation_time: date("user_creation_time")?,
                password_enabled: boolean("password_enabled")?,
                password_last_used: date("password_last_used")?,
                password_last_changed: date("password_last_changed")?,
                mfa_active: boolean("mfa_active")?.unwrap_or(false),
                access_keys,
                user,
            });
        }
        Ok(CredentialReport {
            generated_at,
            users,
        })
    }
}

/// The columns postura reads; a report without any of them is rejected, never read as
/// "nothing there".
const REQUIRED_COLUMNS: [&str; 17] = [
    "user",
    "arn",
    "user_creation_time",
    "password_enabled",
    "password_last_used",
    "password_last_changed",
    "mfa_active",
    "access_key_1_active",
    "access_key_1_last_rotated",
    "access_key_1_last_used_date",
    "access_key_1_last_used_region",
    "access_key_1_last_used_service",
    "access_key_2_active",
    "access_key_2_last_rotated",
    "access_key_2_last_used_date",
    "access_key_2_last_used_region",
    "access_key_2_last_used_service",
];

/// `true`/`false` in any case; anything else (`not_supported`, `N/A`) is unknown.
fn parse_bool(s: &str) -> Option<bool> {
    if s.eq_ignore_ascii_case("true") {
        Some(true)
    } else if s.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

fn is_placeholder(s: &str) -> bool {
    s.is_empty()
        || ["N/A", "no_information", "not_supported"]
            .iter()
            .any(|p| s.eq_ignore_ascii_case(p))
}

fn parse_text(s: &str) -> Option<String> {
    (!is_placeholder(s)).then(|| s.to_string())
}

fn parse_report_date(s: &str) -> Result<Option<DateTime<Utc>>, String> {
    if is_placeholder(s) {
        return Ok(None);
    }
    DateTime::parse_from_rfc3339(s)
        .map(|d| Some(d.with_timezone(&Utc)))
        .map_err(|_| s.to_string())
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordPolicy {
    pub minimum_password_length: Option<i32>,
    pub require_symbols: bool,
    pub require_numbers: bool,
    pub require_uppercase_characters: bool,
    pub require_lowercase_characters: bool,
    pub allow_users_to_change_password: bool,
    pub expire_passwords: bool,
    pub max_password_age: Option<i32>,
    pub password_reuse_prevention: Option<i32>,
    pub hard_expiry: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VirtualMfaDevice {
    pub serial_number: String,
    /// The ARN of the user (or `arn:aws:iam::ACCOUNT:root`) it is assigned to, if any.
    pub user_arn: Option<String>,
}

/// GetAccountAuthorizationDetails, every page, with policy documents decoded to JSON.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AuthorizationDetails {
    pub users: Vec<User>,
    pub groups: Vec<Group>,
    pub roles: Vec<Role>,
    pub policies: Vec<ManagedPolicy>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct User {
    pub name: String,
    pub arn: String,
    pub id: String,
    pub groups: Vec<String>,
    pub attached_managed_policies: Vec<AttachedPolicy>,
    pub inline_policies: Vec<InlinePolicy>,
    /// The ARN of the managed policy set as the user's permissions boundary, if any.
    #[serde(default)]
    pub permissions_boundary: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Group {
    pub name: String,
    pub arn: String,
    pub id: String,
    pub attached_managed_policies: Vec<AttachedPolicy>,
    pub inline_policies: Vec<InlinePolicy>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Role {
    pub name: String,
    pub arn: String,
    pub id: String,
    /// The trust policy (AssumeRolePolicyDocument).
    pub trust_policy: Option<serde_json::Value>,
    pub attached_managed_policies: Vec<AttachedPolicy>,
    pub inline_policies: Vec<InlinePolicy>,
    /// The ARN of the managed policy set as the role's permissions boundary, if any.
    #[serde(default)]
    pub permissions_boundary: Option<String>,
}

impl Role {
    /// Service-linked roles (`/aws-service-role/`) are created and used by an AWS service;
    /// their policies and trust cannot be changed by the account.
    pub fn is_service_linked(&self) -> bool {
        self.arn.contains(":role/aws-service-role/")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachedPolicy {
    pub name: String,
    pub arn: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InlinePolicy {
    pub name: String,
    pub document: Option<serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManagedPolicy {
    pub name: String,
    pub arn: String,
    pub id: String,
    pub attachment_count: i32,
    /// The default version's document.
    pub document: Option<serde_json::Value>,
    /// The policy's other versions, which whoever may call iam:SetDefaultPolicyVersion on
    /// it can make the default.
    #[serde(default)]
    pub other_versions: Vec<PolicyVersion>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PolicyVersion {
    pub version_id: String,
    pub document: Option<serde_json::Value>,
}

/// An IAM OpenID Connect identity provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OidcProvider {
    pub arn: String,
    /// The issuer URL as IAM stores it (without `https://`).
    pub url: String,
    /// The audiences (client ids) IAM accepts in tokens from it.
    pub client_ids: Vec<String>,
    pub thumbprints: Vec<String>,
}

impl ManagedPolicy {
    /// AWS managed policies live under `arn:<partition>:iam::aws:policy/`.
    pub fn is_aws_managed(&self) -> bool {
        self.arn.contains(":iam::aws:policy/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated";

    #[test]
    fn parses_root_and_user_rows() {
        let csv = format!(
            "{HEADER}\n\
             <root_account>,arn:aws:iam::123456789012:root,2020-01-01T00:00:00+00:00,not_supported,2024-05-01T10:00:00+00:00,not_supported,not_supported,TRUE,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n\
             alice,arn:aws:iam::123456789012:user/alice,2021-02-03T04:05:06+00:00,true,no_information,2021-02-03T04:05:06+00:00,N/A,false,true,2021-02-03T04:05:06Z,2024-01-01T00:00:00+00:00,us-east-1,s3,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n"
        );
        let report = CredentialReport::from_csv(csv.as_bytes(), None).expect("parses");
        let root = report.root().expect("root row");
        assert!(root.mfa_active, "TRUE in capitals is true");
        assert_eq!(root.password_enabled, None);
        assert!(root.password_last_used.is_some());
        let alice = report.iam_users().next().expect("alice");
        assert_eq!(alice.password_enabled, Some(true));
        assert_eq!(alice.password_last_used, None);
        assert!(!alice.mfa_active);
        assert_eq!(alice.active_keys().count(), 1);
        assert_eq!(
            alice.access_keys[0].last_used_service.as_deref(),
            Some("s3")
        );
        assert_eq!(alice.access_keys[1].last_used_service, None);
    }

    #[test]
    fn rejects_a_report_without_the_user_column() {
        let err = CredentialReport::from_csv(b"name,arn\nx,y\n", None).unwrap_err();
        assert!(err.to_string().contains("`user`"), "{err}");
    }

    #[test]
    fn rejects_missing_columns_short_rows_and_odd_booleans() {
        let no_keys = HEADER.replace(",access_key_2_active", "");
        let err = CredentialReport::from_csv(format!("{no_keys}\n").as_bytes(), None).unwrap_err();
        assert!(err.to_string().contains("access_key_2_active"), "{err}");
        let short = format!("{HEADER}\nbob,arn:aws:iam::1:user/bob,N/A,true\n");
        assert!(CredentialReport::from_csv(short.as_bytes(), None).is_err());
        let odd = format!(
            "{HEADER}\nbob,arn:aws:iam::1:user/bob,N/A,true,N/A,N/A,N/A,false,maybe,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n"
        );
        let err = CredentialReport::from_csv(odd.as_bytes(), None).unwrap_err();
        assert!(err.to_string().contains("access_key_1_active"), "{err}");
    }

    #[test]
    fn rejects_a_malformed_date() {
        let csv = format!(
            "{HEADER}\nbob,arn:aws:iam::1:user/bob,yesterday,false,N/A,N/A,N/A,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n"
        );
        let err = CredentialReport::from_csv(csv.as_bytes(), None).unwrap_err();
        assert!(err.to_string().contains("yesterday"), "{err}");
    }
}
