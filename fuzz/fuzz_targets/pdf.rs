#![no_main]
// The PDF reader: xref, objects, streams, revisions, object streams.
// The harness is sigaudit::fuzzing::run, shared with tests/fuzz_replay.rs.
libfuzzer_sys::fuzz_target!(|data: &[u8]| sigaudit::fuzzing::run("pdf", data));
