#![no_main]
// JWS/JWT parsing and verification against the real PP key set.
// The harness is sigaudit::fuzzing::run, shared with tests/fuzz_replay.rs.
libfuzzer_sys::fuzz_target!(|data: &[u8]| sigaudit::fuzzing::run("jws", data));
