//! The physical floors of a batch audit, measured on this machine: ring's raw
//! RSA-2048 (RS256) verification of a transaction token and ECDSA P-256
//! verification of an OCSP response, each in a loop on N threads.
//!
//!     cargo run --release --example ring_rate -- ARCHIVE_DIR [SECONDS] [THREADS]
//!
//! ARCHIVE_DIR holds jwks.json and manifest-per-token.jsonl (or
//! manifest-shared.jsonl), as scripts/gen_batch_archive.py writes them. Prints
//! one JSON object: verifications per wall-clock second over all threads, and
//! per CPU second of the process (user + system, from /proc/self/stat on
//! Linux). On a shared machine the per-CPU-second rate is the one to set
//! against sigaudit's items per CPU second: both then count only the time the
//! work actually had a core.

use serde_json::Value;
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dir = std::path::PathBuf::from(args.get(1).expect("usage: ring_rate ARCHIVE_DIR [SECONDS] [THREADS]"));
    let seconds: f64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(5.0);
    let threads: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(1);
    let manifest = ["manifest-per-token.jsonl", "manifest-shared.jsonl"].iter().map(|m| dir.join(m)).find(|p| p.is_file()).expect("no manifest");
    let first = std::io::BufRead::lines(std::io::BufReader::new(std::fs::File::open(&manifest).unwrap())).next().unwrap().unwrap();
    let item: Value = serde_json::from_str(&first).unwrap();
    let token = item["token"].as_str().unwrap().to_string();
    let jwks: Value = serde_json::from_slice(&std::fs::read(dir.join("jwks.json")).unwrap()).unwrap();
    let (input, sig) = token.rsplit_once('.').unwrap();
    let header: Value = serde_json::from_slice(&sigaudit::encoding::b64url_decode(input.split('.').next().unwrap()).unwrap()).unwrap();
    let key = jwks["keys"].as_array().unwrap().iter().find(|k| k["kid"] == header["kid"]).expect("kid in jwks");
    let n = sigaudit::encoding::b64url_decode(key["n"].as_str().unwrap()).unwrap();
    let e = sigaudit::encoding::b64url_decode(key["e"].as_str().unwrap()).unwrap();
    let sig = sigaudit::encoding::b64url_decode(sig).unwrap();
    let input = input.as_bytes().to_vec();

    let ocsp = sigaudit::encoding::b64_decode_lenient_ws(item["ocsp"].as_str().unwrap()).unwrap();
    let basic = sigaudit::ocsp::parse(&ocsp).unwrap().basic.unwrap();
    let sigaudit::crypto::PublicKey::Ec { point, .. } = &basic.certs[0].key else { panic!("an EC responder") };
    let (tbs, osig, point) = (basic.tbs.clone(), basic.signature.clone(), point.clone());

    let run = |what: &'static str| -> (f64, Option<f64>) {
        let cpu_start = cpu_seconds();
        let start = Instant::now();
        let total: u64 = std::thread::scope(|s| {
            let hs: Vec<_> = (0..threads)
                .map(|_| {
                    s.spawn(|| {
                        let mut count = 0u64;
                        let rsa = ring::signature::RsaPublicKeyComponents { n: n.as_slice(), e: e.as_slice() };
                        let ec = ring::signature::UnparsedPublicKey::new(&ring::signature::ECDSA_P256_SHA256_ASN1, point.as_slice());
                        while start.elapsed() < Duration::from_secs_f64(seconds) {
                            for _ in 0..64 {
                                if what == "rsa" {
                                    rsa.verify(&ring::signature::RSA_PKCS1_2048_8192_SHA256, &input, &sig).unwrap();
                                } else {
                                    ec.verify(&tbs, &osig).unwrap();
                                }
                            }
                            count += 64;
                        }
                        count
                    })
                })
                .collect();
            hs.into_iter().map(|h| h.join().unwrap()).sum()
        });
        let wall = total as f64 / start.elapsed().as_secs_f64();
        let cpu = cpu_start.zip(cpu_seconds()).map(|(a, b)| b - a).filter(|d| *d > 0.0).map(|d| total as f64 / d);
        (wall, cpu)
    };
    let (rsa, rsa_cpu) = run("rsa");
    let (p256, p256_cpu) = run("p256");
    println!(
        "{}",
        serde_json::json!({
            "threads": threads, "seconds": seconds,
            "rsa2048_verify_per_second": rsa.round(), "p256_verify_per_second": p256.round(),
            "rsa2048_verify_per_cpu_second": rsa_cpu.map(f64::round), "p256_verify_per_cpu_second": p256_cpu.map(f64::round),
        })
    );
}

/// User + system CPU seconds of this process so far (fields 14 and 15 of
/// /proc/self/stat, in clock ticks of 1/100 s on Linux), or None elsewhere.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The command name (field 2) is in parentheses and may hold spaces.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}
