//! The command line: parses arguments, runs the pipeline, writes outputs, picks the exit code.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::checks::{Metadata, Severity};
use crate::collect::{self, Target};
use crate::error::UserError;
use crate::inventory::{Inventory, SCHEMA_VERSION};
use crate::output::{self, Format};
use crate::report::{Report, exit};

const AFTER_HELP: &str = "\
Credentials and region come from the standard AWS chain, as with the AWS CLI: environment
variables, --profile or AWS_PROFILE (SSO profiles included), web identity, container and
instance roles. AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE> are honoured.

Exit codes:
  0  no FAIL at or above --fail-on, and nothing left unevaluated
  1  postura could not run (bad input, no credentials, unreachable endpoint)
  2  invalid command line
  3  at least one FAIL at or above --fail-on
  4  no such FAIL, but some results are ERROR (missing permission, throttling...)";

#[derive(Debug, Parser)]
#[command(
    name = "postura",
    version,
    about = "Audit an AWS account's security posture: collect, check, score, report.",
    after_help = AFTER_HELP
)]
pub struct Cli {
    #[command(flatten)]
    pub aws: AwsArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct AwsArgs {
    /// Use this profile from ~/.aws/config or ~/.aws/credentials (default: AWS_PROFILE).
    #[arg(long, global = true, value_name = "NAME")]
    pub profile: Option<String>,
    /// Scan only this region; repeat for several (default: every region enabled for the
    /// account). The first one is where global services are asked; without --region,
    /// AWS_REGION or the profile's region is.
    #[arg(long = "region", global = true, value_name = "REGION")]
    pub regions: Vec<String>,
    /// Send every AWS request to this URL (default: AWS_ENDPOINT_URL, else AWS itself).
    #[arg(long, global = true, value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// Requests in flight at once across the whole scan (all services and regions).
    #[arg(long, global = true, value_name = "N", default_value_t = collect::DEFAULT_MAX_REQUESTS as u16,
          value_parser = clap::value_parser!(u16).range(1..=256))]
    pub max_requests: u16,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// How to render the report.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write the report to this file instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Exit with code 3 when a FAIL of this severity or worse is found.
    #[arg(long, value_enum, default_value_t = Severity::Low, value_name = "SEVERITY")]
    pub fail_on: Severity,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Collect the account's inventory, run every check, and report.
    Scan(ReportArgs),
    /// Collect the inventory only, and save it as JSON for `postura evaluate`.
    Collect {
        /// The file to write.
        #[arg(long, short = 'o', value_name = "FILE")]
        output: PathBuf,
    },
    /// Run the checks over a saved inventory, offline.
    Evaluate {
        /// An inventory written by `postura collect -o FILE`.
        #[arg(value_name = "FILE")]
        inventory: PathBuf,
        #[command(flatten)]
        report: ReportArgs,
    },
    /// List every check.
    Checks {
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Explain a check: what it verifies, why, how to fix it, and its CIS/FSBP mappings.
    Explain {
        /// A check id, as listed by `postura checks`.
        id: String,
    },
    /// Print the least-privilege IAM policy that allows every call a scan makes.
    Policy,
}

pub fn main() -> ExitCode {
    std::panic::set_hook(Box::new(|info| {
        eprintln!(
            "postura: internal error ({info}). This is a bug in postura, not in your account or input; please report it with the command you ran."
        );
    }));
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() {
                exit::USAGE
            } else {
                exit::OK
            });
        }
    };
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(exit::ERROR)
        }
    }
}

fn target(aws: &AwsArgs) -> Target {
    Target {
        profile: aws.profile.clone(),
        regions: aws.regions.clone(),
        endpoint_url: aws.endpoint_url.clone(),
        max_requests: usize::from(aws.max_requests),
    }
}

/// Collects, telling a person at a terminal what is happening (the report goes to stdout).
fn collect_inventory(aws: &AwsArgs) -> Result<Inventory, UserError> {
    let interactive = std::io::stderr().is_terminal();
    if interactive {
        eprintln!(
            "postura: reading the account (IAM, S3, CloudTrail; EC2, RDS, Cognito, Security Hub, GuardDuty, Config and Access Analyzer in {})...",
            if aws.regions.is_empty() {
                "every enabled region".to_string()
            } else {
                aws.regions.join(", ")
            }
        );
    }
    let inv = runtime()?.block_on(collect::collect(&target(aws)))?;
    // A region asked for by name that the account has not enabled is skipped, not an
    // error; say so, since the report's header only counts it.
    if let Ok(skipped) = inv.skipped_regions.get() {
        for s in skipped
            .iter()
            .filter(|s| s.reason == "not-opted-in" && aws.regions.contains(&s.region))
        {
            eprintln!(
                "postura: warning: --region {} is not enabled for this account (not opted in), so it was not scanned",
                s.region
            );
        }
    }
    if interactive {
        let calls: u64 = inv.api_calls.iter().map(|c| c.calls).sum();
        let secs = (inv.finished_at - inv.started_at).num_milliseconds() as f64 / 1000.0;
        eprintln!(
            "postura: account {} read in {secs:.1}s with {calls} API calls over {}\n",
            inv.account.id,
            regions_phrase(inv.regions.len())
        );
    }
    Ok(inv)
}

fn regions_phrase(n: usize) -> String {
    if n == 1 {
        "1 region".into()
    } else {
        format!("{n} regions")
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, UserError> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        // The SDK's deserialisers of large shapes (a Security Hub finding has hundreds of
        // fields) take more stack than the 2 MiB default, in debug builds most of all.
        .thread_stack_size(16 * 1024 * 1024)
        .build()
        .map_err(|e| UserError::Identity {
            detail: format!("could not start the async runtime: {e}"),
        })
}

pub fn run(cli: Cli) -> Result<u8, UserError> {
    match cli.command {
        Command::Scan(args) => {
            let inv = collect_inventory(&cli.aws)?;
            emit_report(&inv, &args)
        }
        Command::Collect { output } => {
            let inv = collect_inventory(&cli.aws)?;
            let text = serde_json::to_string_pretty(&inv).unwrap_or_default();
            write_out(Some(&output), &text)?;
            let calls: u64 = inv.api_calls.iter().map(|c| c.calls).sum();
            let gaps = inv.gaps().len();
            eprintln!(
                "postura: wrote the inventory of account {} to {} ({calls} API calls, {gaps} gaps)",
                inv.account.id,
                output.display()
            );
            Ok(exit::OK)
        }
        Command::Evaluate { inventory, report } => {
            let inv = read_inventory(&inventory)?;
            emit_report(&inv, &report)
        }
        Command::Checks { format } => {
            let text = match format {
                Format::Json => output::catalogue::json(),
                Format::Table => output::catalogue::table(),
            };
            write_out(None, &text)?;
            Ok(exit::OK)
        }
        Command::Explain { id } => {
            let m = Metadata::of(&id).ok_or(UserError::UnknownCheck { id })?;
            let bold = std::io::stdout().is_terminal();
            write_out(None, &output::catalogue::explain(m, bold))?;
            Ok(exit::OK)
        }
        Command::Policy => {
            let policy = collect::operations::least_privilege_policy();
            write_out(
                None,
                &(serde_json::to_string_pretty(&policy).unwrap_or_default() + "\n"),
            )?;
            Ok(exit::OK)
        }
    }
}

fn emit_report(inv: &Inventory, args: &ReportArgs) -> Result<u8, UserError> {
    let report = Report::evaluate(inv);
    let text = match args.format {
        Format::Json => output::json::render(&report),
        Format::Table => output::table::render(&report, table_width(args.output.is_some())),
    };
    write_out(args.output.as_deref(), &text)?;
    Ok(report.exit_code(args.fail_on))
}

/// The width to wrap tables at: the terminal's when writing to one (`None`: comfy-table
/// finds it), else `COLUMNS` if set, else wide enough that files and CI logs keep whole lines.
fn table_width(to_file: bool) -> Option<u16> {
    let columns = std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok());
    if !to_file && std::io::stdout().is_terminal() {
        None
    } else {
        Some(columns.unwrap_or(1000))
    }
}

fn write_out(path: Option<&Path>, text: &str) -> Result<(), UserError> {
    match path {
        Some(p) => std::fs::write(p, text).map_err(|e| UserError::OutputUnwritable {
            path: p.to_path_buf(),
            detail: e.to_string(),
        }),
        None => {
            let mut out = std::io::stdout().lock();
            // A closed pipe (`postura scan | head`) is not an error worth reporting.
            let _ = out.write_all(text.as_bytes()).and_then(|_| out.flush());
            Ok(())
        }
    }
}

pub fn read_inventory(path: &Path) -> Result<Inventory, UserError> {
    let text = std::fs::read_to_string(path).map_err(|e| UserError::InventoryUnreadable {
        path: path.to_path_buf(),
        detail: e.to_string(),
    })?;
    let malformed = |detail: String| UserError::InventoryMalformed {
        path: path.to_path_buf(),
        detail,
    };
    let value: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| malformed(format!("invalid JSON ({e})")))?;
    match value.get("schema_version").and_then(|v| v.as_u64()) {
        None => return Err(malformed("it has no schema_version".into())),
        Some(v) if v != u64::from(SCHEMA_VERSION) => {
            return Err(UserError::InventoryVersion {
                path: path.to_path_buf(),
                found: v,
                expected: SCHEMA_VERSION,
            });
        }
        Some(_) => {}
    }
    // Read again from the text, so that an error names the field's path and its line.
    let mut de = serde_json::Deserializer::from_str(&text);
    let mut inv: Inventory = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if path.is_empty() || path == "." {
            malformed(inner.to_string())
        } else {
            malformed(format!("the value at `{path}` is wrong: {inner}"))
        }
    })?;
    for r in &inv.regions {
        crate::collect::config::validate_region(r)
            .map_err(|_| malformed(format!("its scanned region `{r}` is not a region name")))?;
    }
    if let Some(r) = inv.regional.keys().find(|r| !inv.regions.contains(r)) {
        return Err(malformed(format!(
            "it holds data for region `{r}`, which its `regions` does not list as scanned"
        )));
    }
    inv.settle();
    Ok(inv)
}
