//! The extensions of a certificate or CRL by dotted OID, each at most once
//! (RFC 5280 §4.2 for certificates, §5.2 for CRLs: an extension MUST NOT
//! appear more than once).

use x509_parser::extensions::X509Extension;

/// Each extension with its OID as dotted text, in order; `Err` with the OID
/// of the first extension that repeats an earlier one. Callers turn that
/// into their own error.
pub fn distinct_by_oid<'a, 'b>(extensions: &'b [X509Extension<'a>]) -> Result<Vec<(String, &'b X509Extension<'a>)>, String> {
    let mut out: Vec<(String, &X509Extension<'a>)> = Vec::with_capacity(extensions.len());
    for ext in extensions {
        let oid = crate::asn1::oid_to_string(ext.oid.as_bytes()).unwrap_or_else(|| ext.oid.to_id_string());
        if out.iter().any(|(seen, _)| *seen == oid) {
            return Err(oid);
        }
        out.push((oid, ext));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use x509_parser::prelude::{FromDer, X509Certificate};

    #[test]
    fn oids_in_order_and_the_first_repeat() {
        let (_, ok) = X509Certificate::from_der(include_bytes!("testdata/well_formed_root.der")).unwrap();
        let oids: Vec<String> = distinct_by_oid(ok.extensions()).unwrap().into_iter().map(|(o, _)| o).collect();
        assert!(oids.contains(&"2.5.29.19".to_string()), "{oids:?}");
        let (_, dup) = X509Certificate::from_der(include_bytes!("testdata/duplicate_key_usage.der")).unwrap();
        assert_eq!(distinct_by_oid(dup.extensions()).err().as_deref(), Some("2.5.29.15"));
    }
}
