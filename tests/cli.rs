//! The command line: exit codes, error messages that name the file, --extract.

use std::process::Command;

fn sigaudit(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_sigaudit")).args(args).current_dir(env!("CARGO_MANIFEST_DIR")).output().expect("run sigaudit")
}

#[test]
fn unreadable_file_exits_2_naming_it() {
    let out = sigaudit(&["verify", "no/such/file.jwt", "--at", "2025-01-01T00:00:00Z"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no/such/file.jwt"), "{err}");
}

#[test]
fn bad_options_exit_2_with_the_reason() {
    for (args, needle) in [
        (vec!["--at", "yesterday"], "yesterday"),
        (vec!["--env", "staging"], "staging"),
        (vec!["--min-level", "extreme"], "extreme"),
        (vec!["--trust", "test-vectors/real/ciba_token_response.json"], "ciba_token_response.json"),
        (vec!["--jwks", "test-vectors/real/PROVENANCE.md"], "PROVENANCE.md"),
    ] {
        let mut all = vec!["verify", "test-vectors/real/ciba_token_response.json"];
        if !args.contains(&"--at") {
            all.extend(["--at", "2024-05-07T13:10:55Z"]);
        }
        all.extend(args.iter().copied());
        let out = sigaudit(&all);
        assert_eq!(out.status.code(), Some(2), "{all:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains(needle), "{all:?}: {}", String::from_utf8_lossy(&out.stderr));
    }
}

#[test]
fn the_must_show_commands() {
    let base = ["verify", "test-vectors/real/ciba_token_response.json", "test-vectors/real/pp_jwks_2024.json", "--env", "pp"];
    let at = sigaudit(&[&base[..], &["--at", "2024-05-07T13:10:55Z"]].concat());
    assert_eq!(at.status.code(), Some(0));
    let text = String::from_utf8_lossy(&at.stdout);
    assert!(text.contains("PASS: all"), "{text}");
    assert_eq!(text.matches("jws.signature").count(), 2, "both tokens' signatures are shown");
    assert!(text.contains("jwt.at_hash"));
    // Without --at: now, years after the tokens expired.
    let now = sigaudit(&base);
    assert_eq!(now.status.code(), Some(3), "{}", String::from_utf8_lossy(&now.stdout));
}

#[test]
fn extract_writes_embedded_files() {
    let dir = std::env::temp_dir().join(format!("sigaudit-extract-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let pdf = "test-vectors/scenarios/pades/broker-sealed-workflow/input/Lejeaftale_Testvej_1_forseglet.pdf";
    let out = sigaudit(&["verify", pdf, "--at", "2025-03-10T10:05:00Z", "--format", "json", "--extract", dir.to_str().unwrap()]);
    assert!(out.status.code().is_some_and(|c| c != 2), "{}", String::from_utf8_lossy(&out.stderr));
    let sub = dir.join("Lejeaftale_Testvej_1_forseglet.pdf");
    for name in ["workflow_token.jwt", "workflow_token_pub.pem", "workflow_token.ocsp"] {
        assert!(sub.join(name).is_file(), "{name} not extracted");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn checks_lists_every_id() {
    let out = sigaudit(&["checks"]);
    let text = String::from_utf8_lossy(&out.stdout);
    for id in sigaudit::CheckId::ALL {
        assert!(text.contains(id.as_str()), "{id}");
    }
}

/// `--audience` may be repeated: a workflow bundle holds a workflow token for
/// the organisation TIN and a signer's transaction token for the client id,
/// and any expected value passes `jwt.aud`; `verify` and `batch` alike.
#[test]
fn audience_may_be_repeated() {
    const CLIENT: &str = "0a775a87-878c-4b83-abe3-ee29c0c6c5fc";
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("test-vectors/scenarios/binding/workflow-audience-client-and-tin");
    let run = |cmd: &str, audiences: &[&str]| {
        let mut args = vec![cmd, "input", "--at", "2025-03-10T09:16:00Z", "--jwks", "keys/transact_jwks.json", "--trust", "trust/oces_root.pem"];
        for a in audiences {
            args.extend(["--audience", a]);
        }
        args.extend(if cmd == "verify" { ["--format", "json"] } else { ["--format", "jsonl"] });
        Command::new(env!("CARGO_BIN_EXE_sigaudit")).args(&args).current_dir(&dir).output().expect("run sigaudit")
    };
    let both = run("verify", &[CLIENT, "DK29915938"]);
    assert_eq!(both.status.code(), Some(0), "{}", String::from_utf8_lossy(&both.stderr));
    let report: serde_json::Value = serde_json::from_slice(&both.stdout).unwrap();
    assert_eq!(report["policy"]["audience"], serde_json::json!([CLIENT, "DK29915938"]));
    let client_only = run("verify", &[CLIENT]);
    assert_eq!(client_only.status.code(), Some(1), "the workflow token's aud is the TIN");
    let report: serde_json::Value = serde_json::from_slice(&client_only.stdout).unwrap();
    assert_eq!(report["policy"]["audience"], serde_json::json!([CLIENT]));

    let batch = run("batch", &[CLIENT, "DK29915938"]);
    assert_eq!(batch.status.code(), Some(0), "{}", String::from_utf8_lossy(&batch.stdout));
    let batch = run("batch", &[CLIENT]);
    assert_eq!(batch.status.code(), Some(1), "{}", String::from_utf8_lossy(&batch.stdout));
    let row: serde_json::Value = serde_json::from_slice(&batch.stdout).unwrap();
    assert_eq!(row["failed"], serde_json::json!(["jwt.aud"]));

    let empty = run("verify", &[CLIENT, ""]);
    assert_eq!(empty.status.code(), Some(2));
    assert_eq!(String::from_utf8_lossy(&empty.stderr).trim(), "sigaudit: audience must not be empty");
}
