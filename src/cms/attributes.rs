//! The CMS attributes PAdES and broker seals use (RFC 5652 §11, RFC 5035,
//! RFC 6211, RFC 3161 Appendix A, Adobe's revocation-info-archival).

use super::{Attribute, SignerInfo};
use crate::asn1::{parse_exact, Asn1Error, Budget, ErrorKind, Tag};
use crate::time::UnixTime;

pub const CONTENT_TYPE: &str = "1.2.840.113549.1.9.3";
pub const MESSAGE_DIGEST: &str = "1.2.840.113549.1.9.4";
pub const SIGNING_TIME: &str = "1.2.840.113549.1.9.5";
pub const SIGNING_CERTIFICATE: &str = "1.2.840.113549.1.9.16.2.12";
pub const SIGNING_CERTIFICATE_V2: &str = "1.2.840.113549.1.9.16.2.47";
pub const CMS_ALGORITHM_PROTECTION: &str = "1.2.840.113549.1.9.52";
pub const SIGNATURE_TIMESTAMP: &str = "1.2.840.113549.1.9.16.2.14";
pub const REVOCATION_INFO_ARCHIVAL: &str = "1.2.840.113583.1.1.8";

/// The single value of an attribute; `Err` when absent is not an error for the caller.
pub fn single<'a>(attrs: &'a [Attribute], oid: &str) -> Result<Option<&'a [u8]>, String> {
    let found: Vec<&Attribute> = attrs.iter().filter(|a| a.oid == oid).collect();
    match found.as_slice() {
        [] => Ok(None),
        [a] if a.values.len() == 1 => Ok(Some(&a.values[0])),
        [a] => Err(format!("attribute {oid} has {} values, exactly one is allowed", a.values.len())),
        _ => Err(format!("attribute {oid} appears {} times, at most once is allowed", found.len())),
    }
}

fn parse_value<T>(der: &[u8], f: impl FnOnce(&crate::asn1::Element<'_>) -> Result<T, Asn1Error>) -> Result<T, String> {
    let budget = Budget::new();
    let el = parse_exact(der, &budget).map_err(|e| e.to_string())?;
    f(&el).map_err(|e| e.to_string())
}

/// content-type: the OID.
pub fn content_type(si: &SignerInfo) -> Result<Option<String>, String> {
    single(&si.signed_attrs, CONTENT_TYPE)?.map(|v| parse_value(v, |e| e.oid())).transpose()
}

/// message-digest: the octets.
pub fn message_digest(si: &SignerInfo) -> Result<Option<Vec<u8>>, String> {
    single(&si.signed_attrs, MESSAGE_DIGEST)?.map(|v| parse_value(v, |e| e.octets().map(|o| o.into_owned()))).transpose()
}

/// signing-time (UTCTime or GeneralizedTime).
pub fn signing_time(si: &SignerInfo) -> Result<Option<UnixTime>, String> {
    single(&si.signed_attrs, SIGNING_TIME)?.map(|v| parse_value(v, |e| e.time())).transpose()
}

/// One certificate reference of signing-certificate(-v2) (RFC 5035 §3, RFC 2634 §5.4).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EssCertId {
    /// Hash algorithm OID (SHA-1 for v1; default SHA-256 for v2).
    pub hash_alg: String,
    pub hash: Vec<u8>,
    /// issuerSerial, when given: the DER of every directoryName among its
    /// GeneralNames, and the serial number's content octets.
    pub issuer_serial: Option<(Vec<Vec<u8>>, Vec<u8>)>,
}

/// signing-certificate-v2 or, failing that, signing-certificate (v1): the
/// references, and which attribute held them.
pub fn signing_certificate(si: &SignerInfo) -> Result<Option<(Vec<EssCertId>, &'static str)>, String> {
    let (value, v2) = match single(&si.signed_attrs, SIGNING_CERTIFICATE_V2)? {
        Some(v) => (v, true),
        None => match single(&si.signed_attrs, SIGNING_CERTIFICATE)? {
            Some(v) => (v, false),
            None => return Ok(None),
        },
    };
    let ids = parse_value(value, |e| {
        let parts = e.sequence("SigningCertificate")?;
        let certs = parts.first().ok_or(Asn1Error { offset: e.offset, kind: ErrorKind::BadValue("SigningCertificate") })?;
        let mut out = Vec::new();
        for id in certs.sequence("ESSCertID")? {
            let f = id.sequence("ESSCertID")?;
            let mut k = 0;
            let mut hash_alg = if v2 { "2.16.840.1.101.3.4.2.1".to_string() } else { "1.3.14.3.2.26".to_string() };
            if v2 && f.first().is_some_and(|x| x.tag == Tag::SEQUENCE) {
                hash_alg = f[0].sequence("AlgorithmIdentifier")?.first().map(|o| o.oid()).transpose()?.unwrap_or(hash_alg);
                k = 1;
            }
            let hash = f.get(k).ok_or(Asn1Error { offset: id.offset, kind: ErrorKind::BadValue("certHash") })?.octets()?.into_owned();
            // IssuerSerial ::= SEQUENCE { issuer GeneralNames, serialNumber }
            let issuer_serial = match f.get(k + 1) {
                Some(is) => {
                    let parts = is.sequence("IssuerSerial")?;
                    let [names, serial] = parts.as_slice() else { return Err(Asn1Error { offset: is.offset, kind: ErrorKind::BadValue("IssuerSerial") }) };
                    // GeneralName directoryName is [4] EXPLICIT Name (RFC 5280 §4.2.1.6).
                    let mut dns = Vec::new();
                    for name in names.sequence("GeneralNames")? {
                        if name.is_context(4) {
                            dns.push(name.explicit_inner()?.raw.to_vec());
                        }
                    }
                    Some((dns, serial.integer_bytes()?.to_vec()))
                }
                None => None,
            };
            out.push(EssCertId { hash_alg, hash, issuer_serial });
        }
        Ok(out)
    })?;
    Ok(Some((ids, if v2 { "signing-certificate-v2" } else { "signing-certificate" })))
}

/// The RFC 3161 timestamp tokens in the unsigned attributes (DER ContentInfo each).
pub fn signature_timestamps(si: &SignerInfo) -> Vec<Vec<u8>> {
    si.unsigned_attrs.iter().filter(|a| a.oid == SIGNATURE_TIMESTAMP).flat_map(|a| a.values.iter().cloned()).collect()
}

/// Adobe's revocation-info-archival (ISO 32000-1 §12.8.3.3.2):
/// `SEQUENCE { crl [0] EXPLICIT SEQUENCE OF CRLs OPTIONAL, ocsp [1] EXPLICIT SEQUENCE OF OCSPResponse OPTIONAL, otherRevInfo [2] ... }`.
/// Returns (CRLs, OCSP responses) as DER.
/// (CRLs, OCSP responses), each as DER.
pub type RevocationValues = (Vec<Vec<u8>>, Vec<Vec<u8>>);

pub fn revocation_info_archival(si: &SignerInfo) -> Result<RevocationValues, String> {
    let Some(v) = single(&si.signed_attrs, REVOCATION_INFO_ARCHIVAL)? else { return Ok((Vec::new(), Vec::new())) };
    parse_value(v, |e| {
        let mut crls = Vec::new();
        let mut ocsps = Vec::new();
        for field in e.sequence("RevocationInfoArchival")? {
            let list = field.explicit_inner()?;
            let items: Vec<Vec<u8>> = list.children().map(|c| c.and_then(|c| crate::asn1::der::to_der(&c))).collect::<Result<_, _>>()?;
            match field.tag.number {
                0 => crls.extend(items),
                1 => ocsps.extend(items),
                _ => {}
            }
        }
        Ok((crls, ocsps))
    })
}
