//! IAM policy documents: decoding what the API returns, and a normalised view of their
//! statements that the checks evaluate.

use serde_json::Value;

/// IAM returns policy documents URL-encoded (RFC 3986); fixtures and other tools often
/// hold plain JSON. Accept both. `None` when the text is neither.
pub fn decode_document(raw: &str) -> Option<Value> {
    if let Ok(v) = serde_json::from_str::<Value>(raw) {
        return Some(v);
    }
    let decoded = percent_encoding::percent_decode_str(raw)
        .decode_utf8()
        .ok()?;
    serde_json::from_str(&decoded).ok()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    Allow,
    Deny,
}

/// One statement, with every field that may be a string or an array made an array.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    pub effect: Effect,
    /// `Action` values; empty when the statement uses `NotAction`.
    pub actions: Vec<String>,
    pub not_actions: Option<Vec<String>>,
    pub resources: Vec<String>,
    pub not_resources: Option<Vec<String>>,
    pub principal: Option<Value>,
    pub condition: Option<serde_json::Map<String, Value>>,
}

fn strings(v: Option<&Value>) -> Option<Vec<String>> {
    match v? {
        Value::String(s) => Some(vec![s.clone()]),
        Value::Array(items) => Some(
            items
                .iter()
                .filter_map(|i| i.as_str().map(str::to_string))
                .collect(),
        ),
        _ => Some(Vec::new()),
    }
}

/// The statements of a policy document; `Statement` may be one object or an array.
/// Statements whose `Effect` is neither Allow nor Deny are dropped: IAM rejects them.
pub fn statements(doc: &Value) -> Vec<Statement> {
    let raw: Vec<&Value> = match doc.get("Statement") {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(obj @ Value::Object(_)) => vec![obj],
        _ => Vec::new(),
    };
    raw.into_iter()
        .filter_map(|s| {
            let effect = match s.get("Effect")?.as_str()? {
                e if e.eq_ignore_ascii_case("Allow") => Effect::Allow,
                e if e.eq_ignore_ascii_case("Deny") => Effect::Deny,
                _ => return None,
            };
            Some(Statement {
                effect,
                actions: strings(s.get("Action")).unwrap_or_default(),
                not_actions: strings(s.get("NotAction")),
                resources: strings(s.get("Resource")).unwrap_or_default(),
                not_resources: strings(s.get("NotResource")),
                principal: s.get("Principal").cloned(),
                condition: s.get("Condition").and_then(Value::as_object).cloned(),
            })
        })
        .collect()
}

/// IAM wildcard matching, case-insensitive (as IAM compares actions): `*` any run of
/// characters, `?` any one character.
pub fn wildcard_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.to_ascii_lowercase().chars().collect();
    let t: Vec<char> = text.to_ascii_lowercase().chars().collect();
    let (mut pi, mut ti) = (0usize, 0usize);
    let (mut star, mut mark) = (None::<usize>, 0usize);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == '*' {
        pi += 1;
    }
    pi == p.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn decodes_url_encoded_and_plain_documents() {
        let plain = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#;
        let encoded = "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22%2A%22%2C%22Resource%22%3A%22%2A%22%7D%7D";
        assert_eq!(decode_document(plain), decode_document(encoded));
        assert!(decode_document(plain).is_some());
        assert_eq!(decode_document("%7Bnot json"), None);
    }

    #[test]
    fn statement_may_be_object_or_array_and_fields_string_or_array() {
        let one = json!({"Statement": {"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}});
        let many = json!({"Statement": [
            {"Effect": "Allow", "Action": ["s3:Get*"], "Resource": ["*"]},
            {"Effect": "Deny", "NotAction": "iam:*", "Resource": "*"},
            {"Effect": "Maybe", "Action": "*", "Resource": "*"}
        ]});
        let a = statements(&one);
        let b = statements(&many);
        assert_eq!(a.len(), 1);
        assert_eq!(b.len(), 2, "an invalid Effect is dropped");
        assert_eq!(a[0].actions, b[0].actions);
        assert_eq!(b[1].effect, Effect::Deny);
        assert_eq!(b[1].not_actions, Some(vec!["iam:*".to_string()]));
    }

    #[test]
    fn wildcards() {
        assert!(wildcard_match("*", "iam:CreateUser"));
        assert!(wildcard_match("iam:*", "IAM:CreateUser"));
        assert!(wildcard_match("iam:Get*", "iam:GetUser"));
        assert!(!wildcard_match("iam:Get*", "iam:PutUserPolicy"));
        assert!(wildcard_match("s3:?etObject", "s3:GetObject"));
        assert!(wildcard_match(
            "repo:org/*",
            "repo:org/app:ref:refs/heads/main"
        ));
        assert!(!wildcard_match("repo:org/app:*", "repo:org/other:ref:x"));
    }
}
