//! What the caller expects: validation time, expected values, trusted keys and
//! anchors, environment. Every input is explicit; nothing is read from the clock.
//!
//! [`Options`] is the flat form the CLI flags, the JS API and the test vectors'
//! `options.json` share (one field per flag). [`Policy::from_options`] checks
//! it and parses the key and anchor files once, so a batch reuses the result.

use crate::env::Environment;
use crate::evidence::Blob;
use crate::keys::{parse_jwk, parse_jwks, KeyStore};
use crate::report::PolicySummary;
use crate::time::UnixTime;
use crate::x509::{pem, Certificate};
use serde::de::{Deserializer, SeqAccess, Visitor};
use serde::Deserialize;
use std::fmt;
use std::sync::Arc;

/// Default leeway for time comparisons: 60 s, the common allowance for clock
/// skew between the broker and the systems that stored its tokens.
pub const DEFAULT_LEEWAY_SECS: u32 = 60;

/// When evidence is judged.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValidationTime {
    /// A fixed instant for every item.
    At(UnixTime),
    /// Each item's own signing time (a token's `iat`). The signer claims that
    /// time; reports say so.
    Signing,
}

/// NSIS assurance levels (eIDAS Low / Substantial / High), ordered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum NsisLevel {
    Low,
    Substantial,
    High,
}

impl NsisLevel {
    /// Reads `low` / `substantial` / `high`, or a URI ending in one of them
    /// (`https://data.gov.dk/concept/core/nsis/loa/Substantial`).
    pub fn parse(text: &str) -> Option<NsisLevel> {
        let last = text.rsplit('/').next().unwrap_or(text);
        match last.to_ascii_lowercase().as_str() {
            "low" => Some(NsisLevel::Low),
            "substantial" => Some(NsisLevel::Substantial),
            "high" => Some(NsisLevel::High),
            _ => None,
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            NsisLevel::Low => "Low",
            NsisLevel::Substantial => "Substantial",
            NsisLevel::High => "High",
        }
    }
}

/// The flat options, as the CLI flags and the JS API name them.
/// Key and anchor files are passed separately as blobs.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Options {
    /// RFC 3339 instant, or `signing`. Required: the core has no clock.
    pub at: Option<String>,
    /// `pp` or `prod`.
    pub env: Option<String>,
    pub issuer: Option<String>,
    /// Expected audiences: a token passes when its `aud` holds any of them.
    /// In JSON a string (one value) or an array of strings.
    #[serde(default, deserialize_with = "one_or_many")]
    pub audience: Option<Vec<String>>,
    pub nonce: Option<String>,
    pub reference_text: Option<String>,
    /// Maximum authentication age in seconds.
    pub max_age: Option<u64>,
    /// `low`, `substantial` or `high`.
    pub min_level: Option<String>,
    pub idp: Option<String>,
    pub identity_type: Option<String>,
    /// Leeway for time comparisons, seconds.
    pub leeway: Option<u32>,
    /// How far an OCSP thisUpdate may lie after the signing time, seconds.
    pub ocsp_skew: Option<u32>,
}

/// Why options cannot be used; the CLI exits 2 and the JS API throws.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PolicyError {
    MissingTime,
    BadTime {
        value: String,
        reason: String,
    },
    BadEnv(String),
    BadLevel(String),
    BadIdentityType(String),
    EmptyValue(&'static str),
    /// A list option given as an empty array.
    EmptyList(&'static str),
    /// A --jwks file that is not a JWKS or JWK.
    BadKeyFile {
        file: String,
        reason: String,
    },
    /// A --trust file that holds no certificate.
    BadTrustFile {
        file: String,
        reason: String,
    },
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PolicyError::MissingTime => f.write_str("no validation time: give an RFC 3339 time or \"signing\""),
            PolicyError::BadTime { value, reason } => {
                write!(f, "validation time '{value}': {reason} (use e.g. 2024-05-07T13:10:55Z, or \"signing\")")
            }
            PolicyError::BadEnv(v) => write!(f, "unknown environment '{v}': use pp or prod"),
            PolicyError::BadLevel(v) => write!(f, "unknown level '{v}': use low, substantial or high"),
            PolicyError::BadIdentityType(v) => {
                write!(f, "unknown identity type '{v}': use private, professional or test")
            }
            PolicyError::EmptyValue(name) => write!(f, "{name} must not be empty"),
            PolicyError::EmptyList(name) => write!(f, "{name} must not be an empty list: give at least one value"),
            PolicyError::BadKeyFile { file, reason } => write!(f, "key file '{file}': {reason}"),
            PolicyError::BadTrustFile { file, reason } => write!(f, "trust anchor file '{file}': {reason}"),
        }
    }
}

impl std::error::Error for PolicyError {}

/// A checked policy, ready to verify any number of bundles.
#[derive(Clone, Debug)]
pub struct Policy {
    pub time: ValidationTime,
    pub leeway: u32,
    pub env: Option<Environment>,
    pub issuer: Option<String>,
    /// Expected audiences, any of which passes `jwt.aud` (empty: not checked).
    pub audience: Vec<String>,
    pub nonce: Option<String>,
    pub reference_text: Option<String>,
    pub max_auth_age: Option<u64>,
    pub min_level: Option<NsisLevel>,
    pub idp: Option<String>,
    pub identity_type: Option<String>,
    /// OCSP thisUpdate allowance after the signing time (None: the default).
    pub ocsp_skew: Option<u32>,
    /// Keys trusted as the issuer's (`--jwks`), plus the profile's bundled certificates.
    pub keys: KeyStore,
    /// Trust anchors (`--trust`).
    pub anchors: Vec<Arc<Certificate>>,
    pub summary: PolicySummary,
    /// Time-independent facts computed once per distinct input and shared by
    /// every bundle verified under this policy (and its clones): see [`crate::cache`].
    pub cache: Arc<crate::cache::VerifyCache>,
}

fn non_empty(v: &Option<String>, name: &'static str) -> Result<Option<String>, PolicyError> {
    match v {
        Some(s) if s.is_empty() => Err(PolicyError::EmptyValue(name)),
        other => Ok(other.clone()),
    }
}

/// A list option: absent is empty; an empty list or an empty member is an
/// error; repeated values are kept once, in the order given.
fn non_empty_list(v: &Option<Vec<String>>, name: &'static str) -> Result<Vec<String>, PolicyError> {
    let Some(list) = v else { return Ok(Vec::new()) };
    if list.is_empty() {
        return Err(PolicyError::EmptyList(name));
    }
    let mut out: Vec<String> = Vec::with_capacity(list.len());
    for s in list {
        if s.is_empty() {
            return Err(PolicyError::EmptyValue(name));
        }
        if !out.contains(s) {
            out.push(s.clone());
        }
    }
    Ok(out)
}

/// Reads a string as a one-value list, or an array of strings (`null`: absent).
fn one_or_many<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<String>>, D::Error> {
    struct OneOrMany;
    impl<'de> Visitor<'de> for OneOrMany {
        type Value = Option<Vec<String>>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string or an array of strings")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(Some(vec![v.to_string()]))
        }
        fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Self::Value, E> {
            Ok(Some(vec![v]))
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
            while let Some(s) = seq.next_element::<String>()? {
                out.push(s);
            }
            Ok(Some(out))
        }
    }
    d.deserialize_any(OneOrMany)
}

/// Parses a `--jwks` file: a JWKS, a single JWK, or certificates (PEM/DER).
fn load_key_file(blob: &Blob, store: &mut KeyStore) -> Result<(), PolicyError> {
    let bad = |reason: String| PolicyError::BadKeyFile { file: blob.name.clone(), reason };
    let text = std::str::from_utf8(&blob.bytes).ok();
    if let Some(t) = text.filter(|t| t.trim_start().starts_with('{')) {
        let value = crate::json::parse_str(t).map_err(|e| bad(e.to_string()))?;
        if value.get("keys").is_some() {
            let keys = parse_jwks(&value, &blob.name, true).map_err(bad)?;
            if keys.entries.is_empty() {
                return Err(bad("the JWKS holds no usable key".into()));
            }
            store.extend(&keys);
        } else {
            let mut entry = parse_jwk(&value, &format!("JWK '{}'", blob.name)).map_err(|e| bad(e.to_string()))?;
            entry.trusted_from = Some(blob.name.clone());
            store.add(entry);
        }
        return Ok(());
    }
    let certs = load_certificates(blob).map_err(bad)?;
    for (i, cert) in certs.into_iter().enumerate() {
        store.add_certificate(cert, format!("certificate #{} of '{}'", i + 1, blob.name), Some(blob.name.clone()));
    }
    Ok(())
}

/// Certificates from a PEM bundle or a DER file.
pub fn load_certificates(blob: &Blob) -> Result<Vec<Arc<Certificate>>, String> {
    if let Some(text) = std::str::from_utf8(&blob.bytes).ok().filter(|t| pem::looks_like_pem(t)) {
        let blocks = pem::parse(text).map_err(|e| e.to_string())?;
        let certs: Vec<Arc<Certificate>> = blocks
            .iter()
            .filter(|b| b.label == "CERTIFICATE" || b.label == "X509 CERTIFICATE" || b.label == "TRUSTED CERTIFICATE")
            .map(|b| Certificate::from_der(&b.der).map(Arc::new).map_err(|e| e.to_string()))
            .collect::<Result<_, _>>()?;
        if certs.is_empty() {
            return Err("no CERTIFICATE block in the PEM text".into());
        }
        return Ok(certs);
    }
    Certificate::from_der(&blob.bytes).map(|c| vec![Arc::new(c)]).map_err(|e| e.to_string())
}

impl Policy {
    /// Checks the options and parses key and anchor files.
    pub fn from_options(opts: &Options, jwks: &[Blob], trust: &[Blob]) -> Result<Policy, PolicyError> {
        let time = match opts.at.as_deref() {
            None => return Err(PolicyError::MissingTime),
            Some("signing") => ValidationTime::Signing,
            Some(t) => ValidationTime::At(UnixTime::parse_rfc3339(t).map_err(|e| PolicyError::BadTime { value: t.into(), reason: e.to_string() })?),
        };
        let env = match &opts.env {
            None => None,
            Some(e) => Some(Environment::parse(e).ok_or_else(|| PolicyError::BadEnv(e.clone()))?),
        };
        let min_level = match &opts.min_level {
            None => None,
            Some(l) => Some(NsisLevel::parse(l).ok_or_else(|| PolicyError::BadLevel(l.clone()))?),
        };
        if let Some(t) = &opts.identity_type {
            if !["private", "professional", "test"].contains(&t.as_str()) {
                return Err(PolicyError::BadIdentityType(t.clone()));
            }
        }
        let mut keys = KeyStore::default();
        for blob in jwks {
            load_key_file(blob, &mut keys)?;
        }
        if let Some(env) = env {
            for (label, der) in env.profile().bundled_certs {
                // Bundled certificates are checked by a unit test; a failure here cannot happen.
                if let Ok(cert) = Certificate::from_der(der) {
                    keys.add_certificate(Arc::new(cert), format!("{} profile: {label}", env.name()), None);
                }
            }
        }
        let mut anchors = Vec::new();
        for blob in trust {
            let certs = load_certificates(blob).map_err(|reason| PolicyError::BadTrustFile { file: blob.name.clone(), reason })?;
            anchors.extend(certs);
        }
        let leeway = opts.leeway.unwrap_or(DEFAULT_LEEWAY_SECS);
        let summary = PolicySummary {
            validation_time: match time {
                ValidationTime::Signing => "signing".into(),
                ValidationTime::At(t) => t.rfc3339(),
            },
            leeway_seconds: leeway,
            env: env.map(|e| e.name().to_string()),
            issuer: non_empty(&opts.issuer, "issuer")?,
            audience: non_empty_list(&opts.audience, "audience")?,
            nonce: non_empty(&opts.nonce, "nonce")?,
            reference_text: non_empty(&opts.reference_text, "reference text")?,
            max_auth_age_seconds: opts.max_age,
            min_level: min_level.map(|l| l.name().to_string()),
            idp: non_empty(&opts.idp, "idp")?,
            identity_type: opts.identity_type.clone(),
            ocsp_skew_seconds: opts.ocsp_skew.unwrap_or(crate::ocsp::verify::DEFAULT_OCSP_SKEW_SECS),
            trusted_key_files: jwks.iter().map(|b| b.name.clone()).collect(),
            trust_anchor_files: trust.iter().map(|b| b.name.clone()).collect(),
        };
        Ok(Policy {
            time,
            leeway,
            env,
            issuer: summary.issuer.clone(),
            audience: summary.audience.clone(),
            nonce: summary.nonce.clone(),
            reference_text: summary.reference_text.clone(),
            max_auth_age: opts.max_age,
            min_level,
            idp: summary.idp.clone(),
            identity_type: opts.identity_type.clone(),
            ocsp_skew: opts.ocsp_skew,
            keys,
            anchors,
            summary,
            cache: Arc::new(crate::cache::VerifyCache::new()),
        })
    }

    /// The issuer tokens must carry: `--issuer`, else the profile's.
    pub fn expected_issuer(&self) -> Option<&str> {
        self.issuer.as_deref().or(self.env.map(|e| e.profile().issuer))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> Result<Options, serde_json::Error> {
        serde_json::from_str(json)
    }

    fn policy(audience: serde_json::Value) -> Result<Policy, PolicyError> {
        let opts: Options = serde_json::from_value(serde_json::json!({"at": "2025-03-10T09:00:00Z", "audience": audience})).unwrap();
        Policy::from_options(&opts, &[], &[])
    }

    #[test]
    fn audience_is_a_string_or_an_array_of_strings() {
        assert_eq!(parse(r#"{"audience": "client"}"#).unwrap().audience, Some(vec!["client".to_string()]));
        assert_eq!(parse(r#"{"audience": ["client", "DK29915938"]}"#).unwrap().audience, Some(vec!["client".to_string(), "DK29915938".to_string()]));
        assert_eq!(parse(r#"{"audience": null}"#).unwrap().audience, None);
        assert_eq!(parse("{}").unwrap().audience, None);
        for bad in [r#"{"audience": 7}"#, r#"{"audience": ["a", 7]}"#, r#"{"audience": {"a": 1}}"#] {
            let e = parse(bad).unwrap_err().to_string();
            assert!(e.contains("invalid type"), "{bad}: {e}");
        }
        assert!(parse(r#"{"audience": 7}"#).unwrap_err().to_string().contains("expected a string or an array of strings"));
    }

    #[test]
    fn audience_string_and_array_forms_make_the_policy() {
        let one = policy("client".into()).unwrap();
        assert_eq!(one.audience, vec!["client"]);
        assert_eq!(one.summary.audience, vec!["client"]);
        let two = policy(serde_json::json!(["client", "DK29915938", "client"])).unwrap();
        assert_eq!(two.audience, vec!["client", "DK29915938"], "kept once each, in order");
        assert!(serde_json::to_string(&two.summary).unwrap().contains(r#""audience":["client","DK29915938"],"#));
        let none = Policy::from_options(&Options { at: Some("signing".into()), ..Default::default() }, &[], &[]).unwrap();
        assert!(none.audience.is_empty());
        assert!(!serde_json::to_string(&none.summary).unwrap().contains("audience"), "absent when not given");
    }

    #[test]
    fn empty_audiences_are_rejected() {
        assert_eq!(policy("".into()).unwrap_err(), PolicyError::EmptyValue("audience"));
        assert_eq!(policy(serde_json::json!([])).unwrap_err(), PolicyError::EmptyList("audience"));
        assert_eq!(policy(serde_json::json!(["client", ""])).unwrap_err(), PolicyError::EmptyValue("audience"));
        assert_eq!(PolicyError::EmptyValue("audience").to_string(), "audience must not be empty");
        assert_eq!(PolicyError::EmptyList("audience").to_string(), "audience must not be an empty list: give at least one value");
    }
}
