//! Turning SDK errors into gaps.

use std::error::Error;

use aws_sdk_iam::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;

use crate::inventory::Gap;

/// The error code of an SDK error: AWS's own code when it sent one, otherwise the kind of
/// failure (`Timeout`, `DispatchFailure`, `HttpStatus404`, ...). Never empty, so a failed
/// call can never look like a success.
pub fn error_code<E>(err: &SdkError<E, HttpResponse>) -> String
where
    E: ProvideErrorMetadata + Error + 'static,
{
    if let Some(code) = err.code() {
        return code.to_string();
    }
    match err {
        SdkError::ConstructionFailure(_) => "ConstructionFailure".into(),
        SdkError::TimeoutError(_) => "Timeout".into(),
        SdkError::DispatchFailure(d) if d.is_timeout() => "Timeout".into(),
        SdkError::DispatchFailure(d) if d.is_io() => "ConnectionFailure".into(),
        SdkError::DispatchFailure(_) => "DispatchFailure".into(),
        SdkError::ResponseError(r) => format!("HttpStatus{}", r.raw().status().as_u16()),
        SdkError::ServiceError(s) => format!("HttpStatus{}", s.raw().status().as_u16()),
        _ => "Unknown".into(),
    }
}

/// A human-readable message for an SDK error, with its causes.
pub fn error_message<E>(err: &SdkError<E, HttpResponse>) -> String
where
    E: ProvideErrorMetadata + Error + 'static,
{
    match err.message() {
        Some(m) if !m.is_empty() => m.to_string(),
        _ => DisplayErrorContext(err).to_string(),
    }
}

pub fn gap<E>(service: &str, region: &str, operation: &str, err: &SdkError<E, HttpResponse>) -> Gap
where
    E: ProvideErrorMetadata + Error + 'static,
{
    Gap {
        service: service.to_string(),
        region: region.to_string(),
        operation: operation.to_string(),
        error_code: error_code(err),
        message: error_message(err),
    }
}
