//! Reading a policy document: the one place policy text becomes statements.
//!
//! IAM returns documents URL-encoded (RFC 3986); other tools and hand-written inventories
//! hold JSON objects or JSON text. All three are read here. A document that cannot be read
//! is an error for the check to report (its result is ERROR), never "no statements".

use serde_json::{Map, Value};

use super::condition::{Condition, Operator};
use super::pattern::{Unknown, Vars, action_matches, resource_matches_in};

/// Why a document could not be read; the text says what is wrong and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct DocumentError(pub String);

fn err<T>(msg: impl Into<String>) -> Result<T, DocumentError> {
    Err(DocumentError(msg.into()))
}

/// Policy text as JSON: plain JSON, JSON text inside a JSON string, or URL-encoded JSON.
pub fn read_text(raw: &str) -> Result<Value, DocumentError> {
    read_text_depth(raw, 0)
}

fn read_text_depth(raw: &str, depth: u8) -> Result<Value, DocumentError> {
    let text = raw.trim();
    let parsed = match serde_json::from_str::<Value>(text) {
        Ok(v) => v,
        Err(json_err) => {
            let decoded = percent_encoding::percent_decode_str(text)
                .decode_utf8()
                .map_err(|_| {
                    DocumentError("the policy text is not UTF-8 once URL-decoded".into())
                })?;
            if decoded == text {
                return err(format!("the policy text is not JSON ({json_err})"));
            }
            serde_json::from_str::<Value>(&decoded).map_err(|e| {
                DocumentError(format!(
                    "the policy text is neither JSON nor URL-encoded JSON ({e})"
                ))
            })?
        }
    };
    match parsed {
        Value::String(inner) if depth < 2 => read_text_depth(&inner, depth + 1),
        Value::Object(_) => Ok(parsed),
        _ => err("the policy text is JSON but not a JSON object"),
    }
}

/// What a collector stores for a document it received as text: the JSON when it can be
/// read, or the text itself, so that the check reports why it cannot be read.
pub fn normalise(raw: &str) -> Value {
    read_text(raw).unwrap_or_else(|_| Value::String(raw.to_string()))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    Allow,
    Deny,
}

/// `Action` or `NotAction`, `Resource` or `NotResource`: the listed patterns, or every
/// value except them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Matcher {
    Only(Vec<String>),
    AllExcept(Vec<String>),
}

impl Matcher {
    pub fn patterns(&self) -> &[String] {
        match self {
            Matcher::Only(p) | Matcher::AllExcept(p) => p,
        }
    }
}

/// `"Principal": "*"` or `{"AWS": [...], "Federated": ..., "Service": ...}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    Any,
    Named(Vec<(String, Vec<String>)>),
}

impl Principal {
    /// The values of one principal type (`AWS`, `Federated`, `Service`, `CanonicalUser`).
    pub fn of(&self, kind: &str) -> Vec<&str> {
        match self {
            Principal::Any => Vec::new(),
            Principal::Named(entries) => entries
                .iter()
                .filter(|(k, _)| k.eq_ignore_ascii_case(kind))
                .flat_map(|(_, v)| v.iter().map(String::as_str))
                .collect(),
        }
    }

    /// Every value, whatever its type.
    pub fn values(&self) -> Vec<&str> {
        match self {
            Principal::Any => vec!["*"],
            Principal::Named(entries) => entries
                .iter()
                .flat_map(|(_, v)| v.iter().map(String::as_str))
                .collect(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// The statement's position in the document, from 1, for messages.
    pub index: usize,
    pub sid: Option<String>,
    pub effect: Effect,
    pub principal: Option<Principal>,
    pub not_principal: Option<Principal>,
    pub action: Matcher,
    /// `None` in a resource-based policy, where the statement applies to the resource the
    /// policy is attached to (a role's trust policy).
    pub resource: Option<Matcher>,
    pub conditions: Vec<Condition>,
    /// Whether `${...}` is a policy variable: only in policy language version 2012-10-17.
    /// Without a Version (or with 2008-10-17) it is literal text.
    pub variables: bool,
}

impl Statement {
    pub fn is_allow(&self) -> bool {
        self.effect == Effect::Allow
    }

    pub fn covers_action(&self, action: &str) -> bool {
        match &self.action {
            Matcher::Only(p) => p.iter().any(|p| action_matches(p, action)),
            Matcher::AllExcept(p) => !p.iter().any(|p| action_matches(p, action)),
        }
    }

    /// Whether the statement covers the ARN. Unknown variables match as `unknown` says,
    /// and a `NotResource` reads them the other way round, so that `Wide` always means
    /// "covers at least as much as IAM would".
    pub fn covers_resource(&self, arn: &str, vars: Vars<'_>, unknown: Unknown) -> bool {
        let flip = match unknown {
            Unknown::Wide => Unknown::Narrow,
            Unknown::Narrow => Unknown::Wide,
        };
        match &self.resource {
            None => true,
            Some(Matcher::Only(p)) => p
                .iter()
                .any(|p| resource_matches_in(p, arn, vars, unknown, self.variables)),
            Some(Matcher::AllExcept(p)) => !p
                .iter()
                .any(|p| resource_matches_in(p, arn, vars, flip, self.variables)),
        }
    }

    /// The statement's label in messages: its Sid, or its position.
    pub fn label(&self) -> String {
        match &self.sid {
            Some(s) if !s.is_empty() => format!("statement \"{s}\""),
            _ => format!("statement {}", self.index),
        }
    }
}

/// A policy document, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub statements: Vec<Statement>,
}

/// Whether statements must name their resources (identity policies and permissions
/// boundaries) or may leave them implicit (trust and other resource-based policies).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Identity,
    ResourceBased,
}

impl Document {
    /// Reads a document held as JSON or as text (see [`read_text`]).
    pub fn parse(value: &Value, kind: Kind) -> Result<Document, DocumentError> {
        let owned;
        let obj = match value {
            Value::Object(m) => m,
            Value::String(s) => {
                owned = read_text(s)?;
                match &owned {
                    Value::Object(m) => m,
                    _ => return err("the policy is not a JSON object"),
                }
            }
            Value::Null => return err("the policy document is null"),
            _ => return err("the policy document is neither a JSON object nor policy text"),
        };
        for key in obj.keys() {
            if !matches!(key.as_str(), "Version" | "Id" | "Statement") {
                return err(format!(
                    "the policy has an unknown top-level element `{key}`"
                ));
            }
        }
        let raw: Vec<&Value> = match obj.get("Statement") {
            Some(Value::Array(items)) => items.iter().collect(),
            Some(one @ Value::Object(_)) => vec![one],
            Some(_) => return err("the policy's Statement is neither an object nor an array"),
            None => return err("the policy has no Statement"),
        };
        let variables = match obj.get("Version") {
            None => false,
            Some(Value::String(v)) if v == "2012-10-17" => true,
            Some(Value::String(v)) if v == "2008-10-17" => false,
            Some(v) => {
                return err(format!(
                    "the policy's Version {v} is neither 2012-10-17 nor 2008-10-17"
                ));
            }
        };
        let statements = raw
            .into_iter()
            .enumerate()
            .map(|(i, s)| statement(i + 1, s, kind, variables))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Document { statements })
    }

    pub fn allows(&self) -> impl Iterator<Item = &Statement> {
        self.statements.iter().filter(|s| s.effect == Effect::Allow)
    }

    pub fn denies(&self) -> impl Iterator<Item = &Statement> {
        self.statements.iter().filter(|s| s.effect == Effect::Deny)
    }
}

fn strings(v: &Value, what: &str, at: usize) -> Result<Vec<String>, DocumentError> {
    let one = |v: &Value| match v {
        Value::String(s) => Ok(s.clone()),
        _ => err(format!(
            "statement {at}: {what} holds a value that is not a string ({v})"
        )),
    };
    match v {
        Value::Array(items) => items.iter().map(one).collect(),
        other => Ok(vec![one(other)?]),
    }
}

fn matcher(
    s: &Map<String, Value>,
    yes: &str,
    no: &str,
    at: usize,
) -> Result<Option<Matcher>, DocumentError> {
    match (s.get(yes), s.get(no)) {
        (Some(_), Some(_)) => err(format!("statement {at} has both {yes} and {no}")),
        (Some(v), None) => Ok(Some(Matcher::Only(strings(v, yes, at)?))),
        (None, Some(v)) => Ok(Some(Matcher::AllExcept(strings(v, no, at)?))),
        (None, None) => Ok(None),
    }
}

fn principal(v: &Value, what: &str, at: usize) -> Result<Principal, DocumentError> {
    match v {
        Value::String(s) if s == "*" => Ok(Principal::Any),
        Value::Object(m) => m
            .iter()
            .map(|(k, v)| Ok((k.clone(), strings(v, what, at)?)))
            .collect::<Result<Vec<_>, _>>()
            .map(Principal::Named),
        _ => err(format!(
            "statement {at}: {what} is neither \"*\" nor an object"
        )),
    }
}

fn scalar(v: &Value, at: usize) -> Result<String, DocumentError> {
    match v {
        Value::String(s) => Ok(s.clone()),
        Value::Bool(b) => Ok(b.to_string()),
        Value::Number(n) => Ok(n.to_string()),
        _ => err(format!(
            "statement {at}: a condition value is not a string, number or boolean ({v})"
        )),
    }
}

fn conditions(v: &Value, at: usize, variables: bool) -> Result<Vec<Condition>, DocumentError> {
    let Value::Object(blocks) = v else {
        return err(format!("statement {at}: Condition is not an object"));
    };
    let mut out = Vec::new();
    for (op, body) in blocks {
        let Value::Object(keys) = body else {
            return err(format!(
                "statement {at}: the {op} condition is not an object of keys"
            ));
        };
        for (key, values) in keys {
            let values = match values {
                Value::Array(items) => items
                    .iter()
                    .map(|v| scalar(v, at))
                    .collect::<Result<_, _>>()?,
                other => vec![scalar(other, at)?],
            };
            out.push(Condition {
                operator: Operator::parse(op),
                key: key.clone(),
                values,
                variables,
            });
        }
    }
    Ok(out)
}

fn statement(
    at: usize,
    v: &Value,
    kind: Kind,
    variables: bool,
) -> Result<Statement, DocumentError> {
    let Value::Object(s) = v else {
        return err(format!("statement {at} is not an object"));
    };
    for key in s.keys() {
        if !matches!(
            key.as_str(),
            "Sid"
                | "Effect"
                | "Principal"
                | "NotPrincipal"
                | "Action"
                | "NotAction"
                | "Resource"
                | "NotResource"
                | "Condition"
        ) {
            return err(format!("statement {at} has an unknown element `{key}`"));
        }
    }
    let effect = match s.get("Effect").and_then(Value::as_str) {
        Some(e) if e.eq_ignore_ascii_case("Allow") => Effect::Allow,
        Some(e) if e.eq_ignore_ascii_case("Deny") => Effect::Deny,
        Some(e) => {
            return err(format!(
                "statement {at} has Effect `{e}`, neither Allow nor Deny"
            ));
        }
        None => return err(format!("statement {at} has no Effect")),
    };
    let action = matcher(s, "Action", "NotAction", at)?
        .ok_or_else(|| DocumentError(format!("statement {at} has neither Action nor NotAction")))?;
    let resource = matcher(s, "Resource", "NotResource", at)?;
    if resource.is_none() && kind == Kind::Identity {
        return err(format!(
            "statement {at} has neither Resource nor NotResource"
        ));
    }
    Ok(Statement {
        index: at,
        sid: s.get("Sid").and_then(Value::as_str).map(str::to_string),
        effect,
        principal: s
            .get("Principal")
            .map(|p| principal(p, "Principal", at))
            .transpose()?,
        not_principal: s
            .get("NotPrincipal")
            .map(|p| principal(p, "NotPrincipal", at))
            .transpose()?,
        action,
        resource,
        conditions: s
            .get("Condition")
            .map(|c| conditions(c, at, variables))
            .transpose()?
            .unwrap_or_default(),
        variables,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const PLAIN: &str =
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#;
    const ENCODED: &str = "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22%2A%22%2C%22Resource%22%3A%22%2A%22%7D%7D";

    #[test]
    fn text_in_every_form_reads_the_same() {
        let plain = read_text(PLAIN).expect("plain");
        assert_eq!(read_text(ENCODED).expect("encoded"), plain);
        let as_json_string = serde_json::to_string(PLAIN).expect("quoted");
        assert_eq!(read_text(&as_json_string).expect("JSON text"), plain);
        let from_string = Document::parse(&Value::String(ENCODED.into()), Kind::Identity)
            .expect("a string value is read too");
        assert_eq!(
            from_string,
            Document::parse(&plain, Kind::Identity).expect("object")
        );
        for bad in ["%7Bnot json", "", "[1]", "\"just words\"", "42"] {
            assert!(read_text(bad).is_err(), "{bad:?}");
        }
        assert_eq!(
            normalise("%7Bnot json"),
            Value::String("%7Bnot json".into())
        );
    }

    #[test]
    fn statement_object_or_array_fields_string_or_array() {
        let one = json!({"Statement": {"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}});
        let many = json!({"Statement": [
            {"Effect": "Allow", "Action": ["s3:Get*"], "Resource": ["*"]},
            {"Sid": "NoIam", "Effect": "Deny", "NotAction": "iam:*", "NotResource": "arn:aws:s3:::b"}
        ]});
        let a = Document::parse(&one, Kind::Identity).expect("one");
        let b = Document::parse(&many, Kind::Identity).expect("many");
        assert_eq!(a.statements.len(), 1);
        assert_eq!(b.statements.len(), 2);
        assert_eq!(a.statements[0].action, b.statements[0].action);
        assert_eq!(b.statements[1].effect, Effect::Deny);
        assert_eq!(
            b.statements[1].action,
            Matcher::AllExcept(vec!["iam:*".into()])
        );
        assert_eq!(b.statements[1].label(), "statement \"NoIam\"");
    }

    #[test]
    fn unreadable_documents_are_errors_not_empty() {
        let cases = [
            (json!(null), "null"),
            (json!(5), "neither"),
            (json!({"Version": "2012-10-17"}), "no Statement"),
            (json!({"Statement": 5}), "neither an object nor an array"),
            (json!({"Statement": [5]}), "not an object"),
            (
                json!({"Statement": {"Effect": "Maybe", "Action": "*", "Resource": "*"}}),
                "Maybe",
            ),
            (
                json!({"Statement": {"Action": "*", "Resource": "*"}}),
                "no Effect",
            ),
            (
                json!({"Statement": {"Effect": "Allow", "Resource": "*"}}),
                "neither Action",
            ),
            (
                json!({"Statement": {"Effect": "Allow", "Action": "*"}}),
                "neither Resource",
            ),
            (
                json!({"Statement": {"Effect": "Allow", "Action": "*", "NotAction": "x:y", "Resource": "*"}}),
                "both",
            ),
            (
                json!({"Statement": {"Effect": "Allow", "Action": [1], "Resource": "*"}}),
                "not a string",
            ),
            (
                json!({"Statement": {"Effect": "Allow", "Actions": "*", "Resource": "*"}}),
                "unknown element",
            ),
            (
                json!({"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"Bool": "x"}}}),
                "not an object of keys",
            ),
            (json!({"Statements": []}), "unknown top-level"),
            (json!({"Version": "2020-01-01", "Statement": []}), "Version"),
        ];
        for (doc, needle) in cases {
            let e = Document::parse(&doc, Kind::Identity).expect_err(&doc.to_string());
            assert!(e.0.contains(needle), "{needle:?} not in {e}");
        }
        // A trust policy's statements apply to the role: no Resource needed.
        let trust = json!({"Statement": {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}});
        assert!(Document::parse(&trust, Kind::ResourceBased).is_ok());
    }

    #[test]
    fn variables_are_policy_variables_only_in_the_2012_language() {
        let doc = |version: Option<&str>| {
            let mut d = json!({"Statement": {"Effect": "Deny", "Action": "iam:*", "Resource": "arn:aws:iam::1:user/${aws:username}"}});
            if let Some(v) = version {
                d["Version"] = json!(v);
            }
            Document::parse(&d, Kind::Identity).expect("reads")
        };
        let me = [("aws:username", "alice")];
        let vars = Vars { bindings: &me };
        let alice = "arn:aws:iam::1:user/alice";
        assert!(doc(Some("2012-10-17")).statements[0].covers_resource(
            alice,
            vars,
            Unknown::Narrow
        ));
        for old in [None, Some("2008-10-17")] {
            let d = doc(old);
            assert!(
                !d.statements[0].covers_resource(alice, vars, Unknown::Narrow),
                "{old:?}"
            );
            assert!(d.statements[0].covers_resource(
                "arn:aws:iam::1:user/${aws:username}",
                vars,
                Unknown::Narrow
            ));
        }
    }

    #[test]
    fn conditions_keep_every_key_and_value_as_text() {
        let doc = json!({"Statement": {"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": {
            "Bool": {"aws:SecureTransport": false},
            "NumericLessThan": {"s3:TlsVersion": 1.2},
            "StringLike": {"aws:SourceVpce": ["vpce-1", "vpce-2"]}
        }}});
        let d = Document::parse(&doc, Kind::Identity).expect("reads");
        let c = &d.statements[0].conditions;
        assert_eq!(c.len(), 3);
        assert_eq!(c[0].values, ["false"]);
        assert_eq!(c[1].values, ["1.2"]);
        assert_eq!(c[2].values, ["vpce-1", "vpce-2"]);
    }
}
