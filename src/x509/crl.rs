//! Certificate revocation lists (RFC 5280 §5), parsed by `x509-parser` into
//! what a revocation check needs.

use crate::time::UnixTime;
use x509_parser::prelude::FromDer;
use x509_parser::revocation_list::CertificateRevocationList;

/// A CRL's facts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Crl {
    pub issuer_der: Vec<u8>,
    pub this_update: UnixTime,
    pub next_update: Option<UnixTime>,
    /// Revoked certificates (RFC 5280 §5.1.2.6).
    pub revoked: Vec<RevokedEntry>,
    pub tbs: Vec<u8>,
    pub signature_alg: String,
    pub signature_alg_params: Option<Vec<u8>>,
    pub signature: Vec<u8>,
}

/// One entry of revokedCertificates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RevokedEntry {
    /// The serial number's content octets in minimal two's-complement form
    /// ([`super::normalize_integer`]).
    pub serial: Vec<u8>,
    pub revocation_date: UnixTime,
    /// The reasonCode entry extension (RFC 5280 §5.3.1).
    pub reason: Option<u8>,
    /// The invalidityDate entry extension (RFC 5280 §5.3.2): when the key is
    /// known or suspected to have been compromised, possibly before revocationDate.
    pub invalidity_date: Option<UnixTime>,
}

impl RevokedEntry {
    /// From when the certificate must be taken as revoked: the earlier of
    /// revocationDate and invalidityDate. A signature made after the key was
    /// compromised proves nothing, even if the CA learnt of it later.
    pub fn effective_time(&self) -> UnixTime {
        self.invalidity_date.map_or(self.revocation_date, |i| i.min(self.revocation_date))
    }
}

impl Crl {
    /// Parses a DER CertificateList.
    pub fn from_der(der: &[u8]) -> Result<Crl, String> {
        let (_, crl) = CertificateRevocationList::from_der(der).map_err(|e| format!("not a DER CRL: {e}"))?;
        let tbs = &crl.tbs_cert_list;
        Ok(Crl {
            issuer_der: tbs.issuer.as_raw().to_vec(),
            this_update: UnixTime(tbs.this_update.timestamp()),
            next_update: tbs.next_update.map(|t| UnixTime(t.timestamp())),
            revoked: crl
                .iter_revoked_certificates()
                .map(|r| RevokedEntry {
                    serial: super::normalize_integer(r.raw_serial()).to_vec(),
                    revocation_date: UnixTime(r.revocation_date.timestamp()),
                    reason: r.reason_code().map(|(_, c)| c.0),
                    invalidity_date: r.invalidity_date().map(|(_, t)| UnixTime(t.timestamp())),
                })
                .collect(),
            tbs: tbs.as_ref().to_vec(),
            signature_alg: crl.signature_algorithm.algorithm.to_id_string(),
            signature_alg_params: crl
                .signature_algorithm
                .parameters
                .as_ref()
                .filter(|p| p.tag() != x509_parser::der_parser::asn1_rs::Tag::Null)
                .map(|p| p.as_bytes().to_vec()),
            signature: crl.signature_value.data.to_vec(),
        })
    }

    /// The revocation of `serial`, if listed.
    pub fn revocation_of(&self, serial: &[u8]) -> Option<&RevokedEntry> {
        self.revoked.iter().find(|r| super::serial_eq(&r.serial, serial))
    }
}
