//! The account's password policy.

use serde_json::json;

use crate::checks::{Finding, Resource};
use crate::inventory::Inventory;

pub const MIN_LENGTH: i32 = 14;
pub const MIN_REUSE_PREVENTION: i32 = 24;

/// `password-policy`: a password policy exists and demands length, reuse prevention and
/// every character class.
pub fn password_policy(inv: &Inventory) -> Vec<Finding> {
    let account = Resource::account(inv);
    let policy = match inv.iam.password_policy.get() {
        Ok(Some(p)) => p,
        Ok(None) => {
            return vec![Finding::fail(
                account,
                "The account has no password policy: IAM accepts any password of 8 characters or more, with no reuse prevention.",
            )];
        }
        Err(gap) => return vec![Finding::gap(account, gap)],
    };
    let mut weak = Vec::new();
    match policy.minimum_password_length {
        Some(n) if n >= MIN_LENGTH => {}
        Some(n) => weak.push(format!("minimum length {n} (needs {MIN_LENGTH})")),
        None => weak.push(format!("no minimum length (needs {MIN_LENGTH})")),
    }
    match policy.password_reuse_prevention {
        Some(n) if n >= MIN_REUSE_PREVENTION => {}
        Some(n) => weak.push(format!(
            "remembers {n} previous passwords (needs {MIN_REUSE_PREVENTION})"
        )),
        None => weak.push("no reuse prevention".to_string()),
    }
    for (required, what) in [
        (policy.require_symbols, "symbols"),
        (policy.require_numbers, "numbers"),
        (policy.require_uppercase_characters, "uppercase letters"),
        (policy.require_lowercase_characters, "lowercase letters"),
    ] {
        if !required {
            weak.push(format!("does not require {what}"));
        }
    }
    let evidence = serde_json::to_value(policy).unwrap_or(json!(null));
    if weak.is_empty() {
        vec![
            Finding::pass(account, "The password policy meets every requirement.")
                .with("policy", evidence),
        ]
    } else {
        vec![
            Finding::fail(
                account,
                format!("The password policy is weak: {}.", weak.join("; ")),
            )
            .with("weaknesses", json!(weak))
            .with("policy", evidence),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Status;
    use crate::checks::iam::fixtures::*;
    use crate::inventory::Collected;
    use crate::inventory::iam::PasswordPolicy;

    fn strong() -> PasswordPolicy {
        PasswordPolicy {
            minimum_password_length: Some(14),
            require_symbols: true,
            require_numbers: true,
            require_uppercase_characters: true,
            require_lowercase_characters: true,
            allow_users_to_change_password: true,
            expire_passwords: false,
            max_password_age: None,
            password_reuse_prevention: Some(24),
            hard_expiry: None,
        }
    }

    #[test]
    fn names_each_weakness() {
        let mut inv = inventory(vec![]);
        inv.iam.password_policy = Collected::Ok(Some(strong()));
        assert_eq!(password_policy(&inv)[0].status, Status::Pass);
        let mut weak = strong();
        weak.minimum_password_length = Some(8);
        weak.require_symbols = false;
        weak.password_reuse_prevention = None;
        inv.iam.password_policy = Collected::Ok(Some(weak));
        let f = &password_policy(&inv)[0];
        assert_eq!(f.status, Status::Fail);
        for part in ["minimum length 8", "symbols", "no reuse prevention"] {
            assert!(
                f.message.contains(part),
                "{part} missing from {}",
                f.message
            );
        }
        assert!(!f.message.contains("numbers"), "{}", f.message);

        let mut weakest = strong();
        weakest.minimum_password_length = None;
        weakest.password_reuse_prevention = Some(5);
        weakest.require_numbers = false;
        weakest.require_uppercase_characters = false;
        weakest.require_lowercase_characters = false;
        inv.iam.password_policy = Collected::Ok(Some(weakest));
        let f = &password_policy(&inv)[0];
        assert_eq!(f.status, Status::Fail);
        assert_eq!(f.evidence["weaknesses"].as_array().map(Vec::len), Some(5));
        for part in [
            "no minimum length",
            "remembers 5 previous passwords",
            "numbers",
            "uppercase",
            "lowercase",
        ] {
            assert!(
                f.message.contains(part),
                "{part} missing from {}",
                f.message
            );
        }
        assert!(!f.message.contains("symbols"), "{}", f.message);
    }

    #[test]
    fn no_policy_fails_and_a_gap_is_an_error() {
        let mut inv = inventory(vec![]);
        assert_eq!(password_policy(&inv)[0].status, Status::Fail);
        inv.iam.password_policy = Collected::Gap(gap("GetAccountPasswordPolicy", "AccessDenied"));
        assert_eq!(password_policy(&inv)[0].status, Status::Error);
    }
}
