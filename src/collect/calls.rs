//! Counting, and gating, every AWS call the scan makes.
//!
//! [`CallLedger`] is an SDK interceptor attached to every client postura builds. It sees
//! each operation before it is serialised: an operation missing from
//! [`super::operations::OPERATIONS`] is refused there, so the binary cannot call anything
//! the published policy does not list; a declared one is counted, once per call and once
//! per attempt (retries show as attempts > calls).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::{
    BeforeSerializationInterceptorContextRef, BeforeTransmitInterceptorContextRef,
};
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;

use super::operations;
use crate::inventory::ApiCallCount;

#[derive(Default, Debug)]
struct Counts {
    calls: u64,
    attempts: u64,
}

/// (service, region, operation).
type CallKey = (String, String, String);

/// Shared, cloneable ledger of calls; the interceptor and the scan hold the same one.
#[derive(Clone, Debug, Default)]
pub struct CallLedger {
    inner: Arc<Mutex<BTreeMap<CallKey, Counts>>>,
}

/// The error a refused (undeclared) operation fails with.
#[derive(Debug, thiserror::Error)]
#[error(
    "postura refused to call {service} {operation}: it is not in the declared list of read-only operations"
)]
pub struct UndeclaredOperation {
    pub service: String,
    pub operation: String,
}

impl CallLedger {
    pub fn new() -> Self {
        Self::default()
    }

    fn bump(&self, cfg: &ConfigBag, attempt: bool) -> Result<(), BoxError> {
        let Some(meta) = cfg.load::<Metadata>() else {
            return Err("an AWS call carried no operation metadata; refusing it".into());
        };
        if operations::lookup(meta.service(), meta.name()).is_none() {
            return Err(Box::new(UndeclaredOperation {
                service: meta.service().to_string(),
                operation: meta.name().to_string(),
            }));
        }
        // IAM is global whatever region its client names.
        let region = if meta.service() == "IAM" {
            crate::inventory::GLOBAL_REGION.to_string()
        } else {
            cfg.load::<aws_types::region::Region>()
                .map(|r| r.to_string())
                .unwrap_or_default()
        };
        let mut map = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let entry = map
            .entry((meta.service().to_string(), region, meta.name().to_string()))
            .or_default();
        if attempt {
            entry.attempts += 1;
        } else {
            entry.calls += 1;
        }
        Ok(())
    }

    /// The counts so far, sorted by service, region and operation.
    pub fn snapshot(&self) -> Vec<ApiCallCount> {
        let map = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        map.iter()
            .map(|((service, region, operation), c)| ApiCallCount {
                service: service.clone(),
                region: region.clone(),
                operation: operation.clone(),
                iam_action: operations::lookup(service, operation)
                    .map(|o| o.iam_action.to_string())
                    .unwrap_or_default(),
                calls: c.calls,
                attempts: c.attempts,
            })
            .collect()
    }
}

impl Intercept for CallLedger {
    fn name(&self) -> &'static str {
        "PosturaCallLedger"
    }

    // Client-level `read_before_execution` runs before the operation's configuration (and
    // so its `Metadata`) is in the bag; serialisation is the first hook that sees it and
    // still runs once per call, before anything is sent.
    fn read_before_serialization(
        &self,
        _context: &BeforeSerializationInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        self.bump(cfg, false)
    }

    fn read_before_attempt(
        &self,
        _context: &BeforeTransmitInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        self.bump(cfg, true)
    }
}

#[cfg(test)]
mod tests {
    use aws_sdk_iam::Client;
    use aws_sdk_iam::config::{BehaviorVersion, Credentials, Region};
    use aws_sdk_iam::error::DisplayErrorContext;
    use aws_sdk_iam::operation::get_account_summary::GetAccountSummaryOutput;
    use aws_smithy_mocks::{RuleMode, mock, mock_client};

    use super::CallLedger;

    #[tokio::test]
    async fn undeclared_operations_are_refused_before_they_are_sent() {
        // Nothing listens on port 9: had the request been sent, the error would be a
        // connection failure, not the refusal.
        let ledger = CallLedger::new();
        let iam = Client::from_conf(
            aws_sdk_iam::Config::builder()
                .behavior_version(BehaviorVersion::latest())
                .region(Region::new("us-east-1"))
                .credentials_provider(Credentials::for_tests())
                .endpoint_url("http://127.0.0.1:9")
                .interceptor(ledger.clone())
                .build(),
        );
        let err = iam
            .create_user()
            .user_name("intruder")
            .send()
            .await
            .expect_err("a write is refused");
        let text = DisplayErrorContext(&err).to_string();
        assert!(text.contains("refused to call IAM CreateUser"), "{text}");
        assert!(!text.to_lowercase().contains("connect"), "{text}");
        assert!(
            ledger.snapshot().is_empty(),
            "a refused call is not counted"
        );
    }

    #[tokio::test]
    async fn declared_calls_are_counted_with_their_action() {
        let summary = mock!(Client::get_account_summary)
            .then_output(|| GetAccountSummaryOutput::builder().build());
        let ledger = CallLedger::new();
        let interceptor = ledger.clone();
        let iam = mock_client!(aws_sdk_iam, RuleMode::MatchAny, [&summary], move |b| b
            .interceptor(interceptor.clone()));
        iam.get_account_summary()
            .send()
            .await
            .expect("a declared read goes through");
        iam.get_account_summary().send().await.expect("twice");
        let counts = ledger.snapshot();
        assert_eq!(counts.len(), 1, "{counts:?}");
        assert_eq!(counts[0].operation, "GetAccountSummary");
        assert_eq!(counts[0].iam_action, "iam:GetAccountSummary");
        assert_eq!(counts[0].calls, 2);
    }
}
