//! Where the scan goes and as whom: profile, regions, endpoint, as the AWS CLI does it.

use std::path::PathBuf;
use std::time::Duration;

use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};

use crate::error::UserError;

/// What the user asked for on the command line; `None`/empty means "as the AWS CLI would
/// decide": AWS_PROFILE, AWS_REGION, the profile's region, AWS_ENDPOINT_URL...
#[derive(Debug, Clone)]
pub struct Target {
    pub profile: Option<String>,
    /// The regions to scan; empty: every region enabled for the account.
    pub regions: Vec<String>,
    pub endpoint_url: Option<String>,
    /// Requests in flight at once, across the whole scan.
    pub max_requests: usize,
}

impl Default for Target {
    fn default() -> Self {
        Target {
            profile: None,
            regions: Vec::new(),
            endpoint_url: None,
            max_requests: super::DEFAULT_MAX_REQUESTS,
        }
    }
}

/// Loads the SDK configuration and the home region: the first `--region`, else the one
/// the AWS CLI would use. Global services and the list of regions are asked there.
pub async fn load(target: &Target) -> Result<(SdkConfig, String), UserError> {
    let env_profile = std::env::var("AWS_PROFILE").ok().filter(|p| !p.is_empty());
    if let Some(name) = target.profile.as_ref().or(env_profile.as_ref()) {
        check_profile_exists(name)?;
    }
    for r in &target.regions {
        validate_region(r)?;
    }
    if let Some(url) = &target.endpoint_url {
        validate_endpoint(url)?;
    }
    for var in endpoint_variables() {
        validate_endpoint(&var)?;
    }

    let mut loader = aws_config::defaults(BehaviorVersion::latest()).timeout_config(
        TimeoutConfig::builder()
            .connect_timeout(Duration::from_secs(5))
            .operation_attempt_timeout(Duration::from_secs(60))
            .operation_timeout(Duration::from_secs(300))
            .build(),
    );
    if let Some(p) = &target.profile {
        loader = loader.profile_name(p);
    }
    if let Some(first) = target.regions.first() {
        loader = loader.region(Region::new(first.clone()));
    }
    if let Some(url) = &target.endpoint_url {
        loader = loader.endpoint_url(url);
    }
    if target.endpoint_url.is_some() || !endpoint_variables().is_empty() {
        // A local endpoint: `<account>.localhost` (S3 Control) must reach loopback too.
        loader = loader.http_client(super::resolver::http_client());
    }
    let config = loader.load().await;

    let home = config.region().ok_or(UserError::NoRegion)?.to_string();
    validate_region(&home)?;
    Ok((config, home))
}

/// Region names look like `us-east-1`, `us-gov-west-1`, `eusc-de-east-1`.
pub fn validate_region(region: &str) -> Result<(), UserError> {
    let parts: Vec<&str> = region.split('-').collect();
    let ok = parts.len() >= 3
        && (2..=4).contains(&parts[0].len())
        && parts[0].chars().all(|c| c.is_ascii_lowercase())
        && parts[1..parts.len() - 1]
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase()))
        && parts
            .last()
            .is_some_and(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
    if ok {
        Ok(())
    } else {
        Err(UserError::InvalidRegion {
            region: region.to_string(),
        })
    }
}

fn validate_endpoint(url: &str) -> Result<(), UserError> {
    let rest = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"));
    match rest {
        Some(host) if !host.is_empty() && !host.starts_with('/') && !host.contains(' ') => Ok(()),
        _ => Err(UserError::InvalidEndpoint {
            url: url.to_string(),
        }),
    }
}

/// The values of `AWS_ENDPOINT_URL` and its per-service variants that are set.
fn endpoint_variables() -> Vec<String> {
    std::env::vars()
        .filter(|(k, v)| k.starts_with("AWS_ENDPOINT_URL") && !v.is_empty())
        .map(|(_, v)| v)
        .collect()
}

/// The endpoint requests go to, for error messages.
pub fn describe_endpoint(target: &Target, service_env: &str, region: &str) -> String {
    target
        .endpoint_url
        .clone()
        .or_else(|| std::env::var(format!("AWS_ENDPOINT_URL_{service_env}")).ok())
        .or_else(|| std::env::var("AWS_ENDPOINT_URL").ok())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| format!("the AWS {service_env} endpoint in {region}"))
}

fn home() -> Option<PathBuf> {
    std::env::var_os("HOME")
        .or_else(|| std::env::var_os("USERPROFILE"))
        .map(PathBuf::from)
}

fn config_files() -> Vec<(PathBuf, bool)> {
    let config = std::env::var_os("AWS_CONFIG_FILE")
        .map(PathBuf::from)
        .or_else(|| home().map(|h| h.join(".aws").join("config")));
    let credentials = std::env::var_os("AWS_SHARED_CREDENTIALS_FILE")
        .map(PathBuf::from)
        .or_else(|| home().map(|h| h.join(".aws").join("credentials")));
    // `true`: sections in this file are `[profile NAME]` (except `[default]`).
    [config.map(|p| (p, true)), credentials.map(|p| (p, false))]
        .into_iter()
        .flatten()
        .collect()
}

/// Profile names defined in an AWS config (`prefixed`) or credentials file.
pub fn profile_names(text: &str, prefixed: bool) -> Vec<String> {
    text.lines()
        .filter_map(|l| {
            let l = l.trim();
            let inner = l.strip_prefix('[')?.strip_suffix(']')?.trim();
            if prefixed {
                if inner == "default" {
                    return Some(inner.to_string());
                }
                inner
                    .strip_prefix("profile")
                    .filter(|rest| rest.starts_with(char::is_whitespace))
                    .map(|rest| rest.trim().to_string())
            } else {
                Some(inner.to_string())
            }
        })
        .collect()
}

fn check_profile_exists(name: &str) -> Result<(), UserError> {
    let mut available = Vec::new();
    let mut read = Vec::new();
    for (path, prefixed) in config_files() {
        if let Ok(text) = std::fs::read_to_string(&path) {
            read.push(path.display().to_string());
            available.extend(profile_names(&text, prefixed));
        }
    }
    if available.iter().any(|p| p == name) {
        return Ok(());
    }
    available.sort();
    available.dedup();
    Err(UserError::UnknownProfile {
        name: name.to_string(),
        files: if read.is_empty() {
            "any AWS config file (none was found)".to_string()
        } else {
            read.join(" or ")
        },
        available: if available.is_empty() {
            "No profile is defined.".to_string()
        } else {
            format!("Defined profiles: {}.", available.join(", "))
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_names() {
        for ok in [
            "us-east-1",
            "eu-west-3",
            "us-gov-west-1",
            "ap-southeast-5",
            "eusc-de-east-1",
        ] {
            assert!(validate_region(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "us-east",
            "useast1",
            "US-EAST-1",
            "eu_west_1",
            "us-east-1a",
            "mars",
        ] {
            assert!(validate_region(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn endpoints() {
        assert!(validate_endpoint("http://localhost:5000").is_ok());
        assert!(validate_endpoint("https://iam.amazonaws.com").is_ok());
        assert!(validate_endpoint("localhost:5000").is_err());
        assert!(validate_endpoint("http://").is_err());
    }

    #[test]
    fn profile_sections() {
        let config = "[default]\nregion=eu-west-1\n[profile prod]\nsso_session=x\n[sso-session x]\n[profilebad]\n";
        assert_eq!(profile_names(config, true), vec!["default", "prod"]);
        assert_eq!(
            profile_names("[ci]\naws_access_key_id=x\n", false),
            vec!["ci"]
        );
    }
}
