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
