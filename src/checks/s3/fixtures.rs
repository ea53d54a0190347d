//! Inventories of buckets for the S3 checks' tests.

use serde_json::Value;

use crate::inventory::s3::*;
use crate::inventory::{Collected, Gap, Inventory};

pub const OWNER: &str = "owner-canonical-id";

/// A bucket in eu-west-1 set up as AWS advises: no policy, ACLs disabled, all Block
/// Public Access settings on, SSE-KMS, versioning on.
pub fn bucket(name: &str) -> Bucket {
    Bucket {
        name: name.into(),
        arn: format!("arn:aws:s3:::{name}"),
        region: Collected::Ok("eu-west-1".into()),
        policy: Collected::Ok(None),
        policy_status: None,
        acl: None,
        public_access_block: Collected::Ok(Some(PublicAccessBlock::ALL)),
        encryption: Collected::Ok(Some(vec![EncryptionRule {
            algorithm: "aws:kms".into(),
            kms_key_id: Some("arn:aws:kms:eu-west-1:123456789012:key/k".into()),
            bucket_key_enabled: true,
        }])),
        versioning: Collected::Ok(Versioning {
            status: Some("Enabled".into()),
            mfa_delete: None,
        }),
        object_ownership: Collected::Ok(Some("BucketOwnerEnforced".into())),
    }
}

/// ACLs enabled, with these grants besides the owner's.
pub fn with_acl(mut b: Bucket, grants: &[(&str, &str)]) -> Bucket {
    b.object_ownership = Collected::Ok(Some("ObjectWriter".into()));
    let mut all = vec![Grant {
        grantee_type: "CanonicalUser".into(),
        grantee: OWNER.into(),
        permission: "FULL_CONTROL".into(),
    }];
    all.extend(grants.iter().map(|(who, perm)| Grant {
        grantee_type: "Group".into(),
        grantee: format!("http://acs.amazonaws.com/groups/global/{who}"),
        permission: perm.to_string(),
    }));
    b.acl = Some(Collected::Ok(Acl {
        owner_id: OWNER.into(),
        grants: all,
    }));
    b
}

pub fn with_policy(mut b: Bucket, policy: Value) -> Bucket {
    b.policy = Collected::Ok(Some(policy));
    b
}

/// No Block Public Access on the bucket.
pub fn unblocked(mut b: Bucket) -> Bucket {
    b.public_access_block = Collected::Ok(None);
    b
}

pub fn gap(operation: &str) -> Gap {
    Gap {
        service: "S3".into(),
        region: "eu-west-1".into(),
        operation: operation.into(),
        error_code: "AccessDenied".into(),
        message: "denied".into(),
    }
}

/// An account whose own Block Public Access is `account`, holding `buckets`.
pub fn inventory(account: Collected<Option<PublicAccessBlock>>, buckets: Vec<Bucket>) -> Inventory {
    let mut inv = crate::checks::iam::fixtures::inventory(vec![]);
    inv.s3 = Collected::Ok(S3Inventory {
        account_public_access_block: account,
        buckets: Collected::Ok(buckets),
        outside_scan: Vec::new(),
    });
    inv
}

/// An account with no Block Public Access of its own.
pub fn open_account(buckets: Vec<Bucket>) -> Inventory {
    inventory(Collected::Ok(None), buckets)
}
