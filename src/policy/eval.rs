//! What a set of policies allows, by IAM's evaluation rules, for the questions the checks
//! ask: does a principal hold administrator rights, and may it make one request.
//!
//! Within what a principal holds, statements are ORed across its policies; an explicit
//! Deny wins over any Allow; a permissions boundary, when set, must allow a request too.
//! Service control policies and session policies are not in an account's inventory and
//! are not evaluated.

use super::condition::{Request, Tri, evaluate_all};
use super::document::{Document, Statement};
use super::pattern::{Unknown, Vars, instance};

/// The account the policies belong to: sample ARNs are spelled in its partition.
#[derive(Debug, Clone, Copy)]
pub struct Scope<'a> {
    pub partition: &'a str,
    pub account: &'a str,
}

/// A policy a principal holds, with the name messages give it.
#[derive(Debug, Clone, Copy)]
pub struct Held<'a> {
    pub name: &'a str,
    /// The managed policy's ARN, for managed policies.
    pub arn: Option<&'a str>,
    pub doc: &'a Document,
}

/// IAM writes with which a principal adds permissions to itself: attaching or putting a
/// policy on itself (or its group or role), rewriting or switching a policy version.
/// Whoever keeps one of them can grant back anything an Allow left out and lift any Deny
/// written in a policy it can edit. (Joining a group gives only what the group has:
/// privilege-escalation judges that path.)
pub const GRANT_BACK: &[&str] = &[
    "iam:AttachUserPolicy",
    "iam:AttachGroupPolicy",
    "iam:AttachRolePolicy",
    "iam:PutUserPolicy",
    "iam:PutGroupPolicy",
    "iam:PutRolePolicy",
    "iam:CreatePolicyVersion",
    "iam:SetDefaultPolicyVersion",
];

/// IAM writes that remove or replace a permissions boundary.
pub const BOUNDARY_WRITES: &[&str] = &[
    "iam:DeleteUserPermissionsBoundary",
    "iam:PutUserPermissionsBoundary",
    "iam:DeleteRolePermissionsBoundary",
    "iam:PutRolePermissionsBoundary",
];

/// Actions of a service no policy names: only a grant of every action covers them.
const UNNAMED_ACTIONS: &[&str] = &["zzpostura-probe:ZqProbeAction", "a0postura-probe:Aq0Read"];

/// A resource of a service no policy names, in the account: only a grant on every
/// resource (or every resource of the account) covers it. What such a grant leaves out
/// (S3 buckets, whose ARNs name no account) the holder can grant back.
fn unnamed_resources(scope: &Scope<'_>) -> Vec<String> {
    vec![format!(
        "arn:{}:zzpostura-probe:eu-west-1:{}:zq/probe",
        scope.partition, scope.account
    )]
}

/// IAM resources to try IAM writes on: made-up ones of each type, the principal itself,
/// and every IAM ARN the documents name (so that a Deny sparing one user is seen).
fn iam_samples(scope: &Scope<'_>, docs: &[&Document], own: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = ["user", "role", "group", "policy"]
        .iter()
        .map(|t| {
            format!(
                "arn:{}:iam::{}:{t}/zqpostura-probe",
                scope.partition, scope.account
            )
        })
        .collect();
    out.extend(own.iter().map(|s| s.to_string()));
    for s in docs.iter().flat_map(|d| d.statements.iter()) {
        if let Some(m) = &s.resource {
            for p in m.patterns() {
                let arn = instance(p, "zq");
                if arn.split(':').nth(2) == Some("iam") {
                    out.push(arn);
                }
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The set of statements a verdict rests on.
struct Set<'a> {
    allow: Vec<&'a Statement>,
    deny: Vec<&'a Statement>,
    boundary: Option<Vec<&'a Statement>>,
    vars: Vars<'a>,
}

impl Set<'_> {
    /// Allowed by some Allow (conditions ignored: the grant exists when they hold), and by
    /// the boundary if there is one.
    fn allowed(&self, action: &str, arn: &str) -> bool {
        let by = |s: &&Statement| {
            s.covers_action(action) && s.covers_resource(arn, self.vars, Unknown::Wide)
        };
        self.allow.iter().any(by) && self.boundary.as_ref().is_none_or(|b| b.iter().any(by))
    }

    /// Denied by an unconditional Deny.
    fn denied(&self, action: &str, arn: &str) -> bool {
        self.deny.iter().any(|s| {
            s.conditions.is_empty()
                && s.covers_action(action)
                && s.covers_resource(arn, self.vars, Unknown::Narrow)
        })
    }

    fn effective(&self, action: &str, arn: &str) -> bool {
        self.allowed(action, arn) && !self.denied(action, arn)
    }
}

/// How a permissions boundary bears on an administrator verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Boundary {
    /// The principal has none.
    None,
    /// It allows everything: no limit.
    NoLimit(String),
    /// It limits the principal, but the principal may remove or replace it.
    Liftable(String),
    /// It keeps the principal from administrator rights.
    Limits(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AdminVerdict {
    Admin(Boundary),
    /// The Allow statements do not cover every action on every resource.
    NotEveryAction,
    /// Everything is allowed but IAM's self-granting writes, which an unconditional Deny
    /// takes away (or no Allow gives): what was left out cannot be granted back.
    NoGrantBack,
    /// The permissions boundary limits the principal and cannot be lifted by it.
    LimitedByBoundary(String),
}

impl AdminVerdict {
    pub fn is_admin(&self) -> bool {
        matches!(self, AdminVerdict::Admin(_))
    }
}

/// Whether the Allow statements of `allow_from`, with the Deny statements of `deny_from`
/// and the permissions boundary, give administrator rights: every action on every resource,
/// or everything but what the holder can grant back to itself because IAM writes that add
/// permissions (see [`GRANT_BACK`]) remain allowed after every unconditional Deny. Conditions
/// on Allow statements do not make a grant less than administrator (CIS 1.15 and FSBP IAM.1
/// count the statement); conditional Denies may not apply, so they take nothing away.
/// `own` is the principal's ARN and `vars` its policy variables, when one principal is
/// judged.
pub fn admin(
    allow_from: &[&Document],
    deny_from: &[&Document],
    boundary: Option<Held<'_>>,
    scope: &Scope<'_>,
    own: &[&str],
    vars: Vars<'_>,
) -> AdminVerdict {
    let mut all: Vec<&Document> = allow_from.iter().chain(deny_from).copied().collect();
    if let Some(b) = boundary {
        all.push(b.doc);
    }
    let samples = iam_samples(scope, &all, own);
    let mut set = Set {
        allow: allow_from.iter().flat_map(|d| d.allows()).collect(),
        deny: deny_from
            .iter()
            .copied()
            .chain(boundary.map(|b| b.doc))
            .flat_map(|d| d.denies())
            .collect(),
        boundary: boundary.map(|b| b.doc.allows().collect()),
        vars,
    };
    let mut boundary_state = Boundary::None;
    if let Some(b) = boundary {
        // Lifting is judged with everything in play, the policy being judged included: a
        // principal that may attach any policy may attach one that lets it lift.
        let in_play: Vec<&Document> = allow_from.iter().chain(deny_from).copied().collect();
        let liftable = liftable(&in_play, b, own, vars, scope);
        let alone = Set {
            allow: b.doc.allows().collect(),
            deny: b.doc.denies().collect(),
            boundary: None,
            vars,
        };
        let unnamed = unnamed_resources(scope);
        let no_limit = UNNAMED_ACTIONS
            .iter()
            .chain(GRANT_BACK)
            .chain(BOUNDARY_WRITES)
            .all(|a| {
                unnamed
                    .iter()
                    .chain(&samples)
                    .all(|r| alone.effective(a, r))
            });
        boundary_state = if no_limit {
            Boundary::NoLimit(b.name.to_string())
        } else if liftable {
            Boundary::Liftable(b.name.to_string())
        } else {
            return AdminVerdict::LimitedByBoundary(b.name.to_string());
        };
        // Judged from here on as without it; its Deny statements still count.
        set.boundary = None;
    }
    let universal = UNNAMED_ACTIONS
        .iter()
        .all(|a| unnamed_resources(scope).iter().all(|r| set.allowed(a, r)));
    if !universal {
        return AdminVerdict::NotEveryAction;
    }
    // The writes must survive their own conditions too: an attach pinned by iam:PolicyARN
    // to ReadOnlyAccess, or allowed only with a given boundary, grants nothing back.
    let admin_arn = format!(
        "arn:{}:iam::aws:policy/AdministratorAccess",
        scope.partition
    );
    let mut request = Request::new()
        .with("iam:PolicyARN", &[&admin_arn])
        .with("aws:CalledVia", &[])
        .with("aws:CalledViaFirst", &[])
        .with("aws:CalledViaLast", &[])
        .with("aws:ViaAWSService", &["false"]);
    if !own.is_empty() {
        let current: Vec<&str> = boundary.and_then(|b| b.arn).into_iter().collect();
        request = request.with("iam:PermissionsBoundary", &current);
    }
    let grant_back = GRANT_BACK.iter().any(|a| {
        samples.iter().any(|r| {
            set.allow.iter().any(|s| {
                s.covers_action(a)
                    && s.covers_resource(r, set.vars, Unknown::Wide)
                    && evaluate_all(&s.conditions, &request) != Tri::False
            }) && !set.denied(a, r)
        })
    });
    if !grant_back {
        return AdminVerdict::NoGrantBack;
    }
    AdminVerdict::Admin(boundary_state)
}

/// Whether the holder may remove its boundary, replace it with one that allows
/// everything, or rewrite the boundary policy itself: each on the holder's own ARN (or the
/// boundary's), with the requests' conditions evaluated (a condition that pins the boundary
/// a principal may set keeps it in place).
fn liftable(
    held: &[&Document],
    b: Held<'_>,
    own: &[&str],
    vars: Vars<'_>,
    scope: &Scope<'_>,
) -> bool {
    let access = Access {
        policies: held
            .iter()
            .map(|doc| Held {
                name: "",
                arn: None,
                doc,
            })
            .collect(),
        boundary: Some(b),
        vars,
    };
    let none = Request::new();
    let admin_arn = format!(
        "arn:{}:iam::aws:policy/AdministratorAccess",
        scope.partition
    );
    let replace = Request::new().with("iam:PermissionsBoundary", &[&admin_arn]);
    let own_writes = own.iter().any(|arn| {
        let (delete, put) = if arn.contains(":user/") {
            (
                "iam:DeleteUserPermissionsBoundary",
                "iam:PutUserPermissionsBoundary",
            )
        } else {
            (
                "iam:DeleteRolePermissionsBoundary",
                "iam:PutRolePermissionsBoundary",
            )
        };
        access.can(delete, arn, &none).is_some() || access.can(put, arn, &replace).is_some()
    });
    let rewrite = b.arn.is_some_and(|arn| {
        !arn.contains(":iam::aws:policy/")
            && access.can("iam:CreatePolicyVersion", arn, &none).is_some()
    });
    own_writes || rewrite
}

/// One principal's policies and boundary, for questions about single requests.
#[derive(Debug, Clone)]
pub struct Access<'a> {
    pub policies: Vec<Held<'a>>,
    pub boundary: Option<Held<'a>>,
    pub vars: Vars<'a>,
}

impl<'a> Access<'a> {
    /// Whether the permissions boundary (if any) allows the request.
    pub fn boundary_allows(&self, action: &str, arn: &str, request: &Request) -> bool {
        self.boundary.is_none_or(|b| {
            b.doc.allows().any(|s| {
                s.covers_action(action)
                    && s.covers_resource(arn, self.vars, Unknown::Wide)
                    && evaluate_all(&s.conditions, request) != Tri::False
            })
        })
    }

    /// Whether some Allow covers the action on some resource (and the boundary too): a
    /// cheap test before asking about particular resources.
    pub fn may_at_all(&self, action: &str) -> bool {
        let covers = |d: &Document| d.allows().any(|s| s.covers_action(action));
        self.policies.iter().any(|h| covers(h.doc)) && self.boundary.is_none_or(|b| covers(b.doc))
    }

    /// Resources worth asking about for an action: `probe`, and one instance of every
    /// resource pattern of the Allow statements that cover the action and name resources
    /// of the kind (`:function:`, `:role/`) (a policy scoped to `function:dev-*` is asked
    /// about `function:dev-zq`).
    pub fn resources_for(
        &self,
        actions: &[&str],
        probe: &str,
        kind: &str,
        scope: &Scope<'_>,
    ) -> Vec<String> {
        let mut out = vec![probe.to_string()];
        for s in self.policies.iter().flat_map(|h| h.doc.statements.iter()) {
            if !actions.iter().any(|a| s.covers_action(a)) {
                continue;
            }
            // What an Allow names, and what a Deny spares.
            let named = match (&s.resource, s.is_allow()) {
                (Some(super::Matcher::Only(p)), true) => Some(p),
                (Some(super::Matcher::AllExcept(p)), false) => Some(p),
                _ => None,
            };
            if let Some(patterns) = named {
                out.extend(
                    patterns
                        .iter()
                        .map(|p| {
                            super::pattern::instance_arn(p, scope.partition, scope.account, "zq")
                        })
                        .filter(|arn| arn.contains(kind)),
                );
            }
        }
        out.sort();
        out.dedup();
        out
    }

    /// Whether a Deny that certainly applies (unconditional, or with conditions known to
    /// hold) covers the request.
    pub fn denied(&self, action: &str, arn: &str, request: &Request) -> bool {
        self.policies
            .iter()
            .map(|h| h.doc)
            .chain(self.boundary.map(|b| b.doc))
            .flat_map(|d| d.denies())
            .any(|s| {
                s.covers_action(action)
                    && s.covers_resource(arn, self.vars, Unknown::Narrow)
                    && evaluate_all(&s.conditions, request) == Tri::True
            })
    }

    /// The name of the policy that allows the request, if the principal may make it: an
    /// Allow whose conditions may hold covers it, the boundary (if any) allows it too, and
    /// no Deny that certainly applies (unconditional, or with conditions known to hold)
    /// covers it.
    pub fn can(&self, action: &str, arn: &str, request: &Request) -> Option<&'a str> {
        if self.denied(action, arn, request) {
            return None;
        }
        let may = |s: &Statement| {
            s.covers_action(action)
                && s.covers_resource(arn, self.vars, Unknown::Wide)
                && evaluate_all(&s.conditions, request) != Tri::False
        };
        if let Some(b) = self.boundary
            && !b.doc.allows().any(may)
        {
            return None;
        }
        self.policies
            .iter()
            .find(|h| h.doc.allows().any(may))
            .map(|h| h.name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::document::Kind;
    use serde_json::{Value, json};

    const SCOPE: Scope<'static> = Scope {
        partition: "aws",
        account: "123456789012",
    };

    fn doc(v: Value) -> Document {
        Document::parse(&v, Kind::Identity).expect("valid test document")
    }

    fn verdict(v: Value) -> AdminVerdict {
        let d = doc(v);
        admin(&[&d], &[&d], None, &SCOPE, &[], Vars::NONE)
    }

    fn allow(action: Value, resource: Value) -> Value {
        json!({"Effect": "Allow", "Action": action, "Resource": resource})
    }

    #[test]
    fn administrator_rights_table() {
        use AdminVerdict::*;
        let admin = Admin(Boundary::None);
        let cases: Vec<(&str, Value, AdminVerdict)> = vec![
            (
                "* on *",
                json!({"Statement": allow(json!("*"), json!("*"))}),
                admin.clone(),
            ),
            (
                "*:* in arrays",
                json!({"Statement": [allow(json!(["*:*"]), json!(["*"]))]}),
                admin.clone(),
            ),
            (
                "arn:* spells every resource",
                json!({"Statement": allow(json!("*"), json!("arn:*"))}),
                admin.clone(),
            ),
            (
                "arn:aws:*:*:*:* too",
                json!({"Statement": allow(json!("*"), json!("arn:aws:*:*:*:*"))}),
                admin.clone(),
            ),
            (
                "NotAction of made-up actions",
                json!({"Statement": {"Effect": "Allow", "NotAction": "made:Up", "Resource": "*"}}),
                admin.clone(),
            ),
            // What an Allow leaves out comes back through the IAM writes it keeps.
            (
                "NotAction leaving out S3 and EC2",
                json!({"Statement": {"Effect": "Allow", "NotAction": ["s3:*", "ec2:*", "kms:Decrypt"], "Resource": "*"}}),
                admin.clone(),
            ),
            (
                "NotAction leaving out one IAM write",
                json!({"Statement": {"Effect": "Allow", "NotAction": ["iam:PutUserPolicy", "iam:AttachUserPolicy"], "Resource": "*"}}),
                admin.clone(),
            ),
            (
                "NotResource sparing one bucket",
                json!({"Statement": {"Effect": "Allow", "Action": "*", "NotResource": "arn:aws:s3:::one-bucket"}}),
                admin.clone(),
            ),
            (
                "statements ORed",
                json!({"Statement": [{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}, allow(json!("iam:*"), json!("*"))]}),
                admin.clone(),
            ),
            (
                "conditional Allow still counts",
                json!({"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}}),
                admin.clone(),
            ),
            (
                "conditional Deny may not apply",
                json!({"Statement": [allow(json!("*"), json!("*")), {"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "false"}}}]}),
                admin.clone(),
            ),
            (
                "guardrail the holder can lift",
                json!({"Statement": [allow(json!("*"), json!("*")), {"Effect": "Deny", "Action": ["organizations:LeaveOrganization", "account:CloseAccount"], "Resource": "*"}]}),
                admin.clone(),
            ),
            (
                "Deny of some IAM writes only",
                json!({"Statement": [allow(json!("*"), json!("*")), {"Effect": "Deny", "Action": ["iam:PutUserPolicy", "iam:AttachUserPolicy", "iam:CreatePolicyVersion"], "Resource": "*"}]}),
                admin.clone(),
            ),
            (
                "Deny of IAM sparing one user",
                json!({"Statement": [allow(json!("*"), json!("*")), {"Effect": "Deny", "Action": "iam:*", "NotResource": "arn:aws:iam::123456789012:user/bob"}]}),
                admin.clone(),
            ),
            (
                "Deny of IAM on one user only",
                json!({"Statement": [allow(json!("*"), json!("*")), {"Effect": "Deny", "Action": "iam:*", "Resource": "arn:aws:iam::123456789012:user/bob"}]}),
                admin.clone(),
            ),
            (
                "Deny of IAM on the caller's own user only",
                json!({"Statement": [allow(json!("*"), json!("*")), {"Effect": "Deny", "Action": "iam:*", "Resource": "arn:aws:iam::*:user/${aws:username}"}]}),
                admin.clone(),
            ),
            // Not administrator rights.
            (
                "iam:* alone is a path, not admin",
                json!({"Statement": allow(json!("iam:*"), json!("*"))}),
                NotEveryAction,
            ),
            (
                "every action on one bucket",
                json!({"Statement": allow(json!("*"), json!("arn:aws:s3:::bucket/*"))}),
                NotEveryAction,
            ),
            (
                "every action on the account's ARNs (buckets can be granted back)",
                json!({"Statement": allow(json!("*"), json!("arn:aws:*:*:123456789012:*"))}),
                admin.clone(),
            ),
            (
                "NotResource sparing every bucket",
                json!({"Statement": {"Effect": "Allow", "Action": "*", "NotResource": "arn:aws:s3:::*"}}),
                admin.clone(),
            ),
            (
                "every action in another partition",
                json!({"Statement": allow(json!("*"), json!("arn:aws-cn:*"))}),
                NotEveryAction,
            ),
            (
                "two services",
                json!({"Statement": allow(json!(["s3:*", "lambda:*"]), json!("*"))}),
                NotEveryAction,
            ),
            (
                "Deny only",
                json!({"Statement": {"Effect": "Deny", "Action": "*", "Resource": "*"}}),
                NotEveryAction,
            ),
            (
                "PowerUserAccess",
                json!({"Statement": {"Effect": "Allow", "NotAction": ["iam:*", "organizations:*", "account:*"], "Resource": "*"}}),
                NoGrantBack,
            ),
            (
                "Allow all, Deny all",
                json!({"Statement": [allow(json!("*"), json!("*")), {"Effect": "Deny", "Action": "*", "Resource": "*"}]}),
                NoGrantBack,
            ),
            (
                "Allow all, Deny iam:*",
                json!({"Statement": [allow(json!("*"), json!("*")), {"Effect": "Deny", "Action": "iam:*", "Resource": "*"}]}),
                NoGrantBack,
            ),
            (
                "Allow all, Deny every self-granting write",
                json!({"Statement": [allow(json!("*"), json!("*")), {"Effect": "Deny", "Action": ["iam:Attach*", "iam:Put*", "iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:AddUserToGroup"], "Resource": "*"}]}),
                NoGrantBack,
            ),
            (
                "PowerUser with an attach pinned to ReadOnlyAccess",
                json!({"Statement": [
                    {"Effect": "Allow", "NotAction": ["iam:*", "organizations:*", "account:*"], "Resource": "*"},
                    {"Effect": "Allow", "Action": "iam:AttachUserPolicy", "Resource": "*",
                     "Condition": {"ArnEquals": {"iam:PolicyARN": "arn:aws:iam::aws:policy/ReadOnlyAccess"}}}
                ]}),
                NoGrantBack,
            ),
            (
                "PowerUser that may join a group",
                json!({"Statement": [
                    {"Effect": "Allow", "NotAction": ["iam:*", "organizations:*", "account:*"], "Resource": "*"},
                    {"Effect": "Allow", "Action": "iam:AddUserToGroup", "Resource": "arn:aws:iam::123456789012:group/readonly"}
                ]}),
                NoGrantBack,
            ),
            (
                "PowerUser with an attach that only holds under MFA",
                json!({"Statement": [
                    {"Effect": "Allow", "NotAction": ["iam:*", "organizations:*", "account:*"], "Resource": "*"},
                    {"Effect": "Allow", "Action": "iam:AttachUserPolicy", "Resource": "*",
                     "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}
                ]}),
                admin.clone(),
            ),
            (
                "Allow all, Deny all but S3",
                json!({"Statement": [allow(json!("*"), json!("*")), {"Effect": "Deny", "NotAction": "s3:*", "Resource": "*"}]}),
                NoGrantBack,
            ),
            (
                "Allow all, Deny all but one bucket",
                json!({"Statement": [allow(json!("*"), json!("*")), {"Effect": "Deny", "Action": "*", "NotResource": "arn:aws:s3:::b"}]}),
                NoGrantBack,
            ),
            (
                "Allow all but IAM resources",
                json!({"Statement": {"Effect": "Allow", "Action": "*", "NotResource": "arn:aws:iam::*"}}),
                NoGrantBack,
            ),
        ];
        for (name, v, want) in cases {
            assert_eq!(verdict(v), want, "{name}");
        }
    }

    #[test]
    fn delegated_writes_that_require_a_boundary_grant_nothing_back() {
        // AWS's delegation pattern: IAM writes allowed only with a given boundary in place.
        let d = doc(json!({"Statement": [
            {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"},
            {"Effect": "Allow", "Action": ["iam:AttachUserPolicy", "iam:PutUserPolicy"], "Resource": "*",
             "Condition": {"StringEquals": {"iam:PermissionsBoundary": "arn:aws:iam::123456789012:policy/dev-boundary"}}}
        ]}));
        let alice = ["arn:aws:iam::123456789012:user/alice"];
        assert_eq!(
            admin(&[&d], &[&d], None, &SCOPE, &alice, Vars::NONE),
            AdminVerdict::NoGrantBack,
            "alice has no boundary, so the condition is false for her"
        );
        // Judged alone, the holder's boundary is unknown: the grant may stand.
        assert!(admin(&[&d], &[&d], None, &SCOPE, &[], Vars::NONE).is_admin());
    }

    #[test]
    fn denies_in_other_policies_count() {
        let all = doc(json!({"Statement": allow(json!("*"), json!("*"))}));
        let no_iam =
            doc(json!({"Statement": {"Effect": "Deny", "Action": "iam:*", "Resource": "*"}}));
        assert_eq!(
            admin(&[&all], &[&all, &no_iam], None, &SCOPE, &[], Vars::NONE),
            AdminVerdict::NoGrantBack
        );
    }

    #[test]
    fn permissions_boundaries() {
        let all = doc(json!({"Statement": allow(json!("*"), json!("*"))}));
        let judge = |b: Value| {
            let b = doc(b);
            admin(
                &[&all],
                &[&all],
                Some(Held {
                    name: "boundary",
                    arn: Some("arn:aws:iam::123456789012:policy/boundary"),
                    doc: &b,
                }),
                &SCOPE,
                &["arn:aws:iam::123456789012:user/alice"],
                Vars::NONE,
            )
        };
        assert_eq!(
            judge(json!({"Statement": allow(json!(["s3:*", "lambda:*"]), json!("*"))})),
            AdminVerdict::LimitedByBoundary("boundary".into())
        );
        assert_eq!(
            judge(json!({"Statement": allow(json!("*"), json!("*"))})),
            AdminVerdict::Admin(Boundary::NoLimit("boundary".into()))
        );
        assert_eq!(
            judge(
                json!({"Statement": allow(json!(["s3:*", "iam:DeleteUserPermissionsBoundary"]), json!("*"))})
            ),
            AdminVerdict::Admin(Boundary::Liftable("boundary".into()))
        );
        assert_eq!(
            judge(
                json!({"Statement": [allow(json!("*"), json!("*")), {"Effect": "Deny", "Action": "iam:*", "Resource": "*"}]})
            ),
            AdminVerdict::LimitedByBoundary("boundary".into())
        );
    }

    #[test]
    fn single_requests() {
        let p = doc(json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "iam:AttachUserPolicy", "Resource": "arn:aws:iam::123456789012:user/${aws:username}",
             "Condition": {"ArnEquals": {"iam:PolicyARN": "arn:aws:iam::aws:policy/ReadOnlyAccess"}}},
            {"Effect": "Allow", "Action": "iam:PutUserPolicy", "Resource": "*", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}},
            {"Effect": "Deny", "Action": "iam:PutUserPolicy", "Resource": "arn:aws:iam::123456789012:user/locked"}
        ]}));
        let me = [("aws:username", "alice")];
        let access = Access {
            policies: vec![Held {
                name: "self-service",
                arn: None,
                doc: &p,
            }],
            boundary: None,
            vars: Vars { bindings: &me },
        };
        let alice = "arn:aws:iam::123456789012:user/alice";
        let admin_arn = Request::new().with(
            "iam:PolicyARN",
            &["arn:aws:iam::aws:policy/AdministratorAccess"],
        );
        let read_only =
            Request::new().with("iam:PolicyARN", &["arn:aws:iam::aws:policy/ReadOnlyAccess"]);
        assert_eq!(
            access.can("iam:AttachUserPolicy", alice, &admin_arn),
            None,
            "the condition pins the policy"
        );
        assert_eq!(
            access.can("iam:AttachUserPolicy", alice, &read_only),
            Some("self-service")
        );
        assert_eq!(
            access.can(
                "iam:AttachUserPolicy",
                "arn:aws:iam::123456789012:user/bob",
                &read_only
            ),
            None
        );
        assert_eq!(
            access.can("iam:PutUserPolicy", alice, &Request::new()),
            Some("self-service"),
            "MFA may be present"
        );
        assert_eq!(
            access.can(
                "iam:PutUserPolicy",
                "arn:aws:iam::123456789012:user/locked",
                &Request::new()
            ),
            None
        );
        let b = doc(json!({"Statement": allow(json!("s3:*"), json!("*"))}));
        let bounded = Access {
            boundary: Some(Held {
                name: "b",
                arn: None,
                doc: &b,
            }),
            ..access.clone()
        };
        assert_eq!(
            bounded.can("iam:PutUserPolicy", alice, &Request::new()),
            None
        );
    }
}
