//! The table: every scenario under test-vectors/scenarios, through the library
//! and through the CLI. The CLI's JSON must be byte-identical to the library's,
//! and its exit code must follow the verdict.

mod common;

use common::{compare, scenarios, Scenario};
use std::process::Command;

fn exit_code_for(verdict: &str) -> i32 {
    match verdict {
        "pass" | "warn" => 0,
        "fail" => 1,
        "indeterminate" => 3,
        other => panic!("unknown verdict {other}"),
    }
}

#[test]
fn every_scenario_through_library_and_cli() {
    let all = scenarios();
    assert!(all.len() >= 3, "no scenarios found under test-vectors/scenarios");
    let mut failures = Vec::new();
    for dir in &all {
        let s = Scenario::load(dir);
        let report = sigaudit::verify(&s.evidence(), &s.policy());
        let json = report.to_json();
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        for p in compare(&s.expected, &value) {
            failures.push(format!("{} (library): {p}", s.name));
        }
        // Same input, same bytes.
        assert_eq!(json, sigaudit::verify(&s.evidence(), &s.policy()).to_json(), "{}: output not deterministic", s.name);

        let out = Command::new(env!("CARGO_BIN_EXE_sigaudit")).args(s.cli_args()).current_dir(&s.dir).output().expect("run sigaudit");
        let stdout = String::from_utf8_lossy(&out.stdout);
        if stdout.trim_end() != json {
            failures.push(format!("{} (cli): JSON differs from the library's; stderr: {}", s.name, String::from_utf8_lossy(&out.stderr)));
        }
        let want_code = exit_code_for(value["verdict"].as_str().unwrap());
        if out.status.code() != Some(want_code) {
            failures.push(format!("{} (cli): exit code {:?}, expected {want_code}", s.name, out.status.code()));
        }
    }
    assert!(failures.is_empty(), "{} of {} scenarios disagree:\n{}", failures.len(), all.len(), failures.join("\n"));
}
