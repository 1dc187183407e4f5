//! Native side of the wasm-vs-native comparison (`scripts/bench-wasm.mjs`):
//! times `sigaudit::verify` on one bundle, in process, like the wasm side does.
//!
//!     cargo run --release --example speed -- ITERATIONS AT [--trust PEM] [--env pp] FILE...
//!
//! Prints the mean microseconds per verification after one warm-up run.

use sigaudit::{verify, Blob, Evidence, Options, Policy};
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let n: u32 = args.next().and_then(|a| a.parse().ok()).expect("ITERATIONS");
    let at = args.next().expect("AT");
    let (mut trust, mut env, mut files) = (Vec::new(), None, Vec::new());
    while let Some(a) = args.next() {
        match a.as_str() {
            "--trust" => {
                let p = args.next().expect("--trust PEM");
                trust.push(Blob::new(p.clone(), std::fs::read(&p).expect("trust file")));
            }
            "--env" => env = args.next(),
            f => files.push(Blob::new(f, std::fs::read(f).expect("input file"))),
        }
    }
    let options = Options { at: Some(at), env, ..Default::default() };
    let evidence = Evidence::new(files);
    // Per call, like the JS API and the CLI: options checked and key/anchor files parsed, then verify.
    let run = || verify(&evidence, &Policy::from_options(&options, &[], &trust).expect("options")).to_json();
    let verdict = verify(&evidence, &Policy::from_options(&options, &[], &trust).expect("options")).verdict();
    let start = Instant::now();
    for _ in 0..n {
        std::hint::black_box(run());
    }
    let us = start.elapsed().as_secs_f64() * 1e6 / n as f64;
    println!("{{\"verdict\":\"{}\",\"us_per_verify\":{us:.1}}}", verdict.as_str());
}
