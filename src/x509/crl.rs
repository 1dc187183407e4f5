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
    /// What the CRL's extensions say about its scope (RFC 5280 §5.2).
    pub scope: CrlScope,
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

/// The CRL extensions that decide what a CRL can vouch for (RFC 5280 §5.2).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CrlScope {
    /// Critical CRL extensions this verifier does not process, dotted OIDs:
    /// such a CRL must not be used (RFC 5280 §5.2).
    pub unknown_critical: Vec<String>,
    /// deltaCRLIndicator (§5.2.4): the CRL lists only changes since a base CRL.
    pub delta: bool,
    /// issuingDistributionPoint (§5.2.5), when present.
    pub idp: Option<IssuingDistributionPoint>,
    /// ExpiredCertsOnCRL (ITU-T X.509 (2016) §9.6.2.8 extension 2.5.29.60;
    /// ETSI EN 319 102-1 §5.2.5): certificates that expired at or after this
    /// time are kept on the CRL after they expire.
    pub expired_certs_on_crl: Option<UnixTime>,
}

/// The issuingDistributionPoint extension (RFC 5280 §5.2.5).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IssuingDistributionPoint {
    /// The DER of the distributionPoint field (`[0] DistributionPointName`), if present.
    pub distribution_point: Option<Vec<u8>>,
    pub only_user_certs: bool,
    pub only_ca_certs: bool,
    pub only_some_reasons: bool,
    pub indirect_crl: bool,
    pub only_attribute_certs: bool,
}

/// CRL extensions this verifier reads or may safely ignore.
const KNOWN_CRL_EXTENSIONS: &[&str] = &[
    "2.5.29.20",         // cRLNumber
    "2.5.29.27",         // deltaCRLIndicator
    "2.5.29.60",         // expiredCertsOnCRL
    "2.5.29.28",         // issuingDistributionPoint
    "2.5.29.35",         // authorityKeyIdentifier
    "2.5.29.18",         // issuerAltName
    "2.5.29.46",         // freshestCRL
    "1.3.6.1.5.5.7.1.1", // authorityInfoAccess
];

fn parse_idp(value: &[u8]) -> Result<IssuingDistributionPoint, String> {
    let budget = crate::asn1::Budget::new();
    let bad = |e: crate::asn1::Asn1Error| format!("issuingDistributionPoint: {e}");
    let top = crate::asn1::parse_exact(value, &budget).map_err(bad)?;
    let mut idp = IssuingDistributionPoint::default();
    for f in top.sequence("IssuingDistributionPoint").map_err(bad)? {
        // [1], [2], [4], [5] IMPLICIT BOOLEAN.
        let flag = || match f.content {
            [b] if !f.tag.constructed => Ok(*b != 0),
            _ => Err(format!("issuingDistributionPoint: field [{}] is not a BOOLEAN", f.tag.number)),
        };
        match f.tag {
            _ if f.is_context(0) => idp.distribution_point = Some(f.raw.to_vec()),
            _ if f.is_context(1) => idp.only_user_certs = flag()?,
            _ if f.is_context(2) => idp.only_ca_certs = flag()?,
            _ if f.is_context(3) => idp.only_some_reasons = true,
            _ if f.is_context(4) => idp.indirect_crl = flag()?,
            _ if f.is_context(5) => idp.only_attribute_certs = flag()?,
            _ => return Err("issuingDistributionPoint: unexpected field".into()),
        }
    }
    Ok(idp)
}

fn scope(crl: &CertificateRevocationList<'_>) -> Result<CrlScope, String> {
    let mut out = CrlScope::default();
    let listed =
        super::extensions::distinct_by_oid(crl.extensions()).map_err(|oid| format!("the CRL extension {oid} appears more than once (RFC 5280 §5.2)"))?;
    for (oid, ext) in listed {
        match oid.as_str() {
            "2.5.29.27" => out.delta = true,
            "2.5.29.28" => out.idp = Some(parse_idp(ext.value)?),
            "2.5.29.60" => {
                let time = crate::asn1::generalized_time(ext.value, "expiredCertsOnCRL GeneralizedTime");
                out.expired_certs_on_crl = Some(time.map_err(|e| format!("expiredCertsOnCRL: {e}"))?);
            }
            o if ext.critical && !KNOWN_CRL_EXTENSIONS.contains(&o) => out.unknown_critical.push(oid),
            _ => {}
        }
    }
    Ok(out)
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
            scope: scope(&crl)?,
        })
    }

    /// The revocation of `serial`, if listed.
    pub fn revocation_of(&self, serial: &[u8]) -> Option<&RevokedEntry> {
        self.revoked.iter().find(|r| super::serial_eq(&r.serial, serial))
    }

    /// Why this CRL cannot show `cert` unrevoked (it may still list it as
    /// revoked), or None when it is a complete CRL for it: a delta CRL lists
    /// only changes since its base (RFC 5280 §5.2.4); an issuingDistributionPoint
    /// may limit it to some reasons, some kinds of certificate or one
    /// distribution point (§5.2.5, §6.3.3(b)).
    pub fn incomplete_for(&self, cert: &super::Certificate) -> Option<String> {
        if self.scope.delta {
            return Some("it is a delta CRL (deltaCRLIndicator), not a complete list".into());
        }
        // RFC 5280 §3.3 and §5.1.2.6: a CA may remove a certificate from its
        // CRLs once the certificate has expired, so a CRL issued after notAfter
        // that does not list it says nothing about it, unless its
        // ExpiredCertsOnCRL says expired certificates are kept.
        if self.this_update > cert.not_after && !self.scope.expired_certs_on_crl.is_some_and(|e| e <= cert.not_after) {
            return Some(format!(
                "it was issued after the certificate expired ({}), and a CA may drop expired certificates from its CRLs (RFC 5280 §3.3, §5.1.2.6); it has no ExpiredCertsOnCRL extension that covers the certificate",
                cert.not_after
            ));
        }
        let idp = self.scope.idp.as_ref()?;
        let is_ca = cert.extensions.basic_constraints.is_some_and(|(ca, _)| ca);
        if idp.only_some_reasons {
            Some("its issuingDistributionPoint limits it to some revocation reasons (onlySomeReasons)".into())
        } else if idp.indirect_crl {
            Some("it is an indirect CRL (issuingDistributionPoint indirectCRL)".into())
        } else if idp.only_attribute_certs {
            Some("it covers only attribute certificates (onlyContainsAttributeCerts)".into())
        } else if idp.only_ca_certs && !is_ca {
            Some("it covers only CA certificates (onlyContainsCACerts)".into())
        } else if idp.only_user_certs && is_ca {
            Some("it covers only end-entity certificates (onlyContainsUserCerts)".into())
        } else if idp.distribution_point.as_ref().is_some_and(|dp| !cert.extensions.crl_distribution_points.contains(dp)) {
            Some("its issuingDistributionPoint names a distribution point that is not one of the certificate's cRLDistributionPoints".into())
        } else {
            None
        }
    }
}
