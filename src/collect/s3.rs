//! S3 collector: the account's Block Public Access (S3 Control), then every bucket, each
//! read in its own region.
//!
//! Calls per bucket are as few as the API allows:
//! - ListBuckets (one for the account) names each bucket's region; only where it does not
//!   (older endpoints, emulators) does GetBucketLocation ask;
//! - GetBucketPolicy, GetPublicAccessBlock, GetBucketEncryption, GetBucketVersioning and
//!   GetBucketOwnershipControls, concurrently;
//! - GetBucketAcl only when ACLs are enabled (with `BucketOwnerEnforced` they grant
//!   nothing);
//! - GetBucketPolicyStatus only when there is a policy (S3's own verdict, as evidence).

use std::collections::BTreeMap;

use aws_sdk_s3::Client;
use aws_sdk_s3::error::ProvideErrorMetadata;

use super::{Ctx, call, call_optional, fanout};
use crate::inventory::s3::*;
use crate::inventory::{Collected, Gap};
use crate::policy::document::normalise;

const SERVICE: &str = "S3";
const CONTROL: &str = "S3 Control";

/// Where the bucket checks' data comes from: the account, and the scan's regions.
pub struct Scope<'a> {
    /// The region of global calls (ListBuckets, S3 Control).
    pub home: &'a str,
    pub account: &'a str,
    pub partition: &'a str,
    pub regions: &'a [String],
}

pub async fn collect(ctx: &Ctx, scope: &Scope<'_>) -> S3Inventory {
    let home = ctx.s3(scope.home);
    let (account_block, listed) =
        fanout::both(account_block(ctx, scope), list(ctx, &home, scope.home)).await;
    let listed = match listed {
        Ok(l) => l,
        Err(gap) => {
            return S3Inventory {
                account_public_access_block: account_block.into(),
                buckets: Collected::Gap(gap),
                outside_scan: Vec::new(),
            };
        }
    };
    // Each bucket's region, asked only where the listing did not say.
    let placed = fanout::each(listed, |(name, region)| {
        let home = &home;
        async move {
            let region = match region {
                Some(r) => Ok(r),
                None => location(ctx, home, scope.home, &name).await,
            };
            (name, region)
        }
    })
    .await;
    let mut outside_scan = Vec::new();
    let mut in_scope = Vec::new();
    for (name, region) in placed {
        match region {
            Ok(r) if !scope.regions.contains(&r) => {
                outside_scan.push(BucketPlace { name, region: r })
            }
            other => in_scope.push((name, other)),
        }
    }
    let clients: BTreeMap<&str, Client> = scope
        .regions
        .iter()
        .map(|r| (r.as_str(), ctx.s3(r)))
        .collect();
    let buckets = fanout::each(in_scope, |(name, region)| {
        let arn = format!("arn:{}:s3:::{name}", scope.partition);
        let client = region.as_ref().ok().and_then(|r| clients.get(r.as_str()));
        async move {
            match (region, client) {
                (Ok(region), Some(client)) => bucket(ctx, client, name, arn, region).await,
                (Ok(region), None) => unplaced(name, arn, unscanned(&region)),
                (Err(gap), _) => unplaced(name, arn, gap),
            }
        }
    })
    .await;
    S3Inventory {
        account_public_access_block: account_block.into(),
        buckets: Collected::Ok(buckets),
        outside_scan,
    }
}

/// S3 Control GetPublicAccessBlock for the account; "none set" is `None`.
async fn account_block(ctx: &Ctx, scope: &Scope<'_>) -> Result<Option<PublicAccessBlock>, Gap> {
    let control = ctx.s3control(scope.home);
    call_optional(
        ctx,
        CONTROL,
        scope.home,
        "GetPublicAccessBlock",
        control
            .get_public_access_block()
            .account_id(scope.account)
            .send(),
        |e| e.is_no_such_public_access_block_configuration(),
    )
    .await
    .map_err(|mut gap| {
        if let Some(url) = ctx.endpoint_url().filter(|u| ip_literal_host(u)) {
            gap.message.push_str(&format!(
                " (S3 Control asks for <account>.<host>, which an IP address cannot carry: name the endpoint `localhost` instead of {url})"
            ));
        }
        gap
    })
    .map(|o| {
        o.and_then(|o| {
            o.public_access_block_configuration()
                .map(|c| PublicAccessBlock {
                    block_public_acls: c.block_public_acls().unwrap_or(false),
                    ignore_public_acls: c.ignore_public_acls().unwrap_or(false),
                    block_public_policy: c.block_public_policy().unwrap_or(false),
                    restrict_public_buckets: c.restrict_public_buckets().unwrap_or(false),
                })
        })
    })
}

/// Every bucket of the account, with its region where ListBuckets names it.
async fn list(ctx: &Ctx, s3: &Client, region: &str) -> Result<Vec<(String, Option<String>)>, Gap> {
    let buckets = call(
        ctx,
        SERVICE,
        region,
        "ListBuckets",
        s3.list_buckets()
            .max_buckets(10_000)
            .into_paginator()
            .items()
            .send()
            .try_collect(),
    )
    .await?;
    Ok(buckets
        .iter()
        .filter_map(|b| {
            let name = b.name()?.to_string();
            let region = b
                .bucket_region()
                .filter(|r| !r.is_empty())
                .map(str::to_string);
            Some((name, region))
        })
        .collect())
}

/// GetBucketLocation, read as S3 documents it: no constraint is us-east-1, `EU` is
/// eu-west-1.
async fn location(ctx: &Ctx, s3: &Client, region: &str, name: &str) -> Result<String, Gap> {
    let out = call(
        ctx,
        SERVICE,
        region,
        "GetBucketLocation",
        s3.get_bucket_location().bucket(name).send(),
    )
    .await?;
    Ok(region_of_constraint(
        out.location_constraint()
            .map(|c| c.as_str())
            .unwrap_or_default(),
    ))
}

/// Whether the URL's host is an IP address (`http://127.0.0.1:5000`, `http://[::1]:5000`).
fn ip_literal_host(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split('/').next().unwrap_or_default();
    if authority.starts_with('[') {
        return true;
    }
    let host = authority.rsplit_once(':').map_or(authority, |(h, _)| h);
    host.parse::<std::net::IpAddr>().is_ok()
}

pub fn region_of_constraint(constraint: &str) -> String {
    match constraint {
        "" => "us-east-1".into(),
        "EU" => "eu-west-1".into(),
        other => other.into(),
    }
}

/// A bucket none of whose settings could be read, each standing as `gap`.
fn unplaced(name: String, arn: String, gap: Gap) -> Bucket {
    Bucket {
        name,
        arn,
        region: Collected::Gap(gap.clone()),
        policy: Collected::Gap(gap.clone()),
        policy_status: None,
        acl: Some(Collected::Gap(gap.clone())),
        public_access_block: Collected::Gap(gap.clone()),
        encryption: Collected::Gap(gap.clone()),
        versioning: Collected::Gap(gap.clone()),
        object_ownership: Collected::Gap(gap),
    }
}

/// Cannot happen (buckets outside the scanned regions are set aside first); a gap rather
/// than a panic if it ever does.
fn unscanned(region: &str) -> Gap {
    Gap {
        service: SERVICE.into(),
        region: region.into(),
        operation: "collect".into(),
        error_code: "InternalError".into(),
        message: "no S3 client for this bucket's region (a bug in postura; please report it)"
            .into(),
    }
}

fn code_is(e: &impl ProvideErrorMetadata, code: &str) -> bool {
    e.code() == Some(code)
}

async fn bucket(ctx: &Ctx, s3: &Client, name: String, arn: String, region: String) -> Bucket {
    let r = region.as_str();
    let n = name.as_str();
    let policy = async {
        let policy = call_optional(
            ctx,
            SERVICE,
            r,
            "GetBucketPolicy",
            s3.get_bucket_policy().bucket(n).send(),
            |e| code_is(e, "NoSuchBucketPolicy"),
        )
        .await
        .map(|o| o.and_then(|o| o.policy().map(normalise)));
        let status = match &policy {
            Ok(Some(_)) => Some(
                call(
                    ctx,
                    SERVICE,
                    r,
                    "GetBucketPolicyStatus",
                    s3.get_bucket_policy_status().bucket(n).send(),
                )
                .await
                .map(|o| {
                    o.policy_status()
                        .and_then(|s| s.is_public())
                        .unwrap_or(false)
                })
                .into(),
            ),
            _ => None,
        };
        (policy, status)
    };
    let block = call_optional(
        ctx,
        SERVICE,
        r,
        "GetPublicAccessBlock",
        s3.get_public_access_block().bucket(n).send(),
        |e| code_is(e, "NoSuchPublicAccessBlockConfiguration"),
    );
    let encryption = call_optional(
        ctx,
        SERVICE,
        r,
        "GetBucketEncryption",
        s3.get_bucket_encryption().bucket(n).send(),
        |e| code_is(e, "ServerSideEncryptionConfigurationNotFoundError"),
    );
    let versioning = call(
        ctx,
        SERVICE,
        r,
        "GetBucketVersioning",
        s3.get_bucket_versioning().bucket(n).send(),
    );
    let ownership_and_acl = async {
        let ownership = call_optional(
            ctx,
            SERVICE,
            r,
            "GetBucketOwnershipControls",
            s3.get_bucket_ownership_controls().bucket(n).send(),
            |e| code_is(e, "OwnershipControlsNotFoundError"),
        )
        .await
        .map(|o| {
            o.and_then(|o| {
                o.ownership_controls()
                    .and_then(|c| c.rules().first())
                    .map(|rule| rule.object_ownership().as_str().to_string())
            })
        });
        let acl = if matches!(&ownership, Ok(Some(o)) if o == "BucketOwnerEnforced") {
            None
        } else {
            Some(
                call(
                    ctx,
                    SERVICE,
                    r,
                    "GetBucketAcl",
                    s3.get_bucket_acl().bucket(n).send(),
                )
                .await
                .map(|o| Acl {
                    owner_id: o
                        .owner()
                        .and_then(|o| o.id())
                        .unwrap_or_default()
                        .to_string(),
                    grants: o
                        .grants()
                        .iter()
                        .filter_map(|g| {
                            let who = g.grantee()?;
                            Some(Grant {
                                grantee_type: who.r#type().as_str().to_string(),
                                grantee: who
                                    .uri()
                                    .or(who.id())
                                    .or(who.email_address())
                                    .unwrap_or_default()
                                    .to_string(),
                                permission: g.permission()?.as_str().to_string(),
                            })
                        })
                        .collect(),
                })
                .into(),
            )
        };
        (ownership, acl)
    };
    let ((policy, policy_status), block, encryption, versioning, (ownership, acl)) =
        fanout::join!(policy, block, encryption, versioning, ownership_and_acl);
    Bucket {
        public_access_block: block
            .map(|o| {
                o.and_then(|o| {
                    o.public_access_block_configuration()
                        .map(|c| PublicAccessBlock {
                            block_public_acls: c.block_public_acls().unwrap_or(false),
                            ignore_public_acls: c.ignore_public_acls().unwrap_or(false),
                            block_public_policy: c.block_public_policy().unwrap_or(false),
                            restrict_public_buckets: c.restrict_public_buckets().unwrap_or(false),
                        })
                })
            })
            .into(),
        encryption: encryption
            .map(|o| {
                o.and_then(|o| {
                    o.server_side_encryption_configuration().map(|c| {
                        c.rules()
                            .iter()
                            .filter_map(|rule| {
                                let d = rule.apply_server_side_encryption_by_default()?;
                                Some(EncryptionRule {
                                    algorithm: d.sse_algorithm().as_str().to_string(),
                                    kms_key_id: d.kms_master_key_id().map(str::to_string),
                                    bucket_key_enabled: rule.bucket_key_enabled().unwrap_or(false),
                                })
                            })
                            .collect()
                    })
                })
            })
            .into(),
        versioning: versioning
            .map(|o| Versioning {
                status: o.status().map(|s| s.as_str().to_string()),
                mfa_delete: o.mfa_delete().map(|s| s.as_str().to_string()),
            })
            .into(),
        object_ownership: ownership.into(),
        policy: policy.into(),
        policy_status,
        acl,
        region: Collected::Ok(region),
        name,
        arn,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ip_literal_endpoints_are_told_apart() {
        assert!(ip_literal_host("http://127.0.0.1:5000"));
        assert!(ip_literal_host("http://[::1]:5000/"));
        assert!(!ip_literal_host("http://localhost:5000"));
        assert!(!ip_literal_host(
            "https://s3-control.eu-west-1.amazonaws.com"
        ));
    }

    #[test]
    fn location_constraints_read_as_regions() {
        assert_eq!(region_of_constraint(""), "us-east-1");
        assert_eq!(region_of_constraint("EU"), "eu-west-1");
        assert_eq!(region_of_constraint("ap-southeast-2"), "ap-southeast-2");
    }
}
