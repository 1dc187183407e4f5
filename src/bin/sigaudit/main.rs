//! The `sigaudit` command: argument parsing, file I/O, output and exit codes.
//! Verification itself is the library's pure core.

mod args;
mod batch;
mod files;

use args::{Cli, Command, Format, VerifyArgs};
use clap::Parser;
use sigaudit::checks::CheckId;
use sigaudit::report::text;
use sigaudit::{verify, Evidence, Status};
use std::io::Write;
use std::process::ExitCode;

// Reports are trees of many small strings; mimalloc allocates them faster than
// the system allocator, and scales across batch workers.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Exit codes (documented in the README).
pub(crate) const EXIT_PASS: u8 = 0;
pub(crate) const EXIT_FAIL: u8 = 1;
const EXIT_CANNOT_RUN: u8 = 2;
pub(crate) const EXIT_INDETERMINATE: u8 = 3;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Verify(a) => run_verify(*a),
        Command::Batch(a) => batch::run(*a),
        Command::Checks { markdown } => {
            print_checks(markdown);
            Ok(EXIT_PASS)
        }
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(message) => {
            eprintln!("sigaudit: {message}");
            ExitCode::from(EXIT_CANNOT_RUN)
        }
    }
}

fn exit_code(verdict: Status) -> u8 {
    match verdict {
        Status::Pass | Status::Warn => EXIT_PASS,
        Status::Fail => EXIT_FAIL,
        Status::Indeterminate => EXIT_INDETERMINATE,
    }
}

fn run_verify(a: VerifyArgs) -> Result<u8, String> {
    let policy = a.policy()?;
    let blobs = files::read_inputs(&a.files)?;
    if let Some(dir) = &a.extract {
        files::extract_embedded(&blobs, dir)?;
    }
    let report = verify(&Evidence::new(blobs), &policy);
    let out = match a.format {
        Format::Json => report.to_json() + "\n",
        Format::Text => text::render(&report, a.verbose),
    };
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`| head`) is not an error worth a message.
    let _ = stdout.write_all(out.as_bytes());
    let _ = stdout.flush();
    Ok(exit_code(report.verdict()))
}

fn print_checks(markdown: bool) {
    if markdown {
        println!("| id | what it establishes |\n|---|---|");
        for id in CheckId::ALL {
            println!("| `{}` | {} |", id.as_str(), id.description());
        }
    } else {
        for id in CheckId::ALL {
            println!("{:<28} {}", id.as_str(), id.description());
        }
    }
}
