#![no_main]
// The whole entry point over bundles of up to four fuzzed files.
mod common;
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let report = sigaudit::verify(&sigaudit::Evidence::new(common::blobs(data)), common::policy());
    let _ = report.to_json();
    let _ = sigaudit::report::text::render(&report, true);
});
