#![no_main]
// PAdES: signature finding, ByteRange/contents-gap/coverage analysis (pades::byterange, via
// hashing::planned_ranges and pades::inspect), CMS, changes after signing, embedded files.
// The harness is sigaudit::fuzzing::run, shared with tests/fuzz_replay.rs.
libfuzzer_sys::fuzz_target!(|data: &[u8]| sigaudit::fuzzing::run("pades", data));
