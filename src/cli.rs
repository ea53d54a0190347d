//! The command line: parses arguments, runs the pipeline, writes outputs, picks the exit code.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::checks::Metadata;
use crate::collect::{self, Target};
use crate::error::UserError;
use crate::inventory::{Inventory, SCHEMA_VERSION};
use crate::output::{self, Format, Style};
use crate::report::{FailOn, Gate, Report, exit};

const AFTER_HELP: &str = "\
Credentials and region come from the standard AWS chain, as with the AWS CLI: environment
variables, --profile or AWS_PROFILE (SSO profiles included), web identity, container and
instance roles. AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE> are honoured.

In GitHub Actions (GITHUB_ACTIONS=true) the report is also appended to the job summary
($GITHUB_STEP_SUMMARY) and the most severe findings become annotations.

Exit codes:
  0  no FAIL at or above --fail-on, the score at or above --min-score, and nothing left
     unevaluated
  1  postura could not run (bad input, no credentials, unreachable endpoint)
  2  invalid command line (also --fail-on new without --baseline, a malformed --output)
  3  at least one FAIL at or above --fail-on (suppressed ones aside), or the score below
     --min-score
  4  none of that, but some results are ERROR (missing permission, throttling...)";

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
pub struct OutputArgs {
    /// How to render the report on standard output.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Also write the report to FILE in FORMAT (table, json, sarif, markdown, html), from
    /// the same scan; repeat for several. A bare FILE gets --format and replaces
    /// standard output.
    #[arg(long, short = 'o', value_name = "[FORMAT=]FILE")]
    pub output: Vec<String>,
    /// Exit with code 3 when a FAIL of this severity or worse is found; `new`: only FAILs
    /// that are new against --baseline; `never`: findings never fail the run [default:
    /// low; for `diff`, new]
    #[arg(
        long,
        value_enum,
        value_name = "SEVERITY|new|never",
        hide_possible_values = true
    )]
    pub fail_on: Option<FailOn>,
    /// Exit with code 3 when the overall score is below N percent.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(0..=100))]
    pub min_score: Option<u8>,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub out: OutputArgs,
    /// Compare with the JSON report of an earlier run: each FAIL is marked new or
    /// unchanged, and fixed ones resolved (matched by check and resource ARN).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Read suppressions from this file [default: ./postura.toml, when it exists]
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
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
    /// Compare two JSON reports offline: what is new, unchanged and resolved in NEW.
    Diff {
        /// The earlier JSON report (the baseline).
        #[arg(value_name = "OLD")]
        old: PathBuf,
        /// The later JSON report.
        #[arg(value_name = "NEW")]
        new: PathBuf,
        #[command(flatten)]
        out: OutputArgs,
    },
    /// List every check.
    Checks {
        #[arg(long, value_enum, default_value_t = CatalogueFormat::Table)]
        format: CatalogueFormat,
    },
    /// Explain a check: what it verifies, why, how to fix it, and its CIS/FSBP mappings.
    Explain {
        /// A check id, as listed by `postura checks`.
        id: String,
    },
    /// Print the least-privilege IAM policy that allows every call a scan makes.
    Policy,
}

/// How `postura checks` lists the checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CatalogueFormat {
    Table,
    Json,
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
            ExitCode::from(e.exit_code())
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

/// A progress bar on standard error: services and regions done, and the last one.
struct Bar(indicatif::ProgressBar);

impl collect::Progress for Bar {
    fn started(&self, jobs: usize) {
        self.0.set_length(jobs as u64);
        self.0.set_style(
            indicatif::ProgressStyle::with_template(
                "postura: [{bar:24}] {pos}/{len} services and regions read, {elapsed} {wide_msg}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
    }

    fn finished(&self, job: &str) {
        self.0.inc(1);
        self.0.set_message(format!("({job} done)"));
    }
}

/// Collects, telling a person at a terminal what is happening (the report goes to stdout);
/// silent when standard error is not a terminal.
fn collect_inventory(aws: &AwsArgs) -> Result<Inventory, UserError> {
    let interactive = std::io::stderr().is_terminal();
    let bar = if interactive {
        let bar = indicatif::ProgressBar::new_spinner();
        bar.set_style(
            indicatif::ProgressStyle::with_template("postura: {msg} {spinner}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
        );
        bar.set_message("identifying the caller and listing regions");
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
        bar
    } else {
        indicatif::ProgressBar::hidden()
    };
    let progress = Bar(bar);
    let collected = runtime()?.block_on(collect::collect_with(&target(aws), &progress));
    progress.0.finish_and_clear();
    let inv = collected?;
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
            // Bad flags and configuration fail before the scan, not after it.
            let prepared = prepare(&args)?;
            let inv = collect_inventory(&cli.aws)?;
            emit_report(&inv, &args, prepared)
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
            let prepared = prepare(&report)?;
            let inv = read_inventory(&inventory)?;
            emit_report(&inv, &report, prepared)
        }
        Command::Diff { old, new, out } => {
            let targets = Targets::parse(&out)?;
            let gate = gate(&out, FailOn::New);
            let baseline = read_report(&old)?;
            let mut report = read_report(&new)?;
            same_account(&baseline, &report, &old)?;
            report.compare(&baseline, &old.display().to_string());
            emit(&report, &out, &targets, gate)
        }
        Command::Checks { format } => {
            let text = match format {
                CatalogueFormat::Json => output::catalogue::json(),
                CatalogueFormat::Table => output::catalogue::table(),
            };
            write_out(None, &text)?;
            Ok(exit::OK)
        }
        Command::Explain { id } => {
            let m = Metadata::of(&id).ok_or(UserError::UnknownCheck { id })?;
            let bold = std::io::stdout().is_terminal() && colour_allowed();
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

/// Where the report goes: standard output (unless a bare `--output FILE` replaces it) and
/// each `--output FORMAT=FILE`.
struct Targets {
    stdout: bool,
    files: Vec<(Format, PathBuf)>,
}

impl Targets {
    fn parse(args: &OutputArgs) -> Result<Targets, UserError> {
        let mut t = Targets {
            stdout: true,
            files: Vec::new(),
        };
        for spec in &args.output {
            let bad = |detail: &str| UserError::OutputSpec {
                spec: spec.clone(),
                detail: detail.to_string(),
            };
            let (format, path) = match spec.split_once('=') {
                Some((name, path)) if Format::from_name(name).is_some() => {
                    (Format::from_name(name), path)
                }
                Some(("", _)) => return Err(bad("there is no format before `=`")),
                // `sarf=x.sarif` is a misspelt format, not a file of that name (write
                // `./a=b` for one).
                Some((name, _))
                    if !name.is_empty()
                        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') =>
                {
                    return Err(bad(&format!("`{name}` is not a format")));
                }
                _ => (None, spec.as_str()),
            };
            if path.is_empty() {
                return Err(bad("there is no file name after `=`"));
            }
            let format = format.unwrap_or_else(|| {
                t.stdout = false;
                args.format
            });
            let path = PathBuf::from(path);
            if t.files.iter().any(|(_, p)| *p == path) {
                return Err(bad("the same file is named twice"));
            }
            t.files.push((format, path));
        }
        Ok(t)
    }
}

fn gate(args: &OutputArgs, default: FailOn) -> Gate {
    Gate {
        fail_on: args.fail_on.unwrap_or(default),
        min_score: args.min_score,
    }
}

/// What `scan` and `evaluate` check before they start: outputs, gate, configuration and
/// baseline.
struct Prepared {
    targets: Targets,
    gate: Gate,
    config: crate::config::Config,
    baseline: Option<Report>,
}

fn prepare(args: &ReportArgs) -> Result<Prepared, UserError> {
    let targets = Targets::parse(&args.out)?;
    let gate = gate(&args.out, FailOn::Low);
    if gate.fail_on == FailOn::New && args.baseline.is_none() {
        return Err(UserError::NewWithoutBaseline);
    }
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let config = crate::config::load(args.config.as_deref(), &cwd)?;
    let baseline = args.baseline.as_deref().map(read_report).transpose()?;
    Ok(Prepared {
        targets,
        gate,
        config,
        baseline,
    })
}

fn emit_report(inv: &Inventory, args: &ReportArgs, prepared: Prepared) -> Result<u8, UserError> {
    let mut report = Report::evaluate(inv);
    let today = chrono::Utc::now().date_naive();
    report.suppress(&prepared.config.suppressions, today);
    if let (Some(old), Some(path)) = (&prepared.baseline, &args.baseline) {
        same_account(old, &report, path)?;
        report.compare(old, &path.display().to_string());
    }
    emit(&report, &args.out, &prepared.targets, prepared.gate)
}

/// Writes every output of one report, the GitHub Actions extras when running there, and
/// returns the exit code.
fn emit(
    report: &Report,
    args: &OutputArgs,
    targets: &Targets,
    gate: Gate,
) -> Result<u8, UserError> {
    if gate.fail_on == FailOn::New && report.baseline.is_none() {
        return Err(UserError::NewWithoutBaseline);
    }
    for (format, path) in &targets.files {
        let text = output::render(report, *format, file_style());
        write_out(Some(path), &text)?;
    }
    if targets.stdout {
        let text = output::render(report, args.format, stdout_style());
        write_out(None, &text)?;
    }
    if std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true") {
        github_actions(report)?;
    }
    for u in report
        .suppressions
        .iter()
        .filter(|u| u.state != crate::report::SuppressionState::Active)
    {
        eprintln!(
            "postura: warning: {}",
            output::terminal_safe(&output::suppression_warning(u))
        );
    }
    let reasons = report.gate_failures(&gate);
    // A person reading the table at a terminal sees why; a pipeline log gets one line.
    let table_on_terminal =
        targets.stdout && args.format == Format::Table && std::io::stdout().is_terminal();
    if !reasons.is_empty() && !table_on_terminal {
        eprintln!("postura: exit {}: {}", exit::FINDINGS, reasons.join("; "));
    }
    Ok(report.exit_code(&gate))
}

/// In GitHub Actions: the job summary (appended, as other steps may have written to it)
/// and the annotations (on standard error, which the runner reads as it reads standard
/// output, so that a report on standard output stays clean).
fn github_actions(report: &Report) -> Result<(), UserError> {
    if let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) {
        let path = PathBuf::from(path);
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .map_err(|e| UserError::OutputUnwritable {
                path: path.clone(),
                detail: e.to_string(),
            })?;
        f.write_all(output::github::summary(report).as_bytes())
            .map_err(|e| UserError::OutputUnwritable {
                path: path.clone(),
                detail: e.to_string(),
            })?;
    }
    eprint!("{}", output::github::annotations(report));
    Ok(())
}

/// Colour only on a terminal, and never with NO_COLOR set (to anything but empty).
fn colour_allowed() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// A table on standard output: the terminal's width and colours on a terminal; else
/// `COLUMNS`, or 120 columns, which CI logs show without horizontal scrolling.
fn stdout_style() -> Style {
    let tty = std::io::stdout().is_terminal();
    Style {
        width: if tty { None } else { Some(columns()) },
        colour: tty && colour_allowed(),
    }
}

/// A table written to a file: `COLUMNS`, or 120 columns, and no colour codes.
fn file_style() -> Style {
    Style {
        width: Some(columns()),
        colour: false,
    }
}

fn columns() -> u16 {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse().ok())
        .filter(|c: &u16| *c >= 40)
        .unwrap_or(120)
}

/// A baseline of another account would mark every finding new and every old one gone.
fn same_account(old: &Report, new: &Report, path: &Path) -> Result<(), UserError> {
    if old.account.id == new.account.id && old.account.partition == new.account.partition {
        Ok(())
    } else {
        Err(UserError::BaselineAccount {
            path: path.to_path_buf(),
            found: format!("{} ({})", old.account.id, old.account.partition),
            expected: format!("{} ({})", new.account.id, new.account.partition),
        })
    }
}

/// Reads a JSON report written by `scan` or `evaluate`.
fn read_report(path: &Path) -> Result<Report, UserError> {
    let text = std::fs::read_to_string(path).map_err(|e| UserError::ReportUnreadable {
        path: path.to_path_buf(),
        detail: e.to_string(),
    })?;
    let malformed = |detail: String| UserError::ReportMalformed {
        path: path.to_path_buf(),
        detail,
    };
    let value: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| malformed(format!("invalid JSON ({e})")))?;
    match value.get("schema_version").and_then(|v| v.as_u64()) {
        Some(v) if v == u64::from(crate::report::REPORT_SCHEMA_VERSION) => {}
        Some(v) => {
            return Err(malformed(format!(
                "it is a report of schema version {v}, and this postura reads version {}",
                crate::report::REPORT_SCHEMA_VERSION
            )));
        }
        None => return Err(malformed("it has no schema_version".into())),
    }
    if value.get("results").is_none() {
        return Err(malformed("it has no results".into()));
    }
    typed(&text).map_err(malformed)
}

/// Reads JSON text into `T`; an error names the field's path and its line.
fn typed<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, String> {
    let mut de = serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if path.is_empty() || path == "." {
            inner.to_string()
        } else {
            format!("the value at `{path}` is wrong: {inner}")
        }
    })
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
    let mut inv: Inventory = typed(&text).map_err(malformed)?;
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
