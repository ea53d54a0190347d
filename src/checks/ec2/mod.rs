//! Network checks over EC2, in every scanned region: what security groups open to the
//! internet, and whether each VPC's default security group is closed.

pub mod exposure;
pub mod security_groups;

#[cfg(test)]
pub(crate) mod fixtures;
