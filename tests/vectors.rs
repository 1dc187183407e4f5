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
        // The page's /Annots is an indirect array: the replaced array is the list, not an "other" object.
        ("attacks/annotation-indirect-annots", "/Text annotation (object 12) on page 1 at [450 600 470 620]"),
        // The page replaced together with the new indirect array it names: one list, not two.
        ("attacks/annotation-list-new-array", "/Text annotation (object 13) on page 1 at [450 600 470 620]"),
    ] {
        let facts = mod_changes_evidence(scenario);
        let fact = |name: &str| facts.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone()).unwrap_or_else(|| panic!("{scenario}: no {name} in {facts:?}"));
        let changed: Vec<String> = fact("changed").as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect();
        assert!(changed.contains(&"1 annotations".to_string()), "{scenario}: {changed:?}");
        assert!(changed.contains(&"1 page annotation list(s)".to_string()), "{scenario}: {changed:?}");
        assert!(!facts.iter().any(|(n, _)| n == "other_changes"), "{scenario}: {facts:?}");
        let added = fact("added_annotations");
        assert_eq!(added.as_array().unwrap().len(), 1, "{scenario}: {added}");
        assert!(added[0].as_str().unwrap().starts_with(subtype_page_rect), "{scenario}: {added}");
    }
    let overlay = mod_changes_evidence("attacks/annotation-overlay");
    assert!(overlay.iter().any(|(n, v)| n == "changed" && v.as_array().unwrap().iter().any(|s| s == "1 appearance stream(s)")), "{overlay:?}");
}

/// The checks with id `id` in the node whose subject is `subject`, anywhere in a scenario's report.
fn checks_of(scenario: &str, subject: &str, id: &str) -> Vec<serde_json::Value> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("test-vectors/scenarios").join(scenario);
    let s = Scenario::load(&dir);
    let value: serde_json::Value = serde_json::from_str(&sigaudit::verify(&s.evidence(), &s.policy()).to_json()).unwrap();
    fn walk(node: &serde_json::Value, subject: &str, id: &str, out: &mut Vec<serde_json::Value>) {
        if node["subject"] == subject {
            out.extend(node["checks"].as_array().into_iter().flatten().filter(|c| c["id"] == id).cloned());
        }
        for child in node["children"].as_array().into_iter().flatten() {
            walk(child, subject, id, out);
        }
    }
    let mut out = Vec::new();
    for node in value["nodes"].as_array().into_iter().flatten() {
        walk(node, subject, id, &mut out);
    }
    assert!(!out.is_empty(), "{scenario}: no {id} under {subject}");
    out
}

/// A signed note whose dictionary changed only in /M passes, named with the
/// changed key; /Rect or /Contents (with /M) is still a change to what the
/// signed page showed, named with every changed key.
#[test]
fn a_signed_annotation_changed_only_in_undrawn_keys_is_named_not_failed() {
    let facts = mod_changes_evidence("pades/annotation-date-updated");
    let touched = facts.iter().find(|(n, _)| n == "annotations_changed_undrawn_keys").map(|(_, v)| v.clone()).unwrap_or_else(|| panic!("{facts:?}"));
    assert_eq!(touched.as_array().unwrap().len(), 1, "{touched}");
    assert!(touched[0].as_str().unwrap().ends_with("/Text annotation (object 7) on page 1 at [450 600 470 620]: its /M changed in revision 4"), "{touched}");
    assert!(!facts.iter().any(|(n, _)| n == "changed_annotations"), "{facts:?}");
    for (scenario, keys) in
        [("attacks/annotation-rect-changed", "its /Rect changed"), ("attacks/annotation-contents-and-date-changed", "its /Contents, /M changed")]
    {
        let facts = mod_changes_evidence(scenario);
        let changed = facts.iter().find(|(n, _)| n == "changed_annotations").map(|(_, v)| v.clone()).unwrap_or_else(|| panic!("{scenario}: {facts:?}"));
        assert!(changed[0].as_str().unwrap().contains(keys), "{scenario}: {changed}");
        assert!(!facts.iter().any(|(n, _)| n == "annotations_changed_undrawn_keys"), "{scenario}: {facts:?}");
    }
}

/// The coverage and change sentences of a document timestamp name it, not a signature.
#[test]
fn document_timestamp_sentences_name_the_timestamp() {
    let ts = "document timestamp 'Tidsstempel1'";
    let scenario = "attacks/doc-timestamp-then-content";
    let coverage = &checks_of(scenario, ts, "sig.coverage")[0];
    assert!(coverage["message"].as_str().unwrap().starts_with("the document timestamp covers revision 2 of 3"), "{coverage}");
    assert!(coverage["message"].as_str().unwrap().ends_with("judged as changes after the document timestamp"), "{coverage}");
    let changes = &checks_of(scenario, ts, "mod.changes")[0];
    assert!(changes["message"].as_str().unwrap().starts_with("after the document timestamp, "), "{changes}");
    let shadow = &checks_of(scenario, ts, "mod.shadow")[0];
    let message = shadow["message"].as_str().unwrap();
    assert!(message.starts_with("objects the timestamped pages use were redefined after the document timestamp"), "{shadow}");
    assert!(!message.contains("sign"), "{shadow}");
    // A signature keeps its wording.
    let signature = &checks_of("attacks/annotation-rect-changed", "signature 'Signatur1'", "mod.shadow")[0];
    assert!(signature["message"].as_str().unwrap().contains("changed after signing"), "{signature}");
}
