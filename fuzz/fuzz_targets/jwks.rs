#![no_main]
// JWKS and single-JWK parsing.
// The harness is sigaudit::fuzzing::run, shared with tests/fuzz_replay.rs.
libfuzzer_sys::fuzz_target!(|data: &[u8]| sigaudit::fuzzing::run("jwks", data));
