//! The whole Altinn path through [`crate::verify`]: file names without
//! directories, data elements that are broken JSON, two instances in one
//! bundle. The generated scenarios (test-vectors/scenarios/altinn) cover the
//! cases of issue 7.

use crate::crypto::sha256;
use crate::report::{Report, Status};
use crate::{verify, Blob, Evidence, Options, Policy};
use std::collections::BTreeSet;

fn policy() -> Policy {
    Policy::from_options(&Options { at: Some("2025-03-11T00:00:00Z".into()), ..Default::default() }, &[], &[]).unwrap()
}

fn ids(report: &Report, status: Status) -> BTreeSet<&'static str> {
    report.all_checks().into_iter().filter(|c| c.status == status).map(|c| c.id.as_str()).collect()
}

/// A one-element export: instance `inst` (party 50001337) with data element
/// `el` holding `content`, and one signature record `sig` by person 01039012460.
fn export(inst: &str, el: &str, sig: &str, content: &[u8]) -> Vec<Blob> {
    let record = format!(
        r#"{{
  "id": "{sig}",
  "instanceGuid": "{inst}",
  "signedTime": "2025-03-10T10:00:00.6250698Z",
  "signeeInfo": {{ "userId": "1337", "systemUserId": null, "personNumber": "01039012460", "organisationNumber": null }},
  "dataElementSignatures": [ {{ "dataElementId": "{el}", "sha256Hash": "{}", "signed": true }} ]
}}
"#,
        hex::encode(sha256(content))
    );
    let instance = format!(
        r#"{{"id":"50001337/{inst}","instanceOwner":{{"partyId":"50001337"}},"appId":"ttd/app","org":"ttd","data":[
  {{"id":"{el}","instanceGuid":"{inst}","dataType":"form","contentType":"application/json","size":{},
    "created":"2025-03-10T09:00:00Z","createdBy":"1337","lastChanged":"2025-03-10T09:00:00Z","lastChangedBy":"1337"}},
  {{"id":"{sig}","instanceGuid":"{inst}","dataType":"signature","contentType":"application/json","size":{},"locked":true,
    "references":[{{"relation":"GeneratedFrom","valueType":"Task","value":"Task_2"}}],
    "created":"2025-03-10T10:00:00.6250698Z","createdBy":"1337","lastChanged":"2025-03-10T10:00:00.6250698Z","lastChangedBy":"1337"}}]}}"#,
        content.len(),
        record.len()
    );
    vec![
        Blob::new(format!("export-{inst}/instance.json"), instance),
        Blob::new(format!("export-{inst}/{el}.json"), content.to_vec()),
        Blob::new(format!("export-{inst}/{sig}.json"), record),
    ]
}

const INST: &str = "427031f3-b081-50d1-a801-b289e4c2d275";
const EL: &str = "857cc982-8cc2-5297-81b1-5c4554ac627d";
const SIG: &str = "a884de17-9b4b-5c6d-b1c1-4206268bbb53";

#[test]
fn a_broken_json_data_element_is_content_not_failed_evidence() {
    // Duplicate member names: sigaudit rejects that in evidence, but a data element is compared by hash only.
    let r = verify(&Evidence::new(export(INST, EL, SIG, br#"{"a":1,"a":2}"#)), &policy());
    assert_eq!(r.verdict(), Status::Pass, "{}", r.to_json());
    assert!(ids(&r, Status::Pass).contains("altinn.signature.data_element_hash"));
    assert!(r.inputs[1].kind.starts_with("Altinn 3 data element"), "{}", r.inputs[1].kind);
}

#[test]
fn the_known_answer_whatever() {
    let r = verify(&Evidence::new(export(INST, EL, SIG, b"whatever")), &policy());
    assert_eq!(r.verdict(), Status::Pass);
    assert!(r.to_json().contains("85738f8f9a7f1b04b5329c590ebcb9e425925c6d0984089c43a022de4f19c281"));
}

#[test]
fn two_instances_in_one_bundle_are_checked_apart() {
    let other = "f56b7e65-42f8-5dfc-8b81-56ab3b63f1a6";
    let mut blobs = export(INST, EL, SIG, b"one");
    blobs.extend(export(other, "11111111-2222-4333-8444-555555555555", "66666666-7777-4888-8999-aaaaaaaaaaaa", b"two"));
    let r = verify(&Evidence::new(blobs), &policy());
    assert_eq!(r.verdict(), Status::Pass, "{}", r.to_json());
    let instances: Vec<&str> = r.nodes.iter().filter(|n| n.kind == crate::report::NodeKind::AltinnInstance).map(|n| n.subject.as_str()).collect();
    assert_eq!(instances.len(), 2, "{instances:?}");
}

#[test]
fn a_changed_byte_fails_and_a_missing_file_is_indeterminate() {
    let mut blobs = export(INST, EL, SIG, b"whatever");
    blobs[1].bytes = b"whatevez".to_vec();
    let r = verify(&Evidence::new(blobs.clone()), &policy());
    assert_eq!(r.verdict(), Status::Fail);
    assert_eq!(ids(&r, Status::Fail), BTreeSet::from(["altinn.signature.data_element_hash", "altinn.data_element.unsigned_or_changed"]));
    blobs.remove(1);
    let r = verify(&Evidence::new(blobs), &policy());
    assert_eq!(r.verdict(), Status::Indeterminate);
    assert_eq!(ids(&r, Status::Indeterminate), BTreeSet::from(["altinn.signature.data_element_hash"]));
}

/// The same files with or without directories (CLI folder, batch leaf, browser drop) give the same checks.
#[test]
fn detection_does_not_depend_on_directories() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("test-vectors/scenarios/altinn");
    let Ok(entries) = std::fs::read_dir(&dir) else { return };
    let mut seen = 0;
    for e in entries.flatten() {
        let input = e.path().join("input");
        let Ok(files) = std::fs::read_dir(&input) else { continue };
        let mut blobs: Vec<(String, Vec<u8>)> =
            files.flatten().map(|f| (f.file_name().to_string_lossy().into_owned(), std::fs::read(f.path()).unwrap())).collect();
        blobs.sort();
        let run = |prefix: &str| {
            let ev = Evidence::new(blobs.iter().map(|(n, b)| Blob::new(format!("{prefix}{n}"), b.clone())).collect());
            let r = verify(&ev, &policy());
            let mut all: Vec<(Status, &'static str)> = r.all_checks().into_iter().map(|c| (c.status, c.id.as_str())).collect();
            all.sort();
            (r.verdict(), all)
        };
        let bare = run("");
        assert_eq!(bare, run("input/"), "{}", e.path().display());
        assert_eq!(bare, run("C:\\Users\\auditor\\Downloads\\export\\"), "{}", e.path().display());
        seen += 1;
    }
    assert!(seen >= 8, "only {seen} Altinn scenarios found");
}

#[test]
fn a_broken_or_unrecognisable_record_never_passes() {
    // The only record is broken JSON: input.json fails, and nothing shows a signature.
    let mut blobs = export(INST, EL, SIG, b"whatever");
    blobs[2].bytes = br#"{"id":"x","id":"y"}"#.to_vec();
    let r = verify(&Evidence::new(blobs.clone()), &policy());
    assert_eq!(r.verdict(), Status::Fail);
    assert!(ids(&r, Status::Fail).contains("input.json"));
    assert!(ids(&r, Status::Indeterminate).contains("altinn.signature.parse"));
    // Valid JSON that is no record: indeterminate, not pass.
    blobs[2].bytes = br#"{"something":"else"}"#.to_vec();
    let r = verify(&Evidence::new(blobs), &policy());
    assert_eq!(r.verdict(), Status::Indeterminate, "{}", r.to_json());
    assert!(ids(&r, Status::Indeterminate).contains("altinn.signature.parse"));
}

#[test]
fn array_forms_are_recognised() {
    use super::{recognise, AltinnDoc};
    let events: serde_json::Value =
        serde_json::from_str(r#"[{"eventType":"Signed","instanceId":"1/x","created":"2025-03-10T10:00:00Z","user":{"userId":1337}}]"#).unwrap();
    assert!(matches!(recognise(&events), Some(AltinnDoc::Events(e)) if e.events[0].user_id.as_deref() == Some("1337")));
    let state: serde_json::Value = serde_json::from_str(r#"[{"taskId":"Task_2","signee":{"$type":"person","socialSecurityNumber":"01039012460"}}]"#).unwrap();
    assert!(matches!(recognise(&state), Some(AltinnDoc::SigneeState(s)) if s.problems.is_empty() && s.contexts.len() == 1));
    assert!(recognise(&serde_json::json!([1, 2])).is_none());
    assert!(recognise(&serde_json::json!({"keys": []})).is_none());
}

/// Found by the truncation sweep (tests/hostile.rs): an emptied signee-state
/// file is no longer recognised as signee state, and used to pass silently as
/// an unsigned data element. Its size now differs from the metadata's: warn.
#[test]
fn an_emptied_unsigned_element_warns_on_its_size() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("test-vectors/scenarios/altinn/all-signed-intact/input");
    let mut blobs: Vec<Blob> = Vec::new();
    let mut names: Vec<_> = std::fs::read_dir(&dir).unwrap().flatten().map(|e| e.path()).collect();
    names.sort();
    for p in names {
        blobs.push(Blob::new(p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&p).unwrap()));
    }
    let at = crate::Options { at: Some("2025-03-11T00:00:00Z".into()), ..Default::default() };
    let policy = crate::Policy::from_options(&at, &[], &[]).unwrap();
    assert_eq!(verify(&Evidence::new(blobs.clone()), &policy).verdict(), Status::Pass);
    let signees = blobs.iter().position(|b| b.name.starts_with("ef529073")).expect("the signee-state file");
    blobs[signees].bytes.clear();
    let r = verify(&Evidence::new(blobs), &policy);
    assert_eq!(r.verdict(), Status::Warn, "{}", r.to_json());
    assert_eq!(ids(&r, Status::Warn), BTreeSet::from(["altinn.data_element.unsigned_or_changed"]));
}
