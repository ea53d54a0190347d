//! S3: the account's Block Public Access, and every bucket in a scanned region with what
//! the bucket checks judge.
//!
//! Buckets are listed once for the account (`ListBuckets` is global) and each is read in
//! its own region, so S3 sits beside IAM in the global part of the inventory, each bucket
//! carrying its region.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::Collected;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct S3Inventory {
    /// The account-level Block Public Access (S3 Control); `None` when none is set, which
    /// is the same as all four settings off.
    pub account_public_access_block: Collected<Option<PublicAccessBlock>>,
    /// The buckets in the scanned regions (and those whose region could not be read).
    pub buckets: Collected<Vec<Bucket>>,
    /// The account's buckets in regions the scan did not cover, not read further.
    #[serde(default)]
    pub outside_scan: Vec<BucketPlace>,
}

/// A bucket and its region.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BucketPlace {
    pub name: String,
    pub region: String,
}

/// The four Block Public Access settings (of the account, or of one bucket).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PublicAccessBlock {
    /// Refuses new public ACLs (changes nothing already granted).
    pub block_public_acls: bool,
    /// Makes S3 ignore every public ACL grant, existing ones included.
    pub ignore_public_acls: bool,
    /// Refuses a new public bucket policy (changes nothing already in place).
    pub block_public_policy: bool,
    /// Limits a public bucket policy to AWS service principals and the owner's account.
    pub restrict_public_buckets: bool,
}

impl PublicAccessBlock {
    pub const ALL: PublicAccessBlock = PublicAccessBlock {
        block_public_acls: true,
        ignore_public_acls: true,
        block_public_policy: true,
        restrict_public_buckets: true,
    };

    /// Each setting with its API name.
    pub fn settings(&self) -> [(&'static str, bool); 4] {
        [
            ("BlockPublicAcls", self.block_public_acls),
            ("IgnorePublicAcls", self.ignore_public_acls),
            ("BlockPublicPolicy", self.block_public_policy),
            ("RestrictPublicBuckets", self.restrict_public_buckets),
        ]
    }

    /// The names of the settings that are off.
    pub fn off(&self) -> Vec<&'static str> {
        self.settings()
            .into_iter()
            .filter(|(_, on)| !on)
            .map(|(n, _)| n)
            .collect()
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bucket {
    pub name: String,
    pub arn: String,
    /// Where the bucket lives; a gap when neither ListBuckets nor GetBucketLocation said,
    /// and then nothing else of the bucket was read.
    pub region: Collected<String>,
    /// The bucket policy as JSON (or its text, when it is not JSON); `None`: no policy.
    pub policy: Collected<Option<Value>>,
    /// S3's own verdict on the policy (GetBucketPolicyStatus `IsPublic`), kept as
    /// evidence; `None` when the bucket has no policy (or it was not asked).
    #[serde(default)]
    pub policy_status: Option<Collected<bool>>,
    /// The bucket ACL; `None` when ACLs are disabled (object ownership
    /// `BucketOwnerEnforced`) and so were not read: they grant nothing then.
    pub acl: Option<Collected<Acl>>,
    /// The bucket's own Block Public Access; `None`: none set (all four off).
    pub public_access_block: Collected<Option<PublicAccessBlock>>,
    /// Default encryption rules; `None`: no default encryption configured.
    pub encryption: Collected<Option<Vec<EncryptionRule>>>,
    pub versioning: Collected<Versioning>,
    /// Object ownership (`BucketOwnerEnforced`, `BucketOwnerPreferred`, `ObjectWriter`);
    /// `None`: no ownership controls set, which S3 treats as `ObjectWriter`.
    pub object_ownership: Collected<Option<String>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Acl {
    /// The owner's canonical user id.
    pub owner_id: String,
    pub grants: Vec<Grant>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grant {
    /// `CanonicalUser`, `Group` or `AmazonCustomerByEmail`.
    pub grantee_type: String,
    /// The canonical user id, group URI or e-mail address.
    pub grantee: String,
    /// `READ`, `WRITE`, `READ_ACP`, `WRITE_ACP` or `FULL_CONTROL`.
    pub permission: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EncryptionRule {
    /// `AES256` (SSE-S3), `aws:kms` (SSE-KMS) or `aws:kms:dsse` (DSSE-KMS).
    pub algorithm: String,
    pub kms_key_id: Option<String>,
    pub bucket_key_enabled: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Versioning {
    /// `Enabled` or `Suspended`; `None`: versioning was never turned on.
    pub status: Option<String>,
    /// `Enabled` or `Disabled`; `None` when never configured.
    pub mfa_delete: Option<String>,
}
