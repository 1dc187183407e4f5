#![no_main]
// OCSP parsing and every OCSP rule for the test leaf.
// The harness is sigaudit::fuzzing::run, shared with tests/fuzz_replay.rs.
libfuzzer_sys::fuzz_target!(|data: &[u8]| sigaudit::fuzzing::run("ocsp", data));
