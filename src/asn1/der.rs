//! Re-encoding BER as DER (X.690 §10-11).
//!
//! CMS signs the *DER* encoding of the signed attributes (RFC 5652 §5.4), and
//! certificates must be DER to be parsed. When a BER CMS carries those parts in
//! BER (indefinite lengths, segmented strings, unsorted SET OF), this rebuilds
//! the DER form: definite minimal lengths, primitive strings, SET OF sorted.

use super::{Asn1Error, Class, Element, Tag};

fn push_length(out: &mut Vec<u8>, len: usize) {
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|&&b| b == 0).count();
        out.push(0x80 | (bytes.len() - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
}

/// Writes an identifier and a definite length, then `content`.
pub fn encode(tag: Tag, content: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(content.len() + 6);
    let class_bits = match tag.class {
        Class::Universal => 0x00,
        Class::Application => 0x40,
        Class::Context => 0x80,
        Class::Private => 0xc0,
    };
    let cons = if tag.constructed { 0x20 } else { 0 };
    if tag.number < 31 {
        out.push(class_bits | cons | tag.number as u8);
    } else {
        out.push(class_bits | cons | 0x1f);
        let mut digits = Vec::new();
        let mut n = tag.number;
        loop {
            digits.push((n & 0x7f) as u8);
            n >>= 7;
            if n == 0 {
                break;
            }
        }
        for (i, d) in digits.iter().rev().enumerate() {
            out.push(if i + 1 == digits.len() { *d } else { d | 0x80 });
        }
    }
    push_length(&mut out, content.len());
    out.extend_from_slice(content);
    out
}

/// Universal string types BER may segment (X.690 §8.21): re-encoded primitive.
fn is_string_type(tag: Tag) -> bool {
    tag.class == Class::Universal && matches!(tag.number, 3 | 4 | 12 | 18 | 19 | 20 | 21 | 22 | 25 | 26 | 27 | 28 | 30)
}

/// The DER encoding of `el` and everything inside it. `set_of` says whether a
/// constructed element's children are to be sorted (SET OF); universal SETs are.
pub fn to_der(el: &Element<'_>) -> Result<Vec<u8>, Asn1Error> {
    if !el.tag.constructed {
        return Ok(encode(el.tag, el.content));
    }
    if is_string_type(el.tag) {
        let octets = el.octets_of(Tag { constructed: false, ..el.tag })?;
        return Ok(encode(Tag { constructed: false, ..el.tag }, &octets));
    }
    let mut kids: Vec<Vec<u8>> = el.children().map(|c| c.and_then(|c| to_der(&c))).collect::<Result<_, _>>()?;
    if el.tag == Tag::SET {
        kids.sort();
    }
    Ok(encode(el.tag, &kids.concat()))
}

/// DER of `el`'s children as a SET OF (sorted), under `tag`: how CMS signed
/// attributes, stored as `[0] IMPLICIT`, are hashed for the signature.
pub fn set_of_der(el: &Element<'_>, tag: Tag) -> Result<Vec<u8>, Asn1Error> {
    let mut kids: Vec<Vec<u8>> = el.children().map(|c| c.and_then(|c| to_der(&c))).collect::<Result<_, _>>()?;
    kids.sort();
    Ok(encode(tag, &kids.concat()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::asn1::{parse_exact, Budget};

    #[test]
    fn ber_becomes_der() {
        // SEQUENCE (indefinite) { OCTET STRING constructed (indefinite) { 'ab', 'c' }, SET { INTEGER 2, INTEGER 1 } }
        let ber = [0x30, 0x80, 0x24, 0x80, 0x04, 0x02, b'a', b'b', 0x04, 0x01, b'c', 0x00, 0x00, 0x31, 0x06, 0x02, 0x01, 0x02, 0x02, 0x01, 0x01, 0x00, 0x00];
        let budget = Budget::new();
        let der = to_der(&parse_exact(&ber, &budget).unwrap()).unwrap();
        assert_eq!(der, vec![0x30, 0x0d, 0x04, 0x03, b'a', b'b', b'c', 0x31, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x02]);
        // DER is a fixed point.
        let again = to_der(&parse_exact(&der, &budget).unwrap()).unwrap();
        assert_eq!(again, der);
    }

    #[test]
    fn long_lengths_and_high_tags() {
        let content = vec![7u8; 300];
        let enc = encode(Tag::OCTET_STRING, &content);
        assert_eq!(&enc[..4], &[0x04, 0x82, 0x01, 0x2c]);
        let high = encode(Tag::context(40, false), &[]);
        assert_eq!(high, vec![0x9f, 0x28, 0x00]);
    }
}
