//! S3 checks: the account's Block Public Access, and each bucket's public access,
//! transport, encryption, versioning and ACL settings.

pub mod public;
pub mod settings;

#[cfg(test)]
pub mod fixtures;

use crate::checks::{Finding, Resource};
use crate::inventory::s3::{Bucket, PublicAccessBlock, S3Inventory};
use crate::inventory::{GLOBAL_REGION, Gap, Inventory};

pub fn resource(b: &Bucket) -> Resource {
    Resource {
        arn: b.arn.clone(),
        id: b.name.clone(),
        kind: "AwsS3Bucket".into(),
        region: b.region.get().cloned().unwrap_or_else(|_| "unknown".into()),
    }
}

/// Stands for every bucket when they could not be listed.
fn all_buckets(inv: &Inventory) -> Resource {
    Resource {
        arn: format!("arn:{}:s3:::*", inv.account.partition),
        id: "S3 buckets".into(),
        kind: "AwsS3Bucket".into(),
        region: GLOBAL_REGION.into(),
    }
}

/// The S3 section, or one ERROR for the account's buckets in `out`.
pub fn section<'a>(inv: &'a Inventory, out: &mut Vec<Finding>) -> Option<&'a S3Inventory> {
    match inv.s3.get() {
        Ok(s3) => Some(s3),
        Err(gap) => {
            out.push(Finding::gap(all_buckets(inv), gap));
            None
        }
    }
}

/// Every bucket in a scanned region, or one ERROR in `out` when they could not be listed.
pub fn buckets<'a>(inv: &'a Inventory, out: &mut Vec<Finding>) -> &'a [Bucket] {
    let Some(s3) = section(inv, out) else {
        return &[];
    };
    match s3.buckets.get() {
        Ok(b) => b,
        Err(gap) => {
            out.push(Finding::gap(all_buckets(inv), gap));
            &[]
        }
    }
}

/// One Block Public Access setting as it applies to a bucket: the most restrictive of the
/// account's and the bucket's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Setting {
    /// On, at these levels (`account`, `bucket`, or both).
    On(Vec<&'static str>),
    Off,
    /// Off for the bucket, and the account's setting could not be read (or the other way
    /// round).
    Unknown(Gap),
}

impl Setting {
    pub fn is_on(&self) -> bool {
        matches!(self, Setting::On(_))
    }

    pub fn describe(&self) -> String {
        match self {
            Setting::On(levels) => format!("on ({} level)", levels.join(" and ")),
            Setting::Off => "off".into(),
            Setting::Unknown(_) => "unknown".into(),
        }
    }
}

/// The four settings as they apply to `b`, in the order of
/// [`PublicAccessBlock::settings`].
pub fn effective(s3: &S3Inventory, b: &Bucket) -> [(&'static str, Setting); 4] {
    let account = s3.account_public_access_block.get();
    let bucket = b.public_access_block.get();
    fn levels<'g>(
        level: Result<&Option<PublicAccessBlock>, &'g Gap>,
    ) -> Result<[(&'static str, bool); 4], &'g Gap> {
        level.map(|o| o.unwrap_or_default().settings())
    }
    let (a, k) = (levels(account), levels(bucket));
    std::array::from_fn(|i| {
        let name = PublicAccessBlock::ALL.settings()[i].0;
        let on_at = |l: &Result<[(&str, bool); 4], &Gap>| l.as_ref().ok().map(|s| s[i].1);
        let mut on = Vec::new();
        if on_at(&a) == Some(true) {
            on.push("account");
        }
        if on_at(&k) == Some(true) {
            on.push("bucket");
        }
        let setting = if !on.is_empty() {
            Setting::On(on)
        } else {
            match (&a, &k) {
                (Err(g), _) | (_, Err(g)) => Setting::Unknown((*g).clone()),
                _ => Setting::Off,
            }
        };
        (name, setting)
    })
}

/// The bucket as messages name it: `name (region)`.
pub fn named(b: &Bucket) -> String {
    match b.region.get() {
        Ok(r) => format!("bucket {} ({r})", b.name),
        Err(_) => format!("bucket {}", b.name),
    }
}
