//! GitHub Actions OpenID Connect trust: a role that GitHub's token can assume must be
//! limited to named repositories.

use serde_json::{Map, Value, json};

use crate::checks::{Finding, Resource};
use crate::inventory::policy::{Effect, Statement, statements};
use crate::inventory::{GLOBAL_REGION, Inventory};

pub const GITHUB_OIDC_HOST: &str = "token.actions.githubusercontent.com";
const SUB: &str = "sub";
const AUD: &str = "aud";
const STS_AUDIENCE: &str = "sts.amazonaws.com";

fn mentions_github(v: &Value) -> bool {
    match v {
        Value::String(s) => s.contains(GITHUB_OIDC_HOST),
        Value::Array(items) => items.iter().any(mentions_github),
        Value::Object(map) => map.values().any(mentions_github),
        _ => false,
    }
}

fn values(v: &Value) -> Vec<String> {
    match v {
        Value::String(s) => vec![s.clone()],
        Value::Array(items) => items
            .iter()
            .filter_map(|i| i.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

/// Condition blocks on one claim of GitHub's token: (operator, values). Keys are
/// `ISSUER:claim`, compared case-insensitively; the issuer is
/// `token.actions.githubusercontent.com`, or `token.actions.githubusercontent.com/SLUG` for
/// a GitHub Enterprise Cloud organisation with its own issuer.
fn blocks(condition: Option<&Map<String, Value>>, claim: &str) -> Vec<(String, Vec<String>)> {
    let Some(condition) = condition else {
        return Vec::new();
    };
    let is_claim = |key: &str| {
        key.rsplit_once(':').is_some_and(|(issuer, c)| {
            c.eq_ignore_ascii_case(claim)
                && issuer.to_ascii_lowercase().starts_with(GITHUB_OIDC_HOST)
        })
    };
    condition
        .iter()
        .flat_map(|(op, body)| {
            body.as_object()
                .into_iter()
                .flat_map(|m| m.iter())
                .filter(|(k, _)| is_claim(k))
                .map(move |(_, v)| (op.clone(), values(v)))
        })
        .collect()
}

fn is_like(op: &str) -> bool {
    op.to_ascii_lowercase().contains("stringlike")
}

fn is_positive(op: &str) -> bool {
    let l = op.to_ascii_lowercase();
    (l.contains("stringequals") || l.contains("stringlike")) && !l.contains("not")
}

fn is_for_all_values(op: &str) -> bool {
    op.to_ascii_lowercase().starts_with("forallvalues:")
}

/// A `sub` pattern names one repository: `repo:OWNER/REPO...` or the id form
/// `repo:OWNER@ID/REPO@ID...`, with no wildcard in the owner or the repository. Under a
/// StringEquals operator wildcards are literal characters, so any value names one subject.
pub fn sub_is_scoped(op: &str, value: &str) -> bool {
    if !is_like(op) {
        return true;
    }
    let Some(rest) = value.strip_prefix("repo:") else {
        return false;
    };
    let repo_part = rest.split(':').next().unwrap_or_default();
    let Some((owner, repo)) = repo_part.split_once('/') else {
        return false;
    };
    let wild = |s: &str| s.is_empty() || s.contains('*') || s.contains('?');
    !wild(owner) && !wild(repo)
}

/// What is wrong with one statement that trusts GitHub's OIDC provider.
fn problems(s: &Statement) -> Vec<String> {
    let mut out = Vec::new();
    let subs = blocks(s.condition.as_ref(), SUB);
    for (op, _) in subs.iter().filter(|(op, _)| is_for_all_values(op)) {
        out.push(format!(
            "`{op}` on the sub claim is true when the claim is absent"
        ));
    }
    let constraining: Vec<&(String, Vec<String>)> = subs
        .iter()
        .filter(|(op, vals)| is_positive(op) && !is_for_all_values(op) && !vals.is_empty())
        .collect();
    // Blocks are ANDed; the values in one block are ORed. One block whose every value
    // names a repository is enough.
    let scoped = constraining
        .iter()
        .any(|(op, vals)| vals.iter().all(|v| sub_is_scoped(op, v)));
    if constraining.is_empty() {
        out.push(
            "no condition on the sub claim: any repository on GitHub can assume the role".into(),
        );
    } else if !scoped {
        let loose: Vec<String> = constraining
            .iter()
            .flat_map(|(op, vals)| {
                vals.iter()
                    .filter(|v| !sub_is_scoped(op, v))
                    .map(move |v| format!("{op} \"{v}\""))
            })
            .collect();
        out.push(format!(
            "the sub condition does not name a repository ({}): other repositories can assume the role",
            loose.join(", ")
        ));
    }
    for (op, vals) in blocks(s.condition.as_ref(), AUD) {
        if is_for_all_values(&op) {
            out.push(format!(
                "`{op}` on the aud claim is true when the claim is absent"
            ));
            continue;
        }
        if !is_positive(&op) {
            continue;
        }
        let ignore_case = op.to_ascii_lowercase().contains("ignorecase");
        let bad: Vec<&String> = vals
            .iter()
            .filter(|v| {
                !(if ignore_case {
                    v.eq_ignore_ascii_case(STS_AUDIENCE)
                } else {
                    v.as_str() == STS_AUDIENCE
                }) || (is_like(&op) && (v.contains('*') || v.contains('?')))
            })
            .collect();
        if !bad.is_empty() {
            out.push(format!(
                "the aud condition allows {} instead of only {STS_AUDIENCE}",
                bad.iter()
                    .map(|v| format!("\"{v}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
    }
    out
}

/// `github-oidc-trust`: roles trusting GitHub Actions' OIDC provider constrain `sub` to
/// named repositories and `aud` to sts.amazonaws.com.
pub fn github_oidc_trust(inv: &Inventory) -> Vec<Finding> {
    const ID: &str = "github-oidc-trust";
    let details = match inv.iam.authorization_details.get() {
        Ok(d) => d,
        Err(gap) => return vec![Finding::gap(ID, Resource::account(inv), gap)],
    };
    details
        .roles
        .iter()
        .filter_map(|role| {
            let resource = Resource {
                arn: role.arn.clone(),
                id: role.name.clone(),
                kind: "AwsIamRole".into(),
                region: GLOBAL_REGION.into(),
            };
            let Some(trust) = role.trust_policy.as_ref() else {
                return Some(Finding::error(
                    ID,
                    resource,
                    "not evaluated: the role's trust policy was not collected or is unreadable, so whether it trusts GitHub is unknown.",
                ));
            };
            let github: Vec<Statement> = statements(trust)
                .into_iter()
                .filter(|s| {
                    s.effect == Effect::Allow && s.principal.as_ref().is_some_and(mentions_github)
                })
                .collect();
            if github.is_empty() {
                return None;
            }
            let found: Vec<String> = github.iter().flat_map(problems).collect();
            let subs: Vec<String> = github
                .iter()
                .flat_map(|s| blocks(s.condition.as_ref(), SUB))
                .flat_map(|(op, vals)| vals.into_iter().map(move |v| format!("{op} {v}")))
                .collect();
            let f = if found.is_empty() {
                Finding::pass(
                    ID,
                    resource,
                    "The role trusts GitHub Actions only from named repositories.",
                )
            } else {
                Finding::fail(
                    ID,
                    resource,
                    format!(
                        "The role trusts GitHub Actions' OIDC provider too widely: {}.",
                        found.join("; ")
                    ),
                )
                .with("problems", json!(found))
            };
            Some(f.with("sub_conditions", json!(subs)))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Status;
    use crate::checks::iam::fixtures::*;
    use crate::inventory::Collected;
    use crate::inventory::iam::{AuthorizationDetails, Role};

    fn trust(condition: Value) -> Value {
        json!({
            "Version": "2012-10-17",
            "Statement": [{
                "Effect": "Allow",
                "Principal": {"Federated": "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"},
                "Action": "sts:AssumeRoleWithWebIdentity",
                "Condition": condition
            }]
        })
    }

    fn judge(condition: Value) -> Finding {
        let mut inv = inventory(vec![]);
        inv.iam.authorization_details = Collected::Ok(AuthorizationDetails {
            roles: vec![
                Role {
                    name: "deploy".into(),
                    arn: "arn:aws:iam::123456789012:role/deploy".into(),
                    id: "AROA1".into(),
                    trust_policy: Some(trust(condition)),
                    attached_managed_policies: vec![],
                    inline_policies: vec![],
                },
                Role {
                    name: "lambda-exec".into(),
                    arn: "arn:aws:iam::123456789012:role/lambda-exec".into(),
                    id: "AROA2".into(),
                    trust_policy: Some(
                        json!({"Statement": {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}}),
                    ),
                    attached_managed_policies: vec![],
                    inline_policies: vec![],
                },
            ],
            ..Default::default()
        });
        let mut f = github_oidc_trust(&inv);
        assert_eq!(f.len(), 1, "only the GitHub role is judged");
        f.remove(0)
    }

    #[test]
    fn scoped_roles_pass_in_both_sub_forms() {
        for cond in [
            json!({"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                                    "token.actions.githubusercontent.com:sub": "repo:lend2b/api:ref:refs/heads/main"}}),
            json!({"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"},
                   "StringLike": {"token.actions.githubusercontent.com:sub": ["repo:lend2b/api:*", "repo:lend2b/web:environment:prod"]}}),
            json!({"StringEquals": {"token.actions.githubusercontent.com:aud": ["sts.amazonaws.com"]},
                   "StringLike": {"token.actions.githubusercontent.com:sub": "repo:lend2b@1234/api@5678:ref:refs/heads/*"}}),
            // IAM itself matches aud against the OIDC provider's client ids: no aud condition is fine.
            json!({"StringEquals": {"token.actions.githubusercontent.com:sub": "repo:lend2b/api:environment:prod"}}),
            json!({"StringEqualsIgnoreCase": {"token.actions.githubusercontent.com:aud": "STS.amazonaws.com"},
                   "StringEquals": {"token.actions.githubusercontent.com:sub": "repo:lend2b/api:environment:prod"}}),
            // A GitHub Enterprise Cloud organisation's own issuer.
            json!({"StringLike": {"token.actions.githubusercontent.com/lend2b:sub": "repo:lend2b/api:*"}}),
        ] {
            let f = judge(cond.clone());
            assert_eq!(f.status, Status::Pass, "{cond}: {}", f.message);
        }
    }

    #[test]
    fn wide_trust_fails() {
        let cases = [
            (
                json!({"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}}),
                "no condition on the sub claim",
            ),
            (
                json!({"StringLike": {"token.actions.githubusercontent.com:sub": "*"}}),
                "does not name a repository",
            ),
            (
                json!({"StringLike": {"token.actions.githubusercontent.com:sub": "repo:lend2b/*"}}),
                "repo:lend2b/*",
            ),
            (
                json!({"StringLike": {"token.actions.githubusercontent.com:sub": ["repo:lend2b/api:*", "repo:*"]}}),
                "repo:*",
            ),
            (
                json!({"ForAllValues:StringLike": {"token.actions.githubusercontent.com:sub": "repo:lend2b/api:*"}}),
                "ForAllValues",
            ),
            (
                json!({"StringEquals": {"token.actions.githubusercontent.com:aud": "my-app",
                                     "token.actions.githubusercontent.com:sub": "repo:lend2b/api:ref:refs/heads/main"}}),
                "aud",
            ),
            (
                json!({"StringNotEquals": {"token.actions.githubusercontent.com:sub": "repo:evil/x:ref:refs/heads/main"}}),
                "no condition on the sub claim",
            ),
            (Value::Null, "no condition on the sub claim"),
            (
                json!({"StringLike": {"token.actions.githubusercontent.com/lend2b:sub": "repo:lend2b/*"}}),
                "repo:lend2b/*",
            ),
        ];
        for (cond, needle) in cases {
            let f = judge(cond.clone());
            assert_eq!(f.status, Status::Fail, "{cond}");
            assert!(
                f.message.contains(needle),
                "{needle:?} not in {}",
                f.message
            );
        }
    }

    #[test]
    fn an_unreadable_trust_policy_is_an_error() {
        let mut inv = inventory(vec![]);
        inv.iam.authorization_details = Collected::Ok(AuthorizationDetails {
            roles: vec![Role {
                name: "mystery".into(),
                arn: "arn:aws:iam::123456789012:role/mystery".into(),
                id: "AROA3".into(),
                trust_policy: None,
                attached_managed_policies: vec![],
                inline_policies: vec![],
            }],
            ..Default::default()
        });
        let f = github_oidc_trust(&inv);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].status, Status::Error);
    }

    #[test]
    fn and_of_blocks_is_scoped_if_one_block_is() {
        let f = judge(json!({
            "StringLike": {"token.actions.githubusercontent.com:sub": "*"},
            "StringEquals": {"token.actions.githubusercontent.com:sub": "repo:lend2b/api:ref:refs/heads/main"}
        }));
        assert_eq!(f.status, Status::Pass, "{}", f.message);
    }
}
