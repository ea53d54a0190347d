//! Errors a user can fix. Each renders as one paragraph that names the problem and the
//! fix; `main` prints it and exits with [`crate::report::exit::ERROR`].

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum UserError {
    #[error(
        "no AWS credentials were found ({detail}). postura uses the standard AWS credential chain: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, pass --profile NAME (or set AWS_PROFILE) for a profile in ~/.aws/config, or run `aws sso login --profile NAME` first for an SSO profile."
    )]
    NoCredentials { detail: String },

    #[error(
        "AWS rejected the credentials ({code}: {detail}). Check that the access key exists and is active, that the secret matches it, and that a session token, if any, has not expired (for SSO, run `aws sso login` again)."
    )]
    InvalidCredentials { code: String, detail: String },

    #[error(
        "the AWS profile `{name}` does not exist in {files}. {available} Pass an existing profile with --profile or AWS_PROFILE, or create it with `aws configure --profile {name}`."
    )]
    UnknownProfile {
        name: String,
        files: String,
        available: String,
    },

    #[error(
        "`{region}` is not an AWS region name. Region names look like `us-east-1` or `eu-west-3`; fix --region, AWS_REGION or the profile's `region` setting."
    )]
    InvalidRegion { region: String },

    #[error(
        "--region {region} names no region of this account's partition ({partition}). Its regions are: {available}. Fix the --region value, or leave --region out to scan every enabled region."
    )]
    UnknownRegion {
        region: String,
        partition: String,
        available: String,
    },

    #[error(
        "no AWS region is configured. Pass --region (for example --region us-east-1), set AWS_REGION, or set `region` in the profile you use."
    )]
    NoRegion,

    #[error(
        "could not reach {endpoint} ({detail}). Check the network connection and the endpoint: --endpoint-url and the AWS_ENDPOINT_URL variables override where postura sends requests; unset them to talk to AWS itself."
    )]
    Unreachable { endpoint: String, detail: String },

    #[error(
        "`{url}` is not a valid endpoint URL. Pass an absolute http:// or https:// URL, for example --endpoint-url http://localhost:5000."
    )]
    InvalidEndpoint { url: String },

    #[error(
        "the identity check (sts:GetCallerIdentity) failed: {detail}. postura needs it to know which account it scans; check the credentials and the endpoint."
    )]
    Identity { detail: String },

    #[error("cannot read the inventory file {}: {detail}. Check the path, or create the file with `postura collect -o FILE`.", path.display())]
    InventoryUnreadable { path: PathBuf, detail: String },

    #[error("{} is not a postura inventory: {detail}. Pass a file written by `postura collect -o FILE`; a JSON report from `postura scan --format json` is not an inventory.", path.display())]
    InventoryMalformed { path: PathBuf, detail: String },

    #[error("{} is an inventory of schema version {found}, and this postura reads version {expected}. Collect it again with this version (`postura collect -o FILE`) or use the postura version that wrote it.", path.display())]
    InventoryVersion {
        path: PathBuf,
        found: u64,
        expected: u32,
    },

    #[error("cannot write {}: {detail}. Check that the directory exists and is writable, or pass another path.", path.display())]
    OutputUnwritable { path: PathBuf, detail: String },

    #[error("there is no check `{id}`. Run `postura checks` to list the ids.")]
    UnknownCheck { id: String },

    #[error(
        "{file}, line {line}: {detail}. Fix the configuration (the README's \"Suppressions\" shows its keys), or pass another file with --config."
    )]
    Config {
        file: String,
        line: usize,
        detail: String,
    },

    #[error("cannot read the configuration file {}: {detail}. Check the path given to --config, or leave --config out to use ./postura.toml when it exists.", path.display())]
    ConfigUnreadable { path: PathBuf, detail: String },

    #[error("cannot read the report {}: {detail}. Pass the JSON report of an earlier run (`postura scan --output json=FILE`).", path.display())]
    ReportUnreadable { path: PathBuf, detail: String },

    #[error("{} is not a postura JSON report: {detail}. Pass the JSON report of an earlier run (`postura scan --output json=FILE`); an inventory from `postura collect` is not a report.", path.display())]
    ReportMalformed { path: PathBuf, detail: String },

    #[error("{} is a report of account {found}, and this one is of account {expected}. A baseline must come from an earlier scan of the same account; pass that account's report, or leave --baseline out.", path.display())]
    BaselineAccount {
        path: PathBuf,
        found: String,
        expected: String,
    },

    #[error(
        "--fail-on new needs a baseline to tell new failures from old ones. Pass --baseline FILE with the JSON report of an earlier scan, or choose a severity for --fail-on."
    )]
    NewWithoutBaseline,

    #[error(
        "`{spec}` is not an output: {detail}. Write --output FORMAT=FILE, with FORMAT one of table, json, sarif, markdown or html (for example --output sarif=postura.sarif), or --output FILE for the --format on stdout."
    )]
    OutputSpec { spec: String, detail: String },
}

impl UserError {
    /// The exit code: 2 for a command line that cannot work as given, else 1.
    pub fn exit_code(&self) -> u8 {
        match self {
            UserError::NewWithoutBaseline | UserError::OutputSpec { .. } => {
                crate::report::exit::USAGE
            }
            _ => crate::report::exit::ERROR,
        }
    }
}
