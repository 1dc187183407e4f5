//! A SignerInfo's IssuerAndSerialNumber names its certificate by issuer Name
//! and serial (RFC 5652 §5.3); the Name is matched per RFC 5280 §7.1, as path
//! building matches it: the same name in another string type, case or spacing
//! is the same issuer. Certificates are built in the test (tests/common/certgen.rs).

// Only some of the builder's options are used here.
#[allow(dead_code)]
#[path = "common/certgen.rs"]
mod certgen;

use certgen::{name, name_typed, Key, Spec, PRINTABLE, UTF8};
use sigaudit::cms::signer::matches_sid;
use sigaudit::cms::SignerId;

#[test]
fn issuer_serial_matches_an_equal_name_in_another_encoding() {
    let ca = Key::new();
    let leaf_key = Key::new();
    let leaf = Spec::new(0x42, name("Signer"), name_typed("Issuing CA", PRINTABLE), &leaf_key, &ca).leaf().build();
    let serial = leaf.serial.clone();
    // UTF8String instead of PrintableString, other case and spacing: the same Name.
    let sid = SignerId::IssuerSerial { issuer: name_typed("  ISSUING   ca", UTF8), serial: serial.clone() };
    assert!(matches_sid(&leaf, &sid));
    // The exact bytes still match.
    assert!(matches_sid(&leaf, &SignerId::IssuerSerial { issuer: leaf.issuer_der.clone(), serial: serial.clone() }));
}

#[test]
fn issuer_serial_rejects_another_name_or_serial() {
    let ca = Key::new();
    let leaf_key = Key::new();
    let leaf = Spec::new(0x42, name("Signer"), name_typed("Issuing CA", PRINTABLE), &leaf_key, &ca).leaf().build();
    let serial = leaf.serial.clone();
    assert!(!matches_sid(&leaf, &SignerId::IssuerSerial { issuer: name_typed("Issuing CA 2", PRINTABLE), serial }));
    let other = Spec::new(0x43, name("Signer"), name_typed("Issuing CA", PRINTABLE), &leaf_key, &ca).leaf().build();
    assert!(!matches_sid(&leaf, &SignerId::IssuerSerial { issuer: leaf.issuer_der.clone(), serial: other.serial.clone() }));
}
