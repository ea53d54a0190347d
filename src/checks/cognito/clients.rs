//! App clients: user existence errors, token revocation, refresh token lifetime, the
//! implicit grant.

use serde_json::Value;

use super::{client_resource, named, pool_resource, pools};
use crate::checks::Finding;
use crate::inventory::Inventory;
use crate::inventory::cognito::AppClient;

/// Refresh tokens living longer than this (Cognito's default) are reported.
pub const MAX_REFRESH_DAYS: f64 = 30.0;

/// Runs `judge` on every app client of every pool; ERROR for a pool whose clients could
/// not be read.
fn each_client(
    inv: &Inventory,
    judge: impl Fn(&AppClient, String) -> (bool, String),
) -> Vec<Finding> {
    let mut out = Vec::new();
    for (region, p) in pools(inv, &mut out) {
        match p.clients.get() {
            Err(gap) => out.push(Finding::gap(pool_resource(inv, region, p), gap)),
            Ok(clients) => {
                for c in clients {
                    let who = format!("app client {} ({}) of {}", c.name, c.id, named(p));
                    let (ok, msg) = judge(c, who);
                    let res = client_resource(inv, region, p, c);
                    let f = if ok {
                        Finding::pass(res, msg)
                    } else {
                        Finding::fail(res, msg)
                    };
                    out.push(
                        f.with("user_pool", p.id.clone())
                            .with("has_secret", c.has_secret),
                    );
                }
            }
        }
    }
    out
}

pub fn cognito_client_user_existence_errors(inv: &Inventory) -> Vec<Finding> {
    each_client(inv, |c, who| {
        match c.prevent_user_existence_errors.as_deref() {
            Some("ENABLED") => (
                true,
                format!("{who} answers the same whether or not a user exists"),
            ),
            _ => (
                false,
                format!(
                    "{who} tells apart a wrong password from an unknown user (prevent user existence errors is LEGACY), so anyone can find out which users exist"
                ),
            ),
        }
    })
}

pub fn cognito_client_token_revocation(inv: &Inventory) -> Vec<Finding> {
    each_client(inv, |c, who| {
        if c.token_revocation {
            (true, format!("{who} can revoke refresh tokens"))
        } else {
            (
                false,
                format!(
                    "{who} cannot revoke refresh tokens: a stolen one stays good until it expires"
                ),
            )
        }
    })
}

pub fn cognito_client_refresh_token_validity(inv: &Inventory) -> Vec<Finding> {
    let mut out = each_client(inv, |c, who| {
        let days = c.refresh_token_days.unwrap_or(MAX_REFRESH_DAYS);
        if days <= MAX_REFRESH_DAYS {
            (
                true,
                format!("{who} issues refresh tokens valid for {} days", round(days)),
            )
        } else {
            (
                false,
                format!(
                    "{who} issues refresh tokens valid for {} days, more than {} (Cognito's default): a session lasts that long without a password",
                    round(days),
                    MAX_REFRESH_DAYS
                ),
            )
        }
    });
    for f in &mut out {
        f.evidence
            .insert("max_days".into(), Value::from(MAX_REFRESH_DAYS));
    }
    out
}

fn round(days: f64) -> String {
    if days.fract() == 0.0 {
        format!("{days:.0}")
    } else {
        format!("{days:.2}")
    }
}

pub fn cognito_client_implicit_grant(inv: &Inventory) -> Vec<Finding> {
    each_client(inv, |c, who| {
        let implicit = c.oauth_flows.iter().any(|f| f == "implicit");
        if implicit && !c.oauth_enabled {
            (
                true,
                format!(
                    "{who} lists the implicit grant, but OAuth flows are off for it (AllowedOAuthFlowsUserPoolClient false), so it cannot be used"
                ),
            )
        } else if implicit {
            (
                false,
                format!(
                    "{who} allows the OAuth implicit grant: tokens come back in the URL, where browser history, logs and referrers can leak them; use the authorization code grant with PKCE"
                ),
            )
        } else {
            (true, format!("{who} does not allow the implicit grant"))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Status;
    use crate::checks::cognito::fixtures::*;
    use crate::inventory::Collected;

    fn run(check: fn(&Inventory) -> Vec<Finding>, c: AppClient) -> Finding {
        let mut p = pool("api");
        p.clients = Collected::Ok(vec![c]);
        let mut f = check(&inventory(vec![p]));
        assert_eq!(f.len(), 1);
        let f = f.remove(0);
        assert_eq!(f.resource.kind, "AwsCognitoUserPoolClient");
        f
    }

    #[test]
    fn each_client_setting_fails_and_passes() {
        for check in [
            cognito_client_user_existence_errors as fn(&Inventory) -> Vec<Finding>,
            cognito_client_token_revocation,
            cognito_client_refresh_token_validity,
            cognito_client_implicit_grant,
        ] {
            assert_eq!(run(check, client("web")).status, Status::Pass);
        }
        let mut c = client("web");
        c.prevent_user_existence_errors = Some("LEGACY".into());
        assert_eq!(
            run(cognito_client_user_existence_errors, c).status,
            Status::Fail
        );
        let mut c = client("web");
        c.prevent_user_existence_errors = None;
        assert_eq!(
            run(cognito_client_user_existence_errors, c).status,
            Status::Fail
        );
        let mut c = client("web");
        c.token_revocation = false;
        assert_eq!(run(cognito_client_token_revocation, c).status, Status::Fail);
        let mut c = client("web");
        c.refresh_token_days = Some(3650.0);
        let f = run(cognito_client_refresh_token_validity, c);
        assert_eq!(f.status, Status::Fail);
        assert!(f.message.contains("3650 days"), "{}", f.message);
        let mut c = client("web");
        c.refresh_token_days = Some(1.5);
        assert_eq!(
            run(cognito_client_refresh_token_validity, c).status,
            Status::Pass
        );
        let mut c = client("web");
        c.oauth_flows = vec!["code".into(), "implicit".into()];
        assert_eq!(
            run(cognito_client_implicit_grant, c.clone()).status,
            Status::Fail
        );
        // Listed, but with OAuth off for the client the grant cannot be used.
        c.oauth_enabled = false;
        let f = run(cognito_client_implicit_grant, c);
        assert_eq!(f.status, Status::Pass, "{}", f.message);
        assert!(f.message.contains("OAuth flows are off"), "{}", f.message);
    }

    #[test]
    fn clients_that_could_not_be_read_are_an_error_for_the_pool() {
        let mut p = pool("api");
        p.clients = Collected::Gap(gap("DescribeUserPoolClient"));
        let f = cognito_client_token_revocation(&inventory(vec![p]));
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].status, Status::Error);
        assert_eq!(f[0].resource.kind, "AwsCognitoUserPool");
    }
}
