//! Environment profiles: what the Signaturgruppen Broker's PP and PROD
//! environments are known to use, pinned (broker.md §2-§4).
//!
//! A profile pins the issuer URL, the token-signing certificates (id_token and
//! access token), their CA, the transaction-signing certificates (transaction
//! and workflow tokens, by SHA-1 thumbprint and subject DN) and the PROD seal
//! certificate of sealed workflow PDFs. Certificates we hold as public data
//! (from the PP broker's published JWKS) are bundled so `--env pp` alone can
//! verify PP tokens.

use crate::checks::CheckId;
use crate::keys::KeyEntry;
use crate::report::{Check, Fact};
use std::collections::BTreeSet;

/// A named environment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Environment {
    Pp,
    Prod,
}

impl Environment {
    /// Parses `pp` / `prod` (case-insensitive; `preprod` and `production` too).
    pub fn parse(text: &str) -> Option<Environment> {
        match text.to_ascii_lowercase().as_str() {
            "pp" | "preprod" | "preproduction" => Some(Environment::Pp),
            "prod" | "production" => Some(Environment::Prod),
            _ => None,
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            Environment::Pp => "pp",
            Environment::Prod => "prod",
        }
    }
    pub fn profile(self) -> &'static Profile {
        match self {
            Environment::Pp => &PP,
            Environment::Prod => &PROD,
        }
    }
}

/// A pinned certificate: SHA-1 thumbprint (uppercase hex) and what it is.
#[derive(Debug)]
pub struct Pin {
    pub sha1_hex: &'static str,
    pub label: &'static str,
}

/// What one environment pins.
#[derive(Debug)]
pub struct Profile {
    pub env: Environment,
    pub title: &'static str,
    pub issuer: &'static str,
    /// Certificates that sign id_tokens and access tokens.
    pub token_signing: &'static [Pin],
    /// The CA of the token-signing certificates.
    pub token_signing_ca: &'static [Pin],
    /// Certificates that sign transaction and workflow tokens.
    pub transaction_certs: &'static [Pin],
    /// Subject DNs a renewed transaction-signing certificate will carry.
    pub transaction_subject_dns: &'static [&'static str],
    /// Seal certificates of sealed workflow PDFs.
    pub seal_certs: &'static [Pin],
    /// Public certificates bundled with the profile (DER), with a label.
    pub bundled_certs: &'static [(&'static str, &'static [u8])],
}

pub static PP: Profile = Profile {
    env: Environment::Pp,
    title: "Signaturgruppen Broker preproduction (PP)",
    issuer: "https://pp.netseidbroker.dk/op",
    token_signing: &[Pin { sha1_hex: "048058BB59F4D3007045896FD488CE81F4EB4923", label: "Nets eID Broker Token Signing 1 PP Env (2021-2041)" }],
    token_signing_ca: &[Pin { sha1_hex: "1BEB2D3DF149237427AE40ABE524882A7EBB2DDB", label: "Nets eID Broker Token Signing Root PP Env" }],
    transaction_certs: &[
        Pin { sha1_hex: "D8A5D9D7EDE992F1A0F8E499E992E9DA805A05D8", label: "NEB Transact PP (OCES3 test)" },
        Pin { sha1_hex: "20595A4BE9F566771792BC3DBC7DF78FF9C36575", label: "SIGNATURGRUPPEN A/S - NEB Transact PP (TRUST2408 test CA, expired 2024-04-26)" },
    ],
    transaction_subject_dns: &[
        "CN=NEB Transact PP, SERIALNUMBER=UI:DK-O:G:d09df20d-26f0-4ba0-bdd1-2cb4f9524683, O=SIGNATURGRUPPEN A/S, organizationIdentifier=NTRDK-29915938, C=DK",
    ],
    seal_certs: &[],
    bundled_certs: &[
        ("PP token-signing certificate (bundled)", include_bytes!("pp_token_signing_1.der")),
        ("PP transaction certificate 2021-2024 (bundled)", include_bytes!("pp_transact_trust2408_2021.der")),
    ],
};

pub static PROD: Profile = Profile {
    env: Environment::Prod,
    title: "Signaturgruppen Broker production (PROD)",
    issuer: "https://netseidbroker.dk/op",
    token_signing: &[Pin { sha1_hex: "353E2FE9191CDEC22C8B52D2B7A82A2DAA50642E", label: "PROD token-signing certificate" }],
    token_signing_ca: &[Pin {
        sha1_hex: "FA516C6BB2D07103A54FE4CD6DED4AED30B360F7",
        label: "PROD token-signing root",
    }],
    transaction_certs: &[Pin { sha1_hex: "B820F52255649CE8E039F4E1B9F96F7C1E108C08", label: "eID Broker Signing (OCES3)" }],
    transaction_subject_dns: &[
        "CN=eID Broker Signing, SERIALNUMBER=UI:DK-O:G:eca57a69-98a6-4b9a-9293-bc4be1c3aa06, O=SIGNATURGRUPPEN A/S, organizationIdentifier=NTRDK-29915938, C=DK",
    ],
    seal_certs: &[Pin {
        sha1_hex: "D3250E7ADB60771B3E0F35D79971FD62C314A06D",
        label: "CN=Signaturgruppen, O=IN GROUPE TRUST SERVICES APS NUF, organizationIdentifier=NTRNO-933127990, C=NO",
    }],
    bundled_certs: &[],
};

/// The attributes of a rendered DN as a set, so pins compare independent of RDN order.
pub fn dn_attributes(dn: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut cur = String::new();
    let mut escaped = false;
    for c in dn.chars() {
        if escaped {
            cur.push(c);
            escaped = false;
        } else if c == '\\' {
            cur.push(c);
            escaped = true;
        } else if c == ',' || c == '+' {
            out.insert(cur.trim().to_string());
            cur.clear();
        } else {
            cur.push(c);
        }
    }
    if !cur.trim().is_empty() {
        out.insert(cur.trim().to_string());
    }
    out
}

/// Which pin set applies to a token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PinRole {
    /// id_tokens and access tokens: the token-signing certificates.
    TokenSigning,
    /// transaction and workflow tokens: the transaction-signing certificates.
    Transaction,
}

/// The outcome of checking a key against the profile's pins.
pub struct PinOutcome {
    pub check: Check,
    /// True when the pin alone establishes trust (exact certificate thumbprint).
    pub trusted: bool,
}

/// Checks the signing key of a token against the profile.
pub fn check_pin(profile: &Profile, role: PinRole, key: &KeyEntry) -> PinOutcome {
    let (id, pins, what) = match role {
        PinRole::TokenSigning => (CheckId::EnvTokenKeyPin, profile.token_signing, "token-signing"),
        PinRole::Transaction => (CheckId::EnvTransactionCertPin, profile.transaction_certs, "transaction-signing"),
    };
    let pinned: Vec<String> = pins.iter().map(|p| format!("{} {}", p.sha1_hex, p.label)).collect();
    let Some(cert) = key.cert.as_ref().filter(|_| !key.cert_binding_broken) else {
        return PinOutcome {
            check: Check::fail(
                id,
                format!(
                    "the {} profile pins {what} certificates, but the signing key {} comes without a certificate bound to it",
                    profile.env.name(),
                    key.label()
                ),
            )
            .with(Fact::list("pinned", pinned)),
            trusted: false,
        };
    };
    let tp = cert.thumbprint_sha1_hex();
    if let Some(pin) = pins.iter().find(|p| p.sha1_hex.eq_ignore_ascii_case(&tp)) {
        return PinOutcome {
            check: Check::pass(id, format!("the signing certificate is the {} profile's pinned {what} certificate {}", profile.env.name(), pin.label))
                .with(Fact::text("thumbprint_sha1", tp))
                .with(Fact::text("subject", cert.subject.clone())),
            trusted: true,
        };
    }
    if role == PinRole::Transaction {
        let subject = dn_attributes(&cert.subject);
        if profile.transaction_subject_dns.iter().any(|dn| dn_attributes(dn) == subject) {
            return PinOutcome {
                check: Check::pass(
                    id,
                    format!(
                        "the signing certificate's subject DN is the {} profile's pinned transaction-signing DN (a renewed certificate: its chain decides trust)",
                        profile.env.name()
                    ),
                )
                .with(Fact::text("subject", cert.subject.clone()))
                .with(Fact::text("thumbprint_sha1", tp)),
                trusted: false,
            };
        }
    }
    let mut check = Check::fail(id, format!("the signing certificate is not one the {} profile pins for {what}", profile.env.name()))
        .with(Fact::text("actual_thumbprint_sha1", tp))
        .with(Fact::text("actual_subject", cert.subject.clone()))
        .with(Fact::list("pinned", pinned));
    if role == PinRole::Transaction {
        check = check.with(Fact::list("pinned_subjects", profile.transaction_subject_dns.iter().map(|s| s.to_string()).collect()));
    }
    PinOutcome { check, trusted: false }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dn_sets_ignore_order_and_spacing() {
        assert_eq!(dn_attributes("CN=a, O=b\\, c,C=DK"), dn_attributes("C=DK, CN=a,O=b\\, c"));
        assert_ne!(dn_attributes("CN=a, O=b"), dn_attributes("CN=a, O=c"));
    }

    #[test]
    fn bundled_certificates_match_their_pins() {
        for (label, der) in PP.bundled_certs {
            let cert = crate::x509::Certificate::from_der(der).expect(label);
            let tp = cert.thumbprint_sha1_hex();
            assert!(PP.token_signing.iter().chain(PP.transaction_certs).any(|p| p.sha1_hex == tp), "{label} is not pinned");
        }
    }
}
