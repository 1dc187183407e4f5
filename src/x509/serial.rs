//! Serial numbers (RFC 5280 §4.1.2.2, RFC 6960 §4.1.1): DER INTEGERs compared
//! by value. A serial is a signed two's-complement integer, so `02 02 00 80`
//! (+128) and `02 01 80` (-128) are different numbers even though their
//! content octets differ only by a leading zero.

/// The minimal two's-complement form of INTEGER content octets: a leading
/// 0x00 is dropped only when the next byte has its top bit set (it is a sign
/// pad for a positive number), a leading 0xFF only when the next byte has its
/// top bit set too (a sign pad for a negative number). Tolerates non-minimal
/// (BER-ish) encodings, so equal values compare equal however padded.
pub fn normalize_integer(b: &[u8]) -> &[u8] {
    let mut s = b;
    while s.len() >= 2 && ((s[0] == 0x00 && s[1] & 0x80 == 0) || (s[0] == 0xFF && s[1] & 0x80 != 0)) {
        s = &s[1..];
    }
    if s.is_empty() {
        // An empty INTEGER is not valid DER; treat it as zero.
        return &[0];
    }
    s
}

/// Whether two INTEGER content octet strings denote the same value.
pub fn serial_eq(a: &[u8], b: &[u8]) -> bool {
    normalize_integer(a) == normalize_integer(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_matters() {
        // +128 and -128 differ only by the sign pad.
        assert!(!serial_eq(&[0x00, 0x80], &[0x80]));
        assert!(!serial_eq(&[0x80], &[0x00, 0x80]));
        assert!(serial_eq(&[0x00, 0x80], &[0x00, 0x80]));
        assert!(serial_eq(&[0x80], &[0x80]));
    }

    #[test]
    fn non_minimal_padding_is_ignored() {
        assert!(serial_eq(&[0x00, 0x00, 0x01], &[0x01]));
        assert!(serial_eq(&[0x00, 0x00, 0x80], &[0x00, 0x80]));
        assert!(serial_eq(&[0xFF, 0x80], &[0x80]));
        assert!(serial_eq(&[0xFF, 0xFF, 0x7F], &[0xFF, 0x7F]));
        assert!(!serial_eq(&[0xFF, 0x7F], &[0x7F]));
        assert!(serial_eq(&[0x00], &[0x00, 0x00]));
        assert!(!serial_eq(&[0x00], &[0xFF]));
        assert_eq!(normalize_integer(&[0x00, 0x00, 0x80]), &[0x00, 0x80]);
        assert_eq!(normalize_integer(&[0x01, 0x00]), &[0x01, 0x00]);
    }
}
