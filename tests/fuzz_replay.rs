//! Replays the committed fuzz inputs without fuzzing (stable `cargo test`):
//! every file under `fuzz/regressions/<target>/` (minimised crashers, hangs and
//! memory blow-ups found so far) and `fuzz/seeds/<target>/` (a minimised seed
//! corpus) goes through `sigaudit::fuzzing::run`, the same harness the
//! libFuzzer target `fuzz/fuzz_targets/<target>.rs` calls. Each input must
//! neither panic nor take longer than the budget.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Per input: 5 s in release (`cargo test --release`); unoptimised builds are
/// 10-30 times slower, so they get more.
fn budget() -> Duration {
    if cfg!(debug_assertions) {
        Duration::from_secs(60)
    } else {
        Duration::from_secs(5)
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz")
}

/// The input files of `fuzz/<kind>/<target>/`, skipping dot files and READMEs.
fn inputs(kind: &str, target: &str) -> Vec<PathBuf> {
    let dir = root().join(kind).join(target);
    let Ok(rd) = std::fs::read_dir(&dir) else { return Vec::new() };
    let mut out: Vec<PathBuf> = rd
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.is_file())
        .filter(|p| {
            let n = p.file_name().unwrap_or_default().to_string_lossy();
            !n.starts_with('.') && !n.eq_ignore_ascii_case("README.md")
        })
        .collect();
    out.sort();
    out
}

fn replay(target: &str) {
    let regressions = inputs("regressions", target);
    let seeds = inputs("seeds", target);
    assert!(!seeds.is_empty(), "fuzz/seeds/{target}/ holds no inputs: nothing to replay");
    let budget = budget();
    let mut failures = Vec::new();
    let mut replayed = 0;
    for path in regressions.iter().chain(&seeds) {
        let data = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let start = Instant::now();
        let outcome = catch_unwind(AssertUnwindSafe(|| sigaudit::fuzzing::run(target, &data)));
        let took = start.elapsed();
        replayed += 1;
        if outcome.is_err() {
            failures.push(format!("{}: panicked", path.display()));
        } else if took > budget {
            failures.push(format!("{}: took {took:?}, over the {budget:?} budget", path.display()));
        }
    }
    assert!(replayed > 0, "nothing replayed for {target}");
    assert!(failures.is_empty(), "{target}: {} of {replayed} inputs failed:\n{}", failures.len(), failures.join("\n"));
    eprintln!("{target}: replayed {} regression(s) and {} seed(s)", regressions.len(), seeds.len());
}

macro_rules! targets {
    ($($t:ident),* $(,)?) => {
        $(#[test]
        fn $t() {
            replay(stringify!($t));
        })*

        /// The tests above, `fuzzing::TARGETS` and the cargo-fuzz targets name the same set.
        #[test]
        fn every_fuzz_target_is_replayed() {
            let mut here = vec![$(stringify!($t)),*];
            here.sort();
            let mut lib = sigaudit::fuzzing::TARGETS.to_vec();
            lib.sort();
            assert_eq!(here, lib, "tests/fuzz_replay.rs and sigaudit::fuzzing::TARGETS differ");
            let mut bins: Vec<String> = std::fs::read_dir(root().join("fuzz_targets"))
                .expect("fuzz/fuzz_targets")
                .map(|e| e.expect("directory entry").path())
                .filter(|p| p.extension().is_some_and(|x| x == "rs"))
                .map(|p| p.file_stem().unwrap_or_default().to_string_lossy().into_owned())
                .collect();
            bins.sort();
            assert_eq!(bins, lib, "fuzz/fuzz_targets/*.rs and sigaudit::fuzzing::TARGETS differ");
            let manifest = std::fs::read_to_string(root().join("Cargo.toml")).expect("fuzz/Cargo.toml");
            let scripts = [
                std::fs::read_to_string(root().join("run-all.sh")).expect("fuzz/run-all.sh"),
                std::fs::read_to_string(root().join("seed.sh")).expect("fuzz/seed.sh"),
            ];
            for t in lib {
                assert!(manifest.contains(&format!("path = \"fuzz_targets/{t}.rs\"")), "fuzz/Cargo.toml has no [[bin]] for {t}");
                assert!(scripts.iter().all(|s| s.contains(t)), "fuzz/run-all.sh or fuzz/seed.sh does not name {t}");
                assert!(root().join("regressions").join(t).is_dir(), "fuzz/regressions/{t}/ is missing");
            }
        }
    };
}

targets!(detect, jws, jwks, x509, ocsp, cms, pdf, pades, verify, altinn);
