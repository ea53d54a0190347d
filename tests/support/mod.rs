//! Test harness: one moto server per test binary, and a fresh AWS account per test.
//!
//! The server runs `tests/support/moto_server.py` on a free loopback port. That script
//! stops the server when its standard input closes, which happens when this test binary
//! exits however it exits, so nothing is left running. Each test gets its own account:
//! moto attributes requests to the account whose credentials made them, and
//! sts:AssumeRole into a role of another account id yields credentials of that account.

#![allow(dead_code)]

pub mod seed;

use std::io::{BufRead, BufReader};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};

use aws_config::SdkConfig;
use aws_sdk_iam::config::Credentials;

pub use seed::REGION;

/// A running moto server; dropping it stops the server.
pub struct Server {
    pub endpoint: String,
    stdin: Mutex<Option<ChildStdin>>,
    child: Mutex<Child>,
}

impl Drop for Server {
    fn drop(&mut self) {
        // Closing standard input makes the launcher stop the server and exit.
        if let Ok(mut stdin) = self.stdin.lock() {
            stdin.take();
        }
        if let Ok(mut child) = self.child.lock() {
            let _ = child.wait();
        }
    }
}

static SERVER: OnceLock<Server> = OnceLock::new();

fn python() -> String {
    std::env::var("POSTURA_MOTO_PYTHON").unwrap_or_else(|_| "python3".to_string())
}

impl Server {
    /// Starts a moto server of its own, with extra environment variables (moto settings).
    pub fn start(env: &[(&str, &str)]) -> Server {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/support/moto_server.py");
        let mut child = Command::new(python())
            .arg(script)
            .envs(env.iter().copied())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "cannot start {} to run moto ({e}). Run the tests with ./scripts/test, which installs moto.",
                    python()
                )
            });
        let stdin = child.stdin.take().expect("piped stdin");
        let stdout = child.stdout.take().expect("piped stdout");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("read the moto port");
        let port: u16 = line.trim().parse().unwrap_or_else(|_| {
            panic!(
                "moto did not start (it printed {line:?}). Is moto[server]==5.2.5 installed for {}? Run ./scripts/test, which installs it.",
                python()
            )
        });
        Server {
            // `localhost`, not 127.0.0.1: S3 Control's `<account>.localhost` must resolve too.
            endpoint: format!("http://localhost:{port}"),
            stdin: Mutex::new(Some(stdin)),
            child: Mutex::new(child),
        }
    }
}

/// The endpoint of this test binary's moto server, started on first use.
pub fn endpoint() -> &'static str {
    &SERVER.get_or_init(|| Server::start(&[])).endpoint
}

/// Credentials of one emulated account.
#[derive(Clone, Debug)]
pub struct TestAccount {
    pub id: String,
    pub access_key_id: String,
    pub secret_access_key: String,
    pub session_token: String,
    pub endpoint: String,
}

fn next_account_id() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos() as u64)
        .unwrap_or(0);
    let seed =
        (u64::from(std::process::id()) * 1_000_003 + nanos * 7 + n * 104_729) % 900_000_000_000;
    format!("{}", 100_000_000_000 + seed)
}

async fn base_config(creds: Credentials) -> SdkConfig {
    seed::emulator_config(endpoint(), Some(creds)).await
}

impl TestAccount {
    /// A new, empty account of its own.
    pub async fn fresh() -> TestAccount {
        let base = base_config(Credentials::new("testing", "testing", None, None, "test")).await;
        let sts = aws_sdk_sts::Client::new(&base);
        let id = next_account_id();
        let out = sts
            .assume_role()
            .role_arn(format!("arn:aws:iam::{id}:role/postura-test"))
            .role_session_name("postura-test")
            .send()
            .await
            .expect("sts:AssumeRole in moto");
        let c = out.credentials().expect("credentials");
        TestAccount {
            id,
            access_key_id: c.access_key_id().to_string(),
            secret_access_key: c.secret_access_key().to_string(),
            session_token: c.session_token().to_string(),
            endpoint: endpoint().to_string(),
        }
    }

    pub async fn config(&self) -> SdkConfig {
        base_config(Credentials::new(
            self.access_key_id.clone(),
            self.secret_access_key.clone(),
            Some(self.session_token.clone()),
            None,
            "test",
        ))
        .await
    }

    pub async fn iam(&self) -> aws_sdk_iam::Client {
        aws_sdk_iam::Client::new(&self.config().await)
    }

    /// The postura binary, with this account's credentials and endpoint and nothing of the
    /// developer's own AWS set-up, scanning [`REGION`] only (moto enables 20 regions; the
    /// all-region default has tests of its own).
    pub fn postura(&self) -> assert_cmd::Command {
        let mut cmd = self.postura_all_regions();
        cmd.args(["--region", REGION]);
        cmd
    }

    /// As [`Self::postura`], without `--region`: every region the account has enabled.
    pub fn postura_all_regions(&self) -> assert_cmd::Command {
        let mut cmd = postura_isolated();
        cmd.env("AWS_ACCESS_KEY_ID", &self.access_key_id)
            .env("AWS_SECRET_ACCESS_KEY", &self.secret_access_key)
            .env("AWS_SESSION_TOKEN", &self.session_token)
            .env("AWS_ENDPOINT_URL", &self.endpoint)
            .env("AWS_ENDPOINT_URL_ACCESSANALYZER", NO_ACCESS_ANALYZER)
            .env("AWS_REGION", REGION);
        cmd
    }

    /// `postura --region R... scan --format json` over the given regions, parsed.
    pub fn scan_regions(&self, regions: &[&str]) -> serde_json::Value {
        let mut cmd = self.postura_all_regions();
        for r in regions {
            cmd.args(["--region", r]);
        }
        let out = cmd
            .args(["scan", "--format", "json"])
            .output()
            .expect("run postura");
        let stderr = String::from_utf8_lossy(&out.stderr);
        serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("scan printed no JSON ({e}); stderr: {stderr}"))
    }

    /// `postura scan --format json`, parsed, with the exit code.
    pub fn scan_json(&self) -> (serde_json::Value, i32) {
        let out = self
            .postura()
            .args(["scan", "--format", "json"])
            .output()
            .expect("run postura");
        let stderr = String::from_utf8_lossy(&out.stderr);
        let report: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("scan printed no JSON ({e}); stderr: {stderr}"));
        (report, out.status.code().unwrap_or(-1))
    }
}

/// moto has no IAM Access Analyzer, and a shared server can leave its requests
/// unanswered until the SDK's timeout: send them to a closed loopback port instead, which
/// fails at once, as an API that cannot be reached does.
pub const NO_ACCESS_ANALYZER: &str = "http://localhost:9";

/// The postura binary with the AWS environment cleared: no profile, no config files, no
/// instance metadata lookups.
pub fn postura_isolated() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("postura").expect("postura binary");
    for (k, _) in std::env::vars() {
        if k.starts_with("AWS_") {
            cmd.env_remove(k);
        }
    }
    cmd.env("AWS_CONFIG_FILE", "/nonexistent/postura-test/config")
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/postura-test/credentials",
        )
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_MAX_ATTEMPTS", "2");
    // Nor the runner's: a test of GitHub Actions output sets these itself.
    for k in [
        "GITHUB_ACTIONS",
        "GITHUB_STEP_SUMMARY",
        "NO_COLOR",
        "COLUMNS",
    ] {
        cmd.env_remove(k);
    }
    cmd
}

/// The results of one check in a JSON report.
pub fn results<'a>(report: &'a serde_json::Value, check: &str) -> Vec<&'a serde_json::Value> {
    report["results"]
        .as_array()
        .expect("results array")
        .iter()
        .filter(|r| r["check_id"] == check)
        .collect()
}

/// The result of `check` for the resource whose id is `resource`, if any.
pub fn find_result<'a>(
    report: &'a serde_json::Value,
    check: &str,
    resource: &str,
) -> Option<&'a serde_json::Value> {
    results(report, check)
        .into_iter()
        .find(|r| r["resource"]["id"] == resource)
}

/// The result of `check` for `resource`; the test fails if there is none.
pub fn result_of<'a>(
    report: &'a serde_json::Value,
    check: &str,
    resource: &str,
) -> &'a serde_json::Value {
    find_result(report, check, resource).unwrap_or_else(|| {
        panic!(
            "no {check} result for {resource}: {:?}",
            results(report, check)
        )
    })
}

/// The status of `check` for the resource whose id is `resource`.
pub fn status_of(report: &serde_json::Value, check: &str, resource: &str) -> Option<String> {
    find_result(report, check, resource).and_then(|r| r["status"].as_str().map(str::to_string))
}

/// The per-check outcome (`checks[]`) of `check`; the test fails if there is none.
pub fn outcome_of<'a>(report: &'a serde_json::Value, check: &str) -> &'a serde_json::Value {
    report["checks"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["id"] == check))
        .unwrap_or_else(|| panic!("no outcome for {check}"))
}
