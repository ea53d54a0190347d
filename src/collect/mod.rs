//! Collect: the only code that talks to AWS.
//!
//! One collector per service (`iam`, `ec2`, ...), global ones run once and regional ones in
//! every scanned region; [`fanout`] runs them all concurrently under one bound on requests
//! in flight. Every list call follows pagination to the end. A failed call becomes a
//! [`Gap`] in the inventory, never a crash and never an empty list.

pub mod calls;
mod cloudtrail;
mod cognito;
pub mod config;
mod detection;
mod ec2;
pub mod errors;
mod fanout;
pub use fanout::{Progress, Quiet};
mod iam;
pub mod operations;
mod rds;
pub mod regions;
pub mod resolver;
mod s3;
mod securityhub;

use std::sync::Arc;

use aws_config::SdkConfig;
use aws_sdk_sts::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use chrono::Utc;
use tokio::sync::{Semaphore, SemaphorePermit};

use crate::error::UserError;
use crate::inventory::{Account, Gap, Inventory, SCHEMA_VERSION, Tool};
use calls::CallLedger;
pub use config::Target;
use errors::short;

/// Requests in flight at once, across all services and regions, unless `--max-requests`
/// says otherwise. Chosen from `scripts/bench` (see the README): past it, a scan of many
/// regions gets no faster and AWS throttles sooner.
pub const DEFAULT_MAX_REQUESTS: usize = 16;

/// One client per service, each carrying the call ledger.
pub struct Clients {
    pub iam: aws_sdk_iam::Client,
    pub sts: aws_sdk_sts::Client,
}

impl Clients {
    pub fn new(config: &SdkConfig, ledger: &CallLedger) -> Self {
        Clients {
            iam: aws_sdk_iam::Client::from_conf(
                aws_sdk_iam::config::Builder::from(config)
                    .interceptor(ledger.clone())
                    .build(),
            ),
            sts: aws_sdk_sts::Client::from_conf(
                aws_sdk_sts::config::Builder::from(config)
                    .interceptor(ledger.clone())
                    .build(),
            ),
        }
    }
}

/// What every collector gets: the global clients, a way to make regional ones, and the
/// bound on requests in flight.
pub struct Ctx {
    pub clients: Clients,
    config: SdkConfig,
    ledger: CallLedger,
    limit: Arc<Semaphore>,
}

impl Ctx {
    pub fn new(config: SdkConfig, ledger: CallLedger, max_requests: usize) -> Self {
        Ctx {
            clients: Clients::new(&config, &ledger),
            config,
            ledger,
            limit: Arc::new(Semaphore::new(max_requests.max(1))),
        }
    }

    /// A context around ready-made clients (the collectors' unit tests' mocks).
    #[cfg(test)]
    pub fn with_clients(clients: Clients) -> Self {
        Ctx {
            clients,
            config: SdkConfig::builder().build(),
            ledger: CallLedger::new(),
            limit: Arc::new(Semaphore::new(DEFAULT_MAX_REQUESTS)),
        }
    }

    /// The endpoint S3 Control is sent to, when one is overridden (an emulator).
    pub fn endpoint_url(&self) -> Option<String> {
        std::env::var("AWS_ENDPOINT_URL_S3_CONTROL")
            .ok()
            .filter(|v| !v.is_empty())
            .or_else(|| self.config.endpoint_url().map(str::to_string))
    }

    /// An S3 client for `region`, carrying the call ledger. Against an overridden endpoint
    /// (an emulator) it asks for buckets by path, not by host name.
    pub fn s3(&self, region: &str) -> aws_sdk_s3::Client {
        let local = self.config.endpoint_url().is_some()
            || std::env::var("AWS_ENDPOINT_URL_S3").is_ok_and(|v| !v.is_empty());
        aws_sdk_s3::Client::from_conf(
            aws_sdk_s3::config::Builder::from(&self.config)
                .region(aws_sdk_s3::config::Region::new(region.to_string()))
                .force_path_style(local)
                .interceptor(self.ledger.clone())
                .build(),
        )
    }

    /// A context whose own IAM and STS clients go nowhere, for collector tests that pass
    /// a mocked client of another service.
    #[cfg(test)]
    pub fn offline() -> Self {
        let sts = aws_sdk_sts::Client::from_conf(
            aws_sdk_sts::Config::builder()
                .behavior_version(aws_sdk_sts::config::BehaviorVersion::latest())
                .region(aws_sdk_sts::config::Region::new("eu-west-1"))
                .build(),
        );
        let iam = aws_sdk_iam::Client::from_conf(
            aws_sdk_iam::Config::builder()
                .behavior_version(aws_sdk_iam::config::BehaviorVersion::latest())
                .region(aws_sdk_iam::config::Region::new("eu-west-1"))
                .build(),
        );
        Ctx::with_clients(Clients { iam, sts })
    }

    /// Waits for a slot; hold the permit for the duration of the call (or paginated run).
    pub async fn slot(&self) -> Option<SemaphorePermit<'_>> {
        // Acquiring fails only on a closed semaphore, and this one is never closed; were it
        // ever, the call would go ahead unbounded rather than spin or hang.
        self.limit.acquire().await.ok()
    }
}

/// A regional client of each service the scan reads, built the same way: the scan's
/// configuration, the region, and the call ledger (S3 differs, and is written out).
macro_rules! regional_clients {
    ($($(#[$doc:meta])* $name:ident => $sdk:ident;)*) => {
        impl Ctx {
            $(
                $(#[$doc])*
                pub fn $name(&self, region: &str) -> $sdk::Client {
                    $sdk::Client::from_conf(
                        $sdk::config::Builder::from(&self.config)
                            .region($sdk::config::Region::new(region.to_string()))
                            .interceptor(self.ledger.clone())
                            .build(),
                    )
                }
            )*
        }
    };
}

regional_clients! {
    /// An RDS client for `region`, carrying the call ledger.
    rds => aws_sdk_rds;
    /// An S3 Control client for `region`, carrying the call ledger.
    s3control => aws_sdk_s3control;
    /// A Cognito user pools client for `region`, carrying the call ledger.
    cognito => aws_sdk_cognitoidentityprovider;
    /// A CloudTrail client for `region`, carrying the call ledger.
    cloudtrail => aws_sdk_cloudtrail;
    /// An IAM Access Analyzer client for `region`, carrying the call ledger.
    accessanalyzer => aws_sdk_accessanalyzer;
    /// A GuardDuty client for `region`, carrying the call ledger.
    guardduty => aws_sdk_guardduty;
    /// An AWS Config client for `region`, carrying the call ledger.
    config => aws_sdk_config;
    /// A Security Hub client for `region`, carrying the call ledger.
    securityhub => aws_sdk_securityhub;
    /// An EC2 client for `region`, carrying the call ledger.
    ec2 => aws_sdk_ec2;
}

/// Collects the inventory of the account behind the configured credentials.
pub async fn collect(target: &Target) -> Result<Inventory, UserError> {
    collect_with(target, &fanout::Quiet).await
}

/// As [`collect`], telling `progress` as collectors finish.
pub async fn collect_with(
    target: &Target,
    progress: &dyn fanout::Progress,
) -> Result<Inventory, UserError> {
    let started_at = Utc::now();
    let (config, home) = config::load(target).await?;
    let ledger = CallLedger::new();
    let ctx = Arc::new(Ctx::new(config, ledger.clone(), target.max_requests));
    let account = identity(&ctx, target, &home).await?;
    let plan = regions::plan(&ctx, &home, &account.partition, &target.regions).await?;
    let (iam, s3, cloudtrail, regional) =
        fanout::collect_all(ctx, &home, &account, &plan.scanned, progress).await;
    Ok(Inventory {
        schema_version: SCHEMA_VERSION,
        tool: Tool::this(),
        account,
        regions: plan.scanned,
        skipped_regions: plan.skipped,
        started_at,
        finished_at: Utc::now(),
        iam,
        s3,
        cloudtrail,
        regional,
        api_calls: ledger.snapshot(),
    })
}

/// sts:GetCallerIdentity: which account, as whom. Failing here means the scan cannot start,
/// so its errors become [`UserError`]s that say what to fix.
async fn identity(ctx: &Ctx, target: &Target, region: &str) -> Result<Account, UserError> {
    let _slot = ctx.slot().await;
    let out = ctx
        .clients
        .sts
        .get_caller_identity()
        .send()
        .await
        .map_err(|e| identity_error(&e, target, region))?;
    let arn = out.arn().unwrap_or_default().to_string();
    let partition = arn.split(':').nth(1).unwrap_or("aws").to_string();
    let id = out.account().unwrap_or_default().to_string();
    if id.is_empty() {
        return Err(UserError::Identity {
            detail: "the answer named no account".into(),
        });
    }
    Ok(Account {
        id,
        partition: if partition.is_empty() {
            "aws".into()
        } else {
            partition
        },
        scanned_by: arn,
    })
}

fn identity_error<E, R>(err: &SdkError<E, R>, target: &Target, region: &str) -> UserError
where
    E: aws_sdk_sts::error::ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug,
{
    let detail = DisplayErrorContext(err).to_string();
    let lower = detail.to_lowercase();
    if lower.contains("no credentials")
        || lower.contains("credentials provider was not enabled")
        || lower.contains("failed to load credentials")
        || lower.contains("no providers in chain")
    {
        return UserError::NoCredentials {
            detail: short(&detail),
        };
    }
    if let SdkError::ServiceError(_) = err {
        let code = err.code().unwrap_or("ServiceError").to_string();
        return match code.as_str() {
            "InvalidClientTokenId"
            | "SignatureDoesNotMatch"
            | "ExpiredToken"
            | "UnrecognizedClientException"
            | "AccessDenied"
            | "AccessDeniedException" => UserError::InvalidCredentials {
                detail: err.message().unwrap_or_default().to_string(),
                code,
            },
            _ => UserError::Identity {
                detail: short(&detail),
            },
        };
    }
    match err {
        SdkError::DispatchFailure(_) | SdkError::TimeoutError(_) => UserError::Unreachable {
            endpoint: config::describe_endpoint(target, "STS", region),
            detail: short(&detail),
        },
        _ => UserError::Identity {
            detail: short(&detail),
        },
    }
}

/// What an SDK call (or a paginated run) answers.
type SdkResult<T, E> =
    Result<T, SdkError<E, aws_smithy_runtime_api::client::orchestrator::HttpResponse>>;

/// Runs one call (or a whole paginated run) under the in-flight bound, turning an SDK error
/// into a gap.
pub(crate) async fn call<T, E, F>(
    ctx: &Ctx,
    service: &str,
    region: &str,
    operation: &str,
    fut: F,
) -> Result<T, Gap>
where
    F: std::future::Future<Output = SdkResult<T, E>>,
    E: aws_sdk_sts::error::ProvideErrorMetadata + std::error::Error + 'static,
{
    let _slot = ctx.slot().await;
    fut.await
        .map_err(|e| errors::gap(service, region, operation, &e))
}

/// Runs one call whose "not found" answer means "not configured" (no password policy, no
/// bucket policy, no encryption setting): that answer is `Ok(None)`, a fact; any other
/// failure is a gap, as with [`call`].
pub(crate) async fn call_optional<T, E, F>(
    ctx: &Ctx,
    service: &str,
    region: &str,
    operation: &str,
    fut: F,
    not_found: impl Fn(&E) -> bool,
) -> Result<Option<T>, Gap>
where
    F: std::future::Future<Output = SdkResult<T, E>>,
    E: aws_sdk_sts::error::ProvideErrorMetadata + std::error::Error + 'static,
{
    let _slot = ctx.slot().await;
    match fut.await {
        Ok(v) => Ok(Some(v)),
        Err(e) if e.as_service_error().is_some_and(&not_found) => Ok(None),
        Err(e) => Err(errors::gap(service, region, operation, &e)),
    }
}
