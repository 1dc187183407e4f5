//! Digests and signature verification, all through `ring`.
//!
//! One place maps (key, scheme) to a `ring` algorithm, so JWS, X.509, OCSP and
//! CMS verify signatures the same way and report the same reasons.

pub mod md5;
mod public_key;

pub use public_key::{Curve, PublicKey};

use ring::digest;
use ring::signature::{self as sig, RsaPublicKeyComponents, UnparsedPublicKey};
use std::fmt;

/// Hash functions we compute.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Hash {
    Sha1,
    Sha256,
    Sha384,
    Sha512,
}

impl Hash {
    pub fn name(self) -> &'static str {
        match self {
            Hash::Sha1 => "SHA-1",
            Hash::Sha256 => "SHA-256",
            Hash::Sha384 => "SHA-384",
            Hash::Sha512 => "SHA-512",
        }
    }
    fn ring(self) -> &'static digest::Algorithm {
        match self {
            Hash::Sha1 => &digest::SHA1_FOR_LEGACY_USE_ONLY,
            Hash::Sha256 => &digest::SHA256,
            Hash::Sha384 => &digest::SHA384,
            Hash::Sha512 => &digest::SHA512,
        }
    }
    /// The digest of `data`.
    pub fn digest(self, data: &[u8]) -> Vec<u8> {
        digest::digest(self.ring(), data).as_ref().to_vec()
    }

    /// The digest of the concatenation of `parts`, without copying them.
    pub fn digest_parts(self, parts: &[&[u8]]) -> Vec<u8> {
        let mut ctx = digest::Context::new(self.ring());
        for p in parts {
            ctx.update(p);
        }
        ctx.finish().as_ref().to_vec()
    }

    /// The output length in bytes.
    pub fn output_len(self) -> usize {
        self.ring().output_len()
    }
}

/// SHA-256 of `data`.
pub fn sha256(data: &[u8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    out.copy_from_slice(digest::digest(&digest::SHA256, data).as_ref());
    out
}

/// SHA-1 of `data` (thumbprints and OCSP CertIDs only, never signatures we accept as strong).
pub fn sha1(data: &[u8]) -> [u8; 20] {
    let mut out = [0u8; 20];
    out.copy_from_slice(digest::digest(&digest::SHA1_FOR_LEGACY_USE_ONLY, data).as_ref());
    out
}

/// A signature scheme: padding / encoding plus hash.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scheme {
    /// RSASSA-PKCS1-v1_5 (RFC 8017 §8.2).
    RsaPkcs1(Hash),
    /// RSASSA-PSS with MGF1 over the same hash and salt length = hash length (RFC 8017 §8.1).
    RsaPss(Hash),
    /// ECDSA with the signature as r || s (JWS, RFC 7518 §3.4).
    EcdsaFixed(Hash),
    /// ECDSA with the signature as DER `Ecdsa-Sig-Value` (X.509, CMS, OCSP; RFC 5480).
    EcdsaDer(Hash),
    /// Ed25519 (RFC 8032).
    Ed25519,
}

impl fmt::Display for Scheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Scheme::RsaPkcs1(h) => write!(f, "RSA PKCS#1 v1.5 with {}", h.name()),
            Scheme::RsaPss(h) => write!(f, "RSASSA-PSS with {}", h.name()),
            Scheme::EcdsaFixed(h) | Scheme::EcdsaDer(h) => write!(f, "ECDSA with {}", h.name()),
            Scheme::Ed25519 => f.write_str("Ed25519"),
        }
    }
}

/// Why a signature did not verify.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VerifyError {
    /// The key cannot be used with this scheme (RSA key for ECDSA, wrong curve).
    KeyMismatch(String),
    /// The combination is valid but not one we verify (e.g. ECDSA P-521).
    Unsupported(String),
    /// The RSA key is shorter than the scheme allows (in bits).
    WeakKey(usize),
    /// The signature does not verify.
    BadSignature,
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VerifyError::KeyMismatch(m) => write!(f, "key does not fit the algorithm: {m}"),
            VerifyError::Unsupported(m) => write!(f, "unsupported: {m}"),
            VerifyError::WeakKey(bits) => write!(f, "RSA key of {bits} bits is below the 2048-bit minimum"),
            VerifyError::BadSignature => f.write_str("signature does not verify"),
        }
    }
}

/// Verifies `signature` over `message` with `key` under `scheme`.
///
/// RSA keys below 2048 bits are refused (`WeakKey`) for every scheme: callers that
/// want to *report* a legacy 1024-bit signature do so before calling this.
pub fn verify(key: &PublicKey, scheme: Scheme, message: &[u8], signature: &[u8]) -> Result<(), VerifyError> {
    match (key, scheme) {
        (PublicKey::Rsa { n, e }, Scheme::RsaPkcs1(h) | Scheme::RsaPss(h)) => {
            let bits = key.bits();
            if bits < 2048 {
                return Err(VerifyError::WeakKey(bits));
            }
            let params: &sig::RsaParameters = match (scheme, h) {
                (Scheme::RsaPkcs1(_), Hash::Sha1) => &sig::RSA_PKCS1_2048_8192_SHA1_FOR_LEGACY_USE_ONLY,
                (Scheme::RsaPkcs1(_), Hash::Sha256) => &sig::RSA_PKCS1_2048_8192_SHA256,
                (Scheme::RsaPkcs1(_), Hash::Sha384) => &sig::RSA_PKCS1_2048_8192_SHA384,
                (Scheme::RsaPkcs1(_), Hash::Sha512) => &sig::RSA_PKCS1_2048_8192_SHA512,
                (_, Hash::Sha256) => &sig::RSA_PSS_2048_8192_SHA256,
                (_, Hash::Sha384) => &sig::RSA_PSS_2048_8192_SHA384,
                (_, Hash::Sha512) => &sig::RSA_PSS_2048_8192_SHA512,
                (_, Hash::Sha1) => return Err(VerifyError::Unsupported("RSASSA-PSS with SHA-1".into())),
            };
            RsaPublicKeyComponents { n: n.as_slice(), e: e.as_slice() }.verify(params, message, signature).map_err(|_| VerifyError::BadSignature)
        }
        (PublicKey::Ec { curve, point }, Scheme::EcdsaFixed(h) | Scheme::EcdsaDer(h)) => {
            let fixed = matches!(scheme, Scheme::EcdsaFixed(_));
            let alg: &sig::EcdsaVerificationAlgorithm = match (curve, h, fixed) {
                (Curve::P256, Hash::Sha256, true) => &sig::ECDSA_P256_SHA256_FIXED,
                (Curve::P384, Hash::Sha384, true) => &sig::ECDSA_P384_SHA384_FIXED,
                (Curve::P256, Hash::Sha256, false) => &sig::ECDSA_P256_SHA256_ASN1,
                (Curve::P256, Hash::Sha384, false) => &sig::ECDSA_P256_SHA384_ASN1,
                (Curve::P384, Hash::Sha256, false) => &sig::ECDSA_P384_SHA256_ASN1,
                (Curve::P384, Hash::Sha384, false) => &sig::ECDSA_P384_SHA384_ASN1,
                (Curve::P521, _, _) => return Err(VerifyError::Unsupported("ECDSA on P-521".into())),
                (c, h, true) => {
                    return Err(VerifyError::KeyMismatch(format!("{} key with {} (JWS pairs P-256/SHA-256 and P-384/SHA-384)", c.name(), h.name())))
                }
                (c, h, false) => return Err(VerifyError::Unsupported(format!("ECDSA {} with {}", c.name(), h.name()))),
            };
            UnparsedPublicKey::new(alg, point.as_slice()).verify(message, signature).map_err(|_| VerifyError::BadSignature)
        }
        (PublicKey::Ed25519(k), Scheme::Ed25519) => {
            UnparsedPublicKey::new(&sig::ED25519, k.as_slice()).verify(message, signature).map_err(|_| VerifyError::BadSignature)
        }
        (PublicKey::Unsupported(what), _) => Err(VerifyError::Unsupported(what.clone())),
        (key, scheme) => Err(VerifyError::KeyMismatch(format!("{} key cannot verify {scheme}", key.describe()))),
    }
}
