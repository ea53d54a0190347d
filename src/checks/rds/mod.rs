//! Database checks over RDS, in every scanned region: who can reach a DB instance, and
//! how its data is kept (encryption, backups, deletion protection, minor upgrades).

pub mod instances;
pub mod snapshots;
