//! All of the scan's concurrency, in one place.
//!
//! Every (service, region) collector is a task of one [`JoinSet`]; within a collector,
//! per-resource calls fan out with [`each`]; and one semaphore in [`Ctx`] caps the
//! requests in flight across the whole scan (`--max-requests`). Nothing else in `collect`
//! spawns, joins or loops over regions.

use std::collections::{BTreeMap, HashMap};
use std::future::Future;
use std::sync::Arc;

use tokio::task::JoinSet;

use super::{Ctx, ec2, iam, rds};
use crate::inventory::iam::IamInventory;
use crate::inventory::{Collected, Gap, RegionInventory};

/// A regional service postura collects. Adding one: a variant here, a line in
/// [`REGIONAL`], its arm in [`Job::run`] and [`Part::store`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    Ec2,
    Rds,
}

/// Every regional service, collected in every scanned region.
pub const REGIONAL: &[Service] = &[Service::Ec2, Service::Rds];

impl Service {
    /// The service's name as the SDK reports it (and gaps and call counts show it).
    pub fn sdk_name(self) -> &'static str {
        match self {
            Service::Ec2 => "EC2",
            Service::Rds => "RDS",
        }
    }
}

#[derive(Debug, Clone)]
enum Job {
    Iam,
    Regional(Service, String),
}

/// What one job brings back.
enum Part {
    Iam(Box<IamInventory>),
    Ec2(String, Box<crate::inventory::ec2::Ec2Inventory>),
    Rds(String, Box<crate::inventory::rds::RdsInventory>),
}

impl Job {
    async fn run(self, ctx: Arc<Ctx>) -> Part {
        match self {
            Job::Iam => Part::Iam(Box::new(iam::collect(&ctx).await)),
            Job::Regional(Service::Ec2, region) => {
                let inv = ec2::collect(&ctx, &region).await;
                Part::Ec2(region, Box::new(inv))
            }
            Job::Regional(Service::Rds, region) => {
                let inv = rds::collect(&ctx, &region).await;
                Part::Rds(region, Box::new(inv))
            }
        }
    }

    /// The gap a job leaves when its task fails (a bug: postura's panic hook has already
    /// said so on standard error).
    fn crashed(&self) -> Gap {
        let (service, region) = match self {
            Job::Iam => ("IAM", crate::inventory::GLOBAL_REGION.to_string()),
            Job::Regional(s, r) => (s.sdk_name(), r.clone()),
        };
        Gap {
            service: service.into(),
            region,
            operation: "collect".into(),
            error_code: "InternalError".into(),
            message: "postura's collector stopped on an internal error (a bug in postura; please report it)".into(),
        }
    }
}

impl Part {
    fn store(
        self,
        iam: &mut Option<IamInventory>,
        regional: &mut BTreeMap<String, RegionInventory>,
    ) {
        match self {
            Part::Iam(inv) => *iam = Some(*inv),
            Part::Ec2(region, inv) => {
                entry(regional, &region).ec2 = Collected::Ok(*inv);
            }
            Part::Rds(region, inv) => {
                entry(regional, &region).rds = Collected::Ok(*inv);
            }
        }
    }
}

fn entry<'a>(
    regional: &'a mut BTreeMap<String, RegionInventory>,
    region: &str,
) -> &'a mut RegionInventory {
    regional
        .entry(region.to_string())
        .or_insert_with(|| RegionInventory::missing(region))
}

/// Runs the global collectors once and every regional one in every region, concurrently.
pub async fn collect_all(
    ctx: Arc<Ctx>,
    regions: &[String],
) -> (IamInventory, BTreeMap<String, RegionInventory>) {
    let mut jobs = vec![Job::Iam];
    for region in regions {
        for service in REGIONAL {
            jobs.push(Job::Regional(*service, region.clone()));
        }
    }
    let mut set = JoinSet::new();
    let mut pending = HashMap::new();
    for job in jobs {
        let handle = set.spawn(job.clone().run(ctx.clone()));
        pending.insert(handle.id(), job);
    }
    let mut iam = None;
    let mut regional = BTreeMap::new();
    for region in regions {
        entry(&mut regional, region);
    }
    while let Some(done) = set.join_next_with_id().await {
        match done {
            Ok((id, part)) => {
                pending.remove(&id);
                part.store(&mut iam, &mut regional);
            }
            Err(e) => {
                if let Some(job) = pending.remove(&e.id()) {
                    let gap = job.crashed();
                    match job {
                        Job::Iam => iam = Some(IamInventory::unavailable(gap)),
                        Job::Regional(Service::Ec2, region) => {
                            entry(&mut regional, &region).ec2 = Collected::Gap(gap);
                        }
                        Job::Regional(Service::Rds, region) => {
                            entry(&mut regional, &region).rds = Collected::Gap(gap);
                        }
                    }
                }
            }
        }
    }
    let iam = iam.unwrap_or_else(|| IamInventory::unavailable(Job::Iam.crashed()));
    (iam, regional)
}

/// Runs two calls concurrently (each waits for its own slot).
pub async fn both<A, B>(a: impl Future<Output = A>, b: impl Future<Output = B>) -> (A, B) {
    futures_util::future::join(a, b).await
}

/// Runs `f` on every item concurrently (each call still waits for a slot under the
/// scan's bound), keeping the items' order.
pub async fn each<I, T, F, Fut>(items: I, f: F) -> Vec<T>
where
    I: IntoIterator,
    F: FnMut(I::Item) -> Fut,
    Fut: Future<Output = T>,
{
    futures_util::future::join_all(items.into_iter().map(f)).await
}
