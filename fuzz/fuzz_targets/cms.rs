#![no_main]
// CMS (BER and DER): parsing, attributes, signer lookup and signature verification.
// The harness is sigaudit::fuzzing::run, shared with tests/fuzz_replay.rs.
libfuzzer_sys::fuzz_target!(|data: &[u8]| sigaudit::fuzzing::run("cms", data));
