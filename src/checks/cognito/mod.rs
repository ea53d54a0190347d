//! Cognito user pools, the API's front door: sign-in settings per pool, app clients, and
//! the IAM roles the pools' groups carry.

pub mod clients;
pub mod groups;
pub mod pools;

#[cfg(test)]
pub mod fixtures;

use crate::checks::{Finding, Resource};
use crate::inventory::Inventory;
use crate::inventory::cognito::{AppClient, UserPool};

/// The pool's ARN as collected, or built from the account when DescribeUserPool failed.
pub fn pool_arn(inv: &Inventory, region: &str, p: &UserPool) -> String {
    if p.arn.is_empty() {
        format!(
            "arn:{}:cognito-idp:{region}:{}:userpool/{}",
            inv.account.partition, inv.account.id, p.id
        )
    } else {
        p.arn.clone()
    }
}

pub fn pool_resource(inv: &Inventory, region: &str, p: &UserPool) -> Resource {
    Resource {
        arn: pool_arn(inv, region, p),
        id: p.id.clone(),
        kind: "AwsCognitoUserPool".into(),
        region: region.into(),
    }
}

pub fn client_resource(inv: &Inventory, region: &str, p: &UserPool, c: &AppClient) -> Resource {
    Resource {
        arn: format!("{}/client/{}", pool_arn(inv, region, p), c.id),
        id: c.id.clone(),
        kind: "AwsCognitoUserPoolClient".into(),
        region: region.into(),
    }
}

/// `user pool NAME (ID)`.
pub fn named(p: &UserPool) -> String {
    format!("user pool {} ({})", p.name, p.id)
}

/// Every user pool of every scanned region, with its region; one ERROR in `out` per region
/// whose pools could not be listed.
pub fn pools<'a>(inv: &'a Inventory, out: &mut Vec<Finding>) -> Vec<(&'a str, &'a UserPool)> {
    crate::checks::regional::collected(
        inv,
        out,
        |region| {
            Resource::all_in_region(
                inv,
                region,
                "cognito-idp",
                "userpool/*",
                "AwsCognitoUserPool",
                "user pools",
            )
        },
        |r| r.cognito.get(),
    )
    .into_iter()
    .flat_map(|(region, _, c)| c.user_pools.iter().map(move |p| (region, p)))
    .collect()
}
