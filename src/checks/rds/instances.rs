//! One finding per DB instance per check. Where an instance belongs to a cluster (Aurora,
//! Multi-AZ DB clusters), storage encryption, backups and deletion protection are the
//! cluster's, and are read there.

use serde_json::Value;

use crate::checks::ec2::exposure::{Ingress, Open, Proto};
use crate::checks::{Finding, Resource};
use crate::inventory::ec2::{Permission, PrefixList, SecurityGroup};
use crate::inventory::rds::{DbCluster, DbInstance};
use crate::inventory::{Gap, Inventory, RegionInventory};

/// Days of automated backups FSBP RDS.11 asks for.
pub const MIN_BACKUP_DAYS: i32 = 7;

fn resource(region: &str, i: &DbInstance) -> Resource {
    Resource {
        arn: i.arn.clone(),
        id: i.id.clone(),
        kind: "AwsRdsDbInstance".into(),
        region: region.into(),
    }
}

fn region_resource(inv: &Inventory, region: &str) -> Resource {
    Resource::all_in_region(
        inv,
        region,
        "rds",
        "db:*",
        "AwsRdsDbInstance",
        "DB instances",
    )
}

/// What a check sees of one instance: it, its cluster if any, and its region.
struct Db<'a> {
    instance: &'a DbInstance,
    cluster: Result<Option<&'a DbCluster>, &'a Gap>,
    regional: &'a RegionInventory,
}

/// Runs `judge` on every DB instance of every scanned region.
fn each_instance(
    inv: &Inventory,
    mut judge: impl FnMut(&Db<'_>, Resource) -> Finding,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let regions = crate::checks::regional::collected(
        inv,
        &mut out,
        |region| region_resource(inv, region),
        |r| {
            r.rds
                .get()
                .and_then(|rds| rds.instances.get().map(|i| (rds, i)))
        },
    );
    for (region, r, (rds, instances)) in regions {
        for i in instances {
            let cluster = match &i.cluster_id {
                None => Ok(None),
                Some(id) => rds.clusters.get().map(|c| c.iter().find(|c| &c.id == id)),
            };
            let db = Db {
                instance: i,
                cluster,
                regional: r,
            };
            out.push(
                judge(&db, resource(region, i))
                    .with("engine", i.engine.clone())
                    .with(
                        "cluster",
                        i.cluster_id.clone().map_or(Value::Null, Value::from),
                    ),
            );
        }
    }
    out
}

/// A setting read from the instance's cluster when it has one, else from the instance.
fn governed<T>(
    db: &Db<'_>,
    resource: &Resource,
    of_instance: impl Fn(&DbInstance) -> T,
    of_cluster: impl Fn(&DbCluster) -> T,
) -> Result<(T, String), Box<Finding>> {
    match (&db.instance.cluster_id, db.cluster) {
        (None, _) => Ok((
            of_instance(db.instance),
            format!("DB instance {}", db.instance.id),
        )),
        (Some(_), Ok(Some(c))) => Ok((
            of_cluster(c),
            format!("DB instance {} (cluster {})", db.instance.id, c.id),
        )),
        (Some(id), Ok(None)) => Err(Box::new(Finding::error(
            resource.clone(),
            format!(
                "DB instance {} belongs to cluster {id}, which DescribeDBClusters did not list; its settings cannot be judged",
                db.instance.id
            ),
        ))),
        (Some(_), Err(gap)) => Err(Box::new(Finding::gap(resource.clone(), gap))),
    }
}

pub fn rds_storage_encrypted(inv: &Inventory) -> Vec<Finding> {
    each_instance(inv, |db, res| {
        match governed(db, &res, |i| i.storage_encrypted, |c| c.storage_encrypted) {
            Err(f) => *f,
            Ok((true, who)) => Finding::pass(res, format!("{who} encrypts its storage")),
            Ok((false, who)) => Finding::fail(
                res,
                format!(
                    "{who} does not encrypt its storage: its data, snapshots and backups are stored in the clear"
                ),
            ),
        }
    })
}

/// Read replicas keep no backups of their own (FSBP RDS.11 and AWS Config leave them out).
pub fn rds_backup_retention(inv: &Inventory) -> Vec<Finding> {
    each_instance(inv, |db, res| {
        if let Some(source) = &db.instance.read_replica_of {
            return Finding::pass(
                res,
                format!(
                    "DB instance {} is a read replica of {source}; its backups are its source's",
                    db.instance.id
                ),
            )
            .with("read_replica_of", source.clone());
        }
        match governed(db, &res, |i| i.backup_retention_days, |c| c.backup_retention_days) {
            Err(f) => *f,
            Ok((days, who)) if days >= MIN_BACKUP_DAYS => Finding::pass(
                res,
                format!("{who} keeps automated backups for {days} days"),
            )
            .with("backup_retention_days", days),
            Ok((0, who)) => Finding::fail(res, format!("{who} has automated backups turned off"))
                .with("backup_retention_days", 0),
            Ok((days, who)) => Finding::fail(
                res,
                format!("{who} keeps automated backups for {days} days (needs at least {MIN_BACKUP_DAYS})"),
            )
            .with("backup_retention_days", days),
        }
    })
}

pub fn rds_deletion_protection(inv: &Inventory) -> Vec<Finding> {
    each_instance(inv, |db, res| {
        match governed(
            db,
            &res,
            |i| i.deletion_protection,
            |c| c.deletion_protection,
        ) {
            Err(f) => *f,
            Ok((true, who)) => Finding::pass(res, format!("{who} has deletion protection on")),
            Ok((false, who)) => Finding::fail(
                res,
                format!(
                    "{who} has no deletion protection: one API call or console click deletes it"
                ),
            ),
        }
    })
}

pub fn rds_auto_minor_upgrade(inv: &Inventory) -> Vec<Finding> {
    each_instance(inv, |db, res| {
        let who = format!("DB instance {}", db.instance.id);
        let engine = db.instance.engine.as_str();
        if engine == "docdb" || engine.starts_with("custom-") {
            // DocumentDB takes no minor upgrades whatever the flag; RDS Custom requires it off.
            return Finding::pass(
                res,
                format!(
                    "{who} runs {engine}, for which automatic minor version upgrades do not apply"
                ),
            );
        }
        if db.instance.auto_minor_version_upgrade {
            Finding::pass(
                res,
                format!("{who} takes minor engine upgrades automatically"),
            )
        } else {
            Finding::fail(
                res,
                format!(
                    "{who} does not take minor engine upgrades automatically: security fixes wait for someone to apply them"
                ),
            )
        }
    })
}

pub fn rds_publicly_accessible(inv: &Inventory) -> Vec<Finding> {
    each_instance(inv, |db, res| {
        let who = format!("DB instance {}", db.instance.id);
        if db.instance.publicly_accessible {
            Finding::fail(
                res,
                format!(
                    "{who} is publicly accessible: its endpoint resolves to a public address, so only its security groups stand between it and the internet"
                ),
            )
        } else {
            Finding::pass(res, format!("{who} is not publicly accessible"))
        }
    })
}

/// An instance's security groups, with the region's prefix lists (or their gap).
type Guards<'a> = (Vec<&'a SecurityGroup>, Result<&'a [PrefixList], &'a Gap>);

/// The instance's security groups, or why they cannot be read.
fn groups<'a>(db: &Db<'a>) -> Result<Guards<'a>, String> {
    let ec2 = db
        .regional
        .ec2
        .get()
        .map_err(|g| format!("{} {} {}", g.service, g.operation, g.error_code))?;
    let all = ec2
        .security_groups
        .get()
        .map_err(|g| format!("{} {} {}", g.service, g.operation, g.error_code))?;
    let mut found = Vec::new();
    for id in &db.instance.security_groups {
        match all.iter().find(|g| &g.id == id) {
            Some(g) => found.push(g),
            None => {
                return Err(format!(
                    "its security group {id} is not among the region's groups"
                ));
            }
        }
    }
    Ok((found, ec2.prefix_lists.get().map(Vec::as_slice)))
}

fn port_of(db: &Db<'_>) -> Option<u32> {
    db.instance
        .port
        .or(db.cluster.ok().flatten().and_then(|c| c.port))
        .and_then(|p| u32::try_from(p).ok())
}

pub fn rds_publicly_reachable(inv: &Inventory) -> Vec<Finding> {
    each_instance(inv, |db, res| {
        let who = format!("DB instance {}", db.instance.id);
        if !db.instance.publicly_accessible {
            return Finding::pass(
                res,
                format!("{who} is not publicly accessible, so not reachable from the internet"),
            );
        }
        let Some(port) = port_of(db) else {
            return Finding::error(
                res,
                format!("{who} is publicly accessible and its port is unknown"),
            );
        };
        let (groups, lists) = match groups(db) {
            Ok(g) => g,
            Err(why) => {
                return Finding::error(
                    res,
                    format!(
                        "{who} is publicly accessible and its security groups cannot be judged: {why}"
                    ),
                );
            }
        };
        // AWS applies the rules of all the instance's groups together: ranges in two
        // groups can add up to the internet.
        let names: Vec<String> = groups
            .iter()
            .map(|g| format!("{} ({})", g.id, g.name))
            .collect();
        let all: Vec<Permission> = groups
            .iter()
            .flat_map(|g| g.ingress.iter().cloned())
            .collect();
        let ingress = match Ingress::from_permissions(&all, lists) {
            Ok(i) => i,
            Err(e) => {
                return Finding::error(
                    res,
                    format!(
                        "{who} is publicly accessible and the rules of its security groups {} cannot be read: {}",
                        names.join(", "),
                        e.0
                    ),
                );
            }
        };
        let seg = ingress.port(Proto::Tcp, port);
        match seg.open {
            Open::Yes => Finding::fail(
                res,
                format!(
                    "{who} is publicly accessible and its security groups {} admit the internet on port {port}: {}",
                    names.join(", "),
                    seg.rules.join("; ")
                ),
            )
            .with("port", port)
            .with("security_groups", names)
            .with("rules", seg.rules),
            Open::Unknown => Finding::error(
                res,
                format!(
                    "{who} is publicly accessible and may admit the internet on port {port} through prefix lists postura could not read: {}",
                    seg.unknown.join("; ")
                ),
            ),
            Open::No => Finding::pass(
                res,
                format!(
                    "{who} is publicly accessible, but its security groups ({}) do not admit the internet on port {port} (rds-publicly-accessible reports the flag)",
                    names.join(", ")
                ),
            )
            .with("port", port),
        }
    })
}

pub fn rds_ingress_from_security_groups(inv: &Inventory) -> Vec<Finding> {
    each_instance(inv, |db, res| {
        let who = format!("DB instance {}", db.instance.id);
        let Some(port) = port_of(db) else {
            return Finding::error(res, format!("{who}'s port is unknown"));
        };
        let (groups, lists) = match groups(db) {
            Ok(g) => g,
            Err(why) => {
                return Finding::error(
                    res,
                    format!("{who}'s security groups cannot be judged: {why}"),
                );
            }
        };
        let mut by_address = Vec::new();
        let mut by_group = 0;
        for g in &groups {
            let ingress = match Ingress::read(g, lists) {
                Ok(i) => i,
                Err(e) => {
                    return Finding::error(
                        res,
                        format!(
                            "the rules of {who}'s security group {} cannot be read: {}",
                            g.id, e.0
                        ),
                    );
                }
            };
            for rule in ingress.admitting(Proto::Tcp, port) {
                if rule.by_address {
                    by_address.push(format!("{} ({}): {}", g.id, g.name, rule.label));
                }
                by_group += rule.by_group;
            }
        }
        if !by_address.is_empty() {
            return Finding::fail(
                res,
                format!(
                    "{who} admits address ranges, not only security groups, on port {port}: {}",
                    by_address.join("; ")
                ),
            )
            .with("port", port)
            .with("rules_by_address", by_address);
        }
        Finding::pass(
            res,
            if by_group == 0 {
                format!("{who} admits nothing on port {port}")
            } else {
                format!("{who} admits only security groups on port {port}")
            },
        )
        .with("port", port)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Status;
    use crate::checks::ec2::fixtures::{
        customer_list, from_group, from_list, group, regions, rule,
    };
    use crate::inventory::Collected;
    use crate::inventory::rds::RdsInventory;

    fn db(id: &str, groups: &[&str]) -> DbInstance {
        DbInstance {
            id: id.into(),
            arn: format!("arn:aws:rds:eu-west-1:123456789012:db:{id}"),
            engine: "postgres".into(),
            port: Some(5432),
            publicly_accessible: false,
            storage_encrypted: true,
            backup_retention_days: 7,
            deletion_protection: true,
            auto_minor_version_upgrade: true,
            security_groups: groups.iter().map(|g| g.to_string()).collect(),
            cluster_id: None,
            read_replica_of: None,
        }
    }

    fn cluster(id: &str, members: &[&str]) -> DbCluster {
        DbCluster {
            id: id.into(),
            arn: format!("arn:aws:rds:eu-west-1:123456789012:cluster:{id}"),
            engine: "aurora-postgresql".into(),
            port: Some(5432),
            publicly_accessible: None,
            storage_encrypted: false,
            backup_retention_days: 1,
            deletion_protection: false,
            auto_minor_version_upgrade: None,
            security_groups: vec![],
            members: members.iter().map(|m| m.to_string()).collect(),
        }
    }

    fn account(instances: Vec<DbInstance>, clusters: Collected<Vec<DbCluster>>) -> Inventory {
        let mut inv = regions(&[(
            "eu-west-1",
            vec![
                group("sg-app", "app", vec![]),
                group("sg-db", "db", vec![from_group("tcp", 5432, 5432, "sg-app")]),
                group(
                    "sg-world",
                    "world",
                    vec![rule("tcp", 5432, 5432, &["0.0.0.0/0"])],
                ),
                group(
                    "sg-vpc",
                    "vpc",
                    vec![rule("tcp", 5432, 5432, &["10.0.0.0/16"])],
                ),
                group("sg-web", "web", vec![rule("tcp", 443, 443, &["0.0.0.0/0"])]),
                group(
                    "sg-office",
                    "office",
                    vec![from_list("tcp", 5400, 5500, "pl-office")],
                ),
            ],
        )]);
        if let Some(Collected::Ok(ec2)) = inv.regional.get_mut("eu-west-1").map(|r| &mut r.ec2) {
            ec2.prefix_lists = Collected::Ok(vec![customer_list("pl-office", &["203.0.113.0/24"])]);
        }
        if let Some(r) = inv.regional.get_mut("eu-west-1") {
            r.rds = Collected::Ok(RdsInventory {
                instances: Collected::Ok(instances),
                clusters,
                snapshots: Collected::Ok(Vec::new()),
                cluster_snapshots: Collected::Ok(Vec::new()),
            });
        }
        inv
    }

    fn status(findings: &[Finding], id: &str) -> Status {
        findings
            .iter()
            .find(|f| f.resource.id == id)
            .map(|f| f.status)
            .unwrap_or_else(|| panic!("no finding for {id}: {findings:?}"))
    }

    #[test]
    fn public_flag_and_reachability() {
        let mut open = db("open", &["sg-world"]);
        open.publicly_accessible = true;
        let mut flagged = db("flagged", &["sg-db", "sg-web"]);
        flagged.publicly_accessible = true;
        let private = db("private", &["sg-world"]);
        let mut lost = db("lost", &["sg-gone"]);
        lost.publicly_accessible = true;
        let mut halves = db("halves", &["sg-low", "sg-high"]);
        halves.publicly_accessible = true;
        let mut half = db("half", &["sg-low"]);
        half.publicly_accessible = true;
        let inv = account(
            vec![open, flagged, private, lost, halves, half],
            Collected::Ok(vec![]),
        );
        let reach = rds_publicly_reachable(&inv);
        assert_eq!(status(&reach, "open"), Status::Fail);
        assert_eq!(
            status(&reach, "flagged"),
            Status::Pass,
            "443 is not the database port"
        );
        assert_eq!(
            status(&reach, "private"),
            Status::Pass,
            "not public, whatever its group"
        );
        assert_eq!(
            status(&reach, "lost"),
            Status::Error,
            "a group it cannot see"
        );
        let f = reach
            .iter()
            .find(|f| f.resource.id == "open")
            .expect("finding");
        assert!(
            f.message.contains("sg-world") && f.message.contains("0.0.0.0/0"),
            "{}",
            f.message
        );
        assert_eq!(f.resource.region, "eu-west-1");
        let flag = rds_publicly_accessible(&inv);
        assert_eq!(status(&flag, "flagged"), Status::Fail);
        assert_eq!(status(&flag, "private"), Status::Pass);
    }

    #[test]
    fn ingress_only_from_security_groups() {
        let inv = account(
            vec![
                db("by-group", &["sg-db"]),
                db("by-range", &["sg-db", "sg-vpc"]),
                db("by-list", &["sg-office"]),
                db("closed", &["sg-app"]),
            ],
            Collected::Ok(vec![]),
        );
        let f = rds_ingress_from_security_groups(&inv);
        assert_eq!(status(&f, "by-group"), Status::Pass);
        assert_eq!(status(&f, "by-range"), Status::Fail);
        assert_eq!(
            status(&f, "by-list"),
            Status::Fail,
            "a prefix list is address ranges"
        );
        assert_eq!(status(&f, "closed"), Status::Pass);
        let range = f
            .iter()
            .find(|f| f.resource.id == "by-range")
            .expect("finding");
        assert!(range.message.contains("10.0.0.0/16"), "{}", range.message);
    }

    #[test]
    fn settings_of_instances_and_of_their_clusters() {
        let mut weak = db("weak", &["sg-db"]);
        weak.storage_encrypted = false;
        weak.backup_retention_days = 0;
        weak.deletion_protection = false;
        weak.auto_minor_version_upgrade = false;
        let mut member = db("member", &["sg-db"]);
        member.cluster_id = Some("aurora".into());
        let mut orphan = db("orphan", &["sg-db"]);
        orphan.cluster_id = Some("gone".into());
        let inv = account(
            vec![db("strong", &["sg-db"]), weak, member, orphan],
            Collected::Ok(vec![cluster("aurora", &["member"])]),
        );
        for check in [
            rds_storage_encrypted,
            rds_backup_retention,
            rds_deletion_protection,
        ] {
            let f = check(&inv);
            assert_eq!(status(&f, "strong"), Status::Pass);
            assert_eq!(status(&f, "weak"), Status::Fail);
            assert_eq!(
                status(&f, "member"),
                Status::Fail,
                "the cluster's settings govern"
            );
            assert_eq!(status(&f, "orphan"), Status::Error);
        }
        let f = rds_auto_minor_upgrade(&inv);
        assert_eq!(status(&f, "strong"), Status::Pass);
        assert_eq!(status(&f, "weak"), Status::Fail);
        let mut docdb = db("docs", &["sg-db"]);
        docdb.engine = "docdb".into();
        docdb.auto_minor_version_upgrade = false;
        let mut replica = db("replica", &["sg-db"]);
        replica.backup_retention_days = 0;
        replica.read_replica_of = Some("strong".into());
        let inv = account(vec![docdb, replica], Collected::Ok(vec![]));
        assert_eq!(
            status(&rds_auto_minor_upgrade(&inv), "docs"),
            Status::Pass,
            "does not apply"
        );
        assert_eq!(status(&rds_backup_retention(&inv), "replica"), Status::Pass);
        let mut short = db("short", &["sg-db"]);
        short.backup_retention_days = 6;
        let f = rds_backup_retention(&account(vec![short], Collected::Ok(vec![])));
        assert_eq!(status(&f, "short"), Status::Fail);
    }

    #[test]
    fn gaps_are_errors() {
        let mut inv = account(vec![db("x", &["sg-db"])], Collected::Ok(vec![]));
        if let Some(r) = inv.regional.get_mut("eu-west-1") {
            r.rds = Collected::Gap(crate::checks::ec2::fixtures::gap(
                "eu-west-1",
                "DescribeDBInstances",
            ));
        }
        for check in [
            rds_publicly_reachable,
            rds_storage_encrypted,
            rds_ingress_from_security_groups,
        ] {
            let f = check(&inv);
            assert_eq!(f.len(), 1);
            assert_eq!(f[0].status, Status::Error);
            assert_eq!(f[0].resource.region, "eu-west-1");
        }
    }
}
