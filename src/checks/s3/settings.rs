//! One setting per check: Block Public Access (account and bucket), TLS-only access,
//! default encryption, KMS, versioning, ACLs disabled.

use serde_json::Value;

use super::{Setting, buckets, effective, named, resource, section};
use crate::checks::{Finding, Resource};
use crate::inventory::s3::{Bucket, S3Inventory};
use crate::inventory::{Gap, Inventory};
use crate::policy::condition::{Request, Tri, evaluate_all};
use crate::policy::pattern::{Unknown, Vars, fillers_avoiding, literal_prefix, resource_matches};
use crate::policy::public::reaches_everyone;
use crate::policy::{Document, Kind, Matcher};

/// Runs `judge` on every bucket whose region is known; ERROR for the others.
fn each_bucket(inv: &Inventory, judge: impl Fn(&S3Inventory, &Bucket) -> Finding) -> Vec<Finding> {
    let mut out = Vec::new();
    let list = buckets(inv, &mut out);
    let Some(s3) = section(inv, &mut Vec::new()) else {
        return out;
    };
    for b in list {
        out.push(match b.region.get() {
            Err(gap) => Finding::gap(resource(b), gap),
            Ok(_) => judge(s3, b),
        });
    }
    out
}

fn gap_or<T>(b: &Bucket, v: Result<T, &Gap>, f: impl FnOnce(T) -> Finding) -> Finding {
    match v {
        Ok(v) => f(v),
        Err(gap) => Finding::gap(resource(b), gap),
    }
}

pub fn s3_account_public_access_block(inv: &Inventory) -> Vec<Finding> {
    let mut out = Vec::new();
    let Some(s3) = section(inv, &mut out) else {
        return out;
    };
    let res = Resource::account(inv);
    let outside = s3.outside_scan.len();
    let f = match s3.account_public_access_block.get() {
        Err(gap) => Finding::gap(res, gap),
        Ok(None) => Finding::fail(
            res,
            "the account has no S3 Block Public Access configuration: all four settings are off, so any bucket can be made public by its policy or its ACL",
        ),
        Ok(Some(block)) => {
            let off = block.off();
            if off.is_empty() {
                Finding::pass(
                    res,
                    "the account's S3 Block Public Access has all four settings on: no bucket of the account, in any region, can be public",
                )
            } else {
                Finding::fail(
                    res,
                    format!(
                        "the account's S3 Block Public Access leaves {} off: a bucket can still be made public unless its own settings block it",
                        off.join(", ")
                    ),
                )
            }
            .with(
                "settings",
                Value::Object(
                    block
                        .settings()
                        .iter()
                        .map(|(n, on)| (n.to_string(), Value::from(*on)))
                        .collect(),
                ),
            )
        }
    };
    out.push(if outside > 0 {
        f.with("buckets_in_regions_not_scanned", outside)
    } else {
        f
    });
    out
}

pub fn s3_bucket_public_access_block(inv: &Inventory) -> Vec<Finding> {
    each_bucket(inv, |s3, b| {
        let block = effective(s3, b);
        let evidence: serde_json::Map<String, Value> = block
            .iter()
            .map(|(n, s)| (n.to_string(), Value::from(s.describe())))
            .collect();
        let off: Vec<&str> = block
            .iter()
            .filter(|(_, s)| matches!(s, Setting::Off))
            .map(|(n, _)| *n)
            .collect();
        let unknown: Vec<&Gap> = block
            .iter()
            .filter_map(|(_, s)| match s {
                Setting::Unknown(g) => Some(g),
                _ => None,
            })
            .collect();
        let name = named(b);
        let f = if !off.is_empty() {
            Finding::fail(
                resource(b),
                format!(
                    "{name} has Block Public Access {} off, at both the account and the bucket level",
                    off.join(", ")
                ),
            )
        } else if let Some(gap) = unknown.first() {
            Finding::gap(resource(b), gap)
        } else {
            let from_account = block.iter().all(|(_, s)| match s {
                Setting::On(levels) => levels.contains(&"account"),
                _ => false,
            });
            Finding::pass(
                resource(b),
                if from_account {
                    format!(
                        "{name} has all four Block Public Access settings on, through the account's settings"
                    )
                } else {
                    format!("{name} has all four Block Public Access settings on")
                },
            )
        };
        f.with("block_public_access", Value::Object(evidence))
    })
}

/// Whether a pattern names every object of the bucket (`<bucket>/*`, `<bucket>*`, `*`):
/// it matches keys made of a character it does not hold, short and long, so it can only
/// match them through wildcards that cover any key (`<bucket>/*-*` does not).
fn every_object(pattern: &str, bucket_arn: &str) -> bool {
    let prefix = format!("{bucket_arn}/");
    pattern.ends_with('*')
        && prefix.starts_with(literal_prefix(pattern))
        && fillers_avoiding([pattern]).iter().all(|f| {
            resource_matches(
                pattern,
                &format!("{prefix}{f}"),
                Vars::NONE,
                Unknown::Narrow,
            )
        })
}

/// The Deny statements that refuse plain HTTP for every principal and every action, on
/// the bucket and on all of its objects (in one statement or two):
/// `"Condition": {"Bool": {"aws:SecureTransport": "false"}}` and nothing that narrows it.
/// `NotPrincipal`, `NotAction` and `NotResource` spare something, so they do not count.
fn denies_plain_http(bucket_arn: &str, doc: &Document) -> Option<Vec<String>> {
    let http = Request::new().with("aws:SecureTransport", &["false"]);
    let qualifying: Vec<_> = doc
        .denies()
        .filter(|d| {
            d.not_principal.is_none()
                && reaches_everyone(d)
                && matches!(&d.action, Matcher::Only(p) if p.iter().any(|p| p == "*" || p.eq_ignore_ascii_case("s3:*")))
                && d.conditions.iter().any(|c| c.key_is("aws:SecureTransport"))
                && evaluate_all(&d.conditions, &http) == Tri::True
        })
        .filter_map(|d| match &d.resource {
            Some(Matcher::Only(p)) => Some((d, p)),
            _ => None,
        })
        .collect();
    let bucket = qualifying
        .iter()
        .find(|(d, _)| d.covers_resource(bucket_arn, Vars::NONE, Unknown::Narrow))?;
    let objects = qualifying
        .iter()
        .find(|(_, p)| p.iter().any(|p| every_object(p, bucket_arn)))?;
    let mut labels = vec![bucket.0.label()];
    if objects.0.index != bucket.0.index {
        labels.push(objects.0.label());
    }
    Some(labels)
}

pub fn s3_bucket_tls_only(inv: &Inventory) -> Vec<Finding> {
    each_bucket(inv, |_, b| {
        let name = named(b);
        gap_or(b, b.policy.get(), |policy| {
            match policy {
            None => Finding::fail(
                resource(b),
                format!("{name} has no bucket policy, so nothing refuses requests over plain HTTP"),
            ),
            Some(p) => match Document::parse(p, Kind::ResourceBased) {
                Err(e) => Finding::error(
                    resource(b),
                    format!("{name}'s bucket policy cannot be read: {e}"),
                ),
                Ok(doc) => match denies_plain_http(&b.arn, &doc) {
                    Some(labels) => Finding::pass(
                        resource(b),
                        format!(
                            "{name} refuses every request over plain HTTP (the bucket policy's {} denies aws:SecureTransport false)",
                            labels.join(" and ")
                        ),
                    )
                    .with("statements", labels),
                    None => Finding::fail(
                        resource(b),
                        format!("{name}'s bucket policy has no Deny of aws:SecureTransport false that covers every principal, every action, the bucket and its objects, so requests over plain HTTP are not refused"),
                    ),
                },
            },
        }
        })
    })
}

fn algorithm_name(a: &str) -> &str {
    match a {
        "AES256" => "SSE-S3 (S3-managed keys)",
        "aws:kms" => "SSE-KMS",
        "aws:kms:dsse" => "DSSE-KMS",
        other => other,
    }
}

pub fn s3_bucket_default_encryption(inv: &Inventory) -> Vec<Finding> {
    each_bucket(inv, |_, b| {
        let name = named(b);
        gap_or(b, b.encryption.get(), |rules| match rules.as_deref() {
            None | Some([]) => Finding::fail(
                resource(b),
                format!(
                    "{name} has no default encryption: new objects are stored as uploaded, unencrypted unless the request asks"
                ),
            ),
            Some([rule, ..]) => Finding::pass(
                resource(b),
                format!(
                    "{name} encrypts new objects by default with {}",
                    algorithm_name(&rule.algorithm)
                ),
            )
            .with("algorithm", rule.algorithm.clone()),
        })
    })
}

pub fn s3_bucket_kms_encryption(inv: &Inventory) -> Vec<Finding> {
    each_bucket(inv, |_, b| {
        let name = named(b);
        gap_or(b, b.encryption.get(), |rules| {
            match rules.as_deref() {
            None | Some([]) => Finding::fail(
                resource(b),
                format!("{name} has no default encryption, so none with KMS"),
            ),
            Some([rule, ..]) if rule.algorithm.starts_with("aws:kms") => {
                let key = rule
                    .kms_key_id
                    .clone()
                    .unwrap_or_else(|| "the AWS managed key aws/s3".into());
                Finding::pass(
                    resource(b),
                    format!("{name} encrypts by default with {} using {key}", algorithm_name(&rule.algorithm)),
                )
                .with("algorithm", rule.algorithm.clone())
                .with("kms_key_id", rule.kms_key_id.clone().map_or(Value::Null, Value::from))
                .with("bucket_key_enabled", rule.bucket_key_enabled)
            }
            Some([rule, ..]) => Finding::fail(
                resource(b),
                format!(
                    "{name} encrypts by default with {}, not with a KMS key: access to the data is not governed by a key policy and is not logged per key use",
                    algorithm_name(&rule.algorithm)
                ),
            )
            .with("algorithm", rule.algorithm.clone()),
        }
        })
    })
}

pub fn s3_bucket_versioning(inv: &Inventory) -> Vec<Finding> {
    each_bucket(inv, |_, b| {
        let name = named(b);
        gap_or(b, b.versioning.get(), |v| {
            let f = match v.status.as_deref() {
                Some("Enabled") => Finding::pass(
                    resource(b),
                    format!("{name} keeps every version of its objects"),
                ),
                Some("Suspended") => Finding::fail(
                    resource(b),
                    format!(
                        "{name} has versioning suspended: overwritten and deleted objects are no longer kept"
                    ),
                ),
                _ => Finding::fail(
                    resource(b),
                    format!(
                        "{name} has never had versioning on: an overwrite or delete cannot be undone"
                    ),
                ),
            };
            f.with("status", v.status.clone().map_or(Value::Null, Value::from))
                .with(
                    "mfa_delete",
                    v.mfa_delete.clone().map_or(Value::Null, Value::from),
                )
        })
    })
}

pub fn s3_bucket_acls_disabled(inv: &Inventory) -> Vec<Finding> {
    each_bucket(inv, |_, b| {
        let name = named(b);
        gap_or(b, b.object_ownership.get(), |o| match o.as_deref() {
            Some("BucketOwnerEnforced") => Finding::pass(
                resource(b),
                format!(
                    "{name} has ACLs disabled (object ownership BucketOwnerEnforced): only policies grant access"
                ),
            ),
            other => {
                let ownership = other.unwrap_or("ObjectWriter");
                let others: Vec<String> = match b.acl.as_ref().map(|a| a.get()) {
                    Some(Ok(acl)) => acl
                        .grants
                        .iter()
                        .filter(|g| g.grantee != acl.owner_id)
                        .map(|g| {
                            // Groups by their name (AllUsers), others by id or address.
                            let who = g
                                .grantee
                                .strip_prefix("http://acs.amazonaws.com/groups/")
                                .and_then(|rest| rest.rsplit('/').next())
                                .unwrap_or(&g.grantee);
                            format!("{} to {who}", g.permission)
                        })
                        .collect(),
                    _ => Vec::new(),
                };
                let tail = if others.is_empty() {
                    String::new()
                } else {
                    format!("; its ACL grants {}", others.join(", "))
                };
                Finding::fail(
                    resource(b),
                    format!(
                        "{name} still uses ACLs (object ownership {ownership}{}){tail}",
                        if other.is_none() { ", by default" } else { "" }
                    ),
                )
                .with("object_ownership", ownership)
                .with("acl_grants_to_others", others)
            }
        })
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::checks::Status;
    use crate::checks::s3::fixtures::*;
    use crate::inventory::Collected;
    use crate::inventory::s3::{EncryptionRule, PublicAccessBlock, Versioning};

    fn one(check: fn(&Inventory) -> Vec<Finding>, b: Bucket) -> Finding {
        let mut f = check(&open_account(vec![b]));
        assert_eq!(f.len(), 1, "{f:#?}");
        f.remove(0)
    }

    #[test]
    fn account_block_public_access() {
        let run = |a| s3_account_public_access_block(&inventory(a, vec![])).remove(0);
        assert_eq!(
            run(Collected::Ok(Some(PublicAccessBlock::ALL))).status,
            Status::Pass
        );
        let f = run(Collected::Ok(None));
        assert_eq!(f.status, Status::Fail);
        assert!(
            f.message.contains("no S3 Block Public Access"),
            "{}",
            f.message
        );
        let f = run(Collected::Ok(Some(PublicAccessBlock {
            block_public_acls: true,
            block_public_policy: true,
            ..Default::default()
        })));
        assert_eq!(f.status, Status::Fail);
        assert!(
            f.message
                .contains("IgnorePublicAcls, RestrictPublicBuckets off"),
            "{}",
            f.message
        );
        assert_eq!(
            run(Collected::Gap(gap("GetPublicAccessBlock"))).status,
            Status::Error
        );
    }

    #[test]
    fn bucket_block_public_access_is_the_stricter_of_account_and_bucket() {
        // The bucket's own settings.
        assert_eq!(
            one(s3_bucket_public_access_block, bucket("b")).status,
            Status::Pass
        );
        // None on the bucket, none on the account.
        let f = one(s3_bucket_public_access_block, unblocked(bucket("b")));
        assert_eq!(f.status, Status::Fail);
        assert!(
            f.message.contains("BlockPublicAcls, IgnorePublicAcls"),
            "{}",
            f.message
        );
        // None on the bucket, all on the account: covered.
        let inv = inventory(
            Collected::Ok(Some(PublicAccessBlock::ALL)),
            vec![unblocked(bucket("b"))],
        );
        let f = s3_bucket_public_access_block(&inv).remove(0);
        assert_eq!(f.status, Status::Pass);
        assert!(f.message.contains("through the account"), "{}", f.message);
        // Half on each side adds up.
        let mut b = bucket("b");
        b.public_access_block = Collected::Ok(Some(PublicAccessBlock {
            block_public_acls: true,
            ignore_public_acls: true,
            ..Default::default()
        }));
        let account = PublicAccessBlock {
            block_public_policy: true,
            restrict_public_buckets: true,
            ..Default::default()
        };
        let inv = inventory(Collected::Ok(Some(account)), vec![b.clone()]);
        assert_eq!(
            s3_bucket_public_access_block(&inv).remove(0).status,
            Status::Pass
        );
        // The account's unknown and the bucket's half off: cannot tell.
        let inv = inventory(Collected::Gap(gap("GetPublicAccessBlock")), vec![b]);
        assert_eq!(
            s3_bucket_public_access_block(&inv).remove(0).status,
            Status::Error
        );
        // The account's unknown but the bucket's all on: covered whatever the account says.
        let inv = inventory(
            Collected::Gap(gap("GetPublicAccessBlock")),
            vec![bucket("b")],
        );
        assert_eq!(
            s3_bucket_public_access_block(&inv).remove(0).status,
            Status::Pass
        );
    }

    fn tls_policy(statement: serde_json::Value) -> serde_json::Value {
        json!({"Version": "2012-10-17", "Statement": [statement]})
    }

    #[test]
    fn tls_only_needs_a_deny_of_plain_http_for_everyone_everything_everywhere() {
        let deny = |principal: serde_json::Value,
                    action: &str,
                    resource: serde_json::Value,
                    cond: serde_json::Value| {
            tls_policy(json!({
                "Sid": "TlsOnly", "Effect": "Deny", "Principal": principal, "Action": action,
                "Resource": resource, "Condition": cond
            }))
        };
        let both = json!(["arn:aws:s3:::b", "arn:aws:s3:::b/*"]);
        let http = json!({"Bool": {"aws:SecureTransport": "false"}});
        let f = one(
            s3_bucket_tls_only,
            with_policy(
                bucket("b"),
                deny(json!("*"), "s3:*", both.clone(), http.clone()),
            ),
        );
        assert_eq!(f.status, Status::Pass, "{}", f.message);
        assert!(f.message.contains("TlsOnly"), "{}", f.message);
        let f = one(
            s3_bucket_tls_only,
            with_policy(
                bucket("b"),
                deny(
                    json!({"AWS": "*"}),
                    "*",
                    json!("arn:aws:s3:::b*"),
                    json!({"BoolIfExists": {"aws:SecureTransport": "false"}}),
                ),
            ),
        );
        assert_eq!(f.status, Status::Pass, "{}", f.message);
        // Each way of falling short.
        for (what, policy) in [
            (
                "objects only",
                deny(json!("*"), "s3:*", json!("arn:aws:s3:::b/*"), http.clone()),
            ),
            (
                "some actions",
                deny(json!("*"), "s3:GetObject", both.clone(), http.clone()),
            ),
            (
                "one principal",
                deny(
                    json!({"AWS": "arn:aws:iam::111122223333:root"}),
                    "s3:*",
                    both.clone(),
                    http.clone(),
                ),
            ),
            (
                "a narrower condition",
                deny(
                    json!("*"),
                    "s3:*",
                    both.clone(),
                    json!({"Bool": {"aws:SecureTransport": "false"}, "StringEquals": {"aws:PrincipalTag/team": "x"}}),
                ),
            ),
            (
                "no condition on TLS",
                deny(
                    json!("*"),
                    "s3:DeleteBucket",
                    both.clone(),
                    json!({"StringNotEquals": {"aws:PrincipalAccount": "123456789012"}}),
                ),
            ),
            (
                "an Allow on TLS instead",
                tls_policy(
                    json!({"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": both, "Condition": {"Bool": {"aws:SecureTransport": "true"}}}),
                ),
            ),
        ] {
            let f = one(s3_bucket_tls_only, with_policy(bucket("b"), policy));
            assert_eq!(f.status, Status::Fail, "{what}: {}", f.message);
        }
        assert_eq!(
            one(s3_bucket_tls_only, bucket("b")).status,
            Status::Fail,
            "no policy"
        );
        let mut b = bucket("b");
        b.policy = Collected::Gap(gap("GetBucketPolicy"));
        assert_eq!(one(s3_bucket_tls_only, b).status, Status::Error);
    }

    #[test]
    fn tls_only_is_not_fooled_by_patterns_that_name_some_objects() {
        let deny = |resource: serde_json::Value, cond: serde_json::Value| {
            tls_policy(json!({
                "Effect": "Deny", "Principal": "*", "Action": "s3:*",
                "Resource": resource, "Condition": cond
            }))
        };
        let http = json!({"Bool": {"aws:SecureTransport": "false"}});
        for (what, resource, cond) in [
            // Only keys with a `-` (or a `~`, or two characters) are covered.
            (
                "keys with a dash",
                json!(["arn:aws:s3:::b", "arn:aws:s3:::b/*-*"]),
                http.clone(),
            ),
            (
                "keys with a tilde",
                json!(["arn:aws:s3:::b", "arn:aws:s3:::b/~*"]),
                http.clone(),
            ),
            (
                "two-character keys",
                json!(["arn:aws:s3:::b", "arn:aws:s3:::b/??"]),
                http.clone(),
            ),
            ("the bucket only", json!("arn:aws:s3:::b"), http.clone()),
            (
                "with a TLS version as well",
                json!(["arn:aws:s3:::b", "arn:aws:s3:::b/*"]),
                json!({"Bool": {"aws:SecureTransport": "false"}, "NumericLessThan": {"s3:TlsVersion": "1.2"}}),
            ),
        ] {
            let f = one(
                s3_bucket_tls_only,
                with_policy(bucket("b"), deny(resource, cond)),
            );
            assert_eq!(f.status, Status::Fail, "{what}: {}", f.message);
        }
        // A JSON boolean is the same as the string "false"; `b/?*` names every key.
        for resource in [
            json!(["arn:aws:s3:::b", "arn:aws:s3:::b/*"]),
            json!(["arn:aws:s3:::b", "arn:aws:s3:::b/?*"]),
        ] {
            let f = one(
                s3_bucket_tls_only,
                with_policy(
                    bucket("b"),
                    deny(resource, json!({"Bool": {"aws:SecureTransport": false}})),
                ),
            );
            assert_eq!(f.status, Status::Pass, "{}", f.message);
        }
        let mut b = bucket("b");
        b.policy = Collected::Ok(Some(json!("{not json")));
        assert_eq!(one(s3_bucket_tls_only, b).status, Status::Error);
    }

    #[test]
    fn default_encryption_and_kms() {
        assert_eq!(
            one(s3_bucket_default_encryption, bucket("b")).status,
            Status::Pass
        );
        let f = one(s3_bucket_kms_encryption, bucket("b"));
        assert_eq!(f.status, Status::Pass, "{}", f.message);
        let mut b = bucket("b");
        b.encryption = Collected::Ok(Some(vec![EncryptionRule {
            algorithm: "AES256".into(),
            kms_key_id: None,
            bucket_key_enabled: false,
        }]));
        assert_eq!(
            one(s3_bucket_default_encryption, b.clone()).status,
            Status::Pass
        );
        let f = one(s3_bucket_kms_encryption, b);
        assert_eq!(f.status, Status::Fail);
        assert!(f.message.contains("SSE-S3"), "{}", f.message);
        let mut b = bucket("b");
        b.encryption = Collected::Ok(None);
        assert_eq!(
            one(s3_bucket_default_encryption, b.clone()).status,
            Status::Fail
        );
        assert_eq!(one(s3_bucket_kms_encryption, b).status, Status::Fail);
        let mut b = bucket("b");
        b.encryption = Collected::Gap(gap("GetBucketEncryption"));
        assert_eq!(
            one(s3_bucket_default_encryption, b.clone()).status,
            Status::Error
        );
        assert_eq!(one(s3_bucket_kms_encryption, b).status, Status::Error);
    }

    #[test]
    fn versioning() {
        assert_eq!(one(s3_bucket_versioning, bucket("b")).status, Status::Pass);
        for (status, says) in [(Some("Suspended"), "suspended"), (None, "never")] {
            let mut b = bucket("b");
            b.versioning = Collected::Ok(Versioning {
                status: status.map(str::to_string),
                mfa_delete: None,
            });
            let f = one(s3_bucket_versioning, b);
            assert_eq!(f.status, Status::Fail);
            assert!(f.message.contains(says), "{}", f.message);
        }
        let mut b = bucket("b");
        b.versioning = Collected::Gap(gap("GetBucketVersioning"));
        assert_eq!(one(s3_bucket_versioning, b).status, Status::Error);
    }

    #[test]
    fn acls_disabled() {
        assert_eq!(
            one(s3_bucket_acls_disabled, bucket("b")).status,
            Status::Pass
        );
        let f = one(
            s3_bucket_acls_disabled,
            with_acl(bucket("b"), &[("AllUsers", "READ")]),
        );
        assert_eq!(f.status, Status::Fail);
        assert!(
            f.message.contains("ObjectWriter") && f.message.contains("AllUsers"),
            "{}",
            f.message
        );
        let mut b = with_acl(bucket("b"), &[]);
        b.object_ownership = Collected::Ok(None);
        let f = one(s3_bucket_acls_disabled, b);
        assert_eq!(f.status, Status::Fail);
        assert!(f.message.contains("by default"), "{}", f.message);
        let mut b = bucket("b");
        b.object_ownership = Collected::Gap(gap("GetBucketOwnershipControls"));
        assert_eq!(one(s3_bucket_acls_disabled, b).status, Status::Error);
    }
}
