#![no_main]
// JWKS and single-JWK parsing.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(v) = sigaudit::json::parse(data) {
        let _ = sigaudit::keys::parse_jwks(&v, "f", false);
        let _ = sigaudit::keys::parse_jwk(&v, "f");
    }
});
