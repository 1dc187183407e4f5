//! RFC 5280 §6.3.3(f): a CRL counts only when its issuer may sign CRLs
//! (keyUsage, when present, has cRLSign). The same CRL, signed by the same
//! key, is judged through `pades::ltv::check_revocation` (what a PAdES
//! signature's `ltv.revocation` uses) once with an issuing CA certificate that
//! has cRLSign and once with a re-issue (same name and key) that lacks it.
//! Certificates and CRLs are built in the test (tests/common/certgen.rs).

#[allow(dead_code)]
#[path = "common/certgen.rs"]
mod certgen;

use certgen::{name, CrlSpec, Key, Revoked, Spec};
use sigaudit::pades::ltv::check_revocation;
use sigaudit::pades::Context;
use sigaudit::policy::{Options, Policy, ValidationTime};
use sigaudit::report::{Check, Status};
use sigaudit::time::UnixTime;
use sigaudit::x509::Certificate;
use std::sync::Arc;

fn at() -> UnixTime {
    UnixTime::parse_rfc3339("2025-03-10T10:00:00Z").unwrap()
}

const LEAF_SERIAL: u32 = 0x5A1E;

struct Pki {
    leaf: Arc<Certificate>,
    /// keyCertSign + cRLSign.
    ca: Arc<Certificate>,
    /// The same name and key, keyCertSign only.
    ca_no_crl_sign: Arc<Certificate>,
    ca_key: Key,
}

fn pki() -> Pki {
    let ca_key = Key::new();
    let leaf_key = Key::new();
    let ca_name = name("Sigaudit TEST CRL CA");
    let ca = Spec::new(1, ca_name.clone(), ca_name.clone(), &ca_key, &ca_key).key_usage_octet(0x06).build();
    let ca_no_crl_sign = Spec::new(2, ca_name.clone(), ca_name.clone(), &ca_key, &ca_key).key_usage_octet(0x04).build();
    let leaf = Spec::new(LEAF_SERIAL, name("Sigaudit TEST signer"), ca_name, &leaf_key, &ca_key).leaf().build();
    assert_eq!(ca.extensions.key_usage.map(|k| k >> 5 & 0b11), Some(0b11), "keyCertSign and cRLSign");
    assert_eq!(ca_no_crl_sign.extensions.key_usage.map(|k| k >> 5 & 0b11), Some(0b01), "keyCertSign only");
    Pki { leaf, ca, ca_no_crl_sign, ca_key }
}

/// A CRL of the CA, current at [`at`], listing `revoked`.
fn crl(pki: &Pki, revoked: Vec<Revoked<'static>>) -> Vec<u8> {
    CrlSpec { issuer: pki.ca.subject_der.clone(), signer: &pki.ca_key, this_update: "250309000000Z", next_update: Some("250316000000Z"), revoked, number: 7 }
        .build()
}

/// `ltv.revocation` for the path leaf -> `issuer` (the issuer is the anchor).
fn judge(leaf: &Arc<Certificate>, issuer: &Arc<Certificate>, crl: &[u8]) -> Check {
    let policy = Policy::from_options(&Options { at: Some("2025-03-10T10:00:00Z".into()), ..Default::default() }, &[], &[]).unwrap();
    assert_eq!(policy.time, ValidationTime::At(at()));
    let anchors = vec![issuer.clone()];
    let ctx = Context { policy: &policy, pool: &[], anchors: &anchors, dss_certs: &[] };
    let path = vec![leaf.clone(), issuer.clone()];
    let (check, _, _) = check_revocation(&path, &anchors, at(), &[], &[crl.to_vec()], &ctx, "test");
    check
}

#[test]
fn crl_builder_parses_back() {
    let p = pki();
    let der = crl(&p, vec![Revoked { serial: LEAF_SERIAL, date: "250301000000Z", reason: Some(1) }]);
    let parsed = sigaudit::x509::crl::Crl::from_der(&der).unwrap();
    assert!(p.leaf.issuer_is(&parsed.issuer_der));
    let entry = parsed.revocation_of(&p.leaf.serial).expect("the leaf is listed");
    assert_eq!(entry.reason, Some(1));
    assert_eq!(entry.revocation_date, UnixTime::parse_rfc3339("2025-03-01T00:00:00Z").unwrap());
    assert_eq!(parsed.next_update, Some(UnixTime::parse_rfc3339("2025-03-16T00:00:00Z").unwrap()));
    assert!(parsed.scope.unknown_critical.is_empty() && !parsed.scope.delta);
}

/// A CRL listing the leaf as revoked (keyCompromise) revokes it when its
/// issuer has cRLSign, and is not used when the issuer lacks it.
#[test]
fn revoking_crl_counts_only_from_an_issuer_with_crl_sign() {
    let p = pki();
    let der = crl(&p, vec![Revoked { serial: LEAF_SERIAL, date: "250301000000Z", reason: Some(1) }]);

    let used = judge(&p.leaf, &p.ca, &der);
    assert_eq!(used.status, Status::Fail, "{}", used.message);
    assert!(used.message.contains("listed on the CRL") && used.message.contains("keyCompromise"), "{}", used.message);

    let ignored = judge(&p.leaf, &p.ca_no_crl_sign, &der);
    assert_eq!(ignored.status, Status::Indeterminate, "{}", ignored.message);
    assert!(!ignored.message.contains("listed on the CRL"), "{}", ignored.message);
    assert!(ignored.message.contains("lacks cRLSign (RFC 5280 §6.3.3(f))"), "{}", ignored.message);
}

/// A CRL that does not list the leaf shows it unrevoked when its issuer has
/// cRLSign, and shows nothing when the issuer lacks it.
#[test]
fn clean_crl_counts_only_from_an_issuer_with_crl_sign() {
    let p = pki();
    let der = crl(&p, vec![Revoked { serial: LEAF_SERIAL + 1, date: "250301000000Z", reason: None }]);

    let used = judge(&p.leaf, &p.ca, &der);
    assert_eq!(used.status, Status::Pass, "{}", used.message);

    let ignored = judge(&p.leaf, &p.ca_no_crl_sign, &der);
    assert_eq!(ignored.status, Status::Indeterminate, "{}", ignored.message);
    assert!(ignored.message.contains("no usable revocation data"), "{}", ignored.message);
    assert!(ignored.message.contains("lacks cRLSign (RFC 5280 §6.3.3(f))"), "{}", ignored.message);
}
