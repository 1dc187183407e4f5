//! Signature AlgorithmIdentifiers of certificates, OCSP responses and CMS
//! (RFC 4055, RFC 5758, RFC 8017 §A.2.3, RFC 8410), mapped to what `ring` verifies.
//!
//! RSASSA-PSS parameters are parsed and enforced: the MGF1 hash must equal the
//! message hash, the salt length must equal the hash length (what `ring`
//! verifies, and what OCES3 uses: SHA-256, MGF1-SHA-256, salt 32) and the
//! trailer field must be 1. A mismatch is reported, never silently accepted.

use crate::asn1::{parse_first, Budget, Tag};
use crate::crypto::{Hash, Scheme};

/// A signature algorithm we can verify.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SigAlg {
    pub scheme: Scheme,
    /// "sha256WithRSAEncryption", "RSASSA-PSS (SHA-256, MGF1-SHA-256, salt 32)", ...
    pub name: String,
    /// Why it is weak, when it is (SHA-1).
    pub weak: Option<&'static str>,
}

/// Why an AlgorithmIdentifier cannot be verified.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SigAlgError {
    /// Not an algorithm we verify (dotted OID).
    Unsupported(String),
    /// RSASSA-PSS parameters we refuse (the reason says which).
    PssParams(String),
}

impl std::fmt::Display for SigAlgError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SigAlgError::Unsupported(oid) => write!(f, "unsupported signature algorithm {oid}"),
            SigAlgError::PssParams(why) => write!(f, "RSASSA-PSS parameters rejected: {why}"),
        }
    }
}

const SHA1_WEAK: &str = "SHA-1 signatures are forgeable by chosen-prefix collisions (2020); not acceptable for new signatures";

fn hash_from_oid(oid: &str) -> Option<Hash> {
    Some(match oid {
        "1.3.14.3.2.26" => Hash::Sha1,
        "2.16.840.1.101.3.4.2.1" => Hash::Sha256,
        "2.16.840.1.101.3.4.2.2" => Hash::Sha384,
        "2.16.840.1.101.3.4.2.3" => Hash::Sha512,
        _ => return None,
    })
}

/// Reads a digest AlgorithmIdentifier (CMS digestAlgorithm, OCSP CertID hashAlgorithm).
pub fn digest_algorithm(oid: &str) -> Option<Hash> {
    hash_from_oid(oid)
}

/// Reads the content octets of a HashAlgorithm SEQUENCE { OID, params }.
fn hash_alg_of(seq_content: &[u8]) -> Result<Hash, String> {
    let budget = Budget::new();
    let (oid_el, _) = parse_first(seq_content, &budget).map_err(|e| e.to_string())?;
    let oid = oid_el.oid().map_err(|e| e.to_string())?;
    hash_from_oid(&oid).ok_or_else(|| format!("unknown hash {oid}"))
}

/// Parses RSASSA-PSS-params (RFC 4055 §3.1) from the SEQUENCE's content octets.
fn pss(params_content: Option<&[u8]>) -> Result<SigAlg, SigAlgError> {
    let bad = |why: String| SigAlgError::PssParams(why);
    let mut hash = Hash::Sha1;
    let mut mgf_hash = Hash::Sha1;
    let mut salt: u64 = 20;
    let mut trailer: u64 = 1;
    let budget = Budget::new();
    let mut rest = params_content.unwrap_or(&[]);
    while !rest.is_empty() {
        let (el, next) = parse_first(rest, &budget).map_err(|e| bad(e.to_string()))?;
        rest = next;
        let inner = el.explicit_inner().map_err(|e| bad(e.to_string()))?;
        match el.tag.number {
            0 => hash = hash_alg_of(inner.expect(Tag::SEQUENCE, "HashAlgorithm").map_err(|e| bad(e.to_string()))?.content).map_err(bad)?,
            1 => {
                let kids = inner.sequence("MaskGenAlgorithm").map_err(|e| bad(e.to_string()))?;
                let mgf_oid = kids.first().ok_or_else(|| bad("empty MaskGenAlgorithm".into()))?.oid().map_err(|e| bad(e.to_string()))?;
                if mgf_oid != "1.2.840.113549.1.1.8" {
                    return Err(bad(format!("mask generation function {mgf_oid} is not MGF1")));
                }
                let h = kids.get(1).ok_or_else(|| bad("MGF1 without a hash".into()))?;
                mgf_hash = hash_alg_of(h.expect(Tag::SEQUENCE, "MGF1 hash").map_err(|e| bad(e.to_string()))?.content).map_err(bad)?;
            }
            2 => salt = inner.small_uint().map_err(|e| bad(e.to_string()))?,
            3 => trailer = inner.small_uint().map_err(|e| bad(e.to_string()))?,
            n => return Err(bad(format!("unexpected field [{n}]"))),
        }
    }
    let hash_len = match hash {
        Hash::Sha1 => 20,
        Hash::Sha256 => 32,
        Hash::Sha384 => 48,
        Hash::Sha512 => 64,
    };
    if mgf_hash != hash {
        return Err(bad(format!("MGF1 uses {} but the message hash is {}", mgf_hash.name(), hash.name())));
    }
    if salt != hash_len {
        return Err(bad(format!("salt length {salt} differs from the {} hash length {hash_len}", hash.name())));
    }
    if trailer != 1 {
        return Err(bad(format!("trailer field {trailer} is not 1")));
    }
    if hash == Hash::Sha1 {
        return Err(bad("RSASSA-PSS with SHA-1 is not accepted".into()));
    }
    Ok(SigAlg { scheme: Scheme::RsaPss(hash), name: format!("RSASSA-PSS ({}, MGF1-{}, salt {salt})", hash.name(), hash.name()), weak: None })
}

/// Maps a signature AlgorithmIdentifier (dotted OID and the parameters'
/// content octets, if any) to a verifiable scheme.
pub fn signature_algorithm(oid: &str, params_content: Option<&[u8]>) -> Result<SigAlg, SigAlgError> {
    // Only RSASSA-PSS has parameters; the others take none or NULL (RFC 4055
    // §5, RFC 5758 §3.2, RFC 8410 §3): anything else is a malformed identifier.
    if params_content.is_some() && oid != "1.2.840.113549.1.1.10" {
        return Err(SigAlgError::Unsupported(format!("{oid} with unexpected parameters")));
    }
    let plain = |scheme: Scheme, name: &str, weak: Option<&'static str>| Ok(SigAlg { scheme, name: name.into(), weak });
    match oid {
        "1.2.840.113549.1.1.5" => plain(Scheme::RsaPkcs1(Hash::Sha1), "sha1WithRSAEncryption", Some(SHA1_WEAK)),
        "1.2.840.113549.1.1.11" => plain(Scheme::RsaPkcs1(Hash::Sha256), "sha256WithRSAEncryption", None),
        "1.2.840.113549.1.1.12" => plain(Scheme::RsaPkcs1(Hash::Sha384), "sha384WithRSAEncryption", None),
        "1.2.840.113549.1.1.13" => plain(Scheme::RsaPkcs1(Hash::Sha512), "sha512WithRSAEncryption", None),
        "1.2.840.113549.1.1.10" => pss(params_content),
        "1.2.840.10045.4.1" => plain(Scheme::EcdsaDer(Hash::Sha1), "ecdsa-with-SHA1", Some(SHA1_WEAK)),
        "1.2.840.10045.4.3.2" => plain(Scheme::EcdsaDer(Hash::Sha256), "ecdsa-with-SHA256", None),
        "1.2.840.10045.4.3.3" => plain(Scheme::EcdsaDer(Hash::Sha384), "ecdsa-with-SHA384", None),
        "1.2.840.10045.4.3.4" => plain(Scheme::EcdsaDer(Hash::Sha512), "ecdsa-with-SHA512", None),
        "1.3.101.112" => plain(Scheme::Ed25519, "Ed25519", None),
        other => Err(SigAlgError::Unsupported(other.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // RSASSA-PSS-params content for SHA-256 / MGF1-SHA-256 / salt 32, as OCES3 certificates carry it.
    const OCES3_PSS: &[u8] = &[
        0xa0, 0x0f, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0xa1, 0x1c, 0x30, 0x1a, 0x06, 0x09, 0x2a, 0x86,
        0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x08, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0xa2, 0x03, 0x02,
        0x01, 0x20,
    ];

    #[test]
    fn pss_parameters_are_enforced() {
        let ok = signature_algorithm("1.2.840.113549.1.1.10", Some(OCES3_PSS)).unwrap();
        assert_eq!(ok.scheme, Scheme::RsaPss(Hash::Sha256));
        let mut salt20 = OCES3_PSS.to_vec();
        *salt20.last_mut().unwrap() = 20;
        assert!(matches!(signature_algorithm("1.2.840.113549.1.1.10", Some(&salt20)), Err(SigAlgError::PssParams(_))));
        // Absent parameters mean the SHA-1 defaults: refused.
        assert!(matches!(signature_algorithm("1.2.840.113549.1.1.10", None), Err(SigAlgError::PssParams(_))));
        assert!(signature_algorithm("1.2.840.113549.1.1.5", None).unwrap().weak.is_some());
        assert!(matches!(signature_algorithm("1.2.840.10040.4.3", None), Err(SigAlgError::Unsupported(_))));
    }
}
