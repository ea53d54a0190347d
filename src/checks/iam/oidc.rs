//! OpenID Connect identity providers: what GitHub's provider accepts, and trusts that name
//! a provider the account does not have.

use serde_json::json;

use super::github::GITHUB_OIDC_HOST;
use crate::checks::{Finding, Resource};
use crate::inventory::iam::OidcProvider;
use crate::inventory::{GLOBAL_REGION, Inventory};
use crate::policy::{Document, Kind};

const STS_AUDIENCE: &str = "sts.amazonaws.com";

fn host(url: &str) -> &str {
    let u = url.trim();
    u.strip_prefix("https://")
        .unwrap_or(u)
        .trim_end_matches('/')
}

fn is_github(p: &OidcProvider) -> bool {
    let h = host(&p.url).to_ascii_lowercase();
    h == GITHUB_OIDC_HOST || h.starts_with(&format!("{GITHUB_OIDC_HOST}/"))
}

/// `github-oidc-provider-audience`: GitHub's provider accepts tokens only for
/// sts.amazonaws.com.
pub fn github_oidc_provider_audience(inv: &Inventory) -> Vec<Finding> {
    let providers = match inv.iam.oidc_providers.get() {
        Ok(p) => p,
        Err(gap) => return vec![Finding::gap(Resource::account(inv), gap)],
    };
    providers
        .iter()
        .filter(|p| is_github(p))
        .map(|p| {
            let resource = Resource {
                arn: p.arn.clone(),
                id: host(&p.url).to_string(),
                kind: "AwsIamOidcProvider".into(),
                region: GLOBAL_REGION.into(),
            };
            let others: Vec<&String> = p.client_ids.iter().filter(|c| *c != STS_AUDIENCE).collect();
            let f = if others.is_empty() {
                Finding::pass(resource, format!("GitHub's OIDC provider accepts only the audience {STS_AUDIENCE}."))
            } else {
                Finding::fail(resource,
                    format!(
                        "GitHub's OIDC provider also accepts the audience{} {}: a token GitHub mints for that audience (another cloud, another tool) is accepted by every role that trusts the provider without an aud condition. Keep only {STS_AUDIENCE}.",
                        if others.len() > 1 { "s" } else { "" },
                        others.iter().map(|o| format!("\"{o}\"")).collect::<Vec<_>>().join(", ")
                    ),
                )
            };
            f.with("client_ids", json!(p.client_ids))
                .with("thumbprints", json!(p.thumbprints))
        })
        .collect()
}

/// `oidc-trust-unknown-provider`: every OIDC provider a role's trust names exists in the
/// account.
pub fn oidc_trust_unknown_provider(inv: &Inventory) -> Vec<Finding> {
    let details = match inv.iam.authorization_details.get() {
        Ok(d) => d,
        Err(gap) => return vec![Finding::gap(Resource::account(inv), gap)],
    };
    let providers = inv.iam.oidc_providers.get();
    details
        .roles
        .iter()
        .filter_map(|role| {
            let resource = Resource::iam_role(&role.name, &role.arn);
            let doc = match role.trust_policy.as_ref().map(|t| Document::parse(t, Kind::ResourceBased)) {
                Some(Ok(doc)) => doc,
                Some(Err(e)) => {
                    return Some(Finding::error(resource,
                        format!("not evaluated: the role's trust policy cannot be read ({e}), so which providers it names is unknown."),
                    ));
                }
                None => {
                    return Some(Finding::error(resource,
                        "not evaluated: the role's trust policy was not collected, so which providers it names is unknown.",
                    ));
                }
            };
            let mut named: Vec<&str> = doc
                .allows()
                .filter_map(|s| s.principal.as_ref())
                .flat_map(|p| p.of("Federated"))
                .filter(|f| f.contains(":oidc-provider/"))
                .collect();
            named.sort_unstable();
            named.dedup();
            if named.is_empty() {
                return None;
            }
            let providers = match providers {
                Ok(p) => p,
                Err(gap) => return Some(Finding::gap(resource, gap)),
            };
            let missing: Vec<&str> = named
                .iter()
                .copied()
                .filter(|arn| !providers.iter().any(|p| p.arn == *arn))
                .collect();
            let f = if missing.is_empty() {
                Finding::pass(resource, "Every OIDC provider the role's trust names exists in the account.")
            } else {
                Finding::fail(resource,
                    format!(
                        "The role's trust names OIDC provider{} that the account does not have: {}. The trust cannot be used as it stands, and starts working for whoever creates a provider with that name, with the audiences and thumbprints they choose. Remove the statement or create the provider deliberately.",
                        if missing.len() > 1 { "s" } else { "" },
                        missing.join(", ")
                    ),
                )
                .with("missing_providers", json!(missing))
            };
            Some(f.with("named_providers", json!(named)))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Status;
    use crate::checks::iam::fixtures::*;
    use crate::inventory::Collected;
    use crate::inventory::iam::AuthorizationDetails;

    fn provider(url: &str, audiences: &[&str]) -> OidcProvider {
        OidcProvider {
            arn: format!("arn:aws:iam::123456789012:oidc-provider/{}", host(url)),
            url: url.into(),
            client_ids: audiences.iter().map(|a| a.to_string()).collect(),
            thumbprints: vec!["6938fd4d98bab03faadb97b34396831e3780aea1".into()],
        }
    }

    #[test]
    fn github_provider_audiences() {
        let mut inv = inventory(vec![]);
        inv.iam.oidc_providers = Collected::Ok(vec![
            provider(
                "token.actions.githubusercontent.com",
                &["sts.amazonaws.com"],
            ),
            provider(
                "https://token.actions.githubusercontent.com/lend2b",
                &["sts.amazonaws.com", "api://AzureADTokenExchange"],
            ),
            provider("accounts.google.com", &["anything"]),
        ]);
        let f = github_oidc_provider_audience(&inv);
        assert_eq!(f.len(), 2, "only GitHub's providers: {f:?}");
        assert_eq!(f[0].status, Status::Pass);
        assert_eq!(f[1].status, Status::Fail);
        assert!(
            f[1].message.contains("api://AzureADTokenExchange"),
            "{}",
            f[1].message
        );
        inv.iam.oidc_providers = crate::inventory::not_collected();
        assert_eq!(github_oidc_provider_audience(&inv)[0].status, Status::Error);
    }

    #[test]
    fn trusts_naming_missing_providers() {
        let trust = |provider: &str| json!({"Statement": {"Effect": "Allow", "Principal": {"Federated": provider}, "Action": "sts:AssumeRoleWithWebIdentity"}});
        let role = |name: &str, t: serde_json::Value| iam_role(name, t);
        let mut inv = inventory(vec![]);
        inv.iam.authorization_details = Collected::Ok(AuthorizationDetails {
            roles: vec![
                role(
                    "known",
                    trust(
                        "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com",
                    ),
                ),
                role(
                    "dangling",
                    trust("arn:aws:iam::123456789012:oidc-provider/gitlab.example.com"),
                ),
                role(
                    "lambda",
                    json!({"Statement": {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}}),
                ),
                role("garbled", json!("%7B%22Statement")),
            ],
            ..Default::default()
        });
        inv.iam.oidc_providers = Collected::Ok(vec![provider(
            "token.actions.githubusercontent.com",
            &["sts.amazonaws.com"],
        )]);
        let f = oidc_trust_unknown_provider(&inv);
        assert_eq!(f.len(), 3);
        let by = |id: &str| f.iter().find(|x| x.resource.id == id).expect(id);
        assert_eq!(by("known").status, Status::Pass);
        assert_eq!(by("dangling").status, Status::Fail);
        assert!(by("dangling").message.contains("gitlab.example.com"));
        assert_eq!(
            by("garbled").status,
            Status::Error,
            "unreadable is unknown, not skipped"
        );
        inv.iam.oidc_providers = crate::inventory::not_collected();
        assert!(
            oidc_trust_unknown_provider(&inv)
                .iter()
                .all(|x| x.status == Status::Error)
        );
    }
}
