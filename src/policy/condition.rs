//! Condition blocks: `"Condition": {"StringLike": {"aws:SourceVpce": ["vpce-1"]}}`.
//!
//! Blocks are ANDed; the values of one block are ORed. An operator may carry a set
//! qualifier (`ForAnyValue:`, `ForAllValues:`) and the `IfExists` suffix. Evaluation is
//! three-valued: a check knows some keys of the request it imagines (the policy ARN an
//! attach would name, the service a role is passed to) and nothing of the others, and says
//! what it does with `Unknown`.

use super::pattern::{Unknown, Vars, has_variable, string_like};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Qualifier {
    None,
    ForAnyValue,
    ForAllValues,
}

/// The operator's family, without qualifier or `IfExists`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Base {
    StringEquals,
    StringNotEquals,
    StringEqualsIgnoreCase,
    StringNotEqualsIgnoreCase,
    StringLike,
    StringNotLike,
    ArnEquals,
    ArnLike,
    ArnNotEquals,
    ArnNotLike,
    Bool,
    Null,
    /// Numeric, date, binary and IP operators, and any the policy grammar may add: postura
    /// does not evaluate them, so they are always `Unknown`.
    Other(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operator {
    /// As written in the policy.
    pub name: String,
    pub qualifier: Qualifier,
    pub base: Base,
    pub if_exists: bool,
}

impl Operator {
    pub fn parse(name: &str) -> Operator {
        let (qualifier, rest) = match name.split_once(':') {
            Some((q, rest)) if q.eq_ignore_ascii_case("ForAnyValue") => {
                (Qualifier::ForAnyValue, rest)
            }
            Some((q, rest)) if q.eq_ignore_ascii_case("ForAllValues") => {
                (Qualifier::ForAllValues, rest)
            }
            _ => (Qualifier::None, name),
        };
        let lower = rest.to_ascii_lowercase();
        let (core, if_exists) = match lower.strip_suffix("ifexists") {
            Some(core) => (core.to_string(), true),
            None => (lower, false),
        };
        let base = match core.as_str() {
            "stringequals" => Base::StringEquals,
            "stringnotequals" => Base::StringNotEquals,
            "stringequalsignorecase" => Base::StringEqualsIgnoreCase,
            "stringnotequalsignorecase" => Base::StringNotEqualsIgnoreCase,
            "stringlike" => Base::StringLike,
            "stringnotlike" => Base::StringNotLike,
            "arnequals" => Base::ArnEquals,
            "arnlike" => Base::ArnLike,
            "arnnotequals" => Base::ArnNotEquals,
            "arnnotlike" => Base::ArnNotLike,
            "bool" => Base::Bool,
            "null" => Base::Null,
            _ => Base::Other(rest.to_string()),
        };
        Operator {
            name: name.to_string(),
            qualifier,
            base,
            if_exists,
        }
    }

    /// Operators that are true when the value does not match (`StringNotLike`, ...).
    pub fn is_negated(&self) -> bool {
        matches!(
            self.base,
            Base::StringNotEquals
                | Base::StringNotEqualsIgnoreCase
                | Base::StringNotLike
                | Base::ArnNotEquals
                | Base::ArnNotLike
        )
    }

    /// Operators that compare strings (or ARNs) for a match: what a restriction to named
    /// values is written with.
    pub fn is_string_match(&self) -> bool {
        matches!(
            self.base,
            Base::StringEquals
                | Base::StringEqualsIgnoreCase
                | Base::StringLike
                | Base::ArnEquals
                | Base::ArnLike
                | Base::StringNotEquals
                | Base::StringNotEqualsIgnoreCase
                | Base::StringNotLike
                | Base::ArnNotEquals
                | Base::ArnNotLike
        )
    }

    /// Whether a value of this operator is read as a pattern (`*`, `?`).
    pub fn is_like(&self) -> bool {
        matches!(
            self.base,
            Base::StringLike
                | Base::StringNotLike
                | Base::ArnEquals
                | Base::ArnLike
                | Base::ArnNotEquals
                | Base::ArnNotLike
        )
    }

    pub fn ignores_case(&self) -> bool {
        matches!(
            self.base,
            Base::StringEqualsIgnoreCase | Base::StringNotEqualsIgnoreCase
        )
    }

    /// Whether one value of the request matches one value of the condition, before
    /// negation. Like-operators read `*` and `?`; ARN operators are like-operators too.
    pub fn value_matches(&self, pattern: &str, value: &str, unknown: Unknown) -> bool {
        if self.ignores_case() {
            pattern.to_lowercase() == value.to_lowercase()
        } else if self.is_like() || pattern.contains("${") {
            string_like(
                if self.is_like() {
                    pattern.to_string()
                } else {
                    escape_wildcards(pattern)
                }
                .as_str(),
                value,
                Vars::NONE,
                unknown,
            )
        } else {
            pattern == value
        }
    }
}

/// StringEquals reads `*` literally; with a variable in the value, escape the wildcards so
/// the pattern matcher can expand the variable.
fn escape_wildcards(s: &str) -> String {
    s.replace('*', "${*}").replace('?', "${?}")
}

/// One key of one block: `StringLike` / `aws:SourceVpce` / `["vpce-1"]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    pub operator: Operator,
    /// The condition key as written (keys compare case-insensitively).
    pub key: String,
    /// Values as strings (`true`, `10`, ...); a policy's numbers and booleans are text too.
    pub values: Vec<String>,
    /// Whether `${...}` in the values is a policy variable (policy language 2012-10-17).
    pub variables: bool,
}

/// True, false, or not knowable from what the check knows of the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tri {
    True,
    False,
    Unknown,
}

impl Tri {
    pub fn and(self, other: Tri) -> Tri {
        match (self, other) {
            (Tri::False, _) | (_, Tri::False) => Tri::False,
            (Tri::True, Tri::True) => Tri::True,
            _ => Tri::Unknown,
        }
    }
}

/// What a check knows of an imagined request: for some keys, their values (an empty list
/// for a key the request does not carry); every other key is unknown.
#[derive(Debug, Clone, Default)]
pub struct Request {
    known: Vec<(String, Vec<String>)>,
}

impl Request {
    pub fn new() -> Self {
        Request::default()
    }

    pub fn with(mut self, key: &str, values: &[&str]) -> Self {
        self.known.push((
            key.to_ascii_lowercase(),
            values.iter().map(|v| v.to_string()).collect(),
        ));
        self
    }

    fn get(&self, key: &str) -> Option<&[String]> {
        let key = key.to_ascii_lowercase();
        self.known
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.as_slice())
    }
}

impl Condition {
    pub fn key_is(&self, key: &str) -> bool {
        self.key.eq_ignore_ascii_case(key)
    }

    /// Evaluates this condition against what is known of the request.
    pub fn evaluate(&self, request: &Request) -> Tri {
        let Some(present) = request.get(&self.key) else {
            return Tri::Unknown;
        };
        let op = &self.operator;
        if op.base == Base::Null {
            // Null: "true" means the key must be absent.
            let want_absent = self.values.iter().any(|v| v.eq_ignore_ascii_case("true"));
            let want_present = self.values.iter().any(|v| v.eq_ignore_ascii_case("false"));
            let absent = present.is_empty();
            return if (want_absent && absent) || (want_present && !absent) {
                Tri::True
            } else {
                Tri::False
            };
        }
        if present.is_empty() {
            // An absent key matches nothing: positive operators are false, negated ones
            // (StringNotEquals, ArnNotLike, ...) true, as are IfExists and ForAllValues.
            return match op.qualifier {
                Qualifier::ForAllValues => Tri::True,
                Qualifier::ForAnyValue => Tri::False,
                _ if op.if_exists || op.is_negated() => Tri::True,
                _ => Tri::False,
            };
        }
        // A value holding a variable postura cannot resolve (`${aws:PrincipalTag/team}`)
        // may match or not.
        if self.variables && op.is_string_match() && self.values.iter().any(|v| has_variable(v)) {
            return Tri::Unknown;
        }
        let one = |value: &str| -> Option<bool> {
            let matched = match &op.base {
                Base::Bool => self.values.iter().any(|v| v.eq_ignore_ascii_case(value)),
                Base::Other(_) => return None,
                _ => self
                    .values
                    .iter()
                    .any(|p| op.value_matches(p, value, Unknown::Wide)),
            };
            Some(if op.is_negated() { !matched } else { matched })
        };
        let results: Option<Vec<bool>> = present.iter().map(|v| one(v)).collect();
        let Some(results) = results else {
            return Tri::Unknown;
        };
        let ok = match op.qualifier {
            Qualifier::ForAllValues => results.iter().all(|b| *b),
            // A single-valued key behaves as ForAnyValue over its one value.
            Qualifier::ForAnyValue | Qualifier::None => results.iter().any(|b| *b),
        };
        if ok { Tri::True } else { Tri::False }
    }
}

/// All conditions of a statement, ANDed.
pub fn evaluate_all(conditions: &[Condition], request: &Request) -> Tri {
    conditions
        .iter()
        .fold(Tri::True, |acc, c| acc.and(c.evaluate(request)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cond(op: &str, key: &str, values: &[&str]) -> Condition {
        Condition {
            operator: Operator::parse(op),
            key: key.into(),
            values: values.iter().map(|v| v.to_string()).collect(),
            variables: true,
        }
    }

    #[test]
    fn operators_parse_with_qualifiers_and_if_exists() {
        let o = Operator::parse("ForAnyValue:StringLikeIfExists");
        assert_eq!(o.qualifier, Qualifier::ForAnyValue);
        assert_eq!(o.base, Base::StringLike);
        assert!(o.if_exists);
        assert_eq!(
            Operator::parse("stringnotequals").base,
            Base::StringNotEquals
        );
        assert!(Operator::parse("ArnNotLike").is_negated());
        assert_eq!(
            Operator::parse("IpAddress").base,
            Base::Other("IpAddress".into())
        );
    }

    #[test]
    fn evaluation_table() {
        let arn = "arn:aws:iam::aws:policy/AdministratorAccess";
        let req = Request::new()
            .with("iam:PolicyARN", &[arn])
            .with("aws:MultiFactorAuthPresent", &[]);
        let cases = [
            (cond("ArnEquals", "iam:PolicyArn", &[arn]), Tri::True),
            (
                cond("ArnLike", "iam:PolicyARN", &["arn:aws:iam::aws:policy/*"]),
                Tri::True,
            ),
            (
                cond(
                    "ArnNotLike",
                    "iam:PolicyARN",
                    &["arn:aws:iam::aws:policy/*"],
                ),
                Tri::False,
            ),
            (
                cond(
                    "StringEquals",
                    "iam:PolicyARN",
                    &["arn:aws:iam::1:policy/ReadOnly"],
                ),
                Tri::False,
            ),
            (
                cond(
                    "StringEquals",
                    "iam:PolicyARN",
                    &["arn:aws:iam::aws:policy/*"],
                ),
                Tri::False,
            ),
            (
                cond(
                    "StringEqualsIgnoreCase",
                    "iam:PolicyARN",
                    &[&arn.to_uppercase()],
                ),
                Tri::True,
            ),
            (
                cond(
                    "StringNotEquals",
                    "iam:PolicyARN",
                    &["arn:aws:iam::1:policy/x"],
                ),
                Tri::True,
            ),
            (
                cond("StringEquals", "aws:SourceIp", &["10.0.0.1"]),
                Tri::Unknown,
            ),
            (
                cond("IpAddress", "iam:PolicyARN", &["10.0.0.0/8"]),
                Tri::Unknown,
            ),
            (
                cond("Bool", "aws:MultiFactorAuthPresent", &["true"]),
                Tri::False,
            ),
            (
                cond("BoolIfExists", "aws:MultiFactorAuthPresent", &["true"]),
                Tri::True,
            ),
            (
                cond("Null", "aws:MultiFactorAuthPresent", &["true"]),
                Tri::True,
            ),
            (cond("Null", "iam:PolicyARN", &["true"]), Tri::False),
            (
                cond(
                    "ForAllValues:StringEquals",
                    "aws:MultiFactorAuthPresent",
                    &["x"],
                ),
                Tri::True,
            ),
        ];
        for (c, want) in cases {
            assert_eq!(c.evaluate(&req), want, "{c:?}");
        }
        assert_eq!(Tri::True.and(Tri::Unknown), Tri::Unknown);
        assert_eq!(Tri::Unknown.and(Tri::False), Tri::False);
    }
}
