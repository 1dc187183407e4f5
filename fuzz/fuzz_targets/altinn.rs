#![no_main]
// Altinn 3 JSON: instance metadata, signature records, signee state, events, and export bundles.
// The harness is sigaudit::fuzzing::run, shared with tests/fuzz_replay.rs.
libfuzzer_sys::fuzz_target!(|data: &[u8]| sigaudit::fuzzing::run("altinn", data));
