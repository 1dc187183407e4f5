//! `jws.header_cert`: the header's certificate members must name the key that
//! verified the signature (RFC 7515 §4.1.6 x5c, §4.1.7 x5t, §4.1.8 x5t#S256).
//!
//! Key selection may pick the key by `kid` alone; a header that also carries
//! another certificate's x5c or thumbprint then says something false about the
//! signer. Each member is compared with the verifying key's certificate (or,
//! for the thumbprints of a JWK without a certificate, with the JWK's own
//! x5t / x5t#S256); what cannot be compared is said, never passed over.

use crate::checks::CheckId;
use crate::encoding::{b64url_decode, b64url_encode, hex_eq_ignore_case};
use crate::jws::header::KeyHints;
use crate::keys::KeyEntry;
use crate::report::{Check, Fact};
use crate::x509::Certificate;

/// A thumbprint as the broker (hex) or RFC 7515 (base64url) writes it.
fn thumb_eq(claimed: &str, digest: &[u8]) -> bool {
    hex_eq_ignore_case(claimed, digest) || claimed == b64url_encode(digest)
}

/// The digest a written thumbprint stands for, when it is `len` bytes in hex or base64url.
fn thumb_bytes(text: &str, len: usize) -> Option<Vec<u8>> {
    if text.len() == 2 * len && text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return (0..len).map(|i| u8::from_str_radix(&text[2 * i..2 * i + 2], 16).ok()).collect();
    }
    b64url_decode(text).ok().filter(|d| d.len() == len)
}

/// What one header member said about the verifying key.
enum Finding {
    Matches(Fact),
    Differs(String, Vec<Fact>),
    Unknown(String),
}

/// One thumbprint member (`x5t` or `x5t#S256`) against the verifying key.
fn thumbprint(member: &str, claimed: &str, entry: &KeyEntry, header_cert: Option<&Certificate>, sha256: bool) -> Finding {
    let (hash, len) = if sha256 { ("SHA-256", 32) } else { ("SHA-1", 20) };
    let digest = |c: &Certificate| if sha256 { c.sha256.to_vec() } else { c.sha1.to_vec() };
    // The certificate bound to the key: its own, else the header's x5c[0] when that holds this very key.
    let cert = entry.cert.as_deref().or(header_cert.filter(|c| c.key == entry.key));
    if let Some(c) = cert {
        let d = digest(c);
        return if thumb_eq(claimed, &d) {
            Finding::Matches(Fact::text(member, format!("{claimed} ({hash} of {})", c.subject)))
        } else {
            Finding::Differs(
                format!("{member} {claimed} is not the {hash} thumbprint of the verifying key's certificate ({})", c.subject),
                vec![Fact::text(member, claimed), Fact::digest(format!("certificate_{}", if sha256 { "sha256" } else { "sha1" }), hash, &d)],
            )
        };
    }
    // A bare JWK: only its own thumbprint member, if any, can be compared.
    let written = entry.jwk_all.iter().find_map(|m| if sha256 { m.x5t_s256.as_deref() } else { m.x5t.as_deref() });
    match written.and_then(|w| thumb_bytes(w, len).map(|d| (w, d))) {
        Some((_, d)) if thumb_eq(claimed, &d) => Finding::Matches(Fact::text(member, format!("{claimed} (the verifying JWK's own {member})"))),
        Some((w, _)) => Finding::Differs(
            format!("{member} {claimed} differs from the verifying JWK's own {member} {w}"),
            vec![Fact::text(member, claimed), Fact::text(format!("jwk_{member}"), w)],
        ),
        None => Finding::Unknown(format!("{member} {claimed} cannot be compared: key {} came without a certificate or an {member} of its own", entry.label())),
    }
}

/// `jws.header_cert` for a token whose signature `entry` verified, or `None`
/// when the header carries none of x5c, x5t, x5t#S256.
pub fn check_header_cert(hints: &KeyHints, header_cert: Option<&Certificate>, entry: &KeyEntry) -> Option<Check> {
    let mut findings = Vec::new();
    if !hints.x5c.is_empty() {
        findings.push(match header_cert {
            Some(c) if c.key == entry.key => Finding::Matches(Fact::text("x5c[0]", c.subject.clone())),
            Some(c) => Finding::Differs(
                format!("x5c[0] ({}) holds another key ({}) than key {}, which verified the signature", c.subject, c.key.describe(), entry.label()),
                vec![Fact::text("x5c[0]", c.subject.clone()), Fact::text("verifying_key", entry.key.describe())],
            ),
            // An undecodable x5c already failed jws.header.
            None => Finding::Unknown("x5c[0] is not a readable certificate, so it cannot be compared".into()),
        });
    }
    if let Some(t) = &hints.x5t {
        findings.push(thumbprint("x5t", t, entry, header_cert, false));
    }
    if let Some(t) = &hints.x5t_s256 {
        findings.push(thumbprint("x5t#S256", t, entry, header_cert, true));
    }
    if findings.is_empty() {
        return None;
    }
    let mut matched = Vec::new();
    let mut differs = Vec::new();
    let mut unknown = Vec::new();
    let mut facts = Vec::new();
    for f in findings {
        match f {
            Finding::Matches(fact) => matched.push(fact),
            Finding::Differs(why, fs) => {
                differs.push(why);
                facts.extend(fs);
            }
            Finding::Unknown(why) => unknown.push(why),
        }
    }
    // "x5t identifies", "x5c[0], x5t identify".
    let names = |fs: &[Fact]| {
        let verb = if fs.len() == 1 { "identifies" } else { "identify" };
        format!("{} {verb}", fs.iter().map(|f| f.name.clone()).collect::<Vec<_>>().join(", "))
    };
    Some(if !differs.is_empty() {
        Check::fail(CheckId::JwsHeaderCert, format!("the header names a certificate other than the signer's (RFC 7515 §4.1.6-4.1.8): {}", differs.join("; ")))
            .with_all(facts)
    } else if !unknown.is_empty() {
        let lead = if matched.is_empty() { String::new() } else { format!("{} the verifying key, but ", names(&matched)) };
        Check::warn(CheckId::JwsHeaderCert, format!("{lead}{}", unknown.join("; "))).with_all(matched)
    } else {
        Check::pass(CheckId::JwsHeaderCert, format!("{} the key that verified the signature", names(&matched))).with_all(matched)
    })
}
