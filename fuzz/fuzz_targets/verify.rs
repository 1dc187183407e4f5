#![no_main]
// The whole entry point over bundles of up to four fuzzed files.
// The harness is sigaudit::fuzzing::run, shared with tests/fuzz_replay.rs.
libfuzzer_sys::fuzz_target!(|data: &[u8]| sigaudit::fuzzing::run("verify", data));
