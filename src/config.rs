//! The configuration file (`postura.toml`, or `--config FILE`): parsed, then validated
//! into plain data. Every error names the file, the line and the key.
//!
//! ```toml
//! [[suppress]]
//! check = "admin-privileges"
//! resource = "arn:aws:iam::123456789012:user/break-glass"
//! reason = "Break-glass administrator, kept on purpose; reviewed each quarter (SEC-42)"
//! expires = 2027-06-30
//! ```

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Deserialize;
use toml::Spanned;

use crate::checks::Metadata;
use crate::error::UserError;
use crate::report::Suppression;

/// The file looked for in the working directory when `--config` is not given.
pub const DEFAULT_FILE: &str = "postura.toml";

/// A validated configuration.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    pub suppressions: Vec<Suppression>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    #[serde(default)]
    suppress: Vec<Spanned<RawSuppression>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSuppression {
    check: Spanned<String>,
    resource: Spanned<String>,
    reason: Spanned<String>,
    #[serde(default)]
    expires: Option<Spanned<Expiry>>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Expiry {
    Date(toml::value::Datetime),
    Text(String),
}

/// Reads and validates the configuration: `explicit` (`--config`) must exist; without it,
/// `postura.toml` in `dir` is read when present.
pub fn load(explicit: Option<&Path>, dir: &Path) -> Result<Config, UserError> {
    let path: PathBuf = match explicit {
        Some(p) => p.to_path_buf(),
        None => {
            let p = dir.join(DEFAULT_FILE);
            if !p.is_file() {
                return Ok(Config::default());
            }
            PathBuf::from(DEFAULT_FILE)
        }
    };
    let text = std::fs::read_to_string(&path).map_err(|e| UserError::ConfigUnreadable {
        path: path.clone(),
        detail: e.to_string(),
    })?;
    parse(&text, &path.display().to_string())
}

/// The 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset)
        .unwrap_or(text)
        .bytes()
        .filter(|b| *b == b'\n')
        .count()
        + 1
}

/// Parses configuration text; `file` names it in errors and in each suppression's source.
pub fn parse(text: &str, file: &str) -> Result<Config, UserError> {
    let invalid = |offset: usize, detail: String| UserError::Config {
        file: file.to_string(),
        line: line_of(text, offset),
        detail,
    };
    let raw: Raw = toml::from_str(text).map_err(|e| {
        let offset = e.span().map(|s| s.start).unwrap_or(0);
        invalid(offset, e.message().trim().to_string())
    })?;
    let mut suppressions = Vec::new();
    for item in raw.suppress {
        let start = item.span().start;
        let s = item.into_inner();
        let check = s.check.get_ref().trim();
        if Metadata::of(check).is_none() {
            return Err(invalid(
                s.check.span().start,
                format!(
                    "key `check`: there is no check `{check}` (`postura checks` lists the ids)"
                ),
            ));
        }
        let resource = s.resource.get_ref().trim();
        if resource != "*" && !resource.starts_with("arn:") {
            return Err(invalid(
                s.resource.span().start,
                format!(
                    "key `resource`: `{resource}` is not an ARN pattern; give the resource's ARN as the report shows it, with `*` for any run of characters (`arn:aws:iam::*:user/break-glass`), or `*` for every resource"
                ),
            ));
        }
        let reason = s.reason.get_ref().trim();
        if reason.is_empty() {
            return Err(invalid(
                s.reason.span().start,
                "key `reason`: the reason is empty; say why the finding is accepted and who decided, so an auditor can follow it".into(),
            ));
        }
        let expires = match s.expires {
            None => None,
            Some(e) => {
                let offset = e.span().start;
                let text = match e.into_inner() {
                    // A date with a time of day fails the parse below, as it should.
                    Expiry::Date(d) => d.to_string(),
                    Expiry::Text(t) => t,
                };
                let date = NaiveDate::parse_from_str(&text, "%Y-%m-%d").map_err(|_| {
                    invalid(
                        offset,
                        format!(
                            "key `expires`: `{text}` is not a date; write the last day the suppression holds as YYYY-MM-DD (`expires = 2027-06-30`)"
                        ),
                    )
                })?;
                Some(date)
            }
        };
        suppressions.push(Suppression {
            check: check.to_string(),
            resource: resource.to_string(),
            reason: reason.to_string(),
            expires,
            source: format!("{file}:{}", line_of(text, start)),
        });
    }
    Ok(Config { suppressions })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(text: &str) -> String {
        match parse(text, "postura.toml") {
            Ok(c) => panic!("accepted: {c:?}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn suppressions_are_read_with_their_source_line() {
        let c = parse(
            "# accepted risks\n\n[[suppress]]\ncheck = \"admin-privileges\"\nresource = \"arn:aws:iam::*:user/break-glass\"\nreason = \"kept on purpose (SEC-42)\"\nexpires = 2027-06-30\n\n[[suppress]]\ncheck = \"cognito-self-signup\"\nresource = \"*\"\nreason = \"customer pool\"\n",
            "postura.toml",
        )
        .expect("valid");
        assert_eq!(c.suppressions.len(), 2);
        let s = &c.suppressions[0];
        assert_eq!(s.check, "admin-privileges");
        assert_eq!(s.source, "postura.toml:3");
        assert_eq!(s.expires, NaiveDate::from_ymd_opt(2027, 6, 30));
        assert_eq!(c.suppressions[1].source, "postura.toml:9");
        assert_eq!(c.suppressions[1].expires, None);
        // A quoted date is read too.
        let c = parse(
            "[[suppress]]\ncheck = \"root-mfa\"\nresource = \"*\"\nreason = \"r\"\nexpires = \"2027-01-01\"\n",
            "x.toml",
        )
        .expect("valid");
        assert_eq!(
            c.suppressions[0].expires,
            NaiveDate::from_ymd_opt(2027, 1, 1)
        );
        assert_eq!(parse("", "x.toml").expect("empty"), Config::default());
    }

    #[test]
    fn errors_name_the_file_the_line_and_the_key() {
        let e =
            error("[[suppress]]\ncheck = \"admin-privilege\"\nresource = \"*\"\nreason = \"r\"\n");
        assert!(e.contains("postura.toml, line 2"), "{e}");
        assert!(
            e.contains("key `check`: there is no check `admin-privilege`"),
            "{e}"
        );
        let e = error("[[suppress]]\ncheck = \"root-mfa\"\nresource = \"*\"\n");
        assert!(
            e.contains("line 1") && e.contains("missing field `reason`"),
            "{e}"
        );
        let e = error("[[suppress]]\ncheck = \"root-mfa\"\nresource = \"*\"\nreason = \"  \"\n");
        assert!(e.contains("line 4") && e.contains("key `reason`"), "{e}");
        let e = error(
            "[[suppress]]\ncheck = \"root-mfa\"\nresource = \"break-glass\"\nreason = \"r\"\n",
        );
        assert!(e.contains("line 3") && e.contains("key `resource`"), "{e}");
        let e = error(
            "[[suppress]]\ncheck = \"root-mfa\"\nresource = \"*\"\nreason = \"r\"\nexpires = \"next June\"\n",
        );
        assert!(e.contains("line 5") && e.contains("key `expires`"), "{e}");
        let e = error(
            "[[suppress]]\ncheck = \"root-mfa\"\nresource = \"*\"\nreason = \"r\"\nuntil = 1\n",
        );
        assert!(
            e.contains("line 5") && e.contains("unknown field `until`"),
            "{e}"
        );
        let e = error("[[supress]]\n");
        assert!(
            e.contains("line 1") && e.contains("unknown field `supress`"),
            "{e}"
        );
        let e = error("[[suppress]\n");
        assert!(e.contains("line 1"), "{e}");
        assert!(e.contains("--config"), "names the fix: {e}");
    }
}
