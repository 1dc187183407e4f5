//! Which supplied key a token names (RFC 7515 §4.1.4-4.1.8; RFC 8725 §3.10:
//! header keys and key URLs are never trusted by themselves).

use super::KeyStore;
use crate::encoding::b64url_encode;
use crate::jws::header::KeyHints;
use crate::limits::MAX_KEYS_TRIED;

/// The keys to try, in order, and how they were chosen.
#[derive(Debug, Clone)]
pub struct Selection {
    pub indices: Vec<usize>,
    pub how: String,
}

fn thumb_eq(claimed: &str, digest: &[u8]) -> bool {
    crate::encoding::hex_eq_ignore_case(claimed, digest) || claimed == b64url_encode(digest)
}

/// Selects candidate keys for a token. `Err` explains why none was found.
pub fn select(store: &KeyStore, hints: &KeyHints, header_x5c_sha256: Option<[u8; 32]>) -> Result<Selection, String> {
    let e = &store.entries;
    if let Some(kid) = &hints.kid {
        let by_kid: Vec<usize> = (0..e.len())
            .filter(|&i| e[i].kids.iter().any(|k| k == kid) || e[i].cert.as_ref().is_some_and(|c| !e[i].cert_binding_broken && thumb_eq(kid, &c.sha1)))
            .collect();
        if !by_kid.is_empty() {
            return Ok(Selection { indices: by_kid, how: format!("kid {kid}") });
        }
    }
    if let Some(x5t) = &hints.x5t {
        let found: Vec<usize> = (0..e.len()).filter(|&i| e[i].cert.as_ref().is_some_and(|c| thumb_eq(x5t, &c.sha1))).collect();
        if !found.is_empty() {
            return Ok(Selection { indices: found, how: format!("x5t {x5t}") });
        }
    }
    if let Some(x5t) = &hints.x5t_s256 {
        let found: Vec<usize> = (0..e.len()).filter(|&i| e[i].cert.as_ref().is_some_and(|c| thumb_eq(x5t, &c.sha256))).collect();
        if !found.is_empty() {
            return Ok(Selection { indices: found, how: format!("x5t#S256 {x5t}") });
        }
    }
    if let Some(sha) = header_x5c_sha256 {
        let found: Vec<usize> = (0..e.len()).filter(|&i| e[i].cert.as_ref().is_some_and(|c| c.sha256 == sha)).collect();
        if !found.is_empty() {
            return Ok(Selection { indices: found, how: "the certificate in the header's x5c".into() });
        }
    }
    if hints.kid.is_none() && hints.x5t.is_none() && hints.x5t_s256.is_none() && hints.x5c.is_empty() {
        if e.is_empty() {
            return Err("the token names no key (no kid, x5t or x5c) and no keys were supplied".into());
        }
        let n = e.len().min(MAX_KEYS_TRIED);
        let how = if e.len() > MAX_KEYS_TRIED {
            format!("no kid in the header: tried {n} of {} supplied keys (the limit for a token naming no key is {MAX_KEYS_TRIED})", e.len())
        } else {
            format!("no kid in the header: tried {n} of {} supplied keys", e.len())
        };
        return Ok(Selection { indices: (0..n).collect(), how });
    }
    let named = hints
        .kid
        .as_ref()
        .map(|k| format!("kid {k}"))
        .or_else(|| hints.x5t.as_ref().map(|t| format!("x5t {t}")))
        .unwrap_or_else(|| "the header's certificate".into());
    let mut why = format!("no supplied or pinned key matches {named}");
    if let Some(s) = store.skipped.iter().find(|s| s.kid.is_some() && s.kid == hints.kid) {
        why.push_str(&format!("; {} lists that kid but it was skipped: {}", s.origin, s.reason));
    } else {
        why.push_str("; supply the issuer's JWKS or signing certificate");
    }
    Err(why)
}
