//! `sigaudit batch`: sources (folder tree, manifest, stdin), rows, resilience
//! (corrupt, hostile and panicking items do not stop a batch), resume, stable
//! order across --jobs, exit codes, and agreement with `sigaudit verify`.

mod common;

use serde_json::{json, Value};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const AT: &str = "2025-03-10T09:00:02Z";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn scenario(rel: &str) -> PathBuf {
    root().join("test-vectors/scenarios").join(rel)
}

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("sigaudit-batch-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// The shared key set and anchor of the binding/ scenarios.
fn shared_args() -> Vec<String> {
    let s = scenario("binding/text-type");
    vec![
        "--jwks".into(),
        s.join("keys/transact_jwks.json").to_string_lossy().into_owned(),
        "--trust".into(),
        s.join("trust/oces_root.pem").to_string_lossy().into_owned(),
        "--at".into(),
        AT.into(),
    ]
}

fn batch(args: &[String], env: &[(&str, &str)], stdin: Option<&[u8]>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sigaudit"));
    cmd.arg("batch").args(args).args(shared_args()).arg("--quiet").current_dir(root());
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() }).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("run sigaudit batch");
    if let Some(bytes) = stdin {
        child.stdin.take().unwrap().write_all(bytes).unwrap();
    }
    child.wait_with_output().unwrap()
}

fn rows(out: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(out).lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"))).collect()
}

fn by_id<'a>(rows: &'a [Value], id: &str) -> &'a Value {
    rows.iter().find(|r| r["id"] == id).unwrap_or_else(|| panic!("no row {id}"))
}

/// An inline item from the text-type scenario: token, OCSP (base64) and the signed text.
fn good_item(id: &str) -> Value {
    let s = scenario("binding/text-type/input");
    let token = std::fs::read_to_string(s.join("transaction_token.jwt")).unwrap();
    let ocsp = std::fs::read(s.join("transaction_token.ocsp")).unwrap();
    let text = std::fs::read_to_string(s.join("signed_text.txt")).unwrap();
    json!({"id": id, "token": token.trim(), "ocsp": sigaudit::encoding::b64_encode(&ocsp), "text": text})
}

fn write_manifest(dir: &Path, lines: &[String]) -> PathBuf {
    let p = dir.join("manifest.jsonl");
    std::fs::write(&p, lines.join("\n") + "\n").unwrap();
    p
}

fn deep_json(depth: usize) -> String {
    "[".repeat(depth) + &"]".repeat(depth)
}

#[test]
fn bad_items_do_not_stop_the_batch() {
    let dir = tmp("resilience");
    let good = good_item("good-1");
    let mut truncated = good_item("truncated-token");
    let t = truncated["token"].as_str().unwrap().to_string();
    truncated["token"] = json!(t[..t.len() / 2]);
    let mut truncated_ocsp = good_item("truncated-ocsp");
    let o = truncated_ocsp["ocsp"].as_str().unwrap().to_string();
    truncated_ocsp["ocsp"] = json!(o[..o.len() - 40]);
    let huge = json!({"id": "hostile-600k-token", "token": format!("eyJhbGciOiJSUzI1NiJ9.{}.AA", "A".repeat(600 * 1024))});
    let lines = vec![
        good.to_string(),
        r#"{"id": "corrupt", "token": "eyJ"#.to_string(), // a truncated line
        json!({"id": "wrong-type", "token": 5}).to_string(),
        truncated.to_string(),
        truncated_ocsp.to_string(),
        huge.to_string(),
        format!(r#"{{"id": "hostile-deep-json", "json": {}}}"#, deep_json(100_000)),
        json!({"id": "deep-but-valid", "json": {"a": {"b": {"c": [[[[1]]]]}}}}).to_string(),
        json!({"id": "missing-file", "files": ["no/such/file.jwt"]}).to_string(),
        json!({"id": "no-evidence"}).to_string(),
        json!({"id": "binary", "json": "\u{0}\u{1}"}).to_string(),
        good_item("panics").to_string(),
        good_item("good-2").to_string(),
    ];
    let m = write_manifest(&dir, &lines);
    let out = batch(&[m.to_string_lossy().into_owned(), "--jobs".into(), "2".into()], &[("SIGAUDIT_TEST_PANIC_ID", "panics")], None);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let rows = rows(&out.stdout);
    assert_eq!(rows.len(), lines.len(), "one row per item, the batch went on");
    let ids: Vec<&str> = rows.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids[0], "good-1");
    assert_eq!(ids[1], "corrupt", "the id is recovered from a broken line where possible");
    assert_eq!(*ids.last().unwrap(), "good-2", "input order");
    for id in ["good-1", "good-2"] {
        let r = by_id(&rows, id);
        assert_eq!(r["verdict"], "pass", "{r}");
        assert_eq!(r["issuer"], "https://test.netseidbroker.dk/op");
        assert!(r["kid"].as_str().is_some_and(|k| k.len() == 40));
        assert!(r["iat"].as_str().is_some_and(|t| t.starts_with("2025-03-10T09:00:00")));
        assert!(r["transaction_id"].is_string());
        assert_eq!(r["documents"].as_array().unwrap().len(), 1);
    }
    for id in ["corrupt", "wrong-type", "missing-file", "no-evidence"] {
        let r = by_id(&rows, id);
        assert_eq!(r["verdict"], "error", "{r}");
        assert!(r["error"].as_str().is_some_and(|e| !e.is_empty()), "{r}");
    }
    assert!(by_id(&rows, "missing-file")["error"].as_str().unwrap().contains("no/such/file.jwt"));
    let panicked = by_id(&rows, "panics");
    assert_eq!(panicked["verdict"], "error");
    assert!(panicked["error"].as_str().unwrap().contains("panic"), "{panicked}");
    // Hostile but well-formed items are verified and fail their own checks.
    let t = by_id(&rows, "truncated-token");
    assert_eq!(t["verdict"], "fail", "{t}");
    let o = by_id(&rows, "truncated-ocsp");
    assert_eq!(o["verdict"], "fail", "{o}");
    assert!(o["failed"].as_array().unwrap().contains(&json!("ocsp.format")), "{o}");
    let h = by_id(&rows, "hostile-600k-token");
    assert_eq!(h["failed"], json!(["jws.size"]), "{h}");
    let d = by_id(&rows, "hostile-deep-json");
    assert!(matches!(d["verdict"].as_str(), Some("fail") | Some("error")), "{d}");
    assert_ne!(by_id(&rows, "deep-but-valid")["verdict"], "pass");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("items in"), "summary on stderr: {err}");
    let _ = std::fs::remove_dir_all(&dir);
}

fn many_items(n: usize) -> Vec<String> {
    let kinds = ["binding/pdf-matches", "binding/pdf-differs", "binding/pdf-missing"];
    (0..n)
        .map(|i| {
            if i % 4 == 3 {
                good_item(&format!("item-{i:04}")).to_string()
            } else {
                let s = scenario(kinds[i % 3]).join("input");
                let mut files: Vec<String> = std::fs::read_dir(&s).unwrap().map(|e| e.unwrap().path().to_string_lossy().into_owned()).collect();
                files.sort();
                json!({"id": format!("item-{i:04}"), "files": files}).to_string()
            }
        })
        .collect()
}

#[test]
fn order_is_stable_across_jobs_and_stdin_matches_the_file() {
    let dir = tmp("order");
    let lines = many_items(300);
    let m = write_manifest(&dir, &lines);
    // The lines name files of the repository by absolute path: --root lets them out of the manifest's folder.
    let r = root().to_string_lossy().into_owned();
    let one = batch(&[m.to_string_lossy().into_owned(), "--jobs".into(), "1".into(), "--root".into(), r.clone()], &[], None);
    let two = batch(&[m.to_string_lossy().into_owned(), "--jobs".into(), "2".into(), "--root".into(), r], &[], None);
    assert_eq!(one.status.code(), Some(1));
    assert_eq!(one.stdout, two.stdout, "the same bytes with 1 and 2 workers");
    let rows = rows(&one.stdout);
    assert_eq!(rows.len(), 300);
    for (i, r) in rows.iter().enumerate() {
        assert_eq!(r["id"], format!("item-{i:04}"));
        let want = if i % 4 == 3 { "pass" } else { ["pass", "fail", "indeterminate"][i % 3] };
        assert_eq!(r["verdict"], want, "{r}");
    }
    // Standard input: the same rows (paths in these lines are absolute; the root is the current folder, the repository).
    let bytes = std::fs::read(&m).unwrap();
    let piped = batch(&["-".into(), "--jobs".into(), "2".into()], &[], Some(&bytes));
    assert_eq!(piped.stdout, one.stdout);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn resume_skips_what_is_done_and_appends_the_rest() {
    let dir = tmp("resume");
    let lines = many_items(40);
    let full = write_manifest(&dir, &lines);
    let r = root().to_string_lossy().into_owned();
    let reference = batch(&[full.to_string_lossy().into_owned(), "--root".into(), r.clone()], &[], None);
    assert!(!String::from_utf8_lossy(&reference.stdout).contains("\"error\""), "every item is readable");
    // A first run that stopped after 15 items, its last row cut in half.
    let out = dir.join("out.jsonl");
    let first: Vec<&[u8]> = reference.stdout.split(|&b| b == b'\n').take(15).collect();
    let mut partial = first.join(&b'\n');
    partial.extend_from_slice(b"\n{\"id\":\"item-0015\",\"verd");
    std::fs::write(&out, &partial).unwrap();
    let o = out.to_string_lossy().into_owned();
    let resumed = batch(&[full.to_string_lossy().into_owned(), "--resume".into(), o.clone(), "--out".into(), o.clone(), "--root".into(), r.clone()], &[], None);
    assert_eq!(resumed.status.code(), Some(1));
    assert!(resumed.stdout.is_empty(), "rows go to --out");
    assert_eq!(std::fs::read(&out).unwrap(), reference.stdout, "the appended file equals a run from scratch");
    let err = String::from_utf8_lossy(&resumed.stderr);
    assert!(err.contains("skipped (already in the resumed output): 15"), "{err}");
    // Resuming a finished run does nothing.
    let again = batch(&[full.to_string_lossy().into_owned(), "--resume".into(), o.clone(), "--out".into(), o, "--root".into(), r], &[], None);
    assert_eq!(std::fs::read(&out).unwrap(), reference.stdout);
    assert!(String::from_utf8_lossy(&again.stderr).contains("skipped (already in the resumed output): 40"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn resume_never_skips_a_repeated_id_whose_row_is_missing() {
    // One id twice: the first item passes, the second is forged. A run that
    // stopped after the first row must verify the second on resume.
    let dir = tmp("resume-dup");
    let mut forged = good_item("case-1");
    forged["text"] = json!("Jeg accepterer en pris på 9.000 kr.");
    let m = write_manifest(&dir, &[good_item("case-1").to_string(), forged.to_string(), good_item("case-2").to_string()]);
    let fresh = batch(&[m.to_string_lossy().into_owned()], &[], None);
    let all = rows(&fresh.stdout);
    assert_eq!(all.iter().map(|r| r["verdict"].as_str().unwrap()).collect::<Vec<_>>(), ["pass", "fail", "pass"]);
    let out = dir.join("out.jsonl");
    std::fs::write(&out, fresh.stdout.split(|&b| b == b'\n').next().unwrap().iter().chain(b"\n").copied().collect::<Vec<u8>>()).unwrap();
    let o = out.to_string_lossy().into_owned();
    let resumed = batch(&[m.to_string_lossy().into_owned(), "--resume".into(), o.clone(), "--out".into(), o], &[], None);
    assert_eq!(resumed.status.code(), Some(1), "the forged item is verified again and fails");
    assert_eq!(std::fs::read(&out).unwrap(), fresh.stdout, "the resumed file equals a run from scratch");
    assert!(String::from_utf8_lossy(&resumed.stderr).contains("skipped (already in the resumed output): 1"));
    // A resume file from another source: nothing it does not match is skipped, and a note says so.
    let other = dir.join("other.jsonl");
    std::fs::write(&other, format!("{}\n", json!({"id": "case-2", "verdict": "pass"}))).unwrap();
    let mixed = batch(&[m.to_string_lossy().into_owned(), "--resume".into(), other.to_string_lossy().into_owned()], &[], None);
    assert_eq!(mixed.stdout, fresh.stdout, "every item verified");
    assert!(String::from_utf8_lossy(&mixed.stderr).contains("is not about item 1 ('case-1')"), "{}", String::from_utf8_lossy(&mixed.stderr));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn items_cannot_read_files_outside_the_archive_root() {
    let dir = tmp("root");
    let archive = dir.join("archive");
    std::fs::create_dir_all(archive.join("ev")).unwrap();
    std::fs::create_dir_all(dir.join("outside")).unwrap();
    let src = scenario("binding/pdf-matches/input");
    std::fs::copy(src.join("token_response.json"), archive.join("ev/token_response.json")).unwrap();
    std::fs::copy(src.join("koebsaftale.pdf"), archive.join("ev/koebsaftale.pdf")).unwrap();
    std::fs::copy(src.join("koebsaftale.pdf"), dir.join("outside/koebsaftale.pdf")).unwrap();
    let lines = [
        json!({"id": "inside", "files": ["ev/token_response.json", "ev/koebsaftale.pdf"]}).to_string(),
        json!({"id": "dotdot", "files": ["ev/token_response.json", "../outside/koebsaftale.pdf"]}).to_string(),
        json!({"id": "absolute", "files": ["ev/token_response.json", dir.join("outside/koebsaftale.pdf")]}).to_string(),
    ];
    let m = write_manifest(&archive, &lines);
    let s = scenario("binding/pdf-matches");
    let keys = ["--jwks".to_string(), s.join("keys/transact_jwks.json").to_string_lossy().into_owned()];
    let confined = rows(&batch(&[&[m.to_string_lossy().into_owned()], &keys[..]].concat(), &[], None).stdout);
    assert_eq!(by_id(&confined, "inside")["verdict"], "pass", "{confined:?}");
    for id in ["dotdot", "absolute"] {
        let row = by_id(&confined, id);
        assert_eq!(row["verdict"], "error");
        assert!(row["error"].as_str().unwrap().contains("outside the archive root"), "{row}");
    }
    // --root widens it.
    let widened =
        rows(&batch(&[&[m.to_string_lossy().into_owned(), "--root".into(), dir.to_string_lossy().into_owned()], &keys[..]].concat(), &[], None).stdout);
    assert!(widened.iter().all(|r| r["verdict"] == "pass"), "{widened:?}");
    #[cfg(unix)]
    {
        // A folder tree: a link to a file outside is an error row; a link to a folder is not followed.
        let tree = dir.join("tree");
        std::fs::create_dir_all(tree.join("a")).unwrap();
        std::fs::copy(src.join("token_response.json"), tree.join("a/token_response.json")).unwrap();
        std::os::unix::fs::symlink(dir.join("outside/koebsaftale.pdf"), tree.join("a/koebsaftale.pdf")).unwrap();
        std::os::unix::fs::symlink(&tree, tree.join("loop")).unwrap();
        let out = rows(&batch(&[&[tree.to_string_lossy().into_owned()], &keys[..]].concat(), &[], None).stdout);
        assert_eq!(out.len(), 2, "{out:?}");
        assert!(by_id(&out, "a")["error"].as_str().unwrap().contains("outside the archive root"));
        assert!(by_id(&out, "loop")["error"].as_str().unwrap().contains("symbolic link to a folder"));
    }
    let _ = std::fs::remove_dir_all(&dir);
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, to.join(p.file_name().unwrap())).unwrap();
    }
}

#[test]
fn folder_tree_rows_and_full_reports_match_verify() {
    let dir = tmp("tree");
    let tree = dir.join("archive");
    copy_dir(&scenario("binding/pdf-matches/input"), &tree.join("2025/03/a"));
    copy_dir(&scenario("binding/pdf-differs/input"), &tree.join("2025/03/b"));
    copy_dir(&scenario("binding/text-type/input"), &tree.join("2025/04/c"));
    let out = batch(&[tree.to_string_lossy().into_owned(), "--full".into(), "--format".into(), "json".into()], &[], None);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let all: Value = serde_json::from_slice(&out.stdout).expect("--format json is one JSON document");
    let all = all.as_array().unwrap();
    assert_eq!(all.len(), 4, "three rows and the summary");
    let summary = &all[3]["summary"];
    assert_eq!(summary["items"], 3);
    assert_eq!(summary["verdicts"]["pass"], 2);
    assert_eq!(summary["verdicts"]["fail"], 1);
    assert_eq!(summary["failed_checks"]["binding.document_sha256"], 1);
    let ids: Vec<&str> = all[..3].iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["2025/03/a", "2025/03/b", "2025/04/c"]);
    // Each row's report is what `sigaudit verify` says about the same folder.
    for (row, sub) in all[..3].iter().zip(["2025/03/a", "2025/03/b", "2025/04/c"]) {
        let folder = tree.join(sub);
        let mut files: Vec<PathBuf> = std::fs::read_dir(&folder).unwrap().map(|e| e.unwrap().path()).collect();
        files.sort();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_sigaudit"));
        cmd.arg("verify").args(files.iter().map(|f| f.file_name().unwrap())).args(shared_args()).args(["--format", "json"]).current_dir(&folder);
        let v = cmd.output().unwrap();
        let report: Value = serde_json::from_slice(&v.stdout).unwrap();
        assert_eq!(row["report"], report, "{sub}");
        assert_eq!(row["verdict"], report["verdict"]);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn exit_codes() {
    let dir = tmp("exit");
    let pass = write_manifest(&dir, &[good_item("a").to_string(), good_item("b").to_string()]);
    assert_eq!(batch(&[pass.to_string_lossy().into_owned()], &[], None).status.code(), Some(0));
    let s = scenario("binding/pdf-missing/input/token_response.json");
    let ind = dir.join("ind.jsonl");
    std::fs::write(&ind, format!("{}\n{}\n", good_item("a"), json!({"id": "b", "files": [s]}))).unwrap();
    let r = root().to_string_lossy().into_owned();
    assert_eq!(batch(&[ind.to_string_lossy().into_owned(), "--root".into(), r], &[], None).status.code(), Some(3));
    let err = dir.join("err.jsonl");
    std::fs::write(&err, format!("{}\nnot json\n", good_item("a"))).unwrap();
    assert_eq!(batch(&[err.to_string_lossy().into_owned()], &[], None).status.code(), Some(1), "an error row is not a pass");
    // Could not start: no such source, bad option.
    assert_eq!(batch(&["no/such/manifest.jsonl".into()], &[], None).status.code(), Some(2));
    let bad = batch(&[pass.to_string_lossy().into_owned(), "--env".into(), "staging".into()], &[], None);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("staging"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// The cache never changes a report: every scenario verified twice under one
/// policy (the second time with a warm cache), and once under a fresh policy,
/// gives the same bytes; and one policy shared by all binding scenarios with
/// the same options (a batch) gives each the bytes of its own fresh run.
#[test]
fn cached_and_fresh_reports_are_identical() {
    let mut shared: Option<(Value, sigaudit::Policy)> = None;
    for dir in common::scenarios() {
        let s = common::Scenario::load(&dir);
        let policy = s.policy();
        let first = sigaudit::verify(&s.evidence(), &policy).to_json();
        let warm = sigaudit::verify(&s.evidence(), &policy).to_json();
        let fresh = sigaudit::verify(&s.evidence(), &s.policy()).to_json();
        assert_eq!(first, fresh, "{}", s.name);
        assert_eq!(warm, fresh, "{}", s.name);
        let options: Value = serde_json::from_slice(&std::fs::read(dir.join("options.json")).unwrap()).unwrap();
        // The shared policy is that of the first binding scenario with a trust
        // anchor (its chains are validated, so the cache has signatures to reuse).
        if dir.to_string_lossy().contains("/binding/") && (shared.is_some() || options.get("trust").is_some()) {
            let (opts, pol) = shared.get_or_insert_with(|| (options.clone(), s.policy()));
            if *opts == options {
                assert_eq!(sigaudit::verify(&s.evidence(), pol).to_json(), fresh, "{} under a shared policy", s.name);
            }
        }
    }
    let (_, pol) = shared.expect("binding scenarios");
    assert!(pol.cache.stats().certificate_signatures_verified > 0);
}

/// Altinn 3 (issue 7): an archive of instance export folders, one leaf folder
/// each, gives every folder the verdict and the failed / indeterminate check
/// ids its scenario expects, as `sigaudit verify` does.
#[test]
fn an_archive_of_altinn_exports_lands_on_the_expected_verdicts() {
    let dir = tmp("altinn");
    let tree = dir.join("exports");
    let base = scenario("altinn");
    let mut names: Vec<String> = std::fs::read_dir(&base).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    assert!(names.len() >= 8, "the Altinn scenarios are missing");
    for n in &names {
        let opts: Value = serde_json::from_slice(&std::fs::read(base.join(n).join("options.json")).unwrap()).unwrap();
        assert_eq!(opts["at"], "2025-03-11T00:00:00Z", "{n}: this test runs every folder at one time");
        copy_dir(&base.join(n).join("input"), &tree.join(n));
    }
    let out = Command::new(env!("CARGO_BIN_EXE_sigaudit"))
        .args(["batch", &tree.to_string_lossy(), "--at", "2025-03-11T00:00:00Z", "--quiet", "--jobs", "2"])
        .output()
        .unwrap();
    assert_ne!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    let rows = rows(&out.stdout);
    assert_eq!(rows.len(), names.len());
    for n in &names {
        let expected: Value = serde_json::from_slice(&std::fs::read(base.join(n).join("expected.json")).unwrap()).unwrap();
        let row = by_id(&rows, n);
        assert_eq!(row["verdict"], expected["verdict"], "{n}");
        assert_eq!(row["failed"], expected["fail"], "{n}: failed checks");
        assert_eq!(row["indeterminate"], expected["indeterminate"], "{n}: indeterminate checks");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
