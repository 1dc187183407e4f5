//! CMS against fixtures made by OpenSSL (see testdata/README.md).

use super::attributes::{content_type, message_digest, signing_certificate, signing_time};
use super::signer::{find_signer_certificate, verify_signature, Covered};
use super::*;
use crate::crypto::sha256;

const CONTENT: &[u8] = include_bytes!("testdata/content.txt");

fn check_fixture(bytes: &[u8], expect_ber: bool) {
    let sd = parse(bytes).expect("parses");
    assert_eq!(sd.ber, expect_ber);
    assert_eq!(sd.signer_infos.len(), 1);
    let si = &sd.signer_infos[0];
    assert_eq!(content_type(si).unwrap().as_deref(), Some(OID_DATA));
    assert_eq!(message_digest(si).unwrap().unwrap(), sha256(CONTENT).to_vec());
    assert!(signing_time(si).unwrap().is_some());
    let cert = find_signer_certificate(&sd, si, &[]).expect("signer certificate by issuer and serial");
    let (ids, which) = signing_certificate(si).unwrap().expect("ESS signing certificate");
    assert_eq!(which, "signing-certificate-v2");
    assert_eq!(ids[0].hash, sha256(&cert.der).to_vec());
    let (_, covered) = verify_signature(si, &cert, None).expect("signature verifies");
    assert_eq!(covered, Covered::SignedAttributes);
    // One flipped bit in the signature breaks it.
    let mut bad = si.clone();
    bad.signature[10] ^= 1;
    assert!(verify_signature(&bad, &cert, None).is_err());
}

#[test]
fn detached_der_signature() {
    let sd = include_bytes!("testdata/detached-der.p7s");
    check_fixture(sd, false);
    assert!(parse(sd).unwrap().econtent.is_none());
}

#[test]
fn attached_ber_indefinite_signature() {
    let sd = include_bytes!("testdata/attached-ber.p7s");
    check_fixture(sd, true);
    assert_eq!(parse(sd).unwrap().econtent.as_deref(), Some(CONTENT));
}

#[test]
fn truncations_fail_cleanly() {
    let sd = include_bytes!("testdata/attached-ber.p7s");
    for cut in 0..sd.len() {
        assert!(parse(&sd[..cut]).is_err(), "prefix of {cut} bytes parsed");
    }
}

#[test]
fn pdf_padding_is_stripped() {
    let sd = include_bytes!("testdata/detached-der.p7s");
    let mut padded = sd.to_vec();
    padded.extend_from_slice(&[0u8; 100]);
    let (cms, zeros) = strip_pdf_padding(&padded).unwrap();
    assert_eq!(cms, &sd[..]);
    assert!(zeros);
    padded.push(1);
    assert!(!strip_pdf_padding(&padded).unwrap().1);
}
