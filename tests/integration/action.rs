//! The Action's installer (`scripts/action-install`): it takes the release binary of the
//! action's version for the runner, and refuses one whose checksum does not match.

use std::path::Path;
use std::process::Command;

fn sha256(path: &Path) -> String {
    let out = Command::new("sha256sum")
        .arg(path)
        .output()
        .expect("sha256sum");
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_string()
}

/// A release directory laid out as GitHub serves one: `VERSION/ARCHIVE` and
/// `VERSION/SHA256SUMS`.
fn release(dir: &Path, version: &str, target: &str, sums: Option<&str>) {
    let name = format!("postura-{version}-{target}");
    let stage = dir.join("stage").join(&name);
    std::fs::create_dir_all(&stage).expect("mkdir");
    let bin = assert_cmd::cargo::cargo_bin("postura");
    std::fs::copy(&bin, stage.join("postura")).expect("copy the binary");
    let out_dir = dir.join("releases").join(version);
    std::fs::create_dir_all(&out_dir).expect("mkdir");
    let archive = out_dir.join(format!("{name}.tar.gz"));
    let status = Command::new("tar")
        .arg("-czf")
        .arg(&archive)
        .arg("-C")
        .arg(dir.join("stage"))
        .arg(&name)
        .status()
        .expect("tar");
    assert!(status.success());
    let line = match sums {
        Some(s) => s.to_string(),
        None => format!("{}  {name}.tar.gz\n", sha256(&archive)),
    };
    std::fs::write(out_dir.join("SHA256SUMS"), line).expect("write sums");
}

fn install(dir: &Path, version: &str) -> (std::process::Output, String) {
    install_with(dir, version, &[])
}

fn install_with(dir: &Path, version: &str, env: &[(&str, &str)]) -> (std::process::Output, String) {
    let github_path = dir.join("github_path");
    let _ = std::fs::remove_file(&github_path);
    let runner_temp = dir.join("runner");
    std::fs::create_dir_all(&runner_temp).expect("mkdir");
    let out = Command::new("bash")
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/scripts/action-install"
        ))
        .env("POSTURA_VERSION", version)
        .env("ACTION_REF", "")
        .env("ACTION_REPOSITORY", "example/postura")
        .env("RUNNER_OS", "Linux")
        .env("RUNNER_ARCH", "X64")
        .env("RUNNER_TEMP", &runner_temp)
        .env("GITHUB_PATH", &github_path)
        .env(
            "POSTURA_DOWNLOAD_BASE",
            format!("file://{}", dir.join("releases").display()),
        )
        .envs(env.iter().copied())
        .output()
        .expect("run the installer");
    (
        out,
        std::fs::read_to_string(&github_path).unwrap_or_default(),
    )
}

#[test]
fn the_installer_checks_the_release_binary_before_putting_it_on_the_path() {
    let dir = tempfile::tempdir().expect("tempdir");
    release(dir.path(), "v9.8.7", "x86_64-unknown-linux-musl", None);
    let (out, path) = install(dir.path(), "v9.8.7");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        path.trim()
            .ends_with("postura-v9.8.7-x86_64-unknown-linux-musl"),
        "{path}"
    );
    assert!(Path::new(path.trim()).join("postura").is_file());
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("postura "),
        "it ran --version"
    );

    // A checksum that does not match: nothing goes on the PATH.
    let bad = tempfile::tempdir().expect("tempdir");
    release(
        bad.path(),
        "v9.8.7",
        "x86_64-unknown-linux-musl",
        Some(&format!(
            "{}  postura-v9.8.7-x86_64-unknown-linux-musl.tar.gz\n",
            "0".repeat(64)
        )),
    );
    let (out, path) = install(bad.path(), "v9.8.7");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(path.is_empty(), "nothing on the PATH");
    assert!(
        stderr.contains("::error title=postura::the checksum of"),
        "{stderr}"
    );

    // A release whose SHA256SUMS does not list the archive.
    let unlisted = tempfile::tempdir().expect("tempdir");
    release(
        unlisted.path(),
        "v9.8.7",
        "x86_64-unknown-linux-musl",
        Some("abc  other.tar.gz\n"),
    );
    let (out, _) = install(unlisted.path(), "v9.8.7");
    assert!(String::from_utf8_lossy(&out.stderr).contains("lists no postura-v9.8.7"));

    // Checksums pinned in the workflow win over the release's own file.
    let archive = dir
        .path()
        .join("releases/v9.8.7/postura-v9.8.7-x86_64-unknown-linux-musl.tar.gz");
    let pinned = format!(
        "{}  postura-v9.8.7-x86_64-unknown-linux-musl.tar.gz",
        sha256(&archive)
    );
    let (out, path) = install_with(dir.path(), "v9.8.7", &[("POSTURA_CHECKSUMS", &pinned)]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!path.is_empty());
    let wrong = format!(
        "{}  postura-v9.8.7-x86_64-unknown-linux-musl.tar.gz",
        "f".repeat(64)
    );
    let (out, path) = install_with(dir.path(), "v9.8.7", &[("POSTURA_CHECKSUMS", &wrong)]);
    assert!(!out.status.success() && path.is_empty());

    // Its own checkout path names the action's version, even when another action calls
    // it (and github.action_ref names the outer one).
    let (out, path) = install_with(
        dir.path(),
        "",
        &[
            ("ACTION_REF", "v0.0.1"),
            (
                "GITHUB_ACTION_PATH",
                "/home/runner/work/_actions/example/postura/v9.8.7",
            ),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(path.contains("postura-v9.8.7-"), "{path}");

    // The action used at a branch, not a release: a clear error, no download.
    let (out, _) = install(dir.path(), "main");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("is not a release tag"), "{stderr}");
}
