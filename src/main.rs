use std::process::ExitCode;

fn main() -> ExitCode {
    postura::cli::main()
}
