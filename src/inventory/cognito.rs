//! Cognito user pools, per region: each pool's sign-in settings, app clients and groups.

use serde::{Deserialize, Serialize};

use super::Collected;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CognitoInventory {
    pub user_pools: Vec<UserPool>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserPool {
    pub id: String,
    pub name: String,
    /// `arn:<partition>:cognito-idp:<region>:<account>:userpool/<id>`.
    pub arn: String,
    /// DescribeUserPool.
    pub settings: Collected<PoolSettings>,
    /// GetUserPoolMfaConfig: which second factors are on.
    pub mfa: Collected<MfaFactors>,
    /// DescribeRiskConfiguration, read when threat protection is ENFORCED (the only mode
    /// it decides anything in); `None` when it was not asked (AUDIT or OFF).
    #[serde(default)]
    pub risk: Option<Collected<RiskActions>>,
    pub clients: Collected<Vec<AppClient>>,
    pub groups: Collected<Vec<PoolGroup>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PoolSettings {
    /// `OFF`, `ON` or `OPTIONAL`.
    pub mfa_configuration: String,
    pub password_policy: Option<PasswordPolicy>,
    /// `ACTIVE` or `INACTIVE`; `None` when the answer did not say (INACTIVE).
    pub deletion_protection: Option<String>,
    /// Threat protection for standard authentication: `OFF`, `AUDIT` or `ENFORCED`;
    /// `None` when the answer did not say (off).
    pub threat_protection: Option<String>,
    /// Threat protection for custom authentication (`AUDIT` or `ENFORCED`), if set.
    pub threat_protection_custom: Option<String>,
    /// Whether a custom authentication flow is configured (a DefineAuthChallenge trigger).
    pub custom_auth: bool,
    /// Whether only administrators create users (self sign-up off).
    pub admin_create_user_only: bool,
    /// The feature plan: `LITE`, `ESSENTIALS` or `PLUS`.
    pub feature_plan: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PasswordPolicy {
    pub minimum_length: i32,
    pub require_uppercase: bool,
    pub require_lowercase: bool,
    pub require_numbers: bool,
    pub require_symbols: bool,
    pub temporary_password_validity_days: i32,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct MfaFactors {
    /// SMS codes configured (for MFA, or for passwordless sign-in).
    pub sms: bool,
    /// Authenticator apps (TOTP) enabled for MFA.
    pub totp: bool,
    /// Email codes configured (for MFA, or for passwordless sign-in).
    pub email: bool,
    /// Passkeys (WebAuthn) configured: a first factor unless set to count as MFA, so not
    /// listed as a second factor.
    pub webauthn: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RiskActions {
    /// What happens on sign-in with compromised credentials (`BLOCK`, `NO_ACTION`).
    pub compromised_credentials: Option<String>,
    /// The events that action applies to (`SIGN_IN`, `PASSWORD_CHANGE`, `SIGN_UP`); empty:
    /// all of them, as Cognito documents.
    #[serde(default)]
    pub compromised_credentials_events: Vec<String>,
    /// What happens on a high-risk sign-in (`BLOCK`, `MFA_REQUIRED`, ...).
    pub account_takeover_high: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AppClient {
    pub id: String,
    pub name: String,
    /// Whether the client has a secret (the secret itself is never kept).
    pub has_secret: bool,
    /// `ENABLED` or `LEGACY`; `None` when the answer did not say (LEGACY).
    pub prevent_user_existence_errors: Option<String>,
    pub token_revocation: bool,
    /// Refresh token validity in days (from the value and its unit); `None`: not known,
    /// which Cognito's default makes 30.
    pub refresh_token_days: Option<f64>,
    /// `code`, `implicit`, `client_credentials`.
    pub oauth_flows: Vec<String>,
    /// Whether the client may use those OAuth flows at all
    /// (`AllowedOAuthFlowsUserPoolClient`); absent from older inventories, where it is
    /// taken as on.
    #[serde(default = "on")]
    pub oauth_enabled: bool,
}

fn on() -> bool {
    true
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoolGroup {
    pub name: String,
    pub role_arn: Option<String>,
    pub precedence: Option<i32>,
}
