//! RFC 3161 timestamp tokens: a SignedData whose content is TSTInfo (§2.4.2).
//!
//! ```text
//! TSTInfo ::= SEQUENCE { version INTEGER { v1(1) }, policy TSAPolicyId, messageImprint MessageImprint,
//!     serialNumber INTEGER, genTime GeneralizedTime, accuracy Accuracy OPTIONAL,
//!     ordering BOOLEAN DEFAULT FALSE, nonce INTEGER OPTIONAL, tsa [0] GeneralName OPTIONAL,
//!     extensions [1] IMPLICIT Extensions OPTIONAL }
//! MessageImprint ::= SEQUENCE { hashAlgorithm AlgorithmIdentifier, hashedMessage OCTET STRING }
//! ```

use crate::asn1::{parse_exact, Asn1Error, Budget, ErrorKind, Tag};
use crate::time::UnixTime;

/// id-ct-TSTInfo.
pub const OID_TST_INFO: &str = "1.2.840.113549.1.9.16.1.4";

/// The fields checks use.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TstInfo {
    pub policy: String,
    pub hash_alg: String,
    pub hashed_message: Vec<u8>,
    pub serial: Vec<u8>,
    pub gen_time: UnixTime,
    /// Accuracy in whole seconds, when given.
    pub accuracy_secs: Option<u64>,
}

/// Parses TSTInfo DER.
pub fn parse_tst_info(der: &[u8]) -> Result<TstInfo, Asn1Error> {
    let budget = Budget::new();
    let top = parse_exact(der, &budget)?;
    let f = top.sequence("TSTInfo")?;
    let bad = |what| Asn1Error { offset: top.offset, kind: ErrorKind::BadValue(what) };
    if f.len() < 5 {
        return Err(bad("TSTInfo"));
    }
    if f[0].small_uint()? != 1 {
        return Err(bad("TSTInfo version (only v1 exists)"));
    }
    let imprint = f[2].sequence("MessageImprint")?;
    if imprint.len() != 2 {
        return Err(bad("MessageImprint"));
    }
    let hash_alg = imprint[0].sequence("AlgorithmIdentifier")?.first().ok_or_else(|| bad("hashAlgorithm"))?.oid()?;
    let mut accuracy_secs = None;
    if let Some(acc) = f.get(5).filter(|e| e.tag == Tag::SEQUENCE) {
        // Accuracy ::= SEQUENCE { seconds INTEGER OPTIONAL, millis [0] OPTIONAL, micros [1] OPTIONAL }
        accuracy_secs = Some(match acc.child_vec()?.first() {
            Some(s) if s.tag == Tag::INTEGER => s.small_uint()?,
            _ => 0,
        });
    }
    Ok(TstInfo {
        policy: f[1].oid()?,
        hash_alg,
        hashed_message: imprint[1].octets()?.into_owned(),
        serial: f[3].integer_bytes()?.to_vec(),
        gen_time: f[4].time()?,
        accuracy_secs,
    })
}
