#![no_main]
// OCSP parsing and every OCSP rule for the test leaf.
mod common;
use sigaudit::ocsp::verify::{check_ocsp, OcspContext};
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = sigaudit::ocsp::parse(data);
    let leaf = sigaudit::policy::load_certificates(&sigaudit::Blob::new("l", common::LEAF)).unwrap().remove(0);
    let issuer = sigaudit::policy::load_certificates(&sigaudit::Blob::new("i", common::ISSUER)).unwrap().remove(0);
    let ctx = OcspContext {
        cert: &leaf,
        issuer: Some(&issuer),
        pool: &[],
        anchors: &common::policy().anchors,
        signing_time: Some(sigaudit::time::UnixTime(1_741_597_200)),
        validation_time: sigaudit::time::UnixTime(1_741_597_202),
        expected_nonce: Some(vec![1, 2, 3]),
        skew: 300,
        archival: data.first().is_some_and(|b| b & 1 == 1),
    };
    let _ = check_ocsp(data, "fuzz", &ctx);
});
