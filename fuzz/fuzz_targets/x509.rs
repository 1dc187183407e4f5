#![no_main]
// X.509 parsing and path building with the fuzzed certificate as target and as intermediate.
mod common;
use sigaudit::pki::{validate_path, PathInput, Usage};
use std::sync::Arc;
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(cert) = sigaudit::x509::Certificate::from_der(data) else { return };
    let cert = Arc::new(cert);
    let p = common::policy();
    let leaf = sigaudit::policy::load_certificates(&sigaudit::Blob::new("l", common::LEAF)).unwrap().remove(0);
    let issuer = sigaudit::policy::load_certificates(&sigaudit::Blob::new("i", common::ISSUER)).unwrap().remove(0);
    let at = sigaudit::time::UnixTime(1_741_597_202);
    for (target, inter) in [(&cert, vec![issuer.clone()]), (&leaf, vec![cert.clone()])] {
        let _ =
            validate_path(&PathInput { target, intermediates: &inter, anchors: &p.anchors, validation_time: at, signing_time: Some(at), usage: Usage::Signer });
    }
});
