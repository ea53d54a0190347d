//! The security-group checks. Each looks at every group in every scanned region and says
//! PASS or FAIL per group, or ERROR where a rule or the data it needs cannot be read; a
//! region whose groups could not be listed gets one ERROR per check.

use std::fmt::Write;

use serde_json::{Value, json};

use super::exposure::{Ingress, Lists, Open, Proto, Segment, describe_ports, sources_label};
use crate::checks::{Finding, Resource};
use crate::inventory::Inventory;
use crate::inventory::ec2::{Permission, SecurityGroup};

/// Remote administration: SSH and RDP (CIS 5.3/5.4, FSBP EC2.53/EC2.54).
pub const ADMIN_PORTS: &[(u32, &str)] = &[(22, "SSH"), (3389, "RDP")];

/// Database and data-store ports.
pub const DATABASE_PORTS: &[(u32, &str)] = &[
    (1433, "SQL Server"),
    (1434, "SQL Server browser"),
    (1521, "Oracle"),
    (2483, "Oracle"),
    (2484, "Oracle TLS"),
    (3306, "MySQL/MariaDB/Aurora"),
    (5432, "PostgreSQL"),
    (5439, "Redshift"),
    (5984, "CouchDB"),
    (6379, "Redis/Valkey"),
    (7000, "Cassandra"),
    (7001, "Cassandra TLS"),
    (8086, "InfluxDB"),
    (9042, "Cassandra CQL"),
    (9200, "Elasticsearch/OpenSearch"),
    (9300, "Elasticsearch/OpenSearch nodes"),
    (11211, "Memcached"),
    (27017, "MongoDB"),
    (27018, "MongoDB"),
    (27019, "MongoDB"),
    (50000, "Db2"),
];

/// The high-risk ports of FSBP EC2.19, as the Security Hub user guide lists them.
pub const HIGH_RISK_PORTS: &[(u32, &str)] = &[
    (20, "FTP data"),
    (21, "FTP"),
    (22, "SSH"),
    (23, "Telnet"),
    (25, "SMTP"),
    (110, "POP3"),
    (135, "Windows RPC"),
    (143, "IMAP"),
    (445, "SMB"),
    (1433, "SQL Server"),
    (1434, "SQL Server browser"),
    (3000, "web development servers"),
    (3306, "MySQL"),
    (3389, "RDP"),
    (4333, "mSQL"),
    (5000, "web development servers"),
    (5432, "PostgreSQL"),
    (5500, "VNC"),
    (5601, "Kibana"),
    (8080, "HTTP proxy"),
    (8088, "HTTP alternate"),
    (8888, "HTTP alternate"),
    (9200, "Elasticsearch"),
    (9300, "Elasticsearch"),
];

/// The TCP ports FSBP EC2.18 authorises from anywhere by default.
pub const AUTHORIZED_TCP_PORTS: &[u32] = &[80, 443];

fn group_resource(inv: &Inventory, region: &str, g: &SecurityGroup) -> Resource {
    let owner = if g.owner_id.is_empty() {
        &inv.account.id
    } else {
        &g.owner_id
    };
    Resource {
        arn: format!(
            "arn:{}:ec2:{region}:{owner}:security-group/{}",
            inv.account.partition, g.id
        ),
        id: g.id.clone(),
        kind: "AwsEc2SecurityGroup".into(),
        region: region.into(),
    }
}

/// Stands for every group of a region whose groups could not be listed.
fn region_resource(inv: &Inventory, region: &str) -> Resource {
    Resource::all_in_region(
        inv,
        region,
        "ec2",
        "security-group/*",
        "AwsEc2SecurityGroup",
        "security groups",
    )
}

/// `web (sg-0abc, vpc-0def)`.
fn named(g: &SecurityGroup) -> String {
    let name = if g.name.is_empty() {
        "unnamed"
    } else {
        &g.name
    };
    match &g.vpc_id {
        Some(vpc) => format!("security group {name} ({}, {vpc})", g.id),
        None => format!("security group {name} ({}, no VPC)", g.id),
    }
}

/// Runs `judge` on every group of every scanned region.
fn each_group(
    inv: &Inventory,
    mut judge: impl FnMut(&SecurityGroup, Lists<'_>, Resource) -> Option<Finding>,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let regions = crate::checks::regional::collected(
        inv,
        &mut out,
        |region| region_resource(inv, region),
        |r| {
            r.ec2
                .get()
                .and_then(|ec2| ec2.security_groups.get().map(|g| (ec2, g)))
        },
    );
    for (region, _, (ec2, groups)) in regions {
        let lists = ec2.prefix_lists.get().map(Vec::as_slice);
        for g in groups.iter() {
            if let Some(f) = judge(g, lists, group_resource(inv, region, g)) {
                out.push(f.with("vpc_id", g.vpc_id.clone().map_or(Value::Null, Value::from)));
            }
        }
    }
    out
}

/// One open port (or range), in words and as evidence.
struct Opening {
    what: String,
    /// `tcp`, `udp`, `-1`, or an IP protocol number.
    protocol: String,
    segment: Segment,
}

fn evidence(openings: &[Opening]) -> Value {
    Value::Array(
        openings
            .iter()
            .map(|o| {
                json!({
                    "protocol": o.protocol,
                    "from_port": o.segment.from,
                    "to_port": o.segment.to,
                    "what": o.what,
                    "rules": o.segment.rules,
                    "unreadable_prefix_lists": o.segment.unknown,
                })
            })
            .collect(),
    )
}

/// `tcp 22 (SSH) and udp 22 (SSH), by tcp 0-1024 from 0.0.0.0/0; tcp 3389 (RDP), by ...`:
/// openings grouped by the rules that make them.
fn summarise(openings: &[Opening]) -> String {
    let mut groups: Vec<(String, Vec<&str>)> = Vec::new();
    for o in openings {
        let key = o.segment.rules.join("; ");
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, whats)) => whats.push(&o.what),
            None => groups.push((key, vec![&o.what])),
        }
    }
    let mut out = String::new();
    for (i, (rules, whats)) in groups.iter().enumerate() {
        if i > 0 {
            out.push_str("; ");
        }
        const SHOWN: usize = 6;
        let mut list = whats
            .iter()
            .take(SHOWN)
            .copied()
            .collect::<Vec<_>>()
            .join(", ");
        if whats.len() > SHOWN {
            let _ = write!(list, " and {} more", whats.len() - SHOWN);
        }
        let _ = write!(out, "{list}, by the rule {rules}");
    }
    out
}

fn unknown_lists(openings: &[Opening]) -> String {
    let mut lists: Vec<&str> = openings
        .iter()
        .flat_map(|o| o.segment.unknown.iter().map(String::as_str))
        .collect();
    lists.sort_unstable();
    lists.dedup();
    lists.join("; ")
}

/// The verdict for a group, from what is open and what may be.
fn verdict(
    g: &SecurityGroup,
    resource: Resource,
    open: Vec<Opening>,
    maybe: Vec<Opening>,
    topic: &str,
    pass: &str,
) -> Finding {
    if !open.is_empty() {
        return Finding::fail(
            resource,
            format!(
                "{} opens {topic} to the internet: {}",
                named(g),
                summarise(&open)
            ),
        )
        .with("open_to_internet", evidence(&open));
    }
    if !maybe.is_empty() {
        return Finding::error(
            resource,
            format!(
                "cannot tell whether {} opens {topic} to the internet: {} may, through prefix lists whose entries postura could not read: {}",
                named(g),
                summarise(&maybe),
                unknown_lists(&maybe)
            ),
        )
        .with("may_be_open", evidence(&maybe));
    }
    Finding::pass(resource, format!("{} {pass}", named(g)))
}

/// A check of what a group's ingress opens: `find` lists the candidate openings (any
/// answer); those open make a FAIL, those that may be an ERROR, none a PASS. A group whose
/// rules cannot be read is an ERROR.
fn exposure_check(
    inv: &Inventory,
    topic: &str,
    pass: &str,
    find: impl Fn(&Ingress) -> Vec<Opening>,
) -> Vec<Finding> {
    each_group(inv, |g, lists, resource| {
        let ingress = match Ingress::read(g, lists) {
            Ok(i) => i,
            Err(e) => {
                return Some(Finding::error(
                    resource,
                    format!("cannot read the rules of {}: {}", named(g), e.0),
                ));
            }
        };
        let (mut open, mut maybe) = (Vec::new(), Vec::new());
        for o in find(&ingress) {
            match o.segment.open {
                Open::Yes => open.push(o),
                Open::Unknown => maybe.push(o),
                Open::No => {}
            }
        }
        Some(verdict(g, resource, open, maybe, topic, pass))
    })
}

/// A check of named ports, over TCP and UDP (and so also by protocol `-1`).
fn ports_check(inv: &Inventory, ports: &[(u32, &str)], topic: &str, pass: &str) -> Vec<Finding> {
    exposure_check(inv, topic, pass, |ingress| {
        let mut found = Vec::new();
        for &(port, service) in ports {
            for proto in [Proto::Tcp, Proto::Udp] {
                found.push(Opening {
                    what: format!("{} {port} ({service})", proto.as_str()),
                    protocol: proto.as_str().into(),
                    segment: ingress.port(proto, port),
                });
            }
        }
        found
    })
}

pub fn sg_open_admin_ports(inv: &Inventory) -> Vec<Finding> {
    ports_check(
        inv,
        ADMIN_PORTS,
        "remote administration (SSH 22, RDP 3389)",
        "opens neither SSH (22) nor RDP (3389) to the internet",
    )
}

pub fn sg_open_database_ports(inv: &Inventory) -> Vec<Finding> {
    ports_check(
        inv,
        DATABASE_PORTS,
        "database ports",
        "opens no database port to the internet",
    )
}

pub fn sg_open_high_risk_ports(inv: &Inventory) -> Vec<Finding> {
    ports_check(
        inv,
        HIGH_RISK_PORTS,
        "high-risk ports (FSBP EC2.19)",
        "opens none of FSBP EC2.19's high-risk ports to the internet",
    )
}

/// Every protocol, every TCP or UDP port, or every port of another IP protocol.
pub fn sg_open_all_traffic(inv: &Inventory) -> Vec<Finding> {
    exposure_check(
        inv,
        "all ports or all protocols",
        "opens no protocol on all ports to the internet",
        |ingress| {
            let (open, rules, unknown) = ingress.all_protocols();
            let every_protocol = open == Open::Yes;
            let mut found = vec![Opening {
                what: "every protocol and port".into(),
                protocol: "-1".into(),
                segment: Segment {
                    proto: Proto::Tcp,
                    from: 0,
                    to: 65535,
                    open,
                    rules,
                    unknown,
                },
            }];
            // "Every protocol" already says every TCP and UDP port.
            if every_protocol {
                return found;
            }
            for proto in [Proto::Tcp, Proto::Udp] {
                found.push(Opening {
                    what: format!("every {} port", proto.as_str()),
                    protocol: proto.as_str().into(),
                    segment: ingress.all_ports(proto),
                });
            }
            found.extend(other_protocols(ingress));
            found
        },
    )
}

pub fn sg_open_unauthorized_ports(inv: &Inventory) -> Vec<Finding> {
    exposure_check(
        inv,
        "ports other than 80 and 443 (FSBP EC2.18)",
        "opens no port but TCP 80 and 443 to the internet",
        |ingress| {
            let mut found = Vec::new();
            for proto in [Proto::Tcp, Proto::Udp] {
                let authorized: &[u32] = if proto == Proto::Tcp {
                    AUTHORIZED_TCP_PORTS
                } else {
                    &[]
                };
                for seg in ingress.open_segments(proto) {
                    for (from, to) in outside(seg.from, seg.to, authorized) {
                        let what = if from == to {
                            format!("{} {from}", proto.as_str())
                        } else {
                            format!("{} {from}-{to}", proto.as_str())
                        };
                        found.push(Opening {
                            what,
                            protocol: proto.as_str().into(),
                            segment: Segment {
                                from,
                                to,
                                ..seg.clone()
                            },
                        });
                    }
                }
            }
            found.extend(other_protocols(ingress));
            found
        },
    )
}

/// IP protocols other than TCP, UDP and ICMP that rules open (every port of them) to the
/// internet, or may.
fn other_protocols(ingress: &Ingress) -> Vec<Opening> {
    ingress
        .other_protocols()
        .into_iter()
        .map(|(n, open, rules, unknown)| Opening {
            what: format!("every port of IP protocol {n}"),
            protocol: n.to_string(),
            segment: Segment {
                // Not TCP, but `protocol` says which; the segment's own is unused here.
                proto: Proto::Tcp,
                from: 0,
                to: 65535,
                open,
                rules,
                unknown,
            },
        })
        .collect()
}

/// The parts of `[from, to]` that are not among `allowed`.
fn outside(from: u32, to: u32, allowed: &[u32]) -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    let mut start = from;
    let mut inside: Vec<u32> = allowed
        .iter()
        .copied()
        .filter(|p| (from..=to).contains(p))
        .collect();
    inside.sort_unstable();
    for p in inside {
        if p > start {
            out.push((start, p - 1));
        }
        start = p + 1;
    }
    if start <= to {
        out.push((start, to));
    }
    out
}

fn rule_list(perms: &[Permission], direction: &str) -> Vec<String> {
    perms
        .iter()
        .map(|p| {
            format!(
                "{} {direction} {}",
                describe_ports(p),
                sources_label(p, &[])
            )
        })
        .collect()
}

pub fn sg_default_restricts_all(inv: &Inventory) -> Vec<Finding> {
    each_group(inv, |g, _lists, resource| {
        if !g.is_vpc_default() {
            return None;
        }
        let inbound = rule_list(&g.ingress, "from");
        let outbound = rule_list(&g.egress, "to");
        if inbound.is_empty() && outbound.is_empty() {
            return Some(Finding::pass(
                resource,
                format!("the default {} allows no traffic", named(g)),
            ));
        }
        let mut parts = Vec::new();
        if !inbound.is_empty() {
            parts.push(format!("inbound {}", inbound.join("; ")));
        }
        if !outbound.is_empty() {
            parts.push(format!("outbound {}", outbound.join("; ")));
        }
        Some(
            Finding::fail(
                resource,
                format!(
                    "the default {} allows traffic: {}",
                    named(g),
                    parts.join("; ")
                ),
            )
            .with("inbound_rules", inbound)
            .with("outbound_rules", outbound),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use super::*;
    use crate::checks::Status;

    fn statuses(findings: &[Finding]) -> Vec<(String, Status)> {
        findings
            .iter()
            .map(|f| (f.resource.id.clone(), f.status))
            .collect()
    }

    #[test]
    fn outside_the_authorized_ports() {
        assert_eq!(
            outside(0, 65535, &[80, 443]),
            [(0, 79), (81, 442), (444, 65535)]
        );
        assert_eq!(outside(80, 80, &[80, 443]), []);
        assert_eq!(outside(79, 81, &[80]), [(79, 79), (81, 81)]);
    }

    #[test]
    fn admin_ports_fail_by_port_range_protocol_and_union_and_pass_otherwise() {
        let inv = regions(&[
            (
                "eu-west-1",
                vec![
                    group("sg-range", "web", vec![rule("tcp", 20, 30, &["0.0.0.0/0"])]),
                    group("sg-all", "all", vec![rule("-1", -1, -1, &["::/0"])]),
                    group(
                        "sg-udp",
                        "udp",
                        vec![rule("udp", 3389, 3389, &["0.0.0.0/0"])],
                    ),
                    group(
                        "sg-halves",
                        "halves",
                        vec![
                            rule("tcp", 22, 22, &["0.0.0.0/1"]),
                            rule("tcp", 22, 22, &["128.0.0.0/1"]),
                        ],
                    ),
                ],
            ),
            (
                "us-east-1",
                vec![
                    group(
                        "sg-office",
                        "office",
                        vec![rule("tcp", 22, 22, &["203.0.113.0/24"])],
                    ),
                    group(
                        "sg-https",
                        "https",
                        vec![rule("tcp", 443, 443, &["0.0.0.0/0", "::/0"])],
                    ),
                    group(
                        "sg-peer",
                        "peer",
                        vec![from_group("tcp", 22, 22, "sg-bastion")],
                    ),
                ],
            ),
        ]);
        let f = sg_open_admin_ports(&inv);
        let s = statuses(&f);
        for id in ["sg-range", "sg-all", "sg-udp", "sg-halves"] {
            assert!(s.contains(&(id.into(), Status::Fail)), "{id}: {s:?}");
        }
        for id in ["sg-office", "sg-https", "sg-peer"] {
            assert!(s.contains(&(id.into(), Status::Pass)), "{id}: {s:?}");
        }
        let range = f
            .iter()
            .find(|f| f.resource.id == "sg-range")
            .expect("finding");
        assert!(
            range
                .message
                .contains("security group web (sg-range, vpc-1)"),
            "{}",
            range.message
        );
        assert!(range.message.contains("tcp 22 (SSH)"), "{}", range.message);
        assert!(
            range.message.contains("tcp 20-30 from 0.0.0.0/0"),
            "{}",
            range.message
        );
        assert_eq!(range.resource.region, "eu-west-1");
        assert_eq!(
            range.resource.arn,
            "arn:aws:ec2:eu-west-1:123456789012:security-group/sg-range"
        );
        let office = f
            .iter()
            .find(|f| f.resource.id == "sg-office")
            .expect("finding");
        assert_eq!(office.resource.region, "us-east-1");
    }

    #[test]
    fn database_high_risk_all_traffic_and_unauthorized_ports() {
        let inv = regions(&[(
            "eu-west-1",
            vec![
                group("sg-pg", "pg", vec![rule("tcp", 5432, 5432, &["0.0.0.0/0"])]),
                group(
                    "sg-redis",
                    "redis",
                    vec![rule("tcp", 6379, 6379, &["::/0"])],
                ),
                group(
                    "sg-web",
                    "web",
                    vec![
                        rule("tcp", 80, 80, &["0.0.0.0/0"]),
                        rule("tcp", 443, 443, &["0.0.0.0/0", "::/0"]),
                    ],
                ),
                group(
                    "sg-every",
                    "every",
                    vec![rule("-1", -1, -1, &["0.0.0.0/0"])],
                ),
                group(
                    "sg-tcp-all",
                    "tcp-all",
                    vec![rule("tcp", 0, 65535, &["0.0.0.0/0"])],
                ),
                group(
                    "sg-private",
                    "private",
                    vec![rule("-1", -1, -1, &["10.0.0.0/8"])],
                ),
                group(
                    "sg-icmp",
                    "icmp",
                    vec![rule("icmp", -1, -1, &["0.0.0.0/0"])],
                ),
            ],
        )]);
        let db = statuses(&sg_open_database_ports(&inv));
        assert!(db.contains(&("sg-pg".into(), Status::Fail)), "{db:?}");
        assert!(db.contains(&("sg-redis".into(), Status::Fail)), "{db:?}");
        assert!(db.contains(&("sg-web".into(), Status::Pass)), "{db:?}");
        assert!(db.contains(&("sg-private".into(), Status::Pass)), "{db:?}");
        let hr = statuses(&sg_open_high_risk_ports(&inv));
        assert!(
            hr.contains(&("sg-pg".into(), Status::Fail)),
            "5432 is on EC2.19's list: {hr:?}"
        );
        assert!(
            hr.contains(&("sg-redis".into(), Status::Pass)),
            "6379 is not: {hr:?}"
        );
        assert!(hr.contains(&("sg-web".into(), Status::Pass)), "{hr:?}");
        let all = sg_open_all_traffic(&inv);
        let s = statuses(&all);
        assert!(s.contains(&("sg-every".into(), Status::Fail)), "{s:?}");
        assert!(s.contains(&("sg-tcp-all".into(), Status::Fail)), "{s:?}");
        for id in ["sg-pg", "sg-web", "sg-private", "sg-icmp"] {
            assert!(s.contains(&(id.into(), Status::Pass)), "{id}: {s:?}");
        }
        let every = all
            .iter()
            .find(|f| f.resource.id == "sg-every")
            .expect("finding");
        assert!(
            every.message.contains("every protocol and port"),
            "{}",
            every.message
        );
        assert!(
            !every.message.contains("every tcp port"),
            "said once: {}",
            every.message
        );
        let un = sg_open_unauthorized_ports(&inv);
        let s = statuses(&un);
        assert!(
            s.contains(&("sg-web".into(), Status::Pass)),
            "80 and 443 are authorised: {s:?}"
        );
        assert!(s.contains(&("sg-pg".into(), Status::Fail)), "{s:?}");
        assert!(
            s.contains(&("sg-icmp".into(), Status::Pass)),
            "ICMP has no ports: {s:?}"
        );
        let tcp_all = un
            .iter()
            .find(|f| f.resource.id == "sg-tcp-all")
            .expect("finding");
        assert!(tcp_all.message.contains("tcp 0-79"), "{}", tcp_all.message);
        assert!(
            tcp_all.message.contains("tcp 444-65535"),
            "{}",
            tcp_all.message
        );
    }

    #[test]
    fn default_groups_must_be_empty() {
        let mut closed = group("sg-d1", "default", vec![]);
        closed.egress = vec![];
        let mut open = group("sg-d2", "default", vec![from_group("-1", -1, -1, "sg-d2")]);
        open.egress = vec![rule("-1", -1, -1, &["0.0.0.0/0"])];
        let mut egress_only = group("sg-d3", "default", vec![]);
        egress_only.egress = vec![rule("tcp", 443, 443, &["0.0.0.0/0"])];
        let other = group("sg-web", "web", vec![rule("-1", -1, -1, &["0.0.0.0/0"])]);
        let inv = regions(&[("eu-west-1", vec![closed, open, egress_only, other])]);
        let f = sg_default_restricts_all(&inv);
        let s = statuses(&f);
        assert_eq!(
            s,
            [
                ("sg-d1".into(), Status::Pass),
                ("sg-d2".into(), Status::Fail),
                ("sg-d3".into(), Status::Fail),
            ],
            "only default groups are judged"
        );
        let open = &f[1];
        assert!(
            open.message
                .contains("inbound all traffic from security group sg-d2"),
            "{}",
            open.message
        );
        assert!(
            open.message.contains("outbound all traffic to 0.0.0.0/0"),
            "{}",
            open.message
        );
    }

    #[test]
    fn gaps_and_unreadable_rules_are_errors_never_passes() {
        let mut inv = regions(&[
            (
                "eu-west-1",
                vec![group(
                    "sg-bad",
                    "bad",
                    vec![rule("tcp", 22, 22, &["not-a-cidr"])],
                )],
            ),
            ("us-east-1", vec![]),
        ]);
        denied(&mut inv, "us-east-1");
        missing(&mut inv, "eu-west-2");
        for check in [
            sg_open_admin_ports,
            sg_open_database_ports,
            sg_open_high_risk_ports,
            sg_open_all_traffic,
            sg_open_unauthorized_ports,
            sg_default_restricts_all,
        ] {
            let f = check(&inv);
            let by_region = |r: &str| {
                f.iter()
                    .filter(|f| f.resource.region == r)
                    .map(|f| f.status)
                    .collect::<Vec<_>>()
            };
            assert_eq!(by_region("us-east-1"), [Status::Error], "{f:?}");
            assert_eq!(by_region("eu-west-2"), [Status::Error], "{f:?}");
            assert!(f.iter().all(|f| f.status != Status::Pass), "{f:?}");
        }
        let f = sg_open_admin_ports(&inv);
        let bad = f
            .iter()
            .find(|f| f.resource.id == "sg-bad")
            .expect("finding");
        assert_eq!(bad.status, Status::Error);
        assert!(bad.message.contains("not-a-cidr"), "{}", bad.message);
        let missing = f
            .iter()
            .find(|f| f.resource.region == "eu-west-2")
            .expect("finding");
        assert!(
            missing.message.contains("NotCollected"),
            "{}",
            missing.message
        );
    }

    #[test]
    fn prefix_lists_open_by_their_entries_and_unreadable_ones_are_errors() {
        let mut inv = regions(&[(
            "eu-west-1",
            vec![
                group(
                    "sg-world",
                    "world",
                    vec![from_list("tcp", 22, 22, "pl-world")],
                ),
                group(
                    "sg-office",
                    "office",
                    vec![from_list("tcp", 22, 22, "pl-office")],
                ),
                group("sg-s3", "s3", vec![from_list("tcp", 443, 443, "pl-s3")]),
                group(
                    "sg-hidden",
                    "hidden",
                    vec![from_list("tcp", 22, 22, "pl-hidden")],
                ),
            ],
        )]);
        with_prefix_lists(
            &mut inv,
            "eu-west-1",
            vec![
                customer_list("pl-world", &["0.0.0.0/0"]),
                customer_list("pl-office", &["203.0.113.0/24"]),
                aws_list("pl-s3"),
                unreadable_list("pl-hidden"),
            ],
        );
        let s = statuses(&sg_open_admin_ports(&inv));
        assert_eq!(
            s,
            [
                ("sg-world".into(), Status::Fail),
                ("sg-office".into(), Status::Pass),
                ("sg-s3".into(), Status::Pass),
                ("sg-hidden".into(), Status::Error),
            ]
        );
    }
}
