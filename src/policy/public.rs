//! Whether a resource policy opens its resource to the public, by the rules the S3 user
//! guide gives in "The meaning of public" (the same rules Access Analyzer and Block Public
//! Access apply to other resource policies).
//!
//! An Allow reaches the public when its principal is everyone (`*`, `{"AWS": "*"}`, or a
//! `NotPrincipal`) and none of its conditions pins the request to something only named
//! parties have: a fixed value (no wildcard, no policy variable) of a key that names the
//! caller's account, organisation, network or the resource acting. A Deny takes access away
//! from the public when it reaches every principal and each of its conditions holds for
//! any request from outside such a fixed set (`StringNotEquals aws:PrincipalOrgID`,
//! `NotIpAddress aws:SourceIp`, ...).

use std::net::IpAddr;

use super::condition::{Base, Condition, Qualifier};
use super::document::{Principal, Statement};
use super::pattern::{has_variable, has_wildcard, literal_prefix};

/// What a restricting key's values name, which decides when a pattern is still fixed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Names {
    /// An account id (`111122223333`).
    Account,
    /// An organisation id (`o-a1b2c3d4e5`).
    Org,
    /// An organisation path (`o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/`).
    OrgPath,
    /// An ARN (of a principal, an access point, a resource acting as source).
    Arn,
    /// `aws:userid`: `AIDA...` or `AROA...:session`.
    UserId,
    /// An address range (`aws:SourceIp`).
    Address,
    /// Any other fixed identifier (a VPC, a VPC endpoint, a KMS key).
    Id,
}

/// The keys whose fixed values keep the public out: the list of the S3 API reference's
/// PublicAccessBlockConfiguration, with the organisation and principal-account keys the
/// user guide has added since.
const KEYS: &[(&str, Names)] = &[
    ("aws:sourceip", Names::Address),
    ("aws:sourcearn", Names::Arn),
    ("aws:sourcevpc", Names::Id),
    ("aws:sourcevpce", Names::Id),
    ("aws:sourceowner", Names::Account),
    ("aws:sourceaccount", Names::Account),
    ("aws:sourceorgid", Names::Org),
    ("aws:sourceorgpaths", Names::OrgPath),
    ("aws:userid", Names::UserId),
    ("aws:principalaccount", Names::Account),
    ("aws:principalarn", Names::Arn),
    ("aws:principalorgid", Names::Org),
    ("aws:principalorgpaths", Names::OrgPath),
    ("s3:dataaccesspointarn", Names::Arn),
    ("s3:dataaccesspointaccount", Names::Account),
    ("s3:x-amz-server-side-encryption-aws-kms-key-id", Names::Id),
];

fn names(key: &str) -> Option<Names> {
    let key = key.to_ascii_lowercase();
    KEYS.iter().find(|(k, _)| *k == key).map(|(_, n)| *n)
}

/// Whether one value pins the key to something only named parties have.
fn fixed(names: Names, value: &str, like: bool, variables: bool) -> bool {
    if value.is_empty() || (variables && has_variable(value)) {
        return false;
    }
    if names == Names::Address {
        return narrow_range(value);
    }
    if !like || !has_wildcard(value) {
        return true;
    }
    match names {
        // `arn:aws:iam::111122223333:role/*` is still one account's.
        Names::Arn => {
            let parts: Vec<&str> = value.splitn(6, ':').collect();
            parts.len() == 6
                && !parts[4].is_empty()
                && !has_wildcard(parts[4])
                && parts[4].chars().all(|c| c.is_ascii_digit())
        }
        // `o-a1b2c3d4e5/*` is still one organisation's.
        Names::OrgPath => {
            let prefix = literal_prefix(value);
            prefix.starts_with("o-") && prefix.contains('/')
        }
        // `AROAEXAMPLEID:*`: every session of one role.
        Names::UserId => value
            .strip_suffix(":*")
            .is_some_and(|id| !id.is_empty() && !has_wildcard(id)),
        Names::Account | Names::Org | Names::Id | Names::Address => false,
    }
}

/// An address range narrow enough to name a party: IPv4 /8 or narrower (RFC 1918 space
/// included), IPv6 /32 or narrower. A value that does not parse opens nothing up, so it
/// does not count as narrow either.
pub fn narrow_range(value: &str) -> bool {
    let (addr, len) = match value.split_once('/') {
        Some((a, l)) => match l.parse::<u8>() {
            Ok(l) => (a, Some(l)),
            // A prefix length that does not parse: not narrow (fail closed).
            Err(_) => return false,
        },
        None => (value, None),
    };
    let Ok(ip) = addr.trim().parse::<IpAddr>() else {
        return false;
    };
    match ip {
        IpAddr::V4(_) => {
            let len = len.unwrap_or(32);
            if len > 32 {
                return false;
            }
            // RFC 1918 ranges are /8 or narrower already, so the one bound covers them.
            len >= 8
        }
        // An IPv4-mapped range (`::ffff:0.0.0.0/96`) may stand for IPv4 callers: it is
        // judged by the IPv4 length it leaves (/96 is 0.0.0.0/0), failing closed.
        IpAddr::V6(v6) if v6.to_ipv4_mapped().is_some() => {
            let len = len.unwrap_or(128);
            (96 + 8..=128).contains(&len)
        }
        IpAddr::V6(_) => {
            let len = len.unwrap_or(128);
            (32..=128).contains(&len)
        }
    }
}

/// Whether the operator is `name` (`IpAddress`, `NotIpAddress`), with or without
/// `IfExists` (whose effect the callers judge from the operator's `if_exists`).
fn is_ip_operator(c: &Condition, name: &str) -> bool {
    matches!(&c.operator.base, Base::Other(n) if {
        let lower = n.to_ascii_lowercase();
        lower.strip_suffix("ifexists").unwrap_or(&lower) == name.to_ascii_lowercase()
    })
}

/// Whether `c`, in an Allow, keeps the public out: a positive match on a restricting key
/// with fixed values only. `IfExists` lets a request without the key through, and
/// `ForAllValues:` holds for a request without it, so neither restricts.
pub fn restricts(c: &Condition) -> bool {
    let op = &c.operator;
    let Some(names) = names(&c.key) else {
        return false;
    };
    if op.if_exists || op.qualifier == Qualifier::ForAllValues || c.values.is_empty() {
        return false;
    }
    let positive = if names == Names::Address {
        is_ip_operator(c, "IpAddress")
    } else {
        matches!(
            op.base,
            Base::StringEquals
                | Base::StringEqualsIgnoreCase
                | Base::StringLike
                | Base::ArnEquals
                | Base::ArnLike
        )
    };
    positive
        && c.values
            .iter()
            .all(|v| fixed(names, v, op.is_like(), c.variables))
}

/// Whether `c`, in a Deny, holds for every request from outside a fixed set: a negated
/// match on a restricting key with fixed values (true, too, for a request without the key,
/// unless `ForAnyValue:` makes that false).
pub fn holds_for_outsiders(c: &Condition) -> bool {
    let op = &c.operator;
    let Some(names) = names(&c.key) else {
        return false;
    };
    if op.qualifier == Qualifier::ForAnyValue || c.values.is_empty() {
        return false;
    }
    let negated = if names == Names::Address {
        is_ip_operator(c, "NotIpAddress")
    } else {
        op.is_negated()
    };
    negated
        && c.values
            .iter()
            .all(|v| fixed(names, v, op.is_like(), c.variables))
}

/// Whether the statement's principal is everyone (or, with `NotPrincipal`, everyone but
/// the named).
pub fn reaches_everyone(s: &Statement) -> bool {
    if let Some(not) = &s.not_principal {
        return !not.values().contains(&"*");
    }
    match &s.principal {
        Some(Principal::Any) => true,
        Some(p) => p.of("AWS").contains(&"*"),
        None => false,
    }
}

/// Who an Allow statement of a resource policy opens the resource to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Audience {
    /// Named principals only (accounts, roles, users, AWS services).
    Named,
    /// Everyone, but only with requests that meet these conditions, each of which pins the
    /// request to a named account, organisation, network or resource.
    Confined(Vec<String>),
    /// Anyone.
    Public,
}

pub fn audience(s: &Statement) -> Audience {
    // A `Federated` principal is anyone a web identity provider signs in
    // (`graph.facebook.com`, `cognito-identity.amazonaws.com`): no named party, and S3
    // calls such a grant public. (A Deny naming one turns away only those users.)
    let federated = s
        .principal
        .as_ref()
        .is_some_and(|p| !p.of("Federated").is_empty());
    if !reaches_everyone(s) && !federated {
        return Audience::Named;
    }
    let limits: Vec<String> = s
        .conditions
        .iter()
        .filter(|c| restricts(c))
        .map(|c| format!("{} {} {}", c.operator.name, c.key, c.values.join(", ")))
        .collect();
    if limits.is_empty() {
        Audience::Public
    } else {
        Audience::Confined(limits)
    }
}

/// Whether a Deny statement turns away every request from the public (for the actions and
/// resources it names): it reaches every principal, and each condition holds for any
/// request from outside the fixed set it names. A Deny with any other condition
/// (`aws:SecureTransport`, a tag, a time) leaves some public requests through.
pub fn denies_public(s: &Statement) -> bool {
    reaches_everyone(s) && s.conditions.iter().all(holds_for_outsiders)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::policy::{Document, Kind};

    fn statement(v: serde_json::Value) -> Statement {
        let doc = json!({"Version": "2012-10-17", "Statement": [v]});
        Document::parse(&doc, Kind::ResourceBased)
            .expect("a document")
            .statements
            .remove(0)
    }

    fn allow(condition: serde_json::Value) -> Statement {
        statement(json!({
            "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::b/*", "Condition": condition
        }))
    }

    fn deny(condition: serde_json::Value) -> Statement {
        let mut s = json!({
            "Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "s3:*",
            "Resource": "arn:aws:s3:::b/*"
        });
        if !condition.is_null() {
            s["Condition"] = condition;
        }
        statement(s)
    }

    fn confined(condition: serde_json::Value) -> bool {
        matches!(audience(&allow(condition)), Audience::Confined(_))
    }

    #[test]
    fn principals_that_are_everyone() {
        let with = |p: serde_json::Value| {
            statement(json!({"Effect": "Allow", "Principal": p, "Action": "s3:GetObject"}))
        };
        assert_eq!(audience(&with(json!("*"))), Audience::Public);
        assert_eq!(audience(&with(json!({"AWS": "*"}))), Audience::Public);
        assert_eq!(
            audience(&with(
                json!({"AWS": ["arn:aws:iam::111122223333:root", "*"]})
            )),
            Audience::Public
        );
        assert_eq!(
            audience(&with(json!({"AWS": "arn:aws:iam::111122223333:root"}))),
            Audience::Named
        );
        assert_eq!(
            audience(&with(json!({"Service": "cloudtrail.amazonaws.com"}))),
            Audience::Named
        );
        assert_eq!(
            audience(&with(
                json!({"CanonicalUser": "79a59df900b949e55d96a1e698fbaced"})
            )),
            Audience::Named
        );
        let not = statement(json!({
            "Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:root"},
            "Action": "s3:GetObject"
        }));
        assert_eq!(audience(&not), Audience::Public, "everyone but one account");
    }

    #[test]
    fn fixed_values_of_restricting_keys_confine_an_allow() {
        // Account, organisation, VPC endpoint, VPC, source ARN and address, as AWS
        // documents them, with each string and ARN operator.
        assert!(confined(
            json!({"StringEquals": {"aws:PrincipalAccount": "111122223333"}})
        ));
        assert!(confined(
            json!({"StringEquals": {"aws:PrincipalOrgID": ["o-a1b2c3d4e5"]}})
        ));
        assert!(confined(
            json!({"StringEqualsIgnoreCase": {"aws:SourceVpce": "vpce-1a2b3c4d"}})
        ));
        assert!(confined(
            json!({"StringLike": {"aws:SourceVpc": "vpc-111bbb22"}})
        ));
        assert!(confined(
            json!({"ArnEquals": {"aws:SourceArn": "arn:aws:cloudtrail:eu-west-1:111122223333:trail/main"}})
        ));
        assert!(
            confined(json!({"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/*"}})),
            "a pattern that still fixes the account"
        );
        assert!(confined(
            json!({"StringLike": {"aws:PrincipalOrgPaths": "o-a1b2c3d4e5/r-ab12/*"}})
        ));
        assert!(confined(
            json!({"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": ["o-a1b2c3d4e5/*"]}})
        ));
        assert!(confined(
            json!({"StringLike": {"aws:userid": "AROAEXAMPLEID:*"}})
        ));
        assert!(confined(
            json!({"StringEquals": {"aws:SourceAccount": "111122223333"}})
        ));
        assert!(confined(
            json!({"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}})
        ));
        assert!(confined(
            json!({"IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "2001:db8::/32"]}})
        ));
        assert!(confined(
            json!({"IpAddress": {"aws:SourceIp": "198.51.100.7"}})
        ));
        // Keys compare case-insensitively.
        assert!(confined(
            json!({"StringEquals": {"AWS:SOURCEVPCE": "vpce-1"}})
        ));
        // One restricting condition among others is enough (conditions are ANDed).
        assert!(confined(json!({
            "Bool": {"aws:SecureTransport": "true"},
            "StringEquals": {"aws:SourceVpce": "vpce-1"}
        })));
    }

    #[test]
    fn conditions_that_leave_an_allow_public() {
        for c in [
            // Keys the public controls or every request meets.
            json!({"Bool": {"aws:SecureTransport": "true"}}),
            json!({"StringLike": {"aws:Referer": "https://example.com/*"}}),
            json!({"StringEquals": {"s3:prefix": "public/"}}),
            // Wildcards and variables that do not fix the party.
            json!({"StringLike": {"aws:SourceVpce": "vpce-*"}}),
            json!({"StringLike": {"aws:PrincipalOrgID": "o-*"}}),
            json!({"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/admin"}}),
            json!({"ArnLike": {"aws:SourceArn": "arn:aws:s3:::logs-*"}}),
            json!({"StringLike": {"aws:PrincipalOrgPaths": "o-*/r-ab12/*"}}),
            json!({"StringLike": {"aws:userid": "*"}}),
            json!({"StringEquals": {"aws:PrincipalAccount": "${aws:username}"}}),
            // Negations, IfExists and ForAllValues admit requests from outside.
            json!({"StringNotEquals": {"aws:PrincipalAccount": "111122223333"}}),
            json!({"StringEqualsIfExists": {"aws:SourceVpce": "vpce-1"}}),
            json!({"ForAllValues:StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}),
            json!({"NotIpAddress": {"aws:SourceIp": "203.0.113.0/24"}}),
            json!({"IpAddressIfExists": {"aws:SourceIp": "203.0.113.0/24"}}),
            json!({"Null": {"aws:SourceVpce": "false"}}),
            // Address ranges wider than /8 (IPv4) or /32 (IPv6).
            json!({"IpAddress": {"aws:SourceIp": "0.0.0.0/0"}}),
            json!({"IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "0.0.0.0/1"]}}),
            json!({"IpAddress": {"aws:SourceIp": "::/0"}}),
            json!({"IpAddress": {"aws:SourceIp": "2001:db8::/16"}}),
            json!({"IpAddress": {"aws:SourceIp": "::ffff:0.0.0.0/96"}}),
            // A restricting key under an operator that does not match values.
            json!({"StringEquals": {"aws:SourceIp": "203.0.113.7"}}),
        ] {
            assert_eq!(audience(&allow(c.clone())), Audience::Public, "{c}");
        }
    }

    #[test]
    fn address_ranges() {
        assert!(narrow_range("10.0.0.0/8"));
        assert!(narrow_range("172.16.0.0/12"));
        assert!(narrow_range("192.168.0.0/16"));
        assert!(narrow_range("11.0.0.0/8"));
        assert!(!narrow_range("10.0.0.0/7"));
        assert!(!narrow_range("0.0.0.0/0"));
        assert!(narrow_range("2001:db8::/32"));
        assert!(!narrow_range("2001:db8::/31"));
        assert!(!narrow_range("not-an-address"));
        assert!(!narrow_range("10.0.0.0/40"));
        // IPv4-mapped ranges are judged by the IPv4 length they leave.
        assert!(!narrow_range("::ffff:0.0.0.0/96"));
        assert!(!narrow_range("::ffff:0:0/97"));
        assert!(narrow_range("::ffff:10.0.0.0/104"));
        assert!(narrow_range("::ffff:203.0.113.7"));
        assert!(!narrow_range("0.0.0.0/x"), "a length that does not parse");
    }

    #[test]
    fn a_deny_that_turns_away_everyone_outside_a_fixed_set() {
        assert!(denies_public(&deny(json!(null))), "no condition: everyone");
        assert!(denies_public(&deny(
            json!({"StringNotEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}})
        )));
        assert!(denies_public(&deny(
            json!({"StringNotEqualsIfExists": {"aws:SourceVpce": "vpce-1"}})
        )));
        assert!(denies_public(&deny(
            json!({"ForAllValues:StringNotEquals": {"aws:PrincipalOrgPaths": "o-a1b2c3d4e5/r-1/"}})
        )));
        assert!(denies_public(&deny(
            json!({"NotIpAddress": {"aws:SourceIp": "203.0.113.0/24"}})
        )));
        assert!(denies_public(&deny(
            json!({"NotIpAddressIfExists": {"aws:SourceIp": "203.0.113.0/24"}})
        )));
        assert!(denies_public(&deny(
            json!({"ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::111122223333:*"}})
        )));
        // Requests the Deny does not reach.
        for c in [
            json!({"Bool": {"aws:SecureTransport": "false"}}),
            json!({"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}),
            json!({"StringNotLike": {"aws:SourceVpce": "vpce-*"}}),
            json!({"ForAnyValue:StringNotEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}),
            json!({"NotIpAddress": {"aws:SourceIp": "0.0.0.0/1"}}),
            json!({"StringNotEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"},
                   "Bool": {"aws:SecureTransport": "false"}}),
        ] {
            assert!(!denies_public(&deny(c.clone())), "{c}");
        }
        let named = statement(json!({
            "Effect": "Deny", "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
            "Action": "s3:*"
        }));
        assert!(!denies_public(&named));
        let all_but = statement(json!({
            "Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:root"},
            "Action": "s3:*"
        }));
        assert!(denies_public(&all_but));
    }
}
