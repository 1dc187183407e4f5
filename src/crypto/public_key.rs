//! Public keys as we verify with them, from JWKs or certificates.

use std::fmt;

/// Elliptic curves we recognise.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Curve {
    P256,
    P384,
    P521,
}

impl Curve {
    pub fn name(self) -> &'static str {
        match self {
            Curve::P256 => "P-256",
            Curve::P384 => "P-384",
            Curve::P521 => "P-521",
        }
    }
    /// Length of one coordinate in bytes.
    pub fn coordinate_len(self) -> usize {
        match self {
            Curve::P256 => 32,
            Curve::P384 => 48,
            Curve::P521 => 66,
        }
    }
    /// From a JWK `crv` value (RFC 7518 §6.2.1.1).
    pub fn from_jwk(crv: &str) -> Option<Curve> {
        match crv {
            "P-256" => Some(Curve::P256),
            "P-384" => Some(Curve::P384),
            "P-521" => Some(Curve::P521),
            _ => None,
        }
    }
    /// From the namedCurve OID of an X.509 SubjectPublicKeyInfo (RFC 5480 §2.1.1.1).
    pub fn from_oid(oid: &str) -> Option<Curve> {
        match oid {
            "1.2.840.10045.3.1.7" => Some(Curve::P256),
            "1.3.132.0.34" => Some(Curve::P384),
            "1.3.132.0.35" => Some(Curve::P521),
            _ => None,
        }
    }
}

/// A public key in the form `ring` verifies with.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum PublicKey {
    /// Big-endian modulus and exponent, leading zero bytes removed.
    Rsa { n: Vec<u8>, e: Vec<u8> },
    /// An uncompressed SEC1 point (`04 || x || y`).
    Ec { curve: Curve, point: Vec<u8> },
    /// The 32-byte Ed25519 public key.
    Ed25519(Vec<u8>),
    /// A key we parse but cannot verify with; the text says what it is.
    Unsupported(String),
}

fn strip_leading_zeros(b: &[u8]) -> Vec<u8> {
    let first = b.iter().position(|&x| x != 0).unwrap_or(b.len());
    b[first..].to_vec()
}

impl PublicKey {
    pub fn rsa(n: &[u8], e: &[u8]) -> PublicKey {
        PublicKey::Rsa { n: strip_leading_zeros(n), e: strip_leading_zeros(e) }
    }

    /// Size in bits: the modulus for RSA, the curve order size for EC.
    pub fn bits(&self) -> usize {
        match self {
            PublicKey::Rsa { n, .. } => match n.first() {
                Some(&top) => n.len() * 8 - top.leading_zeros() as usize,
                None => 0,
            },
            PublicKey::Ec { curve, .. } => match curve {
                Curve::P256 => 256,
                Curve::P384 => 384,
                Curve::P521 => 521,
            },
            PublicKey::Ed25519(_) => 256,
            PublicKey::Unsupported(_) => 0,
        }
    }

    /// "RSA 2048", "EC P-256", "Ed25519".
    pub fn describe(&self) -> String {
        match self {
            PublicKey::Rsa { .. } => format!("RSA {}", self.bits()),
            PublicKey::Ec { curve, .. } => format!("EC {}", curve.name()),
            PublicKey::Ed25519(_) => "Ed25519".into(),
            PublicKey::Unsupported(what) => what.clone(),
        }
    }
}

impl fmt::Display for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe())
    }
}
