//! The signer of a SignerInfo: its certificate (RFC 5652 §5.3 sid) and its
//! signature over the signed attributes (§5.4) or the content (§5.6).

use super::{SignedData, SignerId, SignerInfo};
use crate::crypto::{self, Hash, Scheme, VerifyError};
use crate::x509::sigalg::{digest_algorithm, signature_algorithm, SigAlg};
use crate::x509::{serial_eq, Certificate};
use std::sync::Arc;

/// The certificate `sid` names, among the SignedData's certificates and `extra`.
pub fn find_signer_certificate(sd: &SignedData, si: &SignerInfo, extra: &[Arc<Certificate>]) -> Option<Arc<Certificate>> {
    sd.certificates.iter().chain(extra.iter()).find(|c| matches_sid(c, &si.sid)).cloned()
}

/// Whether `cert` is the one `sid` names.
pub fn matches_sid(cert: &Certificate, sid: &SignerId) -> bool {
    match sid {
        // The issuer is a Name, compared per RFC 5280 §7.1 (string type, case and
        // spaces do not matter), as path building compares it: a sid whose issuer
        // is the same name in another encoding names the same certificate.
        SignerId::IssuerSerial { issuer, serial } => serial_eq(&cert.serial, serial) && cert.issuer_is(issuer),
        SignerId::SubjectKeyId(ski) => cert.extensions.subject_key_id.as_deref() == Some(ski.as_slice()),
    }
}

/// The signature scheme of a SignerInfo. CMS often names only the key
/// algorithm (rsaEncryption, id-ecPublicKey) and takes the hash from
/// digestAlgorithm (RFC 3370 §3.2, RFC 5753 §2.1.1).
pub fn signer_algorithm(si: &SignerInfo) -> Result<SigAlg, String> {
    let digest = digest_algorithm(&si.digest_alg).ok_or_else(|| format!("digest algorithm {} is not supported", si.digest_alg))?;
    let weak = if digest == Hash::Sha1 { Some("SHA-1 digests are collision-prone") } else { None };
    let bare_key_alg = matches!(si.signature_alg.as_str(), "1.2.840.113549.1.1.1" | "1.2.840.10045.2.1");
    if bare_key_alg && si.signature_alg_params.is_some() {
        return Err(format!("signatureAlgorithm {} carries parameters it must not have", si.signature_alg));
    }
    match si.signature_alg.as_str() {
        "1.2.840.113549.1.1.1" => Ok(SigAlg { scheme: Scheme::RsaPkcs1(digest), name: format!("RSA PKCS#1 v1.5 with {}", digest.name()), weak }),
        "1.2.840.10045.2.1" => Ok(SigAlg { scheme: Scheme::EcdsaDer(digest), name: format!("ECDSA with {}", digest.name()), weak }),
        oid => {
            let alg = signature_algorithm(oid, si.signature_alg_params.as_deref()).map_err(|e| e.to_string())?;
            let alg_hash = match alg.scheme {
                Scheme::RsaPkcs1(h) | Scheme::RsaPss(h) | Scheme::EcdsaDer(h) | Scheme::EcdsaFixed(h) => Some(h),
                Scheme::Ed25519 => None,
            };
            if alg_hash.is_some_and(|h| h != digest) {
                return Err(format!("signatureAlgorithm {} does not use the digestAlgorithm {}", alg.name, digest.name()));
            }
            Ok(alg)
        }
    }
}

/// Which bytes the signature was found to cover.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Covered {
    /// The signed attributes as received (the normal case).
    SignedAttributes,
    /// The DER re-encoding of signed attributes the signer sent in BER.
    SignedAttributesReencoded,
    /// The content itself (no signed attributes).
    Content,
}

/// Verifies the SignerInfo's signature with `cert`'s key. `content` is the
/// signed content when there are no signed attributes.
pub fn verify_signature(si: &SignerInfo, cert: &Certificate, content: Option<&[u8]>) -> Result<(SigAlg, Covered), String> {
    let alg = signer_algorithm(si)?;
    let describe = |e: VerifyError| match e {
        VerifyError::BadSignature => "the signature does not verify with the signer certificate's key".to_string(),
        other => other.to_string(),
    };
    match (&si.signed_attrs_received, content) {
        (Some(received), _) => match crypto::verify(&cert.key, alg.scheme, received, &si.signature) {
            Ok(()) => Ok((alg, Covered::SignedAttributes)),
            Err(e) => match &si.signed_attrs_der {
                Some(der) if crypto::verify(&cert.key, alg.scheme, der, &si.signature).is_ok() => Ok((alg, Covered::SignedAttributesReencoded)),
                _ => Err(describe(e)),
            },
        },
        (None, Some(c)) => crypto::verify(&cert.key, alg.scheme, c, &si.signature).map(|_| (alg, Covered::Content)).map_err(describe),
        (None, None) => Err("there are no signed attributes and no content to verify the signature over".into()),
    }
}

/// Consistency of the unsigned SignedData fields with the signer (RFC 5652
/// §5.1, §11.1): the SignerInfo's digest algorithm is listed in
/// digestAlgorithms, and a content-type attribute equals eContentType. These
/// fields are outside the signature; a verifier that ignored them would accept
/// a SignedData that says one thing and signs another.
pub fn consistency_problems(sd: &SignedData, si: &SignerInfo) -> Vec<String> {
    let mut problems = Vec::new();
    if ![1, 3, 4, 5].contains(&sd.version) {
        problems.push(format!("SignedData version {} is not a CMS version (1, 3, 4 or 5)", sd.version));
    }
    let sid_version = match si.sid {
        SignerId::IssuerSerial { .. } => 1,
        SignerId::SubjectKeyId(_) => 3,
    };
    if si.version != sid_version {
        problems.push(format!("SignerInfo version {} does not fit its signer identifier (version {sid_version} expected)", si.version));
    }
    if !sd.digest_algorithms.contains(&si.digest_alg) {
        problems.push(format!("the signer's digest algorithm {} is not listed in digestAlgorithms", si.digest_alg));
    }
    // Attached content must be what the message-digest attribute names (§5.4).
    if let (Some(content), Ok(Some(md)), Some(h)) = (&sd.econtent, super::attributes::message_digest(si), crate::x509::sigalg::digest_algorithm(&si.digest_alg))
    {
        if h.digest(content) != md {
            problems.push("the encapsulated content does not match the message-digest attribute".to_string());
        }
    }
    if let Ok(Some(ct)) = super::attributes::content_type(si) {
        if ct != sd.econtent_type {
            problems.push(format!("the signed content-type {ct} differs from eContentType {}", sd.econtent_type));
        }
    }
    problems
}

/// How a SignerInfo's ESS signing-certificate(-v2) attribute identifies a certificate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EssBinding {
    /// The first reference names the certificate by hash and, when it carries
    /// issuerSerial, by issuer and serial number too.
    Bound { attribute: &'static str },
    /// Neither signing-certificate attribute is present.
    Absent,
    /// The attribute holds no reference.
    Empty { attribute: &'static str },
    /// The certificate matches only reference `position` (1-based) of `count`:
    /// the first, which identifies the signing certificate, names another.
    NotFirst { attribute: &'static str, position: usize, count: usize },
    /// The first reference's hash names the certificate, but its issuerSerial
    /// names another issuer or serial number.
    IssuerSerialMismatch { attribute: &'static str },
    /// No reference names the certificate.
    Other { attribute: &'static str },
    /// The attribute cannot be read.
    Malformed(String),
}

/// Compares the ESS signing-certificate(-v2) attribute with `cert`.
///
/// The first ESSCertID(v2) identifies the signing certificate; any others name
/// other certificates of its path (RFC 5035 §3, RFC 2634 §5.4, ETSI EN 319
/// 122-1 §5.2.2.3). When a reference carries issuerSerial, its issuer and serial
/// number must be the certificate's as well (ETSI EN 319 102-1 §5.2.3.4): a hash
/// that matches beside an issuerSerial that does not is a reference that
/// contradicts itself.
pub fn ess_binding(si: &SignerInfo, cert: &Certificate) -> EssBinding {
    let (ids, attribute) = match super::attributes::signing_certificate(si) {
        Ok(Some(found)) => found,
        Ok(None) => return EssBinding::Absent,
        Err(why) => return EssBinding::Malformed(why),
    };
    let hash_names = |id: &super::attributes::EssCertId| digest_algorithm(&id.hash_alg).is_some_and(|h| h.digest(&cert.der) == id.hash);
    let serial_names = |id: &super::attributes::EssCertId| match &id.issuer_serial {
        None => true,
        Some((issuers, serial)) => serial_eq(serial, &cert.serial) && issuers.iter().any(|i| cert.issuer_is(i)),
    };
    match ids.iter().position(hash_names) {
        Some(0) if serial_names(&ids[0]) => EssBinding::Bound { attribute },
        Some(0) => EssBinding::IssuerSerialMismatch { attribute },
        Some(k) => EssBinding::NotFirst { attribute, position: k + 1, count: ids.len() },
        None if ids.is_empty() => EssBinding::Empty { attribute },
        None => EssBinding::Other { attribute },
    }
}
