#![no_main]
// CMS (BER and DER): parsing, attributes, signer lookup and signature verification.
use sigaudit::cms::{self, attributes, signer};
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(sd) = cms::parse(data) else { return };
    for si in &sd.signer_infos {
        let _ = signer::consistency_problems(&sd, si);
        let _ = attributes::message_digest(si);
        let _ = attributes::signing_certificate(si);
        let _ = attributes::revocation_info_archival(si);
        let _ = attributes::signing_time(si);
        if let Some(cert) = signer::find_signer_certificate(&sd, si, &[]) {
            let _ = signer::verify_signature(si, &cert, sd.econtent.as_deref());
        }
    }
    if let Some(c) = &sd.econtent {
        let _ = cms::tst::parse_tst_info(c);
    }
});
