//! The root account: MFA and access keys.

use serde_json::json;

use super::{RootSource, root_source};
use crate::checks::{Finding, Resource};
use crate::inventory::{Gap, Inventory};

/// Whether root has MFA, and from which source; `Ok(None)` when the account summary that
/// stands in for a missing root row lacks the counter.
fn root_mfa_enabled(inv: &Inventory) -> Result<Option<(bool, &'static str)>, &Gap> {
    match root_source(inv) {
        RootSource::Report(row) => Ok(Some((row.mfa_active, "credential report"))),
        RootSource::Summary(summary) => Ok(summary
            .get("AccountMFAEnabled")
            .map(|v| (*v > 0, "account summary (AccountMFAEnabled)"))),
        RootSource::Gap(gap) => Err(gap),
    }
}

/// `root-mfa`: the root account has MFA enabled.
pub fn root_mfa(inv: &Inventory) -> Vec<Finding> {
    let account = Resource::account(inv);
    let enabled = match root_mfa_enabled(inv) {
        Ok(e) => e,
        Err(gap) => return vec![Finding::gap(account, gap)],
    };
    let finding = match enabled {
        Some((true, source)) => {
            Finding::pass(account, "The root account has MFA enabled.").with("source", source)
        }
        Some((false, source)) => Finding::fail(account,
            "The root account has no MFA device: anyone with its password controls the whole account.",
        )
        .with("source", source),
        None => Finding::error(account,
            "not evaluated: the credential report has no root row and the account summary has no AccountMFAEnabled.",
        ),
    };
    vec![finding]
}

/// `root-access-keys`: the root account has no access keys.
pub fn root_access_keys(inv: &Inventory) -> Vec<Finding> {
    let account = Resource::account(inv);
    let finding = match root_source(inv) {
        RootSource::Report(row) => {
            let active: Vec<_> = row.active_keys().map(|k| k.slot).collect();
            if active.is_empty() {
                Finding::pass(account, "The root account has no active access key.")
            } else {
                Finding::fail(account,
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
            Some(0) => Finding::pass(account, "The root account has no access key."),
            Some(_) => Finding::fail(account,
                "The root account has access keys: they carry unrestricted power over the account.",
            ),
            None => Finding::error(account,
                "not evaluated: the credential report has no root row and the account summary has no AccountAccessKeysPresent.",
            ),
        }
        .with("source", "account summary (AccountAccessKeysPresent)"),
        RootSource::Gap(gap) => Finding::gap(account, gap),
    };
    vec![finding]
}

/// Days within which a use of the root account counts as recent.
pub const ROOT_RECENT_DAYS: i64 = 90;

/// `root-hardware-mfa`: the root account's MFA is a hardware device, not a virtual one.
pub fn root_hardware_mfa(inv: &Inventory) -> Vec<Finding> {
    let account = Resource::account(inv);
    let enabled = match root_mfa_enabled(inv) {
        Ok(e) => e.map(|(on, _)| on),
        Err(gap) => return vec![Finding::gap(account, gap)],
    };
    let devices = match inv.iam.virtual_mfa_devices.get() {
        Ok(d) => d,
        Err(gap) => return vec![Finding::gap(account, gap)],
    };
    let root_arn = account.arn.clone();
    // Root's virtual device is assigned to `arn:...:root`; its serial is usually
    // `...:mfa/root-account-mfa-device`, but an unassigned device may carry that name too.
    let virtual_root = devices.iter().find(|d| match d.user_arn.as_deref() {
        Some(arn) => {
            arn == root_arn
                || (arn.ends_with(":root")
                    && d.serial_number.ends_with(":mfa/root-account-mfa-device"))
        }
        None => false,
    });
    let finding = match (enabled, virtual_root) {
        (None, _) => Finding::error(account,
            "not evaluated: neither the credential report nor the account summary says whether root has MFA.",
        ),
        (Some(false), _) => Finding::fail(account,
            "The root account has no MFA device at all (see root-mfa).",
        ),
        (Some(true), Some(device)) => Finding::fail(account,
            "The root account's MFA is a virtual device: a hardware key resists phishing and phone compromise.",
        )
        .with("virtual_mfa_serial", device.serial_number.clone()),
        (Some(true), None) => Finding::pass(account,
            "The root account's MFA is not a virtual device (hardware key or token).",
        ),
    };
    vec![finding]
}

/// `root-recent-use`: the root account's password and keys were not used in the last
/// [`ROOT_RECENT_DAYS`] days.
pub fn root_recent_use(inv: &Inventory) -> Vec<Finding> {
    let account = Resource::account(inv);
    let report = match inv.iam.credential_report.get() {
        Ok(r) => r,
        Err(gap) => return vec![Finding::gap(account, gap)],
    };
    let Some(root) = report.root() else {
        return vec![Finding::error(
            account,
            "not evaluated: the credential report has no <root_account> row (AWS always includes it; an emulator may not).",
        )];
    };
    let mut uses: Vec<(String, chrono::DateTime<chrono::Utc>)> = Vec::new();
    if let Some(d) = root.password_last_used {
        uses.push(("password".into(), d));
    }
    for k in &root.access_keys {
        if let Some(d) = k.last_used_date {
            uses.push((format!("access key {}", k.slot), d));
        }
    }
    let last = uses.iter().max_by_key(|(_, d)| *d).cloned();
    let cutoff = super::days_before(inv, ROOT_RECENT_DAYS);
    let finding = match last {
        Some((what, when)) if when >= cutoff => Finding::fail(account,
            format!(
                "The root account's {what} was used on {}, within the last {ROOT_RECENT_DAYS} days: daily work should use IAM roles or users.",
                when.format("%Y-%m-%d")
            ),
        )
        .with("last_used", when.to_rfc3339())
        .with("credential", what),
        Some((what, when)) => Finding::pass(account,
            format!(
                "The root account was last used ({what}) on {}.",
                when.format("%Y-%m-%d")
            ),
        )
        .with("last_used", when.to_rfc3339())
        .with("credential", what),
        None => Finding::pass(account, "The root account has no recorded use."),
    };
    vec![super::stamp(finding, report)]
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
    fn root_hardware_mfa_tells_virtual_from_hardware() {
        use crate::inventory::iam::VirtualMfaDevice;
        let mut inv = root(true, false);
        assert_eq!(root_hardware_mfa(&inv)[0].status, Status::Pass);
        inv.iam.virtual_mfa_devices = Collected::Ok(vec![VirtualMfaDevice {
            serial_number: "arn:aws:iam::123456789012:mfa/root-account-mfa-device".into(),
            user_arn: Some("arn:aws:iam::123456789012:root".into()),
        }]);
        let f = &root_hardware_mfa(&inv)[0];
        assert_eq!(f.status, Status::Fail);
        assert!(f.message.contains("virtual"), "{}", f.message);
        assert_eq!(
            root_hardware_mfa(&root(false, false))[0].status,
            Status::Fail
        );
        // A spare device that merely carries root's usual name is not root's.
        let mut spare = root(true, false);
        spare.iam.virtual_mfa_devices = Collected::Ok(vec![VirtualMfaDevice {
            serial_number: "arn:aws:iam::123456789012:mfa/root-account-mfa-device".into(),
            user_arn: None,
        }]);
        assert_eq!(root_hardware_mfa(&spare)[0].status, Status::Pass);
        let mut inv = root(true, false);
        inv.iam.virtual_mfa_devices = Collected::Gap(gap("ListVirtualMFADevices", "AccessDenied"));
        assert_eq!(root_hardware_mfa(&inv)[0].status, Status::Error);
    }

    #[test]
    fn root_recent_use_names_the_date() {
        let mut inv = root(true, false);
        assert_eq!(root_recent_use(&inv)[0].status, Status::Pass, "never used");
        if let Collected::Ok(r) = &mut inv.iam.credential_report {
            r.users[0].password_last_used = days_ago(200);
            r.users[0].access_keys[0].last_used_date = days_ago(10);
        }
        let f = &root_recent_use(&inv)[0];
        assert_eq!(f.status, Status::Fail);
        let expected = days_ago(10)
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default();
        assert!(f.message.contains(&expected), "{}", f.message);
        assert_eq!(f.evidence["credential"], "access key 1");
        assert_eq!(
            f.evidence["last_used"].as_str(),
            days_ago(10).map(|d| d.to_rfc3339()).as_deref()
        );
        if let Collected::Ok(r) = &mut inv.iam.credential_report {
            r.users[0].access_keys[0].last_used_date = days_ago(91);
        }
        assert_eq!(root_recent_use(&inv)[0].status, Status::Pass);
        // No root row (as in moto): not evaluated, never a pass.
        let inv = inventory(vec![row("alice")]);
        assert_eq!(root_recent_use(&inv)[0].status, Status::Error);
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
