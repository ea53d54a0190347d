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
    if let Some(code) = raw_field(err, "Code") {
        return code;
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
        _ => raw_field(err, "Message")
            .unwrap_or_else(|| short(&DisplayErrorContext(err).to_string())),
    }
}

/// An XML field (`Code`, `Message`) of an error body the SDK could not parse: some
/// endpoints (emulators, proxies) wrap errors in shapes other than the service's own.
fn raw_field<E>(err: &SdkError<E, HttpResponse>, tag: &str) -> Option<String> {
    let raw = err.raw_response()?;
    let body = std::str::from_utf8(raw.body().bytes()?).ok()?;
    let open = format!("<{tag}>");
    let start = body.find(&open)? + open.len();
    let len = body[start..].find(&format!("</{tag}>"))?;
    let value = body[start..start + len].trim();
    (!value.is_empty()).then(|| value.to_string())
}

/// The most specific causes of an error as `DisplayErrorContext` renders it
/// (`outer: cause: root cause (Debug form)`): the Debug form dropped, the last two causes kept.
pub fn short(detail: &str) -> String {
    let mut text = detail.trim_end();
    if text.ends_with(')') {
        let mut depth = 0i32;
        for (i, c) in text.char_indices().rev() {
            match c {
                ')' => depth += 1,
                '(' => depth -= 1,
                _ => {}
            }
            if depth == 0 {
                text = text[..i].trim_end();
                break;
            }
        }
    }
    let parts: Vec<&str> = text.split(": ").collect();
    let keep = parts.len().saturating_sub(2);
    parts[keep..].join(": ")
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

#[cfg(test)]
mod tests {
    use super::short;

    #[test]
    fn short_keeps_the_root_causes() {
        let d = "dispatch failure: io error: client error (Connect): tcp connect error: Connection refused (os error 111) (DispatchFailure(DispatchFailure { source: ConnectorError { kind: Io } }))";
        assert_eq!(
            short(d),
            "tcp connect error: Connection refused (os error 111)"
        );
        let d = "dispatch failure: other: the credential provider was not enabled: no providers in chain provided credentials (DispatchFailure(x))";
        assert_eq!(
            short(d),
            "the credential provider was not enabled: no providers in chain provided credentials"
        );
        assert_eq!(short("plain"), "plain");
    }
}
