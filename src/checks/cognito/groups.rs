//! `cognito-group-admin-role`: the IAM role each user pool group carries, judged with the
//! identity checks' policy evaluation. A member of the group can obtain that role's
//! credentials (through an identity pool, or an API that trusts the group's role claim).

use serde_json::json;

use super::{named, pool_arn, pool_resource, pools};
use crate::checks::iam::escalation::combined;
use crate::checks::iam::holdings::Catalog;
use crate::checks::iam::privileges::why_not;
use crate::checks::{Finding, Resource};
use crate::inventory::Inventory;

pub fn cognito_group_admin_role(inv: &Inventory) -> Vec<Finding> {
    let mut out = Vec::new();
    let details = inv.iam.authorization_details.get();
    let cat = details.ok().map(|d| Catalog::new(inv, d));
    for (region, p) in pools(inv, &mut out) {
        let groups = match p.groups.get() {
            Ok(g) => g,
            Err(gap) => {
                out.push(Finding::gap(pool_resource(inv, region, p), gap));
                continue;
            }
        };
        let listing: Vec<_> = groups
            .iter()
            .map(|g| json!({"group": g.name, "role": g.role_arn, "precedence": g.precedence}))
            .collect();
        for g in groups {
            let res = Resource {
                arn: format!("{}/group/{}", pool_arn(inv, region, p), g.name),
                id: format!("{}/{}", p.id, g.name),
                kind: "AwsCognitoUserPoolGroup".into(),
                region: region.into(),
            };
            let who = format!("group {} of {}", g.name, named(p));
            let f = match (&g.role_arn, &cat, details) {
                (None, _, _) => Finding::pass(res, format!("{who} carries no IAM role")),
                (Some(_), _, Err(gap)) => Finding::gap(res, gap),
                (Some(arn), Some(cat), Ok(d)) => {
                    let account = arn.split(':').nth(4).unwrap_or_default();
                    match d.roles.iter().find(|r| &r.arn == arn) {
                        None if account != inv.account.id => Finding::error(
                            res,
                            format!(
                                "{who} carries role {arn} of account {account}, outside this scan, so its rights are not evaluated"
                            ),
                        ),
                        None => Finding::pass(
                            res,
                            format!(
                                "{who} names role {arn}, which does not exist in the account: it grants nothing"
                            ),
                        ),
                        Some(role) => match cat.role(&role.name) {
                            None => Finding::error(
                                res,
                                format!("{who} carries role {arn}, which could not be looked up"),
                            ),
                            Some(principal) => match combined(cat, &principal) {
                                Err(why) => Finding::error(
                                    res,
                                    format!(
                                        "{who} carries role {}: not evaluated, {why}",
                                        role.name
                                    ),
                                ),
                                Ok(v) if v.is_admin() => Finding::fail(
                                    res,
                                    format!(
                                        "{who} carries role {}, which holds administrator rights: every member of the group can get them",
                                        role.name
                                    ),
                                ),
                                Ok(v) => {
                                    let unreadable = principal.unreadable();
                                    if unreadable.is_empty() {
                                        Finding::pass(
                                            res,
                                            format!(
                                                "{who} carries role {}, which is not an administrator: {}",
                                                role.name,
                                                why_not(&v)
                                            ),
                                        )
                                    } else {
                                        Finding::error(
                                            res,
                                            format!(
                                                "{who} carries role {}: not evaluated, {}",
                                                role.name,
                                                unreadable.join("; ")
                                            ),
                                        )
                                    }
                                }
                            },
                        },
                    }
                }
                (Some(_), None, Ok(_)) => unreachable_catalog(res),
            };
            out.push(
                f.with(
                    "role_arn",
                    g.role_arn
                        .clone()
                        .map_or(serde_json::Value::Null, serde_json::Value::from),
                )
                .with("pool_groups", listing.clone()),
            );
        }
    }
    out
}

/// The catalogue exists whenever the authorization details do; an ERROR rather than a
/// panic if that ever changes.
fn unreachable_catalog(res: Resource) -> Finding {
    Finding::error(
        res,
        "not evaluated: the account's IAM details were not indexed (a bug in postura; please report it)",
    )
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::checks::Status;
    use crate::checks::cognito::fixtures::*;
    use crate::checks::iam::fixtures::iam_role;
    use crate::inventory::Collected;
    use crate::inventory::cognito::PoolGroup;

    fn group(name: &str, role: Option<&str>) -> PoolGroup {
        PoolGroup {
            name: name.into(),
            role_arn: role.map(str::to_string),
            precedence: Some(1),
        }
    }

    #[test]
    fn a_group_whose_role_is_admin_fails_and_others_pass() {
        let mut p = pool("api");
        p.groups = Collected::Ok(vec![
            group(
                "Lend2B",
                Some("arn:aws:iam::123456789012:role/lend2b-admin"),
            ),
            group("Client", Some("arn:aws:iam::123456789012:role/client")),
            group("Provider", None),
            group("Lender", Some("arn:aws:iam::123456789012:role/gone")),
            group("Anchor", Some("arn:aws:iam::999999999999:role/partner")),
        ]);
        let mut inv = inventory(vec![p]);
        if let Collected::Ok(d) = &mut inv.iam.authorization_details {
            let trust = json!({"Version": "2012-10-17", "Statement": []});
            d.roles.push(
                iam_role("lend2b-admin", trust.clone())
                    .with_attached("arn:aws:iam::aws:policy/AdministratorAccess"),
            );
            d.roles.push(iam_role("client", trust).with_inline(
                "read",
                json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": "*"}]}),
            ));
        }
        let f = cognito_group_admin_role(&inv);
        let status = |id: &str| {
            f.iter()
                .find(|f| f.resource.id == format!("eu-west-1_api/{id}"))
                .map(|f| f.status)
        };
        assert_eq!(status("Lend2B"), Some(Status::Fail), "{f:#?}");
        assert_eq!(status("Client"), Some(Status::Pass));
        assert_eq!(status("Provider"), Some(Status::Pass));
        assert_eq!(status("Lender"), Some(Status::Pass));
        assert_eq!(status("Anchor"), Some(Status::Error));
        let admin = f
            .iter()
            .find(|f| f.status == Status::Fail)
            .expect("a failure");
        assert!(
            admin.message.contains("administrator rights"),
            "{}",
            admin.message
        );
        assert_eq!(
            admin.evidence["pool_groups"].as_array().map(Vec::len),
            Some(5)
        );
    }

    #[test]
    fn unreadable_groups_or_iam_are_errors() {
        let mut p = pool("api");
        p.groups = Collected::Gap(gap("ListGroups"));
        let f = cognito_group_admin_role(&inventory(vec![p]));
        assert_eq!(f[0].status, Status::Error);
        let mut p = pool("api");
        p.groups = Collected::Ok(vec![group(
            "Lend2B",
            Some("arn:aws:iam::123456789012:role/x"),
        )]);
        let mut inv = inventory(vec![p]);
        inv.iam.authorization_details = Collected::Gap(gap("GetAccountAuthorizationDetails"));
        let f = cognito_group_admin_role(&inv);
        assert_eq!(f[0].status, Status::Error);
    }
}
