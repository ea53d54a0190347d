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

const ID: &str = "privilege-escalation";

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

/// One way up.
struct Path {
    what: String,
    actions: Vec<String>,
    resource: String,
    allowed_by: Vec<String>,
}

/// Administrator users and roles of the account, and the policies that alone give
/// administrator rights: the ends of the paths.
struct Targets {
    policies: Vec<String>,
    users: Vec<(String, String)>,
    roles: Vec<(String, String)>,
}

fn targets(cat: &Catalog<'_>, details: &AuthorizationDetails) -> Targets {
    let mut policies = vec![format!(
        "arn:{}:iam::aws:policy/AdministratorAccess",
        cat.scope.partition
    )];
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
            .map(|u| (u.name.clone(), u.arn.clone()))
            .collect(),
        roles: details
            .roles
            .iter()
            .filter(|r| is_admin(cat.role(&r.name)))
            .map(|r| (r.name.clone(), r.arn.clone()))
            .collect(),
    }
}

fn alone_is_admin(cat: &Catalog<'_>, doc: &Document) -> bool {
    eval::admin(&[doc], &[doc], None, &cat.scope, &[], Vars::NONE).is_admin()
}

/// A principal's verdict on everything it holds together.
fn combined(cat: &Catalog<'_>, p: &Principal<'_>) -> Result<eval::AdminVerdict, String> {
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

fn trust(role_trust: Option<&serde_json::Value>) -> Option<Document> {
    Document::parse(role_trust?, Kind::ResourceBased).ok()
}

fn trust_allows(doc: &Document, action: &str, who: &dyn Fn(&Statement) -> bool) -> bool {
    let applies = |s: &&Statement| s.covers_action(action) && who(s);
    doc.allows()
        .filter(applies)
        .any(|s| evaluate_all(&s.conditions, &Request::new()) != Tri::False)
        && !doc
            .denies()
            .filter(applies)
            .any(|s| s.conditions.is_empty())
}

struct Ctx<'a, 'c> {
    cat: &'a Catalog<'c>,
    details: &'c AuthorizationDetails,
    report: Option<&'c CredentialReport>,
    targets: &'a Targets,
}

fn paths(ctx: &Ctx<'_, '_>, p: &Principal<'_>, access: &Access<'_>) -> Vec<Path> {
    let mut out = Vec::new();
    let none = Request::new();
    // The path, if every step of it is allowed.
    let one = |what: String, steps: &[(&str, &str, &Request)]| -> Option<Path> {
        let mut allowed_by = Vec::new();
        for (action, arn, req) in steps {
            allowed_by.push(access.can(action, arn, req)?.to_string());
        }
        Some(Path {
            what,
            actions: steps.iter().map(|s| s.0.to_string()).collect(),
            resource: steps.first().map(|s| s.1.to_string()).unwrap_or_default(),
            allowed_by,
        })
    };

    // Paths that add permissions to the principal itself lead to administrator rights
    // only if its boundary and Denies let an administrator policy give everything.
    if would_be_admin(ctx.cat, p, administrator_document()) {
        let attach = match p.kind {
            PrincipalKind::User => "iam:AttachUserPolicy",
            _ => "iam:AttachRolePolicy",
        };
        let put = match p.kind {
            PrincipalKind::User => "iam:PutUserPolicy",
            _ => "iam:PutRolePolicy",
        };
        for admin_policy in &ctx.targets.policies {
            let req = Request::new().with("iam:PolicyARN", &[admin_policy]);
            let before = out.len();
            out.extend(one(
                format!("attach {admin_policy} to itself"),
                &[(attach, p.arn, &req)],
            ));
            for g in ctx
                .details
                .groups
                .iter()
                .filter(|g| p.groups.contains(&g.name.as_str()))
            {
                out.extend(one(
                    format!("attach {admin_policy} to its group {}", g.name),
                    &[("iam:AttachGroupPolicy", &g.arn, &req)],
                ));
            }
            if out.len() > before {
                break;
            }
        }
        out.extend(one(
            "put an inline policy on itself".to_string(),
            &[(put, p.arn, &none)],
        ));
        for g in ctx
            .details
            .groups
            .iter()
            .filter(|g| p.groups.contains(&g.name.as_str()))
        {
            out.extend(one(
                format!("put an inline policy on its group {}", g.name),
                &[("iam:PutGroupPolicy", &g.arn, &none)],
            ));
        }
        for h in p
            .held
            .iter()
            .filter(|h| h.arn.is_some_and(|a| !a.contains(":iam::aws:policy/")))
        {
            let Some(arn) = h.arn else { continue };
            out.extend(one(
                format!("rewrite {} with a new default version", h.label),
                &[("iam:CreatePolicyVersion", arn, &none)],
            ));
            for (version, doc) in ctx.cat.other_versions(arn) {
                if doc.as_ref().is_ok_and(|d| would_be_admin(ctx.cat, p, d)) {
                    out.extend(one(
                        format!("make version {version} of {}, which gives administrator rights, the default", h.label),
                        &[("iam:SetDefaultPolicyVersion", arn, &none)],
                    ));
                }
            }
        }
    }
    if p.kind == PrincipalKind::User {
        for g in &ctx.details.groups {
            if p.groups.contains(&g.name.as_str()) {
                continue;
            }
            // Joining gives it the group's policies, with its own Denies and boundary.
            let joins_admin = ctx.cat.group(&g.name).is_some_and(|group| {
                let docs = group.documents();
                let denies = [&docs[..], &p.documents()[..]].concat();
                p.boundary_doc().is_ok_and(|b| {
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
            if joins_admin {
                out.extend(one(
                    format!(
                        "add itself to group {}, which gives administrator rights",
                        g.name
                    ),
                    &[("iam:AddUserToGroup", &g.arn, &none)],
                ));
            }
        }
    }

    // Paths through another identity: its own permissions apply, not this principal's
    // boundary.
    for (name, arn) in ctx.targets.users.iter().filter(|(_, a)| a != p.arn) {
        out.extend(one(
            format!("create an access key for administrator user {name}"),
            &[("iam:CreateAccessKey", arn, &none)],
        ));
        let password = ctx
            .report
            .and_then(|r| r.iam_users().find(|u| u.arn == *arn))
            .and_then(|u| u.password_enabled);
        if password != Some(true) {
            out.extend(one(
                format!("give administrator user {name} a console password"),
                &[("iam:CreateLoginProfile", arn, &none)],
            ));
        }
        if password != Some(false) {
            out.extend(one(
                format!("change administrator user {name}'s console password"),
                &[("iam:UpdateLoginProfile", arn, &none)],
            ));
        }
    }
    for (name, arn) in ctx.targets.roles.iter().filter(|(_, a)| a != p.arn) {
        let Some(role) = ctx.details.roles.iter().find(|r| r.arn == *arn) else {
            continue;
        };
        // Rewriting the trust to name itself: then no identity permission is needed to
        // assume the role, but a Deny on sts:AssumeRole still stops it.
        if !access.denied("sts:AssumeRole", arn, &none) {
            out.extend(one(
                format!("rewrite the trust of administrator role {name} and assume it"),
                &[("iam:UpdateAssumeRolePolicy", arn, &none)],
            ));
        }
        let Some(trust) = trust(role.trust_policy.as_ref()) else {
            continue;
        };
        let root = [
            format!(
                "arn:{}:iam::{}:root",
                ctx.cat.scope.partition, ctx.cat.scope.account
            ),
            ctx.cat.scope.account.to_string(),
        ];
        let names_me = |s: &Statement| {
            s.principal.as_ref().is_some_and(|pr| {
                matches!(pr, crate::policy::Principal::Any)
                    || pr.of("AWS").iter().any(|v| *v == "*" || *v == p.arn)
            })
        };
        let names_account = |s: &Statement| {
            s.principal
                .as_ref()
                .is_some_and(|pr| pr.of("AWS").iter().any(|v| root.iter().any(|r| r == v)))
        };
        if trust_allows(&trust, "sts:AssumeRole", &names_me)
            && !access.denied("sts:AssumeRole", arn, &none)
        {
            out.push(Path {
                what: format!("assume administrator role {name}, whose trust names it"),
                actions: vec!["sts:AssumeRole".into()],
                resource: arn.clone(),
                allowed_by: vec![format!("the trust policy of role {name}")],
            });
        } else if trust_allows(&trust, "sts:AssumeRole", &names_account) {
            out.extend(one(
                format!("assume administrator role {name}, which trusts the account"),
                &[("sts:AssumeRole", arn, &none)],
            ));
        }
        for (service, ways) in CODE_RUNNERS {
            let trusts_service = |s: &Statement| {
                s.principal
                    .as_ref()
                    .is_some_and(|pr| pr.of("Service").contains(service))
            };
            if !trust_allows(&trust, "sts:AssumeRole", &trusts_service) {
                continue;
            }
            let passed = Request::new().with("iam:PassedToService", &[service]);
            let code_arn = format!(
                "arn:{}:{}:zq-region:{}:zqpostura-probe",
                ctx.cat.scope.partition,
                service.split('.').next().unwrap_or_default(),
                ctx.cat.scope.account
            );
            for way in *ways {
                let mut steps: Vec<(&str, &str, &Request)> = vec![("iam:PassRole", arn, &passed)];
                steps.extend(way.iter().map(|a| (*a, code_arn.as_str(), &none)));
                if let Some(found) = one(
                    format!("pass administrator role {name} to {service} and run code as it"),
                    &steps,
                ) {
                    out.push(found);
                    break;
                }
            }
        }
    }
    out
}

/// `privilege-escalation`: users and roles that are not administrators but may make
/// themselves one.
pub fn privilege_escalation(inv: &Inventory) -> Vec<Finding> {
    let details = match inv.iam.authorization_details.get() {
        Ok(d) => d,
        Err(gap) => return vec![Finding::gap(ID, Resource::account(inv), gap)],
    };
    let cat = Catalog::new(inv, details);
    let targets = targets(&cat, details);
    let ctx = Ctx {
        cat: &cat,
        details,
        report: inv.iam.credential_report.get().ok(),
        targets: &targets,
    };
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
    principals
        .iter()
        .filter_map(|(p, kind)| judge(&ctx, p, kind))
        .collect()
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
            return Some(Finding::error(ID, resource, format!("not evaluated: {e}.")));
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
            Finding::fail(
                ID,
                resource,
                format!(
                    "{who} holds administrator rights through its policies together ({}), though none of them does alone.",
                    labels.join(", ")
                ),
            )
            .with("policies", json!(labels)),
        );
    }
    let found = paths(ctx, p, &access);
    let unreadable = p.unreadable();
    let evidence = json!(found
        .iter()
        .map(|x| json!({"path": x.what, "actions": x.actions, "resource": x.resource, "allowed_by": x.allowed_by}))
        .collect::<Vec<_>>());
    let f = if !found.is_empty() {
        let list: Vec<String> = found
            .iter()
            .map(|x| {
                format!(
                    "{} ({} on {}, allowed by {})",
                    x.what,
                    x.actions.join(" + "),
                    x.resource,
                    x.allowed_by.join(", ")
                )
            })
            .collect();
        Finding::fail(
            ID,
            resource,
            format!(
                "{who} is not an administrator but can make itself one: {}. Remove the actions, scope them to other resources, or add a Deny or permissions boundary that blocks them.",
                list.join("; ")
            ),
        )
    } else if !unreadable.is_empty() {
        Finding::error(
            ID,
            resource,
            format!("not evaluated: {}.", unreadable.join("; ")),
        )
    } else {
        Finding::pass(
            ID,
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
        User {
            name: name.into(),
            arn: format!("arn:aws:iam::{ACC}:user/{name}"),
            id: format!("AIDA{name}"),
            groups: vec![],
            attached_managed_policies: vec![],
            inline_policies: vec![InlinePolicy {
                name: "own".into(),
                document: Some(policy),
            }],
            permissions_boundary: None,
        }
    }

    fn role(name: &str, trust: Value, policy: Value) -> Role {
        Role {
            name: name.into(),
            arn: format!("arn:aws:iam::{ACC}:role/{name}"),
            id: format!("AROA{name}"),
            trust_policy: Some(trust),
            attached_managed_policies: vec![],
            inline_policies: vec![InlinePolicy {
                name: "own".into(),
                document: Some(policy),
            }],
            permissions_boundary: None,
        }
    }

    fn allow(actions: &[&str], resource: &str) -> Value {
        json!({"Statement": {"Effect": "Allow", "Action": actions, "Resource": resource}})
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
                "rewrite customer managed policy mine",
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
                {"Effect": "Deny", "Action": ["iam:*PermissionsBoundary", "iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion"], "Resource": "*"}
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
                .contains("create an access key for administrator user boss"),
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
                .contains("pass administrator role admin to lambda.amazonaws.com"),
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
            f.message.contains("assume administrator role admin"),
            "{}",
            f.message
        );
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
                .contains("rewrite the trust of administrator role admin"),
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
        let group = |name: &str, doc: Value| Group {
            name: name.into(),
            arn: format!("arn:aws:iam::{ACC}:group/{name}"),
            id: format!("AGPA{name}"),
            attached_managed_policies: vec![],
            inline_policies: vec![InlinePolicy {
                name: "g".into(),
                document: Some(doc),
            }],
        };
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
            mine.message.contains("add itself to group admins"),
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
}
