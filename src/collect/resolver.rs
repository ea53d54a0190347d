//! Name resolution for scans against a local endpoint (an emulator on loopback).
//!
//! S3 Control puts the account id in front of the endpoint's host
//! (`123456789012.s3-control.eu-west-1.amazonaws.com`, and against `http://localhost:PORT`,
//! `123456789012.localhost`). RFC 6761 reserves `localhost` and every name under it for
//! loopback, but the system resolver does not always honour that (glibc does not). This
//! resolver does, and asks the system for every other name. It is installed only when an
//! endpoint is overridden (`--endpoint-url`, `AWS_ENDPOINT_URL*`); a scan of AWS keeps the
//! SDK's own client untouched.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use aws_smithy_http_client::proxy::ProxyConfig;
use aws_smithy_http_client::tls::{Provider, rustls_provider::CryptoMode};
use aws_smithy_http_client::{Builder, ConnectorBuilder};
use aws_smithy_runtime_api::client::dns::{DnsFuture, ResolveDns, ResolveDnsError};
use aws_smithy_runtime_api::client::http::SharedHttpClient;

/// Resolves `localhost` and `*.localhost` to loopback, and other names as the system does.
#[derive(Debug, Clone, Copy, Default)]
pub struct LoopbackResolver;

/// Whether RFC 6761 makes `name` a loopback name.
pub fn is_loopback_name(name: &str) -> bool {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    name == "localhost" || name.ends_with(".localhost")
}

impl ResolveDns for LoopbackResolver {
    fn resolve_dns<'a>(&'a self, name: &'a str) -> DnsFuture<'a> {
        if is_loopback_name(name) {
            // IPv4 first: emulators usually listen on 127.0.0.1 only, and the connector
            // moves to the next address when one refuses.
            return DnsFuture::ready(Ok(vec![
                IpAddr::V4(Ipv4Addr::LOCALHOST),
                IpAddr::V6(Ipv6Addr::LOCALHOST),
            ]));
        }
        let name = name.to_string();
        DnsFuture::new(async move {
            let found = tokio::net::lookup_host((name.as_str(), 0))
                .await
                .map_err(ResolveDnsError::new)?;
            Ok(found.map(|a| a.ip()).collect())
        })
    }
}

/// The SDK's default HTTPS client (rustls with aws-lc, proxy settings from the
/// environment), with [`LoopbackResolver`] in place of the system's.
pub fn http_client() -> SharedHttpClient {
    Builder::new().build_with_connector_fn(|settings, components| {
        let mut b = ConnectorBuilder::default().tls_provider(Provider::Rustls(CryptoMode::AwsLc));
        b.set_connector_settings(settings.cloned());
        if let Some(c) = components {
            b.set_sleep_impl(c.sleep_impl());
        }
        b.set_proxy_config(Some(ProxyConfig::from_env()));
        b.build_with_resolver(LoopbackResolver)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_under_localhost_are_loopback() {
        for name in [
            "localhost",
            "LOCALHOST",
            "localhost.",
            "123456789012.localhost",
            "a.b.localhost",
        ] {
            assert!(is_loopback_name(name), "{name}");
        }
        for name in [
            "localhost.example.com",
            "notlocalhost",
            "123456789012.127.0.0.1",
            "s3-control.eu-west-1.amazonaws.com",
        ] {
            assert!(!is_loopback_name(name), "{name}");
        }
    }

    #[tokio::test]
    async fn the_account_prefixed_name_reaches_loopback_and_others_go_to_the_system() {
        let r = LoopbackResolver;
        let ips = r
            .resolve_dns("123456789012.localhost")
            .await
            .expect("resolves");
        assert_eq!(ips[0], IpAddr::V4(Ipv4Addr::LOCALHOST));
        assert!(ips.iter().all(|ip| ip.is_loopback()));
        // An IP literal goes to the system resolver, which answers it as is.
        let ips = r.resolve_dns("127.0.0.1").await.expect("resolves");
        assert_eq!(ips, [IpAddr::V4(Ipv4Addr::LOCALHOST)]);
    }
}
