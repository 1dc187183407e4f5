#![no_main]
// Signature finding, ByteRange/coverage, CMS, changes after signing, embedded files.
mod common;
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let p = common::policy();
    let ctx = sigaudit::pades::Context { policy: p, pool: &[], anchors: &p.anchors };
    let ranges = sigaudit::pades::hashing::planned_ranges(data);
    let (_, pre) = sigaudit::pades::hashing::hash_file(data, &ranges);
    let _ = sigaudit::pades::inspect(data, &pre, &ctx);
    let _ = sigaudit::pades::extract_embedded(data);
});
