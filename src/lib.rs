//! postura: audit an AWS account's security posture.
//!
//! The crate is the pipeline, one module per stage:
//! [`collect`] (AWS I/O) -> [`inventory`] (plain data) -> [`checks`] (pure) ->
//! [`report`] (score, exit code) -> [`output`] (renderers). [`cli`] wires them to the
//! command line.

pub mod checks;
pub mod cli;
pub mod collect;
pub mod config;
pub mod error;
pub mod inventory;
pub mod output;
pub mod policy;
pub mod report;

#[cfg(test)]
mod layering {
    //! The pipeline runs one way: only `collect` talks to AWS, and nothing downstream of
    //! it (the data model, the checks, the report, the renderers, the policy language)
    //! reaches back into it.

    fn sources(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("source dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                sources(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }

    #[test]
    fn nothing_downstream_imports_collect() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut checked = 0;
        for stage in ["inventory", "checks", "report", "output", "policy"] {
            let mut files = Vec::new();
            sources(&root.join(stage), &mut files);
            for f in files {
                let text = std::fs::read_to_string(&f).expect("readable source");
                assert!(
                    !text.contains("crate::collect"),
                    "{} reaches back into collect",
                    f.display()
                );
                checked += 1;
            }
        }
        assert!(checked > 10, "found only {checked} files");
    }
}
