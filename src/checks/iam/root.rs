//! The root account: MFA and access keys.

use serde_json::json;

use super::{RootSource, root_source};
use crate::checks::{Finding, Resource};
use crate::inventory::Inventory;

/// `root-mfa`: the root account has MFA enabled.
pub fn root_mfa(inv: &Inventory) -> Vec<Finding> {
    const ID: &str = "root-mfa";
    let account = Resource::account(inv);
    let enabled = match root_source(inv) {
        RootSource::Report(row) => Some((row.mfa_active, "credential report")),
        RootSource::Summary(summary) => summary
            .get("AccountMFAEnabled")
            .map(|v| (*v > 0, "account summary (AccountMFAEnabled)")),
        RootSource::Gap(gap) => return vec![Finding::gap(ID, account, gap)],
    };
    let finding = match enabled {
        Some((true, source)) => {
            Finding::pass(ID, account, "The root account has MFA enabled.").with("source", source)
        }
        Some((false, source)) => Finding::fail(
            ID,
            account,
            "The root account has no MFA device: anyone with its password controls the whole account.",
        )
        .with("source", source),
        None => Finding::error(
            ID,
            account,
            "not evaluated: the credential report has no root row and the account summary has no AccountMFAEnabled.",
        ),
    };
    vec![finding]
}

/// `root-access-keys`: the root account has no access keys.
pub fn root_access_keys(inv: &Inventory) -> Vec<Finding> {
    const ID: &str = "root-access-keys";
    let account = Resource::account(inv);
    let finding = match root_source(inv) {
        RootSource::Report(row) => {
            let active: Vec<_> = row.active_keys().map(|k| k.slot).collect();
            if active.is_empty() {
                Finding::pass(ID, account, "The root account has no active access key.")
            } else {
                Finding::fail(
                    ID,
                    account,
                    format!(
                        "The root account has {} active access key(s): they carry unrestricted, unrevocable-by-policy power over the account.",
                        active.len()
                    ),
                )
                .with("active_key_slots", json!(active))
            }
            .with("source", "credential report")
        }
        RootSource::Summary(summary) => match summary.get("AccountAccessKeysPresent") {
            Some(0) => Finding::pass(ID, account, "The root account has no access key."),
            Some(_) => Finding::fail(
                ID,
                account,
                "The root account has access keys: they carry unrestricted power over the account.",
            ),
            None => Finding::error(
                ID,
                account,
                "not evaluated: the credential report has no root row and the account summary has no AccountAccessKeysPresent.",
            ),
        }
        .with("source", "account summary (AccountAccessKeysPresent)"),
        RootSource::Gap(gap) => Finding::gap(ID, account, gap),
    };
    vec![finding]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Status;
    use crate::checks::iam::fixtures::*;
    use crate::inventory::Collected;
    use crate::inventory::iam::ROOT_USER;

    fn root(mfa: bool, key_active: bool) -> Inventory {
        let mut r = row(ROOT_USER);
        r.mfa_active = mfa;
        r.access_keys[1].active = key_active;
        inventory(vec![r, row("alice")])
    }

    #[test]
    fn root_mfa_from_the_report_row() {
        assert_eq!(root_mfa(&root(true, false))[0].status, Status::Pass);
        assert_eq!(root_mfa(&root(false, false))[0].status, Status::Fail);
    }

    #[test]
    fn root_mfa_falls_back_to_the_account_summary() {
        let mut inv = inventory(vec![row("alice")]);
        inv.iam.account_summary = Collected::Ok([("AccountMFAEnabled".to_string(), 1)].into());
        let f = &root_mfa(&inv)[0];
        assert_eq!(f.status, Status::Pass);
        assert!(
            f.evidence["source"]
                .as_str()
                .unwrap_or_default()
                .contains("summary")
        );
        inv.iam.account_summary = Collected::Ok([("AccountMFAEnabled".to_string(), 0)].into());
        assert_eq!(root_mfa(&inv)[0].status, Status::Fail);
    }

    #[test]
    fn root_mfa_is_an_error_when_nothing_was_collected() {
        let mut inv = inventory(vec![]);
        inv.iam.credential_report = Collected::Gap(gap("GetCredentialReport", "AccessDenied"));
        inv.iam.account_summary = Collected::Gap(gap("GetAccountSummary", "AccessDenied"));
        let f = &root_mfa(&inv)[0];
        assert_eq!(f.status, Status::Error);
        assert!(f.message.contains("AccessDenied"), "{}", f.message);
        // A summary without the counter is not a pass either.
        let inv = inventory(vec![]);
        assert_eq!(root_mfa(&inv)[0].status, Status::Error);
    }

    #[test]
    fn root_access_keys_from_the_report_row() {
        assert_eq!(root_access_keys(&root(true, false))[0].status, Status::Pass);
        let f = &root_access_keys(&root(true, true))[0];
        assert_eq!(f.status, Status::Fail);
        assert_eq!(f.evidence["active_key_slots"], serde_json::json!([2]));
    }

    #[test]
    fn root_access_keys_falls_back_to_the_account_summary() {
        let mut inv = inventory(vec![]);
        inv.iam.account_summary =
            Collected::Ok([("AccountAccessKeysPresent".to_string(), 1)].into());
        assert_eq!(root_access_keys(&inv)[0].status, Status::Fail);
        inv.iam.account_summary =
            Collected::Ok([("AccountAccessKeysPresent".to_string(), 0)].into());
        assert_eq!(root_access_keys(&inv)[0].status, Status::Pass);
        inv.iam.account_summary = Collected::Gap(gap("GetAccountSummary", "Throttling"));
        inv.iam.credential_report = Collected::Gap(gap("GetCredentialReport", "Throttling"));
        assert_eq!(root_access_keys(&inv)[0].status, Status::Error);
    }
}
