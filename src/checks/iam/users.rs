//! IAM users: console MFA.

use crate::checks::{Finding, Resource};
use crate::inventory::Inventory;

/// `user-console-mfa`: every IAM user with a console password has an MFA device.
pub fn user_console_mfa(inv: &Inventory) -> Vec<Finding> {
    const ID: &str = "user-console-mfa";
    let report = match inv.iam.credential_report.get() {
        Ok(r) => r,
        Err(gap) => return vec![Finding::gap(ID, Resource::account(inv), gap)],
    };
    report
        .iam_users()
        .filter(|u| u.password_enabled == Some(true))
        .map(|u| {
            let resource = Resource::iam_user(&u.user, &u.arn);
            let f = if u.mfa_active {
                Finding::pass(ID, resource, "Console user has MFA enabled.")
            } else {
                Finding::fail(
                    ID,
                    resource,
                    "Console user has a password and no MFA device: a phished or reused password is enough to sign in.",
                )
            };
            f.with(
                "password_last_used",
                u.password_last_used
                    .map(|d| d.to_rfc3339())
                    .unwrap_or_else(|| "never".into()),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Status;
    use crate::checks::iam::fixtures::*;
    use crate::inventory::Collected;

    #[test]
    fn judges_console_users_only() {
        let mut with_mfa = row("admin");
        with_mfa.password_enabled = Some(true);
        with_mfa.mfa_active = true;
        let mut without = row("dev1");
        without.password_enabled = Some(true);
        let api_only = row("deploy");
        let findings = user_console_mfa(&inventory(vec![with_mfa, without, api_only]));
        assert_eq!(findings.len(), 2, "the API-only user is not judged");
        assert_eq!(findings[0].status, Status::Pass);
        assert_eq!(findings[1].status, Status::Fail);
        assert_eq!(findings[1].resource.id, "dev1");
        assert_eq!(findings[1].resource.kind, "AwsIamUser");
    }

    #[test]
    fn a_missing_report_is_an_error_not_a_pass() {
        let mut inv = inventory(vec![]);
        inv.iam.credential_report = Collected::Gap(gap("GenerateCredentialReport", "AccessDenied"));
        let findings = user_console_mfa(&inv);
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].status, Status::Error);
    }
}
