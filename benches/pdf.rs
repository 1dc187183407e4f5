//! PDF inspection speed against the floor: one hardware-accelerated SHA-256
//! pass over the same bytes (`cargo bench --bench pdf`).
//!
//! Inputs are made by `scripts/make-big-pdf.py` (not committed: 100 MB):
//!
//! ```sh
//! python3 scripts/make-big-pdf.py target/bench/big.pdf --typical target/bench/typical.pdf
//! cargo bench --bench pdf
//! ```
//!
//! Method: the file is read into memory once; each iteration runs
//! `sigaudit::verify` on it (detection, structure, signature, CMS, timestamp,
//! chain, revocation data, changes after signing, embedded files) on one
//! thread, and is compared with `ring`'s SHA-256 over the same bytes, which is
//! the physical floor of checking a signature that covers the whole file.

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use sigaudit::{verify, Blob, Evidence, Options, Policy};
use std::path::Path;

fn benches(c: &mut Criterion) {
    let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/target/bench"));
    let trust = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/test-vectors/scenarios/pades/b-lt/trust/oces_root.pem"));
    let trust = vec![Blob::new("oces_root.pem", std::fs::read(trust).unwrap())];
    let opts = Options { at: Some("2025-03-10T10:05:00Z".into()), ..Default::default() };
    let policy = Policy::from_options(&opts, &[], &trust).unwrap();
    for (name, file, samples) in [("typical_200kb", "typical.pdf", 50), ("big_100mb", "big.pdf", 10)] {
        let path = dir.join(file);
        let Ok(bytes) = std::fs::read(&path) else {
            eprintln!("skipping {name}: {} is missing (run scripts/make-big-pdf.py, see the header)", path.display());
            continue;
        };
        let evidence = Evidence::new(vec![Blob::new(file, bytes.clone())]);
        let verdict = verify(&evidence, &policy).verdict();
        assert_eq!(verdict, sigaudit::Status::Pass, "{name} must verify");
        let mut g = c.benchmark_group(name);
        g.sample_size(samples);
        g.throughput(Throughput::Bytes(bytes.len() as u64));
        g.bench_function("sha256_floor", |b| b.iter(|| ring::digest::digest(&ring::digest::SHA256, black_box(&bytes))));
        g.bench_function("verify", |b| b.iter(|| verify(black_box(&evidence), &policy)));
        g.finish();
    }
}

criterion_group!(group, benches);
criterion_main!(group);
