// Shared fixtures for the fuzz targets: real keys and certificates, loaded once.
#![allow(dead_code)]

use sigaudit::{Blob, Options, Policy};
use std::sync::OnceLock;

pub fn policy() -> &'static Policy {
    static P: OnceLock<Policy> = OnceLock::new();
    P.get_or_init(|| {
        let trust = vec![Blob::new("root.pem", &include_bytes!("../../test-vectors/scenarios/ocsp/good/trust/oces_root.pem")[..])];
        let opts = Options { at: Some("2025-03-10T09:00:02Z".into()), env: Some("pp".into()), ..Default::default() };
        Policy::from_options(&opts, &[], &trust).expect("policy")
    })
}

pub const JWKS: &[u8] = include_bytes!("../../test-vectors/real/pp_jwks_2024.json");
pub const LEAF: &[u8] = include_bytes!("../../test-vectors/scenarios/ocsp/good/openssl/leaf.pem");
pub const ISSUER: &[u8] = include_bytes!("../../test-vectors/scenarios/ocsp/good/openssl/issuer.pem");

/// Splits fuzz input into up to four blobs at 0xFF 0x00 0xFF separators, so
/// multi-file bundles (token + keys + OCSP + PDF) are explored too.
pub fn blobs(data: &[u8]) -> Vec<Blob> {
    let mut out = Vec::new();
    let mut rest = data;
    while out.len() < 3 {
        match rest.windows(3).position(|w| w == [0xff, 0x00, 0xff]) {
            Some(i) => {
                out.push(Blob::new(format!("part{}", out.len()), rest[..i].to_vec()));
                rest = &rest[i + 3..];
            }
            None => break,
        }
    }
    out.push(Blob::new(format!("part{}", out.len()), rest.to_vec()));
    out
}
