//! Verification throughput, single core (criterion; `cargo bench --bench verify`).
//!
//! Method: every input is read once before timing; each iteration runs the
//! public API exactly as a caller would (`sigaudit::verify` on an evidence
//! bundle, or the OCSP check on a parsed certificate pair), on one thread.
//! The inputs are the committed test vectors, so anyone can reproduce the numbers.
//!
//! - `ring_rsa2048_verify`: the raw RSA-2048 PKCS#1 v1.5 SHA-256 verification,
//!   the physical floor of every token check.
//! - `ocsp_check`: one OCSP response judged for a transaction-signing
//!   certificate (parse, CertID, status, freshness, nonce, ECDSA P-256 signature,
//!   responder authorisation with its RSA-PSS certificate signature).
//! - `transaction_token_full`: the whole bundle of `ocsp/good`: detection, JWS
//!   RS256, chain to the OCES-like root (two RSA-PSS certificate signatures),
//!   OCSP, and the PDF's SHA-256 bound to `transaction_text_sha256`.
//! - `ciba_response`: the real PP CIBA response (two RS256 tokens, pin, at_hash).

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use sigaudit::ocsp::verify::{check_ocsp, OcspContext};
use sigaudit::x509::Certificate;
use sigaudit::{verify, Blob, Evidence, Options, Policy};
use std::path::Path;
use std::sync::Arc;

fn vectors() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/test-vectors"))
}

fn read(rel: &str) -> Vec<u8> {
    std::fs::read(vectors().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn pem_cert(rel: &str) -> Arc<Certificate> {
    let blob = Blob::new(rel, read(rel));
    sigaudit::policy::load_certificates(&blob).unwrap().remove(0)
}

fn bundle(dir: &str) -> Evidence {
    let mut blobs = Vec::new();
    let mut names: Vec<_> = std::fs::read_dir(vectors().join(dir)).unwrap().map(|e| e.unwrap().path()).collect();
    names.sort();
    for p in names {
        blobs.push(Blob::new(p.file_name().unwrap().to_string_lossy(), std::fs::read(&p).unwrap()));
    }
    Evidence::new(blobs)
}

fn benches(c: &mut Criterion) {
    let mut g = c.benchmark_group("verify");
    g.throughput(Throughput::Elements(1));

    // The floor: ring's RSA-2048 verification of the real id_token.
    {
        let ev = bundle("real");
        let resp: serde_json::Value = serde_json::from_slice(&ev.blobs.iter().find(|b| b.name == "ciba_token_response.json").unwrap().bytes).unwrap();
        let token = resp["id_token"].as_str().unwrap().to_string();
        let (input, sig) = token.rsplit_once('.').unwrap();
        let sig = sigaudit::encoding::b64url_decode(sig).unwrap();
        let cert = Certificate::from_der(include_bytes!("../src/env/pp_token_signing_1.der")).unwrap();
        let sigaudit::crypto::PublicKey::Rsa { n, e } = &cert.key else { panic!("RSA key expected") };
        let key = ring::signature::RsaPublicKeyComponents { n: n.clone(), e: e.clone() };
        g.bench_function("ring_rsa2048_verify", |b| {
            b.iter(|| key.verify(&ring::signature::RSA_PKCS1_2048_8192_SHA256, black_box(input.as_bytes()), black_box(&sig)).unwrap())
        });
    }

    // One OCSP response.
    {
        let der = read("scenarios/ocsp/good/openssl/response.ocsp");
        let leaf = pem_cert("scenarios/ocsp/good/openssl/leaf.pem");
        let issuer = pem_cert("scenarios/ocsp/good/openssl/issuer.pem");
        let ctx = OcspContext {
            cert: &leaf,
            issuer: Some(&issuer),
            above: std::slice::from_ref(&issuer),
            pool: &[],
            anchors: &[],
            path_anchor: None,
            signing_time: Some(sigaudit::time::UnixTime::parse_rfc3339("2025-03-10T09:00:00Z").unwrap()),
            validation_time: sigaudit::time::UnixTime::parse_rfc3339("2025-03-10T09:00:02Z").unwrap(),
            expected_nonce: None,
            skew: 300,
            archival: false,
        };
        let (node, _) = check_ocsp(&der, "bench", &ctx);
        assert!(node.verdict() != Some(sigaudit::Status::Fail), "the benchmark response must verify");
        g.bench_function("ocsp_check", |b| b.iter(|| check_ocsp(black_box(&der), "bench", &ctx)));
    }

    // A whole transaction-token bundle, and the real CIBA response.
    for (name, dir, opts, jwks, trust) in [
        (
            "transaction_token_full",
            "scenarios/ocsp/good/input",
            "2025-03-10T09:00:02Z",
            Some("scenarios/ocsp/good/keys/transact_jwks.json"),
            Some("scenarios/ocsp/good/trust/oces_root.pem"),
        ),
        ("ciba_response", "real", "2024-05-07T13:10:55Z", None, None),
    ] {
        let ev = bundle(dir);
        let trust: Vec<Blob> = trust.map(|t| vec![Blob::new(t, read(t))]).unwrap_or_default();
        let jwks: Vec<Blob> = jwks.map(|t| vec![Blob::new(t, read(t))]).unwrap_or_default();
        let env = if trust.is_empty() { Some("pp".to_string()) } else { None };
        let policy = Policy::from_options(&Options { at: Some(opts.into()), env, ..Default::default() }, &jwks, &trust).unwrap();
        let verdict = verify(&ev, &policy).verdict();
        assert!(matches!(verdict, sigaudit::Status::Pass | sigaudit::Status::Warn), "{name}: {verdict:?}");
        g.bench_function(name, |b| b.iter(|| verify(black_box(&ev), &policy)));
    }
    g.finish();
}

criterion_group!(name = group; config = Criterion::default().sample_size(50); targets = benches);
criterion_main!(group);
