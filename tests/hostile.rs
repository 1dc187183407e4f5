//! Hostile inputs: every small vector truncated at every byte, and every byte of
//! the JWS, OCSP and CMS vectors flipped. No panic, bounded time, and a report
//! that says what is wrong: a truncated file never passes, a flipped byte of a
//! signed artifact never passes.

mod common;

use sigaudit::report::Status;
use sigaudit::{verify, Blob, Evidence, Options, Policy};
use std::path::Path;
use std::time::{Duration, Instant};

/// A generous bound against hangs, not a performance target (benchmarks measure speed).
const PER_CALL: Duration = Duration::from_secs(5);

fn read(rel: &str) -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn policy(at: &str, env: Option<&str>, trust: Option<&str>) -> Policy {
    let trust: Vec<Blob> = trust.map(|t| vec![Blob::new(t, read(t))]).unwrap_or_default();
    Policy::from_options(&Options { at: Some(at.into()), env: env.map(str::to_string), ..Default::default() }, &[], &trust).unwrap()
}

/// Verifies `target` (mutated) together with the unchanged `others`.
fn run(name: &str, target: Vec<u8>, others: &[(String, Vec<u8>)], policy: &Policy) -> Status {
    let mut blobs = vec![Blob::new(name, target)];
    blobs.extend(others.iter().map(|(n, b)| Blob::new(n.clone(), b.clone())));
    let start = Instant::now();
    let report = verify(&Evidence::new(blobs), policy);
    assert!(start.elapsed() < PER_CALL, "{name}: took {:?}", start.elapsed());
    // The JSON must always serialise.
    assert!(report.to_json().contains("\"verdict\""));
    report.verdict()
}

struct Case {
    target: &'static str,
    others: &'static [&'static str],
    at: &'static str,
    env: Option<&'static str>,
    trust: Option<&'static str>,
}

const CASES: &[Case] = &[
    Case {
        target: "test-vectors/real/ciba_token_response.json",
        others: &["test-vectors/real/pp_jwks_2024.json"],
        at: "2024-05-07T13:10:55Z",
        env: Some("pp"),
        trust: None,
    },
    Case {
        target: "test-vectors/real/pp_jwks_2024.json",
        others: &["test-vectors/real/ciba_token_response.json"],
        at: "2024-05-07T13:10:55Z",
        env: None,
        trust: None,
    },
    Case {
        target: "test-vectors/scenarios/ocsp/good/openssl/response.ocsp",
        others: &["test-vectors/scenarios/ocsp/good/openssl/leaf.pem", "test-vectors/scenarios/ocsp/good/openssl/issuer.pem"],
        at: "2025-03-10T09:00:02Z",
        env: None,
        trust: Some("test-vectors/scenarios/ocsp/good/trust/oces_root.pem"),
    },
    Case { target: "test-vectors/scenarios/ocsp/good/openssl/leaf.pem", others: &[], at: "2025-03-10T09:00:02Z", env: None, trust: None },
];

#[test]
fn truncation_at_every_byte_never_passes() {
    for case in CASES {
        let full = read(case.target);
        let others: Vec<(String, Vec<u8>)> = case.others.iter().map(|o| (o.to_string(), read(o))).collect();
        let policy = policy(case.at, case.env, case.trust);
        let complete = run(case.target, full.clone(), &others, &policy);
        for cut in 0..full.len() {
            let status = run(case.target, full[..cut].to_vec(), &others, &policy);
            // Cutting the whitespace after the last brace or the PEM's final newline changes nothing.
            let meaningful = full[cut..].iter().any(|b| !b.is_ascii_whitespace());
            if meaningful {
                assert!(status != Status::Pass || complete != Status::Pass, "{} cut at {cut} of {} still passes", case.target, full.len());
            }
        }
    }
}

#[test]
fn flipping_any_byte_of_a_signed_token_or_ocsp_response_never_passes() {
    // The token response and the OCSP response are signed objects: every byte matters.
    for case in [&CASES[0], &CASES[2]] {
        let full = read(case.target);
        let others: Vec<(String, Vec<u8>)> = case.others.iter().map(|o| (o.to_string(), read(o))).collect();
        let policy = policy(case.at, case.env, case.trust);
        assert_eq!(run(case.target, full.clone(), &others, &policy), Status::Pass, "{} must pass unchanged", case.target);
        for i in 0..full.len() {
            // JSON whitespace and the member names around the tokens carry no signature.
            if case.target.ends_with(".json") && !inside_token(&full, i) {
                continue;
            }
            let mut flipped = full.clone();
            flipped[i] ^= 0x01;
            let status = run(case.target, flipped, &others, &policy);
            assert!(status != Status::Pass, "{}: flipping byte {i} still passes", case.target);
        }
    }
}

/// Whether byte `i` of a token response is inside the id_token or access_token string.
fn inside_token(json: &[u8], i: usize) -> bool {
    let text = String::from_utf8_lossy(json);
    ["\"id_token\": \"", "\"access_token\": \""].iter().any(|key| {
        text.find(key).is_some_and(|start| {
            let from = start + key.len();
            let end = from + text[from..].find('"').unwrap_or(0);
            (from..end).contains(&i)
        })
    })
}

#[test]
fn flipping_any_byte_of_a_cms_signature_never_verifies() {
    use sigaudit::cms::signer::{find_signer_certificate, verify_signature};
    for fixture in ["src/cms/testdata/detached-der.p7s", "src/cms/testdata/attached-ber.p7s"] {
        let full = read(fixture);
        let content = read("src/cms/testdata/content.txt");
        let digest = sigaudit::crypto::sha256(&content).to_vec();
        let verifies = |bytes: &[u8]| -> bool {
            let Ok(sd) = sigaudit::cms::parse(bytes) else { return false };
            let [si] = sd.signer_infos.as_slice() else { return false };
            if !sigaudit::cms::signer::consistency_problems(&sd, si).is_empty() {
                return false;
            }
            let Some(cert) = find_signer_certificate(&sd, si, &[]) else { return false };
            // Integrity and signature, as a PDF or sign-service check would judge them.
            sigaudit::cms::attributes::message_digest(si).ok().flatten() == Some(digest.clone())
                && sigaudit::cms::attributes::signing_certificate(si)
                    .ok()
                    .flatten()
                    .is_some_and(|(ids, _)| ids.iter().any(|id| id.hash == sigaudit::crypto::sha256(&cert.der).to_vec()))
                && verify_signature(si, &cert, None).is_ok()
        };
        assert!(verifies(&full), "{fixture} must verify unchanged");
        for i in 0..full.len() {
            let mut flipped = full.clone();
            flipped[i] ^= 0x01;
            let start = Instant::now();
            let ok = verifies(&flipped);
            assert!(start.elapsed() < PER_CALL);
            // The certificate set is unsigned, but the signer certificate is bound by ESS and the
            // signature: a flip there still fails. Only a flip in a certificate the signer does not
            // use could pass; this fixture has none.
            assert!(!ok, "{fixture}: flipping byte {i} still verifies");
        }
        for cut in 0..full.len() {
            assert!(sigaudit::cms::parse(&full[..cut]).is_err() || !verifies(&full[..cut]));
        }
    }
}

/// Files up to this size are truncated at every byte by the sweep below.
const SMALL: usize = 4 * 1024;

/// Every byte in release builds (`cargo test --release --test hostile`, a CI
/// step of its own: about 30 s); every 9th byte in unoptimised builds, where
/// the full sweep takes minutes.
const STRIDE: usize = if cfg!(debug_assertions) { 9 } else { 1 };

/// Every distinct small evidence file of every scenario (94 files, about
/// 128 KB at the time of writing), truncated at every byte and verified in its
/// scenario's bundle under its scenario's options: no panic, bounded time, a
/// report that serialises; and when the scenario passes complete, no
/// truncation that removes more than trailing whitespace passes. Each distinct
/// file (by content) is swept once, in the first scenario that passes with it
/// (else the first that has it).
#[test]
fn every_small_vector_truncated_at_every_byte() {
    use std::collections::BTreeMap;
    // content -> (scenario dir, input index, complete verdict)
    let mut chosen: BTreeMap<Vec<u8>, (std::path::PathBuf, usize, Status)> = BTreeMap::new();
    for dir in common::scenarios() {
        let sc = common::Scenario::load(&dir);
        let policy = sc.policy();
        let complete = verify(&sc.evidence(), &policy).verdict();
        for (i, name) in sc.inputs.iter().enumerate() {
            let bytes = std::fs::read(dir.join(name)).unwrap();
            if bytes.len() > SMALL {
                continue;
            }
            let better = match chosen.get(&bytes) {
                None => true,
                Some((_, _, v)) => *v != Status::Pass && complete == Status::Pass,
            };
            if better {
                chosen.insert(bytes, (dir.clone(), i, complete));
            }
        }
    }
    assert!(chosen.len() >= 50, "only {} small vectors found", chosen.len());
    let (mut cuts, mut swept_passing) = (0usize, 0usize);
    let mut still_passing = Vec::new();
    for (bytes, (dir, index, complete)) in &chosen {
        let sc = common::Scenario::load(dir);
        let policy = sc.policy();
        let evidence = sc.evidence();
        if *complete == Status::Pass {
            swept_passing += 1;
        }
        for cut in (0..bytes.len()).step_by(STRIDE) {
            let mut blobs = evidence.blobs.clone();
            blobs[*index] = Blob::new(blobs[*index].name.clone(), bytes[..cut].to_vec());
            let start = Instant::now();
            let outcome = std::panic::catch_unwind(|| verify(&Evidence::new(blobs), &policy));
            let Ok(report) = outcome else { panic!("{} / {}: panicked when cut at {cut}", sc.name, sc.inputs[*index]) };
            assert!(start.elapsed() < PER_CALL, "{} / {} cut at {cut}: took {:?}", sc.name, sc.inputs[*index], start.elapsed());
            assert!(report.to_json().contains("\"verdict\""));
            let meaningful = bytes[cut..].iter().any(|b| !b.is_ascii_whitespace());
            if *complete == Status::Pass && meaningful && report.verdict() == Status::Pass {
                still_passing.push(format!("{} / {} cut at {cut} of {}", sc.name, sc.inputs[*index], bytes.len()));
            }
            cuts += 1;
        }
    }
    eprintln!("truncated {} small vectors ({swept_passing} in passing scenarios) at {cuts} places", chosen.len());
    assert!(still_passing.is_empty(), "{} truncations still pass:\n{}", still_passing.len(), still_passing.join("\n"));
}

/// Every `PDF_STRIDE`-th cut in release builds is every byte.
const PDF_STRIDE: usize = if cfg!(debug_assertions) { 23 } else { 1 };

/// A signed PDF (PAdES B-LT, passing under its scenario's anchor) cut short
/// at every byte never passes: a cut inside the signature's revision leaves a
/// file whose last complete revision is the unsigned original, followed by
/// an unfinished update (pdf.structure warns) and with no signature of its
/// own (pdf.signatures is indeterminate); a cut earlier breaks the structure.
#[test]
fn a_signed_pdf_truncated_anywhere_never_passes() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("test-vectors/scenarios/pades/b-lt");
    let sc = common::Scenario::load(&dir);
    let policy = sc.policy();
    let evidence = sc.evidence();
    assert_eq!(evidence.blobs.len(), 1);
    assert_eq!(verify(&evidence, &policy).verdict(), Status::Pass, "the complete PDF must pass");
    let full = evidence.blobs[0].bytes.clone();
    let mut passing = Vec::new();
    for cut in (0..full.len()).step_by(PDF_STRIDE) {
        if !full[cut..].iter().any(|b| !b.is_ascii_whitespace()) {
            continue;
        }
        let status = run(&sc.inputs[0], full[..cut].to_vec(), &[], &policy);
        if status == Status::Pass {
            passing.push(cut);
        }
    }
    assert!(passing.is_empty(), "cuts of {} bytes still pass at {:?}", full.len(), &passing[..passing.len().min(20)]);
}

/// The cut that removes exactly the signature's incremental update leaves
/// the complete unsigned original: its structure passes, and on its own it
/// is indeterminate (nothing signs it), not a pass.
#[test]
fn an_unsigned_pdf_alone_is_indeterminate_and_a_cut_update_is_named() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("test-vectors/scenarios/pades/b-b");
    let sc = common::Scenario::load(&dir);
    let full = sc.evidence().blobs[0].bytes.clone();
    let eof = full.windows(5).position(|w| w == b"%%EOF").expect("a first %%EOF") + 5;
    let policy = sc.policy();
    let report = |bytes: &[u8]| verify(&Evidence::new(vec![Blob::new("kontrakt.pdf", bytes.to_vec())]), &policy);
    let ids = |r: &sigaudit::Report, s: &str| common::ids_by_status(&serde_json::from_str(&r.to_json()).unwrap()).get(s).cloned().unwrap_or_default();

    let original = report(&full[..eof + 1]);
    assert_eq!(original.verdict(), Status::Indeterminate);
    assert!(ids(&original, "indeterminate").contains("pdf.signatures"));
    assert!(!ids(&original, "warn").contains("pdf.structure"));
    assert!(original.to_json().contains("has no signatures, and nothing in the evidence commits to it"));

    let cut = report(&full[..eof + 1 + (full.len() - eof) / 2]);
    assert_eq!(cut.verdict(), Status::Indeterminate);
    assert!(ids(&cut, "warn").contains("pdf.structure"));
    assert!(cut.to_json().contains("the file is probably truncated"), "{}", cut.to_json());
}
