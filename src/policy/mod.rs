//! The IAM policy language, in one place for every check that reads a policy (identity
//! policies, trust policies, and the bucket and key policies to come): reading documents,
//! matching actions and resources, condition operators, and evaluation by IAM's rules.

pub mod condition;
pub mod document;
pub mod eval;
pub mod pattern;
pub mod public;

pub use document::{Document, DocumentError, Effect, Kind, Matcher, Principal, Statement};
