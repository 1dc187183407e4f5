#![no_main]
// X.509 parsing and path building with the fuzzed certificate as target and as intermediate.
// The harness is sigaudit::fuzzing::run, shared with tests/fuzz_replay.rs.
libfuzzer_sys::fuzz_target!(|data: &[u8]| sigaudit::fuzzing::run("x509", data));
