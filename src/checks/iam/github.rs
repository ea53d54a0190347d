//! GitHub Actions OpenID Connect trust: a role that GitHub's token can assume must be
//! limited to named repositories.
//!
//! The trust policy is evaluated as IAM does: within a statement, condition blocks are
//! ANDed and the values of one block ORed; a Deny narrows the Allow. A role is limited to
//! named repositories when, for every Allow that admits GitHub's token, some block that the
//! `sub` claim must match (in the Allow, or the negation of a Deny on every other value)
//! has only values that each pin a repository.

use serde_json::json;

use crate::checks::{Finding, Resource};
use crate::inventory::Inventory;
use crate::policy::condition::{Condition, Operator, Qualifier};
use crate::policy::pattern::literal_prefix;
use crate::policy::{Document, Kind, Principal, Statement};

pub const GITHUB_OIDC_HOST: &str = "token.actions.githubusercontent.com";
const SUB: &str = "sub";
const AUD: &str = "aud";
const STS_AUDIENCE: &str = "sts.amazonaws.com";
const WEB_IDENTITY: &str = "sts:AssumeRoleWithWebIdentity";

/// Whether a principal names GitHub's OIDC provider (a Federated principal).
pub fn names_github(p: &Principal) -> bool {
    !issuers_of(p).is_empty()
}

fn is_everyone(p: &Principal) -> bool {
    matches!(p, Principal::Any) || p.of("AWS").contains(&"*") || p.of("Federated").contains(&"*")
}

/// The GitHub issuers a principal names, lower-case: `token.actions.githubusercontent.com`,
/// or `token.actions.githubusercontent.com/SLUG` for a GitHub Enterprise Cloud
/// organisation with its own issuer (from a provider ARN or a bare issuer).
fn issuers_of(p: &Principal) -> Vec<String> {
    let mut out: Vec<String> = p
        .of("Federated")
        .iter()
        .filter_map(|f| {
            let lower = f.to_ascii_lowercase();
            let at = lower.find(GITHUB_OIDC_HOST)?;
            let issuer = lower[at..].trim_end_matches('/').to_string();
            (issuer == GITHUB_OIDC_HOST || issuer.starts_with(&format!("{GITHUB_OIDC_HOST}/")))
                .then_some(issuer)
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The GitHub issuers whose tokens a statement admits: those it names, or, for a
/// principal that is everyone, GitHub's public issuer.
fn issuers(s: &Statement, account_issuers: &[String]) -> Vec<String> {
    match &s.principal {
        Some(p) if is_everyone(p) => std::iter::once(GITHUB_OIDC_HOST.to_string())
            .chain(account_issuers.iter().cloned())
            .collect(),
        Some(p) => issuers_of(p),
        None => Vec::new(),
    }
}

/// The issuer part of a condition key (`token.actions.githubusercontent.com/slug:sub`),
/// lower-case, and its claim.
fn split_key(key: &str) -> Option<(String, &str)> {
    key.rsplit_once(':')
        .map(|(issuer, claim)| (issuer.to_ascii_lowercase(), claim))
}

/// Whether a condition key is `ISSUER:claim` for this GitHub issuer. Keys compare
/// case-insensitively.
fn is_claim_of(key: &str, issuer: &str, claim: &str) -> bool {
    split_key(key).is_some_and(|(i, c)| i == issuer && c.eq_ignore_ascii_case(claim))
}

/// Whether a condition key is a claim of some GitHub issuer.
fn is_claim(key: &str, claim: &str) -> bool {
    split_key(key)
        .is_some_and(|(i, c)| c.eq_ignore_ascii_case(claim) && i.starts_with(GITHUB_OIDC_HOST))
}

/// Whether a token from `issuer` can never satisfy the statement's conditions: one of
/// them requires a claim of another identity provider (`cognito-identity.amazonaws.com:aud`,
/// another GitHub issuer's `sub`), which that token does not carry.
fn closed_to(s: &Statement, issuer: &str) -> bool {
    s.conditions.iter().any(|c| {
        let Some((i, _)) = split_key(&c.key) else {
            return false;
        };
        let other_provider = i != issuer && i.contains('.') && !i.starts_with("aws");
        other_provider
            && c.operator.is_string_match()
            && !c.operator.is_negated()
            && !c.operator.if_exists
            && c.operator.qualifier != Qualifier::ForAllValues
    })
}

/// A set of values the claim must match one of: `(operator, values)`.
struct Block<'a> {
    op: &'a Operator,
    values: &'a [String],
    from_deny: Option<String>,
}

/// Why a `sub` value does not pin a repository, or `None` when it does. A value pins one
/// when its fixed part (all of it under StringEquals; what comes before the first wildcard
/// under StringLike) holds a whole `repo:OWNER/REPO` pair (the id form
/// `repo:OWNER@ID/REPO@ID` too), or, in a customised subject, a whole `repository:OWNER/REPO`
/// or `repository_id:ID` pair. Pairs are read from the start, as GitHub builds the subject.
pub fn why_unpinned(op: &Operator, value: &str) -> Option<String> {
    let literal = if op.is_like() || value.contains("${") {
        literal_prefix(value)
    } else {
        value
    };
    let whole = literal.len() == value.len();
    let parts: Vec<&str> = literal.split(':').collect();
    let mut i = 0;
    let mut keys = Vec::new();
    while i + 1 < parts.len() {
        let (key, val) = (parts[i].to_ascii_lowercase(), parts[i + 1]);
        let complete = i + 2 < parts.len() || whole;
        // A pair after the first pins only if no value before it can hold a `:` of its own
        // (a workflow or environment name could, and spell `...:repo:ORG/REPO`).
        let prefix_safe = keys.iter().all(|k: &String| {
            matches!(
                k.as_str(),
                "repo"
                    | "repository"
                    | "repository_owner"
                    | "repository_owner_id"
                    | "repository_id"
                    | "repository_visibility"
                    | "ref"
                    | "ref_type"
            )
        });
        if complete {
            let pins = match key.as_str() {
                "repo" | "repository" => val
                    .split_once('/')
                    .is_some_and(|(o, r)| !o.is_empty() && !r.is_empty()),
                "repository_id" => !val.is_empty() && val.chars().all(|c| c.is_ascii_digit()),
                _ => false,
            };
            if pins && prefix_safe {
                return None;
            }
            if pins {
                return Some(format!(
                    "the repository comes after `{}`, whose value may itself hold `:{key}:...`, so another repository can produce this subject",
                    keys.join(":...:")
                ));
            }
        }
        keys.push(key);
        i += 2;
    }
    Some(
        if keys.iter().any(|k| k == "repo" || k == "repository") || literal.starts_with("repo:") {
            "a wildcard in the owner or repository matches other repositories".into()
        } else if keys.iter().any(|k| k.starts_with("repository_owner")) {
            "it names the owner but no repository: a subject built from the owner (a customised claim template) matches every repository of that owner".into()
        } else {
            "it names no repository".into()
        },
    )
}

/// The blocks of `conditions` on an issuer's claim that a value must match.
fn positive<'a>(conditions: &'a [Condition], issuer: &str, claim: &str) -> Vec<Block<'a>> {
    conditions
        .iter()
        .filter(|c| is_claim_of(&c.key, issuer, claim))
        .filter(|c| {
            c.operator.is_string_match()
                && !c.operator.is_negated()
                && c.operator.qualifier != Qualifier::ForAllValues
                && !c.values.is_empty()
        })
        .map(|c| Block {
            op: &c.operator,
            values: &c.values,
            from_deny: None,
        })
        .collect()
}

/// A Deny on every `sub` but some values works as a block those values form: a Deny that
/// covers the issuer's tokens, with one condition only, a negated one on its `sub`.
fn narrowing<'a>(deny: &'a Statement, issuer: &str) -> Option<Block<'a>> {
    let principal_ok = match &deny.principal {
        Some(p) => is_everyone(p) || issuers_of(p).iter().any(|i| i == issuer),
        None => false,
    };
    if !principal_ok || deny.not_principal.is_some() || !deny.covers_action(WEB_IDENTITY) {
        return None;
    }
    let [c] = deny.conditions.as_slice() else {
        return None;
    };
    (is_claim_of(&c.key, issuer, SUB)
        && c.operator.is_negated()
        && c.operator.qualifier == Qualifier::None
        && !c.values.is_empty())
    .then(|| Block {
        op: &c.operator,
        values: &c.values,
        from_deny: Some(deny.label()),
    })
}

/// What is wrong with one Allow that admits tokens of GitHub's `issuer`, given the
/// trust's Denies.
fn problems(s: &Statement, issuer: &str, denies: &[&Statement]) -> Vec<String> {
    let mut out = Vec::new();
    if closed_to(s, issuer) {
        return out;
    }
    let denies: Vec<Block<'_>> = denies.iter().filter_map(|d| narrowing(d, issuer)).collect();
    let mut blocks = positive(&s.conditions, issuer, SUB);
    blocks.extend(denies.iter().map(|b| Block {
        op: b.op,
        values: b.values,
        from_deny: b.from_deny.clone(),
    }));
    let pinned = blocks.iter().any(|b| {
        b.values
            .iter()
            .all(|v| why_unpinned(&pinned_op(b), v).is_none())
    });
    let of_issuer = if issuer == GITHUB_OIDC_HOST {
        String::new()
    } else {
        format!(" of {issuer}")
    };
    if blocks.is_empty() {
        out.push(format!(
            "no condition on the sub claim{of_issuer}: any repository on GitHub can assume the role"
        ));
    } else if !pinned {
        let loose: Vec<String> = blocks
            .iter()
            .flat_map(|b| {
                b.values.iter().filter_map(move |v| {
                    why_unpinned(&pinned_op(b), v).map(|why| {
                        let from = b
                            .from_deny
                            .as_ref()
                            .map(|d| format!(" (the only values {d}, a Deny, spares)"))
                            .unwrap_or_default();
                        format!("{} \"{v}\"{from}: {why}", b.op.name)
                    })
                })
            })
            .collect();
        out.push(format!(
            "the sub condition{of_issuer} does not name a repository ({}): other repositories can assume the role",
            loose.join("; ")
        ));
    }
    if !pinned {
        for c in s
            .conditions
            .iter()
            .filter(|c| is_claim_of(&c.key, issuer, SUB))
        {
            if c.operator.qualifier == Qualifier::ForAllValues {
                out.push(format!(
                    "`{}` on the sub claim is true when the claim is absent",
                    c.operator.name
                ));
            }
        }
    }
    for c in s
        .conditions
        .iter()
        .filter(|c| is_claim_of(&c.key, issuer, AUD))
    {
        if c.operator.qualifier == Qualifier::ForAllValues {
            out.push(format!(
                "`{}` on the aud claim is true when the claim is absent",
                c.operator.name
            ));
        }
    }
    // aud: blocks are ANDed, so one block that allows only sts.amazonaws.com is enough.
    let aud = positive(&s.conditions, issuer, AUD);
    let aud_ok = |b: &Block<'_>| {
        b.values.iter().all(|v| {
            let wild = b.op.is_like() && (v.contains('*') || v.contains('?'));
            !wild
                && if b.op.ignores_case() {
                    v.eq_ignore_ascii_case(STS_AUDIENCE)
                } else {
                    v == STS_AUDIENCE
                }
        })
    };
    if !aud.is_empty() && !aud.iter().any(aud_ok) {
        let bad: Vec<String> = aud
            .iter()
            .flat_map(|b| b.values.iter())
            .filter(|v| v.as_str() != STS_AUDIENCE)
            .map(|v| format!("\"{v}\""))
            .collect();
        out.push(format!(
            "the aud condition allows {} instead of only {STS_AUDIENCE}",
            bad.join(", ")
        ));
    }
    out
}

/// The operator a block's values are matched with: a Deny's `StringNotLike` spares values
/// as `StringLike` would admit them.
fn pinned_op(b: &Block<'_>) -> Operator {
    if b.from_deny.is_some() {
        let positive = b.op.name.replace("Not", "");
        Operator::parse(&positive)
    } else {
        b.op.clone()
    }
}

/// `github-oidc-trust`: roles trusting GitHub Actions' OIDC provider constrain `sub` to
/// named repositories and `aud` to sts.amazonaws.com.
pub fn github_oidc_trust(inv: &Inventory) -> Vec<Finding> {
    let details = match inv.iam.authorization_details.get() {
        Ok(d) => d,
        Err(gap) => return vec![Finding::gap(Resource::account(inv), gap)],
    };
    // Statements open to everyone admit GitHub's tokens only where the account has
    // GitHub's provider (or where postura could not tell).
    let everyone_counts = inv.iam.oidc_providers.get().map_or(true, |list| {
        list.iter().any(|p| p.url.contains(GITHUB_OIDC_HOST))
    });
    // GitHub Enterprise issuers the account has providers for.
    let account_issuers: Vec<String> = inv
        .iam
        .oidc_providers
        .get()
        .map(|list| {
            list.iter()
                .map(|p| {
                    p.url
                        .trim_start_matches("https://")
                        .trim_end_matches('/')
                        .to_ascii_lowercase()
                })
                .filter(|u| u.starts_with(&format!("{GITHUB_OIDC_HOST}/")))
                .collect()
        })
        .unwrap_or_default();
    details
        .roles
        .iter()
        .filter_map(|role| {
            let resource = Resource::iam_role(&role.name, &role.arn);
            let Some(trust) = role.trust_policy.as_ref() else {
                return Some(Finding::error(resource,
                    "not evaluated: the role's trust policy was not collected, so whether it trusts GitHub is unknown.",
                ));
            };
            let doc = match Document::parse(trust, Kind::ResourceBased) {
                Ok(d) => d,
                Err(e) => {
                    return Some(Finding::error(resource,
                        format!("not evaluated: the role's trust policy cannot be read ({e}), so whether it trusts GitHub is unknown."),
                    ));
                }
            };
            let github: Vec<&Statement> = doc
                .allows()
                .filter(|s| {
                    s.covers_action(WEB_IDENTITY)
                        && s.principal.as_ref().is_some_and(|p| {
                            names_github(p) || (everyone_counts && is_everyone(p))
                        })
                })
                .collect();
            if github.is_empty() {
                return None;
            }
            let denies: Vec<&Statement> = doc.denies().collect();
            let found: Vec<String> = github
                .iter()
                .flat_map(|s| issuers(s, &account_issuers).into_iter().map(move |i| (*s, i)))
                .flat_map(|(s, i)| problems(s, &i, &denies))
                .collect();
            let subs: Vec<String> = github
                .iter()
                .flat_map(|s| s.conditions.iter())
                .filter(|c| is_claim(&c.key, SUB))
                .flat_map(|c| c.values.iter().map(move |v| format!("{} {v}", c.operator.name)))
                .collect();
            let f = if found.is_empty() {
                Finding::pass(resource,
                    "The role trusts GitHub Actions only from named repositories.",
                )
            } else {
                Finding::fail(resource,
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
    use serde_json::Value;

    fn trust(condition: Value) -> Value {
        let mut allow = github_allow(condition);
        if allow["Condition"].is_null() {
            allow.as_object_mut().map(|o| o.remove("Condition"));
        }
        json!({"Version": "2012-10-17", "Statement": [allow]})
    }

    fn github_allow(condition: Value) -> Value {
        // A GitHub Enterprise Cloud organisation's own issuer has a provider of its own.
        let provider = if condition
            .to_string()
            .contains("githubusercontent.com/lend2b:")
        {
            "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com/lend2b"
        } else {
            "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
        };
        json!({
            "Effect": "Allow",
            "Principal": {"Federated": provider},
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": condition
        })
    }

    fn judge(condition: Value) -> Finding {
        judge_trust(trust(condition))
    }

    fn judge_trust(trust_policy: Value) -> Finding {
        let mut inv = inventory(vec![]);
        inv.iam.authorization_details = Collected::Ok(AuthorizationDetails {
            roles: vec![
                iam_role("deploy", trust_policy),
                iam_role(
                    "lambda-exec",
                    json!({"Statement": {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}}),
                ),
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
                trust_policy: None,
                ..iam_role("mystery", Value::Null)
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

    #[test]
    fn every_sub_value_must_pin_a_repository() {
        let sub = "token.actions.githubusercontent.com:sub";
        let cases = [
            (
                json!({"StringEquals": {sub: "repository_owner:lend2b"}}),
                "FAIL",
                "names the owner but no repository",
            ),
            (
                json!({"StringEquals": {sub: "repository_owner_id:81234:environment:prod"}}),
                "FAIL",
                "names the owner",
            ),
            (
                json!({"StringLike": {sub: "environment:prod"}}),
                "FAIL",
                "names no repository",
            ),
            (
                json!({"StringEquals": {sub: "workflow:deploy:repo:lend2b/api"}}),
                "FAIL",
                "the repository comes after `workflow`",
            ),
            (
                json!({"StringEquals": {sub: "environment:prod:repository:lend2b/api"}}),
                "FAIL",
                "another repository can produce this subject",
            ),
            (
                json!({"StringEquals": {sub: ["repo:lend2b/api:ref:refs/heads/main", "repository_owner:lend2b"]}}),
                "FAIL",
                "repository_owner:lend2b",
            ),
            (
                json!({"StringLike": {sub: "repo:lend2b/api*"}}),
                "FAIL",
                "wildcard in the owner or repository",
            ),
            (
                json!({"StringLike": {sub: "repo:lend2b@*/api@*:*"}}),
                "FAIL",
                "wildcard",
            ),
            (
                json!({"StringLike": {sub: "*repo:lend2b/api:*"}}),
                "FAIL",
                "names no repository",
            ),
            (
                json!({"StringLike": {sub: "repo:lend2b/ap?:*"}}),
                "FAIL",
                "wildcard",
            ),
            (
                json!({"StringNotLike": {sub: "repo:evil/*"}}),
                "FAIL",
                "no condition on the sub claim",
            ),
            (
                json!({"ForAnyValue:StringLike": {sub: "repo:lend2b/*"}}),
                "FAIL",
                "repo:lend2b/*",
            ),
            (
                json!({"StringLikeIfExists": {sub: "repo:lend2b/*"}}),
                "FAIL",
                "repo:lend2b/*",
            ),
            // Pinned, in every form GitHub sends.
            (json!({"StringLike": {sub: "repo:lend2b/api"}}), "PASS", ""),
            (
                json!({"StringLike": {sub: "repo:lend2b/api:pull_request"}}),
                "PASS",
                "",
            ),
            (
                json!({"StringEquals": {sub: "repository_owner:lend2b:repository:lend2b/api:environment:prod"}}),
                "PASS",
                "",
            ),
            (
                json!({"StringLike": {sub: "repository_owner_id:81234:repository_id:99123:*"}}),
                "PASS",
                "",
            ),
            (
                json!({"ForAnyValue:StringEquals": {sub: "repo:lend2b/api:ref:refs/heads/main"}}),
                "PASS",
                "",
            ),
            (
                json!({"StringEqualsIgnoreCase": {sub: "repo:Lend2B/API:environment:prod"}}),
                "PASS",
                "",
            ),
            // Blocks are ANDed: one pinned block is enough, whatever others say.
            (
                json!({"StringLike": {sub: "repo:lend2b/*"}, "StringEquals": {sub: "repo:lend2b/api:environment:prod"}}),
                "PASS",
                "",
            ),
            (
                json!({"ForAllValues:StringLike": {sub: "*"}, "StringEquals": {sub: "repo:lend2b/api:environment:prod"}}),
                "PASS",
                "",
            ),
        ];
        for (cond, want, needle) in cases {
            let f = judge(cond.clone());
            assert_eq!(f.status.as_str(), want, "{cond}: {}", f.message);
            assert!(
                f.message.contains(needle),
                "{needle:?} not in {}",
                f.message
            );
        }
    }

    #[test]
    fn a_deny_narrows_the_allow() {
        let sub = "token.actions.githubusercontent.com:sub";
        let provider = json!({"Federated": "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"});
        let with_deny = |deny: Value| {
            judge_trust(json!({"Statement": [
                github_allow(json!({"StringLike": {sub: "repo:lend2b/*"}})),
                deny
            ]}))
        };
        let pinned = with_deny(
            json!({"Effect": "Deny", "Principal": provider, "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {"StringNotLike": {sub: ["repo:lend2b/api:*", "repo:lend2b/web:*"]}}}),
        );
        assert_eq!(pinned.status, Status::Pass, "{}", pinned.message);
        let any_principal = with_deny(json!({"Effect": "Deny", "Principal": "*", "Action": "*",
            "Condition": {"StringNotEquals": {sub: "repo:lend2b/api:environment:prod"}}}));
        assert_eq!(
            any_principal.status,
            Status::Pass,
            "{}",
            any_principal.message
        );
        // A Deny that may not apply (another condition), or spares unpinned values, narrows nothing.
        let conditional = with_deny(
            json!({"Effect": "Deny", "Principal": provider, "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {"StringNotLike": {sub: "repo:lend2b/api:*"}, "Bool": {"aws:ViaAWSService": "false"}}}),
        );
        assert_eq!(conditional.status, Status::Fail, "{}", conditional.message);
        let loose = with_deny(
            json!({"Effect": "Deny", "Principal": provider, "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {"StringNotLike": {sub: "repo:lend2b/a*"}}}),
        );
        assert_eq!(loose.status, Status::Fail, "{}", loose.message);
        assert!(loose.message.contains("a Deny"), "{}", loose.message);
        let other_action = with_deny(
            json!({"Effect": "Deny", "Principal": provider, "Action": "sts:TagSession",
            "Condition": {"StringNotLike": {sub: "repo:lend2b/api:*"}}}),
        );
        assert_eq!(
            other_action.status,
            Status::Fail,
            "{}",
            other_action.message
        );
    }

    #[test]
    fn trust_policy_text_is_read_and_unreadable_text_is_an_error() {
        let text = serde_json::to_string(&trust(
            json!({"StringLike": {"token.actions.githubusercontent.com:sub": "repo:lend2b/*"}}),
        ))
        .expect("serialises");
        assert_eq!(judge_trust(Value::String(text)).status, Status::Fail);
        let bad = judge_trust(Value::String("%7B%22Statement".into()));
        assert_eq!(bad.status, Status::Error, "{}", bad.message);
        assert!(bad.message.contains("cannot be read"), "{}", bad.message);
    }

    #[test]
    fn each_github_issuer_is_judged_by_its_own_claims() {
        let public = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";
        let enterprise =
            "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com/lend2b";
        let allow = |federated: Value, condition: Value| json!({"Effect": "Allow", "Principal": {"Federated": federated}, "Action": "sts:AssumeRoleWithWebIdentity", "Condition": condition});
        let cases = [
            // A pin on the enterprise issuer's key, IfExists, says nothing of public tokens.
            (
                json!([allow(
                    json!(public),
                    json!({"StringLikeIfExists": {"token.actions.githubusercontent.com/lend2b:sub": "repo:lend2b/api:*"}})
                )]),
                "FAIL",
            ),
            // Two providers, a pin on one's key only: the other's tokens lack that claim, so
            // the statement never admits them.
            (
                json!([allow(
                    json!([public, enterprise]),
                    json!({"StringLike": {"token.actions.githubusercontent.com/lend2b:sub": "repo:lend2b/api:*"}})
                )]),
                "PASS",
            ),
            // Two providers, one pinned with IfExists: the other admits every repository.
            (
                json!([allow(
                    json!([public, enterprise]),
                    json!({"StringLikeIfExists": {"token.actions.githubusercontent.com/lend2b:sub": "repo:lend2b/api:*"}})
                )]),
                "FAIL",
            ),
            // ... unless the block, without IfExists, requires a claim public tokens lack.
            (
                json!([allow(
                    json!(public),
                    json!({"StringLike": {"token.actions.githubusercontent.com/lend2b:sub": "repo:lend2b/api:*"}})
                )]),
                "PASS",
            ),
            (
                json!([allow(
                    json!([public, enterprise]),
                    json!({"StringLike": {
                "token.actions.githubusercontent.com/lend2b:sub": "repo:lend2b/api:*",
                "token.actions.githubusercontent.com:sub": "repo:lend2b/web:*"}})
                )]),
                "PASS",
            ),
            // A Deny for the enterprise provider does not narrow the public one.
            (
                json!([
                    allow(json!(public), json!({"StringLike": {"token.actions.githubusercontent.com:sub": "repo:lend2b/*"}})),
                    {"Effect": "Deny", "Principal": {"Federated": enterprise}, "Action": "sts:AssumeRoleWithWebIdentity",
                     "Condition": {"StringNotLike": {"token.actions.githubusercontent.com:sub": "repo:lend2b/api:*"}}}
                ]),
                "FAIL",
            ),
            // Everyone may use web identity: GitHub's tokens too.
            (
                json!([
                    allow(json!(public), json!({"StringEquals": {"token.actions.githubusercontent.com:sub": "repo:lend2b/api:environment:prod"}})),
                    {"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRoleWithWebIdentity"}
                ]),
                "FAIL",
            ),
            // Everyone, with a wide pin for the enterprise issuer the account has.
            (
                json!([{"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRoleWithWebIdentity",
                        "Condition": {"StringLike": {"token.actions.githubusercontent.com/lend2b:sub": "*"}}}]),
                "FAIL",
            ),
            // A Cognito identity pool's trust is closed to GitHub's tokens.
            (
                json!([{"Effect": "Allow", "Principal": {"Federated": "cognito-identity.amazonaws.com"}, "Action": "sts:AssumeRoleWithWebIdentity",
                     "Condition": {"StringEquals": {"cognito-identity.amazonaws.com:aud": "eu-west-1:pool"}}}]),
                "NONE",
            ),
        ];
        for (statements, want) in cases {
            let mut inv = inventory(vec![]);
            inv.iam.authorization_details = Collected::Ok(AuthorizationDetails {
                roles: vec![iam_role(
                    "deploy",
                    json!({"Version": "2012-10-17", "Statement": statements.clone()}),
                )],
                ..Default::default()
            });
            inv.iam.oidc_providers = Collected::Ok(
                [public, enterprise]
                    .iter()
                    .map(|arn| crate::inventory::iam::OidcProvider {
                        arn: arn.to_string(),
                        url: arn
                            .rsplit_once("oidc-provider/")
                            .map(|x| x.1)
                            .unwrap_or_default()
                            .into(),
                        client_ids: vec!["sts.amazonaws.com".into()],
                        thumbprints: vec![],
                    })
                    .collect(),
            );
            let f = github_oidc_trust(&inv);
            let got = f.first().map(|f| f.status.as_str()).unwrap_or("NONE");
            assert_eq!(got, want, "{statements}: {f:?}");
        }
    }
}
