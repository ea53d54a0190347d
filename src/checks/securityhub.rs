//! `securityhub-enabled`: Security Hub is on in every scanned region.

use crate::checks::{Finding, Resource};
use crate::inventory::Inventory;

pub fn securityhub_enabled(inv: &Inventory) -> Vec<Finding> {
    let mut out = Vec::new();
    let hub = |region: &str| Resource {
        arn: format!(
            "arn:{}:securityhub:{region}:{}:hub/default",
            inv.account.partition, inv.account.id
        ),
        id: format!("Security Hub in {region}"),
        kind: "AwsSecurityHubHub".into(),
        region: region.into(),
    };
    let regions = crate::checks::regional::collected(inv, &mut out, hub, |r| r.securityhub.get());
    for (region, _, h) in regions {
        out.push(if h.enabled {
            let standards = match h.standards.get() {
                Ok(s) if s.is_empty() => "no standard enabled".to_string(),
                Ok(s) => format!("{} standard(s) enabled", s.len()),
                Err(g) => format!(
                    "its enabled standards could not be listed ({})",
                    g.error_code
                ),
            };
            Finding::pass(
                hub(region),
                format!("Security Hub is on in {region}: {standards}"),
            )
        } else {
            Finding::fail(
                hub(region),
                format!("Security Hub is off in {region}: no control there is evaluated or scored"),
            )
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Status;
    use crate::inventory::Collected;

    #[test]
    fn on_off_and_unknown() {
        let mut inv = crate::checks::iam::fixtures::inventory(vec![]);
        assert_eq!(securityhub_enabled(&inv)[0].status, Status::Pass);
        if let Some(r) = inv.regional.get_mut("eu-west-1")
            && let Collected::Ok(h) = &mut r.securityhub
        {
            h.enabled = false;
        }
        let f = securityhub_enabled(&inv);
        assert_eq!(f[0].status, Status::Fail);
        assert_eq!(f[0].resource.region, "eu-west-1");
        if let Some(r) = inv.regional.get_mut("eu-west-1") {
            r.securityhub = Collected::Gap(crate::checks::iam::fixtures::gap(
                "DescribeHub",
                "AccessDeniedException",
            ));
        }
        assert_eq!(securityhub_enabled(&inv)[0].status, Status::Error);
    }
}
