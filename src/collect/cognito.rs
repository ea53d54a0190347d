//! Cognito collector, one region at a time: every user pool (ListUserPools), then per pool
//! DescribeUserPool, GetUserPoolMfaConfig, its app clients (ListUserPoolClients, then
//! DescribeUserPoolClient each) and its groups (ListGroups), concurrently; and
//! DescribeRiskConfiguration where threat protection is not off.

use aws_sdk_cognitoidentityprovider::Client;
use aws_sdk_cognitoidentityprovider::types::{
    TimeUnitsType, UserPoolClientType, UserPoolDescriptionType, UserPoolType,
};

use super::{Ctx, call, fanout};
use crate::inventory::Gap;
use crate::inventory::cognito::*;

const SERVICE: &str = super::fanout::Service::Cognito.sdk_name();

pub async fn collect(ctx: &Ctx, region: &str) -> Result<CognitoInventory, Gap> {
    collect_with(ctx, &ctx.cognito(region), region).await
}

/// As [`collect`], with a given client (the tests' mocks).
async fn collect_with(ctx: &Ctx, idp: &Client, region: &str) -> Result<CognitoInventory, Gap> {
    let pools: Vec<UserPoolDescriptionType> = call(
        ctx,
        SERVICE,
        region,
        "ListUserPools",
        idp.list_user_pools()
            .max_results(60)
            .into_paginator()
            .items()
            .send()
            .try_collect(),
    )
    .await?;
    let user_pools = fanout::each(pools.iter(), |p| pool(ctx, idp, region, p)).await;
    Ok(CognitoInventory { user_pools })
}

async fn pool(ctx: &Ctx, idp: &Client, region: &str, p: &UserPoolDescriptionType) -> UserPool {
    let id = p.id().unwrap_or_default();
    let settings_and_risk = async {
        let described = call(
            ctx,
            SERVICE,
            region,
            "DescribeUserPool",
            idp.describe_user_pool().user_pool_id(id).send(),
        )
        .await;
        let arn = described
            .as_ref()
            .ok()
            .and_then(|d| d.user_pool())
            .and_then(|u| u.arn())
            .map(str::to_string);
        // An answer without the pool is no answer: a gap, not a pool with nothing set.
        let settings = described.and_then(|d| {
            d.user_pool().map(settings).ok_or_else(|| Gap {
                service: SERVICE.into(),
                region: region.into(),
                operation: "DescribeUserPool".into(),
                error_code: "EmptyResponse".into(),
                message: "the answer named no user pool".into(),
            })
        });
        let risk = match &settings {
            // Only an ENFORCED pool's risk configuration decides anything: AUDIT and OFF
            // fail without it.
            Ok(s) if s.threat_protection.as_deref() == Some("ENFORCED") => {
                Some(risk(ctx, idp, region, id).await.into())
            }
            _ => None,
        };
        (settings, arn, risk)
    };
    let mfa = call(
        ctx,
        SERVICE,
        region,
        "GetUserPoolMfaConfig",
        idp.get_user_pool_mfa_config().user_pool_id(id).send(),
    );
    let clients = clients(ctx, idp, region, id);
    let groups = call(
        ctx,
        SERVICE,
        region,
        "ListGroups",
        idp.list_groups()
            .user_pool_id(id)
            .limit(60)
            .into_paginator()
            .items()
            .send()
            .try_collect(),
    );
    let ((settings, arn, risk), mfa, clients, groups) =
        fanout::join!(settings_and_risk, mfa, clients, groups);
    UserPool {
        id: id.to_string(),
        name: p.name().unwrap_or_default().to_string(),
        // Empty when DescribeUserPool failed; the checks then build it from the account.
        arn: arn.unwrap_or_default(),
        settings: settings.into(),
        mfa: mfa
            .map(|m| MfaFactors {
                // The SMS and email blocks are templates, for MFA and for passwordless
                // sign-in codes alike: configured, not proven on as a second factor.
                sms: m.sms_mfa_configuration().is_some(),
                totp: m
                    .software_token_mfa_configuration()
                    .is_some_and(|t| t.enabled()),
                email: m.email_mfa_configuration().is_some(),
                webauthn: m.web_authn_configuration().is_some(),
            })
            .into(),
        risk,
        clients: clients.into(),
        groups: groups
            .map(|gs| {
                gs.iter()
                    .map(|g| PoolGroup {
                        name: g.group_name().unwrap_or_default().to_string(),
                        role_arn: g.role_arn().map(str::to_string),
                        precedence: g.precedence(),
                    })
                    .collect()
            })
            .into(),
    }
}

fn settings(u: &UserPoolType) -> PoolSettings {
    let add_ons = u.user_pool_add_ons();
    PoolSettings {
        mfa_configuration: u
            .mfa_configuration()
            .map_or("OFF", |m| m.as_str())
            .to_string(),
        password_policy: u
            .policies()
            .and_then(|p| p.password_policy())
            .map(|p| PasswordPolicy {
                minimum_length: p.minimum_length().unwrap_or(0),
                require_uppercase: p.require_uppercase(),
                require_lowercase: p.require_lowercase(),
                require_numbers: p.require_numbers(),
                require_symbols: p.require_symbols(),
                // 0 (absent) is Cognito's default of 7 days.
                temporary_password_validity_days: match p.temporary_password_validity_days() {
                    0 => 7,
                    d => d,
                },
            }),
        deletion_protection: u.deletion_protection().map(|d| d.as_str().to_string()),
        threat_protection: add_ons.map(|a| a.advanced_security_mode().as_str().to_string()),
        threat_protection_custom: add_ons
            .and_then(|a| a.advanced_security_additional_flows())
            .and_then(|f| f.custom_auth_mode())
            .map(|m| m.as_str().to_string()),
        custom_auth: u
            .lambda_config()
            .is_some_and(|l| l.define_auth_challenge().is_some()),
        admin_create_user_only: u
            .admin_create_user_config()
            .is_some_and(|c| c.allow_admin_create_user_only()),
        feature_plan: u.user_pool_tier().map(|t| t.as_str().to_string()),
    }
}

async fn risk(ctx: &Ctx, idp: &Client, region: &str, id: &str) -> Result<RiskActions, Gap> {
    let out = call(
        ctx,
        SERVICE,
        region,
        "DescribeRiskConfiguration",
        idp.describe_risk_configuration().user_pool_id(id).send(),
    )
    .await?;
    let r = out.risk_configuration();
    Ok(RiskActions {
        compromised_credentials: r
            .and_then(|r| r.compromised_credentials_risk_configuration())
            .and_then(|c| c.actions())
            .map(|a| a.event_action().as_str().to_string()),
        compromised_credentials_events: r
            .and_then(|r| r.compromised_credentials_risk_configuration())
            .map(|c| {
                c.event_filter()
                    .iter()
                    .map(|e| e.as_str().to_string())
                    .collect()
            })
            .unwrap_or_default(),
        account_takeover_high: r
            .and_then(|r| r.account_takeover_risk_configuration())
            .and_then(|a| a.actions())
            .and_then(|a| a.high_action())
            .map(|h| h.event_action().as_str().to_string()),
    })
}

/// Every app client of a pool, each described (the listing names them only).
async fn clients(ctx: &Ctx, idp: &Client, region: &str, pool: &str) -> Result<Vec<AppClient>, Gap> {
    let listed = call(
        ctx,
        SERVICE,
        region,
        "ListUserPoolClients",
        idp.list_user_pool_clients()
            .user_pool_id(pool)
            .max_results(60)
            .into_paginator()
            .items()
            .send()
            .try_collect(),
    )
    .await?;
    let described = fanout::each(listed.iter(), |c| {
        let client_id = c.client_id().unwrap_or_default();
        call(
            ctx,
            SERVICE,
            region,
            "DescribeUserPoolClient",
            idp.describe_user_pool_client()
                .user_pool_id(pool)
                .client_id(client_id)
                .send(),
        )
    })
    .await;
    // One client that cannot be described makes the list a gap: a check must not pass a
    // pool on the clients it could read.
    let mut out = Vec::new();
    for d in described {
        match d?.user_pool_client() {
            Some(c) => out.push(client(c)),
            None => {
                return Err(Gap {
                    service: SERVICE.into(),
                    region: region.into(),
                    operation: "DescribeUserPoolClient".into(),
                    error_code: "EmptyResponse".into(),
                    message: "the answer named no app client".into(),
                });
            }
        }
    }
    Ok(out)
}

fn client(c: &UserPoolClientType) -> AppClient {
    let unit = c
        .token_validity_units()
        .and_then(|u| u.refresh_token())
        .cloned()
        .unwrap_or(TimeUnitsType::Days);
    let per_day = match unit {
        TimeUnitsType::Seconds => 86_400.0,
        TimeUnitsType::Minutes => 1_440.0,
        TimeUnitsType::Hours => 24.0,
        _ => 1.0,
    };
    AppClient {
        id: c.client_id().unwrap_or_default().to_string(),
        name: c.client_name().unwrap_or_default().to_string(),
        has_secret: c.client_secret().is_some_and(|s| !s.is_empty()),
        prevent_user_existence_errors: c
            .prevent_user_existence_errors()
            .map(|p| p.as_str().to_string()),
        token_revocation: c.enable_token_revocation().unwrap_or(false),
        // 0 or absent: Cognito's default of 30 days.
        refresh_token_days: Some(if c.refresh_token_validity() > 0 {
            f64::from(c.refresh_token_validity()) / per_day
        } else {
            30.0
        }),
        oauth_flows: c
            .allowed_o_auth_flows()
            .iter()
            .map(|f| f.as_str().to_string())
            .collect(),
        // Unsaid is taken as on, so that a listed implicit grant is never excused by an
        // answer that left the switch out.
        oauth_enabled: c.allowed_o_auth_flows_user_pool_client().unwrap_or(true),
    }
}

#[cfg(test)]
mod tests {
    use aws_sdk_cognitoidentityprovider::operation::describe_risk_configuration::DescribeRiskConfigurationError;
    use aws_sdk_cognitoidentityprovider::operation::describe_user_pool::DescribeUserPoolOutput;
    use aws_sdk_cognitoidentityprovider::operation::describe_user_pool_client::DescribeUserPoolClientOutput;
    use aws_sdk_cognitoidentityprovider::operation::get_user_pool_mfa_config::GetUserPoolMfaConfigOutput;
    use aws_sdk_cognitoidentityprovider::operation::list_groups::ListGroupsOutput;
    use aws_sdk_cognitoidentityprovider::operation::list_user_pool_clients::ListUserPoolClientsOutput;
    use aws_sdk_cognitoidentityprovider::operation::list_user_pools::ListUserPoolsOutput;
    use aws_sdk_cognitoidentityprovider::types::{
        AdvancedSecurityModeType, GroupType, UserPoolAddOnsType, UserPoolClientDescription,
    };
    use aws_smithy_mocks::{RuleMode, mock, mock_client};

    use super::*;
    use crate::collect::calls::CallLedger;

    fn pools_page(ids: &[&str], next: Option<&str>) -> ListUserPoolsOutput {
        ListUserPoolsOutput::builder()
            .set_user_pools(Some(
                ids.iter()
                    .map(|id| {
                        UserPoolDescriptionType::builder()
                            .id(*id)
                            .name(format!("pool-{id}"))
                            .build()
                    })
                    .collect(),
            ))
            .set_next_token(next.map(str::to_string))
            .build()
    }

    #[tokio::test]
    async fn pools_clients_and_groups_follow_every_page() {
        let ledger = CallLedger::new();
        let first = mock!(Client::list_user_pools)
            .match_requests(|r| r.next_token().is_none())
            .then_output(|| pools_page(&["p1", "p2"], Some("t1")));
        let second = mock!(Client::list_user_pools)
            .match_requests(|r| r.next_token() == Some("t1"))
            .then_output(|| pools_page(&["p3"], None));
        let describe = mock!(Client::describe_user_pool).then_output(|| {
            DescribeUserPoolOutput::builder()
                .user_pool(
                    UserPoolType::builder()
                        .arn("arn:aws:cognito-idp:eu-west-1:123456789012:userpool/p")
                        .user_pool_add_ons(
                            UserPoolAddOnsType::builder()
                                .advanced_security_mode(AdvancedSecurityModeType::Enforced)
                                .build()
                                .expect("add-ons"),
                        )
                        .build(),
                )
                .build()
        });
        let risk = mock!(Client::describe_risk_configuration)
            .then_error(|| DescribeRiskConfigurationError::unhandled("moto answers 500"));
        let mfa = mock!(Client::get_user_pool_mfa_config)
            .then_output(|| GetUserPoolMfaConfigOutput::builder().build());
        let clients_1 = mock!(Client::list_user_pool_clients)
            .match_requests(|r| r.next_token().is_none())
            .then_output(|| {
                ListUserPoolClientsOutput::builder()
                    .user_pool_clients(UserPoolClientDescription::builder().client_id("c1").build())
                    .next_token("c-next")
                    .build()
            });
        let clients_2 = mock!(Client::list_user_pool_clients)
            .match_requests(|r| r.next_token() == Some("c-next"))
            .then_output(|| {
                ListUserPoolClientsOutput::builder()
                    .user_pool_clients(UserPoolClientDescription::builder().client_id("c2").build())
                    .build()
            });
        let client = mock!(Client::describe_user_pool_client).then_output(|| {
            DescribeUserPoolClientOutput::builder()
                .user_pool_client(
                    UserPoolClientType::builder()
                        .client_id("c")
                        .client_secret("never-kept")
                        .build(),
                )
                .build()
        });
        let groups_1 = mock!(Client::list_groups)
            .match_requests(|r| r.next_token().is_none())
            .then_output(|| {
                ListGroupsOutput::builder()
                    .groups(GroupType::builder().group_name("Lend2B").build())
                    .next_token("g-next")
                    .build()
            });
        let groups_2 = mock!(Client::list_groups)
            .match_requests(|r| r.next_token() == Some("g-next"))
            .then_output(|| {
                ListGroupsOutput::builder()
                    .groups(GroupType::builder().group_name("Lender").build())
                    .build()
            });
        let l = ledger.clone();
        let idp = mock_client!(
            aws_sdk_cognitoidentityprovider,
            RuleMode::MatchAny,
            &[
                &first, &second, &describe, &risk, &mfa, &clients_1, &clients_2, &client,
                &groups_1, &groups_2
            ],
            move |b| b.interceptor(l.clone())
        );
        let ctx = Ctx::offline();
        let inv = collect_with(&ctx, &idp, "eu-west-1")
            .await
            .expect("collected");
        let ids: Vec<&str> = inv.user_pools.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids, ["p1", "p2", "p3"], "both pages of pools");
        for p in &inv.user_pools {
            let clients = p.clients.get().expect("clients");
            assert_eq!(clients.len(), 2, "both pages of clients");
            assert!(
                clients.iter().all(|c| c.has_secret),
                "the secret is noted, not kept"
            );
            let groups: Vec<&str> = p
                .groups
                .get()
                .expect("groups")
                .iter()
                .map(|g| g.name.as_str())
                .collect();
            assert_eq!(groups, ["Lend2B", "Lender"], "both pages of groups");
            // ENFORCED, so the risk configuration was asked, and its failure is a gap.
            assert!(
                matches!(&p.risk, Some(crate::inventory::Collected::Gap(_))),
                "{:?}",
                p.risk
            );
        }
        let json = serde_json::to_string(&inv).expect("serialise");
        assert!(
            !json.contains("never-kept"),
            "no client secret in the inventory"
        );
        let pages = ledger
            .snapshot()
            .iter()
            .find(|c| c.operation == "ListUserPools")
            .map(|c| c.calls);
        assert_eq!(pages, Some(2));
    }
}
