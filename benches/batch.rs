//! Batch throughput per item and its physical floors, single core
//! (criterion; `cargo bench --bench batch`).
//!
//! - `ring_rsa2048_verify`: ring's raw RSA-2048 PKCS#1 v1.5 SHA-256
//!   verification of a transaction token: the floor of every token check.
//! - `ring_p256_verify`: ring's raw ECDSA P-256 verification of an OCSP
//!   response: the second floor when every token carries its own response.
//! - `item_shared_ocsp`: one batch item as `sigaudit batch` builds it from an
//!   inline manifest line (a token endpoint response with the transaction
//!   token and its OCSP response, and the signed text), verified under a
//!   policy reused across items (shared key set and anchor, warm cache), as in
//!   an archive where tokens share their key's OCSP response of the day.
//! - `item_per_token_ocsp` (needs the generated archive, see
//!   scripts/batch-bench.sh): items that each carry their own OCSP response,
//!   cycling over 2,000 distinct ones.
//!
//! The ratio item / raw RSA is the per-core efficiency the batch targets
//! (at least 85%); scripts/batch-bench.sh measures the same end to end.

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use sigaudit::{verify, Blob, Evidence, Options, Policy};
use std::path::{Path, PathBuf};

// The allocator the `sigaudit` binary uses (src/bin/sigaudit/main.rs), so an
// item here costs what it costs in `sigaudit batch`.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn vectors() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("test-vectors/scenarios/binding/text-type")
}

fn read(p: impl AsRef<Path>) -> Vec<u8> {
    std::fs::read(p.as_ref()).unwrap_or_else(|e| panic!("{}: {e}", p.as_ref().display()))
}

/// The item as the batch runner builds it from {"token", "ocsp", "text"}.
fn item(token: &str, ocsp_b64: &str, text: &str) -> Evidence {
    let json = serde_json::to_vec(&serde_json::json!({"transaction_token": token, "transaction_token_ocsp_resp": ocsp_b64})).unwrap();
    Evidence::new(vec![Blob::new("token_response.json", json), Blob::new("text.txt", text.as_bytes().to_vec())])
}

fn policy(jwks: &Path, trust: &Path, at: &str) -> Policy {
    let opts = Options { at: Some(at.into()), ..Default::default() };
    Policy::from_options(&opts, &[Blob::new("jwks.json", read(jwks))], &[Blob::new("root.pem", read(trust))]).unwrap()
}

fn archive() -> Option<PathBuf> {
    let p = std::env::var_os("SIGAUDIT_BATCH_ARCHIVE")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/batch-bench/archive"));
    p.join("manifest-per-token.jsonl").is_file().then_some(p)
}

fn benches(c: &mut Criterion) {
    let mut g = c.benchmark_group("batch");
    g.throughput(Throughput::Elements(1));
    let dir = vectors();
    let token = String::from_utf8(read(dir.join("input/transaction_token.jwt"))).unwrap().trim().to_string();
    let ocsp = read(dir.join("input/transaction_token.ocsp"));
    let text = String::from_utf8(read(dir.join("input/signed_text.txt"))).unwrap();
    let jwks = dir.join("keys/transact_jwks.json");
    let trust = dir.join("trust/oces_root.pem");

    // The floors.
    {
        let (input, sig) = token.rsplit_once('.').unwrap();
        let sig = sigaudit::encoding::b64url_decode(sig).unwrap();
        let keys: serde_json::Value = serde_json::from_slice(&read(&jwks)).unwrap();
        let k = &keys["keys"][0];
        let n = sigaudit::encoding::b64url_decode(k["n"].as_str().unwrap()).unwrap();
        let e = sigaudit::encoding::b64url_decode(k["e"].as_str().unwrap()).unwrap();
        let key = ring::signature::RsaPublicKeyComponents { n: n.clone(), e: e.clone() };
        key.verify(&ring::signature::RSA_PKCS1_2048_8192_SHA256, input.as_bytes(), &sig).unwrap();
        g.bench_function("ring_rsa2048_verify", |b| {
            b.iter(|| key.verify(&ring::signature::RSA_PKCS1_2048_8192_SHA256, black_box(input.as_bytes()), black_box(&sig)).unwrap())
        });
        let resp = sigaudit::ocsp::parse(&ocsp).unwrap();
        let basic = resp.basic.unwrap();
        let responder = basic.certs[0].clone();
        let sigaudit::crypto::PublicKey::Ec { point, .. } = &responder.key else { panic!("an EC responder") };
        let pk = ring::signature::UnparsedPublicKey::new(&ring::signature::ECDSA_P256_SHA256_ASN1, point.clone());
        pk.verify(&basic.tbs, &basic.signature).unwrap();
        g.bench_function("ring_p256_verify", |b| b.iter(|| pk.verify(black_box(&basic.tbs), black_box(&basic.signature)).unwrap()));
    }

    // One item, shared OCSP response, warm cache.
    {
        let policy = policy(&jwks, &trust, "2025-03-10T09:00:02Z");
        let ev = item(&token, &sigaudit::encoding::b64_encode(&ocsp), &text);
        let report = verify(&ev, &policy);
        assert_eq!(report.verdict(), sigaudit::Status::Pass, "{}", report.to_json());
        g.bench_function("item_shared_ocsp", |b| b.iter(|| verify(black_box(&ev), &policy)));
    }

    // Items that each carry their own OCSP response (from the generated archive).
    if let Some(dir) = archive() {
        let policy = policy(&dir.join("jwks.json"), &dir.join("oces_root.pem"), "signing");
        let file = std::fs::File::open(dir.join("manifest-per-token.jsonl")).unwrap();
        let items: Vec<Evidence> = std::io::BufRead::lines(std::io::BufReader::new(file))
            .take(2000)
            .map(|l| {
                let v: serde_json::Value = serde_json::from_str(&l.unwrap()).unwrap();
                item(v["token"].as_str().unwrap(), v["ocsp"].as_str().unwrap(), v["text"].as_str().unwrap())
            })
            .collect();
        let mut i = 0;
        g.bench_function("item_per_token_ocsp", |b| {
            b.iter(|| {
                i = (i + 1) % items.len();
                verify(black_box(&items[i]), &policy)
            })
        });
    } else {
        eprintln!("batch/item_per_token_ocsp: skipped (no archive; run scripts/batch-bench.sh or scripts/gen_batch_archive.py first)");
    }
    g.finish();
}

criterion_group!(name = group; config = Criterion::default().sample_size(30); targets = benches);
criterion_main!(group);
