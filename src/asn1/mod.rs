//! A small BER/DER reader (X.690) for the structures we verify: OCSP (RFC 6960)
//! and, later, CMS (RFC 5652) and RFC 3161 timestamps.
//!
//! Why our own: signatures must be checked over the exact bytes that were
//! signed, so every element keeps its raw encoding; real CMS from sign services
//! uses BER indefinite lengths (`30 80 ... 00 00`), so both forms are read; and
//! every input byte is hostile, so nesting depth and element count are budgeted
//! and every error names the byte offset. Certificates are parsed by
//! `x509-parser`; this reader handles the rest.

pub mod der;
mod element;

pub use element::{Class, Element, Tag};

use crate::limits::{MAX_ASN1_DEPTH, MAX_ASN1_ELEMENTS};
use std::cell::Cell;
use std::fmt;

/// Why bytes are not the ASN.1 we expected; `offset` is from the start of the parsed input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asn1Error {
    pub offset: usize,
    pub kind: ErrorKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorKind {
    /// The input ends inside an element.
    Truncated,
    /// A length form X.690 forbids (reserved 0xFF, more than 8 length octets).
    BadLength,
    /// Indefinite length on a primitive element (X.690 §8.1.3.2).
    IndefinitePrimitive,
    /// Nested deeper than [`MAX_ASN1_DEPTH`].
    TooDeep,
    /// More elements than [`MAX_ASN1_ELEMENTS`] in one input.
    TooManyElements,
    /// A different element than the structure requires here.
    Unexpected { expected: &'static str, found: String },
    /// A value that does not fit its type (bad OID, bad time, ...).
    BadValue(&'static str),
    /// Bytes after the outermost element.
    TrailingData,
}

impl fmt::Display for Asn1Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ErrorKind::Truncated => write!(f, "truncated ASN.1 at byte {}", self.offset),
            ErrorKind::BadLength => write!(f, "invalid ASN.1 length at byte {}", self.offset),
            ErrorKind::IndefinitePrimitive => {
                write!(f, "indefinite length on a primitive element at byte {}", self.offset)
            }
            ErrorKind::TooDeep => write!(f, "ASN.1 nested deeper than {MAX_ASN1_DEPTH} levels at byte {}", self.offset),
            ErrorKind::TooManyElements => {
                write!(f, "more than {MAX_ASN1_ELEMENTS} ASN.1 elements (at byte {})", self.offset)
            }
            ErrorKind::Unexpected { expected, found } => {
                write!(f, "expected {expected} at byte {}, found {found}", self.offset)
            }
            ErrorKind::BadValue(what) => write!(f, "invalid {what} at byte {}", self.offset),
            ErrorKind::TrailingData => write!(f, "unexpected data after the structure at byte {}", self.offset),
        }
    }
}

impl std::error::Error for Asn1Error {}

/// Shared state of one parse: the element budget.
#[derive(Debug)]
pub struct Budget {
    left: Cell<usize>,
}

impl Budget {
    pub fn new() -> Budget {
        Budget { left: Cell::new(MAX_ASN1_ELEMENTS) }
    }
    fn spend(&self, offset: usize) -> Result<(), Asn1Error> {
        let left = self.left.get();
        if left == 0 {
            return Err(Asn1Error { offset, kind: ErrorKind::TooManyElements });
        }
        self.left.set(left - 1);
        Ok(())
    }
}

impl Default for Budget {
    fn default() -> Self {
        Budget::new()
    }
}

/// Parses exactly one element spanning all of `data`.
pub fn parse_exact<'a>(data: &'a [u8], budget: &'a Budget) -> Result<Element<'a>, Asn1Error> {
    let (el, next) = element::read(data, 0, 0, 0, budget)?;
    if next != data.len() {
        return Err(Asn1Error { offset: next, kind: ErrorKind::TrailingData });
    }
    Ok(el)
}

/// The time of a DER value that is exactly one GeneralizedTime: the
/// extnValue of extensions such as invalidityDate (RFC 5280 §5.3.2),
/// archiveCutoff (RFC 6960 §4.4.4) and expiredCertsOnCRL. `what` names the
/// value in the error.
pub fn generalized_time(der: &[u8], what: &'static str) -> Result<crate::time::UnixTime, Asn1Error> {
    let budget = Budget::new();
    parse_exact(der, &budget)?.expect(Tag::GENERALIZED_TIME, what)?.time()
}

/// Parses the first element of `data`, returning it and the bytes after it.
pub fn parse_first<'a>(data: &'a [u8], budget: &'a Budget) -> Result<(Element<'a>, &'a [u8]), Asn1Error> {
    let (el, next) = element::read(data, 0, 0, 0, budget)?;
    Ok((el, &data[next..]))
}

/// Dotted text of an OBJECT IDENTIFIER's content octets (X.690 §8.19).
pub fn oid_to_string(content: &[u8]) -> Option<String> {
    if content.is_empty() || content.last().is_some_and(|b| b & 0x80 != 0) {
        return None;
    }
    // Arcs up to 128 bits: UUID-based OIDs (2.25.<uuid>, X.667) need them.
    let mut arcs: Vec<u128> = Vec::new();
    let mut value: u128 = 0;
    let mut first = true;
    for (i, &b) in content.iter().enumerate() {
        if value == 0 && b == 0x80 && (i == 0 || content[i - 1] & 0x80 == 0) {
            return None; // non-minimal encoding
        }
        if value > (u128::MAX >> 7) {
            return None;
        }
        value = (value << 7) | (b & 0x7f) as u128;
        if b & 0x80 == 0 {
            if first {
                let (a, b2) = if value < 40 {
                    (0, value)
                } else if value < 80 {
                    (1, value - 40)
                } else {
                    (2, value - 80)
                };
                arcs.push(a);
                arcs.push(b2);
                first = false;
            } else {
                arcs.push(value);
            }
            value = 0;
        }
    }
    Some(arcs.iter().map(u128::to_string).collect::<Vec<_>>().join("."))
}

#[cfg(test)]
mod tests;
