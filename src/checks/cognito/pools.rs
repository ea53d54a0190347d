//! Pool-level settings: MFA, password policy, threat protection, deletion protection, self
//! sign-up.

use serde_json::{Value, json};

use super::{named, pool_resource, pools};
use crate::checks::Finding;
use crate::inventory::Inventory;
use crate::inventory::cognito::{MfaFactors, PoolSettings, UserPool};

/// Runs `judge` on every pool whose settings were read; ERROR for the others.
fn each_pool(
    inv: &Inventory,
    judge: impl Fn(&UserPool, &PoolSettings, String) -> Finding,
) -> Vec<Finding> {
    let mut out = Vec::new();
    for (region, p) in pools(inv, &mut out) {
        let res = pool_resource(inv, region, p);
        out.push(match p.settings.get() {
            Err(gap) => Finding::gap(res, gap),
            Ok(s) => {
                let mut f = judge(p, s, named(p));
                f.resource = res;
                f
            }
        });
    }
    out
}

/// A finding whose resource [`each_pool`] fills in.
fn pass(msg: String) -> Finding {
    Finding::pass(placeholder(), msg)
}

fn fail(msg: String) -> Finding {
    Finding::fail(placeholder(), msg)
}

fn placeholder() -> crate::checks::Resource {
    crate::checks::Resource {
        arn: String::new(),
        id: String::new(),
        kind: String::new(),
        region: String::new(),
    }
}

/// The second factors a pool offers, in words, and whether SMS is the only one. Passkeys
/// are a first factor unless configured to count as MFA, which the API's answer does not
/// say here, so they are not counted.
fn factors(m: &MfaFactors) -> (String, bool) {
    let mut names = Vec::new();
    if m.totp {
        names.push("authenticator apps (TOTP)");
    }
    if m.email {
        names.push("email codes (configured, for MFA or sign-in)");
    }
    if m.sms {
        names.push("SMS codes (configured, for MFA or sign-in)");
    }
    let sms_only = m.sms && !m.totp && !m.email;
    let text = if names.is_empty() {
        "no second factor configured".to_string()
    } else {
        names.join(", ")
    };
    (text, sms_only)
}

fn factor_words(p: &UserPool) -> (String, Value) {
    match p.mfa.get() {
        Ok(m) => {
            let (text, sms_only) = factors(m);
            let note = if sms_only {
                "; SMS only, which is weaker than an authenticator app or a passkey (SIM swapping, interception)"
            } else {
                ""
            };
            (
                format!(" (second factors: {text}{note})"),
                serde_json::to_value(m).unwrap_or(Value::Null),
            )
        }
        Err(gap) => (
            format!(
                " (which second factors are allowed is unknown: {} {})",
                gap.operation, gap.error_code
            ),
            Value::Null,
        ),
    }
}

pub fn cognito_mfa(inv: &Inventory) -> Vec<Finding> {
    each_pool(inv, |p, s, name| {
        let (words, evidence) = factor_words(p);
        let f = match s.mfa_configuration.as_str() {
            "ON" => pass(format!("{name} requires MFA{words}")),
            "OPTIONAL" => pass(format!(
                "{name} offers MFA, but as optional: users may sign in with a password alone{words}"
            )),
            _ => fail(format!(
                "{name} has MFA off: a password alone signs users in"
            )),
        };
        f.with("mfa_configuration", s.mfa_configuration.clone())
            .with("factors", evidence)
    })
}

pub fn cognito_mfa_required(inv: &Inventory) -> Vec<Finding> {
    each_pool(inv, |p, s, name| {
        let (words, evidence) = factor_words(p);
        let f = match s.mfa_configuration.as_str() {
            "ON" => pass(format!("{name} requires MFA of every user{words}")),
            "OPTIONAL" => fail(format!(
                "{name} leaves MFA optional: each user decides whether to set up a second factor{words}"
            )),
            _ => fail(format!("{name} has MFA off")),
        };
        f.with("mfa_configuration", s.mfa_configuration.clone())
            .with("factors", evidence)
    })
}

pub fn cognito_password_policy(inv: &Inventory) -> Vec<Finding> {
    each_pool(inv, |_, s, name| {
        let Some(pp) = &s.password_policy else {
            return fail(format!("{name} has no password policy"));
        };
        let mut problems = Vec::new();
        if pp.minimum_length < 8 {
            problems.push(format!(
                "a minimum length of {} (at least 8; 14 recommended)",
                pp.minimum_length
            ));
        }
        let missing: Vec<&str> = [
            (pp.require_uppercase, "uppercase letters"),
            (pp.require_lowercase, "lowercase letters"),
            (pp.require_numbers, "numbers"),
            (pp.require_symbols, "symbols"),
        ]
        .iter()
        .filter(|(on, _)| !on)
        .map(|(_, n)| *n)
        .collect();
        if !missing.is_empty() {
            problems.push(format!("no requirement of {}", missing.join(", ")));
        }
        if pp.temporary_password_validity_days > 7 {
            problems.push(format!(
                "temporary passwords valid for {} days (at most 7)",
                pp.temporary_password_validity_days
            ));
        }
        let f = if problems.is_empty() {
            let note = if pp.minimum_length < 14 {
                format!(
                    "; a minimum length of {} meets FSBP Cognito.3, though 14 is recommended",
                    pp.minimum_length
                )
            } else {
                String::new()
            };
            pass(format!(
                "{name}'s password policy requires at least {} characters of all four classes, and temporary passwords expire within {} days{note}",
                pp.minimum_length, pp.temporary_password_validity_days
            ))
        } else {
            fail(format!(
                "{name}'s password policy is weak: {}",
                problems.join("; ")
            ))
        };
        f.with(
            "password_policy",
            serde_json::to_value(pp).unwrap_or(Value::Null),
        )
    })
}

pub fn cognito_threat_protection(inv: &Inventory) -> Vec<Finding> {
    each_pool(inv, |p, s, name| {
        let standard = s.threat_protection.as_deref().unwrap_or("OFF");
        // Custom authentication flows (a DefineAuthChallenge trigger) have a mode of their
        // own; without them there is nothing for it to protect.
        let custom = if s.custom_auth {
            Some(s.threat_protection_custom.as_deref().unwrap_or("AUDIT"))
        } else {
            None
        };
        let plan = s.feature_plan.as_deref().unwrap_or("unknown");
        let evidence = json!({
            "standard_authentication": standard,
            "custom_authentication": custom,
            "custom_auth_configured": s.custom_auth,
            "feature_plan": plan,
        });
        let mut weak = Vec::new();
        if standard != "ENFORCED" {
            weak.push(format!("standard authentication is {standard}"));
        }
        if let Some(c) = custom
            && c != "ENFORCED"
        {
            weak.push(format!("custom authentication is {c}"));
        }
        let f = if !weak.is_empty() {
            let plan_note = match plan {
                "LITE" | "ESSENTIALS" => format!(
                    "; the pool's feature plan ({plan}) has no threat protection: it needs Plus"
                ),
                _ => String::new(),
            };
            let audit_note = if weak.iter().any(|w| w.ends_with("AUDIT")) {
                " (AUDIT only records risky sign-ins; it blocks none)"
            } else {
                ""
            };
            fail(format!(
                "{name} does not enforce threat protection: {}{audit_note}{plan_note}",
                weak.join(", ")
            ))
        } else {
            match &p.risk {
                Some(r) => match r.get() {
                    // A configuration that names no action acts on nothing; one that blocks
                    // compromised credentials only on sign-up or password change lets a
                    // sign-in with them through.
                    Ok(actions)
                        if !blocks_compromised_sign_in(actions)
                            || !acts_on_high_risk(actions) =>
                    {
                        fail(format!(
                            "{name} enforces threat protection but takes no action on {}",
                            [
                                (!blocks_compromised_sign_in(actions))
                                    .then_some("sign-ins with compromised credentials"),
                                (!acts_on_high_risk(actions))
                                .then_some("high-risk sign-ins"),
                            ]
                            .into_iter()
                            .flatten()
                            .collect::<Vec<_>>()
                            .join(" or ")
                        ))
                        .with("risk_configuration", serde_json::to_value(actions).unwrap_or(Value::Null))
                    }
                    Ok(actions) => pass(format!(
                        "{name} enforces threat protection for {} (compromised credentials: {}; high-risk sign-ins: {})",
                        if custom.is_some() { "standard and custom authentication" } else { "standard authentication (no custom flow is configured)" },
                        actions.compromised_credentials.as_deref().unwrap_or("not set"),
                        actions.account_takeover_high.as_deref().unwrap_or("not set"),
                    ))
                    .with("risk_configuration", serde_json::to_value(actions).unwrap_or(Value::Null)),
                    Err(gap) => Finding::error(
                        placeholder(),
                        format!(
                            "{name} says threat protection is ENFORCED, but what it does could not be read ({} {}: {}), so it is not evaluated",
                            gap.operation, gap.error_code, gap.message
                        ),
                    )
                    .with("gap", serde_json::to_value(gap).unwrap_or(Value::Null)),
                },
                None => Finding::error(
                    placeholder(),
                    format!("{name} says threat protection is ENFORCED, but its risk configuration was not read, so it is not evaluated"),
                ),
            }
        };
        f.with("threat_protection", evidence)
    })
}

pub fn cognito_deletion_protection(inv: &Inventory) -> Vec<Finding> {
    each_pool(inv, |_, s, name| match s.deletion_protection.as_deref() {
        Some("ACTIVE") => pass(format!("{name} has deletion protection on")),
        _ => fail(format!(
            "{name} has deletion protection off: one call deletes the pool and every user in it"
        )),
    })
}

pub fn cognito_self_signup(inv: &Inventory) -> Vec<Finding> {
    each_pool(inv, |_, s, name| {
        if s.admin_create_user_only {
            pass(format!("{name} lets only administrators create users"))
        } else {
            fail(format!(
                "{name} lets anyone sign up: right for a customer-facing pool, wrong for a staff or partner pool; postura does not guess which this is"
            ))
        }
    })
}

/// Whether a high-risk sign-in meets an action (BLOCK or MFA), not NO_ACTION or nothing.
fn acts_on_high_risk(a: &crate::inventory::cognito::RiskActions) -> bool {
    a.account_takeover_high
        .as_deref()
        .is_some_and(|h| h != "NO_ACTION")
}

/// Whether compromised credentials are blocked at sign-in: the action is BLOCK and the
/// event filter (empty: every event) includes SIGN_IN.
fn blocks_compromised_sign_in(a: &crate::inventory::cognito::RiskActions) -> bool {
    a.compromised_credentials.as_deref() == Some("BLOCK")
        && (a.compromised_credentials_events.is_empty()
            || a.compromised_credentials_events
                .iter()
                .any(|e| e == "SIGN_IN"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Status;
    use crate::checks::cognito::fixtures::*;
    use crate::inventory::Collected;
    use crate::inventory::cognito::{PasswordPolicy, RiskActions};

    fn one(check: fn(&Inventory) -> Vec<Finding>, p: UserPool) -> Finding {
        let mut f = check(&inventory(vec![p]));
        assert_eq!(f.len(), 1, "{f:#?}");
        let f = f.remove(0);
        assert_eq!(f.resource.kind, "AwsCognitoUserPool");
        assert_eq!(f.resource.region, "eu-west-1");
        f
    }

    fn with(f: impl FnOnce(&mut PoolSettings)) -> UserPool {
        let mut p = pool("api");
        if let Collected::Ok(s) = &mut p.settings {
            f(s);
        }
        p
    }

    #[test]
    fn mfa_on_optional_and_off() {
        assert_eq!(one(cognito_mfa, pool("api")).status, Status::Pass);
        assert_eq!(one(cognito_mfa_required, pool("api")).status, Status::Pass);
        let optional = with(|s| s.mfa_configuration = "OPTIONAL".into());
        let f = one(cognito_mfa, optional.clone());
        assert_eq!(f.status, Status::Pass);
        assert!(f.message.contains("optional"), "{}", f.message);
        assert_eq!(one(cognito_mfa_required, optional).status, Status::Fail);
        let off = with(|s| s.mfa_configuration = "OFF".into());
        assert_eq!(one(cognito_mfa, off.clone()).status, Status::Fail);
        assert_eq!(one(cognito_mfa_required, off).status, Status::Fail);
    }

    #[test]
    fn sms_only_is_called_weaker() {
        let mut p = pool("api");
        p.mfa = Collected::Ok(MfaFactors {
            sms: true,
            ..Default::default()
        });
        let f = one(cognito_mfa, p);
        assert_eq!(f.status, Status::Pass);
        assert!(
            f.message.contains("SMS only, which is weaker"),
            "{}",
            f.message
        );
        let f = one(cognito_mfa, pool("api"));
        assert!(
            f.message.contains("authenticator apps (TOTP)") && !f.message.contains("weaker"),
            "{}",
            f.message
        );
        // Factors unknown: the verdict stands on the MFA setting, and says what is unknown.
        let mut p = pool("api");
        p.mfa = Collected::Gap(gap("GetUserPoolMfaConfig"));
        let f = one(cognito_mfa, p);
        assert_eq!(f.status, Status::Pass);
        assert!(f.message.contains("unknown"), "{}", f.message);
    }

    #[test]
    fn password_policy_names_each_shortfall() {
        let f = one(cognito_password_policy, pool("api"));
        assert_eq!(f.status, Status::Pass, "{}", f.message);
        let weak = with(|s| {
            s.password_policy = Some(PasswordPolicy {
                minimum_length: 6,
                require_uppercase: true,
                require_lowercase: true,
                require_numbers: false,
                require_symbols: false,
                temporary_password_validity_days: 30,
            })
        });
        let f = one(cognito_password_policy, weak);
        assert_eq!(f.status, Status::Fail);
        for part in [
            "minimum length of 6",
            "numbers, symbols",
            "valid for 30 days",
        ] {
            assert!(f.message.contains(part), "{part}: {}", f.message);
        }
        let eight = with(|s| {
            if let Some(pp) = &mut s.password_policy {
                pp.minimum_length = 8;
            }
        });
        let f = one(cognito_password_policy, eight);
        assert_eq!(f.status, Status::Pass);
        assert!(f.message.contains("14 is recommended"), "{}", f.message);
        assert_eq!(
            one(cognito_password_policy, with(|s| s.password_policy = None)).status,
            Status::Fail
        );
    }

    #[test]
    fn threat_protection_enforced_audit_off_and_unknown() {
        let f = one(cognito_threat_protection, pool("api"));
        assert_eq!(f.status, Status::Pass, "{}", f.message);
        let audit = with(|s| s.threat_protection = Some("AUDIT".into()));
        let f = one(cognito_threat_protection, audit);
        assert_eq!(f.status, Status::Fail);
        assert!(f.message.contains("AUDIT only records"), "{}", f.message);
        let off = with(|s| {
            s.threat_protection = None;
            s.feature_plan = Some("ESSENTIALS".into());
        });
        let f = one(cognito_threat_protection, off);
        assert_eq!(f.status, Status::Fail);
        assert!(f.message.contains("needs Plus"), "{}", f.message);
        // A custom flow left in AUDIT fails even with standard authentication enforced.
        let custom = with(|s| {
            s.custom_auth = true;
            s.threat_protection_custom = Some("AUDIT".into());
        });
        let f = one(cognito_threat_protection, custom);
        assert_eq!(f.status, Status::Fail);
        assert!(
            f.message.contains("custom authentication is AUDIT"),
            "{}",
            f.message
        );
        // ENFORCED, but the risk configuration could not be read (moto answers 500).
        let mut p = pool("api");
        p.risk = Some(Collected::Gap(gap("DescribeRiskConfiguration")));
        let f = one(cognito_threat_protection, p);
        assert_eq!(f.status, Status::Error, "{}", f.message);
        assert!(
            f.message.contains("DescribeRiskConfiguration"),
            "{}",
            f.message
        );
        let mut p = pool("api");
        p.risk = None;
        assert_eq!(one(cognito_threat_protection, p).status, Status::Error);
        // A configuration that names no action acts on nothing.
        let mut p = pool("api");
        p.risk = Some(Collected::Ok(RiskActions::default()));
        assert_eq!(one(cognito_threat_protection, p).status, Status::Fail);
        let acting = RiskActions {
            compromised_credentials: Some("BLOCK".into()),
            compromised_credentials_events: vec![],
            account_takeover_high: Some("MFA_REQUIRED".into()),
        };
        let mut p = pool("api");
        p.risk = Some(Collected::Ok(acting.clone()));
        assert_eq!(one(cognito_threat_protection, p).status, Status::Pass);
        let mut p = pool("api");
        p.risk = Some(Collected::Ok(RiskActions {
            compromised_credentials_events: vec!["SIGN_IN".into(), "SIGN_UP".into()],
            ..acting.clone()
        }));
        assert_eq!(one(cognito_threat_protection, p).status, Status::Pass);
        // Blocking compromised credentials on sign-up only lets sign-ins with them through.
        let mut p = pool("api");
        p.risk = Some(Collected::Ok(RiskActions {
            compromised_credentials_events: vec!["SIGN_UP".into()],
            ..acting
        }));
        let f = one(cognito_threat_protection, p);
        assert_eq!(f.status, Status::Fail, "{}", f.message);
        assert!(
            f.message.contains("compromised credentials"),
            "{}",
            f.message
        );
        // ENFORCED with no action on compromised credentials blocks nothing that matters.
        let mut p = pool("api");
        p.risk = Some(Collected::Ok(RiskActions {
            compromised_credentials: Some("NO_ACTION".into()),
            compromised_credentials_events: vec![],
            account_takeover_high: Some("BLOCK".into()),
        }));
        let f = one(cognito_threat_protection, p);
        assert_eq!(f.status, Status::Fail);
        assert!(
            f.message.contains("compromised credentials"),
            "{}",
            f.message
        );
    }

    #[test]
    fn deletion_protection_and_self_signup() {
        assert_eq!(
            one(cognito_deletion_protection, pool("api")).status,
            Status::Pass
        );
        assert_eq!(
            one(
                cognito_deletion_protection,
                with(|s| s.deletion_protection = None)
            )
            .status,
            Status::Fail
        );
        assert_eq!(one(cognito_self_signup, pool("api")).status, Status::Pass);
        let f = one(
            cognito_self_signup,
            with(|s| s.admin_create_user_only = false),
        );
        assert_eq!(f.status, Status::Fail);
        assert!(f.message.contains("does not guess"), "{}", f.message);
    }

    #[test]
    fn unread_settings_and_unlisted_pools_are_errors() {
        let mut p = pool("api");
        p.settings = Collected::Gap(gap("DescribeUserPool"));
        p.arn.clear();
        let f = one(cognito_mfa, p);
        assert_eq!(f.status, Status::Error);
        assert!(
            f.resource
                .arn
                .starts_with("arn:aws:cognito-idp:eu-west-1:123456789012:userpool/"),
            "{}",
            f.resource.arn
        );
        let mut inv = inventory(vec![]);
        if let Some(r) = inv.regional.get_mut("eu-west-1") {
            r.cognito = Collected::Gap(gap("ListUserPools"));
        }
        let f = cognito_password_policy(&inv);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].status, Status::Error);
    }
}
