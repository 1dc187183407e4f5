//! Memoised, time-independent facts, shared by every verification under one
//! [`Policy`](crate::Policy).
//!
//! A batch verifies many bundles that share their expensive parts: a million
//! transaction tokens signed by three keys carry three signing certificates,
//! two CA certificates and, when the broker cached its OCSP response, one
//! response per key and day. What can be computed once per distinct input,
//! keyed by a hash of that input, is computed once:
//!
//! | what | key | limit |
//! |---|---|---|
//! | parsed certificates | SHA-256 of the DER | [`MAX_CACHED_CERTIFICATES`] |
//! | certificate signature verifications (path building, OCSP delegation) | (certificate SHA-256, issuer certificate SHA-256) | [`MAX_CACHED_SIGNATURES`] |
//! | parsed OCSP responses | SHA-256 of the DER | [`MAX_CACHED_OCSP`] |
//! | OCSP response signature verifications | (response SHA-256, responder certificate SHA-256) | [`MAX_CACHED_SIGNATURES`] |
//! | parsed key files (JWKS / JWK in a bundle) | (SHA-256 of the bytes, file name) | [`MAX_CACHED_KEY_FILES`] |
//!
//! Every cached value is a pure function of its key, so a report is the same,
//! byte for byte, whether a value came from the cache or was computed (the
//! vector tests and the wasm comparison hold either way). Nothing that
//! depends on a time (validity at the validation time, OCSP freshness, nonces,
//! token claims) is cached: those judgements are made for every item.
//!
//! Each map is bounded: when it reaches its limit it is emptied and refilled,
//! so memory stays flat however many distinct inputs a batch brings (at most
//! a few MB in all). [`verify`](crate::verify()) installs its policy's cache for the duration
//! of the call (a thread-local scope), so the parsing and verification
//! functions deep in the core use it without every signature carrying it;
//! outside `verify` they compute as before. Locks are `std::sync::RwLock`s:
//! lookups take a read lock, which works the same in wasm32.

use crate::asn1::Asn1Error;
use crate::crypto::{sha256, Hash, VerifyError};
use crate::keys::KeyStore;
use crate::ocsp::OcspResponse;
use crate::x509::{CertError, Certificate};
use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;
use std::hash::Hash as StdHash;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

/// Most parsed certificates kept: 1,024 (a certificate is 2 to 6 KB parsed).
pub const MAX_CACHED_CERTIFICATES: usize = 1024;
/// Most signature verification results kept, per kind: 16,384 (each about 100 bytes).
pub const MAX_CACHED_SIGNATURES: usize = 16_384;
/// Most parsed OCSP responses kept: 1,024 (each 2 to 8 KB with its certificates).
pub const MAX_CACHED_OCSP: usize = 1024;
/// Most parsed key files kept: 256.
pub const MAX_CACHED_KEY_FILES: usize = 256;

type Digest = [u8; 32];

/// A hash map that empties itself when full.
struct Bounded<K, V> {
    map: RwLock<HashMap<K, V>>,
    limit: usize,
    /// Values computed (misses); hits are not counted, to keep lookups free of shared writes.
    computed: AtomicU64,
}

impl<K: StdHash + Eq, V: Clone> Bounded<K, V> {
    fn new(limit: usize) -> Self {
        Bounded { map: RwLock::new(HashMap::new()), limit, computed: AtomicU64::new(0) }
    }

    fn get_or_compute(&self, key: K, compute: impl FnOnce() -> V) -> V {
        {
            let map = self.map.read().unwrap_or_else(|e| e.into_inner());
            if let Some(v) = map.get(&key) {
                return v.clone();
            }
        }
        // Computed outside the lock: two threads may both compute a value; it is the same value.
        let value = compute();
        self.computed.fetch_add(1, Ordering::Relaxed);
        let mut map = self.map.write().unwrap_or_else(|e| e.into_inner());
        if map.len() >= self.limit {
            map.clear();
        }
        map.insert(key, value.clone());
        value
    }

    fn len(&self) -> usize {
        self.map.read().unwrap_or_else(|e| e.into_inner()).len()
    }

    fn computed(&self) -> u64 {
        self.computed.load(Ordering::Relaxed)
    }
}

/// The parsed form of an OCSP response, shared.
pub type SharedOcsp = Result<Arc<OcspResponse>, Arc<Asn1Error>>;

/// The caches of one policy. Cheap to share (`Arc`); safe to use from many threads.
pub struct VerifyCache {
    certs: Bounded<Digest, Result<Arc<Certificate>, CertError>>,
    cert_sigs: Bounded<(Digest, Digest), Result<(String, bool), String>>,
    names: Bounded<Digest, String>,
    cert_digests: Bounded<(Digest, CertPart, Hash), Vec<u8>>,
    ocsp: Bounded<Digest, SharedOcsp>,
    ocsp_sigs: Bounded<(Digest, Digest), Result<(), VerifyError>>,
    key_files: Bounded<(Digest, String), Arc<Result<KeyStore, String>>>,
}

/// How many values each cache computed (each a distinct input), for batch summaries.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct CacheStats {
    pub certificates_parsed: u64,
    pub certificate_signatures_verified: u64,
    pub ocsp_responses_parsed: u64,
    pub ocsp_signatures_verified: u64,
    pub key_files_parsed: u64,
}

impl Default for VerifyCache {
    fn default() -> Self {
        VerifyCache {
            certs: Bounded::new(MAX_CACHED_CERTIFICATES),
            cert_sigs: Bounded::new(MAX_CACHED_SIGNATURES),
            names: Bounded::new(MAX_CACHED_CERTIFICATES),
            cert_digests: Bounded::new(MAX_CACHED_CERTIFICATES),
            ocsp: Bounded::new(MAX_CACHED_OCSP),
            ocsp_sigs: Bounded::new(MAX_CACHED_SIGNATURES),
            key_files: Bounded::new(MAX_CACHED_KEY_FILES),
        }
    }
}

impl fmt::Debug for VerifyCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VerifyCache")
            .field("certificates", &self.certs.len())
            .field("certificate_signatures", &self.cert_sigs.len())
            .field("ocsp_responses", &self.ocsp.len())
            .field("ocsp_signatures", &self.ocsp_sigs.len())
            .field("key_files", &self.key_files.len())
            .finish()
    }
}

impl VerifyCache {
    pub fn new() -> VerifyCache {
        VerifyCache::default()
    }

    /// How many values were computed so far (a hit computes nothing).
    pub fn stats(&self) -> CacheStats {
        CacheStats {
            certificates_parsed: self.certs.computed(),
            certificate_signatures_verified: self.cert_sigs.computed(),
            ocsp_responses_parsed: self.ocsp.computed(),
            ocsp_signatures_verified: self.ocsp_sigs.computed(),
            key_files_parsed: self.key_files.computed(),
        }
    }
}

thread_local! {
    static CURRENT: RefCell<Option<Arc<VerifyCache>>> = const { RefCell::new(None) };
}

/// While alive, `cache` is the one the core's cached functions use on this thread.
pub(crate) struct Scope {
    previous: Option<Arc<VerifyCache>>,
}

/// Installs `cache` for this thread until the returned scope is dropped.
pub(crate) fn enter(cache: &Arc<VerifyCache>) -> Scope {
    let previous = CURRENT.with(|c| c.replace(Some(cache.clone())));
    Scope { previous }
}

impl Drop for Scope {
    fn drop(&mut self) {
        let previous = self.previous.take();
        CURRENT.with(|c| {
            *c.borrow_mut() = previous;
        });
    }
}

fn with_current<R>(f: impl FnOnce(Option<&VerifyCache>) -> R) -> R {
    CURRENT.with(|c| f(c.borrow().as_deref()))
}

/// Parses a DER certificate, once per distinct DER under the current cache.
pub fn certificate(der: &[u8]) -> Result<Arc<Certificate>, CertError> {
    with_current(|cache| match cache {
        Some(cache) => cache.certs.get_or_compute(sha256(der), || Certificate::from_der(der).map(Arc::new)),
        None => Certificate::from_der(der).map(Arc::new),
    })
}

/// Verifies `cert`'s signature with `issuer`'s key, once per (certificate, issuer) pair:
/// the algorithm's name, or why it does not verify.
pub fn certificate_signature(cert: &Certificate, issuer: &Certificate) -> Result<String, String> {
    certificate_signature_info(cert, issuer).map(|(name, _)| name)
}

/// [`certificate_signature`], and whether the algorithm is weak (SHA-1).
pub fn certificate_signature_info(cert: &Certificate, issuer: &Certificate) -> Result<(String, bool), String> {
    let compute = || {
        crate::pki::path::verify_cert_signature(cert, &issuer.key).map(|name| {
            let weak = crate::x509::sigalg::signature_algorithm(&cert.signature_alg, cert.signature_alg_params.as_deref()).is_ok_and(|a| a.weak.is_some());
            (name, weak)
        })
    };
    with_current(|cache| match cache {
        Some(cache) => cache.cert_sigs.get_or_compute((cert.sha256, issuer.sha256), compute),
        None => compute(),
    })
}

/// A part of a certificate that OCSP CertIDs hash (RFC 6960 §4.1.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CertPart {
    /// The DER of the certificate's issuer Name (issuerNameHash of its own CertID).
    IssuerName,
    /// The subjectPublicKey BIT STRING value (issuerKeyHash of the CertIDs it issues for).
    PublicKeyBits,
}

/// The digest of a part of a certificate, once per (certificate, part, hash).
pub fn certificate_digest(cert: &Certificate, part: CertPart, hash: Hash) -> Vec<u8> {
    let compute = || match part {
        CertPart::IssuerName => hash.digest(&cert.issuer_der),
        CertPart::PublicKeyBits => hash.digest(&cert.public_key_bits),
    };
    with_current(|cache| match cache {
        Some(cache) => cache.cert_digests.get_or_compute((cert.sha256, part, hash), compute),
        None => compute(),
    })
}

/// A DER Name rendered for people, once per distinct name.
pub fn name_text(der: &[u8], render: impl FnOnce() -> String) -> String {
    with_current(|cache| match cache {
        Some(cache) => cache.names.get_or_compute(sha256(der), render),
        None => render(),
    })
}

/// Parses an OCSP response, once per distinct DER; also returns the DER's
/// SHA-256 when a cache is in use (the key for [`ocsp_signature`]).
pub fn ocsp_response(der: &[u8]) -> (Option<Digest>, SharedOcsp) {
    with_current(|cache| match cache {
        Some(cache) => {
            let digest = sha256(der);
            (Some(digest), cache.ocsp.get_or_compute(digest, || parse_ocsp(der)))
        }
        None => (None, parse_ocsp(der)),
    })
}

fn parse_ocsp(der: &[u8]) -> SharedOcsp {
    crate::ocsp::parse(der).map(Arc::new).map_err(Arc::new)
}

/// An OCSP response's signature check with one responder certificate, once per
/// (response, responder) pair. `response` is the digest [`ocsp_response`] gave.
pub fn ocsp_signature(response: Option<Digest>, responder: &Certificate, verify: impl FnOnce() -> Result<(), VerifyError>) -> Result<(), VerifyError> {
    with_current(|cache| match (cache, response) {
        (Some(cache), Some(digest)) => cache.ocsp_sigs.get_or_compute((digest, responder.sha256), verify),
        _ => verify(),
    })
}

/// A key file's keys, parsed once per distinct (bytes, name): the name is part
/// of every key's origin in the report.
pub fn key_file(bytes_sha256: Option<Digest>, name: &str, parse: impl FnOnce() -> Result<KeyStore, String>) -> Arc<Result<KeyStore, String>> {
    with_current(|cache| match (cache, bytes_sha256) {
        (Some(cache), Some(digest)) => cache.key_files.get_or_compute((digest, name.to_string()), || Arc::new(parse())),
        _ => Arc::new(parse()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_map_empties_when_full_and_counts_computations() {
        let m: Bounded<u32, u32> = Bounded::new(2);
        assert_eq!(m.get_or_compute(1, || 10), 10);
        assert_eq!(m.get_or_compute(1, || 99), 10, "a hit computes nothing");
        assert_eq!(m.get_or_compute(2, || 20), 20);
        assert_eq!(m.get_or_compute(3, || 30), 30);
        assert_eq!(m.len(), 1, "full: emptied, then the new value");
        assert_eq!(m.computed(), 3);
    }

    #[test]
    fn scope_installs_and_restores() {
        let cache = Arc::new(VerifyCache::new());
        let der = include_bytes!("env/pp_token_signing_1.der");
        {
            let _scope = enter(&cache);
            let a = certificate(der).unwrap();
            let b = certificate(der).unwrap();
            assert!(Arc::ptr_eq(&a, &b), "the second parse is the cached one");
        }
        assert_eq!(cache.stats().certificates_parsed, 1);
        let _ = certificate(der).unwrap();
        assert_eq!(cache.stats().certificates_parsed, 1, "outside the scope nothing is cached");
    }
}
