//! Administrative privilege: policies that give every action on every resource, judged by
//! IAM's evaluation rules (see [`crate::policy::eval::admin`]) for each principal that
//! holds them, its other policies' Deny statements and its permissions boundary included.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use super::holdings::{Catalog, Principal, PrincipalKind};
use crate::checks::{Finding, Resource};
use crate::inventory::{GLOBAL_REGION, Inventory};
use crate::policy::Document;
use crate::policy::eval::{self, AdminVerdict, Boundary};
use crate::policy::pattern::Vars;

/// Who holds a policy: principals it is attached to, and users who get it through groups.
#[derive(Default, Clone)]
struct Holders {
    /// (kind, name, through group)
    entries: BTreeSet<(u8, String, Option<String>)>,
}

const USER: u8 = 0;
const ROLE: u8 = 1;
const GROUP: u8 = 2;

impl Holders {
    fn user(&mut self, name: &str) {
        self.entries.insert((USER, name.to_string(), None));
    }

    fn role(&mut self, name: &str) {
        self.entries.insert((ROLE, name.to_string(), None));
    }

    /// A group and its members; a group with no member stands for its future members.
    fn group(&mut self, cat: &Catalog<'_>, group: &str) {
        let members: Vec<&str> = cat
            .details
            .users
            .iter()
            .filter(|u| u.groups.iter().any(|g| g == group))
            .map(|u| u.name.as_str())
            .collect();
        if members.is_empty() {
            self.entries.insert((GROUP, group.to_string(), None));
        }
        for m in members {
            self.entries
                .insert((USER, m.to_string(), Some(group.to_string())));
        }
    }

    fn label((kind, name, via): &(u8, String, Option<String>)) -> String {
        match (kind, via) {
            (&USER, Some(g)) => format!("{name} (through group {g})"),
            (&USER, None) => format!("{name} (directly)"),
            _ => name.clone(),
        }
    }

    fn describe(&self) -> String {
        let of = |k: u8| -> Vec<String> {
            self.entries
                .iter()
                .filter(|e| e.0 == k)
                .map(Self::label)
                .collect()
        };
        let mut parts = Vec::new();
        let users = of(USER);
        if !users.is_empty() {
            parts.push(format!("users {}", users.join(", ")));
        }
        let roles = of(ROLE);
        if !roles.is_empty() {
            parts.push(format!("roles {}", roles.join(", ")));
        }
        let groups = of(GROUP);
        if !groups.is_empty() {
            parts.push(format!("groups {} (no members yet)", groups.join(", ")));
        }
        parts.join("; ")
    }

    fn evidence(&self) -> Value {
        let names = |k: u8, via: bool| -> Vec<String> {
            self.entries
                .iter()
                .filter(|e| e.0 == k && e.2.is_some() == via)
                .map(|e| match &e.2 {
                    Some(g) => format!("{} (through group {g})", e.1),
                    None => e.1.clone(),
                })
                .collect()
        };
        json!({
            "users": names(USER, false),
            "roles": names(ROLE, false),
            "groups": names(GROUP, false),
            "users_through_groups": names(USER, true),
        })
    }
}

/// Why a verdict is not administrator rights, in words.
pub(crate) fn why_not(v: &AdminVerdict) -> String {
    match v {
        AdminVerdict::Admin(_) => "it gives administrator rights".into(),
        AdminVerdict::NotEveryAction => "it does not allow every action on every resource".into(),
        AdminVerdict::NoGrantBack => "it allows everything but the IAM writes that grant permissions (a Deny takes them away, or no statement gives them), so what it leaves out cannot be granted back".into(),
        AdminVerdict::LimitedByBoundary(b) => format!("the permissions boundary {b} limits it"),
    }
}

/// The administrator verdict for one principal holding `doc` (with all it holds).
pub(crate) fn verdict_for(
    cat: &Catalog<'_>,
    doc: &Document,
    p: &Principal<'_>,
) -> Result<AdminVerdict, String> {
    let boundary = p.boundary_doc()?;
    let denies = p.documents();
    Ok(eval::admin(
        &[doc],
        &denies,
        boundary,
        &cat.scope,
        &[p.arn],
        Vars { bindings: &p.vars },
    ))
}

fn principal<'c>(cat: &'c Catalog<'_>, kind: u8, name: &str) -> Option<Principal<'c>> {
    match kind {
        USER => cat.user(name),
        ROLE => cat.role(name),
        _ => cat.group(name),
    }
}

/// `admin-privileges`: every attached policy (AWS managed, customer managed, inline on a
/// user, group or role) is judged for each holder; one that gives a holder every action on
/// every resource fails and names those holders.
pub fn admin_privileges(inv: &Inventory) -> Vec<Finding> {
    let details = match inv.iam.authorization_details.get() {
        Ok(d) => d,
        Err(gap) => return vec![Finding::gap(Resource::account(inv), gap)],
    };
    let cat = Catalog::new(inv, details);
    let mut findings = Vec::new();

    // Managed policies, judged once each with every holder.
    let mut held: std::collections::BTreeMap<&str, Holders> = Default::default();
    for u in &details.users {
        for p in &u.attached_managed_policies {
            held.entry(&p.arn).or_default().user(&u.name);
        }
    }
    for g in &details.groups {
        for p in &g.attached_managed_policies {
            held.entry(&p.arn).or_default().group(&cat, &g.name);
        }
    }
    for r in &details.roles {
        for p in &r.attached_managed_policies {
            held.entry(&p.arn).or_default().role(&r.name);
        }
    }
    for (arn, holders) in &held {
        let (label, doc) = cat.managed(arn);
        let name = label.rsplit(' ').next().unwrap_or(&label).to_string();
        let resource = Resource {
            arn: arn.to_string(),
            id: name,
            kind: "AwsIamPolicy".into(),
            region: GLOBAL_REGION.into(),
        };
        findings.push(match doc {
            Ok(doc) => judge(&cat, resource, &label, doc, holders),
            Err(why) => Finding::error(
                resource,
                format!(
                    "not evaluated: {why}, so whether it gives {} administrator rights is unknown.",
                    holders.describe()
                ),
            ),
        });
    }

    // Inline policies, judged where they are embedded.
    let mut inline = |kind: &str,
                      owner: &str,
                      arn: &str,
                      holders: Holders,
                      policies: &[crate::inventory::iam::InlinePolicy]| {
        for p in policies {
            let resource = Resource {
                arn: arn.to_string(),
                id: format!("{owner}:{}", p.name),
                kind: kind.to_string(),
                region: GLOBAL_REGION.into(),
            };
            let what = format!("inline policy {} of {owner}", p.name);
            let read = p
                .document
                .as_ref()
                .map(|d| Document::parse(d, crate::policy::Kind::Identity));
            findings.push(match read {
                Some(Ok(doc)) => judge(&cat, resource, &what, &doc, &holders),
                Some(Err(e)) => Finding::error(
                    resource,
                    format!("not evaluated: {what} cannot be read: {e}."),
                ),
                None => Finding::error(
                    resource,
                    format!("not evaluated: {what} has no readable document."),
                ),
            });
        }
    };
    for u in &details.users {
        let mut h = Holders::default();
        h.user(&u.name);
        inline("AwsIamUser", &u.name, &u.arn, h, &u.inline_policies);
    }
    for g in &details.groups {
        let mut h = Holders::default();
        h.group(&cat, &g.name);
        inline("AwsIamGroup", &g.name, &g.arn, h, &g.inline_policies);
    }
    for r in &details.roles {
        let mut h = Holders::default();
        h.role(&r.name);
        inline("AwsIamRole", &r.name, &r.arn, h, &r.inline_policies);
    }
    findings
}

fn judge(
    cat: &Catalog<'_>,
    resource: Resource,
    what: &str,
    doc: &Document,
    holders: &Holders,
) -> Finding {
    let alone = eval::admin(&[doc], &[doc], None, &cat.scope, &[], Vars::NONE);
    let mut admins = Holders::default();
    let mut limited: Vec<String> = Vec::new();
    let mut unknown: Vec<String> = Vec::new();
    let mut boundaries = serde_json::Map::new();
    // A holder's Denies and boundary only take away: what is not administrator rights
    // alone is not for any holder.
    let entries = holders.entries.iter().filter(|_| alone.is_admin());
    for entry in entries {
        let label = Holders::label(entry);
        let Some(p) = principal(cat, entry.0, &entry.1) else {
            continue;
        };
        if let Some(b) = &p.boundary {
            boundaries.insert(p.name.to_string(), json!(b.arn));
        }
        match verdict_for(cat, doc, &p) {
            Ok(v @ AdminVerdict::Admin(_)) => {
                admins.entries.insert(entry.clone());
                if let AdminVerdict::Admin(Boundary::Liftable(b)) = &v {
                    limited.push(format!("{label}'s permissions boundary {b} does not hold: it may remove or replace it"));
                }
            }
            Ok(v) => limited.push(format!("{label}: {}", why_not(&v))),
            Err(e) => unknown.push(format!("{label}: {e}")),
        }
    }
    let _ = PrincipalKind::User;
    let f = if !admins.entries.is_empty() {
        let mut msg = format!(
            "{what} gives administrator rights (every action on every resource) to {}.",
            admins.describe()
        );
        if !limited.is_empty() {
            msg.push_str(&format!(" Not to others: {}.", limited.join("; ")));
        }
        msg.push_str(
            " Keep full admin to one break-glass role; give people and CI only what they use.",
        );
        Finding::fail(resource, msg)
    } else if !unknown.is_empty() {
        Finding::error(
            resource,
            format!(
                "not evaluated: whether {what} gives administrator rights depends on what cannot be read ({}).",
                unknown.join("; ")
            ),
        )
    } else if alone.is_admin() {
        Finding::pass(
            resource,
            format!(
                "{what} allows every action on every resource by itself, but no holder gets administrator rights from it ({}). CIS 1.15 and FSBP IAM.1 judge the policy alone and would fail it.",
                limited.join("; ")
            ),
        )
    } else {
        Finding::pass(
            resource,
            format!(
                "{what} does not give administrator rights: {}.",
                why_not(&alone)
            ),
        )
    };
    let f = f
        .with("holders", holders.evidence())
        .with("policy_alone_is_admin", alone.is_admin());
    if boundaries.is_empty() {
        f
    } else {
        f.with("permissions_boundaries", Value::Object(boundaries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Status;
    use crate::checks::iam::fixtures::*;
    use crate::inventory::Collected;
    use crate::inventory::iam::*;

    fn user(name: &str, groups: &[&str], inline: Option<Value>) -> User {
        let u = iam_user(name).in_groups(groups);
        match inline {
            Some(doc) => u.with_inline("own", doc),
            None => u,
        }
    }

    #[test]
    fn names_holders_directly_and_through_groups() {
        let admin_arn = "arn:aws:iam::aws:policy/AdministratorAccess";
        let mut inv = inventory(vec![]);
        inv.iam.authorization_details = Collected::Ok(AuthorizationDetails {
            users: vec![
                User {
                    attached_managed_policies: vec![AttachedPolicy {
                        name: "Ghost".into(),
                        arn: "arn:aws:iam::123456789012:policy/Ghost".into(),
                    }],
                    ..user("ghost-holder", &[], None)
                },
                user("lucia", &["admins"], None),
                User {
                    attached_managed_policies: vec![AttachedPolicy {
                        name: "AdministratorAccess".into(),
                        arn: admin_arn.into(),
                    }],
                    ..user("root-like", &["readers"], None)
                },
                user(
                    "carlos",
                    &["devs"],
                    Some(json!({"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}})),
                ),
            ],
            groups: vec![
                Group {
                    name: "admins".into(),
                    arn: "arn:aws:iam::123456789012:group/admins".into(),
                    id: "AGPA1".into(),
                    attached_managed_policies: vec![AttachedPolicy {
                        name: "AdministratorAccess".into(),
                        arn: admin_arn.into(),
                    }],
                    inline_policies: vec![],
                },
                Group {
                    name: "readers".into(),
                    arn: "arn:aws:iam::123456789012:group/readers".into(),
                    id: "AGPA2".into(),
                    attached_managed_policies: vec![],
                    inline_policies: vec![
                        InlinePolicy {
                            name: "oops".into(),
                            document: Some(
                                json!({"Statement": [{"Effect": "Allow", "Action": ["*"], "Resource": ["*"]}]}),
                            ),
                        },
                        InlinePolicy {
                            name: "read".into(),
                            document: Some(
                                json!({"Statement": {"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}}),
                            ),
                        },
                    ],
                },
            ],
            roles: vec![Role {
                name: "ops".into(),
                arn: "arn:aws:iam::123456789012:role/ops".into(),
                id: "AROA1".into(),
                trust_policy: None,
                permissions_boundary: None,
                attached_managed_policies: vec![],
                inline_policies: vec![InlinePolicy {
                    name: "all".into(),
                    document: Some(
                        json!({"Statement": {"Effect": "Allow", "NotAction": "made:Up", "Resource": "*"}}),
                    ),
                }],
            }],
            policies: vec![
                ManagedPolicy {
                    name: "AdministratorAccess".into(),
                    arn: admin_arn.into(),
                    id: "ANPA1".into(),
                    attachment_count: 1,
                    document: None,
                    other_versions: vec![],
                },
                ManagedPolicy {
                    name: "Unused".into(),
                    arn: "arn:aws:iam::123456789012:policy/Unused".into(),
                    id: "ANPA2".into(),
                    attachment_count: 0,
                    document: Some(
                        json!({"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}),
                    ),
                    other_versions: vec![],
                },
            ],
        });
        let f = admin_privileges(&inv);
        assert_eq!(
            f.len(),
            6,
            "the unattached policy is nobody's privilege: {f:?}"
        );
        let ghost = f.iter().find(|x| x.resource.id == "Ghost").expect("ghost");
        assert_eq!(
            ghost.status,
            Status::Error,
            "attached but not listed: unknown, not a pass"
        );
        let managed = f
            .iter()
            .find(|x| x.resource.id == "AdministratorAccess")
            .expect("managed");
        assert_eq!(managed.status, Status::Fail);
        assert!(
            managed.message.contains("lucia (through group admins)"),
            "{}",
            managed.message
        );
        let own = f
            .iter()
            .find(|x| x.resource.id == "carlos:own")
            .expect("inline");
        assert_eq!(own.status, Status::Fail);
        assert!(own.message.contains("carlos (directly)"), "{}", own.message);
        assert!(
            managed.message.contains("root-like (directly)"),
            "{}",
            managed.message
        );
        let status = |id: &str| f.iter().find(|x| x.resource.id == id).map(|x| x.status);
        assert_eq!(status("readers:oops"), Some(Status::Fail));
        assert_eq!(status("readers:read"), Some(Status::Pass));
        assert_eq!(status("ops:all"), Some(Status::Fail));
        let oops = f
            .iter()
            .find(|x| x.resource.id == "readers:oops")
            .expect("group inline");
        assert_eq!(oops.resource.kind, "AwsIamGroup");
        assert!(
            oops.message.contains("root-like (through group readers)"),
            "{}",
            oops.message
        );
    }

    fn managed(name: &str, doc: Value) -> ManagedPolicy {
        customer_policy(name, doc)
    }

    fn attached(name: &str) -> Vec<AttachedPolicy> {
        vec![attachment(&format!("arn:aws:iam::{ACCOUNT}:policy/{name}"))]
    }

    #[test]
    fn boundaries_and_other_denies_decide_per_holder() {
        let all = json!({"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}});
        let mut inv = inventory(vec![]);
        inv.iam.authorization_details = Collected::Ok(AuthorizationDetails {
            users: vec![
                User {
                    attached_managed_policies: attached("everything"),
                    permissions_boundary: Some("arn:aws:iam::123456789012:policy/s3-only".into()),
                    ..user("bounded", &[], None)
                },
                User {
                    attached_managed_policies: attached("everything"),
                    ..user(
                        "guarded",
                        &[],
                        Some(
                            json!({"Statement": {"Effect": "Deny", "Action": "iam:*", "Resource": "*"}}),
                        ),
                    )
                },
                User {
                    attached_managed_policies: attached("only-bounded"),
                    permissions_boundary: Some("arn:aws:iam::123456789012:policy/s3-only".into()),
                    ..user("alone", &[], None)
                },
                User {
                    attached_managed_policies: attached("liftable"),
                    permissions_boundary: Some("arn:aws:iam::123456789012:policy/leaky".into()),
                    ..user("lifter", &[], None)
                },
                User {
                    attached_managed_policies: attached("mystery"),
                    permissions_boundary: Some(
                        "arn:aws:iam::123456789012:policy/not-listed".into(),
                    ),
                    ..user("unknowable", &[], None)
                },
            ],
            policies: vec![
                managed("everything", all.clone()),
                managed("only-bounded", all.clone()),
                managed("liftable", all.clone()),
                managed("mystery", all.clone()),
                managed(
                    "s3-only",
                    json!({"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}}),
                ),
                managed(
                    "leaky",
                    json!({"Statement": {"Effect": "Allow", "Action": ["s3:*", "iam:DeleteUserPermissionsBoundary"], "Resource": "*"}}),
                ),
            ],
            ..Default::default()
        });
        let f = admin_privileges(&inv);
        let by = |id: &str| {
            f.iter()
                .find(|x| x.resource.id == id)
                .unwrap_or_else(|| panic!("{id}: {f:?}"))
        };
        let everything = by("everything");
        assert_eq!(everything.status, Status::Pass, "{}", everything.message);
        assert!(
            everything.message.contains("s3-only limits it"),
            "{}",
            everything.message
        );
        assert!(
            everything.message.contains("CIS 1.15"),
            "{}",
            everything.message
        );
        assert_eq!(
            everything.evidence["permissions_boundaries"]["bounded"],
            "arn:aws:iam::123456789012:policy/s3-only"
        );
        assert_eq!(everything.evidence["policy_alone_is_admin"], true);
        assert_eq!(by("only-bounded").status, Status::Pass);
        let lifter = by("liftable");
        assert_eq!(
            lifter.status,
            Status::Fail,
            "a boundary its holder can remove does not hold"
        );
        assert!(
            lifter.message.contains("lifter (directly)"),
            "{}",
            lifter.message
        );
        assert_eq!(
            by("mystery").status,
            Status::Error,
            "an unreadable boundary leaves the verdict unknown"
        );
    }

    #[test]
    fn documents_held_as_text_are_read_and_unreadable_ones_are_errors() {
        let mut inv = inventory(vec![]);
        let encoded = "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22%2A%22%2C%22Resource%22%3A%22%2A%22%7D%5D%7D";
        inv.iam.authorization_details = Collected::Ok(AuthorizationDetails {
            users: vec![
                User {
                    attached_managed_policies: attached("encoded"),
                    ..user("a", &[], None)
                },
                User {
                    attached_managed_policies: attached("json-text"),
                    ..user("b", &[], Some(Value::String("{not json".into())))
                },
                User {
                    attached_managed_policies: attached("empty-text"),
                    ..user("c", &[], Some(json!({"Version": "2012-10-17"})))
                },
            ],
            policies: vec![
                managed("encoded", Value::String(encoded.into())),
                managed(
                    "json-text",
                    Value::String(
                        r#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#.into(),
                    ),
                ),
                managed("empty-text", Value::String(String::new())),
            ],
            ..Default::default()
        });
        let f = admin_privileges(&inv);
        let status = |id: &str| f.iter().find(|x| x.resource.id == id).map(|x| x.status);
        assert_eq!(status("encoded"), Some(Status::Fail));
        assert_eq!(status("json-text"), Some(Status::Fail));
        assert_eq!(
            status("empty-text"),
            Some(Status::Error),
            "never \"no statements\""
        );
        assert_eq!(status("b:own"), Some(Status::Error));
        assert_eq!(
            status("c:own"),
            Some(Status::Error),
            "a document without statements is unreadable"
        );
    }
}
