//! CRL scope (RFC 5280 §5.2, §5.2.4, §5.2.5, §6.3.3(b)): which CRLs of the
//! right issuer may show a certificate unrevoked. Fixtures (src/x509/testdata):
//! CRLs of the OCES-like issuing CA, and the PAdES seal it issued, whose
//! cRLDistributionPoints is http://crl.oces-test.sigaudit.example/issuing-ca-1.crl.

use sigaudit::x509::crl::Crl;
use sigaudit::x509::Certificate;

fn crl(der: &[u8]) -> Crl {
    Crl::from_der(der).unwrap()
}

fn seal() -> Certificate {
    Certificate::from_der(include_bytes!("../src/x509/testdata/pades_seal.der")).unwrap()
}

#[test]
fn seal_has_a_distribution_point() {
    assert_eq!(seal().extensions.crl_distribution_points.len(), 1);
}

#[test]
fn authority_revocation_list_does_not_cover_an_end_entity() {
    let c = crl(include_bytes!("../src/x509/testdata/crl_a_idp_only_ca_certs.der"));
    assert!(c.scope.idp.as_ref().unwrap().only_ca_certs);
    assert!(c.incomplete_for(&seal()).unwrap().contains("onlyContainsCACerts"));
}

#[test]
fn reason_partitioned_crl_is_not_complete() {
    let c = crl(include_bytes!("../src/x509/testdata/crl_b_idp_only_some_reasons.der"));
    assert!(c.incomplete_for(&seal()).unwrap().contains("onlySomeReasons"));
}

#[test]
fn crl_of_another_distribution_point_does_not_match() {
    let c = crl(include_bytes!("../src/x509/testdata/crl_c_idp_other_dp.der"));
    assert!(c.incomplete_for(&seal()).unwrap().contains("distribution point"));
}

#[test]
fn delta_crl_is_never_complete() {
    let c = crl(include_bytes!("../src/x509/testdata/crl_d_delta_crl.der"));
    assert!(c.scope.delta);
    assert!(c.incomplete_for(&seal()).unwrap().contains("delta"));
}

#[test]
fn unknown_critical_extension_is_recorded() {
    let c = crl(include_bytes!("../src/x509/testdata/crl_e_unknown_critical.der"));
    assert_eq!(c.scope.unknown_critical, vec!["1.3.6.1.4.1.99999.9".to_string()]);
}

#[test]
fn crl_of_the_certificates_own_distribution_point_covers_it() {
    let c = crl(include_bytes!("../src/x509/testdata/crl_f_idp_same_dp_user_certs.der"));
    let idp = c.scope.idp.as_ref().unwrap();
    assert!(idp.only_user_certs && idp.distribution_point.is_some());
    assert!(c.scope.unknown_critical.is_empty());
    assert_eq!(c.incomplete_for(&seal()), None);
}
