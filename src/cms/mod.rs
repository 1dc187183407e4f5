//! CMS SignedData (RFC 5652), BER or DER, as PDF signatures, RFC 3161
//! timestamps and sign-service results carry it.
//!
//! ```text
//! ContentInfo ::= SEQUENCE { contentType OBJECT IDENTIFIER, content [0] EXPLICIT ANY }
//! SignedData ::= SEQUENCE { version CMSVersion, digestAlgorithms SET OF DigestAlgorithmIdentifier,
//!     encapContentInfo EncapsulatedContentInfo, certificates [0] IMPLICIT CertificateSet OPTIONAL,
//!     crls [1] IMPLICIT RevocationInfoChoices OPTIONAL, signerInfos SET OF SignerInfo }
//! EncapsulatedContentInfo ::= SEQUENCE { eContentType OBJECT IDENTIFIER, eContent [0] EXPLICIT OCTET STRING OPTIONAL }
//! SignerInfo ::= SEQUENCE { version CMSVersion, sid SignerIdentifier, digestAlgorithm DigestAlgorithmIdentifier,
//!     signedAttrs [0] IMPLICIT SignedAttributes OPTIONAL, signatureAlgorithm SignatureAlgorithmIdentifier,
//!     signature SignatureValue, unsignedAttrs [1] IMPLICIT UnsignedAttributes OPTIONAL }
//! SignerIdentifier ::= CHOICE { issuerAndSerialNumber IssuerAndSerialNumber, subjectKeyIdentifier [0] SubjectKeyIdentifier }
//! Attribute ::= SEQUENCE { attrType OBJECT IDENTIFIER, attrValues SET OF AttributeValue }
//! ```

pub mod attributes;
pub mod signer;
pub mod tst;

use crate::asn1::der::{set_of_der, to_der};
use crate::asn1::{parse_exact, Asn1Error, Budget, Class, Element, ErrorKind, Tag};
use crate::x509::Certificate;
use std::sync::Arc;

/// id-signedData.
pub const OID_SIGNED_DATA: &str = "1.2.840.113549.1.7.2";
/// id-data.
pub const OID_DATA: &str = "1.2.840.113549.1.7.1";

/// How a SignerInfo names its certificate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignerId {
    /// The DER of the issuer Name and the serial's content octets.
    IssuerSerial {
        issuer: Vec<u8>,
        serial: Vec<u8>,
    },
    SubjectKeyId(Vec<u8>),
}

/// One attribute: its type and the DER of each value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attribute {
    pub oid: String,
    pub values: Vec<Vec<u8>>,
}

/// A SignerInfo.
#[derive(Clone, Debug)]
pub struct SignerInfo {
    pub version: u64,
    pub sid: SignerId,
    pub digest_alg: String,
    /// The signed attributes, in the order received.
    pub signed_attrs: Vec<Attribute>,
    /// The bytes the signature covers when signed attributes are present:
    /// the received `[0]` encoding with its tag changed to SET OF (0x31).
    pub signed_attrs_received: Option<Vec<u8>>,
    /// The DER re-encoding of the same SET OF, when it differs from the received bytes.
    pub signed_attrs_der: Option<Vec<u8>>,
    pub signature_alg: String,
    pub signature_alg_params: Option<Vec<u8>>,
    pub signature: Vec<u8>,
    pub unsigned_attrs: Vec<Attribute>,
}

/// A SignedData.
#[derive(Clone, Debug)]
pub struct SignedData {
    pub version: u64,
    pub digest_algorithms: Vec<String>,
    pub econtent_type: String,
    /// The encapsulated content, when present (timestamps carry TSTInfo here;
    /// detached PDF signatures have none).
    pub econtent: Option<Vec<u8>>,
    pub certificates: Vec<Arc<Certificate>>,
    /// Certificates that could not be parsed, with the reason.
    pub bad_certificates: Vec<String>,
    /// CRLs (DER CertificateList) in the crls field.
    pub crls: Vec<Vec<u8>>,
    /// OCSP responses carried as RevocationInfoChoice other (id-ri-ocsp-response).
    pub ocsp_responses: Vec<Vec<u8>>,
    pub signer_infos: Vec<SignerInfo>,
    /// True when any part used BER-only forms (indefinite lengths).
    pub ber: bool,
}

fn bad(el: &Element<'_>, what: &'static str) -> Asn1Error {
    Asn1Error { offset: el.offset, kind: ErrorKind::BadValue(what) }
}

fn algorithm(el: &Element<'_>) -> Result<(String, Option<Vec<u8>>), Asn1Error> {
    let parts = el.sequence("AlgorithmIdentifier")?;
    let oid = parts.first().ok_or_else(|| bad(el, "AlgorithmIdentifier"))?.oid()?;
    let params = parts.get(1).filter(|p| p.tag != Tag::NULL).map(|p| p.content.to_vec());
    Ok((oid, params))
}

fn attributes(el: &Element<'_>) -> Result<Vec<Attribute>, Asn1Error> {
    let mut out = Vec::new();
    for attr in el.children() {
        let attr = attr?;
        let parts = attr.sequence("Attribute")?;
        if parts.len() != 2 {
            return Err(bad(&attr, "Attribute"));
        }
        let oid = parts[0].oid()?;
        parts[1].expect(Tag::SET, "attrValues")?;
        let values = parts[1].children().map(|v| v.and_then(|v| to_der(&v))).collect::<Result<_, _>>()?;
        out.push(Attribute { oid, values });
    }
    Ok(out)
}

fn signer_info(el: &Element<'_>) -> Result<SignerInfo, Asn1Error> {
    let parts = el.sequence("SignerInfo")?;
    if parts.len() < 5 {
        return Err(bad(el, "SignerInfo"));
    }
    let version = parts[0].small_uint()?;
    let sid = if parts[1].tag == Tag::SEQUENCE {
        let ias = parts[1].child_vec()?;
        if ias.len() != 2 {
            return Err(bad(&parts[1], "IssuerAndSerialNumber"));
        }
        SignerId::IssuerSerial { issuer: to_der(&ias[0])?, serial: ias[1].integer_bytes()?.to_vec() }
    } else if parts[1].is_context(0) {
        SignerId::SubjectKeyId(parts[1].octets_of(Tag::context(0, false))?.into_owned())
    } else {
        return Err(bad(&parts[1], "SignerIdentifier"));
    };
    let (digest_alg, _) = algorithm(&parts[2])?;
    let mut i = 3;
    let mut signed_attrs = Vec::new();
    let mut signed_attrs_received = None;
    let mut signed_attrs_der = None;
    if parts[i].is_context(0) {
        let el = &parts[i];
        signed_attrs = attributes(el)?;
        // The signature covers the SET OF encoding: same bytes, universal SET tag (RFC 5652 §5.4).
        let mut received = el.raw.to_vec();
        received[0] = 0x31;
        let der = set_of_der(el, Tag::SET)?;
        if der != received {
            signed_attrs_der = Some(der);
        }
        signed_attrs_received = Some(received);
        i += 1;
    }
    let (signature_alg, signature_alg_params) = algorithm(parts.get(i).ok_or_else(|| bad(el, "signatureAlgorithm"))?)?;
    let signature = parts.get(i + 1).ok_or_else(|| bad(el, "signature"))?.octets()?.into_owned();
    let mut unsigned_attrs = Vec::new();
    if let Some(u) = parts.get(i + 2) {
        if !u.is_context(1) {
            return Err(bad(u, "unsignedAttrs"));
        }
        unsigned_attrs = attributes(u)?;
    }
    Ok(SignerInfo {
        version,
        sid,
        digest_alg,
        signed_attrs,
        signed_attrs_received,
        signed_attrs_der,
        signature_alg,
        signature_alg_params,
        signature,
        unsigned_attrs,
    })
}

fn any_indefinite(el: &Element<'_>) -> bool {
    el.indefinite || (el.tag.constructed && el.children().any(|c| c.map(|c| any_indefinite(&c)).unwrap_or(false)))
}

/// Parses a ContentInfo holding SignedData. Trailing zero bytes (PDF /Contents
/// padding) must be stripped by the caller; anything else after the structure is an error.
pub fn parse(data: &[u8]) -> Result<SignedData, Asn1Error> {
    let budget = Budget::new();
    let top = parse_exact(data, &budget)?;
    let ci = top.sequence("ContentInfo")?;
    let ctype = ci.first().ok_or_else(|| bad(&top, "ContentInfo"))?.oid()?;
    if ctype != OID_SIGNED_DATA {
        return Err(Asn1Error { offset: top.offset, kind: ErrorKind::Unexpected { expected: "id-signedData", found: ctype } });
    }
    let content = ci.get(1).filter(|c| c.is_context(0)).ok_or_else(|| bad(&top, "ContentInfo content"))?.explicit_inner()?;
    let sd = content.sequence("SignedData")?;
    if sd.len() < 4 {
        return Err(bad(&content, "SignedData"));
    }
    let version = sd[0].small_uint()?;
    sd[1].expect(Tag::SET, "digestAlgorithms")?;
    let digest_algorithms = sd[1].children().map(|a| a.and_then(|a| algorithm(&a).map(|x| x.0))).collect::<Result<_, _>>()?;
    let eci = sd[2].sequence("EncapsulatedContentInfo")?;
    let econtent_type = eci.first().ok_or_else(|| bad(&sd[2], "eContentType"))?.oid()?;
    let econtent = match eci.get(1) {
        Some(e) if e.is_context(0) => Some(e.explicit_inner()?.octets()?.into_owned()),
        Some(e) => return Err(bad(e, "eContent")),
        None => None,
    };
    let mut certificates = Vec::new();
    let mut bad_certificates = Vec::new();
    let mut crls = Vec::new();
    let mut ocsp_responses = Vec::new();
    let mut idx = 3;
    while idx < sd.len() && sd[idx].tag.class == Class::Context {
        let field = &sd[idx];
        match field.tag.number {
            0 => {
                for c in field.children() {
                    let c = c?;
                    if c.tag != Tag::SEQUENCE {
                        continue; // attribute certificates and other formats are not used here
                    }
                    let der = if c.indefinite { to_der(&c)? } else { c.raw.to_vec() };
                    match Certificate::from_der(&der) {
                        Ok(cert) => certificates.push(Arc::new(cert)),
                        Err(e) => bad_certificates.push(format!("certificate at byte {}: {e}", c.offset)),
                    }
                }
            }
            1 => {
                for r in field.children() {
                    let r = r?;
                    if r.tag == Tag::SEQUENCE {
                        crls.push(to_der(&r)?);
                    } else if r.is_context(1) {
                        // OtherRevocationInfoFormat { otherRevInfoFormat, otherRevInfo }
                        let kids = r.child_vec()?;
                        if kids.len() == 2 && kids[0].oid()? == "1.3.6.1.5.5.7.16.2" {
                            ocsp_responses.push(to_der(&kids[1])?);
                        }
                    }
                }
            }
            _ => return Err(bad(field, "SignedData field")),
        }
        idx += 1;
    }
    let infos = sd.get(idx).ok_or_else(|| bad(&content, "signerInfos"))?;
    infos.expect(Tag::SET, "signerInfos")?;
    let signer_infos = infos.children().map(|s| s.and_then(|s| signer_info(&s))).collect::<Result<_, _>>()?;
    Ok(SignedData {
        version,
        digest_algorithms,
        econtent_type,
        econtent,
        certificates,
        bad_certificates,
        crls,
        ocsp_responses,
        signer_infos,
        ber: any_indefinite(&top),
    })
}

/// Strips the zero padding a PDF /Contents hex string carries after the CMS
/// (ISO 32000-1 §12.8.1). Returns the CMS bytes and whether the padding was all zeros.
pub fn strip_pdf_padding(contents: &[u8]) -> Result<(&[u8], bool), Asn1Error> {
    let budget = Budget::new();
    let (_, rest) = crate::asn1::parse_first(contents, &budget)?;
    let used = contents.len() - rest.len();
    Ok((&contents[..used], rest.iter().all(|&b| b == 0)))
}

#[cfg(test)]
mod tests;
