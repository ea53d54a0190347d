//! `s3-bucket-public`: whether anyone can read, list or write a bucket, through its policy
//! or its ACL, once Block Public Access (the account's and the bucket's) has had its say.

use serde_json::{Value, json};

use super::{Setting, buckets, effective, named, resource, section};
use crate::checks::Finding;
use crate::inventory::Inventory;
use crate::inventory::s3::{Acl, Bucket};
use crate::policy::pattern::{Unknown, Vars, fillers_avoiding, instance, resource_matches};
use crate::policy::public::{Audience, audience, denies_public};
use crate::policy::{Document, Kind, Matcher, Statement};

/// What an opening lets the public do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Access {
    Read,
    List,
    Write,
}

impl Access {
    fn verb(self) -> &'static str {
        match self {
            Access::Read => "read",
            Access::List => "list",
            Access::Write => "write",
        }
    }
}

/// Who an opening admits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    Anyone,
    AnyAwsAccount,
}

impl Who {
    fn phrase(self) -> &'static str {
        match self {
            Who::Anyone => "anyone",
            Who::AnyAwsAccount => "any AWS account",
        }
    }
}

/// Through what an opening comes, and so which Block Public Access setting neutralises it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    /// RestrictPublicBuckets neutralises it.
    Policy,
    /// IgnorePublicAcls neutralises it.
    Acl,
}

/// One way the public gets in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opening {
    pub who: Who,
    pub via: Via,
    /// `the bucket policy's statement "PublicRead"`, `the ACL's READ grant to AllUsers`.
    pub through: String,
    /// What it allows, each with the actions (or ACL permission) behind it.
    pub access: Vec<(Access, Vec<String>)>,
}

impl Opening {
    fn describe(&self) -> String {
        let what: Vec<String> = self
            .access
            .iter()
            .map(|(a, actions)| format!("{} ({})", a.verb(), actions.join(", ")))
            .collect();
        format!(
            "{} can {} through {}",
            self.who.phrase(),
            what.join(", "),
            self.through
        )
    }

    fn evidence(&self, neutralised_by: Option<String>) -> Value {
        json!({
            "who": self.who.phrase(),
            "through": self.through,
            "access": self.access.iter().map(|(a, actions)| json!({"access": a.verb(), "actions": actions})).collect::<Vec<_>>(),
            "neutralised_by": neutralised_by,
        })
    }
}

/// The actions S3 counts as opening a bucket (`s3:Get*`, `s3:List*`, `s3:Put*`,
/// `s3:Delete*`, AbortMultipartUpload, RestoreObject), asked of every statement; the
/// actions a statement names, and one instance of each of its patterns, are asked too.
const SAMPLE_ACTIONS: &[&str] = &[
    "s3:GetObject",
    "s3:GetObjectVersion",
    "s3:GetObjectAcl",
    "s3:GetObjectVersionAcl",
    "s3:GetObjectTagging",
    "s3:GetObjectVersionTagging",
    "s3:GetObjectAttributes",
    "s3:GetObjectRetention",
    "s3:GetObjectLegalHold",
    "s3:ListBucket",
    "s3:ListBucketVersions",
    "s3:ListBucketMultipartUploads",
    "s3:ListMultipartUploadParts",
    "s3:PutObject",
    "s3:PutObjectAcl",
    "s3:PutObjectVersionAcl",
    "s3:PutObjectTagging",
    "s3:PutObjectRetention",
    "s3:PutObjectLegalHold",
    "s3:DeleteObject",
    "s3:DeleteObjectVersion",
    "s3:DeleteObjectTagging",
    "s3:DeleteObjectVersionTagging",
    "s3:AbortMultipartUpload",
    "s3:RestoreObject",
    "s3:GetBucketPolicy",
    "s3:GetBucketAcl",
    "s3:GetBucketLocation",
    "s3:GetBucketTagging",
    "s3:GetBucketVersioning",
    "s3:GetBucketWebsite",
    "s3:GetBucketCORS",
    "s3:GetBucketLogging",
    "s3:GetBucketNotification",
    "s3:GetBucketPublicAccessBlock",
    "s3:GetBucketOwnershipControls",
    "s3:GetEncryptionConfiguration",
    "s3:GetLifecycleConfiguration",
    "s3:GetReplicationConfiguration",
    "s3:PutBucketPolicy",
    "s3:PutBucketAcl",
    "s3:PutBucketTagging",
    "s3:PutBucketVersioning",
    "s3:PutBucketWebsite",
    "s3:PutBucketCORS",
    "s3:PutBucketLogging",
    "s3:PutBucketNotification",
    "s3:PutBucketPublicAccessBlock",
    "s3:PutBucketOwnershipControls",
    "s3:PutEncryptionConfiguration",
    "s3:PutLifecycleConfiguration",
    "s3:PutReplicationConfiguration",
    "s3:DeleteBucket",
    "s3:DeleteBucketPolicy",
    "s3:DeleteBucketWebsite",
];

/// What an S3 action opens when everyone may take it. S3's "bad actions" are Get, List,
/// Put, Delete, AbortMultipartUpload and RestoreObject; any other S3 action granted to
/// everyone (ReplicateObject, ReplicateDelete, BypassGovernanceRetention...) changes the
/// bucket or its objects, so it counts as write rather than as nothing.
fn access_of(action: &str) -> Option<Access> {
    let name = action.strip_prefix("s3:").or_else(|| {
        action
            .split_once(':')
            .filter(|(p, _)| p.eq_ignore_ascii_case("s3"))
            .map(|(_, n)| n)
    })?;
    let lower = name.to_ascii_lowercase();
    if lower.starts_with("get") {
        Some(Access::Read)
    } else if lower.starts_with("list") {
        Some(Access::List)
    } else {
        Some(Access::Write)
    }
}

/// What an action acts on: objects (`arn:…:bucket/key`), the bucket, or either (an
/// action postura cannot place).
enum Scope {
    Objects,
    Bucket,
    Either,
}

fn scope_of(action: &str) -> Scope {
    let name = action.split_once(':').map_or(action, |(_, n)| n);
    let lower = name.to_ascii_lowercase();
    let noun = ["get", "put", "delete", "list", "restore", "abort"]
        .iter()
        .find_map(|v| lower.strip_prefix(v))
        .unwrap_or(&lower);
    if noun.starts_with("object")
        || noun == "multipartupload"
        || noun == "multipartuploadparts"
        || lower.starts_with("replicate")
    {
        Scope::Objects
    } else if noun.starts_with("bucket") || lower.starts_with("list") {
        Scope::Bucket
    } else {
        Scope::Either
    }
}

/// Objects of the bucket that `patterns` name, per filler, for each pattern whose bucket
/// part matches this bucket (`arn:aws:s3:::*/public/*` gives `<bucket>/public/q`).
fn objects_named(bucket_arn: &str, patterns: &[String], fillers: &[String]) -> Vec<String> {
    patterns
        .iter()
        .filter_map(|p| {
            let start = p.find(":::")? + 3;
            let slash = start + p[start..].find('/')?;
            resource_matches(&p[..slash], bucket_arn, Vars::NONE, Unknown::Wide).then(|| {
                fillers
                    .iter()
                    .map(|f| format!("{bucket_arn}/{}", instance(&p[slash + 1..], f)))
                    .collect::<Vec<_>>()
            })
        })
        .flatten()
        .collect()
}

/// Every resource pattern of the document (Resource and NotResource alike).
fn resource_patterns(doc: &Document) -> Vec<&str> {
    doc.statements
        .iter()
        .filter_map(|s| match &s.resource {
            Some(Matcher::Only(p)) | Some(Matcher::AllExcept(p)) => Some(p),
            None => None,
        })
        .flatten()
        .map(String::as_str)
        .collect()
}

/// Actions to ask about beyond the samples: the named ones, and an instance of each
/// pattern (`s3:Put*Tagging` gives `s3:PutObjectTagging`).
fn actions_named(patterns: &[String]) -> Vec<String> {
    patterns
        .iter()
        .map(|p| {
            if p.contains(['*', '?']) {
                instance(p, "Object")
            } else {
                p.clone()
            }
        })
        .collect()
}

/// What the bucket policy opens to the public, and the statements that grant everyone
/// access only under a restricting condition (for the evidence).
pub fn policy_openings(
    bucket_arn: &str,
    doc: &Document,
) -> (Vec<Opening>, Vec<(String, Vec<String>)>) {
    let denies: Vec<&Statement> = doc.denies().filter(|d| denies_public(d)).collect();
    // Sample objects are filled with characters no pattern of the policy holds, so that a
    // Deny (or NotResource) only covers a sample through its wildcards, as it covers
    // every real key.
    let fillers = fillers_avoiding(resource_patterns(doc));
    // What the Denies leave out (NotAction, NotResource) is asked about too, so that a
    // Deny of "everything but X" is never read as a Deny of everything.
    let mut spared_objects = Vec::new();
    let mut spared_actions = Vec::new();
    for d in &denies {
        if let Some(Matcher::AllExcept(p)) = &d.resource {
            spared_objects.extend(objects_named(bucket_arn, p, &fillers));
        }
        if let Matcher::AllExcept(p) = &d.action {
            spared_actions.extend(actions_named(p));
        }
    }
    let mut openings = Vec::new();
    let mut confined = Vec::new();
    for s in doc.allows() {
        match audience(s) {
            Audience::Named => continue,
            Audience::Confined(limits) => {
                confined.push((s.label(), limits));
                continue;
            }
            Audience::Public => {}
        }
        let mut candidates: Vec<String> = SAMPLE_ACTIONS.iter().map(|a| a.to_string()).collect();
        if let Matcher::Only(patterns) = &s.action {
            candidates.extend(actions_named(patterns));
        }
        candidates.extend(spared_actions.iter().cloned());
        let mut seen = std::collections::HashSet::new();
        candidates.retain(|c| seen.insert(c.to_ascii_lowercase()));
        let mut objects: Vec<String> = fillers
            .iter()
            .map(|f| format!("{bucket_arn}/{f}"))
            .collect();
        if let Some(Matcher::Only(patterns)) = &s.resource {
            objects.extend(objects_named(bucket_arn, patterns, &fillers));
        }
        objects.extend(spared_objects.iter().cloned());
        let mut access: Vec<(Access, Vec<String>)> = Vec::new();
        for action in candidates {
            let Some(kind) = access_of(&action) else {
                continue;
            };
            if !s.covers_action(&action) {
                continue;
            }
            // An action of unknown scope is asked about on the bucket and its objects.
            let targets: Vec<&str> = match scope_of(&action) {
                Scope::Objects => objects.iter().map(String::as_str).collect(),
                Scope::Bucket => vec![bucket_arn],
                Scope::Either => std::iter::once(bucket_arn)
                    .chain(objects.iter().map(String::as_str))
                    .collect(),
            };
            let granted: Vec<&str> = targets
                .into_iter()
                .filter(|r| s.covers_resource(r, Vars::NONE, Unknown::Wide))
                .collect();
            if granted.is_empty() {
                continue;
            }
            let denied = denies.iter().any(|d| {
                d.covers_action(&action)
                    && granted
                        .iter()
                        .all(|r| d.covers_resource(r, Vars::NONE, Unknown::Narrow))
            });
            if denied {
                continue;
            }
            match access.iter_mut().find(|(a, _)| *a == kind) {
                Some((_, actions)) => actions.push(action),
                None => access.push((kind, vec![action])),
            }
        }
        if !access.is_empty() {
            access.sort();
            openings.push(Opening {
                who: Who::Anyone,
                via: Via::Policy,
                through: format!("the bucket policy's {}", s.label()),
                access,
            });
        }
    }
    (openings, confined)
}

const ALL_USERS: &str = "http://acs.amazonaws.com/groups/global/AllUsers";
const AUTHENTICATED_USERS: &str = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers";

/// What the bucket ACL opens: grants to AllUsers (anyone) and AuthenticatedUsers (any AWS
/// account). A bucket ACL's READ lists the objects; it does not read them.
pub fn acl_openings(acl: &Acl) -> Vec<Opening> {
    let mut out = Vec::new();
    for g in &acl.grants {
        let who = match g.grantee.as_str() {
            ALL_USERS => Who::Anyone,
            AUTHENTICATED_USERS => Who::AnyAwsAccount,
            _ => continue,
        };
        let access: Vec<(Access, Vec<String>)> = match g.permission.as_str() {
            "READ" => vec![(Access::List, vec!["READ".into()])],
            "WRITE" => vec![(
                Access::Write,
                vec!["WRITE: create, overwrite and delete objects".into()],
            )],
            "READ_ACP" => vec![(Access::Read, vec!["READ_ACP: the bucket ACL".into()])],
            "WRITE_ACP" => vec![(
                Access::Write,
                vec!["WRITE_ACP: the bucket ACL, and so grant itself anything".into()],
            )],
            "FULL_CONTROL" => vec![
                (Access::Read, vec!["FULL_CONTROL: the bucket ACL".into()]),
                (Access::List, vec!["FULL_CONTROL".into()]),
                (
                    Access::Write,
                    vec!["FULL_CONTROL: objects and the ACL".into()],
                ),
            ],
            _ => continue,
        };
        let group = g.grantee.rsplit('/').next().unwrap_or(&g.grantee);
        out.push(Opening {
            who,
            via: Via::Acl,
            through: format!("the bucket ACL's {} grant to {group}", g.permission),
            access,
        });
    }
    out
}

pub fn s3_bucket_public(inv: &Inventory) -> Vec<Finding> {
    let mut out = Vec::new();
    let list = buckets(inv, &mut out);
    let Some(s3) = section(inv, &mut Vec::new()) else {
        return out;
    };
    for b in list {
        out.push(judge(s3, b));
    }
    out
}

pub(crate) fn judge(s3: &crate::inventory::s3::S3Inventory, b: &Bucket) -> Finding {
    let res = resource(b);
    if let Err(gap) = b.region.get() {
        return Finding::gap(res, gap);
    }
    let block = effective(s3, b);
    let ignore_acls = &block[1].1;
    // RestrictPublicBuckets acts on a policy S3 itself calls public. Where S3 says the
    // policy is not public (postura reads it stricter), the setting restricts nothing and
    // what postura finds stays open; where S3's verdict could not be read, it is unknown.
    // (No verdict at all, as in inventories from before it was collected: the setting is
    // taken to act.)
    let policy_restrict = match (&block[3].1, b.policy_status.as_ref().map(|s| s.get())) {
        (Setting::On(_), Some(Ok(false))) => Setting::Off,
        (Setting::On(_), Some(Err(gap))) => Setting::Unknown(gap.clone()),
        (setting, _) => setting.clone(),
    };
    let restrict = &policy_restrict;
    let name = named(b);

    // Each source: its openings, or why they cannot be known.
    let mut problems: Vec<String> = Vec::new();
    let mut gap_evidence = Vec::new();
    let mut confined = Vec::new();
    let mut openings: Vec<(Opening, &Setting)> = Vec::new();
    match b.policy.get() {
        Ok(None) => {}
        Ok(Some(policy)) => match Document::parse(policy, Kind::ResourceBased) {
            Ok(doc) => {
                let (o, c) = policy_openings(&b.arn, &doc);
                openings.extend(o.into_iter().map(|o| (o, restrict)));
                confined = c;
            }
            Err(e) => {
                if !restrict.is_on() {
                    problems.push(format!("its bucket policy cannot be read ({e})"));
                }
            }
        },
        Err(gap) => {
            if !restrict.is_on() {
                problems.push(format!(
                    "its bucket policy could not be read ({} {}: {})",
                    gap.operation, gap.error_code, gap.message
                ));
                gap_evidence.push(gap.clone());
            }
        }
    }
    let acls_disabled =
        matches!(b.object_ownership.get(), Ok(Some(o)) if o == "BucketOwnerEnforced");
    match &b.acl {
        None if acls_disabled => {}
        None => {
            if !ignore_acls.is_on() {
                problems.push("its ACL was not read although ACLs are not disabled".into());
            }
        }
        Some(acl) => match acl.get() {
            Ok(acl) if acls_disabled => {
                // ACLs disabled: S3 ignores the grants, whatever they say.
                let _ = acl;
            }
            Ok(acl) => openings.extend(acl_openings(acl).into_iter().map(|o| (o, ignore_acls))),
            Err(gap) => {
                if !ignore_acls.is_on() {
                    problems.push(format!(
                        "its ACL could not be read ({} {}: {})",
                        gap.operation, gap.error_code, gap.message
                    ));
                    gap_evidence.push(gap.clone());
                }
            }
        },
    }

    let setting_name = |via: Via| match via {
        Via::Policy => "RestrictPublicBuckets",
        Via::Acl => "IgnorePublicAcls",
    };
    let open: Vec<&Opening> = openings
        .iter()
        .filter(|(_, s)| matches!(s, Setting::Off))
        .map(|(o, _)| o)
        .collect();
    let unknown: Vec<&Opening> = openings
        .iter()
        .filter(|(_, s)| matches!(s, Setting::Unknown(_)))
        .map(|(o, _)| o)
        .collect();
    let neutralised: Vec<(&Opening, String)> = openings
        .iter()
        .filter_map(|(o, s)| match s {
            Setting::On(levels) => Some((
                o,
                format!("{} ({} level)", setting_name(o.via), levels.join(" and ")),
            )),
            _ => None,
        })
        .collect();

    let mut evidence_openings: Vec<Value> = Vec::new();
    for o in &open {
        evidence_openings.push(o.evidence(None));
    }
    for o in &unknown {
        evidence_openings.push(o.evidence(None));
    }
    for (o, by) in &neutralised {
        evidence_openings.push(o.evidence(Some(by.clone())));
    }
    let block_evidence: serde_json::Map<String, Value> = block
        .iter()
        .map(|(n, s)| (n.to_string(), Value::from(s.describe())))
        .collect();

    let finding = if !open.is_empty() {
        let what: Vec<String> = open.iter().map(|o| o.describe()).collect();
        let mut msg = format!("{name} is public: {}", what.join("; "));
        if !problems.is_empty() {
            msg.push_str(&format!(" (and {})", problems.join("; ")));
        }
        Finding::fail(res, msg)
    } else if !unknown.is_empty() || !problems.is_empty() {
        let mut why: Vec<String> = unknown
            .iter()
            .map(|o| {
                format!(
                    "{} unless the account's {}, which could not be read, is on",
                    o.describe(),
                    setting_name(o.via)
                )
            })
            .collect();
        why.extend(problems.iter().cloned());
        Finding::error(
            res,
            format!(
                "whether {name} is public cannot be told: {}",
                why.join("; ")
            ),
        )
    } else if !neutralised.is_empty() {
        let what: Vec<String> = neutralised
            .iter()
            .map(|(o, by)| format!("{}, which {by} neutralises", o.describe()))
            .collect();
        Finding::pass(
            res,
            format!(
                "{name} is not public because Block Public Access neutralises what would open it: without it, {}",
                what.join("; ")
            ),
        )
    } else {
        let mut msg = format!("{name} is not public: ");
        let mut parts = Vec::new();
        match b.policy.get() {
            Ok(None) => parts.push("it has no bucket policy".to_string()),
            _ if confined.is_empty() => {
                parts.push("its bucket policy grants nothing to everyone".to_string())
            }
            _ => parts.push(format!(
                "its bucket policy grants everyone access only under conditions that restrict it ({})",
                confined
                    .iter()
                    .map(|(label, limits)| format!("{label}: {}", limits.join(" and ")))
                    .collect::<Vec<_>>()
                    .join("; ")
            )),
        }
        if acls_disabled {
            parts.push("ACLs are disabled (BucketOwnerEnforced)".into());
        } else if restrict.is_on() && ignore_acls.is_on() {
            parts.push(
                "Block Public Access ignores public ACLs and restricts public policies".into(),
            );
        } else {
            parts.push(
                "its bucket ACL grants nothing to everyone or to all AWS accounts (object ACLs are not read)"
                    .into(),
            );
        }
        msg.push_str(&parts.join(", and "));
        Finding::pass(res, msg)
    };
    let mut finding = finding
        .with("openings", evidence_openings)
        .with("block_public_access", Value::Object(block_evidence));
    if !confined.is_empty() {
        finding = finding.with(
            "restricted_statements",
            confined
                .iter()
                .map(|(label, limits)| json!({"statement": label, "conditions": limits}))
                .collect::<Vec<_>>(),
        );
    }
    if let Some(Ok(public)) = b.policy_status.as_ref().map(|s| s.get()) {
        finding = finding.with("s3_policy_status_is_public", *public);
    }
    if !gap_evidence.is_empty() {
        finding = finding.with(
            "gaps",
            serde_json::to_value(&gap_evidence).unwrap_or(Value::Null),
        );
    }
    finding
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::checks::Status;
    use crate::checks::s3::fixtures::*;
    use crate::inventory::Collected;
    use crate::inventory::s3::PublicAccessBlock;

    fn run(inv: &Inventory) -> Finding {
        let mut f = s3_bucket_public(inv);
        assert_eq!(f.len(), 1, "{f:#?}");
        f.remove(0)
    }

    fn policy(statements: Value) -> Value {
        json!({"Version": "2012-10-17", "Statement": statements})
    }

    fn public_read() -> Value {
        policy(json!([{
            "Sid": "PublicRead", "Effect": "Allow", "Principal": "*",
            "Action": "s3:GetObject", "Resource": "arn:aws:s3:::site/*"
        }]))
    }

    fn open(b: Bucket) -> Finding {
        run(&open_account(vec![unblocked(b)]))
    }

    #[test]
    fn a_bucket_set_up_as_advised_is_not_public() {
        let f = run(&open_account(vec![bucket("site")]));
        assert_eq!(f.status, Status::Pass, "{}", f.message);
        assert!(f.message.contains("no bucket policy"), "{}", f.message);
        assert!(f.message.contains("ACLs are disabled"), "{}", f.message);
    }

    #[test]
    fn a_policy_granting_everyone_reads_fails_and_says_what_and_how() {
        let f = open(with_policy(bucket("site"), public_read()));
        assert_eq!(f.status, Status::Fail);
        assert!(
            f.message.contains("anyone can read (s3:GetObject")
                && f.message.contains("statement \"PublicRead\""),
            "{}",
            f.message
        );
        assert!(
            !f.message.contains("list"),
            "it opens reading only: {}",
            f.message
        );
        // `{"AWS": "*"}` is everyone too, and `s3:*` opens all three.
        let f = open(with_policy(
            bucket("site"),
            policy(json!([{
                "Effect": "Allow", "Principal": {"AWS": ["*"]}, "Action": "s3:*",
                "Resource": ["arn:aws:s3:::site", "arn:aws:s3:::site/*"]
            }])),
        ));
        assert_eq!(f.status, Status::Fail);
        for what in ["read (", "list (s3:ListBucket", "write (s3:PutObject"] {
            assert!(f.message.contains(what), "{what}: {}", f.message);
        }
    }

    #[test]
    fn grants_on_part_of_the_bucket_or_on_unsampled_actions_count() {
        let f = open(with_policy(
            bucket("site"),
            policy(json!([{
                "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                "Resource": "arn:aws:s3:::site/public/*"
            }])),
        ));
        assert_eq!(f.status, Status::Fail, "{}", f.message);
        let f = open(with_policy(
            bucket("site"),
            policy(json!([{
                "Effect": "Allow", "Principal": "*", "Action": "s3:GetObjectTagging",
                "Resource": "arn:aws:s3:::site/*"
            }])),
        ));
        assert_eq!(f.status, Status::Fail, "{}", f.message);
        assert!(f.message.contains("s3:GetObjectTagging"), "{}", f.message);
        // A pattern whose bucket part is a wildcard still names this bucket's objects.
        let f = open(with_policy(
            bucket("site"),
            policy(json!([{
                "Effect": "Allow", "Principal": "*", "Action": "s3:Put*Tagging",
                "Resource": "arn:*:s3:::*/public/*"
            }])),
        ));
        assert_eq!(f.status, Status::Fail, "{}", f.message);
        assert!(
            f.message.contains("write (s3:PutObjectTagging"),
            "{}",
            f.message
        );
        // Everyone but one account is everyone.
        let f = open(with_policy(
            bucket("site"),
            policy(json!([{
                "Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:root"},
                "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::site"
            }])),
        ));
        assert_eq!(f.status, Status::Fail, "{}", f.message);
        // A grant on another bucket is not public.
        let f = open(with_policy(
            bucket("site"),
            policy(json!([{
                "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                "Resource": "arn:aws:s3:::other/*"
            }])),
        ));
        assert_eq!(f.status, Status::Pass, "{}", f.message);
    }

    #[test]
    fn shapes_aws_documents_as_public_are_not_missed() {
        let fails = |what: &str, statements: Value| {
            let f = open(with_policy(bucket("site"), policy(statements)));
            assert_eq!(f.status, Status::Fail, "{what}: {}", f.message);
            f
        };
        let read = json!({
            "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::site/*"
        });
        // S3's own first example of a public policy: a web identity provider's users.
        let f = fails(
            "a federated principal",
            json!([{
                "Effect": "Allow", "Principal": {"Federated": "graph.facebook.com"},
                "Action": "s3:PutObject", "Resource": "arn:aws:s3:::site/*"
            }]),
        );
        assert!(f.message.contains("write (s3:PutObject"), "{}", f.message);
        // Any S3 action granted to everyone opens something, not only S3's "bad" ones.
        let f = fails(
            "replication",
            json!([{
                "Effect": "Allow", "Principal": "*",
                "Action": ["s3:ReplicateObject", "s3:ReplicateDelete"],
                "Resource": "arn:aws:s3:::site/*"
            }]),
        );
        assert!(f.message.contains("s3:ReplicateDelete"), "{}", f.message);
        // A Deny or a NotResource that names only some keys leaves the rest open, whatever
        // characters postura's own sample keys might hold.
        for (what, deny) in [
            ("a deny of keys with a dash", "arn:aws:s3:::site/*-*"),
            ("a deny of keys with a tilde", "arn:aws:s3:::site/~*"),
            ("a deny of keys with an s", "arn:aws:s3:::site/*s*"),
            ("a deny of one-character keys", "arn:aws:s3:::site/?"),
        ] {
            fails(
                what,
                json!([read, {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": deny}]),
            );
        }
        fails(
            "an allow of all but keys with a dash",
            json!([{
                "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                "NotResource": "arn:aws:s3:::site/*-*"
            }]),
        );
        fails(
            "an allow of all but some keys",
            json!([{
                "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                "NotResource": "arn:aws:s3:::site/private/*"
            }]),
        );
        fails(
            "an allow of all but delete",
            json!([{
                "Effect": "Allow", "Principal": "*", "NotAction": "s3:DeleteObject",
                "Resource": "arn:aws:s3:::site/*"
            }]),
        );
        // Denies that do not turn everyone away.
        for (what, deny) in [
            (
                "a deny for one account",
                json!({"Effect": "Deny", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "s3:*", "Resource": "arn:aws:s3:::site/*"}),
            ),
            (
                "a deny for federated users",
                json!({"Effect": "Deny", "Principal": {"Federated": "cognito-identity.amazonaws.com"}, "Action": "s3:*", "Resource": "arn:aws:s3:::site/*"}),
            ),
            (
                "a deny of plain HTTP",
                json!({"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::site/*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}),
            ),
        ] {
            fails(what, json!([read, deny]));
        }
        // Case and wildcards in actions and resources.
        for action in ["S3:GetObject", "s3:Get*", "s3:*Object", "*"] {
            fails(
                action,
                json!([{"Effect": "Allow", "Principal": "*", "Action": action, "Resource": "arn:aws:s3:::site/*"}]),
            );
        }
        for resource in ["*", "arn:aws:s3:::*/*", "arn:aws:s3:::site*"] {
            fails(
                resource,
                json!([{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": resource}]),
            );
        }
        // The 2008 language, with a single statement as an object.
        let f = open(with_policy(
            bucket("site"),
            json!({"Version": "2008-10-17", "Statement": {
                "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "s3:GetObject",
                "Resource": "arn:aws:s3:::site/*"
            }}),
        ));
        assert_eq!(f.status, Status::Fail, "{}", f.message);
        // And the Denies that do close it: every key, or everyone outside one account.
        for deny in [
            json!({"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::site/*"}),
            json!({"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::site/?*"}),
            json!({"Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "s3:*", "Resource": "arn:aws:s3:::site/*"}),
        ] {
            let f = open(with_policy(bucket("site"), policy(json!([read, deny]))));
            assert_eq!(f.status, Status::Pass, "{deny}: {}", f.message);
        }
    }

    #[test]
    fn named_principals_and_restricting_conditions_are_not_public() {
        let f = open(with_policy(
            bucket("site"),
            policy(json!([{
                "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
                "Action": "s3:*", "Resource": "arn:aws:s3:::site/*"
            }])),
        ));
        assert_eq!(f.status, Status::Pass, "{}", f.message);
        for condition in [
            json!({"StringEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}}),
            json!({"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}),
            json!({"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}),
            json!({"StringEquals": {"aws:PrincipalAccount": "123456789012"}}),
        ] {
            let f = open(with_policy(
                bucket("site"),
                policy(json!([{
                    "Sid": "FromOurNetwork", "Effect": "Allow", "Principal": "*",
                    "Action": "s3:GetObject", "Resource": "arn:aws:s3:::site/*",
                    "Condition": condition
                }])),
            ));
            assert_eq!(f.status, Status::Pass, "{condition}: {}", f.message);
            assert!(f.message.contains("restrict"), "{}", f.message);
            assert!(f.evidence.contains_key("restricted_statements"));
        }
        // A condition the public can meet restricts nothing.
        let f = open(with_policy(
            bucket("site"),
            policy(json!([{
                "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                "Resource": "arn:aws:s3:::site/*",
                "Condition": {"Bool": {"aws:SecureTransport": "true"}}
            }])),
        ));
        assert_eq!(f.status, Status::Fail, "{}", f.message);
    }

    #[test]
    fn a_deny_for_everyone_outside_the_organisation_closes_a_public_allow() {
        let deny = |resource: &str| {
            json!({
                "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": resource,
                "Condition": {"StringNotEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}
            })
        };
        let allow = json!({
            "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::site/*"
        });
        let f = open(with_policy(
            bucket("site"),
            policy(json!([allow.clone(), deny("arn:aws:s3:::site/*")])),
        ));
        assert_eq!(f.status, Status::Pass, "{}", f.message);
        // A Deny on part of the bucket leaves the rest open.
        let f = open(with_policy(
            bucket("site"),
            policy(json!([allow.clone(), deny("arn:aws:s3:::site/private/*")])),
        ));
        assert_eq!(f.status, Status::Fail, "{}", f.message);
        // So does a Deny of everything but a prefix, or but some actions.
        let spare = |key: &str, value: &str| {
            let mut d = json!({
                "Effect": "Deny", "Principal": "*", "Action": "s3:*",
                "Resource": "arn:aws:s3:::site/*",
                "Condition": {"StringNotEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}
            });
            if let Some(m) = d.as_object_mut() {
                m.remove(if key == "NotResource" {
                    "Resource"
                } else {
                    "Action"
                });
                m.insert(key.into(), json!(value));
            }
            d
        };
        let everything = json!({
            "Effect": "Allow", "Principal": "*", "Action": "s3:*",
            "Resource": "arn:aws:s3:::site/*"
        });
        for (key, value) in [
            ("NotResource", "arn:aws:s3:::site/public/*"),
            ("NotAction", "s3:GetObject"),
            ("NotAction", "s3:Get*Tagging"),
        ] {
            let f = open(with_policy(
                bucket("site"),
                policy(json!([everything.clone(), spare(key, value)])),
            ));
            assert_eq!(f.status, Status::Fail, "{key} {value}: {}", f.message);
        }
    }

    #[test]
    fn block_public_access_neutralises_and_says_what_it_would_be_without() {
        let b = with_policy(bucket("site"), public_read());
        // The bucket's own settings (the fixture's default: all on).
        let f = run(&open_account(vec![b.clone()]));
        assert_eq!(f.status, Status::Pass, "{}", f.message);
        assert!(
            f.message.contains("without it, anyone can read")
                && f.message.contains("RestrictPublicBuckets (bucket level)"),
            "{}",
            f.message
        );
        // The account's RestrictPublicBuckets alone.
        let account = PublicAccessBlock {
            restrict_public_buckets: true,
            ..Default::default()
        };
        let f = run(&inventory(
            Collected::Ok(Some(account)),
            vec![unblocked(b.clone())],
        ));
        assert_eq!(f.status, Status::Pass, "{}", f.message);
        assert!(f.message.contains("account level"), "{}", f.message);
        // BlockPublicPolicy refuses new policies only: the one in place stays public.
        let account = PublicAccessBlock {
            block_public_policy: true,
            block_public_acls: true,
            ..Default::default()
        };
        let f = run(&inventory(Collected::Ok(Some(account)), vec![unblocked(b)]));
        assert_eq!(f.status, Status::Fail, "{}", f.message);
    }

    #[test]
    fn acl_grants_to_everyone_and_to_every_aws_account() {
        let f = open(with_acl(bucket("site"), &[("AllUsers", "READ")]));
        assert_eq!(f.status, Status::Fail);
        assert!(
            f.message.contains("anyone can list") && f.message.contains("READ grant to AllUsers"),
            "{}",
            f.message
        );
        assert!(
            !f.message.contains("can read"),
            "a bucket ACL's READ lists, it does not read: {}",
            f.message
        );
        let f = open(with_acl(bucket("site"), &[("AuthenticatedUsers", "WRITE")]));
        assert_eq!(f.status, Status::Fail);
        assert!(
            f.message.contains("any AWS account can write"),
            "{}",
            f.message
        );
        // IgnorePublicAcls neutralises them.
        let mut b = with_acl(bucket("site"), &[("AllUsers", "FULL_CONTROL")]);
        b.public_access_block = Collected::Ok(Some(PublicAccessBlock {
            ignore_public_acls: true,
            ..Default::default()
        }));
        let f = run(&open_account(vec![b]));
        assert_eq!(f.status, Status::Pass, "{}", f.message);
        assert!(f.message.contains("IgnorePublicAcls"), "{}", f.message);
        // With ACLs disabled, whatever grants remain stored grant nothing.
        let mut b = with_acl(bucket("site"), &[("AllUsers", "READ")]);
        b.object_ownership = Collected::Ok(Some("BucketOwnerEnforced".into()));
        let f = open(b);
        assert_eq!(f.status, Status::Pass, "{}", f.message);
        // Grants to named accounts are not public.
        let mut b = with_acl(bucket("site"), &[]);
        if let Some(Collected::Ok(acl)) = &mut b.acl {
            acl.grants.push(crate::inventory::s3::Grant {
                grantee_type: "CanonicalUser".into(),
                grantee: "partner-canonical-id".into(),
                permission: "READ".into(),
            });
        }
        assert_eq!(open(b).status, Status::Pass);
    }

    #[test]
    fn restrict_public_buckets_acts_only_on_a_policy_s3_calls_public() {
        // postura reads this policy as public (ForAllValues: holds for a request with no
        // organisation at all); were S3 to read it otherwise, RestrictPublicBuckets would
        // not act on it, and it stays open.
        let stricter = policy(json!([{
            "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::site/*",
            "Condition": {"ForAllValues:StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}
        }]));
        let with_status = |status: Collected<bool>| {
            let mut b = with_policy(bucket("site"), stricter.clone());
            b.policy_status = Some(status);
            run(&open_account(vec![b]))
        };
        let f = with_status(Collected::Ok(false));
        assert_eq!(f.status, Status::Fail, "{}", f.message);
        let f = with_status(Collected::Ok(true));
        assert_eq!(f.status, Status::Pass, "{}", f.message);
        assert!(f.message.contains("RestrictPublicBuckets"), "{}", f.message);
        let f = with_status(Collected::Gap(gap("GetBucketPolicyStatus")));
        assert_eq!(f.status, Status::Error, "{}", f.message);
    }

    #[test]
    fn what_cannot_be_read_is_an_error_unless_block_public_access_makes_it_moot() {
        // The policy could not be read, and nothing neutralises a public one.
        let mut b = unblocked(bucket("site"));
        b.policy = Collected::Gap(gap("GetBucketPolicy"));
        let f = run(&open_account(vec![b.clone()]));
        assert_eq!(f.status, Status::Error, "{}", f.message);
        assert!(f.message.contains("GetBucketPolicy"), "{}", f.message);
        // With RestrictPublicBuckets on, no policy can make it public.
        b.public_access_block = Collected::Ok(Some(PublicAccessBlock::ALL));
        assert_eq!(run(&open_account(vec![b])).status, Status::Pass);
        // The ACL could not be read.
        let mut b = unblocked(with_acl(bucket("site"), &[]));
        b.acl = Some(Collected::Gap(gap("GetBucketAcl")));
        assert_eq!(run(&open_account(vec![b])).status, Status::Error);
        // The account's settings could not be read, and the bucket's are off: a public
        // policy may or may not be neutralised.
        let b = unblocked(with_policy(bucket("site"), public_read()));
        let f = run(&inventory(
            Collected::Gap(gap("GetPublicAccessBlock")),
            vec![b],
        ));
        assert_eq!(f.status, Status::Error, "{}", f.message);
        assert!(f.message.contains("could not be read"), "{}", f.message);
        // A policy that is not JSON.
        let b = unblocked(with_policy(bucket("site"), json!("{not json")));
        assert_eq!(run(&open_account(vec![b])).status, Status::Error);
        // A definite opening fails even when something else is unknown.
        let mut b = unblocked(with_policy(bucket("site"), public_read()));
        b.object_ownership = Collected::Ok(None);
        b.acl = Some(Collected::Gap(gap("GetBucketAcl")));
        assert_eq!(run(&open_account(vec![b])).status, Status::Fail);
    }

    #[test]
    fn buckets_that_could_not_be_listed_or_placed_are_errors() {
        let mut inv = open_account(vec![]);
        if let Collected::Ok(s3) = &mut inv.s3 {
            s3.buckets = Collected::Gap(gap("ListBuckets"));
        }
        assert_eq!(run(&inv).status, Status::Error);
        let mut inv = open_account(vec![]);
        inv.s3 = Collected::Gap(gap("collect"));
        assert_eq!(run(&inv).status, Status::Error);
        let mut b = bucket("site");
        b.region = Collected::Gap(gap("GetBucketLocation"));
        assert_eq!(run(&open_account(vec![b])).status, Status::Error);
    }
}
