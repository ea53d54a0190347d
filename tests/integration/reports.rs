//! The report's other uses: several outputs from one scan, SARIF that GitHub code
//! scanning accepts, GitHub Actions' summary and annotations, gating, baselines, `diff`,
//! suppressions, and the HTML page as a browser shows it.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::support::{TestAccount, postura_isolated, seed};

/// A tool `scripts/test` installs and names in an environment variable. Without it the
/// test fails and says how to get it: it is never skipped.
fn tool(var: &str) -> PathBuf {
    match std::env::var_os(var) {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => panic!(
            "{var} is not set: run the tests with scripts/test, which installs the tool and sets it (or set it to the tool's path yourself)"
        ),
    }
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn json(path: &Path) -> Value {
    serde_json::from_str(&read(path)).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The lending platform's account, collected once into `dir/inventory.json`.
async fn collected(dir: &Path) -> (TestAccount, PathBuf) {
    let account = TestAccount::fresh().await;
    let iam = account.iam().await;
    seed::lending_platform(&iam, &account.id, &account.endpoint).await;
    let inventory = dir.join("inventory.json");
    let out = account
        .postura()
        .args(["collect", "-o"])
        .arg(&inventory)
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (account, inventory)
}

/// What GitHub documents it rejects or truncates in a SARIF upload.
fn assert_github_accepts(sarif: &Value, text: &str) {
    assert!(
        text.len() < 10 * 1024 * 1024,
        "under 10 MB even before gzip"
    );
    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    for r in rules {
        for key in ["shortDescription", "fullDescription", "help"] {
            assert!(
                r[key]["text"].as_str().is_some_and(|t| !t.is_empty()),
                "rule {} has no {key}",
                r["id"]
            );
        }
        assert!(r["properties"]["tags"].as_array().expect("tags").len() <= 20);
    }
    let results = run["results"].as_array().expect("results");
    assert!(results.len() <= 25_000);
    for r in results {
        let uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .expect("every result has a physical location");
        assert!(
            !uri.is_empty() && !uri.contains(' ') && !uri.starts_with('/'),
            "{uri}"
        );
        assert!(!uri.contains(':'), "a relative uri has no scheme: {uri}");
        assert!(uri.starts_with("aws/"), "{uri}");
        assert!(
            r["partialFingerprints"]["postura/v1"]
                .as_str()
                .is_some_and(|f| !f.is_empty())
        );
        let rule = &rules[r["ruleIndex"].as_u64().expect("ruleIndex") as usize];
        assert_eq!(rule["id"], r["ruleId"]);
        assert!(r["message"]["text"].as_str().is_some_and(|t| !t.is_empty()));
    }
}

fn fingerprints(sarif: &Value) -> Vec<String> {
    let mut f: Vec<String> = sarif["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| r["partialFingerprints"]["postura/v1"].to_string())
        .collect();
    f.sort();
    f
}

#[tokio::test(flavor = "multi_thread")]
async fn one_scan_writes_every_format_and_the_github_actions_extras() {
    let dir = tempfile::tempdir().expect("tempdir");
    let account = TestAccount::fresh().await;
    let iam = account.iam().await;
    seed::lending_platform(&iam, &account.id, &account.endpoint).await;
    let p = |name: &str| dir.path().join(name);
    let summary = p("summary.md");
    std::fs::write(&summary, "# An earlier step's summary\n").expect("write");
    let out = account
        .postura()
        .arg("scan")
        .arg("--output")
        .arg(format!("json={}", p("r.json").display()))
        .arg("-o")
        .arg(format!("sarif={}", p("r.sarif").display()))
        .arg("-o")
        .arg(format!("markdown={}", p("r.md").display()))
        .arg("-o")
        .arg(format!("html={}", p("r.html").display()))
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .expect("run");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    // The table on standard output, sized for a CI log.
    assert!(stdout.contains("Failed ("), "{stdout}");
    let widest = stdout.lines().map(|l| l.chars().count()).max().unwrap_or(0);
    assert!(
        widest <= 120,
        "a piped table is 120 columns at most, not {widest}"
    );
    assert!(!stdout.contains('\u{1b}'), "no colour codes when piped");
    assert!(
        !stderr.contains("services and regions read"),
        "no progress bar when piped"
    );

    let report = json(&p("r.json"));
    assert_eq!(report["schema_version"], 1);
    let fails = report["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter(|r| r["status"] == "FAIL")
        .count();

    // SARIF: valid against the SARIF 2.1.0 schema, and within GitHub's rules.
    let sarif_text = read(&p("r.sarif"));
    let sarif: Value = serde_json::from_str(&sarif_text).expect("SARIF is JSON");
    let schema =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/vendor/sarif-schema-2.1.0.json");
    // The published schema's own `language` pattern has a stray `]`, which ECMAScript's
    // unicode mode rejects as a regex and Python reads as a literal.
    let check = Command::new(tool("POSTURA_CHECK_JSONSCHEMA"))
        .args(["--regex-variant", "python", "--schemafile"])
        .arg(&schema)
        .arg(p("r.sarif"))
        .output()
        .expect("run check-jsonschema");
    assert!(
        check.status.success(),
        "SARIF fails its schema: {}{}",
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&check.stderr)
    );
    // The validator is live: a result without its message is refused.
    let mut broken = sarif.clone();
    broken["runs"][0]["results"][0]["message"] = serde_json::json!({ "nope": 1 });
    std::fs::write(p("broken.sarif"), broken.to_string()).expect("write");
    // The published schema's own `language` pattern has a stray `]`, which ECMAScript's
    // unicode mode rejects as a regex and Python reads as a literal.
    let check = Command::new(tool("POSTURA_CHECK_JSONSCHEMA"))
        .args(["--regex-variant", "python", "--schemafile"])
        .arg(&schema)
        .arg(p("broken.sarif"))
        .output()
        .expect("run check-jsonschema");
    assert!(
        !check.status.success(),
        "the schema check rejects a broken file"
    );
    assert_github_accepts(&sarif, &sarif_text);
    assert_eq!(
        sarif["runs"][0]["results"].as_array().map(Vec::len),
        Some(fails)
    );
    let root_mfa = sarif["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .find(|r| r["ruleId"] == "root-mfa")
        .expect("root MFA fails on the emulator");
    assert_eq!(root_mfa["level"], "error");
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules");
    let rule = rules.iter().find(|r| r["id"] == "root-mfa").expect("rule");
    assert_eq!(rule["properties"]["security-severity"], "9.5");
    let tags = rule["properties"]["tags"].to_string();
    assert!(
        tags.contains("CIS 1.4") && tags.contains("FSBP IAM.9"),
        "{tags}"
    );

    // The fingerprints survive a re-scan.
    let again = account
        .postura()
        .args(["scan", "--format", "sarif"])
        .output()
        .expect("run");
    let again: Value = serde_json::from_slice(&again.stdout).expect("SARIF on stdout");
    assert_eq!(fingerprints(&again), fingerprints(&sarif));

    let md = read(&p("r.md"));
    assert!(md.starts_with("## postura: account"), "{md}");
    assert!(md.contains("| Area | Score |"));
    let html = read(&p("r.html"));
    assert!(html.starts_with("<!DOCTYPE html>"));
    for fetch in ["src=\"http", "href=\"http", "<link", "url(", "@import"] {
        assert!(!html.contains(fetch), "the page fetches nothing ({fetch})");
    }

    // GitHub Actions: the summary is appended, the annotations are on standard error,
    // most severe first, within GitHub's ten.
    let summary = read(&summary);
    assert!(
        summary.starts_with("# An earlier step's summary\n## postura"),
        "{summary}"
    );
    assert!(summary.len() < 1024 * 1024);
    let annotations: Vec<&str> = stderr.lines().filter(|l| l.starts_with("::")).collect();
    assert!(
        !annotations.is_empty() && annotations.len() <= 10,
        "{annotations:?}"
    );
    assert!(
        annotations[0].starts_with("::error title=postura critical%3A "),
        "{annotations:?}"
    );
    assert!(
        !stdout.lines().any(|l| l.starts_with("::")),
        "stdout stays a report"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn gates_baselines_and_diff_offline() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_account, inventory) = collected(dir.path()).await;
    let p = |name: &str| dir.path().join(name);
    let evaluate = |args: &[&str]| {
        postura_isolated()
            .arg("evaluate")
            .arg(&inventory)
            .args(args)
            .output()
            .expect("run")
    };
    let code = |o: &std::process::Output| o.status.code();
    let stderr = |o: &std::process::Output| String::from_utf8_lossy(&o.stderr).to_string();

    // The emulator leaves some results unevaluated (no root row, no Access Analyzer), so
    // a run that findings do not fail still exits 4.
    let never = evaluate(&["--fail-on", "never", "--format", "json"]);
    assert_eq!(code(&never), Some(4), "{}", stderr(&never));
    let report: Value = serde_json::from_slice(&never.stdout).expect("json");
    let score = report["score"]["percent"].as_u64().expect("a score");
    let below = evaluate(&[
        "--fail-on",
        "never",
        "--min-score",
        &(score + 1).to_string(),
    ]);
    assert_eq!(code(&below), Some(3));
    assert!(
        stderr(&below).contains(&format!(
            "the score {score}% is below --min-score {}",
            score + 1
        )),
        "{}",
        stderr(&below)
    );
    let at = evaluate(&["--fail-on", "never", "--min-score", &score.to_string()]);
    assert_eq!(code(&at), Some(4));
    let out_of_range = evaluate(&["--min-score", "101"]);
    assert_eq!(code(&out_of_range), Some(2));
    let misspelt = evaluate(&["--output", "sarf=x.sarif"]);
    assert_eq!(code(&misspelt), Some(2));
    assert!(
        stderr(&misspelt).contains("`sarf` is not a format"),
        "{}",
        stderr(&misspelt)
    );

    // --fail-on new needs a baseline, and says so before doing anything.
    let no_baseline = evaluate(&["--fail-on", "new"]);
    assert_eq!(
        code(&no_baseline),
        Some(2),
        "a command line that cannot work"
    );
    assert!(stderr(&no_baseline).contains("--fail-on new needs a baseline"));
    let not_a_report = evaluate(&["--baseline", inventory.to_str().expect("utf-8")]);
    assert_eq!(code(&not_a_report), Some(1));
    assert!(
        stderr(&not_a_report).contains("is not a postura JSON report"),
        "{}",
        stderr(&not_a_report)
    );

    // A baseline in which one failure had not happened yet: that one is new, the rest
    // unchanged, and only it fails --fail-on new.
    let mut old = report.clone();
    let results = old["results"].as_array_mut().expect("results");
    let dropped = results
        .iter()
        .position(|r| r["check_id"] == "password-policy" && r["status"] == "FAIL")
        .expect("the weak password policy fails");
    results.remove(dropped);
    // Messages differ between scans; matching ignores them.
    for r in results.iter_mut() {
        r["message"] = serde_json::json!("worded differently then");
    }
    std::fs::write(p("old.json"), old.to_string()).expect("write");
    let compared = evaluate(&[
        "--baseline",
        p("old.json").to_str().expect("utf-8"),
        "--fail-on",
        "new",
        "--format",
        "json",
    ]);
    assert_eq!(code(&compared), Some(3), "{}", stderr(&compared));
    let now: Value = serde_json::from_slice(&compared.stdout).expect("json");
    let new: Vec<&Value> = now["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter(|r| r["change"] == "new")
        .collect();
    assert_eq!(new.len(), 1, "{new:?}");
    assert_eq!(new[0]["check_id"], "password-policy");
    assert_eq!(now["baseline"]["new"], 1);
    assert!(now["baseline"]["unchanged"].as_u64().expect("count") >= 3);
    std::fs::write(p("new.json"), compared.stdout.clone()).expect("write");
    // A baseline of another account is refused, not compared.
    let mut other = old.clone();
    other["account"]["id"] = serde_json::json!("999999999999");
    std::fs::write(p("other.json"), other.to_string()).expect("write");
    let refused = evaluate(&["--baseline", p("other.json").to_str().expect("utf-8")]);
    assert_eq!(code(&refused), Some(1));
    assert!(
        stderr(&refused).contains("is a report of account 999999999999 (aws)"),
        "{}",
        stderr(&refused)
    );

    // `diff` does the same from two reports, and gates on new failures by default.
    let diff_of = |old: &str, new: &str, args: &[&str]| {
        postura_isolated()
            .arg("diff")
            .arg(p(old))
            .arg(p(new))
            .args(args)
            .output()
            .expect("run")
    };
    let diff = diff_of("old.json", "new.json", &[]);
    let table = String::from_utf8_lossy(&diff.stdout);
    assert_eq!(code(&diff), Some(3), "{}", stderr(&diff));
    assert!(table.contains("1 new,"), "{table}");
    let same = diff_of("new.json", "new.json", &["--format", "json"]);
    let same_report: Value = serde_json::from_slice(&same.stdout).expect("json");
    assert_eq!(same_report["baseline"]["new"], 0);
    assert_eq!(
        code(&same),
        Some(4),
        "nothing new; some results unevaluated"
    );
    // Fixing the failure shows it as resolved.
    let mut fixed = now.clone();
    for r in fixed["results"].as_array_mut().expect("results") {
        if r["check_id"] == "password-policy" {
            r["status"] = serde_json::json!("PASS");
        }
    }
    std::fs::write(p("fixed.json"), fixed.to_string()).expect("write");
    let resolved = diff_of("new.json", "fixed.json", &["--format", "json"]);
    let resolved: Value = serde_json::from_slice(&resolved.stdout).expect("json");
    assert_eq!(resolved["baseline"]["resolved"], 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn suppressions_are_accountable() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (account, inventory) = collected(dir.path()).await;
    let plain = postura_isolated()
        .arg("evaluate")
        .arg(&inventory)
        .args(["--format", "json"])
        .output()
        .expect("run");
    let plain: Value = serde_json::from_slice(&plain.stdout).expect("json");
    std::fs::write(
        dir.path().join("postura.toml"),
        format!(
            r#"# Accepted risks, reviewed by the security lead.

[[suppress]]
check = "user-console-mfa"
resource = "arn:aws:iam::{id}:user/dev-*"
reason = "Developers enrol MFA in their first week (SEC-7)"
expires = 2999-12-31

[[suppress]]
check = "password-policy"
resource = "*"
reason = "Was accepted until the SSO migration"
expires = 2020-01-01

[[suppress]]
check = "root-access-keys"
resource = "*"
reason = "Nothing to suppress: root has no keys"
"#,
            id = account.id
        ),
    )
    .expect("write");
    let out = postura_isolated()
        .current_dir(dir.path())
        .arg("evaluate")
        .arg(&inventory)
        .args(["--format", "json"])
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let report: Value = serde_json::from_slice(&out.stdout).expect("json");
    let suppressed: Vec<&Value> = report["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter(|r| r.get("suppressed").is_some())
        .collect();
    assert!(!suppressed.is_empty());
    for r in &suppressed {
        assert_eq!(r["check_id"], "user-console-mfa");
        assert_eq!(r["status"], "FAIL", "a suppressed result keeps its status");
        assert_eq!(r["suppressed"]["source"], "postura.toml:3");
        assert_eq!(
            r["suppressed"]["reason"],
            "Developers enrol MFA in their first week (SEC-7)"
        );
    }
    let states: Vec<&str> = report["suppressions"]
        .as_array()
        .expect("suppressions")
        .iter()
        .map(|s| s["state"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(states, vec!["active", "expired", "unmatched"]);
    assert!(
        stderr.contains("postura.toml:9") && stderr.contains("expired on 2020-01-01"),
        "{stderr}"
    );
    assert!(
        stderr.contains("postura.toml:15") && stderr.contains("matches no failed"),
        "{stderr}"
    );
    // Out of the score: the check no longer fails.
    assert!(
        report["score"]["failed"].as_u64() < plain["score"]["failed"].as_u64(),
        "{} vs {}",
        report["score"],
        plain["score"]
    );
    let table = postura_isolated()
        .current_dir(dir.path())
        .arg("evaluate")
        .arg(&inventory)
        .output()
        .expect("run");
    let table = String::from_utf8_lossy(&table.stdout);
    assert!(table.contains("Suppressed ("), "{table}");

    // A mistake in the file names the file, the line and the key, before any work.
    let bad = dir.path().join("bad.toml");
    std::fs::write(
        &bad,
        "[[suppress]]\ncheck = \"user-console-mfa\"\nresource = \"*\"\nreason = \"r\"\nexpires = \"soon\"\n",
    )
    .expect("write");
    let out = postura_isolated()
        .arg("evaluate")
        .arg(&inventory)
        .arg("--config")
        .arg(&bad)
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr.contains("bad.toml, line 5: key `expires`"),
        "{stderr}"
    );
    assert_eq!(stderr.trim().lines().count(), 1, "one paragraph: {stderr}");
    let missing = postura_isolated()
        .arg("evaluate")
        .arg(&inventory)
        .arg("--config")
        .arg(dir.path().join("nope.toml"))
        .output()
        .expect("run");
    assert_eq!(missing.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&missing.stderr).contains("cannot read the configuration file")
    );
}

/// The HTML report as a person sees it: Chromium renders the page (with hostile text from
/// the account in it), runs its filter script, and the test reads the rendered page and a
/// screenshot.
#[tokio::test(flavor = "multi_thread")]
async fn the_html_report_renders_filters_and_contains_hostile_text() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_account, inventory) = collected(dir.path()).await;
    let p = |name: &str| dir.path().join(name);
    let out = postura_isolated()
        .arg("evaluate")
        .arg(&inventory)
        .args(["--format", "json"])
        .output()
        .expect("run");
    let mut report: Value = serde_json::from_slice(&out.stdout).expect("json");
    // Text an attacker with write access to a resource's name or tags could plant.
    let hostile = "</td></tr></table><script>document.title='pwned'</script><img src=x onerror=\"document.body.dataset.pwned=1\">";
    report["results"][0]["message"] = serde_json::json!(hostile);
    report["results"][0]["resource"]["id"] = serde_json::json!("bucket\u{202E}gpj.exe");
    std::fs::write(p("hostile.json"), report.to_string()).expect("write");
    let total = report["results"].as_array().map(Vec::len).unwrap_or(0);
    let fails = report["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter(|r| r["status"] == "FAIL")
        .count();
    let html = p("report.html");
    let out = postura_isolated()
        .arg("diff")
        .arg(p("hostile.json"))
        .arg(p("hostile.json"))
        .arg("-o")
        .arg(format!("html={}", html.display()))
        .output()
        .expect("run");
    assert!(
        matches!(out.status.code(), Some(0 | 4)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let chromium = tool("POSTURA_CHROMIUM");
    let url = |hash: &str| format!("file://{}{hash}", html.display());
    let dump = |hash: &str| {
        let out = Command::new(&chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--virtual-time-budget=3000",
                "--dump-dom",
            ])
            .arg(url(hash))
            .output()
            .expect("run chromium");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).to_string()
    };
    let all = dump("");
    assert!(all.contains("data-ready=\"true\""), "the page's script ran");
    assert!(!all.contains("data-pwned"), "no planted handler ran");
    assert!(!all.contains("<title>pwned"), "no planted script ran");
    assert!(
        all.contains(&format!("Showing {total} of {total} results")),
        "every result shows"
    );
    assert!(
        all.contains("bucket\\u{202e}gpj.exe"),
        "the reversing character is shown as an escape"
    );
    // The hostile text is shown as text, inside its cell.
    assert!(all.contains("&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;&lt;script&gt;"));
    // Filtering by status, from the address, as a shared link would.
    let failed = dump("#status=FAIL&severity=critical,high,medium,low,informational");
    assert!(
        failed.contains(&format!("Showing {fails} of {total} results")),
        "only the failures show"
    );
    let rows_shown = failed.matches("<tr data-status=\"FAIL\"").count();
    assert_eq!(rows_shown, fails);
    assert!(
        !failed.contains("<tr data-status=\"PASS\" data-severity=\"critical\">"),
        "PASS rows are hidden"
    );
    assert!(failed.contains("data-status=\"PASS\"") && failed.contains(" hidden=\"\""));
    let critical = dump("#status=FAIL,ERROR,PASS,SUPPRESSED&severity=critical");
    let n_critical = report["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter(|r| r["severity"] == "critical")
        .count();
    assert!(critical.contains(&format!("Showing {n_critical} of {total} results")));

    // The screenshot: a page was drawn (a blank page compresses to almost nothing).
    let png = p("report.png");
    let out = Command::new(&chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--hide-scrollbars",
            "--window-size=1280,1600",
            "--virtual-time-budget=3000",
        ])
        .arg(format!("--screenshot={}", png.display()))
        .arg(url(""))
        .output()
        .expect("run chromium");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bytes = std::fs::read(&png).expect("screenshot");
    assert_eq!(&bytes[1..4], b"PNG");
    let width = u32::from_be_bytes([bytes[16], bytes[17], bytes[18], bytes[19]]);
    assert_eq!(width, 1280);
    assert!(
        bytes.len() > 30_000,
        "a drawn page, not a blank one ({} bytes)",
        bytes.len()
    );
    if let Some(keep) = std::env::var_os("POSTURA_KEEP_SCREENSHOT") {
        let _ = std::fs::copy(&png, keep);
    }
}
