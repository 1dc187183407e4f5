#![no_main]
// Input detection over arbitrary bytes.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let d = sigaudit::detect::detect(&sigaudit::Blob::new("x", data));
    let _ = d.describe();
});
