//! IAM collector: a handful of calls whatever the number of users. The credential report
//! gives every user's credentials in one CSV; GetAccountAuthorizationDetails gives users,
//! groups, roles and policies with their documents, a page at a time.

use std::collections::BTreeMap;
use std::time::Duration;

use aws_sdk_iam::types::{AttachedPolicy as SdkAttached, PolicyDetail, ReportStateType};
use chrono::{DateTime, Utc};

use super::{Ctx, call, fanout};
use crate::inventory::iam::*;
use crate::inventory::{GLOBAL_REGION, Gap};
use crate::policy::document::normalise;

const SERVICE: &str = "IAM";

/// How long to wait for IAM to build the credential report, in total.
const REPORT_WAIT: Duration = Duration::from_secs(120);

pub async fn collect(ctx: &Ctx) -> IamInventory {
    let (credential_report, account_summary, password_policy, virtual_mfa_devices, details, oidc) = fanout::join!(
        credential_report(ctx),
        account_summary(ctx),
        password_policy(ctx),
        virtual_mfa_devices(ctx),
        authorization_details(ctx),
        oidc_providers(ctx),
    );
    IamInventory {
        credential_report: credential_report.into(),
        account_summary: account_summary.into(),
        password_policy: password_policy.into(),
        virtual_mfa_devices: virtual_mfa_devices.into(),
        authorization_details: details.into(),
        oidc_providers: oidc.into(),
    }
}

fn gap(operation: &str, code: &str, message: impl Into<String>) -> Gap {
    Gap {
        service: SERVICE.into(),
        region: GLOBAL_REGION.into(),
        operation: operation.into(),
        error_code: code.into(),
        message: message.into(),
    }
}

fn to_chrono(d: &aws_smithy_types::DateTime) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp(d.secs(), d.subsec_nanos())
}

async fn credential_report(ctx: &Ctx) -> Result<CredentialReport, Gap> {
    let iam = &ctx.clients.iam;
    let mut delay = Duration::from_millis(200);
    let mut waited = Duration::ZERO;
    loop {
        let out = call(
            ctx,
            SERVICE,
            GLOBAL_REGION,
            "GenerateCredentialReport",
            iam.generate_credential_report().send(),
        )
        .await?;
        if out.state() == Some(&ReportStateType::Complete) {
            break;
        }
        if waited >= REPORT_WAIT {
            return Err(gap(
                "GenerateCredentialReport",
                "ReportNotReady",
                format!(
                    "IAM had not finished the credential report after {}s",
                    REPORT_WAIT.as_secs()
                ),
            ));
        }
        tokio::time::sleep(delay).await;
        waited += delay;
        delay = (delay * 2).min(Duration::from_secs(4));
    }
    let out = call(
        ctx,
        SERVICE,
        GLOBAL_REGION,
        "GetCredentialReport",
        iam.get_credential_report().send(),
    )
    .await?;
    let content = out.content().ok_or_else(|| {
        gap(
            "GetCredentialReport",
            "MalformedResponse",
            "the answer had no report content",
        )
    })?;
    CredentialReport::from_csv(content.as_ref(), out.generated_time().and_then(to_chrono))
        .map_err(|e| gap("GetCredentialReport", "MalformedResponse", e.to_string()))
}

async fn account_summary(ctx: &Ctx) -> Result<BTreeMap<String, i64>, Gap> {
    let out = call(
        ctx,
        SERVICE,
        GLOBAL_REGION,
        "GetAccountSummary",
        ctx.clients.iam.get_account_summary().send(),
    )
    .await?;
    Ok(out
        .summary_map()
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.as_str().to_string(), i64::from(*v)))
                .collect()
        })
        .unwrap_or_default())
}

async fn password_policy(ctx: &Ctx) -> Result<Option<PasswordPolicy>, Gap> {
    // No policy set: IAM answers NoSuchEntity. That is a fact, not a gap.
    let out = super::call_optional(
        ctx,
        SERVICE,
        GLOBAL_REGION,
        "GetAccountPasswordPolicy",
        ctx.clients.iam.get_account_password_policy().send(),
        |e| e.is_no_such_entity_exception(),
    )
    .await?;
    Ok(out.and_then(|out| {
        out.password_policy().map(|p| PasswordPolicy {
            minimum_password_length: p.minimum_password_length(),
            require_symbols: p.require_symbols(),
            require_numbers: p.require_numbers(),
            require_uppercase_characters: p.require_uppercase_characters(),
            require_lowercase_characters: p.require_lowercase_characters(),
            allow_users_to_change_password: p.allow_users_to_change_password(),
            expire_passwords: p.expire_passwords(),
            max_password_age: p.max_password_age(),
            password_reuse_prevention: p.password_reuse_prevention(),
            hard_expiry: p.hard_expiry(),
        })
    }))
}

async fn virtual_mfa_devices(ctx: &Ctx) -> Result<Vec<VirtualMfaDevice>, Gap> {
    let devices = call(
        ctx,
        SERVICE,
        GLOBAL_REGION,
        "ListVirtualMFADevices",
        ctx.clients
            .iam
            .list_virtual_mfa_devices()
            .max_items(1000)
            .into_paginator()
            .items()
            .send()
            .try_collect(),
    )
    .await?;
    Ok(devices
        .into_iter()
        .map(|d| VirtualMfaDevice {
            serial_number: d.serial_number().to_string(),
            user_arn: d.user().map(|u| u.arn().to_string()),
        })
        .collect())
}

fn attached(list: &[SdkAttached]) -> Vec<AttachedPolicy> {
    list.iter()
        .map(|p| AttachedPolicy {
            name: p.policy_name().unwrap_or_default().to_string(),
            arn: p.policy_arn().unwrap_or_default().to_string(),
        })
        .collect()
}

fn inline(list: &[PolicyDetail]) -> Vec<InlinePolicy> {
    list.iter()
        .map(|p| InlinePolicy {
            name: p.policy_name().unwrap_or_default().to_string(),
            document: p.policy_document().map(normalise),
        })
        .collect()
}

async fn authorization_details(ctx: &Ctx) -> Result<AuthorizationDetails, Gap> {
    let pages = call(
        ctx,
        SERVICE,
        GLOBAL_REGION,
        "GetAccountAuthorizationDetails",
        ctx.clients
            .iam
            .get_account_authorization_details()
            // The largest page IAM serves: a 500-user account fits in one or two.
            .max_items(1000)
            .into_paginator()
            .send()
            .try_collect(),
    )
    .await?;
    // Every policy ARN a principal holds, across all pages, so that no held policy is dropped.
    let attached_arns: std::collections::BTreeSet<&str> = pages
        .iter()
        .flat_map(|page| {
            let users = page
                .user_detail_list()
                .iter()
                .flat_map(|u| u.attached_managed_policies());
            let groups = page
                .group_detail_list()
                .iter()
                .flat_map(|g| g.attached_managed_policies());
            let roles = page
                .role_detail_list()
                .iter()
                .flat_map(|r| r.attached_managed_policies());
            users
                .chain(groups)
                .chain(roles)
                .filter_map(|p| p.policy_arn())
        })
        // Policies used as permissions boundaries are held too.
        .chain(pages.iter().flat_map(|page| {
            let users = page
                .user_detail_list()
                .iter()
                .filter_map(|u| u.permissions_boundary());
            let roles = page
                .role_detail_list()
                .iter()
                .filter_map(|r| r.permissions_boundary());
            users
                .chain(roles)
                .filter_map(|b| b.permissions_boundary_arn())
        }))
        .collect();
    let mut details = AuthorizationDetails::default();
    for page in &pages {
        details
            .users
            .extend(page.user_detail_list().iter().map(|u| {
                User {
                    name: u.user_name().unwrap_or_default().to_string(),
                    arn: u.arn().unwrap_or_default().to_string(),
                    id: u.user_id().unwrap_or_default().to_string(),
                    groups: u.group_list().to_vec(),
                    attached_managed_policies: attached(u.attached_managed_policies()),
                    inline_policies: inline(u.user_policy_list()),
                    permissions_boundary: u
                        .permissions_boundary()
                        .and_then(|b| b.permissions_boundary_arn())
                        .map(str::to_string),
                }
            }));
        details
            .groups
            .extend(page.group_detail_list().iter().map(|g| Group {
                name: g.group_name().unwrap_or_default().to_string(),
                arn: g.arn().unwrap_or_default().to_string(),
                id: g.group_id().unwrap_or_default().to_string(),
                attached_managed_policies: attached(g.attached_managed_policies()),
                inline_policies: inline(g.group_policy_list()),
            }));
        details
            .roles
            .extend(page.role_detail_list().iter().map(|r| {
                Role {
                    name: r.role_name().unwrap_or_default().to_string(),
                    arn: r.arn().unwrap_or_default().to_string(),
                    id: r.role_id().unwrap_or_default().to_string(),
                    trust_policy: r.assume_role_policy_document().map(normalise),
                    attached_managed_policies: attached(r.attached_managed_policies()),
                    inline_policies: inline(r.role_policy_list()),
                    permissions_boundary: r
                        .permissions_boundary()
                        .and_then(|b| b.permissions_boundary_arn())
                        .map(str::to_string),
                }
            }));
        // AWS managed policies nobody holds are AWS's catalogue, not the account's: some
        // endpoints list all of them (over 1,500 documents). Keep the attached ones.
        let kept = page.policies().iter().filter(|p| {
            let arn = p.arn().unwrap_or_default();
            !arn.contains(":iam::aws:policy/")
                || p.attachment_count().unwrap_or(1) > 0
                || attached_arns.contains(arn)
        });
        details.policies.extend(kept.map(|p| {
            ManagedPolicy {
                name: p
                    .policy_name()
                    .map(str::trim)
                    .filter(|n| !n.is_empty())
                    .map(str::to_string)
                    .unwrap_or_else(|| name_from_arn(p.arn().unwrap_or_default())),
                arn: p.arn().unwrap_or_default().to_string(),
                id: p.policy_id().unwrap_or_default().to_string(),
                attachment_count: p.attachment_count().unwrap_or_default(),
                document: p
                    .policy_version_list()
                    .iter()
                    .find(|v| v.is_default_version())
                    .and_then(|v| v.document())
                    .map(normalise),
                other_versions: p
                    .policy_version_list()
                    .iter()
                    .filter(|v| !v.is_default_version())
                    .map(|v| PolicyVersion {
                        version_id: v.version_id().unwrap_or_default().to_string(),
                        document: v.document().map(normalise),
                    })
                    .collect(),
            }
        }));
    }
    Ok(details)
}

/// The OpenID Connect providers: one list call, then one call per provider, concurrently.
async fn oidc_providers(ctx: &Ctx) -> Result<Vec<OidcProvider>, Gap> {
    let list = call(
        ctx,
        SERVICE,
        GLOBAL_REGION,
        "ListOpenIDConnectProviders",
        ctx.clients.iam.list_open_id_connect_providers().send(),
    )
    .await?;
    let arns: Vec<String> = list
        .open_id_connect_provider_list()
        .iter()
        .filter_map(|p| p.arn().map(str::to_string))
        .collect();
    let details = super::fanout::each(arns.iter(), |arn| {
        call(
            ctx,
            SERVICE,
            GLOBAL_REGION,
            "GetOpenIDConnectProvider",
            ctx.clients
                .iam
                .get_open_id_connect_provider()
                .open_id_connect_provider_arn(arn)
                .send(),
        )
    })
    .await;
    arns.into_iter()
        .zip(details)
        .map(|(arn, out)| {
            let out = out?;
            Ok(OidcProvider {
                url: out.url().unwrap_or_default().to_string(),
                client_ids: out.client_id_list().to_vec(),
                thumbprints: out.thumbprint_list().to_vec(),
                arn,
            })
        })
        .collect()
}

/// `arn:aws:iam::aws:policy/job-function/ViewOnlyAccess` -> `ViewOnlyAccess`.
fn name_from_arn(arn: &str) -> String {
    arn.rsplit('/').next().unwrap_or(arn).to_string()
}

#[cfg(test)]
mod tests {
    //! Collector behaviour that moto cannot show: pagination (moto answers
    //! GetAccountAuthorizationDetails in one page), throttling that outlasts retries, and
    //! the credential report's STARTED/INPROGRESS/COMPLETE polling.

    use std::time::Duration;

    use aws_sdk_iam::Client;
    use aws_sdk_iam::config::retry::RetryConfig;
    use aws_sdk_iam::error::ErrorMetadata;
    use aws_sdk_iam::operation::generate_credential_report::GenerateCredentialReportOutput;
    use aws_sdk_iam::operation::get_account_authorization_details::{
        GetAccountAuthorizationDetailsError, GetAccountAuthorizationDetailsOutput,
    };
    use aws_sdk_iam::operation::get_account_password_policy::GetAccountPasswordPolicyError;
    use aws_sdk_iam::operation::get_credential_report::GetCredentialReportOutput;
    use aws_sdk_iam::types::error::NoSuchEntityException;
    use aws_sdk_iam::types::{ReportStateType, UserDetail};
    use aws_smithy_mocks::{RuleMode, mock, mock_client};
    use aws_smithy_types::Blob;

    use super::*;
    use crate::collect::Clients;
    use crate::collect::calls::CallLedger;

    fn ctx(rules: &[&aws_smithy_mocks::Rule], ledger: &CallLedger) -> Ctx {
        let ledger = ledger.clone();
        let iam = mock_client!(aws_sdk_iam, RuleMode::MatchAny, rules, move |b| b
            .interceptor(ledger.clone())
            .retry_config(
                RetryConfig::standard()
                    .with_max_attempts(3)
                    .with_initial_backoff(Duration::from_millis(1))
            ));
        let sts = aws_sdk_sts::Client::from_conf(
            aws_sdk_sts::Config::builder()
                .behavior_version(aws_sdk_sts::config::BehaviorVersion::latest())
                .region(aws_sdk_sts::config::Region::new("us-east-1"))
                .build(),
        );
        Ctx::with_clients(Clients { iam, sts })
    }

    fn calls(ledger: &CallLedger, op: &str) -> (u64, u64) {
        ledger
            .snapshot()
            .iter()
            .find(|c| c.operation == op)
            .map(|c| (c.calls, c.attempts))
            .unwrap_or((0, 0))
    }

    fn user(name: &str) -> UserDetail {
        UserDetail::builder()
            .user_name(name)
            .arn(format!("arn:aws:iam::123456789012:user/{name}"))
            .build()
    }

    #[tokio::test]
    async fn authorization_details_follow_every_page() {
        let first = mock!(Client::get_account_authorization_details)
            .match_requests(|r| r.marker().is_none())
            .then_output(|| {
                GetAccountAuthorizationDetailsOutput::builder()
                    .user_detail_list(user("page-one"))
                    .is_truncated(true)
                    .marker("m1")
                    .build()
            });
        let second = mock!(Client::get_account_authorization_details)
            .match_requests(|r| r.marker() == Some("m1"))
            .then_output(|| {
                GetAccountAuthorizationDetailsOutput::builder()
                    .user_detail_list(user("page-two"))
                    .is_truncated(false)
                    .build()
            });
        let ledger = CallLedger::new();
        let details = authorization_details(&ctx(&[&first, &second], &ledger))
            .await
            .expect("collected");
        let names: Vec<&str> = details.users.iter().map(|u| u.name.as_str()).collect();
        assert_eq!(names, ["page-one", "page-two"]);
        assert_eq!(calls(&ledger, "GetAccountAuthorizationDetails"), (2, 2));
    }

    #[tokio::test]
    async fn throttling_that_outlasts_retries_is_a_gap() {
        let throttled = mock!(Client::get_account_authorization_details)
            .sequence()
            .error(|| {
                GetAccountAuthorizationDetailsError::generic(
                    ErrorMetadata::builder()
                        .code("Throttling")
                        .message("Rate exceeded")
                        .build(),
                )
            })
            .repeatedly()
            .build();
        let ledger = CallLedger::new();
        let gap = authorization_details(&ctx(&[&throttled], &ledger))
            .await
            .expect_err("a gap, not an empty inventory");
        assert_eq!(gap.error_code, "Throttling");
        assert_eq!(gap.operation, "GetAccountAuthorizationDetails");
        assert_eq!(gap.message, "Rate exceeded");
        assert_eq!(
            calls(&ledger, "GetAccountAuthorizationDetails"),
            (1, 3),
            "retried before giving up"
        );
    }

    #[tokio::test]
    async fn no_password_policy_is_a_fact_not_a_gap() {
        let none = mock!(Client::get_account_password_policy).then_error(|| {
            GetAccountPasswordPolicyError::NoSuchEntityException(
                NoSuchEntityException::builder()
                    .message("The Password Policy with domain name 123456789012 cannot be found.")
                    .build(),
            )
        });
        let ledger = CallLedger::new();
        assert_eq!(password_policy(&ctx(&[&none], &ledger)).await, Ok(None));
    }

    #[tokio::test]
    async fn credential_report_is_polled_until_complete() {
        let generate = mock!(Client::generate_credential_report)
            .sequence()
            .output(|| {
                GenerateCredentialReportOutput::builder()
                    .state(ReportStateType::Started)
                    .build()
            })
            .output(|| {
                GenerateCredentialReportOutput::builder()
                    .state(ReportStateType::Inprogress)
                    .build()
            })
            .output(|| {
                GenerateCredentialReportOutput::builder()
                    .state(ReportStateType::Complete)
                    .build()
            })
            .build();
        let get = mock!(Client::get_credential_report).then_output(|| {
            GetCredentialReportOutput::builder()
                .content(Blob::new(concat!(
                    "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,",
                    "mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,",
                    "access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,",
                    "access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,",
                    "access_key_2_last_used_service\n",
                    "<root_account>,arn:aws:iam::123456789012:root,2020-01-01T00:00:00+00:00,not_supported,",
                    "N/A,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A\n"
                )))
                .build()
        });
        let ledger = CallLedger::new();
        let report = credential_report(&ctx(&[&generate, &get], &ledger))
            .await
            .expect("report");
        assert!(report.root().is_some_and(|r| r.mfa_active));
        assert_eq!(calls(&ledger, "GenerateCredentialReport").0, 3);
        assert_eq!(calls(&ledger, "GetCredentialReport").0, 1);
    }
}
