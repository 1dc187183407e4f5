//! Certificates built in a test (ECDSA P-256, ring), for certification-path
//! cases a scenario cannot carry cheaply: several issuers of one name,
//! key rollover, names in other string types; and CRLs (RFC 5280 §5.1)
//! signed by such a certificate's key.

use ring::signature::{EcdsaKeyPair, KeyPair, ECDSA_P256_SHA256_ASN1_SIGNING};
use sigaudit::x509::Certificate;
use std::sync::Arc;

const OID_EC_PUBLIC_KEY: &[u8] = &[0x06, 0x07, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01];
const OID_P256: &[u8] = &[0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07];
const OID_ECDSA_SHA256: &[u8] = &[0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x02];

pub fn der(tag: u8, content: &[u8]) -> Vec<u8> {
    let len = content.len();
    let mut out = vec![tag];
    if len < 0x80 {
        out.push(len as u8);
    } else if len < 0x100 {
        out.extend([0x81, len as u8]);
    } else {
        out.extend([0x82, (len >> 8) as u8, len as u8]);
    }
    out.extend_from_slice(content);
    out
}

pub fn seq(parts: &[Vec<u8>]) -> Vec<u8> {
    der(0x30, &parts.concat())
}

pub struct Key(EcdsaKeyPair);

impl Key {
    pub fn new() -> Key {
        let rng = ring::rand::SystemRandom::new();
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, &rng).unwrap();
        Key(EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, pkcs8.as_ref(), &rng).unwrap())
    }
    pub fn point(&self) -> Vec<u8> {
        self.0.public_key().as_ref().to_vec()
    }
    /// A 20-byte key identifier (the SHA-1 method of RFC 5280 §4.2.1.2 needs
    /// no more than distinctness here).
    pub fn id(&self) -> Vec<u8> {
        self.point()[1..21].to_vec()
    }
    pub fn sign(&self, msg: &[u8]) -> Vec<u8> {
        self.0.sign(&ring::rand::SystemRandom::new(), msg).unwrap().as_ref().to_vec()
    }
}

/// String tags for attribute values.
pub const PRINTABLE: u8 = 0x13;
pub const UTF8: u8 = 0x0C;

/// A Name of `C=DK` and `CN=cn`, the CN in the string type `tag`.
pub fn name_typed(cn: &str, tag: u8) -> Vec<u8> {
    let atv = |oid_last: u8, tag: u8, v: &[u8]| der(0x31, &seq(&[der(0x06, &[0x55, 0x04, oid_last]), der(tag, v)]));
    seq(&[atv(6, PRINTABLE, b"DK"), atv(3, tag, cn.as_bytes())])
}

pub fn name(cn: &str) -> Vec<u8> {
    name_typed(cn, UTF8)
}

/// What goes into one certificate.
pub struct Spec<'a> {
    pub serial: u32,
    pub subject: Vec<u8>,
    pub issuer: Vec<u8>,
    pub key: &'a Key,
    pub signer: &'a Key,
    /// UTCTime strings, "YYMMDDHHMMSSZ".
    pub not_before: &'a str,
    pub not_after: &'a str,
    /// None: an end entity; Some(path length) for a CA.
    pub ca: Option<Option<u8>>,
    /// The keyUsage BIT STRING contents (unused-bits octet, then the bits);
    /// None: keyCertSign + cRLSign for a CA, digitalSignature +
    /// nonRepudiation for a leaf.
    pub key_usage: Option<Vec<u8>>,
    /// Further Extension DERs, appended as given.
    pub extensions: Vec<Vec<u8>>,
}

impl<'a> Spec<'a> {
    pub fn new(serial: u32, subject: Vec<u8>, issuer: Vec<u8>, key: &'a Key, signer: &'a Key) -> Spec<'a> {
        Spec {
            serial,
            subject,
            issuer,
            key,
            signer,
            not_before: "200101000000Z",
            not_after: "401231000000Z",
            ca: Some(None),
            key_usage: None,
            extensions: Vec::new(),
        }
    }
    pub fn leaf(mut self) -> Self {
        self.ca = None;
        self
    }
    pub fn path_len(mut self, n: u8) -> Self {
        self.ca = Some(Some(n));
        self
    }
    /// keyUsage with exactly the bits of this first octet (RFC 5280
    /// §4.2.1.3, most significant first: 0x80 digitalSignature ... 0x04
    /// keyCertSign, 0x02 cRLSign).
    pub fn key_usage_octet(mut self, bits: u8) -> Self {
        self.key_usage = Some(vec![bits.trailing_zeros().min(7) as u8, bits]);
        self
    }
    /// Adds an extension: its OID's content octets, criticality, extnValue.
    pub fn extension(mut self, oid: &[u8], critical: bool, value: Vec<u8>) -> Self {
        let mut parts = vec![der(0x06, oid)];
        if critical {
            parts.push(der(0x01, &[0xFF]));
        }
        parts.push(der(0x04, &value));
        self.extensions.push(seq(&parts));
        self
    }
    pub fn validity(mut self, not_before: &'a str, not_after: &'a str) -> Self {
        self.not_before = not_before;
        self.not_after = not_after;
        self
    }

    pub fn build(&self) -> Arc<Certificate> {
        let spki = seq(&[seq(&[OID_EC_PUBLIC_KEY.to_vec(), OID_P256.to_vec()]), der(0x03, &[&[0u8][..], &self.key.point()].concat())]);
        let ext = |oid: &[u8], critical: bool, value: Vec<u8>| {
            let mut parts = vec![der(0x06, oid)];
            if critical {
                parts.push(der(0x01, &[0xFF]));
            }
            parts.push(der(0x04, &value));
            seq(&parts)
        };
        let basic = match self.ca {
            Some(None) => seq(&[der(0x01, &[0xFF])]),
            Some(Some(n)) => seq(&[der(0x01, &[0xFF]), der(0x02, &[n])]),
            None => seq(&[]),
        };
        // keyCertSign + cRLSign for a CA; digitalSignature + nonRepudiation for a leaf.
        let usage = match (&self.key_usage, self.ca.is_some()) {
            (Some(bits), _) => der(0x03, bits),
            (None, true) => der(0x03, &[0x01, 0x06]),
            (None, false) => der(0x03, &[0x06, 0xC0]),
        };
        let mut all = vec![
            ext(&[0x55, 0x1D, 0x13], true, basic),
            ext(&[0x55, 0x1D, 0x0F], true, usage),
            ext(&[0x55, 0x1D, 0x0E], false, der(0x04, &self.key.id())),
            ext(&[0x55, 0x1D, 0x23], false, seq(&[der(0x80, &self.signer.id())])),
        ];
        all.extend(self.extensions.iter().cloned());
        let extensions = der(0xA3, &seq(&all));
        let tbs = seq(&[
            der(0xA0, &der(0x02, &[2])),
            der(0x02, &[&[0u8][..], &self.serial.to_be_bytes()].concat()),
            seq(&[OID_ECDSA_SHA256.to_vec()]),
            self.issuer.clone(),
            seq(&[der(0x17, self.not_before.as_bytes()), der(0x17, self.not_after.as_bytes())]),
            self.subject.clone(),
            spki,
            extensions,
        ]);
        let sig = self.signer.sign(&tbs);
        let cert = seq(&[tbs, seq(&[OID_ECDSA_SHA256.to_vec()]), der(0x03, &[&[0u8][..], &sig].concat())]);
        Arc::new(Certificate::from_der(&cert).unwrap())
    }
}

/// One revokedCertificates entry (RFC 5280 §5.1.2.6).
pub struct Revoked<'a> {
    /// The serial as [`Spec::serial`] writes it.
    pub serial: u32,
    /// UTCTime, "YYMMDDHHMMSSZ".
    pub date: &'a str,
    /// The reasonCode entry extension (§5.3.1), e.g. 1 = keyCompromise.
    pub reason: Option<u8>,
}

/// A version 2 CRL (RFC 5280 §5.1): TBSCertList with thisUpdate,
/// nextUpdate, revokedCertificates and the cRLNumber and
/// authorityKeyIdentifier extensions (§5.2.3, §5.2.1), signed with ECDSA
/// P-256 SHA-256 by `signer`.
pub struct CrlSpec<'a> {
    pub issuer: Vec<u8>,
    pub signer: &'a Key,
    pub this_update: &'a str,
    pub next_update: Option<&'a str>,
    pub revoked: Vec<Revoked<'a>>,
    pub number: u8,
}

impl CrlSpec<'_> {
    /// The DER CertificateList.
    pub fn build(&self) -> Vec<u8> {
        let ext = |oid: &[u8], value: Vec<u8>| seq(&[der(0x06, oid), der(0x04, &value)]);
        let entries: Vec<Vec<u8>> = self
            .revoked
            .iter()
            .map(|r| {
                let mut fields = vec![der(0x02, &[&[0u8][..], &r.serial.to_be_bytes()].concat()), der(0x17, r.date.as_bytes())];
                if let Some(code) = r.reason {
                    // reasonCode: CRLReason ::= ENUMERATED.
                    fields.push(seq(&[ext(&[0x55, 0x1D, 0x15], der(0x0A, &[code]))]));
                }
                seq(&fields)
            })
            .collect();
        let mut tbs = vec![der(0x02, &[1]), seq(&[OID_ECDSA_SHA256.to_vec()]), self.issuer.clone(), der(0x17, self.this_update.as_bytes())];
        if let Some(next) = self.next_update {
            tbs.push(der(0x17, next.as_bytes()));
        }
        if !entries.is_empty() {
            tbs.push(seq(&entries));
        }
        tbs.push(der(0xA0, &seq(&[ext(&[0x55, 0x1D, 0x14], der(0x02, &[self.number])), ext(&[0x55, 0x1D, 0x23], seq(&[der(0x80, &self.signer.id())]))])));
        let tbs = seq(&tbs);
        let sig = self.signer.sign(&tbs);
        seq(&[tbs, seq(&[OID_ECDSA_SHA256.to_vec()]), der(0x03, &[&[0u8][..], &sig].concat())])
    }
}
