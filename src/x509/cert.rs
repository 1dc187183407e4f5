//! An X.509 certificate (RFC 5280 §4.1) as an owned summary of what checks use.

use super::name::render_name;
use super::name_constraints::{self, AltName, NameConstraints};
use crate::crypto::{sha1, sha256, Curve, PublicKey};
use crate::time::UnixTime;
use std::fmt;
use x509_parser::extensions::ParsedExtension;
use x509_parser::prelude::{FromDer, X509Certificate};
use x509_parser::public_key::PublicKey as XPublicKey;

/// Why bytes are not a certificate we can use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CertError {
    /// Not a DER X.509 certificate; the parser's reason.
    Parse(String),
    /// Bytes follow the certificate's outer SEQUENCE.
    TrailingData(usize),
}

impl fmt::Display for CertError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CertError::Parse(why) => write!(f, "not a DER X.509 certificate: {why}"),
            CertError::TrailingData(n) => write!(f, "{n} bytes follow the certificate"),
        }
    }
}

impl std::error::Error for CertError {}

/// The extensions checks look at (RFC 5280 §4.2), parsed once.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Extensions {
    /// basicConstraints: (cA, pathLenConstraint).
    pub basic_constraints: Option<(bool, Option<u32>)>,
    /// keyUsage bits as x509-parser numbers them (bit 0 = digitalSignature).
    pub key_usage: Option<u16>,
    /// extKeyUsage purpose OIDs, dotted.
    pub extended_key_usage: Option<Vec<String>>,
    /// extKeyUsage is marked critical (RFC 3161 §2.3 requires it of TSAs).
    pub extended_key_usage_critical: bool,
    pub subject_key_id: Option<Vec<u8>>,
    pub authority_key_id: Option<Vec<u8>>,
    /// cRLDistributionPoints (RFC 5280 §4.2.1.13): the DER of each
    /// DistributionPoint's distributionPoint field (`[0] DistributionPointName`),
    /// for matching a CRL's issuingDistributionPoint (§6.3.3(b)(2)).
    pub crl_distribution_points: Vec<Vec<u8>>,
    /// subjectAltName entries (RFC 5280 §4.2.1.6), kept for name constraints.
    pub subject_alt_names: Vec<AltName>,
    /// nameConstraints (RFC 5280 §4.2.1.10), judged over the names of the
    /// certificates below this one in a path.
    pub name_constraints: Option<NameConstraints>,
    /// id-pkix-ocsp-nocheck (RFC 6960 §4.2.2.2.1) is present.
    pub ocsp_nocheck: bool,
    /// Critical extensions this verifier does not understand, dotted OIDs.
    pub unknown_critical: Vec<String>,
    /// Extensions outside [`KNOWN_EXTENSIONS`] that x509-parser knows but
    /// could not decode, dotted OIDs (a known one that fails rejects the
    /// certificate instead).
    pub malformed: Vec<String>,
}

/// A parsed certificate. Cheap to clone behind an `Arc`; immutable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Certificate {
    pub der: Vec<u8>,
    pub sha1: [u8; 20],
    pub sha256: [u8; 32],
    /// 1, 2 or 3.
    pub version: u32,
    /// The serial number's DER INTEGER content bytes.
    pub serial: Vec<u8>,
    pub subject: String,
    pub issuer: String,
    /// DER encodings of the Name structures.
    pub subject_der: Vec<u8>,
    pub issuer_der: Vec<u8>,
    /// The names in comparable form ([`super::name_match::comparable`]):
    /// equal exactly when the names match under RFC 5280 §7.1.
    pub subject_cmp: Vec<u8>,
    pub issuer_cmp: Vec<u8>,
    pub not_before: UnixTime,
    pub not_after: UnixTime,
    pub key: PublicKey,
    /// The SubjectPublicKeyInfo DER.
    pub spki_der: Vec<u8>,
    /// The subjectPublicKey BIT STRING value (what OCSP's issuerKeyHash hashes, RFC 6960 §4.1.1).
    pub public_key_bits: Vec<u8>,
    /// The exact signed bytes (tbsCertificate DER).
    pub tbs: Vec<u8>,
    /// signatureAlgorithm OID, dotted, and its parameters' DER (for RSASSA-PSS).
    pub signature_alg: String,
    pub signature_alg_params: Option<Vec<u8>>,
    pub signature: Vec<u8>,
    pub extensions: Extensions,
}

const KNOWN_EXTENSIONS: &[&str] = &[
    "2.5.29.14",            // subjectKeyIdentifier
    "2.5.29.15",            // keyUsage
    "2.5.29.17",            // subjectAltName
    "2.5.29.18",            // issuerAltName
    "2.5.29.19",            // basicConstraints
    "2.5.29.30",            // nameConstraints (judged in pki::path)
    "2.5.29.31",            // cRLDistributionPoints
    "2.5.29.32",            // certificatePolicies (any policy accepted: we do not filter by policy)
    "2.5.29.35",            // authorityKeyIdentifier
    "2.5.29.37",            // extKeyUsage
    "1.3.6.1.5.5.7.1.1",    // authorityInfoAccess
    "1.3.6.1.5.5.7.1.3",    // qcStatements (informational for us)
    "1.3.6.1.5.5.7.48.1.5", // id-pkix-ocsp-nocheck
];

fn spki_key(cert: &X509Certificate<'_>) -> PublicKey {
    let spki = cert.public_key();
    let alg = spki.algorithm.algorithm.to_id_string();
    match alg.as_str() {
        // rsaEncryption (RFC 8017) and id-RSASSA-PSS keys (RFC 4055 §1.2) hold RSAPublicKey.
        "1.2.840.113549.1.1.1" | "1.2.840.113549.1.1.10" => match x509_parser::public_key::RSAPublicKey::from_der(&spki.subject_public_key.data) {
            Ok((_, k)) => PublicKey::rsa(k.modulus, k.exponent),
            Err(_) => PublicKey::Unsupported("malformed RSA public key".into()),
        },
        "1.2.840.10045.2.1" => {
            let curve_oid = spki.algorithm.parameters.as_ref().and_then(|p| p.as_oid().ok()).map(|o| o.to_id_string()).unwrap_or_default();
            match (Curve::from_oid(&curve_oid), spki.parsed()) {
                (Some(curve), Ok(XPublicKey::EC(point))) => PublicKey::Ec { curve, point: point.data().to_vec() },
                _ => PublicKey::Unsupported(format!("EC key on curve {curve_oid}")),
            }
        }
        "1.3.101.112" => PublicKey::Ed25519(spki.subject_public_key.data.to_vec()),
        other => PublicKey::Unsupported(format!("public key algorithm {other}")),
    }
}

/// The extensions, or why the certificate must be rejected: an extension
/// repeated (RFC 5280 §4.2: a certificate MUST NOT include more than one
/// instance of a particular extension), or one this verifier relies on that
/// cannot be decoded (ignoring it would judge the certificate as if it had
/// no such constraint).
fn extensions(cert: &X509Certificate<'_>) -> Result<Extensions, CertError> {
    let mut out = Extensions::default();
    let listed = super::extensions::distinct_by_oid(cert.extensions())
        .map_err(|oid| CertError::Parse(format!("the extension {oid} appears more than once (RFC 5280 §4.2)")))?;
    for (oid, ext) in listed {
        match ext.parsed_extension() {
            ParsedExtension::BasicConstraints(bc) => out.basic_constraints = Some((bc.ca, bc.path_len_constraint)),
            ParsedExtension::KeyUsage(ku) => out.key_usage = Some(ku.flags),
            ParsedExtension::ExtendedKeyUsage(eku) => {
                let mut oids = Vec::new();
                let named = [
                    (eku.any, "2.5.29.37.0"),
                    (eku.server_auth, "1.3.6.1.5.5.7.3.1"),
                    (eku.client_auth, "1.3.6.1.5.5.7.3.2"),
                    (eku.code_signing, "1.3.6.1.5.5.7.3.3"),
                    (eku.email_protection, "1.3.6.1.5.5.7.3.4"),
                    (eku.time_stamping, "1.3.6.1.5.5.7.3.8"),
                    (eku.ocsp_signing, "1.3.6.1.5.5.7.3.9"),
                ];
                oids.extend(named.iter().filter(|(on, _)| *on).map(|(_, o)| o.to_string()));
                oids.extend(eku.other.iter().map(|o| o.to_id_string()));
                out.extended_key_usage = Some(oids);
                out.extended_key_usage_critical = ext.critical;
            }
            ParsedExtension::SubjectAlternativeName(san) => out.subject_alt_names = name_constraints::alt_names(&san.general_names),
            ParsedExtension::SubjectKeyIdentifier(ki) => out.subject_key_id = Some(ki.0.to_vec()),
            ParsedExtension::AuthorityKeyIdentifier(aki) => out.authority_key_id = aki.key_identifier.as_ref().map(|k| k.0.to_vec()),
            ParsedExtension::ParseError { error } => {
                if KNOWN_EXTENSIONS.contains(&oid.as_str()) {
                    return Err(CertError::Parse(format!("the extension {oid} cannot be decoded: {error}")));
                }
                out.malformed.push(oid.clone());
            }
            _ => {}
        }
        if oid == "1.3.6.1.5.5.7.48.1.5" {
            out.ocsp_nocheck = true;
        }
        if oid == "2.5.29.30" {
            // Read by our own parser: x509-parser drops minimum and maximum.
            let nc = name_constraints::parse(ext.value).map_err(|why| CertError::Parse(format!("the extension 2.5.29.30 cannot be decoded: {why}")))?;
            out.name_constraints = Some(nc);
        }
        if oid == "2.5.29.31" {
            out.crl_distribution_points = distribution_point_names(ext.value);
        }
        if ext.critical && !KNOWN_EXTENSIONS.contains(&oid.as_str()) {
            out.unknown_critical.push(oid);
        }
    }
    Ok(out)
}

/// The distributionPoint fields of a cRLDistributionPoints value, as DER;
/// empty when it cannot be read (then no CRL scope can match it).
fn distribution_point_names(value: &[u8]) -> Vec<Vec<u8>> {
    let budget = crate::asn1::Budget::new();
    let Ok(top) = crate::asn1::parse_exact(value, &budget) else { return Vec::new() };
    let Ok(points) = top.sequence("CRLDistributionPoints") else { return Vec::new() };
    points.iter().filter_map(|dp| dp.child_vec().ok()).filter_map(|fields| fields.into_iter().find(|f| f.is_context(0)).map(|f| f.raw.to_vec())).collect()
}

/// RFC 5280 §4.1.1.2: the outer signatureAlgorithm (outside the signed bytes)
/// must be the same AlgorithmIdentifier as the signed tbsCertificate.signature,
/// byte for byte, or an unsigned field could change how the signature is read.
fn outer_and_inner_algorithms_match(der: &[u8]) -> Result<(), CertError> {
    let budget = crate::asn1::Budget::new();
    let bad = |e: crate::asn1::Asn1Error| CertError::Parse(e.to_string());
    let top = crate::asn1::parse_exact(der, &budget).map_err(bad)?;
    let parts = top.child_vec().map_err(bad)?;
    let (Some(tbs), Some(outer)) = (parts.first(), parts.get(1)) else {
        return Err(CertError::Parse("not a SEQUENCE of tbsCertificate, signatureAlgorithm, signature".into()));
    };
    let fields = tbs.child_vec().map_err(bad)?;
    // tbsCertificate: [0] version (optional), serialNumber, signature, ...
    let skip = usize::from(fields.first().is_some_and(|f| f.is_context(0)));
    match fields.get(skip + 1) {
        Some(inner) if inner.raw == outer.raw => Ok(()),
        _ => Err(CertError::Parse("signatureAlgorithm differs from tbsCertificate.signature (RFC 5280 §4.1.1.2)".into())),
    }
}

impl Certificate {
    /// Parses one DER certificate; trailing bytes are an error.
    pub fn from_der(der: &[u8]) -> Result<Certificate, CertError> {
        let (rest, cert) = X509Certificate::from_der(der).map_err(|e| CertError::Parse(e.to_string()))?;
        if !rest.is_empty() {
            return Err(CertError::TrailingData(rest.len()));
        }
        let der_used = &der[..der.len() - rest.len()];
        outer_and_inner_algorithms_match(der_used)?;
        // Signatures and keys are whole octets; unused bits would let two encodings carry one value.
        if cert.signature_value.unused_bits != 0 || cert.public_key().subject_public_key.unused_bits != 0 {
            return Err(CertError::Parse("a signature or key BIT STRING has unused bits".into()));
        }
        let tbs = &cert.tbs_certificate;
        let extensions = extensions(&cert)?;
        Ok(Certificate {
            der: der_used.to_vec(),
            sha1: sha1(der_used),
            sha256: sha256(der_used),
            version: tbs.version.0 + 1,
            serial: cert.raw_serial().to_vec(),
            subject: render_name(tbs.subject()),
            issuer: render_name(tbs.issuer()),
            subject_der: tbs.subject().as_raw().to_vec(),
            issuer_der: tbs.issuer().as_raw().to_vec(),
            subject_cmp: super::name_match::comparable(tbs.subject().as_raw()),
            issuer_cmp: super::name_match::comparable(tbs.issuer().as_raw()),
            not_before: UnixTime(tbs.validity.not_before.timestamp()),
            not_after: UnixTime(tbs.validity.not_after.timestamp()),
            key: spki_key(&cert),
            spki_der: cert.public_key().raw.to_vec(),
            public_key_bits: cert.public_key().subject_public_key.data.to_vec(),
            tbs: tbs.as_ref().to_vec(),
            signature_alg: cert.signature_algorithm.algorithm.to_id_string(),
            signature_alg_params: cert
                .signature_algorithm
                .parameters
                .as_ref()
                .filter(|p| p.tag() != x509_parser::der_parser::asn1_rs::Tag::Null)
                .map(|p| p.as_bytes().to_vec()),
            signature: cert.signature_value.data.to_vec(),
            extensions,
        })
    }

    /// Uppercase hex SHA-1 of the DER: the broker's `kid` / `x5t` form.
    pub fn thumbprint_sha1_hex(&self) -> String {
        crate::encoding::hex_upper(&self.sha1)
    }

    /// The serial number as colon-free uppercase hex.
    pub fn serial_hex(&self) -> String {
        crate::encoding::hex_upper(&self.serial)
    }

    /// True when the subject and issuer names match (RFC 5280 §6.1: a
    /// self-issued certificate; self-signed when its own key also signed it).
    pub fn is_self_issued(&self) -> bool {
        self.subject_cmp == self.issuer_cmp
    }

    /// True when this certificate's issuer name matches `issuer`'s subject
    /// name (RFC 5280 §6.1.3(a)(4), names compared per §7.1).
    pub fn issuer_name_is(&self, issuer: &Certificate) -> bool {
        self.issuer_der == issuer.subject_der || self.issuer_cmp == issuer.subject_cmp
    }

    /// True when this certificate's issuer name matches the Name DER `name`
    /// (§7.1), against the comparable form prepared when it was parsed.
    pub fn issuer_is(&self, name: &[u8]) -> bool {
        self.issuer_der == name || self.issuer_cmp == super::name_match::comparable(name)
    }

    /// True when this certificate's subject matches a Name given by its DER
    /// and its §7.1 comparable form, prepared once by the caller (an OCSP
    /// ResponderID is compared with every candidate certificate).
    pub fn subject_matches(&self, der: &[u8], comparable: &[u8]) -> bool {
        self.subject_der == der || self.subject_cmp == comparable
    }

    /// True when both certificates name the same subject (§7.1).
    pub fn same_subject(&self, other: &Certificate) -> bool {
        self.subject_der == other.subject_der || self.subject_cmp == other.subject_cmp
    }

    /// A short label: "CN=..., ... (SHA-1 0480...)".
    pub fn label(&self) -> String {
        format!("'{}' (SHA-1 {})", self.subject, self.thumbprint_sha1_hex())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_error(der: &[u8]) -> String {
        match Certificate::from_der(der) {
            Err(CertError::Parse(why)) => why,
            other => panic!("expected a parse error, got {other:?}"),
        }
    }

    #[test]
    fn well_formed_certificate_parses() {
        let c = Certificate::from_der(include_bytes!("testdata/well_formed_root.der")).unwrap();
        assert_eq!(c.extensions.basic_constraints.map(|b| b.0), Some(true));
    }

    /// RFC 5280 §4.2: one instance per extension. A CA certificate with
    /// basicConstraints cA=FALSE then cA=TRUE, and a leaf with two keyUsage
    /// extensions, are rejected rather than read "last wins".
    #[test]
    fn duplicate_extensions_are_rejected() {
        let why = parse_error(include_bytes!("testdata/duplicate_basic_constraints.der"));
        assert!(why.contains("2.5.29.19") && why.contains("more than once"), "{why}");
        let why = parse_error(include_bytes!("testdata/duplicate_key_usage.der"));
        assert!(why.contains("2.5.29.15") && why.contains("more than once"), "{why}");
    }

    /// A critical keyUsage whose extnValue holds an INTEGER, not a BIT STRING:
    /// the certificate is rejected, not judged as if it had no keyUsage.
    #[test]
    fn malformed_known_extension_is_rejected() {
        let why = parse_error(include_bytes!("testdata/malformed_key_usage.der"));
        assert!(why.contains("2.5.29.15") && why.contains("cannot be decoded"), "{why}");
    }
}
