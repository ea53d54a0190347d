//! User pools for the Cognito checks' tests.

use crate::inventory::cognito::*;
use crate::inventory::{Collected, Gap, Inventory};

/// A pool in eu-west-1 set up as a reviewer would want it, with one app client that is
/// too, and no groups.
pub fn pool(name: &str) -> UserPool {
    let id = format!("eu-west-1_{name}");
    UserPool {
        arn: format!("arn:aws:cognito-idp:eu-west-1:123456789012:userpool/{id}"),
        id,
        name: name.into(),
        settings: Collected::Ok(PoolSettings {
            mfa_configuration: "ON".into(),
            password_policy: Some(PasswordPolicy {
                minimum_length: 14,
                require_uppercase: true,
                require_lowercase: true,
                require_numbers: true,
                require_symbols: true,
                temporary_password_validity_days: 7,
            }),
            deletion_protection: Some("ACTIVE".into()),
            threat_protection: Some("ENFORCED".into()),
            threat_protection_custom: None,
            custom_auth: false,
            admin_create_user_only: true,
            feature_plan: Some("PLUS".into()),
        }),
        mfa: Collected::Ok(MfaFactors {
            totp: true,
            ..Default::default()
        }),
        risk: Some(Collected::Ok(RiskActions {
            compromised_credentials: Some("BLOCK".into()),
            compromised_credentials_events: Vec::new(),
            account_takeover_high: Some("BLOCK".into()),
        })),
        clients: Collected::Ok(vec![client("web")]),
        groups: Collected::Ok(Vec::new()),
    }
}

pub fn client(name: &str) -> AppClient {
    AppClient {
        id: format!("client-{name}"),
        name: name.into(),
        has_secret: false,
        prevent_user_existence_errors: Some("ENABLED".into()),
        token_revocation: true,
        refresh_token_days: Some(30.0),
        oauth_flows: vec!["code".into()],
        oauth_enabled: true,
    }
}

pub fn gap(operation: &str) -> Gap {
    Gap {
        service: "Cognito Identity Provider".into(),
        region: "eu-west-1".into(),
        operation: operation.into(),
        error_code: "AccessDeniedException".into(),
        message: "denied".into(),
    }
}

/// The identity fixture's account with these pools in eu-west-1.
pub fn inventory(pools: Vec<UserPool>) -> Inventory {
    let mut inv = crate::checks::iam::fixtures::inventory(vec![]);
    if let Some(r) = inv.regional.get_mut("eu-west-1") {
        r.cognito = Collected::Ok(CognitoInventory { user_pools: pools });
    }
    inv
}
