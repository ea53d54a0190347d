//! Integration tests: the postura binary against moto, one fresh account per test.

#[path = "../support/mod.rs"]
mod support;

mod action;
mod cli;
mod cloudtrail;
mod cognito;
mod demo;
mod detection;
mod ec2;
mod iam;
mod permissions;
mod rds;
mod reports;
mod s3;
mod securityhub;
