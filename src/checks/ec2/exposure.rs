//! What a security group's ingress rules open to the internet.
//!
//! "From anywhere" is the whole IPv4 space or the whole IPv6 space, whether one rule says
//! `0.0.0.0/0` or several rules' ranges add up to it (`0.0.0.0/1` and `128.0.0.0/1`). A
//! rule whose source is another security group never is; one whose source is a managed
//! prefix list is when the list's entries add up to it (AWS-managed lists hold AWS's
//! service ranges and never are). Protocol `-1` opens every protocol and port; a TCP or UDP
//! rule opens the ports of its range. Answers are three-valued: a prefix list whose
//! entries could not be read, or that could not be found, leaves the answer unknown rather
//! than closed.

use std::net::{Ipv4Addr, Ipv6Addr};

use crate::inventory::ec2::{Permission, PrefixList, SecurityGroup};

/// The transport protocols with ports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Proto {
    Tcp,
    Udp,
}

impl Proto {
    pub fn as_str(self) -> &'static str {
        match self {
            Proto::Tcp => "tcp",
            Proto::Udp => "udp",
        }
    }
}

/// Which protocols a rule covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Protocols {
    All,
    One(Proto),
    /// Another IP protocol by number (SCTP 132, ESP 50, GRE 47...): EC2 opens every port
    /// of it, whatever ports the rule gives.
    Number(u8),
    /// ICMP and ICMPv6: types and codes, no ports.
    Icmp,
}

/// Whether something is open to the internet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Open {
    No,
    /// It would be, if a prefix list that could not be read held the rest of the space.
    Unknown,
    Yes,
}

/// A half-open or closed interval of addresses, as `u128` (IPv4 in its own family).
type Span = (u128, u128);

#[derive(Debug, Clone)]
struct Rule {
    protocols: Protocols,
    /// Inclusive port range (all ports for `-1`).
    from: u32,
    to: u32,
    v4: Vec<Span>,
    v6: Vec<Span>,
    /// Prefix lists named whose entries are unknown.
    unknown: Vec<String>,
    /// `tcp 22 from 0.0.0.0/0, pl-123 (office)`.
    label: String,
    /// Whether it names address ranges or prefix lists (of any size).
    by_address: bool,
    /// How many security groups it names as sources.
    by_group: usize,
}

/// One rule that admits something on a port, as [`Ingress::admitting`] gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Admitting<'a> {
    pub label: &'a str,
    pub by_address: bool,
    pub by_group: usize,
}

impl Rule {
    fn covers(&self, proto: Proto, port: u32) -> bool {
        let proto_ok = match self.protocols {
            Protocols::All => true,
            Protocols::One(p) => p == proto,
            Protocols::Number(_) | Protocols::Icmp => false,
        };
        proto_ok && self.from <= port && port <= self.to
    }
}

/// One piece of the port space that is open (or may be) to the internet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    pub proto: Proto,
    pub from: u32,
    pub to: u32,
    pub open: Open,
    /// The rules that open it.
    pub rules: Vec<String>,
    /// Prefix lists that could not be read, when `open` is `Unknown`.
    pub unknown: Vec<String>,
}

/// A security group's ingress, read for exposure.
#[derive(Debug, Clone)]
pub struct Ingress {
    rules: Vec<Rule>,
}

/// A rule postura cannot read (a CIDR that is not one, a port range backwards).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable(pub String);

const V4_TOP: u128 = u32::MAX as u128;
const V6_TOP: u128 = u128::MAX;

fn v4_span(cidr: &str) -> Option<Span> {
    let (addr, len) = cidr.trim().split_once('/')?;
    let addr: Ipv4Addr = addr.parse().ok()?;
    let len: u32 = len.parse().ok().filter(|l| *l <= 32)?;
    let bits = u32::from(addr);
    let mask = if len == 0 { 0 } else { u32::MAX << (32 - len) };
    let start = bits & mask;
    Some((u128::from(start), u128::from(start | !mask)))
}

fn v6_span(cidr: &str) -> Option<Span> {
    let (addr, len) = cidr.trim().split_once('/')?;
    let addr: Ipv6Addr = addr.parse().ok()?;
    let len: u32 = len.parse().ok().filter(|l| *l <= 128)?;
    let bits = u128::from(addr);
    let mask = if len == 0 {
        0
    } else {
        u128::MAX << (128 - len)
    };
    let start = bits & mask;
    Some((start, start | !mask))
}

/// Whether the spans together cover `[0, top]`.
fn covers_all(spans: &mut [Span], top: u128) -> bool {
    spans.sort_unstable();
    let mut next: u128 = 0;
    for &(a, b) in spans.iter() {
        if a > next {
            return false;
        }
        if b >= top {
            return true;
        }
        next = next.max(b + 1);
    }
    false
}

/// EC2 gives `tcp`, `udp`, `icmp`, `icmpv6`, `-1` or an IP protocol number (0-255);
/// anything else is not a protocol postura can judge.
fn parse_protocol(p: &str) -> Option<Protocols> {
    match p.trim().to_ascii_lowercase().as_str() {
        "-1" => Some(Protocols::All),
        "tcp" | "6" => Some(Protocols::One(Proto::Tcp)),
        "udp" | "17" => Some(Protocols::One(Proto::Udp)),
        "icmp" | "1" | "icmpv6" | "58" => Some(Protocols::Icmp),
        number => number.parse::<u8>().ok().map(Protocols::Number),
    }
}

/// `tcp 22`, `tcp 8000-8100`, `all traffic`, `icmp`.
pub fn describe_ports(p: &Permission) -> String {
    match parse_protocol(&p.protocol) {
        Some(Protocols::All) => "all traffic".into(),
        Some(Protocols::One(proto)) => {
            let (from, to) = ports(p).unwrap_or((0, 65535));
            if (from, to) == (0, 65535) {
                format!("{} all ports", proto.as_str())
            } else if from == to {
                format!("{} {from}", proto.as_str())
            } else {
                format!("{} {from}-{to}", proto.as_str())
            }
        }
        Some(Protocols::Number(n)) => format!("protocol {n} all ports"),
        _ => p.protocol.clone(),
    }
}

/// A TCP/UDP rule's inclusive port range; absent or `-1` bounds mean every port.
fn ports(p: &Permission) -> Option<(u32, u32)> {
    let from = match p.from_port {
        None => 0,
        Some(f) if f < 0 => 0,
        Some(f) => u32::try_from(f).ok().filter(|f| *f <= 65535)?,
    };
    let to = match p.to_port {
        None => 65535,
        Some(t) if t < 0 => 65535,
        Some(t) => u32::try_from(t).ok().filter(|t| *t <= 65535)?,
    };
    (from <= to).then_some((from, to))
}

/// The region's prefix lists, or the gap that stands in their place.
pub type Lists<'a> = Result<&'a [PrefixList], &'a crate::inventory::Gap>;

/// Every source a rule names, for its label (at most a few, then a count).
pub fn sources_label(p: &Permission, lists: &[PrefixList]) -> String {
    let mut names: Vec<String> = p
        .ipv4_ranges
        .iter()
        .chain(&p.ipv6_ranges)
        .cloned()
        .collect();
    for id in &p.prefix_list_ids {
        match lists.iter().find(|l| &l.id == id) {
            Some(l) if !l.name.is_empty() => names.push(format!("{id} ({})", l.name)),
            _ => names.push(id.clone()),
        }
    }
    for g in &p.group_sources {
        names.push(format!("security group {g}"));
    }
    const SHOWN: usize = 4;
    if names.len() > SHOWN {
        let more = names.len() - SHOWN;
        names.truncate(SHOWN);
        names.push(format!("{more} more"));
    }
    names.join(", ")
}

impl Ingress {
    /// Reads a group's ingress rules against the region's prefix lists.
    pub fn read(group: &SecurityGroup, lists: Lists<'_>) -> Result<Ingress, Unreadable> {
        Self::from_permissions(&group.ingress, lists)
    }

    pub fn from_permissions(
        permissions: &[Permission],
        lists: Lists<'_>,
    ) -> Result<Ingress, Unreadable> {
        let mut rules = Vec::new();
        for p in permissions {
            let protocols = parse_protocol(&p.protocol).ok_or_else(|| {
                Unreadable(format!(
                    "a rule's protocol `{}` is not tcp, udp, icmp, icmpv6, -1 or an IP protocol number",
                    p.protocol
                ))
            })?;
            let (from, to) = match protocols {
                Protocols::One(_) => ports(p).ok_or_else(|| {
                    Unreadable(format!(
                        "a {} rule's port range {:?}-{:?} is not one",
                        p.protocol, p.from_port, p.to_port
                    ))
                })?,
                _ => (0, 65535),
            };
            let mut v4 = Vec::new();
            let mut v6 = Vec::new();
            for c in &p.ipv4_ranges {
                v4.push(
                    v4_span(c).ok_or_else(|| {
                        Unreadable(format!("`{c}` in a rule is not an IPv4 CIDR"))
                    })?,
                );
            }
            for c in &p.ipv6_ranges {
                v6.push(
                    v6_span(c).ok_or_else(|| {
                        Unreadable(format!("`{c}` in a rule is not an IPv6 CIDR"))
                    })?,
                );
            }
            let mut unknown = Vec::new();
            for id in &p.prefix_list_ids {
                let known = match lists {
                    Ok(l) => l,
                    Err(g) => {
                        unknown.push(format!(
                            "{id} (the region's prefix lists could not be read: {} {})",
                            g.operation, g.error_code
                        ));
                        continue;
                    }
                };
                let Some(list) = known.iter().find(|l| &l.id == id) else {
                    unknown.push(format!("{id} (not found in the region's prefix lists)"));
                    continue;
                };
                match &list.entries {
                    // AWS's own service ranges: never the internet.
                    None if list.is_aws_managed() => {}
                    None => unknown.push(format!("{id} (its entries were not collected)")),
                    Some(entries) => match entries.get() {
                        Ok(cidrs) => {
                            for c in cidrs {
                                if let Some(s) = v4_span(c) {
                                    v4.push(s);
                                } else if let Some(s) = v6_span(c) {
                                    v6.push(s);
                                } else {
                                    return Err(Unreadable(format!(
                                        "`{c}` in prefix list {id} is not a CIDR"
                                    )));
                                }
                            }
                        }
                        Err(g) => unknown.push(format!(
                            "{id} (its entries could not be read: {} {})",
                            g.operation, g.error_code
                        )),
                    },
                }
            }
            rules.push(Rule {
                protocols,
                from,
                to,
                v4,
                v6,
                unknown,
                label: format!(
                    "{} from {}",
                    describe_ports(p),
                    sources_label(p, lists.unwrap_or(&[]))
                ),
                by_address: !p.ipv4_ranges.is_empty()
                    || !p.ipv6_ranges.is_empty()
                    || !p.prefix_list_ids.is_empty(),
                by_group: p.group_sources.len(),
            });
        }
        Ok(Ingress { rules })
    }

    /// Whether these rules together open everything to the internet.
    fn judge<'a>(
        rules: impl Iterator<Item = &'a Rule> + Clone,
    ) -> (Open, Vec<String>, Vec<String>) {
        let mut v4: Vec<Span> = rules.clone().flat_map(|r| r.v4.iter().copied()).collect();
        let mut v6: Vec<Span> = rules.clone().flat_map(|r| r.v6.iter().copied()).collect();
        let contributing = |family_v4: bool| -> Vec<String> {
            rules
                .clone()
                .filter(|r| {
                    if family_v4 {
                        !r.v4.is_empty()
                    } else {
                        !r.v6.is_empty()
                    }
                })
                .map(|r| r.label.clone())
                .collect()
        };
        if covers_all(&mut v4, V4_TOP) {
            return (Open::Yes, contributing(true), Vec::new());
        }
        if covers_all(&mut v6, V6_TOP) {
            return (Open::Yes, contributing(false), Vec::new());
        }
        let unknown: Vec<String> = rules.clone().flat_map(|r| r.unknown.clone()).collect();
        if unknown.is_empty() {
            (Open::No, Vec::new(), Vec::new())
        } else {
            let labels = rules
                .filter(|r| !r.unknown.is_empty())
                .map(|r| r.label.clone())
                .collect();
            (Open::Unknown, labels, unknown)
        }
    }

    /// Every rule that admits anyone (internet or not) on `port` over `proto`.
    pub fn admitting(&self, proto: Proto, port: u32) -> Vec<Admitting<'_>> {
        self.rules
            .iter()
            .filter(|r| r.covers(proto, port))
            .map(|r| Admitting {
                label: &r.label,
                by_address: r.by_address,
                by_group: r.by_group,
            })
            .collect()
    }

    /// Whether `port` over `proto` is open to the internet, and by which rules.
    pub fn port(&self, proto: Proto, port: u32) -> Segment {
        let (open, rules, unknown) =
            Self::judge(self.rules.iter().filter(|r| r.covers(proto, port)));
        Segment {
            proto,
            from: port,
            to: port,
            open,
            rules,
            unknown,
        }
    }

    /// Every protocol, from the internet: rules of protocol `-1` that together cover it.
    pub fn all_protocols(&self) -> (Open, Vec<String>, Vec<String>) {
        Self::judge(self.rules.iter().filter(|r| r.protocols == Protocols::All))
    }

    /// Every other IP protocol (not TCP, UDP or ICMP) that rules open, all its ports, to the
    /// internet: `(protocol number, answer, rules, unreadable lists)`.
    pub fn other_protocols(&self) -> Vec<(u8, Open, Vec<String>, Vec<String>)> {
        let mut numbers: Vec<u8> = self
            .rules
            .iter()
            .filter_map(|r| match r.protocols {
                Protocols::Number(n) => Some(n),
                _ => None,
            })
            .collect();
        numbers.sort_unstable();
        numbers.dedup();
        numbers
            .into_iter()
            .filter_map(|n| {
                let (open, rules, unknown) = Self::judge(self.rules.iter().filter(|r| {
                    r.protocols == Protocols::Number(n) || r.protocols == Protocols::All
                }));
                (open != Open::No).then_some((n, open, rules, unknown))
            })
            .collect()
    }

    /// The parts of `proto`'s port space that are open (or may be) to the internet, in
    /// order, adjacent parts with the same answer and rules merged.
    pub fn open_segments(&self, proto: Proto) -> Vec<Segment> {
        let mut cuts: Vec<u32> = vec![0, 65536];
        for r in self.rules.iter().filter(|r| match r.protocols {
            Protocols::All => true,
            Protocols::One(p) => p == proto,
            Protocols::Number(_) | Protocols::Icmp => false,
        }) {
            cuts.push(r.from);
            cuts.push(r.to + 1);
        }
        cuts.sort_unstable();
        cuts.dedup();
        let mut out: Vec<Segment> = Vec::new();
        for w in cuts.windows(2) {
            let (from, to) = (w[0], w[1] - 1);
            let seg = Segment {
                from,
                to,
                ..self.port(proto, from)
            };
            if seg.open == Open::No {
                continue;
            }
            match out.last_mut() {
                Some(last)
                    if last.to + 1 == from && last.open == seg.open && last.rules == seg.rules =>
                {
                    last.to = to;
                }
                _ => out.push(seg),
            }
        }
        out
    }

    /// Whether every port of `proto` (port 0 aside, which no service listens on) is open.
    pub fn all_ports(&self, proto: Proto) -> Segment {
        let segs = self.open_segments(proto);
        let mut next = 1;
        let mut open = Open::Yes;
        let mut rules = Vec::new();
        let mut unknown = Vec::new();
        for s in &segs {
            if s.to < next {
                continue;
            }
            if s.from > next {
                break;
            }
            open = open.min(s.open);
            for r in &s.rules {
                if !rules.contains(r) {
                    rules.push(r.clone());
                }
            }
            unknown.extend(s.unknown.iter().cloned());
            next = s.to + 1;
        }
        if next <= 65535 {
            open = Open::No;
        }
        unknown.sort();
        unknown.dedup();
        Segment {
            proto,
            from: 1,
            to: 65535,
            open,
            rules: if open == Open::No { Vec::new() } else { rules },
            unknown: if open == Open::No {
                Vec::new()
            } else {
                unknown
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::Collected;

    fn perm(
        proto: &str,
        from: Option<i32>,
        to: Option<i32>,
        v4: &[&str],
        v6: &[&str],
    ) -> Permission {
        Permission {
            protocol: proto.into(),
            from_port: from,
            to_port: to,
            ipv4_ranges: v4.iter().map(|s| s.to_string()).collect(),
            ipv6_ranges: v6.iter().map(|s| s.to_string()).collect(),
            prefix_list_ids: vec![],
            group_sources: vec![],
        }
    }

    fn ingress(perms: &[Permission]) -> Ingress {
        Ingress::from_permissions(perms, Ok(&[])).expect("readable")
    }

    #[test]
    fn cidrs_and_their_unions() {
        assert_eq!(v4_span("0.0.0.0/0"), Some((0, V4_TOP)));
        assert_eq!(
            v4_span("10.1.2.3/8"),
            Some((10 << 24, (11 << 24) - 1)),
            "host bits masked"
        );
        assert_eq!(v4_span("1.2.3.4/33"), None);
        assert_eq!(v4_span("::/0"), None);
        assert_eq!(v6_span("::/0"), Some((0, V6_TOP)));
        let mut halves = vec![
            v4_span("128.0.0.0/1").unwrap(),
            v4_span("0.0.0.0/1").unwrap(),
        ];
        assert!(covers_all(&mut halves, V4_TOP));
        let mut holes = vec![
            v4_span("0.0.0.0/1").unwrap(),
            v4_span("128.0.0.0/2").unwrap(),
        ];
        assert!(!covers_all(&mut holes, V4_TOP));
        let mut v6 = vec![v6_span("::/1").unwrap(), v6_span("8000::/1").unwrap()];
        assert!(covers_all(&mut v6, V6_TOP));
    }

    #[test]
    fn a_port_is_open_by_range_by_all_protocols_and_by_unions() {
        let g = ingress(&[perm("tcp", Some(20), Some(25), &["0.0.0.0/0"], &[])]);
        assert_eq!(g.port(Proto::Tcp, 22).open, Open::Yes);
        assert_eq!(g.port(Proto::Udp, 22).open, Open::No);
        assert_eq!(g.port(Proto::Tcp, 3389).open, Open::No);
        let g = ingress(&[perm("-1", None, None, &[], &["::/0"])]);
        assert_eq!(g.port(Proto::Udp, 3389).open, Open::Yes);
        assert_eq!(g.all_protocols().0, Open::Yes);
        let g = ingress(&[
            perm("6", Some(22), Some(22), &["0.0.0.0/1"], &[]),
            perm("tcp", Some(0), Some(65535), &["128.0.0.0/1"], &[]),
        ]);
        let s = g.port(Proto::Tcp, 22);
        assert_eq!(s.open, Open::Yes, "two halves make the internet");
        assert_eq!(s.rules.len(), 2, "{s:?}");
        assert_eq!(g.port(Proto::Tcp, 23).open, Open::No, "only one half");
        let g = ingress(&[perm("tcp", Some(22), Some(22), &["203.0.113.0/24"], &[])]);
        assert_eq!(g.port(Proto::Tcp, 22).open, Open::No);
        let g = ingress(&[perm("icmp", Some(-1), Some(-1), &["0.0.0.0/0"], &[])]);
        assert_eq!(g.port(Proto::Tcp, 22).open, Open::No);
        assert_eq!(g.all_protocols().0, Open::No);
    }

    #[test]
    fn the_shapes_ec2_gives_rules_in() {
        // Protocol names in other cases and as numbers, a range that holds the port, IPv6.
        let g = ingress(&[
            perm("TCP", Some(0), Some(65535), &[], &["::/0"]),
            perm("17", Some(3000), Some(4000), &["0.0.0.0/0"], &[]),
        ]);
        assert_eq!(g.port(Proto::Tcp, 3389).open, Open::Yes);
        assert_eq!(g.port(Proto::Udp, 3389).open, Open::Yes);
        assert_eq!(g.port(Proto::Udp, 4001).open, Open::No);
        // A rule naming a group and the internet is open by the internet.
        let mut mixed = perm("tcp", Some(22), Some(22), &["0.0.0.0/0"], &[]);
        mixed.group_sources = vec!["sg-bastion".into()];
        let g = ingress(&[mixed]);
        assert_eq!(g.port(Proto::Tcp, 22).open, Open::Yes);
        let admitting = g.admitting(Proto::Tcp, 22);
        assert_eq!(admitting.len(), 1);
        assert!(admitting[0].by_address && admitting[0].by_group == 1);
        // Absent ports on a TCP rule mean every port; -1 bounds too.
        let g = ingress(&[perm("tcp", None, None, &["0.0.0.0/0"], &[])]);
        assert_eq!(g.all_ports(Proto::Tcp).open, Open::Yes);
        let g = ingress(&[perm("udp", Some(-1), Some(-1), &["0.0.0.0/0"], &[])]);
        assert_eq!(g.all_ports(Proto::Udp).open, Open::Yes);
        // A /0 written with host bits is still the whole space.
        let g = ingress(&[perm("tcp", Some(22), Some(22), &["10.0.0.0/0"], &[])]);
        assert_eq!(g.port(Proto::Tcp, 22).open, Open::Yes);
        // The union of many small ranges that leave one address out is not the internet.
        let g = ingress(&[perm(
            "tcp",
            Some(22),
            Some(22),
            &[
                "0.0.0.0/1",
                "128.0.0.0/2",
                "192.0.0.0/3",
                "224.0.0.0/4",
                "240.0.0.0/5",
                "248.0.0.0/6",
                "252.0.0.0/7",
                "254.0.0.0/8",
                "255.0.0.0/9",
                "255.128.0.0/9",
            ],
            &[],
        )]);
        assert_eq!(g.port(Proto::Tcp, 22).open, Open::Yes, "adds up exactly");
        let g = ingress(&[perm(
            "tcp",
            Some(22),
            Some(22),
            &[
                "0.0.0.0/1",
                "128.0.0.0/2",
                "192.0.0.0/3",
                "224.0.0.0/4",
                "240.0.0.0/5",
                "248.0.0.0/6",
                "252.0.0.0/7",
                "254.0.0.0/8",
                "255.0.0.0/9",
            ],
            &[],
        )]);
        assert_eq!(
            g.port(Proto::Tcp, 22).open,
            Open::No,
            "255.128.0.0/9 is missing"
        );
    }

    #[test]
    fn all_ports_from_pieces() {
        let g = ingress(&[
            perm("tcp", Some(0), Some(1000), &["0.0.0.0/0"], &[]),
            perm("tcp", Some(1001), Some(65535), &["0.0.0.0/0"], &[]),
        ]);
        assert_eq!(g.all_ports(Proto::Tcp).open, Open::Yes);
        assert_eq!(g.all_ports(Proto::Udp).open, Open::No);
        let g = ingress(&[perm("tcp", Some(1), Some(65535), &["0.0.0.0/0"], &[])]);
        assert_eq!(g.all_ports(Proto::Tcp).open, Open::Yes, "port 0 aside");
        let g = ingress(&[perm("tcp", Some(0), Some(65534), &["0.0.0.0/0"], &[])]);
        assert_eq!(g.all_ports(Proto::Tcp).open, Open::No);
        let segs = g.open_segments(Proto::Tcp);
        assert_eq!(segs.len(), 1);
        assert_eq!((segs[0].from, segs[0].to), (0, 65534));
    }

    #[test]
    fn prefix_lists_count_by_their_entries() {
        let list = |id: &str, owner: &str, entries: Option<Collected<Vec<String>>>| PrefixList {
            id: id.into(),
            name: format!("{id}-name"),
            owner_id: owner.into(),
            address_family: "IPv4".into(),
            entries,
        };
        let lists = vec![
            list(
                "pl-world",
                "123456789012",
                Some(Collected::Ok(vec![
                    "0.0.0.0/1".into(),
                    "128.0.0.0/1".into(),
                ])),
            ),
            list(
                "pl-office",
                "123456789012",
                Some(Collected::Ok(vec!["203.0.113.0/24".into()])),
            ),
            list("pl-s3", "AWS", None),
            list(
                "pl-hidden",
                "123456789012",
                Some(Collected::Gap(crate::inventory::Gap {
                    service: "EC2".into(),
                    region: "eu-west-1".into(),
                    operation: "GetManagedPrefixListEntries".into(),
                    error_code: "UnauthorizedOperation".into(),
                    message: "no".into(),
                })),
            ),
        ];
        let with = |id: &str| {
            let mut p = perm("tcp", Some(22), Some(22), &[], &[]);
            p.prefix_list_ids = vec![id.into()];
            Ingress::from_permissions(&[p], Ok(&lists)).expect("readable")
        };
        assert_eq!(with("pl-world").port(Proto::Tcp, 22).open, Open::Yes);
        assert_eq!(with("pl-office").port(Proto::Tcp, 22).open, Open::No);
        assert_eq!(with("pl-s3").port(Proto::Tcp, 22).open, Open::No);
        let hidden = with("pl-hidden").port(Proto::Tcp, 22);
        assert_eq!(hidden.open, Open::Unknown);
        assert!(hidden.unknown[0].contains("pl-hidden"), "{hidden:?}");
        assert_eq!(with("pl-gone").port(Proto::Tcp, 22).open, Open::Unknown);
        let mut lists = lists;
        lists.push(list("pl-uncollected", "123456789012", None));
        let mut p = perm("tcp", Some(22), Some(22), &[], &[]);
        p.prefix_list_ids = vec!["pl-uncollected".into()];
        let g = Ingress::from_permissions(&[p], Ok(&lists)).expect("readable");
        assert_eq!(
            g.port(Proto::Tcp, 22).open,
            Open::Unknown,
            "only AWS's own lists go unread"
        );
    }

    #[test]
    fn unreadable_rules_are_errors_not_closed() {
        let bad = perm("tcp", Some(22), Some(22), &["0.0.0.0"], &[]);
        assert!(Ingress::from_permissions(&[bad], Ok(&[])).is_err());
        let backwards = perm("tcp", Some(30), Some(20), &["0.0.0.0/0"], &[]);
        assert!(Ingress::from_permissions(&[backwards], Ok(&[])).is_err());
        let no_proto = perm("", None, None, &["0.0.0.0/0"], &[]);
        assert!(Ingress::from_permissions(&[no_proto], Ok(&[])).is_err());
        for bad in ["sctp", "tpc", "256", "all"] {
            let p = perm(bad, None, None, &["0.0.0.0/0"], &[]);
            assert!(Ingress::from_permissions(&[p], Ok(&[])).is_err(), "{bad}");
        }
        let beyond = perm("tcp", Some(70000), Some(80000), &["0.0.0.0/0"], &[]);
        assert!(Ingress::from_permissions(&[beyond], Ok(&[])).is_err());
    }

    #[test]
    fn other_protocols_open_all_their_ports_and_icmp_none() {
        let g = ingress(&[
            perm("132", Some(22), Some(22), &["0.0.0.0/0"], &[]),
            perm("icmpv6", Some(-1), Some(-1), &[], &["::/0"]),
            perm("50", None, None, &["10.0.0.0/8"], &[]),
        ]);
        assert_eq!(g.port(Proto::Tcp, 22).open, Open::No, "SCTP is not TCP");
        let others = g.other_protocols();
        assert_eq!(others.len(), 1, "{others:?}");
        assert_eq!((others[0].0, others[0].1), (132, Open::Yes));
    }
}
