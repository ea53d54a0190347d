//! Privilege escalation: users and roles that are not administrators but hold a published
//! path to administrator rights.
//!
//! Each path is judged by IAM's rules on the exact request it needs (the principal's own
//! ARN, its groups, the admin role or user it would reach), with what the check knows of
//! the request used in conditions (the policy an attach would name, the service a role is
//! passed to). A path that a Deny or the permissions boundary blocks is no path; one that
//! only an unknown condition may block (MFA, source address, tags) is still reported, as
//! it is open whenever the condition holds. A path is reported only when its end is
//! administrator rights: attaching a policy to itself counts only if the principal's
//! boundary would let that policy give everything.

use serde_json::json;

use super::holdings::{Catalog, Principal, PrincipalKind, administrator_document};
use super::privileges::verdict_for;
use crate::checks::{Finding, Resource};
use crate::inventory::iam::{AuthorizationDetails, CredentialReport};
use crate::inventory::{GLOBAL_REGION, Inventory};
use crate::policy::condition::{Request, Tri, evaluate_all};
use crate::policy::eval::{self, Access};
use crate::policy::pattern::Vars;
use crate::policy::{Document, Kind, Statement};

/// Services a role can be passed to and the calls that then run code as that role.
const CODE_RUNNERS: &[(&str, &[&[&str]])] = &[
    (
        "lambda.amazonaws.com",
        &[
            &["lambda:CreateFunction", "lambda:InvokeFunction"],
            &["lambda:CreateFunction", "lambda:CreateEventSourceMapping"],
        ],
    ),
    ("ec2.amazonaws.com", &[&["ec2:RunInstances"]]),
    (
        "glue.amazonaws.com",
        &[
            &["glue:CreateDevEndpoint"],
            &["glue:CreateJob", "glue:StartJobRun"],
        ],
    ),
    (
        "cloudformation.amazonaws.com",
        &[&["cloudformation:CreateStack"]],
    ),
    (
        "codebuild.amazonaws.com",
        &[&["codebuild:CreateProject", "codebuild:StartBuild"]],
    ),
    (
        "sagemaker.amazonaws.com",
        &[
            &[
                "sagemaker:CreateNotebookInstance",
                "sagemaker:CreatePresignedNotebookInstanceUrl",
            ],
            &["sagemaker:CreateTrainingJob"],
            &["sagemaker:CreateProcessingJob"],
        ],
    ),
    (
        "datapipeline.amazonaws.com",
        &[&[
            "datapipeline:CreatePipeline",
            "datapipeline:PutPipelineDefinition",
            "datapipeline:ActivatePipeline",
        ]],
    ),
    (
        "ecs-tasks.amazonaws.com",
        &[&["ecs:RegisterTaskDefinition", "ecs:RunTask"]],
    ),
];

/// One way up: its steps, each an action on a resource and the policy that allows it.
struct Path {
    what: String,
    steps: Vec<(String, String, String)>,
}

/// Administrator users and roles of the account, and the policies that alone give
/// administrator rights: the ends of the paths.
struct Targets {
    /// Policies whose attachment makes a principal an administrator (or, IAMFullAccess,
    /// able to make itself one), AdministratorAccess first.
    policies: Vec<String>,
    /// (name, ARN, already an administrator rather than one step from it).
    users: Vec<(String, String, bool)>,
    roles: Vec<(String, String, bool)>,
}

fn targets(cat: &Catalog<'_>, details: &AuthorizationDetails) -> Targets {
    let mut policies = vec![
        format!(
            "arn:{}:iam::aws:policy/AdministratorAccess",
            cat.scope.partition
        ),
        format!("arn:{}:iam::aws:policy/IAMFullAccess", cat.scope.partition),
    ];
    for p in &details.policies {
        if let (_, Ok(doc)) = cat.managed(&p.arn)
            && alone_is_admin(cat, doc)
            && !policies.contains(&p.arn)
        {
            policies.push(p.arn.clone());
        }
    }
    let is_admin =
        |p: Option<Principal<'_>>| p.is_some_and(|p| combined(cat, &p).is_ok_and(|v| v.is_admin()));
    Targets {
        policies,
        users: details
            .users
            .iter()
            .filter(|u| is_admin(cat.user(&u.name)))
            .map(|u| (u.name.clone(), u.arn.clone(), true))
            .collect(),
        roles: details
            .roles
            .iter()
            .filter(|r| is_admin(cat.role(&r.name)))
            .map(|r| (r.name.clone(), r.arn.clone(), true))
            .collect(),
    }
}

fn alone_is_admin(cat: &Catalog<'_>, doc: &Document) -> bool {
    eval::admin(&[doc], &[doc], None, &cat.scope, &[], Vars::NONE).is_admin()
}

/// A principal's verdict on everything it holds together.
pub(crate) fn combined(cat: &Catalog<'_>, p: &Principal<'_>) -> Result<eval::AdminVerdict, String> {
    let docs = p.documents();
    Ok(eval::admin(
        &docs,
        &docs,
        p.boundary_doc()?,
        &cat.scope,
        &[p.arn],
        Vars { bindings: &p.vars },
    ))
}

/// Whether holding `doc` as well would make the principal an administrator, its
/// boundary and Denies considered.
fn would_be_admin(cat: &Catalog<'_>, p: &Principal<'_>, doc: &Document) -> bool {
    verdict_for(cat, doc, p).is_ok_and(|v| v.is_admin())
}

fn parse_trust(role_trust: Option<&serde_json::Value>) -> Option<Document> {
    Document::parse(role_trust?, Kind::ResourceBased).ok()
}

/// Whether a trust policy admits a request to `action` from principals `who` accepts:
/// an Allow whose conditions may hold, and no Deny that certainly applies.
fn trust_admits(
    doc: &Document,
    action: &str,
    who: &dyn Fn(&Statement) -> bool,
    denied_to: &dyn Fn(&Statement) -> bool,
    req: &Request,
) -> bool {
    let denied = doc.denies().any(|s| {
        s.covers_action(action)
            && (s.principal.as_ref().is_some_and(is_everyone) || denied_to(s))
            && evaluate_all(&s.conditions, req) == Tri::True
    });
    !denied
        && doc.allows().any(|s| {
            s.covers_action(action) && who(s) && evaluate_all(&s.conditions, req) != Tri::False
        })
}

fn is_everyone(p: &crate::policy::Principal) -> bool {
    matches!(p, crate::policy::Principal::Any) || p.of("AWS").contains(&"*")
}

struct Ctx<'a, 'c> {
    cat: &'a Catalog<'c>,
    details: &'c AuthorizationDetails,
    report: Option<&'c CredentialReport>,
    targets: &'a Targets,
    /// Every role's trust policy, read once (`None`: unreadable or not collected).
    trusts: &'a [Option<Document>],
    /// Whether a document (by address) has an Allow covering an action at all.
    doc_may: &'a std::cell::RefCell<std::collections::HashMap<(usize, String), bool>>,
}

impl Ctx<'_, '_> {
    /// Roles whose trust cannot be read: whether they admit a principal is unknown.
    fn unknown_trusts(&self) -> Vec<&str> {
        self.details
            .roles
            .iter()
            .zip(self.trusts)
            .filter(|(r, t)| t.is_none() && !r.is_service_linked())
            .map(|(r, _)| r.name.as_str())
            .collect()
    }
}

/// The path finder for one principal.
struct Finder<'x, 'a, 'c> {
    ctx: &'x Ctx<'a, 'c>,
    p: &'x Principal<'x>,
    access: &'x Access<'x>,
    /// What IAM knows of every request the principal makes itself: its ARN, account and
    /// user name, and that no AWS service makes it on its behalf (`aws:CalledVia` absent,
    /// `aws:ViaAWSService` false).
    none: Request,
    /// Whether an administrator policy would make this principal one (its boundary and
    /// Denies let it).
    self_can_rise: bool,
    /// Whether the paths start by lifting its boundary (and are judged without it).
    lifted: bool,
    /// `may_at_all` answers, per action.
    may: std::cell::RefCell<std::collections::HashMap<String, bool>>,
    /// Identities it can become whose rights cannot be judged.
    unknown: std::cell::RefCell<Vec<String>>,
}

type Step<'r> = (&'r str, &'r str, &'r Request);

impl Finder<'_, '_, '_> {
    /// The path, if every step is allowed.
    /// Whether some Allow covers the action at all: a cheap first test, remembered.
    fn may(&self, action: &str) -> bool {
        if let Some(v) = self.may.borrow().get(action) {
            return *v;
        }
        // Per document, across principals: most hold the same few large managed policies.
        let covers = |doc: &Document| {
            let key = (doc as *const Document as usize, action.to_string());
            if let Some(v) = self.ctx.doc_may.borrow().get(&key) {
                return *v;
            }
            let v = doc.allows().any(|s| s.covers_action(action));
            self.ctx.doc_may.borrow_mut().insert(key, v);
            v
        };
        let v = self.access.policies.iter().any(|h| covers(h.doc))
            && self.access.boundary.is_none_or(|b| covers(b.doc));
        self.may.borrow_mut().insert(action.to_string(), v);
        v
    }

    /// The request every call starts from, with one more known key.
    fn req(&self, key: &str, values: &[&str]) -> Request {
        self.none.clone().with(key, values)
    }

    fn path(&self, what: String, steps: &[Step<'_>]) -> Option<Path> {
        let mut out = Vec::new();
        for (action, arn, req) in steps {
            if !self.may(action) {
                return None;
            }
            let by = self.access.can(action, arn, req)?;
            out.push((action.to_string(), arn.to_string(), by.to_string()));
        }
        Some(Path { what, steps: out })
    }

    fn acct(&self) -> &str {
        self.ctx.cat.scope.account
    }

    fn part(&self) -> &str {
        self.ctx.cat.scope.partition
    }

    /// Ways to make the user, role or group `arn` an administrator: attaching an
    /// administrator policy, putting an inline one, rewriting a customer managed policy it
    /// holds. `held` are the customer managed policies it holds.
    /// `boundary` is the target's permissions boundary, which IAM puts in the request as
    /// `iam:PermissionsBoundary` (so delegated writes that require one are honoured).
    fn make_admin(
        &self,
        kind: PrincipalKind,
        arn: &str,
        held: &[&str],
        target: &str,
        boundary: Option<&str>,
    ) -> Option<Path> {
        let current: Vec<&str> = boundary.into_iter().collect();
        let (attach, put) = match kind {
            PrincipalKind::User => ("iam:AttachUserPolicy", "iam:PutUserPolicy"),
            PrincipalKind::Role => ("iam:AttachRolePolicy", "iam:PutRolePolicy"),
            PrincipalKind::Group => ("iam:AttachGroupPolicy", "iam:PutGroupPolicy"),
        };
        for policy in &self.ctx.targets.policies {
            let req = self
                .req("iam:PolicyARN", &[policy])
                .with("iam:PermissionsBoundary", &current);
            if let Some(p) = self.path(
                format!("attach {policy} to {target}"),
                &[(attach, arn, &req)],
            ) {
                return Some(p);
            }
        }
        let put_req = self.req("iam:PermissionsBoundary", &current);
        if let Some(p) = self.path(
            format!("put an inline policy on {target}"),
            &[(put, arn, &put_req)],
        ) {
            return Some(p);
        }
        held.iter().find_map(|policy| {
            self.path(
                format!("rewrite {policy}, attached to {target}, with a new default version"),
                &[("iam:CreatePolicyVersion", policy, &self.none)],
            )
        })
    }

    /// Ways to act as another user: an access key or a console password.
    fn become_user(&self, arn: &str, password: Option<bool>) -> Option<Path> {
        self.path(
            "create an access key for it".into(),
            &[("iam:CreateAccessKey", arn, &self.none)],
        )
        .or_else(|| {
            (password != Some(true)).then(|| {
                self.path(
                    "give it a console password".into(),
                    &[("iam:CreateLoginProfile", arn, &self.none)],
                )
            })?
        })
        .or_else(|| {
            (password != Some(false)).then(|| {
                self.path(
                    "change its console password".into(),
                    &[("iam:UpdateLoginProfile", arn, &self.none)],
                )
            })?
        })
    }

    /// Ways to act as an existing role: its trust, rewriting its trust, or passing it to a
    /// service that runs code.
    fn become_role(&self, arn: &str, trust: Option<&Document>) -> Option<Path> {
        let me = self.p.arn;
        let root = [
            format!("arn:{}:iam::{}:root", self.part(), self.acct()),
            self.acct().to_string(),
        ];
        if let Some(trust) = trust {
            let names_me = |s: &Statement| {
                s.principal
                    .as_ref()
                    .is_some_and(|pr| is_everyone(pr) || pr.of("AWS").contains(&me))
            };
            let names_account = |s: &Statement| {
                s.principal
                    .as_ref()
                    .is_some_and(|pr| pr.of("AWS").iter().any(|v| root.iter().any(|r| r == v)))
            };
            // A Deny in the trust that names the caller, its account, or everyone (or a
            // NotPrincipal that leaves them out) stops either way in.
            let names = |p: &crate::policy::Principal| {
                p.of("AWS")
                    .iter()
                    .any(|v| *v == me || root.iter().any(|r| r == v))
            };
            let denied_to = |s: &Statement| {
                s.principal.as_ref().is_some_and(names)
                    || s.not_principal.as_ref().is_some_and(|np| !names(np))
            };
            if trust_admits(trust, "sts:AssumeRole", &names_me, &denied_to, &self.none)
                && self.unprompted_assume(arn)
            {
                return Some(Path {
                    what: "assume it: its trust names this principal".into(),
                    steps: vec![(
                        "sts:AssumeRole".into(),
                        arn.into(),
                        "the role's trust policy".into(),
                    )],
                });
            }
            if trust_admits(
                trust,
                "sts:AssumeRole",
                &names_account,
                &denied_to,
                &self.none,
            ) && let Some(p) = self.path(
                "assume it: its trust names the account".into(),
                &[("sts:AssumeRole", arn, &self.none)],
            ) {
                return Some(p);
            }
        }
        // Rewriting the trust to name itself: then no identity permission is needed to
        // assume the role, but a Deny on sts:AssumeRole still stops it.
        if self.unprompted_assume(arn)
            && let Some(p) = self.path(
                "rewrite its trust to name this principal and assume it".into(),
                &[("iam:UpdateAssumeRolePolicy", arn, &self.none)],
            )
        {
            return Some(p);
        }
        self.pass_role(arn, |service| {
            trust.is_some_and(|t| {
                let trusts = |s: &Statement| {
                    s.principal
                        .as_ref()
                        .is_some_and(|pr| pr.of("Service").contains(&service))
                };
                trust_admits(t, "sts:AssumeRole", &trusts, &|_| false, &Request::new())
            })
        })
    }

    /// Whether the principal may assume a role whose trust names it, without a permission
    /// of its own: no Deny of its stops it, and, for a role (whose session a boundary
    /// limits even then), its boundary allows it.
    fn unprompted_assume(&self, arn: &str) -> bool {
        if self.access.denied("sts:AssumeRole", arn, &self.none) {
            return false;
        }
        self.p.kind == PrincipalKind::User
            || self
                .access
                .boundary_allows("sts:AssumeRole", arn, &self.none)
    }

    /// Passing the role to a service it trusts and running code there as the role.
    fn pass_role(&self, arn: &str, trusts: impl Fn(&str) -> bool) -> Option<Path> {
        if !self.may("iam:PassRole") {
            return None;
        }
        for (service, ways) in CODE_RUNNERS {
            if !trusts(service) {
                continue;
            }
            let passed = self.req("iam:PassedToService", &[service]);
            let (prefix, kind) = match service.split('.').next().unwrap_or_default() {
                "lambda" => ("lambda", ":function:"),
                "ec2" => ("ec2", ":instance/"),
                "cloudformation" => ("cloudformation", ":stack/"),
                "codebuild" => ("codebuild", ":project/"),
                "ecs-tasks" => ("ecs", ":"),
                other => (other, ":"),
            };
            let probe = format!(
                "arn:{}:{prefix}:eu-west-1:{}{kind}zqpostura-probe",
                self.part(),
                self.acct()
            );
            for way in *ways {
                if !way.iter().all(|a| self.may(a)) {
                    continue;
                }
                for code_arn in self
                    .access
                    .resources_for(way, &probe, kind, &self.ctx.cat.scope)
                {
                    let mut steps: Vec<Step<'_>> = vec![("iam:PassRole", arn, &passed)];
                    steps.extend(way.iter().map(|a| (*a, code_arn.as_str(), &self.none)));
                    if let Some(p) =
                        self.path(format!("pass it to {service} and run code as it"), &steps)
                    {
                        return Some(p);
                    }
                }
            }
        }
        None
    }

    /// A path through another user or role that this principal can become: one that is an
    /// administrator (or one step from it), or one it can make so (if that identity's own
    /// boundary lets it).
    fn through(&self, kind: PrincipalKind, name: &str, arn: &str, become_it: Path) -> Option<Path> {
        let what = kind.as_str();
        let known = match kind {
            PrincipalKind::User => &self.ctx.targets.users,
            _ => &self.ctx.targets.roles,
        };
        if let Some((_, _, admin)) = known.iter().find(|(_, a, _)| a == arn) {
            let state = if *admin {
                "administrator"
            } else {
                "one step from administrator"
            };
            return Some(Path {
                what: format!("become {what} {name} ({state}): {}", become_it.what),
                steps: become_it.steps,
            });
        }
        let target = match kind {
            PrincipalKind::User => self.ctx.cat.user(name),
            _ => self.ctx.cat.role(name),
        }?;
        // What it can become but cannot judge leaves the verdict unknown, not a pass.
        let unreadable = target.unreadable();
        if !unreadable.is_empty() || target.boundary_doc().is_err() {
            self.unknown.borrow_mut().push(format!(
                "it can become {what} {name}, whose policies cannot all be read"
            ));
        }
        if !would_be_admin(self.ctx.cat, &target, administrator_document()) {
            return None;
        }
        let held = customer_managed(&target.held);
        let held: Vec<&str> = held.iter().map(String::as_str).collect();
        let boundary = target.boundary.as_ref().map(|b| b.arn.as_str());
        let x = self.make_admin(kind, arn, &held, &format!("{what} {name}"), boundary)?;
        Some(Path {
            what: format!("{}, then become it: {}", x.what, become_it.what),
            steps: x.steps.into_iter().chain(become_it.steps).collect(),
        })
    }

    /// Creating a user or role, making it an administrator, and acting as it (`then`):
    /// with no permissions boundary or an administrator one, named as the principal's
    /// policies allow (`user/ci-*` is tried as `user/ci-zq`).
    fn new_identity(
        &self,
        kind: PrincipalKind,
        then: impl Fn(&str) -> Option<(String, Vec<(String, String, String)>)>,
    ) -> Option<Path> {
        let (create, type_) = match kind {
            PrincipalKind::User => ("iam:CreateUser", "user"),
            _ => ("iam:CreateRole", "role"),
        };
        if !self.may(create) {
            return None;
        }
        let boundaries: Vec<Option<&str>> = std::iter::once(None)
            .chain(
                self.ctx
                    .targets
                    .policies
                    .iter()
                    .filter(|p| !p.ends_with("/IAMFullAccess"))
                    .map(|p| Some(p.as_str())),
            )
            .collect();
        let probe = format!(
            "arn:{}:iam::{}:{type_}/zqpostura-new-{type_}",
            self.part(),
            self.acct()
        );
        let kind_of = format!(":{type_}/");
        for arn in self
            .access
            .resources_for(&[create], &probe, &kind_of, &self.ctx.cat.scope)
        {
            for b in &boundaries {
                let req = self.req(
                    "iam:PermissionsBoundary",
                    &b.iter().copied().collect::<Vec<_>>(),
                );
                let Some(made) =
                    self.path(format!("create a {type_} {arn}"), &[(create, &arn, &req)])
                else {
                    continue;
                };
                let Some(x) = self.make_admin(kind, &arn, &[], "it", *b) else {
                    continue;
                };
                if let Some((what, steps)) = then(&arn) {
                    return Some(Path {
                        what: format!("{}, {}, then {what}", made.what, x.what),
                        steps: [made.steps, x.steps, steps].concat(),
                    });
                }
            }
        }
        None
    }

    fn all(&self) -> Vec<Path> {
        let ctx = self.ctx;
        let p = self.p;
        let mut out = Vec::new();
        let own_boundary = if self.lifted {
            None
        } else {
            p.boundary.as_ref().map(|b| b.arn.as_str())
        };

        // Adding permissions to itself, its groups, or the policies it holds.
        if self.self_can_rise {
            let mine = customer_managed(&p.held);
            let mine: Vec<&str> = mine.iter().map(String::as_str).collect();
            out.extend(self.make_admin(p.kind, p.arn, &mine, "itself", own_boundary));
            for g in ctx
                .details
                .groups
                .iter()
                .filter(|g| p.groups.contains(&g.name.as_str()))
            {
                out.extend(self.make_admin(
                    PrincipalKind::Group,
                    &g.arn,
                    &[],
                    &format!("its group {}", g.name),
                    None,
                ));
            }
            for h in p.held.iter() {
                let Some(arn) = h.arn.filter(|a| !a.contains(":iam::aws:policy/")) else {
                    continue;
                };
                for (version, doc) in ctx.cat.other_versions(arn) {
                    if doc.as_ref().is_ok_and(|d| would_be_admin(ctx.cat, p, d))
                        && let Some(x) = self.path(
                            format!(
                                "make version {version} of {}, which gives administrator rights, the default",
                                h.label
                            ),
                            &[("iam:SetDefaultPolicyVersion", arn, &self.none)],
                        )
                    {
                        out.push(x);
                    }
                }
            }
            // Joining a group that is, or that it can make, an administrator group.
            if p.kind == PrincipalKind::User && self.may("iam:AddUserToGroup") {
                for g in ctx
                    .details
                    .groups
                    .iter()
                    .filter(|g| !p.groups.contains(&g.name.as_str()))
                {
                    let Some(join) = self.path(
                        format!("add itself to group {}", g.name),
                        &[("iam:AddUserToGroup", &g.arn, &self.none)],
                    ) else {
                        continue;
                    };
                    let admin_group = ctx.cat.group(&g.name).is_some_and(|group| {
                        let docs = group.documents();
                        let denies = [&docs[..], &p.documents()[..]].concat();
                        let boundary = if self.lifted {
                            Ok(None)
                        } else {
                            p.boundary_doc()
                        };
                        boundary.is_ok_and(|b| {
                            eval::admin(
                                &docs,
                                &denies,
                                b,
                                &ctx.cat.scope,
                                &[p.arn],
                                Vars { bindings: &p.vars },
                            )
                            .is_admin()
                        })
                    });
                    if admin_group {
                        out.push(Path {
                            what: format!(
                                "add itself to group {}, which gives administrator rights",
                                g.name
                            ),
                            steps: join.steps,
                        });
                    } else if let Some(x) = self.make_admin(
                        PrincipalKind::Group,
                        &g.arn,
                        &[],
                        &format!("group {}", g.name),
                        None,
                    ) {
                        out.push(Path {
                            what: format!("{}, then add itself to it", x.what),
                            steps: x.steps.into_iter().chain(join.steps).collect(),
                        });
                    }
                }
            }
        }

        // Acting as another user or role: an administrator, one step from it, or one it
        // can make so.
        let becomes_users = [
            "iam:CreateAccessKey",
            "iam:CreateLoginProfile",
            "iam:UpdateLoginProfile",
        ]
        .iter()
        .any(|a| self.may(a));
        for u in ctx
            .details
            .users
            .iter()
            .filter(|u| becomes_users && u.arn != p.arn)
        {
            let password = ctx
                .report
                .and_then(|r| r.iam_users().find(|row| row.arn == u.arn))
                .and_then(|row| row.password_enabled);
            if let Some(become_it) = self.become_user(&u.arn, password) {
                out.extend(self.through(PrincipalKind::User, &u.name, &u.arn, become_it));
            }
        }
        for (r, trust) in ctx
            .details
            .roles
            .iter()
            .zip(ctx.trusts)
            .filter(|(r, _)| r.arn != p.arn && !r.is_service_linked())
        {
            if let Some(become_it) = self.become_role(&r.arn, trust.as_ref()) {
                out.extend(self.through(PrincipalKind::Role, &r.name, &r.arn, become_it));
            }
        }

        // A new user or role.
        out.extend(self.new_identity(PrincipalKind::User, |arn| {
            self.become_user(arn, Some(false))
                .map(|b| (format!("become it: {}", b.what), b.steps))
        }));
        out.extend(self.new_identity(PrincipalKind::Role, |arn| {
            // Its trust is the creator's to write: naming itself, or a service it runs
            // code in.
            if self.unprompted_assume(arn) {
                Some(("assume it, its trust naming this principal".into(), vec![]))
            } else {
                self.pass_role(arn, |_| true).map(|b| (b.what, b.steps))
            }
        }));
        out
    }
}

/// The customer managed policies among what a principal holds.
fn customer_managed(held: &[super::holdings::Holding<'_>]) -> Vec<String> {
    held.iter()
        .filter_map(|h| h.arn)
        .filter(|a| !a.contains(":iam::aws:policy/"))
        .map(str::to_string)
        .collect()
}

/// Removing or replacing its own permissions boundary, when the principal may: the first
/// step of every path then, the rest judged without the boundary.
fn lift_step(
    ctx: &Ctx<'_, '_>,
    p: &Principal<'_>,
    access: &Access<'_>,
    none: &Request,
) -> Option<Path> {
    p.boundary.as_ref()?;
    let (delete, put) = match p.kind {
        PrincipalKind::User => (
            "iam:DeleteUserPermissionsBoundary",
            "iam:PutUserPermissionsBoundary",
        ),
        _ => (
            "iam:DeleteRolePermissionsBoundary",
            "iam:PutRolePermissionsBoundary",
        ),
    };
    if let Some(by) = access.can(delete, p.arn, none) {
        return Some(Path {
            what: "remove its permissions boundary".into(),
            steps: vec![(delete.into(), p.arn.into(), by.into())],
        });
    }
    ctx.targets
        .policies
        .iter()
        .filter(|a| !a.ends_with("/IAMFullAccess"))
        .find_map(|admin| {
            let req = none.clone().with("iam:PermissionsBoundary", &[admin]);
            access.can(put, p.arn, &req).map(|by| Path {
                what: format!("replace its permissions boundary with {admin}"),
                steps: vec![(put.into(), p.arn.into(), by.into())],
            })
        })
}

/// The paths found, and what could not be judged on the way.
fn paths(ctx: &Ctx<'_, '_>, p: &Principal<'_>, access: &Access<'_>) -> (Vec<Path>, Vec<String>) {
    let mut none = Request::new()
        .with("aws:PrincipalArn", &[p.arn])
        .with("aws:PrincipalAccount", &[ctx.cat.scope.account])
        .with("aws:CalledVia", &[])
        .with("aws:CalledViaFirst", &[])
        .with("aws:CalledViaLast", &[])
        .with("aws:ViaAWSService", &["false"])
        // Roles it creates or changes are its own: made from no IAM role template.
        .with("iam:RoleTemplateARN", &[]);
    if p.kind == PrincipalKind::User {
        none = none.with("aws:username", &[p.name]);
    }
    let lift = lift_step(ctx, p, access, &none);
    let unbounded = Access {
        boundary: None,
        ..access.clone()
    };
    let (access, self_can_rise) = match &lift {
        Some(_) => {
            let docs = p.documents();
            let rises = eval::admin(
                &[administrator_document()],
                &docs,
                None,
                &ctx.cat.scope,
                &[p.arn],
                Vars { bindings: &p.vars },
            )
            .is_admin();
            (&unbounded, rises)
        }
        None => (access, would_be_admin(ctx.cat, p, administrator_document())),
    };
    let finder = Finder {
        ctx,
        p,
        access,
        none,
        self_can_rise,
        lifted: lift.is_some(),
        may: Default::default(),
        unknown: Default::default(),
    };
    let found = finder.all();
    let unknown = finder.unknown.take();
    let found = match lift {
        None => found,
        Some(lift) => found
            .into_iter()
            .map(|x| Path {
                what: format!("{}, then {}", lift.what, x.what),
                steps: lift.steps.iter().cloned().chain(x.steps).collect(),
            })
            .collect(),
    };
    (found, unknown)
}

/// `privilege-escalation`: users and roles that are not administrators but may make
/// themselves one.
pub fn privilege_escalation(inv: &Inventory) -> Vec<Finding> {
    let details = match inv.iam.authorization_details.get() {
        Ok(d) => d,
        Err(gap) => return vec![Finding::gap(Resource::account(inv), gap)],
    };
    let cat = Catalog::new(inv, details);
    let mut principals: Vec<(Principal<'_>, &str)> = Vec::new();
    for u in &details.users {
        if let Some(p) = cat.user(&u.name) {
            principals.push((p, "AwsIamUser"));
        }
    }
    for r in details.roles.iter().filter(|r| !r.is_service_linked()) {
        if let Some(p) = cat.role(&r.name) {
            principals.push((p, "AwsIamRole"));
        }
    }
    let trusts: Vec<Option<Document>> = details
        .roles
        .iter()
        .map(|r| parse_trust(r.trust_policy.as_ref()))
        .collect();
    // A principal one step from administrator rights is itself a way there: whoever can
    // become it can take the step. Grow the ends of the paths until nothing changes (a few
    // rounds; each adds only principals with a path of their own).
    let doc_may = Default::default();
    let mut grown = targets(&cat, details);
    let mut findings: Vec<Option<Finding>> = vec![None; principals.len()];
    let mut settled = vec![false; principals.len()];
    for _ in 0..4 {
        let ctx = Ctx {
            cat: &cat,
            details,
            report: inv.iam.credential_report.get().ok(),
            targets: &grown,
            trusts: &trusts,
            doc_may: &doc_may,
        };
        let mut up: Vec<(bool, (String, String, bool))> = Vec::new();
        for (i, (p, kind)) in principals.iter().enumerate() {
            if settled[i] {
                continue;
            }
            let f = judge(&ctx, p, kind);
            if f.as_ref()
                .is_some_and(|f| f.status == crate::checks::Status::Fail)
            {
                settled[i] = true;
                let user = p.kind == PrincipalKind::User;
                up.push((user, (p.name.to_string(), p.arn.to_string(), false)));
            }
            findings[i] = f;
        }
        if up.is_empty() {
            break;
        }
        for (user, entry) in up {
            let list = if user {
                &mut grown.users
            } else {
                &mut grown.roles
            };
            if !list.iter().any(|(_, a, _)| *a == entry.1) {
                list.push(entry);
            }
        }
    }
    findings.into_iter().flatten().collect()
}

fn judge(ctx: &Ctx<'_, '_>, p: &Principal<'_>, kind: &str) -> Option<Finding> {
    let resource = Resource {
        arn: p.arn.to_string(),
        id: p.name.to_string(),
        kind: kind.to_string(),
        region: GLOBAL_REGION.into(),
    };
    let who = format!("{} {}", p.kind.as_str(), p.name);
    let access = match p.access(&p.vars) {
        Ok(a) => a,
        Err(e) => {
            return Some(Finding::error(resource, format!("not evaluated: {e}.")));
        }
    };
    if let Ok(v) = combined(ctx.cat, p)
        && v.is_admin()
    {
        // An administrator already: admin-privileges names the policy that makes it one.
        // Together its policies may make it one where none does alone; say so here.
        let by_one = p
            .held
            .iter()
            .filter_map(|h| h.doc.as_ref().ok())
            .any(|d| would_be_admin(ctx.cat, p, d));
        if by_one {
            return None;
        }
        let labels: Vec<&str> = p.held.iter().map(|h| h.label.as_str()).collect();
        return Some(
            Finding::fail(resource,
                format!(
                    "{who} holds administrator rights through its policies together ({}), though none of them does alone.",
                    labels.join(", ")
                ),
            )
            .with("policies", json!(labels)),
        );
    }
    let (found, unknown) = paths(ctx, p, &access);
    let unreadable = p.unreadable();
    let evidence = json!(found
        .iter()
        .map(|x| json!({
            "path": x.what,
            "steps": x.steps.iter().map(|(a, r, by)| json!({"action": a, "resource": r, "allowed_by": by})).collect::<Vec<_>>(),
        }))
        .collect::<Vec<_>>());
    let f = if !found.is_empty() {
        let list: Vec<String> = found
            .iter()
            .map(|x| {
                let steps: Vec<String> = x
                    .steps
                    .iter()
                    .map(|(a, r, by)| format!("{a} on {r}, allowed by {by}"))
                    .collect();
                format!("{} ({})", x.what, steps.join("; then "))
            })
            .collect();
        Finding::fail(
            resource,
            format!(
                "{who} is not an administrator but can make itself one: {}. Remove the actions, scope them to other resources, or add a Deny or permissions boundary that blocks them.",
                list.join("; ")
            ),
        )
    } else if !unreadable.is_empty() {
        Finding::error(
            resource,
            format!("not evaluated: {}.", unreadable.join("; ")),
        )
    } else if !unknown.is_empty() {
        Finding::error(resource, format!("not evaluated: {}.", unknown.join("; ")))
    } else if !ctx.unknown_trusts().is_empty() {
        Finding::error(
            resource,
            format!(
                "not evaluated: the trust policies of roles {} cannot be read, so whether {who} can assume them is unknown.",
                ctx.unknown_trusts().join(", ")
            ),
        )
    } else {
        Finding::pass(
            resource,
            format!("{who} holds no published path to administrator rights."),
        )
    };
    let f = f.with("paths", evidence);
    Some(match &p.boundary {
        Some(b) => f.with("permissions_boundary", json!(b.arn)),
        None => f,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Status;
    use crate::checks::iam::fixtures::*;
    use crate::inventory::Collected;
    use crate::inventory::iam::*;
    use serde_json::Value;

    const ACC: &str = "123456789012";

    fn user(name: &str, policy: Value) -> User {
        iam_user(name).with_inline("own", policy)
    }

    fn role(name: &str, trust: Value, policy: Value) -> Role {
        iam_role(name, trust).with_inline("own", policy)
    }

    fn allow(actions: &[&str], resource: &str) -> Value {
        json!({"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": actions, "Resource": resource}})
    }

    fn everything() -> Value {
        allow(&["*"], "*")
    }

    fn trusts(principal: Value) -> Value {
        json!({"Statement": {"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"}})
    }

    fn run(details: AuthorizationDetails) -> Vec<Finding> {
        let mut inv = inventory(vec![]);
        inv.iam.authorization_details = Collected::Ok(details);
        privilege_escalation(&inv)
    }

    fn outcome(users: Vec<User>, roles: Vec<Role>, who: &str) -> Finding {
        let f = run(AuthorizationDetails {
            users,
            roles,
            ..Default::default()
        });
        f.into_iter()
            .find(|x| x.resource.id == who)
            .unwrap_or_else(|| panic!("no result for {who}"))
    }

    #[test]
    fn self_granting_paths_fail() {
        let me = format!("arn:aws:iam::{ACC}:user/me");
        let cases = [
            (
                allow(&["iam:AttachUserPolicy"], &me),
                "attach arn:aws:iam::aws:policy/AdministratorAccess to itself",
            ),
            (
                allow(
                    &["iam:PutUserPolicy"],
                    "arn:aws:iam::*:user/${aws:username}",
                ),
                "put an inline policy on itself",
            ),
            (allow(&["iam:*"], "*"), "iam:"),
            (
                allow(&["iam:CreatePolicyVersion"], "*"),
                "rewrite arn:aws:iam::123456789012:policy/mine, attached to itself",
            ),
        ];
        for (policy, needle) in cases {
            let mut u = user("me", policy.clone());
            u.attached_managed_policies = vec![AttachedPolicy {
                name: "mine".into(),
                arn: format!("arn:aws:iam::{ACC}:policy/mine"),
            }];
            let f = run(AuthorizationDetails {
                users: vec![u],
                policies: vec![ManagedPolicy {
                    name: "mine".into(),
                    arn: format!("arn:aws:iam::{ACC}:policy/mine"),
                    id: "ANPA".into(),
                    attachment_count: 1,
                    document: Some(allow(&["s3:GetObject"], "*")),
                    other_versions: vec![],
                }],
                ..Default::default()
            });
            let me = f.iter().find(|x| x.resource.id == "me").expect("result");
            assert_eq!(me.status, Status::Fail, "{policy}: {}", me.message);
            assert!(
                me.message.contains(needle),
                "{needle:?} not in {}",
                me.message
            );
        }
    }

    #[test]
    fn blocked_paths_are_no_paths() {
        let me = format!("arn:aws:iam::{ACC}:user/me");
        let cases = [
            // The condition pins what may be attached.
            json!({"Statement": {"Effect": "Allow", "Action": "iam:AttachUserPolicy", "Resource": me,
                "Condition": {"ArnEquals": {"iam:PolicyARN": "arn:aws:iam::aws:policy/ReadOnlyAccess"}}}}),
            // Attaching to someone else only.
            allow(
                &["iam:AttachUserPolicy", "iam:PutUserPolicy"],
                &format!("arn:aws:iam::{ACC}:user/other"),
            ),
            // A Deny in the same policy.
            json!({"Statement": [
                {"Effect": "Allow", "Action": "iam:PutUserPolicy", "Resource": "*"},
                {"Effect": "Deny", "Action": "iam:Put*", "Resource": me}
            ]}),
            // Reading IAM is no path.
            allow(&["iam:Get*", "iam:List*"], "*"),
            allow(&["iam:PassRole"], "*"),
            // New users only with a permissions boundary: they cannot become administrators.
            json!({"Statement": [
                {"Effect": "Allow", "Action": "iam:CreateUser", "Resource": "*",
                 "Condition": {"StringEquals": {"iam:PermissionsBoundary": "arn:aws:iam::123456789012:policy/dev-boundary"}}},
                {"Effect": "Allow", "Action": ["iam:AttachUserPolicy", "iam:CreateAccessKey"], "Resource": "arn:aws:iam::123456789012:user/new-*"}
            ]}),
            // Setting a permissions boundary on others is not a way up.
            allow(&["iam:PutUserPermissionsBoundary"], "*"),
        ];
        for policy in cases {
            let f = outcome(vec![user("me", policy.clone())], vec![], "me");
            assert_eq!(f.status, Status::Pass, "{policy}: {}", f.message);
        }
    }

    #[test]
    fn a_boundary_blocks_self_grants_but_not_other_identities() {
        let mut bounded = user("me", allow(&["iam:*"], "*"));
        bounded.permissions_boundary = Some(format!("arn:aws:iam::{ACC}:policy/b"));
        let boundary = ManagedPolicy {
            name: "b".into(),
            arn: format!("arn:aws:iam::{ACC}:policy/b"),
            id: "ANPAB".into(),
            attachment_count: 0,
            document: Some(json!({"Statement": [
                {"Effect": "Allow", "Action": ["iam:*", "s3:*"], "Resource": "*"},
                {"Effect": "Deny", "Action": ["iam:*PermissionsBoundary", "iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:CreateUser", "iam:CreateRole", "iam:UpdateAssumeRolePolicy"], "Resource": "*"}
            ]})),
            other_versions: vec![],
        };
        let f = run(AuthorizationDetails {
            users: vec![bounded.clone()],
            policies: vec![boundary.clone()],
            ..Default::default()
        });
        let me = f.iter().find(|x| x.resource.id == "me").expect("me");
        assert_eq!(me.status, Status::Pass, "{}", me.message);
        assert_eq!(
            me.evidence["permissions_boundary"],
            format!("arn:aws:iam::{ACC}:policy/b")
        );
        // An administrator user it can create keys for is another matter.
        let f = run(AuthorizationDetails {
            users: vec![bounded, user("boss", everything())],
            policies: vec![boundary],
            ..Default::default()
        });
        let me = f.iter().find(|x| x.resource.id == "me").expect("me");
        assert_eq!(me.status, Status::Fail);
        assert!(
            me.message
                .contains("become user boss (administrator): create an access key for it"),
            "{}",
            me.message
        );
        assert!(
            f.iter().all(|x| x.resource.id != "boss"),
            "an administrator is not judged here"
        );
    }

    #[test]
    fn paths_through_roles() {
        let admin_role = |trust: Value| role("admin", trust, everything());
        let lambda_dev = json!({"Statement": [
            {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"},
            {"Effect": "Allow", "Action": ["lambda:CreateFunction", "lambda:InvokeFunction"], "Resource": "*"}
        ]});
        let f = outcome(
            vec![user("dev", lambda_dev.clone())],
            vec![admin_role(trusts(
                json!({"Service": "lambda.amazonaws.com"}),
            ))],
            "dev",
        );
        assert_eq!(f.status, Status::Fail);
        assert!(
            f.message
                .contains("become role admin (administrator): pass it to lambda.amazonaws.com"),
            "{}",
            f.message
        );
        // The role trusts another service: passing it to Lambda does not work.
        let f = outcome(
            vec![user("dev", lambda_dev)],
            vec![admin_role(trusts(
                json!({"Service": "ecs-tasks.amazonaws.com"}),
            ))],
            "dev",
        );
        assert_eq!(f.status, Status::Pass, "{}", f.message);
        // PassRole limited to another service by its condition.
        let pinned = json!({"Statement": [
            {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*", "Condition": {"StringEquals": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}}},
            {"Effect": "Allow", "Action": ["lambda:*"], "Resource": "*"}
        ]});
        let f = outcome(
            vec![user("dev", pinned)],
            vec![admin_role(trusts(
                json!({"Service": "lambda.amazonaws.com"}),
            ))],
            "dev",
        );
        assert_eq!(f.status, Status::Pass, "{}", f.message);
        // Assuming an administrator role that trusts the account.
        let assume = allow(&["sts:AssumeRole"], "*");
        let f = outcome(
            vec![user("dev", assume.clone())],
            vec![admin_role(trusts(
                json!({"AWS": format!("arn:aws:iam::{ACC}:root")}),
            ))],
            "dev",
        );
        assert_eq!(f.status, Status::Fail);
        assert!(
            f.message
                .contains("become role admin (administrator): assume it"),
            "{}",
            f.message
        );
        // ... nor one whose trust admits everyone but only one principal by its condition.
        let f = outcome(
            vec![user("dev", assume.clone())],
            vec![admin_role(
                json!({"Statement": {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole",
                "Condition": {"ArnEquals": {"aws:PrincipalArn": format!("arn:aws:iam::{ACC}:role/ci")}}}}),
            )],
            "dev",
        );
        assert_eq!(f.status, Status::Pass, "{}", f.message);
        // ... but not one that trusts only another principal.
        let f = outcome(
            vec![user("dev", assume)],
            vec![admin_role(trusts(
                json!({"AWS": format!("arn:aws:iam::{ACC}:user/boss")}),
            ))],
            "dev",
        );
        assert_eq!(f.status, Status::Pass, "{}", f.message);
        // A trust that names the user needs no permission of its own.
        let f = outcome(
            vec![user("dev", allow(&["s3:GetObject"], "*"))],
            vec![admin_role(trusts(
                json!({"AWS": format!("arn:aws:iam::{ACC}:user/dev")}),
            ))],
            "dev",
        );
        assert_eq!(f.status, Status::Fail, "{}", f.message);
        let f = outcome(
            vec![user(
                "dev",
                allow(
                    &["iam:UpdateAssumeRolePolicy"],
                    &format!("arn:aws:iam::{ACC}:role/admin"),
                ),
            )],
            vec![admin_role(trusts(json!({"Service": "ec2.amazonaws.com"})))],
            "dev",
        );
        assert_eq!(f.status, Status::Fail);
        assert!(
            f.message
                .contains("become role admin (administrator): rewrite its trust"),
            "{}",
            f.message
        );
    }

    #[test]
    fn admin_by_policies_together_is_reported_here() {
        let mut u = user(
            "split",
            json!({"Statement": {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}}),
        );
        u.inline_policies.push(InlinePolicy {
            name: "iam".into(),
            document: Some(allow(&["iam:*"], "*")),
        });
        let f = outcome(vec![u], vec![], "split");
        assert_eq!(f.status, Status::Fail);
        assert!(
            f.message.contains("through its policies together"),
            "{}",
            f.message
        );
    }

    #[test]
    fn unreadable_policies_make_it_unknown() {
        let f = outcome(
            vec![user("odd", Value::String("not a policy".into()))],
            vec![],
            "odd",
        );
        assert_eq!(f.status, Status::Error, "{}", f.message);
    }

    #[test]
    fn joining_an_administrator_group() {
        let me = user("me", allow(&["iam:AddUserToGroup"], "*"));
        let group = |name: &str, doc: Value| iam_group(name).with_inline("g", doc);
        let f = run(AuthorizationDetails {
            users: vec![me.clone()],
            groups: vec![
                group("admins", everything()),
                group("readers", allow(&["s3:Get*"], "*")),
            ],
            ..Default::default()
        });
        let mine = f.iter().find(|x| x.resource.id == "me").expect("me");
        assert_eq!(mine.status, Status::Fail);
        assert!(
            mine.message
                .contains("add itself to group admins, which gives administrator rights"),
            "{}",
            mine.message
        );
        assert!(!mine.message.contains("readers"), "{}", mine.message);
        let f = run(AuthorizationDetails {
            users: vec![me],
            groups: vec![group("readers", allow(&["s3:Get*"], "*"))],
            ..Default::default()
        });
        assert_eq!(f[0].status, Status::Pass, "{}", f[0].message);
    }

    fn managed_doc(name: &str, doc: Value) -> ManagedPolicy {
        ManagedPolicy {
            attachment_count: 0,
            ..customer_policy(name, doc)
        }
    }

    #[test]
    fn review_cases() {
        let b_arn = format!("arn:aws:iam::{ACC}:policy/dev-boundary");
        let lambda_role = role(
            "worker",
            trusts(json!({"Service": "lambda.amazonaws.com"})),
            allow(&["logs:*"], "*"),
        );
        // Delegated administration: IAM writes only with the boundary in place.
        let delegated = json!({"Statement": [
            {"Effect": "Allow", "Action": ["iam:AttachUserPolicy", "iam:PutUserPolicy", "iam:AttachRolePolicy", "iam:PutRolePolicy", "iam:CreateUser", "iam:CreateRole"], "Resource": "*",
             "Condition": {"StringEquals": {"iam:PermissionsBoundary": b_arn}}},
            {"Effect": "Allow", "Action": ["iam:PassRole", "lambda:*", "sts:AssumeRole"], "Resource": "*"}
        ]});
        let f = outcome(
            vec![user("dev", delegated)],
            vec![lambda_role.clone()],
            "dev",
        );
        assert_eq!(f.status, Status::Pass, "{}", f.message);

        // A role one step from administrator rights is a way there.
        let f = outcome(
            vec![user("dev", allow(&["sts:AssumeRole"], "*"))],
            vec![role(
                "iam-admin",
                trusts(json!({"AWS": format!("arn:aws:iam::{ACC}:root")})),
                allow(&["iam:*"], "*"),
            )],
            "dev",
        );
        assert_eq!(f.status, Status::Fail, "{}", f.message);
        assert!(
            f.message
                .contains("become role iam-admin (one step from administrator)"),
            "{}",
            f.message
        );

        // A Deny in the trust naming the caller stops the account path.
        let f = outcome(
            vec![user("dev", allow(&["sts:AssumeRole"], "*"))],
            vec![role(
                "admin",
                json!({"Statement": [
                    {"Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{ACC}:root")}, "Action": "sts:AssumeRole"},
                    {"Effect": "Deny", "Principal": {"AWS": format!("arn:aws:iam::{ACC}:user/dev")}, "Action": "sts:AssumeRole"}
                ]}),
                everything(),
            )],
            "dev",
        );
        assert_eq!(f.status, Status::Pass, "{}", f.message);

        // A boundary that allows IAM writes, and no Deny of boundary writes: attach
        // AdministratorAccess, then remove the boundary.
        let mut me = user(
            "me",
            allow(
                &["iam:AttachUserPolicy"],
                &format!("arn:aws:iam::{ACC}:user/me"),
            ),
        );
        me.permissions_boundary = Some(b_arn.clone());
        let f = run(AuthorizationDetails {
            users: vec![me],
            policies: vec![managed_doc("dev-boundary", allow(&["iam:*", "s3:*"], "*"))],
            ..Default::default()
        });
        assert_eq!(f[0].status, Status::Fail, "{}", f[0].message);

        // A boundary the principal may remove: remove it, then attach.
        let mut me = user("me", allow(&["iam:*"], "*"));
        me.permissions_boundary = Some(b_arn.clone());
        let f = run(AuthorizationDetails {
            users: vec![me],
            policies: vec![managed_doc(
                "dev-boundary",
                allow(&["s3:*", "iam:DeleteUserPermissionsBoundary"], "*"),
            )],
            ..Default::default()
        });
        assert_eq!(f[0].status, Status::Fail, "{}", f[0].message);
        assert!(
            f[0].message
                .contains("remove its permissions boundary, then"),
            "{}",
            f[0].message
        );

        // New roles only with some boundary: AdministratorAccess as the boundary will do.
        let f = outcome(
            vec![user(
                "dev",
                json!({"Statement": [
                    {"Effect": "Allow", "Action": ["iam:CreateRole", "iam:AttachRolePolicy"], "Resource": "*",
                     "Condition": {"Null": {"iam:PermissionsBoundary": "false"}}}
                ]}),
            )],
            vec![],
            "dev",
        );
        assert_eq!(f.status, Status::Fail, "{}", f.message);

        // A Deny that spares some function names leaves those names open.
        let f = outcome(
            vec![user(
                "dev",
                json!({"Statement": [
                    {"Effect": "Allow", "Action": ["iam:PassRole", "lambda:*"], "Resource": "*"},
                    {"Effect": "Deny", "Action": "lambda:*", "NotResource": format!("arn:aws:lambda:*:{ACC}:function:team-*")}
                ]}),
            )],
            vec![role(
                "admin",
                trusts(json!({"Service": "lambda.amazonaws.com"})),
                everything(),
            )],
            "dev",
        );
        assert_eq!(f.status, Status::Fail, "{}", f.message);
        assert!(f.message.contains("function:team-zq"), "{}", f.message);

        // A user it can create keys for, whose policy cannot be read: unknown, not a pass.
        let f = outcome(
            vec![
                user("dev", allow(&["iam:CreateAccessKey"], "*")),
                user("mystery", Value::String("not a policy".into())),
            ],
            vec![],
            "dev",
        );
        assert_eq!(f.status, Status::Error, "{}", f.message);
        assert!(f.message.contains("user mystery"), "{}", f.message);

        // An unreadable trust leaves every path through roles unknown.
        let mut odd = lambda_role;
        odd.trust_policy = Some(Value::String("%7Bnot".into()));
        let f = outcome(
            vec![user("dev", allow(&["s3:GetObject"], "*"))],
            vec![odd],
            "dev",
        );
        assert_eq!(f.status, Status::Error, "{}", f.message);
    }
}
