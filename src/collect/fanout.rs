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

use super::{Ctx, cloudtrail, cognito, detection, ec2, iam, rds, s3, securityhub};
use crate::inventory::cloudtrail::CloudTrailInventory;
use crate::inventory::iam::IamInventory;
use crate::inventory::s3::S3Inventory;
use crate::inventory::{Account, Collected, Gap, RegionInventory};

/// A regional service postura collects. Adding one: a variant here, a line in
/// [`REGIONAL`], and its arms in [`Service::collect`] and [`Service::store_gap`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    Ec2,
    Rds,
    Cognito,
    SecurityHub,
    GuardDuty,
    Config,
    AccessAnalyzer,
}

/// Every regional service, collected in every scanned region.
pub const REGIONAL: &[Service] = &[
    Service::Ec2,
    Service::Rds,
    Service::Cognito,
    Service::SecurityHub,
    Service::GuardDuty,
    Service::Config,
    Service::AccessAnalyzer,
];

impl Service {
    /// The service's name as the SDK reports it (and gaps and call counts show it); the
    /// collectors name their gaps with it too.
    pub const fn sdk_name(self) -> &'static str {
        match self {
            Service::Ec2 => "EC2",
            Service::Rds => "RDS",
            Service::Cognito => "Cognito Identity Provider",
            Service::SecurityHub => "SecurityHub",
            Service::GuardDuty => "GuardDuty",
            Service::Config => "Config Service",
            Service::AccessAnalyzer => "AccessAnalyzer",
        }
    }
}

#[derive(Debug, Clone)]
enum Job {
    Iam,
    /// S3 is listed once for the account; each bucket is then read in its own region.
    S3(Box<S3Job>),
    /// Trails are listed once, in the home region; each is read in its own.
    CloudTrail(String),
    Regional(Service, String),
}

#[derive(Debug, Clone)]
struct S3Job {
    home: String,
    account: String,
    partition: String,
    regions: Vec<String>,
}

/// What one job brings back. A regional job brings back how to store its part in the
/// region's inventory.
enum Part {
    Iam(Box<IamInventory>),
    S3(Box<S3Inventory>),
    CloudTrail(Result<CloudTrailInventory, Gap>),
    Regional(String, Store),
}

/// How a regional part is stored.
type Store = Box<dyn FnOnce(&mut RegionInventory) + Send>;

impl Service {
    /// Collects this service in `region`, and says where its part goes.
    async fn collect(self, ctx: &Ctx, region: &str) -> Store {
        match self {
            Service::Ec2 => {
                let inv = ec2::collect(ctx, region).await;
                Box::new(move |r| r.ec2 = Collected::Ok(inv))
            }
            Service::Rds => {
                let inv = rds::collect(ctx, region).await;
                Box::new(move |r| r.rds = Collected::Ok(inv))
            }
            Service::Cognito => {
                let inv = cognito::collect(ctx, region).await;
                Box::new(move |r| r.cognito = inv.into())
            }
            Service::SecurityHub => {
                let inv = securityhub::collect(ctx, region).await;
                Box::new(move |r| r.securityhub = inv.into())
            }
            Service::GuardDuty => {
                let inv = detection::guardduty(ctx, region).await;
                Box::new(move |r| r.guardduty = inv.into())
            }
            Service::Config => {
                let inv = detection::config(ctx, region).await;
                Box::new(move |r| r.config = inv.into())
            }
            Service::AccessAnalyzer => {
                let inv = detection::access_analyzer(ctx, region).await;
                Box::new(move |r| r.access_analyzer = inv.into())
            }
        }
    }

    /// Records that this service could not be collected in a region.
    fn store_gap(self, r: &mut RegionInventory, gap: Gap) {
        match self {
            Service::Ec2 => r.ec2 = Collected::Gap(gap),
            Service::Rds => r.rds = Collected::Gap(gap),
            Service::Cognito => r.cognito = Collected::Gap(gap),
            Service::SecurityHub => r.securityhub = Collected::Gap(gap),
            Service::GuardDuty => r.guardduty = Collected::Gap(gap),
            Service::Config => r.config = Collected::Gap(gap),
            Service::AccessAnalyzer => r.access_analyzer = Collected::Gap(gap),
        }
    }
}

impl Job {
    async fn run(self, ctx: Arc<Ctx>) -> Part {
        match self {
            Job::Iam => Part::Iam(Box::new(iam::collect(&ctx).await)),
            Job::S3(job) => {
                let scope = s3::Scope {
                    home: &job.home,
                    account: &job.account,
                    partition: &job.partition,
                    regions: &job.regions,
                };
                Part::S3(Box::new(s3::collect(&ctx, &scope).await))
            }
            Job::CloudTrail(home) => Part::CloudTrail(cloudtrail::collect(&ctx, &home).await),
            Job::Regional(service, region) => {
                let store = service.collect(&ctx, &region).await;
                Part::Regional(region, store)
            }
        }
    }

    /// What a person watching the scan calls this job: `IAM`, `EC2 eu-west-1`.
    fn label(&self) -> String {
        match self {
            Job::Iam => "IAM".into(),
            Job::S3(_) => "S3".into(),
            Job::CloudTrail(_) => "CloudTrail".into(),
            Job::Regional(s, r) => format!("{} {r}", s.sdk_name()),
        }
    }

    /// The gap a job leaves when its task fails (a bug: postura's panic hook has already
    /// said so on standard error).
    fn crashed(&self) -> Gap {
        let (service, region) = match self {
            Job::Iam => ("IAM", crate::inventory::GLOBAL_REGION.to_string()),
            Job::S3(_) => ("S3", crate::inventory::GLOBAL_REGION.to_string()),
            Job::CloudTrail(_) => ("CloudTrail", crate::inventory::GLOBAL_REGION.to_string()),
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
        s3: &mut Option<Collected<S3Inventory>>,
        trails: &mut Option<Collected<CloudTrailInventory>>,
        regional: &mut BTreeMap<String, RegionInventory>,
    ) {
        match self {
            Part::Iam(inv) => *iam = Some(*inv),
            Part::S3(inv) => *s3 = Some(Collected::Ok(*inv)),
            Part::CloudTrail(inv) => *trails = Some(inv.into()),
            Part::Regional(region, store) => store(entry(regional, &region)),
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

/// What [`collect_all`] brings back: the global part (IAM, S3) and the regional one.
type Collected3 = (
    IamInventory,
    Collected<S3Inventory>,
    Collected<CloudTrailInventory>,
    BTreeMap<String, RegionInventory>,
);

/// Told as the scan goes, for a progress display; collection never depends on it.
pub trait Progress: Sync {
    /// The scan has `jobs` (service, region) collectors to run.
    fn started(&self, jobs: usize);
    /// One collector finished: `IAM`, `S3`, `EC2 eu-west-1`...
    fn finished(&self, job: &str);
}

/// No progress display.
pub struct Quiet;

impl Progress for Quiet {
    fn started(&self, _: usize) {}
    fn finished(&self, _: &str) {}
}

/// Runs the global collectors once and every regional one in every region, concurrently.
pub async fn collect_all(
    ctx: Arc<Ctx>,
    home: &str,
    account: &Account,
    regions: &[String],
    progress: &dyn Progress,
) -> Collected3 {
    let mut jobs = vec![
        Job::Iam,
        Job::S3(Box::new(S3Job {
            home: home.to_string(),
            account: account.id.clone(),
            partition: account.partition.clone(),
            regions: regions.to_vec(),
        })),
        Job::CloudTrail(home.to_string()),
    ];
    for region in regions {
        for service in REGIONAL {
            jobs.push(Job::Regional(*service, region.clone()));
        }
    }
    progress.started(jobs.len());
    let mut set = JoinSet::new();
    let mut pending = HashMap::new();
    for job in jobs {
        let handle = set.spawn(job.clone().run(ctx.clone()));
        pending.insert(handle.id(), job);
    }
    let mut iam = None;
    let mut s3 = None;
    let mut trails = None;
    let mut regional = BTreeMap::new();
    for region in regions {
        entry(&mut regional, region);
    }
    while let Some(done) = set.join_next_with_id().await {
        match done {
            Ok((id, part)) => {
                if let Some(job) = pending.remove(&id) {
                    progress.finished(&job.label());
                }
                part.store(&mut iam, &mut s3, &mut trails, &mut regional);
            }
            Err(e) => {
                if let Some(job) = pending.remove(&e.id()) {
                    progress.finished(&job.label());
                    let gap = job.crashed();
                    match job {
                        Job::Iam => iam = Some(IamInventory::unavailable(gap)),
                        Job::S3(_) => s3 = Some(Collected::Gap(gap)),
                        Job::CloudTrail(_) => trails = Some(Collected::Gap(gap)),
                        Job::Regional(service, region) => {
                            service.store_gap(entry(&mut regional, &region), gap);
                        }
                    }
                }
            }
        }
    }
    let iam = iam.unwrap_or_else(|| IamInventory::unavailable(Job::Iam.crashed()));
    let s3 = s3.unwrap_or_else(|| {
        Collected::Gap(Gap {
            service: "S3".into(),
            ..Job::Iam.crashed()
        })
    });
    let trails = trails.unwrap_or_else(|| {
        Collected::Gap(Gap {
            service: "CloudTrail".into(),
            ..Job::Iam.crashed()
        })
    });
    (iam, s3, trails, regional)
}

/// Runs several calls concurrently, each waiting for its own slot: `join!(a, b, c)`.
pub use tokio::join;

/// Runs two calls concurrently (each waits for its own slot).
pub async fn both<A, B>(a: impl Future<Output = A>, b: impl Future<Output = B>) -> (A, B) {
    futures_util::future::join(a, b).await
}

/// How many items [`each`] has under way at once. Requests are capped by the scan's
/// bound anyway; this keeps a thousand buckets from holding a thousand half-built
/// requests in memory while they wait for a slot, and is wide enough to keep every slot
/// busy.
const WINDOW: usize = 64;

/// Runs `f` on every item concurrently, at most [`WINDOW`] at a time (each call still waits
/// for a slot under the scan's bound), keeping the items' order.
pub async fn each<I, T, F, Fut>(items: I, f: F) -> Vec<T>
where
    I: IntoIterator,
    F: FnMut(I::Item) -> Fut,
    Fut: Future<Output = T>,
{
    use futures_util::stream::{self, StreamExt};
    // Made up front (a future does nothing until polled), then polled WINDOW at a time.
    let futures: Vec<Fut> = items.into_iter().map(f).collect();
    stream::iter(futures).buffered(WINDOW).collect().await
}
