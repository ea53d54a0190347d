//! What each principal holds: every policy document of the account read once (through
//! the shared policy reader), and for each user and role the policies it holds directly
//! or through its groups, and its permissions boundary.

use std::collections::BTreeMap;

use crate::inventory::Inventory;
use crate::inventory::iam::{AttachedPolicy, AuthorizationDetails, InlinePolicy, ManagedPolicy};
use crate::policy::eval::{Access, Held, Scope};
use crate::policy::pattern::Vars;
use crate::policy::{Document, Kind};

/// A document as read: the document, or why it could not be read.
pub type Read = Result<Document, String>;

fn read(doc: Option<&serde_json::Value>, what: &str) -> Read {
    match doc {
        None => Err(format!("the document of {what} was not collected")),
        Some(v) => Document::parse(v, Kind::Identity)
            .map_err(|e| format!("the document of {what} cannot be read: {e}")),
    }
}

/// One policy a principal holds, by name.
#[derive(Debug)]
pub struct Holding<'c> {
    /// `customer managed policy deploy`, `inline policy own of user carlos`, ...
    pub label: String,
    /// The managed policy's ARN, for managed policies.
    pub arn: Option<&'c str>,
    pub doc: &'c Read,
}

/// Every policy of the account, read once.
pub struct Catalog<'a> {
    pub details: &'a AuthorizationDetails,
    pub scope: Scope<'a>,
    managed: BTreeMap<&'a str, (Option<&'a ManagedPolicy>, Read)>,
    versions: BTreeMap<(&'a str, &'a str), Read>,
    inline: BTreeMap<(&'static str, &'a str, &'a str), Read>,
    users: std::collections::HashMap<&'a str, usize>,
    roles: std::collections::HashMap<&'a str, usize>,
    groups: std::collections::HashMap<&'a str, usize>,
}

fn managed_label(arn: &str, policy: Option<&ManagedPolicy>) -> String {
    let name = policy
        .map(|p| p.name.as_str())
        .unwrap_or_else(|| arn.rsplit('/').next().unwrap_or(arn));
    if arn.contains(":iam::aws:policy/") {
        format!("AWS managed policy {name}")
    } else {
        format!("customer managed policy {name}")
    }
}

impl<'a> Catalog<'a> {
    pub fn new(inv: &'a Inventory, details: &'a AuthorizationDetails) -> Self {
        let mut managed = BTreeMap::new();
        let mut versions = BTreeMap::new();
        for p in &details.policies {
            let label = managed_label(&p.arn, Some(p));
            let mut doc = read(p.document.as_ref(), &label);
            // AWS's own AdministratorAccess is "*" on "*" whatever a listing returned.
            if doc.is_err() && is_aws_administrator(&p.arn) {
                doc = Ok(administrator_access());
            }
            managed.insert(p.arn.as_str(), (Some(p), doc));
            for v in &p.other_versions {
                versions.insert(
                    (p.arn.as_str(), v.version_id.as_str()),
                    read(
                        v.document.as_ref(),
                        &format!("version {} of {label}", v.version_id),
                    ),
                );
            }
        }
        let mut inline = BTreeMap::new();
        let mut add = |kind: &'static str, owner: &'a str, list: &'a [InlinePolicy]| {
            for p in list {
                let label = format!("inline policy {} of {kind} {owner}", p.name);
                inline.insert(
                    (kind, owner, p.name.as_str()),
                    read(p.document.as_ref(), &label),
                );
            }
        };
        for u in &details.users {
            add("user", &u.name, &u.inline_policies);
        }
        for g in &details.groups {
            add("group", &g.name, &g.inline_policies);
        }
        for r in &details.roles {
            add("role", &r.name, &r.inline_policies);
        }
        Catalog {
            details,
            scope: Scope {
                partition: &inv.account.partition,
                account: &inv.account.id,
            },
            managed,
            versions,
            inline,
            users: details
                .users
                .iter()
                .enumerate()
                .map(|(i, u)| (u.name.as_str(), i))
                .collect(),
            roles: details
                .roles
                .iter()
                .enumerate()
                .map(|(i, r)| (r.name.as_str(), i))
                .collect(),
            groups: details
                .groups
                .iter()
                .enumerate()
                .map(|(i, g)| (g.name.as_str(), i))
                .collect(),
        }
    }

    /// A managed policy's document; one that is held but not listed reads as an error.
    pub fn managed(&self, arn: &str) -> (String, Result<&Document, String>) {
        match self.managed.get(arn) {
            Some((p, doc)) => (managed_label(arn, *p), doc.as_ref().map_err(Clone::clone)),
            None if is_aws_administrator(arn) => {
                (managed_label(arn, None), Ok(&ADMINISTRATOR_ACCESS))
            }
            None => {
                let label = managed_label(arn, None);
                let why = format!("{label} is held but was not in the policy list");
                (label, Err(why))
            }
        }
    }

    /// The managed policy itself, if listed.
    pub fn managed_policy(&self, arn: &str) -> Option<&'a ManagedPolicy> {
        self.managed.get(arn).and_then(|(p, _)| *p)
    }

    /// The other versions of a managed policy, read.
    pub fn other_versions(&self, arn: &str) -> impl Iterator<Item = (&str, &Read)> {
        self.versions
            .iter()
            .filter(move |((a, _), _)| *a == arn)
            .map(|((_, v), doc)| (*v, doc))
    }

    fn inline(&self, kind: &'static str, owner: &'a str, name: &'a str) -> &Read {
        self.inline.get(&(kind, owner, name)).unwrap_or(&MISSING)
    }

    fn push_managed<'s>(
        &'s self,
        list: &'a [AttachedPolicy],
        via: &str,
        out: &mut Vec<Holding<'s>>,
    ) {
        for p in list {
            let doc = match self.managed.get(p.arn.as_str()) {
                Some((_, d)) => d,
                None if is_aws_administrator(&p.arn) => &ADMIN_READ,
                None => &UNLISTED,
            };
            out.push(Holding {
                label: format!(
                    "{}{via}",
                    managed_label(&p.arn, self.managed_policy(&p.arn))
                ),
                arn: Some(p.arn.as_str()),
                doc,
            });
        }
    }

    fn push_inline<'s>(
        &'s self,
        kind: &'static str,
        owner: &'a str,
        list: &'a [InlinePolicy],
        via: &str,
        out: &mut Vec<Holding<'s>>,
    ) {
        for p in list {
            out.push(Holding {
                label: format!("inline policy {} of {kind} {owner}{via}", p.name),
                arn: None,
                doc: self.inline(kind, owner, &p.name),
            });
        }
    }

    /// Everything a user holds: its own policies and those of its groups.
    pub fn user(&self, name: &str) -> Option<Principal<'_>> {
        let u = self.details.users.get(*self.users.get(name)?)?;
        let mut held = Vec::new();
        self.push_managed(&u.attached_managed_policies, "", &mut held);
        self.push_inline("user", &u.name, &u.inline_policies, "", &mut held);
        for g in self
            .details
            .groups
            .iter()
            .filter(|g| u.groups.contains(&g.name))
        {
            let via = format!(" (through group {})", g.name);
            self.push_managed(&g.attached_managed_policies, &via, &mut held);
            self.push_inline("group", &g.name, &g.inline_policies, &via, &mut held);
        }
        Some(Principal {
            kind: PrincipalKind::User,
            name: &u.name,
            arn: &u.arn,
            groups: u.groups.iter().map(String::as_str).collect(),
            held,
            boundary: u.permissions_boundary.as_deref().map(|b| self.boundary(b)),
            vars: vec![
                ("aws:username", u.name.as_str()),
                ("aws:userid", u.id.as_str()),
            ],
        })
    }

    /// Everything a role holds.
    pub fn role(&self, name: &str) -> Option<Principal<'_>> {
        let r = self.details.roles.get(*self.roles.get(name)?)?;
        let mut held = Vec::new();
        self.push_managed(&r.attached_managed_policies, "", &mut held);
        self.push_inline("role", &r.name, &r.inline_policies, "", &mut held);
        Some(Principal {
            kind: PrincipalKind::Role,
            name: &r.name,
            arn: &r.arn,
            groups: Vec::new(),
            held,
            boundary: r.permissions_boundary.as_deref().map(|b| self.boundary(b)),
            vars: Vec::new(),
        })
    }

    /// What a group's policies give a member with no boundary and no other policy.
    pub fn group(&self, name: &str) -> Option<Principal<'_>> {
        let g = self.details.groups.get(*self.groups.get(name)?)?;
        let mut held = Vec::new();
        self.push_managed(&g.attached_managed_policies, "", &mut held);
        self.push_inline("group", &g.name, &g.inline_policies, "", &mut held);
        Some(Principal {
            kind: PrincipalKind::Group,
            name: &g.name,
            arn: &g.arn,
            groups: Vec::new(),
            held,
            boundary: None,
            vars: Vec::new(),
        })
    }

    fn boundary(&self, arn: &str) -> BoundaryRef<'_> {
        let doc = match self.managed.get(arn) {
            Some((_, d)) => d,
            None if is_aws_administrator(arn) => &ADMIN_READ,
            None => &UNLISTED,
        };
        BoundaryRef {
            label: managed_label(arn, self.managed_policy(arn)),
            arn: arn.to_string(),
            doc,
        }
    }
}

static MISSING: Read = Err(String::new());
static UNLISTED: Read = Err(String::new());
static ADMINISTRATOR_ACCESS: std::sync::LazyLock<Document> =
    std::sync::LazyLock::new(administrator_access);
static ADMIN_READ: std::sync::LazyLock<Read> =
    std::sync::LazyLock::new(|| Ok(administrator_access()));

fn administrator_access() -> Document {
    Document::parse(
        &serde_json::json!({"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}),
        Kind::Identity,
    )
    .unwrap_or(Document {
        statements: Vec::new(),
    })
}

/// The document of AWS's AdministratorAccess: every action on every resource.
pub fn administrator_document() -> &'static Document {
    &ADMINISTRATOR_ACCESS
}

/// `arn:<partition>:iam::aws:policy/AdministratorAccess`.
pub fn is_aws_administrator(arn: &str) -> bool {
    arn.ends_with(":iam::aws:policy/AdministratorAccess") && arn.starts_with("arn:")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrincipalKind {
    User,
    Role,
    Group,
}

impl PrincipalKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PrincipalKind::User => "user",
            PrincipalKind::Role => "role",
            PrincipalKind::Group => "group",
        }
    }
}

#[derive(Debug)]
pub struct BoundaryRef<'c> {
    pub label: String,
    pub arn: String,
    pub doc: &'c Read,
}

/// A user, role or group with everything it holds.
#[derive(Debug)]
pub struct Principal<'c> {
    pub kind: PrincipalKind,
    pub name: &'c str,
    pub arn: &'c str,
    pub groups: Vec<&'c str>,
    pub held: Vec<Holding<'c>>,
    pub boundary: Option<BoundaryRef<'c>>,
    pub vars: Vec<(&'c str, &'c str)>,
}

impl<'c> Principal<'c> {
    /// The documents that could be read.
    pub fn documents(&self) -> Vec<&'c Document> {
        self.held
            .iter()
            .filter_map(|h| h.doc.as_ref().ok())
            .collect()
    }

    /// Why some of what it holds cannot be read, if so.
    pub fn unreadable(&self) -> Vec<String> {
        self.held
            .iter()
            .filter_map(|h| h.doc.as_ref().err().map(|e| reason(&h.label, e)))
            .collect()
    }

    /// The boundary's document, `Ok(None)` without one, or why it cannot be read.
    pub fn boundary_doc(&self) -> Result<Option<Held<'_>>, String> {
        match &self.boundary {
            None => Ok(None),
            Some(b) => match b.doc {
                Ok(doc) => Ok(Some(Held {
                    name: &b.label,
                    arn: Some(&b.arn),
                    doc,
                })),
                Err(e) => Err(reason(&format!("its permissions boundary {}", b.label), e)),
            },
        }
    }

    /// Requests this principal may make, for single-request questions.
    pub fn access<'s>(&'s self, vars: &'s [(&'s str, &'s str)]) -> Result<Access<'s>, String>
    where
        'c: 's,
    {
        Ok(Access {
            policies: self
                .held
                .iter()
                .filter_map(|h| {
                    h.doc.as_ref().ok().map(|doc| Held {
                        name: &h.label,
                        arn: h.arn,
                        doc,
                    })
                })
                .collect(),
            boundary: match &self.boundary {
                None => None,
                Some(b) => match b.doc {
                    Ok(doc) => Some(Held {
                        name: &b.label,
                        arn: Some(&b.arn),
                        doc,
                    }),
                    Err(e) => {
                        return Err(reason(&format!("its permissions boundary {}", b.label), e));
                    }
                },
            },
            vars: Vars { bindings: vars },
        })
    }
}

fn reason(label: &str, e: &str) -> String {
    if e.is_empty() {
        format!("{label} is held but its document was not collected")
    } else {
        e.to_string()
    }
}
