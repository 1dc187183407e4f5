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

/// The `mod.changes` evidence of the first signature node of a scenario's report.
fn mod_changes_evidence(scenario: &str) -> Vec<(String, serde_json::Value)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("test-vectors/scenarios").join(scenario);
    let s = Scenario::load(&dir);
    let value: serde_json::Value = serde_json::from_str(&sigaudit::verify(&s.evidence(), &s.policy()).to_json()).unwrap();
    fn find(node: &serde_json::Value) -> Option<serde_json::Value> {
        node["checks"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|c| c["id"] == "mod.changes")
            .cloned()
            .or_else(|| node["children"].as_array().into_iter().flatten().find_map(find))
    }
    let check = value["nodes"].as_array().into_iter().flatten().find_map(find).unwrap_or_else(|| panic!("{scenario}: no mod.changes"));
    check["evidence"].as_array().unwrap().iter().map(|f| (f["name"].as_str().unwrap().to_string(), f["value"].clone())).collect()
}

/// An added annotation is counted once: the page whose /Annots grew and the
/// annotation's appearance stream are named as what they are, not as more
/// annotations; the annotation itself is named with its subtype, page and /Rect.
#[test]
fn added_annotations_are_counted_once_and_named() {
    for (scenario, subtype_page_rect) in [
        ("attacks/annotation-overlay", "/Square annotation (object 11) on page 1 at [70 664 270 684]"),
        ("pades/certification-p3", "/Text annotation (object 11) on page 1 at [450 600 470 620]"),
    ] {
        let facts = mod_changes_evidence(scenario);
        let fact = |name: &str| facts.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone()).unwrap_or_else(|| panic!("{scenario}: no {name} in {facts:?}"));
        let changed: Vec<String> = fact("changed").as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect();
        assert!(changed.contains(&"1 annotations".to_string()), "{scenario}: {changed:?}");
        assert!(changed.contains(&"1 page annotation list(s)".to_string()), "{scenario}: {changed:?}");
        let added = fact("added_annotations");
        assert_eq!(added.as_array().unwrap().len(), 1, "{scenario}: {added}");
        assert!(added[0].as_str().unwrap().starts_with(subtype_page_rect), "{scenario}: {added}");
    }
    let overlay = mod_changes_evidence("attacks/annotation-overlay");
    assert!(overlay.iter().any(|(n, v)| n == "changed" && v.as_array().unwrap().iter().any(|s| s == "1 appearance stream(s)")), "{overlay:?}");
}
