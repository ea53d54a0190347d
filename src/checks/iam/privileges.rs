//! Administrative privilege: policies that allow every action on every resource, and who
//! holds them.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};

use crate::checks::{Finding, Resource};
use crate::inventory::iam::AuthorizationDetails;
use crate::inventory::policy::{Effect, Statement, statements, wildcard_match};
use crate::inventory::{GLOBAL_REGION, Inventory};

/// Actions across services, sensitive ones among them, plus one no service has yet. A
/// policy grants full administrative access when, Deny statements applied, it allows every
/// one of them on every resource: `*` and `*:*` do, `iam:*` or `NotAction: iam:*` do not,
/// and a `NotAction` that excludes only made-up actions does.
const PROBE_ACTIONS: &[&str] = &[
    "iam:CreateAccessKey",
    "iam:PutRolePolicy",
    "sts:AssumeRole",
    "s3:GetObject",
    "s3:DeleteBucket",
    "ec2:RunInstances",
    "kms:Decrypt",
    "lambda:UpdateFunctionCode",
    "rds:DeleteDBInstance",
    "organizations:LeaveOrganization",
    "account:CloseAccount",
    "postura:AnyActionAddedTomorrow",
];
/// A resource no policy names explicitly: only `*`-like patterns (or a NotResource that
/// leaves it out) cover it.
const PROBE_RESOURCE: &str = "arn:aws:postura:eu-west-1:000000000000:anything/at-all";

fn covers_action(s: &Statement, action: &str) -> bool {
    match &s.not_actions {
        Some(excluded) => !excluded.iter().any(|p| wildcard_match(p, action)),
        None => s.actions.iter().any(|p| wildcard_match(p, action)),
    }
}

fn covers_every_resource(s: &Statement) -> bool {
    match &s.not_resources {
        Some(excluded) => !excluded.iter().any(|p| wildcard_match(p, PROBE_RESOURCE)),
        None => s
            .resources
            .iter()
            .any(|p| wildcard_match(p, PROBE_RESOURCE)),
    }
}

/// Whether a policy document allows every action on every resource. Conditions on Allow
/// statements are ignored (the grant still exists when they hold). A Deny cancels the grant
/// only when it is unconditional and takes away IAM itself: a holder who keeps `iam:*` can
/// lift any other Deny (a guardrail on `organizations:LeaveOrganization`, say) by editing
/// their own policies, so such a policy still grants full administration.
pub fn grants_full_admin(doc: &Value) -> bool {
    let sts = statements(doc);
    let allowed = |action: &str| {
        sts.iter().any(|s| {
            s.effect == Effect::Allow && covers_action(s, action) && covers_every_resource(s)
        })
    };
    let denied = |action: &str| {
        sts.iter().any(|s| {
            s.effect == Effect::Deny
                && s.condition.is_none()
                && covers_action(s, action)
                && covers_every_resource(s)
        })
    };
    PROBE_ACTIONS.iter().all(|a| allowed(a))
        && !PROBE_ACTIONS
            .iter()
            .filter(|a| a.starts_with("iam:"))
            .any(|a| denied(a))
}

/// Who holds a policy: principals it is attached to, and users who get it through groups.
#[derive(Default)]
struct Holders {
    users: BTreeSet<String>,
    groups: BTreeSet<String>,
    roles: BTreeSet<String>,
    users_through_groups: BTreeSet<String>,
}

impl Holders {
    fn add_group(&mut self, details: &AuthorizationDetails, group: &str) {
        self.groups.insert(group.to_string());
        for u in details
            .users
            .iter()
            .filter(|u| u.groups.iter().any(|g| g == group))
        {
            self.users_through_groups
                .insert(format!("{} (through group {group})", u.name));
        }
    }

    fn describe(&self) -> String {
        let mut parts = Vec::new();
        let users: Vec<String> = self
            .users
            .iter()
            .map(|u| format!("{u} (directly)"))
            .chain(self.users_through_groups.iter().cloned())
            .collect();
        if !users.is_empty() {
            parts.push(format!("users {}", users.join(", ")));
        }
        if !self.roles.is_empty() {
            parts.push(format!(
                "roles {}",
                self.roles.iter().cloned().collect::<Vec<_>>().join(", ")
            ));
        }
        if users.is_empty() && self.roles.is_empty() && !self.groups.is_empty() {
            parts.push(format!(
                "groups {} (no members yet)",
                self.groups.iter().cloned().collect::<Vec<_>>().join(", ")
            ));
        }
        parts.join("; ")
    }

    fn evidence(&self) -> Value {
        json!({
            "users": self.users,
            "groups": self.groups,
            "roles": self.roles,
            "users_through_groups": self.users_through_groups,
        })
    }
}

/// `admin-privileges`: every attached policy (AWS managed, customer managed, inline on a
/// user, group or role) is judged; one that allows `*` on `*` fails and names its holders.
pub fn admin_privileges(inv: &Inventory) -> Vec<Finding> {
    const ID: &str = "admin-privileges";
    let details = match inv.iam.authorization_details.get() {
        Ok(d) => d,
        Err(gap) => return vec![Finding::gap(ID, Resource::account(inv), gap)],
    };
    let mut findings = Vec::new();

    // Managed policies, judged once each with every holder. The attachments of users,
    // groups and roles say which policies are held; each must be in the policy list, or
    // it cannot be judged.
    let mut held: BTreeMap<&str, Holders> = BTreeMap::new();
    for u in &details.users {
        for p in &u.attached_managed_policies {
            held.entry(&p.arn).or_default().users.insert(u.name.clone());
        }
    }
    for g in &details.groups {
        for p in &g.attached_managed_policies {
            held.entry(&p.arn).or_default().add_group(details, &g.name);
        }
    }
    for r in &details.roles {
        for p in &r.attached_managed_policies {
            held.entry(&p.arn).or_default().roles.insert(r.name.clone());
        }
    }
    for (arn, holders) in &held {
        let policy = details.policies.iter().find(|p| p.arn == *arn);
        let name = policy
            .map(|p| p.name.clone())
            .unwrap_or_else(|| arn.rsplit('/').next().unwrap_or(arn).to_string());
        let resource = Resource {
            arn: arn.to_string(),
            id: name.clone(),
            kind: "AwsIamPolicy".into(),
            region: GLOBAL_REGION.into(),
        };
        let aws_managed = arn.contains(":iam::aws:policy/");
        let by_name = aws_managed && arn.ends_with(":policy/AdministratorAccess");
        let kind = if aws_managed {
            "AWS managed"
        } else {
            "customer managed"
        };
        let admin = match policy.and_then(|p| p.document.as_ref()) {
            Some(doc) => grants_full_admin(doc) || by_name,
            None if by_name => true,
            None => {
                findings.push(Finding::error(
                    ID,
                    resource,
                    format!(
                        "not evaluated: the document of {kind} policy {name}, attached to {}, was not collected or is unreadable.",
                        holders.describe()
                    ),
                ));
                continue;
            }
        };
        findings.push(judge(
            ID,
            resource,
            &format!("{kind} policy {name}"),
            admin,
            holders,
        ));
    }

    // Inline policies, judged where they are embedded.
    let mut inline = |kind: &str,
                      name: &str,
                      arn: &str,
                      holders: Holders,
                      policies: &[crate::inventory::iam::InlinePolicy]| {
        for p in policies {
            let resource = Resource {
                arn: arn.to_string(),
                id: format!("{name}:{}", p.name),
                kind: kind.to_string(),
                region: GLOBAL_REGION.into(),
            };
            let what = format!("inline policy {} of {name}", p.name);
            match &p.document {
                Some(doc) => {
                    findings.push(judge(ID, resource, &what, grants_full_admin(doc), &holders))
                }
                None => findings.push(Finding::error(
                    ID,
                    resource,
                    format!("not evaluated: {what} has no readable document."),
                )),
            }
        }
    };
    for u in &details.users {
        let mut h = Holders::default();
        h.users.insert(u.name.clone());
        inline("AwsIamUser", &u.name, &u.arn, h, &u.inline_policies);
    }
    for g in &details.groups {
        let mut h = Holders::default();
        h.add_group(details, &g.name);
        inline("AwsIamGroup", &g.name, &g.arn, h, &g.inline_policies);
    }
    for r in &details.roles {
        let mut h = Holders::default();
        h.roles.insert(r.name.clone());
        inline("AwsIamRole", &r.name, &r.arn, h, &r.inline_policies);
    }
    findings
}

fn judge(id: &str, resource: Resource, what: &str, admin: bool, holders: &Holders) -> Finding {
    let f = if admin {
        Finding::fail(
            id,
            resource,
            format!(
                "{what} allows every action on every resource, held by {}. Keep full admin to one break-glass role; give people and CI only what they use.",
                holders.describe()
            ),
        )
    } else {
        Finding::pass(
            id,
            resource,
            format!("{what} does not allow every action on every resource."),
        )
    };
    f.with("holders", holders.evidence())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Status;
    use crate::checks::iam::fixtures::*;
    use crate::inventory::Collected;
    use crate::inventory::iam::*;
    use crate::inventory::policy::decode_document;

    #[test]
    fn full_admin_forms() {
        let admin = [
            json!({"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}),
            json!({"Statement": [{"Effect": "Allow", "Action": ["*:*"], "Resource": ["*"]}]}),
            json!({"Statement": [{"Effect": "Allow", "NotAction": "made:Up", "Resource": "*"}]}),
            json!({"Statement": [{"Effect": "Allow", "Action": "*", "NotResource": "arn:aws:s3:::one-bucket"}]}),
            // A conditional Deny may not apply: the grant stands.
            json!({"Statement": [
                {"Effect": "Allow", "Action": "*", "Resource": "*"},
                {"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "false"}}}
            ]}),
            // A guardrail the holder can remove with the IAM power they keep.
            json!({"Statement": [
                {"Effect": "Allow", "Action": "*", "Resource": "*"},
                {"Effect": "Deny", "Action": ["organizations:LeaveOrganization", "account:CloseAccount"], "Resource": "*"}
            ]}),
        ];
        for doc in &admin {
            assert!(grants_full_admin(doc), "{doc}");
        }
        let not_admin = [
            json!({"Statement": {"Effect": "Allow", "Action": "iam:*", "Resource": "*"}}),
            json!({"Statement": {"Effect": "Allow", "Action": "*", "Resource": "arn:aws:s3:::bucket/*"}}),
            json!({"Statement": {"Effect": "Allow", "NotAction": ["iam:*", "organizations:*", "account:*"], "Resource": "*"}}),
            json!({"Statement": [
                {"Effect": "Allow", "Action": "*", "Resource": "*"},
                {"Effect": "Deny", "Action": "*", "Resource": "*"}
            ]}),
            json!({"Statement": [
                {"Effect": "Allow", "Action": "*", "Resource": "*"},
                {"Effect": "Deny", "Action": "iam:*", "Resource": "*"}
            ]}),
            json!({"Statement": {"Effect": "Deny", "Action": "*", "Resource": "*"}}),
            json!({"Statement": {"Effect": "Allow", "Action": ["s3:*", "lambda:*"], "Resource": "*"}}),
        ];
        for doc in &not_admin {
            assert!(!grants_full_admin(doc), "{doc}");
        }
        let encoded = "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22%2A%22%2C%22Resource%22%3A%22%2A%22%7D%5D%7D";
        assert!(decode_document(encoded).is_some_and(|d| grants_full_admin(&d)));
    }

    fn user(name: &str, groups: &[&str], inline: Option<Value>) -> User {
        User {
            name: name.into(),
            arn: format!("arn:aws:iam::123456789012:user/{name}"),
            id: format!("AIDA{name}"),
            groups: groups.iter().map(|g| g.to_string()).collect(),
            attached_managed_policies: vec![],
            inline_policies: inline
                .map(|d| {
                    vec![InlinePolicy {
                        name: "own".into(),
                        document: Some(d),
                    }]
                })
                .unwrap_or_default(),
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
                },
                ManagedPolicy {
                    name: "Unused".into(),
                    arn: "arn:aws:iam::123456789012:policy/Unused".into(),
                    id: "ANPA2".into(),
                    attachment_count: 0,
                    document: Some(
                        json!({"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}),
                    ),
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
}
