//! Verification keys from every source, and selection of the key a token names.
//!
//! Sources: JWKS / JWK files, PEM / DER certificates, certificates inside
//! workflow results and token headers, keys given with `--jwks`, and the
//! certificates an environment profile carries. Identical keys from several
//! sources are merged, so trust from any source is seen once.

mod jwk;
pub mod select;

pub use jwk::{parse_jwk, parse_jwks, JwkError, JwkMeta};

use crate::crypto::PublicKey;
use crate::report::Check;
use crate::x509::Certificate;
use std::sync::Arc;

/// One distinct verification key.
#[derive(Debug, Clone)]
pub struct KeyEntry {
    /// The key signatures are verified with.
    pub key: PublicKey,
    /// The certificate the key is bound to, when a source gave one.
    pub cert: Option<Arc<Certificate>>,
    /// Further certificates a source gave with the key (the rest of an x5c chain).
    pub chain: Vec<Arc<Certificate>>,
    /// Key ids under which sources listed this key.
    pub kids: Vec<String>,
    /// Where the key came from, in words ("JWKS 'pp_jwks.json' key #2").
    pub origins: Vec<String>,
    /// The `--jwks` file that vouches for the key, if any.
    pub trusted_from: Option<String>,
    /// JWK metadata (use, key_ops, alg) of the first JWK source.
    pub jwk: Option<JwkMeta>,
    /// The metadata of every JWK that listed this key, in order: a key listed
    /// twice (say with alg PS256 under one kid and RS256 under another) is
    /// judged by the JWK the token's kid names.
    pub jwk_all: Vec<JwkMeta>,
    /// Consistency checks of the source (x5c vs n/e, x5t): reported when the key is used.
    pub source_checks: Vec<Check>,
    /// True when a source's checks failed, e.g. x5c does not hold this key: then
    /// nothing about the certificate (pins, chains) may vouch for the key.
    pub cert_binding_broken: bool,
}

impl KeyEntry {
    pub fn new(key: PublicKey, origin: String) -> KeyEntry {
        KeyEntry {
            key,
            cert: None,
            chain: Vec::new(),
            kids: Vec::new(),
            origins: vec![origin],
            trusted_from: None,
            jwk: None,
            jwk_all: Vec::new(),
            source_checks: Vec::new(),
            cert_binding_broken: false,
        }
    }

    /// The SHA-1 thumbprint of the bound certificate, uppercase hex.
    pub fn thumbprint(&self) -> Option<String> {
        self.cert.as_ref().map(|c| c.thumbprint_sha1_hex())
    }

    /// A short name for messages: the first kid, else the thumbprint, else the key type.
    pub fn label(&self) -> String {
        self.kids.first().cloned().or_else(|| self.thumbprint()).unwrap_or_else(|| self.key.describe())
    }

    fn same_key(&self, other: &KeyEntry) -> bool {
        self.key == other.key && self.cert.as_ref().map(|c| c.sha256) == other.cert.as_ref().map(|c| c.sha256)
    }

    /// The JWK metadata that judges a token naming `kid`: the JWKs listed under
    /// that kid, else (no kid, or one that names a certificate) every JWK of the key.
    pub fn jwk_for(&self, kid: Option<&str>) -> Vec<&JwkMeta> {
        let named: Vec<&JwkMeta> = self.jwk_all.iter().filter(|m| kid.is_some() && m.kid.as_deref() == kid).collect();
        if named.is_empty() {
            self.jwk_all.iter().collect()
        } else {
            named
        }
    }

    /// True when the JWK metadata forbids signature verification.
    pub fn forbids_verify(&self) -> bool {
        self.jwk.as_ref().is_some_and(JwkMeta::forbids_verify)
    }
}

/// A key that a source listed but that cannot be used, with the reason.
#[derive(Debug, Clone)]
pub struct SkippedKey {
    pub kid: Option<String>,
    pub origin: String,
    pub reason: String,
}

/// All keys of a bundle (and of the policy).
#[derive(Debug, Clone, Default)]
pub struct KeyStore {
    pub entries: Vec<KeyEntry>,
    pub skipped: Vec<SkippedKey>,
}

impl KeyStore {
    /// Adds a key, merging it into an identical entry when there is one.
    pub fn add(&mut self, entry: KeyEntry) {
        if let Some(existing) = self.entries.iter_mut().find(|e| e.same_key(&entry)) {
            let restrictive = entry.forbids_verify() && !existing.forbids_verify();
            for kid in entry.kids {
                if !existing.kids.contains(&kid) {
                    existing.kids.push(kid);
                }
            }
            for origin in entry.origins {
                if !existing.origins.contains(&origin) {
                    existing.origins.push(origin);
                }
            }
            if existing.trusted_from.is_none() {
                existing.trusted_from = entry.trusted_from;
            }
            if existing.source_checks.is_empty() {
                existing.source_checks = entry.source_checks;
            }
            existing.cert_binding_broken |= entry.cert_binding_broken;
            // Further certificates of the same certificate's chain (a header x5c beside a JWKS
            // entry) are more candidate issuers for path building, never anchors.
            if existing.cert.as_ref().map(|c| c.sha256) == entry.cert.as_ref().map(|c| c.sha256) {
                for c in entry.chain {
                    if !existing.chain.iter().any(|e| e.sha256 == c.sha256) {
                        existing.chain.push(c);
                    }
                }
            }
            for meta in entry.jwk_all {
                if !existing.jwk_all.contains(&meta) {
                    existing.jwk_all.push(meta);
                }
            }
            // The most restrictive metadata wins: a key any source marks as an
            // encryption key never verifies, whatever other sources say.
            if (existing.jwk.is_none() || restrictive) && entry.jwk.is_some() {
                existing.jwk = entry.jwk;
            }
        } else {
            self.entries.push(entry);
        }
    }

    /// Adds every key of another store (policy keys into a bundle's store).
    pub fn extend(&mut self, other: &KeyStore) {
        for e in &other.entries {
            self.add(e.clone());
        }
        self.skipped.extend(other.skipped.iter().cloned());
    }

    /// Adds a certificate's key.
    pub fn add_certificate(&mut self, cert: Arc<Certificate>, origin: String, trusted_from: Option<String>) {
        self.add_certificate_chain(cert, Vec::new(), origin, trusted_from);
    }

    /// Adds a certificate's key with the rest of its chain (a header's x5c[1..],
    /// RFC 7515 §4.1.6): those certificates are candidate issuers for path
    /// building and OCSP, never trust anchors.
    pub fn add_certificate_chain(&mut self, cert: Arc<Certificate>, chain: Vec<Arc<Certificate>>, origin: String, trusted_from: Option<String>) {
        let mut entry = KeyEntry::new(cert.key.clone(), origin);
        entry.kids.push(cert.thumbprint_sha1_hex());
        entry.cert = Some(cert);
        entry.chain = chain;
        entry.trusted_from = trusted_from;
        self.add(entry);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_key_listed_twice_keeps_each_jwks_alg() {
        let mut store = KeyStore::default();
        for (kid, alg) in [("k-ps", "PS256"), ("k-rs", "RS256")] {
            store.add(parse_jwk(&json!({"kty": "RSA", "n": "AQAB", "e": "AQAB", "kid": kid, "use": "sig", "alg": alg}), kid).unwrap());
        }
        assert_eq!(store.entries.len(), 1);
        let algs = |kid| store.entries[0].jwk_for(kid).iter().map(|m| m.alg.clone().unwrap()).collect::<Vec<_>>();
        assert_eq!(algs(Some("k-rs")), ["RS256"]);
        assert_eq!(algs(Some("k-ps")), ["PS256"]);
        assert_eq!(algs(None), ["PS256", "RS256"]);
    }
}
