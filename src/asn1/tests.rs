use super::*;

fn parse(data: &[u8]) -> Result<Vec<(Tag, Vec<u8>)>, Asn1Error> {
    let budget = Budget::new();
    let el = parse_exact(data, &budget)?;
    el.children().map(|c| c.map(|c| (c.tag, c.content.to_vec()))).collect()
}

#[test]
fn definite_and_indefinite_lengths_read_the_same() {
    // SEQUENCE { INTEGER 5, OCTET STRING 'ab' } in DER and in BER indefinite form.
    let der = [0x30, 0x07, 0x02, 0x01, 0x05, 0x04, 0x02, b'a', b'b'];
    let ber = [0x30, 0x80, 0x02, 0x01, 0x05, 0x04, 0x02, b'a', b'b', 0x00, 0x00];
    assert_eq!(parse(&der).unwrap(), parse(&ber).unwrap());
    let budget = Budget::new();
    let el = parse_exact(&ber, &budget).unwrap();
    assert!(el.indefinite);
    assert_eq!(el.raw.len(), ber.len());
}

#[test]
fn constructed_octet_strings_concatenate() {
    // [UNIVERSAL 4 constructed, indefinite] { 'ab', 'cd' }
    let ber = [0x24, 0x80, 0x04, 0x02, b'a', b'b', 0x04, 0x02, b'c', b'd', 0x00, 0x00];
    let budget = Budget::new();
    let el = parse_exact(&ber, &budget).unwrap();
    assert_eq!(&*el.octets().unwrap(), b"abcd");
}

#[test]
fn hostile_inputs_fail_cleanly() {
    let budget = Budget::new();
    // Truncated, bad length forms, indefinite primitive, trailing data.
    assert_eq!(parse_exact(&[0x30, 0x05, 0x02], &budget).unwrap_err().kind, ErrorKind::Truncated);
    assert_eq!(parse_exact(&[0x30, 0xff], &budget).unwrap_err().kind, ErrorKind::BadLength);
    assert_eq!(parse_exact(&[0x04, 0x80, 0x00, 0x00], &budget).unwrap_err().kind, ErrorKind::IndefinitePrimitive);
    assert_eq!(parse_exact(&[0x05, 0x00, 0x00], &budget).unwrap_err().kind, ErrorKind::TrailingData);
    assert_eq!(parse_exact(&[0x30, 0x89, 1, 1, 1, 1, 1, 1, 1, 1, 1], &budget).unwrap_err().kind, ErrorKind::BadLength);
    // Huge declared length.
    assert_eq!(parse_exact(&[0x30, 0x84, 0x7f, 0xff, 0xff, 0xff], &budget).unwrap_err().kind, ErrorKind::Truncated);
    // Unterminated indefinite length.
    assert_eq!(parse_exact(&[0x30, 0x80, 0x05, 0x00], &budget).unwrap_err().kind, ErrorKind::Truncated);
}

#[test]
fn nesting_is_bounded() {
    let mut deep = Vec::new();
    for _ in 0..200 {
        deep.extend_from_slice(&[0x30, 0x80]);
    }
    for _ in 0..200 {
        deep.extend_from_slice(&[0x00, 0x00]);
    }
    let budget = Budget::new();
    assert_eq!(parse_exact(&deep, &budget).unwrap_err().kind, ErrorKind::TooDeep);
}

#[test]
fn oids_and_times() {
    assert_eq!(oid_to_string(&[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x01, 0x01]).as_deref(), Some("1.3.6.1.5.5.7.48.1.1"));
    assert_eq!(oid_to_string(&[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d]).as_deref(), Some("1.2.840.113549"));
    assert_eq!(oid_to_string(&[0x2a, 0x86]), None, "unterminated arc");
    assert_eq!(oid_to_string(&[0x2a, 0x80, 0x01]), None, "non-minimal arc");
    let budget = Budget::new();
    let gt = b"\x18\x0f20240507131053Z";
    assert_eq!(parse_exact(gt, &budget).unwrap().time().unwrap().rfc3339(), "2024-05-07T13:10:53Z");
    let ut = b"\x17\x0d490507131053Z";
    assert_eq!(parse_exact(ut, &budget).unwrap().time().unwrap().rfc3339(), "2049-05-07T13:10:53Z");
    let frac = b"\x18\x1320240507131053.123Z";
    assert_eq!(parse_exact(frac, &budget).unwrap().time().unwrap().rfc3339(), "2024-05-07T13:10:53Z");
    let local = b"\x18\x0e20240507131053";
    assert!(parse_exact(local, &budget).unwrap().time().is_err());
}
