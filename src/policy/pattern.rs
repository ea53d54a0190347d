//! IAM's wildcard patterns: `*` any run of characters, `?` any one character, and, in
//! resources and condition values, policy variables (`${aws:username}`, `${*}` ...).
//!
//! Actions are compared case-insensitively, as IAM does; ARNs case-sensitively.

/// What an unknown policy variable (`${aws:PrincipalTag/team}`) matches. A check that
/// asks "is this allowed?" lets it match anything (`Wide`), so an Allow is never read as
/// narrower than it may be; one that asks "is this denied?" lets it match nothing
/// (`Narrow`), so a Deny is never read as wider than it may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unknown {
    Wide,
    Narrow,
}

/// Known values of policy variables, by lower-case key (`aws:username`).
#[derive(Debug, Clone, Copy, Default)]
pub struct Vars<'a> {
    pub bindings: &'a [(&'a str, &'a str)],
}

impl<'a> Vars<'a> {
    pub const NONE: Vars<'static> = Vars { bindings: &[] };

    fn get(&self, key: &str) -> Option<&'a str> {
        self.bindings
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| *v)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok {
    Lit(char),
    Star,
    One,
}

/// The pattern as tokens; `None` when it contains a variable that, under `Unknown::Narrow`,
/// matches nothing.
fn tokens(pattern: &str, variables: bool, vars: Vars<'_>, unknown: Unknown) -> Option<Vec<Tok>> {
    let mut out = Vec::with_capacity(pattern.len());
    let mut rest = pattern;
    while let Some(c) = rest.chars().next() {
        if variables
            && rest.starts_with("${")
            && let Some(end) = rest.find('}')
        {
            let inner = &rest[2..end];
            rest = &rest[end + 1..];
            match inner {
                "*" => out.push(Tok::Lit('*')),
                "?" => out.push(Tok::Lit('?')),
                "$" => out.push(Tok::Lit('$')),
                _ => {
                    // `${key, 'default'}`: the default stands in when the key is absent.
                    let key = inner.split(',').next().unwrap_or_default().trim();
                    match vars.get(key) {
                        Some(value) => out.extend(value.chars().map(Tok::Lit)),
                        None if unknown == Unknown::Wide => out.push(Tok::Star),
                        None => return None,
                    }
                }
            }
            continue;
        }
        out.push(match c {
            '*' => Tok::Star,
            '?' => Tok::One,
            c => Tok::Lit(c),
        });
        rest = &rest[c.len_utf8()..];
    }
    Some(out)
}

fn glob(p: &[Tok], t: &[char], fold: bool) -> bool {
    let eq = |a: char, b: char| {
        if fold {
            a.to_lowercase().eq(b.to_lowercase())
        } else {
            a == b
        }
    };
    let (mut pi, mut ti) = (0usize, 0usize);
    let (mut star, mut mark) = (None::<usize>, 0usize);
    while ti < t.len() {
        match p.get(pi) {
            Some(Tok::One) => {
                pi += 1;
                ti += 1;
            }
            Some(Tok::Lit(c)) if eq(*c, t[ti]) => {
                pi += 1;
                ti += 1;
            }
            Some(Tok::Star) => {
                star = Some(pi);
                mark = ti;
                pi += 1;
            }
            _ => match star {
                Some(s) => {
                    pi = s + 1;
                    mark += 1;
                    ti = mark;
                }
                None => return false,
            },
        }
    }
    p[pi..].iter().all(|t| *t == Tok::Star)
}

/// `*` and `?` matching over ASCII bytes, without allocating: the common case.
fn glob_bytes(p: &[u8], t: &[u8], fold: bool) -> bool {
    let eq = |a: u8, b: u8| {
        if fold {
            a.eq_ignore_ascii_case(&b)
        } else {
            a == b
        }
    };
    let (mut pi, mut ti) = (0usize, 0usize);
    let (mut star, mut mark) = (None::<usize>, 0usize);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == b'?' || (p[pi] != b'*' && eq(p[pi], t[ti]))) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == b'*' {
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
    p[pi..].iter().all(|c| *c == b'*')
}

/// An action pattern (`iam:*`, `s3:Get*`) against an action, case-insensitively.
pub fn action_matches(pattern: &str, action: &str) -> bool {
    if pattern.is_ascii() && action.is_ascii() {
        return glob_bytes(pattern.as_bytes(), action.as_bytes(), true);
    }
    let t: Vec<char> = action.chars().collect();
    tokens(pattern, false, Vars::NONE, Unknown::Wide).is_some_and(|p| glob(&p, &t, true))
}

/// A resource pattern against an ARN, case-sensitively, with policy variables.
pub fn resource_matches(pattern: &str, arn: &str, vars: Vars<'_>, unknown: Unknown) -> bool {
    resource_matches_in(pattern, arn, vars, unknown, true)
}

/// As [`resource_matches`]; `variables` is false for documents of policy language version
/// 2008-10-17 (or none), where `${...}` is literal text.
pub fn resource_matches_in(
    pattern: &str,
    arn: &str,
    vars: Vars<'_>,
    unknown: Unknown,
    variables: bool,
) -> bool {
    if pattern.is_ascii() && arn.is_ascii() && !(variables && pattern.contains("${")) {
        return glob_bytes(pattern.as_bytes(), arn.as_bytes(), false);
    }
    let t: Vec<char> = arn.chars().collect();
    tokens(pattern, variables, vars, unknown).is_some_and(|p| glob(&p, &t, false))
}

/// Whether a value holds a policy variable other than the `${*}`, `${?}`, `${$}` escapes.
pub fn has_variable(s: &str) -> bool {
    let mut rest = s;
    while let Some(i) = rest.find("${") {
        let tail = &rest[i + 2..];
        match tail.find('}') {
            Some(end) if !matches!(&tail[..end], "*" | "?" | "$") => return true,
            Some(end) => rest = &tail[end + 1..],
            None => return false,
        }
    }
    false
}

/// A `StringLike` value against a string, case-sensitively, with policy variables.
pub fn string_like(pattern: &str, text: &str, vars: Vars<'_>, unknown: Unknown) -> bool {
    resource_matches(pattern, text, vars, unknown)
}

/// Whether a condition value is a pattern (has a wildcard outside a `${...}` escape).
pub fn has_wildcard(pattern: &str) -> bool {
    tokens(pattern, true, Vars::NONE, Unknown::Wide)
        .is_some_and(|t| t.iter().any(|t| matches!(t, Tok::Star | Tok::One)))
}

/// The part of a pattern before its first wildcard or variable: what every match starts
/// with, letter for letter.
pub fn literal_prefix(pattern: &str) -> &str {
    let end = pattern
        .char_indices()
        .find(|(i, c)| *c == '*' || *c == '?' || pattern[*i..].starts_with("${"))
        .map(|(i, _)| i)
        .unwrap_or(pattern.len());
    &pattern[..end]
}

/// Two fillers for sample strings that no literal part of `patterns` can match by
/// accident: each a run of one character that none of the patterns contains, one of
/// length 1 and one longer than any pattern has `?`s. A pattern then matches a sample
/// only through its wildcards: `site/*-*` cannot pass for `site/*` because the sample
/// happened to hold a `-`.
pub fn fillers_avoiding<'a>(patterns: impl IntoIterator<Item = &'a str>) -> [String; 2] {
    let patterns: Vec<&str> = patterns.into_iter().collect();
    let c = "qzxjkvwy0123456789"
        .chars()
        .find(|c| {
            !patterns
                .iter()
                .any(|p| p.chars().any(|x| x.eq_ignore_ascii_case(c)))
        })
        .unwrap_or('\u{2603}');
    let ones = patterns
        .iter()
        .map(|p| p.matches('?').count())
        .max()
        .unwrap_or(0);
    [c.to_string(), c.to_string().repeat(ones + 2)]
}

/// One concrete string the pattern matches, with each wildcard and variable filled by
/// `filler`: a sample to evaluate other statements against.
pub fn instance(pattern: &str, filler: &str) -> String {
    let mut out = String::new();
    for t in tokens(pattern, true, Vars::NONE, Unknown::Wide).unwrap_or_default() {
        match t {
            Tok::Lit(c) => out.push(c),
            Tok::Star | Tok::One => out.push_str(filler),
        }
    }
    out
}

/// One concrete ARN the pattern matches, for asking about requests on it: the account's
/// partition and id where the pattern leaves them open (`arn:*:iam::*:role/ci-*` becomes
/// `arn:aws:iam::123456789012:role/ci-zq`), `filler` for every other wildcard.
pub fn instance_arn(pattern: &str, partition: &str, account: &str, filler: &str) -> String {
    let parts: Vec<&str> = pattern.splitn(6, ':').collect();
    if parts.len() < 6 || parts[0] != "arn" {
        return instance(pattern, filler);
    }
    let fill = |part: &str, known: &str| {
        if has_wildcard(part) && resource_matches(part, known, Vars::NONE, Unknown::Wide) {
            known.to_string()
        } else {
            instance(part, filler)
        }
    };
    [
        "arn".to_string(),
        fill(parts[1], partition),
        instance(parts[2], filler),
        instance(parts[3], filler),
        fill(parts[4], account),
        instance(parts[5], filler),
    ]
    .join(":")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_match_case_insensitively() {
        let cases = [
            ("*", "iam:CreateUser", true),
            ("iam:*", "IAM:CreateUser", true),
            ("iam:get*", "iam:GetUser", true),
            ("iam:Get*", "iam:PutUserPolicy", false),
            ("s3:?etObject", "s3:GetObject", true),
            ("*:*", "anything:AtAll", true),
            ("iam:*Policy", "iam:PutUserPolicy", true),
            ("iam:*Policy", "iam:PutUserPolicyX", false),
            ("", "iam:GetUser", false),
            ("iam:Get*", "iam:GetÜser", true),
            ("*", "", true),
            ("?", "", false),
        ];
        for (p, a, want) in cases {
            assert_eq!(action_matches(p, a), want, "{p} ~ {a}");
        }
    }

    #[test]
    fn resources_match_case_sensitively_with_variables() {
        let me = [("aws:username", "alice")];
        let vars = Vars { bindings: &me };
        let cases = [
            ("*", "arn:aws:s3:::b", Vars::NONE, Unknown::Wide, true),
            (
                "arn:aws:s3:::B",
                "arn:aws:s3:::b",
                Vars::NONE,
                Unknown::Wide,
                false,
            ),
            ("arn:*", "arn:aws:s3:::b", Vars::NONE, Unknown::Wide, true),
            (
                "arn:aws:iam::1:user/${aws:username}",
                "arn:aws:iam::1:user/alice",
                vars,
                Unknown::Narrow,
                true,
            ),
            (
                "arn:aws:iam::1:user/${aws:username}",
                "arn:aws:iam::1:user/bob",
                vars,
                Unknown::Wide,
                false,
            ),
            (
                "arn:aws:iam::1:user/${aws:username}",
                "arn:aws:iam::1:user/bob",
                Vars::NONE,
                Unknown::Wide,
                true,
            ),
            (
                "arn:aws:iam::1:user/${aws:username}",
                "arn:aws:iam::1:user/bob",
                Vars::NONE,
                Unknown::Narrow,
                false,
            ),
            (
                "arn:aws:s3:::${*}",
                "arn:aws:s3:::*",
                Vars::NONE,
                Unknown::Narrow,
                true,
            ),
            (
                "arn:aws:s3:::${*}",
                "arn:aws:s3:::x",
                Vars::NONE,
                Unknown::Narrow,
                false,
            ),
        ];
        for (p, r, v, u, want) in cases {
            assert_eq!(resource_matches(p, r, v, u), want, "{p} ~ {r} ({u:?})");
        }
    }

    #[test]
    fn prefixes_instances_and_wildcards() {
        assert_eq!(literal_prefix("repo:org/*"), "repo:org/");
        assert_eq!(literal_prefix("repo:org/api"), "repo:org/api");
        assert_eq!(literal_prefix("a${x}b"), "a");
        assert_eq!(
            instance("arn:aws:iam::*:user/${aws:username}", "zq"),
            "arn:aws:iam::zq:user/zq"
        );
        assert_eq!(
            instance_arn("arn:*:iam::*:role/ci-*", "aws", "123456789012", "zq"),
            "arn:aws:iam::123456789012:role/ci-zq"
        );
        assert_eq!(
            instance_arn("arn:aws:iam::999*:role/x", "aws", "123456789012", "zq"),
            "arn:aws:iam::999zq:role/x"
        );
        assert!(has_wildcard("repo:a/*"));
        assert!(!has_wildcard("repo:a/${*}"));
    }
}
