//! Distinguished-name matching (RFC 5280 §7.1, RFC 4518).
//!
//! Two names match when they have the same number of RDNs, each RDN holds
//! the same attribute types, and each value matches: values in a directory
//! string type (PrintableString, UTF8String, IA5String, BMPString,
//! UniversalString) are compared after the LDAP StringPrep steps this
//! verifier implements (RFC 4518 §2: map, case fold, insignificant space
//! handling), so "Issuing CA" as a PrintableString matches "issuing  ca" as a
//! UTF8String; any other value must be the same DER.
//!
//! Unicode normalisation (RFC 4518 §2.3, NFKC) is not applied: two names that
//! differ only in the composition of non-ASCII characters do not match (a
//! false "not the issuer", never a false match).
//!
//! Names are compared through [`comparable`], a byte string that is equal
//! for two names exactly when they match, computed once per certificate.

use crate::asn1::{parse_exact, Budget, Class, Element};

/// RFC 4518 §2.2: characters mapped to nothing.
fn mapped_to_nothing(c: char) -> bool {
    matches!(c, '\u{00AD}' | '\u{1806}' | '\u{034F}' | '\u{180B}'..='\u{180D}' | '\u{FE00}'..='\u{FE0F}' | '\u{FFFC}' | '\u{200B}')
        || matches!(c, '\u{0000}'..='\u{0008}' | '\u{000E}'..='\u{001F}' | '\u{007F}'..='\u{0084}' | '\u{0086}'..='\u{009F}')
}

/// RFC 4518 §2.2: characters mapped to SPACE (controls that are spaces, and
/// the separator characters of Unicode category Zs).
fn mapped_to_space(c: char) -> bool {
    matches!(
        c,
        '\u{0009}'..='\u{000D}' | '\u{0085}' | '\u{00A0}' | '\u{1680}' | '\u{2000}'..='\u{200A}' | '\u{2028}' | '\u{2029}' | '\u{202F}' | '\u{205F}' | '\u{3000}'
    )
}

/// The prepared form of a string value (RFC 4518 §2 for caseIgnoreMatch):
/// mapped, case folded, leading and trailing spaces removed and inner runs
/// of spaces reduced to one (§2.6.1; equivalent for equality).
pub fn prepare(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut pending_space = false;
    for c in value.chars() {
        if mapped_to_nothing(c) {
            continue;
        }
        if c == ' ' || mapped_to_space(c) {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.extend(c.to_lowercase());
    }
    out
}

/// The text of a directory string value, or None for any other type.
fn string_value(value: &Element<'_>) -> Option<String> {
    if value.tag.class != Class::Universal || value.tag.constructed {
        return None;
    }
    let bytes = value.content;
    match value.tag.number {
        // UTF8String, PrintableString, IA5String.
        12 | 19 | 22 => std::str::from_utf8(bytes).ok().map(str::to_string),
        // BMPString: UCS-2, big-endian.
        30 if bytes.len() % 2 == 0 => {
            let units: Vec<u16> = bytes.chunks(2).map(|p| u16::from_be_bytes([p[0], p[1]])).collect();
            String::from_utf16(&units).ok()
        }
        // UniversalString: UCS-4, big-endian.
        28 if bytes.len() % 4 == 0 => bytes.chunks(4).map(|p| char::from_u32(u32::from_be_bytes([p[0], p[1], p[2], p[3]]))).collect(),
        _ => None,
    }
}

fn push_part(out: &mut Vec<u8>, part: &[u8]) {
    out.extend_from_slice(&(part.len() as u32).to_be_bytes());
    out.extend_from_slice(part);
}

/// One AttributeTypeAndValue in comparable form: its type's DER, then
/// `S` + the prepared text for a string value or `D` + the value's DER.
fn comparable_atv(atv: &Element<'_>) -> Option<Vec<u8>> {
    let parts = atv.sequence("AttributeTypeAndValue").ok()?;
    let [kind, value] = parts.as_slice() else { return None };
    let mut out = Vec::new();
    push_part(&mut out, kind.raw);
    match string_value(value) {
        Some(text) => {
            out.push(b'S');
            push_part(&mut out, prepare(&text).as_bytes());
        }
        None => {
            out.push(b'D');
            push_part(&mut out, value.raw);
        }
    }
    Some(out)
}

/// Each RDN of a Name DER in comparable form, in encoding order (the most
/// general RDN first); None when the name cannot be read. Two RDNs match
/// under §7.1 exactly when their forms are equal, so a name lies within
/// another's subtree (RFC 5280 §4.2.1.10 directoryName) when the other's
/// forms are a prefix of its own.
pub fn comparable_rdns(der: &[u8]) -> Option<Vec<Vec<u8>>> {
    let budget = Budget::new();
    let top = parse_exact(der, &budget).ok()?;
    let mut out = Vec::new();
    for rdn in top.sequence("Name").ok()? {
        if rdn.tag != crate::asn1::Tag::SET {
            return None;
        }
        // A SET: the order of its members does not matter.
        let mut atvs = rdn.child_vec().ok()?.iter().map(comparable_atv).collect::<Option<Vec<_>>>()?;
        atvs.sort();
        let mut one = (atvs.len() as u32).to_be_bytes().to_vec();
        for atv in atvs {
            push_part(&mut one, &atv);
        }
        out.push(one);
    }
    Some(out)
}

fn comparable_name(der: &[u8]) -> Option<Vec<u8>> {
    comparable_rdns(der).map(|rdns| rdns.concat())
}

/// A byte string equal for two Name DERs exactly when they match. A name
/// that cannot be read is its own DER behind a marker, so it matches only an
/// identical encoding.
pub fn comparable(der: &[u8]) -> Vec<u8> {
    match comparable_name(der) {
        Some(c) => [b"N".as_slice(), &c].concat(),
        None => [b"X".as_slice(), der].concat(),
    }
}

/// Whether two Name DERs match (identical bytes, the common case, first).
pub fn names_match(a: &[u8], b: &[u8]) -> bool {
    a == b || comparable(a) == comparable(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn der(tag: u8, content: &[u8]) -> Vec<u8> {
        assert!(content.len() < 128);
        [&[tag, content.len() as u8][..], content].concat()
    }

    /// `C=DK` (PrintableString) then `CN=<cn>` with the given string tag.
    fn name(cn_tag: u8, cn: &[u8]) -> Vec<u8> {
        let atv = |oid_last: u8, tag: u8, v: &[u8]| der(0x31, &der(0x30, &[der(0x06, &[0x55, 0x04, oid_last]), der(tag, v)].concat()));
        der(0x30, &[atv(6, 0x13, b"DK"), atv(3, cn_tag, cn)].concat())
    }

    #[test]
    fn string_types_case_and_spaces_match() {
        let printable = name(0x13, b"Issuing CA");
        assert!(names_match(&printable, &name(0x0C, b"Issuing CA")));
        assert!(names_match(&printable, &name(0x13, b"  issuing   ca ")));
        assert!(names_match(&printable, &name(0x16, b"ISSUING CA")));
        let bmp: Vec<u8> = "issuing ca".encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert!(names_match(&printable, &name(0x1E, &bmp)));
        assert!(names_match(&name(0x0C, "Søren\u{00A0}Å".as_bytes()), &name(0x0C, "søren å".as_bytes())));
    }

    #[test]
    fn different_values_types_or_structure_do_not_match() {
        let printable = name(0x13, b"Issuing CA");
        assert!(!names_match(&printable, &name(0x13, b"Issuing CA2")));
        assert!(!names_match(&printable, &name(0x13, b"IssuingCA")));
        // An OCTET STRING value is compared as DER, not as text.
        assert!(!names_match(&name(0x04, b"Issuing CA"), &name(0x13, b"Issuing CA")));
        // The same attributes in one multi-valued RDN are another structure.
        let one_rdn = der(
            0x30,
            &der(
                0x31,
                &[
                    der(0x30, &[der(0x06, &[0x55, 0x04, 6]), der(0x13, b"DK")].concat()),
                    der(0x30, &[der(0x06, &[0x55, 0x04, 3]), der(0x13, b"Issuing CA")].concat()),
                ]
                .concat(),
            ),
        );
        assert!(!names_match(&printable, &one_rdn));
        // Unreadable bytes match only themselves.
        assert!(names_match(b"\x30\x05junk", b"\x30\x05junk"));
        assert!(!names_match(b"\x30\x05junk", &printable));
    }
}
