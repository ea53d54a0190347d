//! Walking the scanned regions, for every regional check: a region whose data a check
//! needs is missing or a gap gets one ERROR for it, never silence.

use crate::checks::{Finding, Resource};
use crate::inventory::{Gap, Inventory, RegionInventory};

/// The scanned regions whose `select`ed data was collected, with that data; every other
/// scanned region adds an ERROR to `out`, on the resource `stand_in` gives for it.
pub fn collected<'a, T>(
    inv: &'a Inventory,
    out: &mut Vec<Finding>,
    stand_in: impl Fn(&str) -> Resource,
    select: impl Fn(&'a RegionInventory) -> Result<T, &'a Gap>,
) -> Vec<(&'a str, &'a RegionInventory, T)> {
    let mut found = Vec::new();
    for (region, r) in inv.regions() {
        match r {
            Err(gap) => out.push(Finding::gap(stand_in(region), &gap)),
            Ok(r) => match select(r) {
                Ok(data) => found.push((region, r, data)),
                Err(gap) => out.push(Finding::gap(stand_in(region), gap)),
            },
        }
    }
    found
}
