//! IAM users: console MFA, access keys, unused credentials, direct policies, CI keys.

use chrono::{DateTime, Utc};
use serde_json::json;

use crate::checks::{Finding, Resource};
use crate::inventory::Inventory;
use crate::inventory::iam::{AccessKeyReport, CredentialReport, CredentialReportRow};

/// Access keys older than this many days should have been rotated (CIS 1.13).
pub const KEY_ROTATION_DAYS: i64 = 90;
/// Credentials unused for this many days should be disabled (CIS 1.11).
pub const UNUSED_DAYS: i64 = 45;
/// A key used within this many days is in active use.
pub const RECENT_USE_DAYS: i64 = 90;

fn day(d: DateTime<Utc>) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// The credential report, or the one ERROR finding that stands in for every user.
fn report_or_gap(inv: &Inventory) -> Result<&CredentialReport, Vec<Finding>> {
    inv.iam
        .credential_report
        .get()
        .map_err(|gap| vec![Finding::gap(Resource::account(inv), gap)])
}

fn user_resource(u: &CredentialReportRow) -> Resource {
    Resource::iam_user(&u.user, &u.arn)
}

/// `user-console-mfa`: every IAM user with a console password has an MFA device.
pub fn user_console_mfa(inv: &Inventory) -> Vec<Finding> {
    let report = match report_or_gap(inv) {
        Ok(r) => r,
        Err(e) => return e,
    };
    report
        .iam_users()
        .filter(|u| u.password_enabled == Some(true))
        .map(|u| {
            let resource = Resource::iam_user(&u.user, &u.arn);
            let f = if u.mfa_active {
                Finding::pass(resource, "Console user has MFA enabled.")
            } else {
                Finding::fail(resource,
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
        .map(|f| super::stamp(f, report))
        .collect()
}

/// `access-key-rotation`: every active access key was created (rotated) within the last
/// [`KEY_ROTATION_DAYS`] days.
pub fn access_key_rotation(inv: &Inventory) -> Vec<Finding> {
    let report = match report_or_gap(inv) {
        Ok(r) => r,
        Err(e) => return e,
    };
    let cutoff = super::days_before(inv, KEY_ROTATION_DAYS);
    report
        .iam_users()
        .filter(|u| u.active_keys().next().is_some())
        .map(|u| {
            let resource = user_resource(u);
            let old: Vec<&AccessKeyReport> = u
                .active_keys()
                .filter(|k| k.last_rotated.is_none_or(|d| d < cutoff))
                .collect();
            let ages = json!(u
                .active_keys()
                .map(|k| json!({"slot": k.slot, "created": k.last_rotated.map(|d| d.to_rfc3339())}))
                .collect::<Vec<_>>());
            if old.is_empty() {
                Finding::pass(resource, format!("Every active access key is younger than {KEY_ROTATION_DAYS} days."))
            } else {
                let list: Vec<String> = old
                    .iter()
                    .map(|k| match k.last_rotated {
                        Some(d) => format!(
                            "key {} created {} ({} days ago)",
                            k.slot,
                            day(d),
                            (inv.started_at - d).num_days()
                        ),
                        None => format!("key {} (creation date unknown)", k.slot),
                    })
                    .collect();
                Finding::fail(resource,
                    format!(
                        "Active access key older than {KEY_ROTATION_DAYS} days: {}. Rotate it, or replace it with a role.",
                        list.join("; ")
                    ),
                )
            }
            .with("active_keys", ages)
        })
        .map(|f| super::stamp(f, report))
        .collect()
}

/// `unused-credentials`: no console password or active access key has gone unused for
/// [`UNUSED_DAYS`] days or more (never-used credentials count from their creation).
pub fn unused_credentials(inv: &Inventory) -> Vec<Finding> {
    let report = match report_or_gap(inv) {
        Ok(r) => r,
        Err(e) => return e,
    };
    let cutoff = super::days_before(inv, UNUSED_DAYS);
    report
        .iam_users()
        .filter(|u| u.password_enabled == Some(true) || u.active_keys().next().is_some())
        .map(|u| {
            let mut stale = Vec::new();
            if u.password_enabled == Some(true) {
                match u.password_last_used {
                    Some(d) if d <= cutoff => {
                        stale.push(format!("console password last used {}", day(d)))
                    }
                    Some(_) => {}
                    None => {
                        let since = u.password_last_changed.or(u.user_creation_time);
                        if since.is_none_or(|d| d <= cutoff) {
                            stale.push(format!(
                                "console password never used (set {})",
                                since.map(day).unwrap_or_else(|| "on an unknown date".into())
                            ));
                        }
                    }
                }
            }
            for k in u.active_keys() {
                match k.last_used_date {
                    Some(d) if d <= cutoff => {
                        stale.push(format!("access key {} last used {}", k.slot, day(d)))
                    }
                    Some(_) => {}
                    None => {
                        if k.last_rotated.is_none_or(|d| d <= cutoff) {
                            stale.push(format!(
                                "access key {} never used (created {})",
                                k.slot,
                                k.last_rotated.map(day).unwrap_or_else(|| "on an unknown date".into())
                            ));
                        }
                    }
                }
            }
            let resource = user_resource(u);
            if stale.is_empty() {
                Finding::pass(resource,
                    format!("Every enabled credential was used within the last {UNUSED_DAYS} days."),
                )
            } else {
                Finding::fail(resource,
                    format!(
                        "Credentials unused for {UNUSED_DAYS} days or more: {}. Disable or delete them.",
                        stale.join("; ")
                    ),
                )
                .with("unused", json!(stale))
            }
        })
        .map(|f| super::stamp(f, report))
        .collect()
}

/// `multiple-active-keys`: no user has more than one active access key.
pub fn multiple_active_keys(inv: &Inventory) -> Vec<Finding> {
    let report = match report_or_gap(inv) {
        Ok(r) => r,
        Err(e) => return e,
    };
    report
        .iam_users()
        .filter(|u| u.active_keys().next().is_some())
        .map(|u| {
            let n = u.active_keys().count();
            if n > 1 {
                Finding::fail(user_resource(u),
                    format!("The user has {n} active access keys; keep one, and a second only while rotating."),
                )
            } else {
                Finding::pass(user_resource(u), "The user has one active access key.")
            }
            .with("active_keys", n)
        })
        .map(|f| super::stamp(f, report))
        .collect()
}

/// `user-direct-policies`: users get permissions only through groups (or roles), never
/// from policies attached to or embedded in the user.
pub fn user_direct_policies(inv: &Inventory) -> Vec<Finding> {
    let details = match inv.iam.authorization_details.get() {
        Ok(d) => d,
        Err(gap) => return vec![Finding::gap(Resource::account(inv), gap)],
    };
    details
        .users
        .iter()
        .map(|u| {
            let resource = Resource::iam_user(&u.name, &u.arn);
            let managed: Vec<&str> = u.attached_managed_policies.iter().map(|p| p.name.as_str()).collect();
            let inline: Vec<&str> = u.inline_policies.iter().map(|p| p.name.as_str()).collect();
            if managed.is_empty() && inline.is_empty() {
                Finding::pass(resource, "The user has no policy of its own; permissions come from groups.")
            } else {
                let mut parts = Vec::new();
                if !managed.is_empty() {
                    parts.push(format!("attached {}", managed.join(", ")));
                }
                if !inline.is_empty() {
                    parts.push(format!("inline {}", inline.join(", ")));
                }
                Finding::fail(resource,
                    format!(
                        "The user has policies of its own ({}): grant permissions through a group instead.",
                        parts.join("; ")
                    ),
                )
                .with("attached_policies", json!(managed))
                .with("inline_policies", json!(inline))
            }
        })
        .collect()
}

/// `ci-long-lived-keys`: programmatic users (no console password) whose active access keys
/// are in use, the signature of a CI deploy credential that OpenID Connect should replace.
pub fn ci_long_lived_keys(inv: &Inventory) -> Vec<Finding> {
    let report = match report_or_gap(inv) {
        Ok(r) => r,
        Err(e) => return e,
    };
    let cutoff = super::days_before(inv, RECENT_USE_DAYS);
    report
        .iam_users()
        .filter(|u| u.password_enabled != Some(true) && u.active_keys().next().is_some())
        .map(|u| {
            let resource = user_resource(u);
            let used = u
                .active_keys()
                .filter(|k| k.last_used_date.is_some_and(|d| d >= cutoff))
                .max_by_key(|k| k.last_used_date);
            match used {
                Some(k) => {
                    let service = k.last_used_service.clone().unwrap_or_else(|| "an unknown service".into());
                    let when = k.last_used_date.map(day).unwrap_or_default();
                    Finding::fail(resource,
                        format!(
                            "Programmatic user with a long-lived access key in use (key {}, last used {when} for {service}): if CI deploys with it, switch to OpenID Connect and a role, and delete the key.",
                            k.slot
                        ),
                    )
                    .with("key_slot", k.slot)
                    .with("last_used_date", k.last_used_date.map(|d| d.to_rfc3339()))
                    .with("last_used_service", k.last_used_service.clone())
                    .with("last_used_region", k.last_used_region.clone())
                }
                None => Finding::pass(resource,
                    format!("No active access key of this user was used in the last {RECENT_USE_DAYS} days."),
                ),
            }
        })
        .map(|f| super::stamp(f, report))
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

    fn with_key(
        name: &str,
        slot: usize,
        created: i64,
        used: Option<i64>,
    ) -> crate::inventory::iam::CredentialReportRow {
        let mut r = row(name);
        let k = &mut r.access_keys[slot];
        k.active = true;
        k.last_rotated = days_ago(created);
        k.last_used_date = used.and_then(days_ago);
        k.last_used_service = used.map(|_| "lambda".to_string());
        k.last_used_region = used.map(|_| "eu-west-1".to_string());
        r
    }

    #[test]
    fn access_key_rotation_flags_keys_over_90_days() {
        let inv = inventory(vec![
            with_key("old", 0, 120, Some(1)),
            with_key("new", 0, 30, Some(1)),
            row("nokeys"),
            with_key("exactly-90", 0, 90, Some(1)),
            with_key("day-91", 0, 91, Some(1)),
        ]);
        let f = access_key_rotation(&inv);
        assert_eq!(f.len(), 4);
        assert_eq!(f[0].status, Status::Fail);
        assert!(f[0].message.contains("120 days ago"), "{}", f[0].message);
        assert_eq!(f[1].status, Status::Pass);
        assert_eq!(
            f[2].status,
            Status::Pass,
            "90 days old is not older than 90"
        );
        assert_eq!(f[3].status, Status::Fail);
    }

    #[test]
    fn unused_credentials_counts_never_used_from_creation() {
        let mut stale_pw = row("stale-pw");
        stale_pw.password_enabled = Some(true);
        stale_pw.password_last_used = days_ago(60);
        let mut new_pw = row("new-pw");
        new_pw.password_enabled = Some(true);
        new_pw.user_creation_time = days_ago(3);
        let mut never_pw = row("never-pw");
        never_pw.password_enabled = Some(true);
        never_pw.password_last_changed = days_ago(100);
        let mut boundary_pw = row("boundary-pw");
        boundary_pw.password_enabled = Some(true);
        boundary_pw.password_last_used = days_ago(45);
        let mut recent_pw = row("recent-pw");
        recent_pw.password_enabled = Some(true);
        recent_pw.password_last_used = days_ago(44);
        let inv = inventory(vec![
            stale_pw,
            new_pw,
            never_pw,
            boundary_pw,
            recent_pw,
            with_key("never-used-old-key", 0, 50, None),
            with_key("never-used-new-key", 0, 10, None),
            with_key("used-key", 1, 300, Some(2)),
        ]);
        let f = unused_credentials(&inv);
        let status = |id: &str| f.iter().find(|x| x.resource.id == id).map(|x| x.status);
        assert_eq!(status("stale-pw"), Some(Status::Fail));
        assert_eq!(
            status("never-pw"),
            Some(Status::Fail),
            "never used, set 100 days ago"
        );
        assert_eq!(status("boundary-pw"), Some(Status::Fail), "45 days counts");
        assert_eq!(status("recent-pw"), Some(Status::Pass));
        assert_eq!(status("new-pw"), Some(Status::Pass));
        assert_eq!(status("never-used-old-key"), Some(Status::Fail));
        assert_eq!(status("never-used-new-key"), Some(Status::Pass));
        assert_eq!(status("used-key"), Some(Status::Pass));
        let msg = &f
            .iter()
            .find(|x| x.resource.id == "never-used-old-key")
            .map(|x| x.message.clone())
            .unwrap_or_default();
        assert!(msg.contains("never used"), "{msg}");
    }

    #[test]
    fn multiple_active_keys_fails_with_two() {
        let mut two = with_key("two", 0, 10, None);
        two.access_keys[1].active = true;
        let f = multiple_active_keys(&inventory(vec![two, with_key("one", 0, 10, None)]));
        assert_eq!(f[0].status, Status::Fail);
        assert_eq!(f[1].status, Status::Pass);
    }

    #[test]
    fn ci_long_lived_keys_names_service_and_date() {
        let mut console = with_key("human", 0, 10, Some(1));
        console.password_enabled = Some(true);
        let inv = inventory(vec![
            with_key("deploy", 0, 200, Some(2)),
            with_key("dormant", 0, 200, Some(150)),
            console,
        ]);
        let f = ci_long_lived_keys(&inv);
        assert_eq!(f.len(), 2, "console users are not CI users");
        assert_eq!(f[0].status, Status::Fail);
        assert!(f[0].message.contains("lambda"), "{}", f[0].message);
        assert_eq!(f[0].evidence["last_used_service"], "lambda");
        assert_eq!(f[1].status, Status::Pass);
    }

    #[test]
    fn a_missing_report_is_an_error_not_a_pass() {
        let mut inv = inventory(vec![with_key("deploy", 0, 200, Some(2))]);
        inv.iam.credential_report = Collected::Gap(gap("GetCredentialReport", "Throttling"));
        for check in [
            access_key_rotation,
            unused_credentials,
            multiple_active_keys,
            ci_long_lived_keys,
        ] {
            let f = check(&inv);
            assert_eq!(f.len(), 1);
            assert_eq!(f[0].status, Status::Error);
        }
    }

    #[test]
    fn console_mfa_gap_is_an_error_not_a_pass() {
        let mut inv = inventory(vec![]);
        inv.iam.credential_report = Collected::Gap(gap("GenerateCredentialReport", "AccessDenied"));
        let findings = user_console_mfa(&inv);
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].status, Status::Error);
    }
}
