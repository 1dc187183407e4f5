#![no_main]
// JWS/JWT parsing and verification against the real PP key set.
mod common;
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = sigaudit::jws::parse_compact(text);
    }
    let ev = sigaudit::Evidence::new(vec![sigaudit::Blob::new("t.jwt", data), sigaudit::Blob::new("jwks.json", common::JWKS)]);
    let _ = sigaudit::verify(&ev, common::policy()).to_json();
});
