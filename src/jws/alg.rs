//! JWS `alg` values (RFC 7518 §3.1, RFC 8037 §3.1) and what each requires of the key.

use crate::crypto::{Curve, Hash, PublicKey, Scheme};

/// The algorithms sigaudit verifies: asymmetric only.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JwsAlg {
    RS256,
    RS384,
    RS512,
    PS256,
    PS384,
    PS512,
    ES256,
    ES384,
    EdDSA,
}

/// Why an `alg` value is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AlgRejection {
    /// `none`: an unsecured JWS (RFC 7518 §3.6) proves nothing.
    None,
    /// HS256/384/512: symmetric; accepting it with a public key is the classic
    /// algorithm-confusion forgery (RFC 8725 §2.1, §3.1).
    Hmac(String),
    /// Anything else (ES512, RSA1_5, a typo, a non-string).
    Unknown(String),
}

impl JwsAlg {
    /// Reads the header's `alg` value.
    pub fn parse(alg: &str) -> Result<JwsAlg, AlgRejection> {
        Ok(match alg {
            "RS256" => JwsAlg::RS256,
            "RS384" => JwsAlg::RS384,
            "RS512" => JwsAlg::RS512,
            "PS256" => JwsAlg::PS256,
            "PS384" => JwsAlg::PS384,
            "PS512" => JwsAlg::PS512,
            "ES256" => JwsAlg::ES256,
            "ES384" => JwsAlg::ES384,
            "EdDSA" => JwsAlg::EdDSA,
            // RFC 7518 §3.6 registers "none" case-sensitively; other casings are
            // still an attempt at an unsecured token and get the same answer.
            a if a.eq_ignore_ascii_case("none") => return Err(AlgRejection::None),
            a if a.len() == 5 && a.starts_with("HS") => return Err(AlgRejection::Hmac(a.to_string())),
            a => return Err(AlgRejection::Unknown(a.to_string())),
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            JwsAlg::RS256 => "RS256",
            JwsAlg::RS384 => "RS384",
            JwsAlg::RS512 => "RS512",
            JwsAlg::PS256 => "PS256",
            JwsAlg::PS384 => "PS384",
            JwsAlg::PS512 => "PS512",
            JwsAlg::ES256 => "ES256",
            JwsAlg::ES384 => "ES384",
            JwsAlg::EdDSA => "EdDSA",
        }
    }

    /// The signature scheme `ring` verifies.
    pub fn scheme(self) -> Scheme {
        match self {
            JwsAlg::RS256 => Scheme::RsaPkcs1(Hash::Sha256),
            JwsAlg::RS384 => Scheme::RsaPkcs1(Hash::Sha384),
            JwsAlg::RS512 => Scheme::RsaPkcs1(Hash::Sha512),
            JwsAlg::PS256 => Scheme::RsaPss(Hash::Sha256),
            JwsAlg::PS384 => Scheme::RsaPss(Hash::Sha384),
            JwsAlg::PS512 => Scheme::RsaPss(Hash::Sha512),
            JwsAlg::ES256 => Scheme::EcdsaFixed(Hash::Sha256),
            JwsAlg::ES384 => Scheme::EcdsaFixed(Hash::Sha384),
            JwsAlg::EdDSA => Scheme::Ed25519,
        }
    }

    /// The hash whose left half makes `at_hash` / `c_hash` (OIDC Core §3.1.3.6).
    /// For EdDSA with Ed25519 the OpenID Foundation's registry uses SHA-512.
    pub fn half_hash(self) -> Hash {
        match self {
            JwsAlg::RS256 | JwsAlg::PS256 | JwsAlg::ES256 => Hash::Sha256,
            JwsAlg::RS384 | JwsAlg::PS384 | JwsAlg::ES384 => Hash::Sha384,
            JwsAlg::RS512 | JwsAlg::PS512 | JwsAlg::EdDSA => Hash::Sha512,
        }
    }

    /// Whether `key` is the kind of key this algorithm uses (RFC 7518 §3.3-3.5, RFC 8037).
    /// `Err` explains the mismatch.
    pub fn fits(self, key: &PublicKey) -> Result<(), String> {
        let ok = matches!(
            (self, key),
            (JwsAlg::RS256 | JwsAlg::RS384 | JwsAlg::RS512 | JwsAlg::PS256 | JwsAlg::PS384 | JwsAlg::PS512, PublicKey::Rsa { .. })
                | (JwsAlg::ES256, PublicKey::Ec { curve: Curve::P256, .. })
                | (JwsAlg::ES384, PublicKey::Ec { curve: Curve::P384, .. })
                | (JwsAlg::EdDSA, PublicKey::Ed25519(_))
        );
        if ok {
            Ok(())
        } else {
            let wants = match self {
                JwsAlg::ES256 => "an EC P-256 key",
                JwsAlg::ES384 => "an EC P-384 key",
                JwsAlg::EdDSA => "an Ed25519 key",
                _ => "an RSA key",
            };
            Err(format!("{} needs {wants}, but the key is {}", self.name(), key.describe()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejections() {
        assert_eq!(JwsAlg::parse("none"), Err(AlgRejection::None));
        assert_eq!(JwsAlg::parse("NONE"), Err(AlgRejection::None));
        assert_eq!(JwsAlg::parse("HS256"), Err(AlgRejection::Hmac("HS256".into())));
        assert_eq!(JwsAlg::parse("ES512"), Err(AlgRejection::Unknown("ES512".into())));
        assert_eq!(JwsAlg::parse("rs256"), Err(AlgRejection::Unknown("rs256".into())));
        assert_eq!(JwsAlg::parse("PS384"), Ok(JwsAlg::PS384));
    }
}
