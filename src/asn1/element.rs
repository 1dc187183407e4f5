//! One BER/DER element and typed access to its value.

use super::{oid_to_string, Asn1Error, Budget, ErrorKind};
use crate::limits::MAX_ASN1_DEPTH;
use crate::time::UnixTime;
use std::borrow::Cow;
use std::fmt;

/// The tag class (X.690 §8.1.2.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    Universal,
    Application,
    Context,
    Private,
}

/// An identifier octet(s) decoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tag {
    pub class: Class,
    pub constructed: bool,
    pub number: u32,
}

impl Tag {
    pub const BOOLEAN: Tag = Tag::universal(1, false);
    pub const INTEGER: Tag = Tag::universal(2, false);
    pub const BIT_STRING: Tag = Tag::universal(3, false);
    pub const OCTET_STRING: Tag = Tag::universal(4, false);
    pub const NULL: Tag = Tag::universal(5, false);
    pub const OID: Tag = Tag::universal(6, false);
    pub const ENUMERATED: Tag = Tag::universal(10, false);
    pub const SEQUENCE: Tag = Tag::universal(16, true);
    pub const SET: Tag = Tag::universal(17, true);
    pub const UTC_TIME: Tag = Tag::universal(23, false);
    pub const GENERALIZED_TIME: Tag = Tag::universal(24, false);

    pub const fn universal(number: u32, constructed: bool) -> Tag {
        Tag { class: Class::Universal, constructed, number }
    }
    /// `[n]` context-specific.
    pub const fn context(number: u32, constructed: bool) -> Tag {
        Tag { class: Class::Context, constructed, number }
    }
    /// Same class and number; BER allows some strings either primitive or constructed.
    pub fn same_kind(self, other: Tag) -> bool {
        self.class == other.class && self.number == other.number
    }
}

impl fmt::Display for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.class, self.number) {
            (Class::Universal, 1) => f.write_str("BOOLEAN"),
            (Class::Universal, 2) => f.write_str("INTEGER"),
            (Class::Universal, 3) => f.write_str("BIT STRING"),
            (Class::Universal, 4) => f.write_str("OCTET STRING"),
            (Class::Universal, 5) => f.write_str("NULL"),
            (Class::Universal, 6) => f.write_str("OBJECT IDENTIFIER"),
            (Class::Universal, 10) => f.write_str("ENUMERATED"),
            (Class::Universal, 16) => f.write_str("SEQUENCE"),
            (Class::Universal, 17) => f.write_str("SET"),
            (Class::Universal, 23) => f.write_str("UTCTime"),
            (Class::Universal, 24) => f.write_str("GeneralizedTime"),
            (Class::Universal, n) => write!(f, "universal tag {n}"),
            (Class::Context, n) => write!(f, "[{n}]"),
            (Class::Application, n) => write!(f, "[APPLICATION {n}]"),
            (Class::Private, n) => write!(f, "[PRIVATE {n}]"),
        }
    }
}

/// An element: its tag, its bytes, and where it sits in the input.
#[derive(Clone, Debug)]
pub struct Element<'a> {
    pub tag: Tag,
    /// The whole encoding: identifier, length, contents (and end-of-contents).
    pub raw: &'a [u8],
    /// The contents octets (without end-of-contents for indefinite lengths).
    pub content: &'a [u8],
    pub indefinite: bool,
    /// Offset of `raw` from the start of the parsed input.
    pub offset: usize,
    /// Offset of `content` from the start of the parsed input.
    content_offset: usize,
    depth: usize,
    budget: &'a Budget,
}

fn err(offset: usize, kind: ErrorKind) -> Asn1Error {
    Asn1Error { offset, kind }
}

/// Reads one element from `data[pos..]`; `base` is the offset of `data` in the input.
pub(super) fn read<'a>(data: &'a [u8], pos: usize, base: usize, depth: usize, budget: &'a Budget) -> Result<(Element<'a>, usize), Asn1Error> {
    if depth > MAX_ASN1_DEPTH {
        return Err(err(base + pos, ErrorKind::TooDeep));
    }
    budget.spend(base + pos)?;
    let at = |p: usize| data.get(p).copied().ok_or(err(base + p, ErrorKind::Truncated));
    let start = pos;
    let first = at(pos)?;
    let class = match first >> 6 {
        0 => Class::Universal,
        1 => Class::Application,
        2 => Class::Context,
        _ => Class::Private,
    };
    let constructed = first & 0x20 != 0;
    let mut p = pos + 1;
    let mut number = (first & 0x1f) as u32;
    if number == 0x1f {
        number = 0;
        loop {
            let b = at(p)?;
            p += 1;
            if number > (u32::MAX >> 7) {
                return Err(err(base + p, ErrorKind::BadValue("tag number")));
            }
            number = (number << 7) | (b & 0x7f) as u32;
            if b & 0x80 == 0 {
                break;
            }
        }
    }
    let tag = Tag { class, constructed, number };
    let len_byte = at(p)?;
    p += 1;
    let (content_start, content_end, next, indefinite) = if len_byte == 0x80 {
        if !constructed {
            return Err(err(base + start, ErrorKind::IndefinitePrimitive));
        }
        // Walk the children to find the end-of-contents octets.
        let mut q = p;
        loop {
            if at(q)? == 0 && at(q + 1)? == 0 {
                break;
            }
            let (_, after) = read(data, q, base, depth + 1, budget)?;
            q = after;
        }
        (p, q, q + 2, true)
    } else {
        let len = if len_byte < 0x80 {
            len_byte as usize
        } else {
            let n = (len_byte & 0x7f) as usize;
            if len_byte == 0xff || n > 8 {
                return Err(err(base + p - 1, ErrorKind::BadLength));
            }
            let mut len: u64 = 0;
            for _ in 0..n {
                len = (len << 8) | at(p)? as u64;
                p += 1;
            }
            usize::try_from(len).map_err(|_| err(base + start, ErrorKind::BadLength))?
        };
        let end = p.checked_add(len).ok_or(err(base + start, ErrorKind::BadLength))?;
        if end > data.len() {
            return Err(err(base + start, ErrorKind::Truncated));
        }
        (p, end, end, false)
    };
    Ok((
        Element {
            tag,
            raw: &data[start..next],
            content: &data[content_start..content_end],
            indefinite,
            offset: base + start,
            content_offset: base + content_start,
            depth,
            budget,
        },
        next,
    ))
}

/// Iterates the children of a constructed element.
pub struct Children<'a> {
    content: &'a [u8],
    pos: usize,
    base: usize,
    depth: usize,
    budget: &'a Budget,
}

impl<'a> Iterator for Children<'a> {
    type Item = Result<Element<'a>, Asn1Error>;
    fn next(&mut self) -> Option<Self::Item> {
        if self.pos >= self.content.len() {
            return None;
        }
        match read(self.content, self.pos, self.base, self.depth + 1, self.budget) {
            Ok((el, next)) => {
                self.pos = next;
                Some(Ok(el))
            }
            Err(e) => {
                self.pos = self.content.len();
                Some(Err(e))
            }
        }
    }
}

impl<'a> Element<'a> {
    fn unexpected(&self, expected: &'static str) -> Asn1Error {
        err(self.offset, ErrorKind::Unexpected { expected, found: self.tag.to_string() })
    }

    fn bad(&self, what: &'static str) -> Asn1Error {
        err(self.offset, ErrorKind::BadValue(what))
    }

    /// Fails unless the element has this tag.
    pub fn expect(&self, tag: Tag, what: &'static str) -> Result<&Self, Asn1Error> {
        if self.tag == tag {
            Ok(self)
        } else {
            Err(self.unexpected(what))
        }
    }

    /// The children of a constructed element.
    pub fn children(&self) -> Children<'a> {
        let content = if self.tag.constructed { self.content } else { &[][..] };
        Children { content, pos: 0, base: self.content_offset, depth: self.depth, budget: self.budget }
    }

    /// All children, or the first error.
    pub fn child_vec(&self) -> Result<Vec<Element<'a>>, Asn1Error> {
        self.children().collect()
    }

    /// The children of a SEQUENCE (checked).
    pub fn sequence(&self, what: &'static str) -> Result<Vec<Element<'a>>, Asn1Error> {
        self.expect(Tag::SEQUENCE, what)?;
        self.child_vec()
    }

    /// For `[n] EXPLICIT T`: the single inner element.
    pub fn explicit_inner(&self) -> Result<Element<'a>, Asn1Error> {
        let mut kids = self.children();
        let inner = kids.next().ok_or_else(|| self.unexpected("an explicitly tagged value"))??;
        if kids.next().is_some() {
            return Err(self.bad("explicit tag with more than one element"));
        }
        Ok(inner)
    }

    /// OBJECT IDENTIFIER as dotted text.
    pub fn oid(&self) -> Result<String, Asn1Error> {
        self.expect(Tag::OID, "OBJECT IDENTIFIER")?;
        oid_to_string(self.content).ok_or_else(|| self.bad("OBJECT IDENTIFIER"))
    }

    /// INTEGER content bytes (two's complement, as encoded), checked non-empty.
    pub fn integer_bytes(&self) -> Result<&'a [u8], Asn1Error> {
        if !self.tag.same_kind(Tag::INTEGER) || self.tag.constructed {
            return Err(self.unexpected("INTEGER"));
        }
        if self.content.is_empty() {
            return Err(self.bad("empty INTEGER"));
        }
        Ok(self.content)
    }

    /// A small non-negative INTEGER or ENUMERATED.
    pub fn small_uint(&self) -> Result<u64, Asn1Error> {
        if self.tag.constructed || !(self.tag.same_kind(Tag::INTEGER) || self.tag.same_kind(Tag::ENUMERATED)) {
            return Err(self.unexpected("INTEGER"));
        }
        let c = self.content;
        if c.is_empty() || c[0] & 0x80 != 0 || c.len() > 9 || (c.len() == 9 && c[0] != 0) {
            return Err(self.bad("small non-negative integer"));
        }
        Ok(c.iter().fold(0u64, |acc, b| (acc << 8) | *b as u64))
    }

    /// BOOLEAN (BER: any non-zero octet is TRUE).
    pub fn boolean(&self) -> Result<bool, Asn1Error> {
        self.expect(Tag::BOOLEAN, "BOOLEAN")?;
        match self.content {
            [b] => Ok(*b != 0),
            _ => Err(self.bad("BOOLEAN")),
        }
    }

    /// The octets of an OCTET STRING (or any string type given as `tag`),
    /// concatenating the segments of a BER constructed string (X.690 §8.7.3).
    pub fn octets_of(&self, tag: Tag) -> Result<Cow<'a, [u8]>, Asn1Error> {
        if !self.tag.same_kind(tag) {
            return Err(self.unexpected("OCTET STRING"));
        }
        if !self.tag.constructed {
            return Ok(Cow::Borrowed(self.content));
        }
        let mut out = Vec::new();
        for seg in self.children() {
            out.extend_from_slice(&seg?.octets_of(Tag::OCTET_STRING)?);
        }
        Ok(Cow::Owned(out))
    }

    /// OCTET STRING contents.
    pub fn octets(&self) -> Result<Cow<'a, [u8]>, Asn1Error> {
        self.octets_of(Tag::OCTET_STRING)
    }

    /// BIT STRING bits with no unused bits (signatures and keys are whole octets).
    pub fn bit_string_octets(&self) -> Result<Cow<'a, [u8]>, Asn1Error> {
        if !self.tag.same_kind(Tag::BIT_STRING) || self.tag.constructed {
            return Err(self.unexpected("BIT STRING"));
        }
        match self.content.split_first() {
            Some((0, rest)) => Ok(Cow::Borrowed(rest)),
            _ => Err(self.bad("BIT STRING with unused bits")),
        }
    }

    /// UTCTime or GeneralizedTime (RFC 5280 §4.1.2.5 forms: seconds, `Z`;
    /// fractional seconds accepted for GeneralizedTime and truncated).
    pub fn time(&self) -> Result<UnixTime, Asn1Error> {
        let text = std::str::from_utf8(self.content).map_err(|_| self.bad("time"))?;
        let b = text.as_bytes();
        let digits = |s: &[u8]| -> Option<u32> {
            if s.is_empty() || !s.iter().all(u8::is_ascii_digit) {
                return None;
            }
            Some(s.iter().fold(0u32, |a, c| a * 10 + (c - b'0') as u32))
        };
        let (year, rest) = if self.tag == Tag::UTC_TIME {
            let yy = digits(b.get(0..2).ok_or_else(|| self.bad("UTCTime"))?).ok_or_else(|| self.bad("UTCTime"))? as i64;
            // RFC 5280 §4.1.2.5.1: YY >= 50 is 19YY, else 20YY.
            (if yy >= 50 { 1900 + yy } else { 2000 + yy }, &b[2..])
        } else if self.tag == Tag::GENERALIZED_TIME {
            let y = digits(b.get(0..4).ok_or_else(|| self.bad("GeneralizedTime"))?).ok_or_else(|| self.bad("GeneralizedTime"))?;
            (y as i64, &b[4..])
        } else {
            return Err(self.unexpected("UTCTime or GeneralizedTime"));
        };
        let field = |i: usize| rest.get(i..i + 2).and_then(digits).ok_or_else(|| self.bad("time"));
        let (mo, d, h, mi, s) = (field(0)?, field(2)?, field(4)?, field(6)?, field(8)?);
        let mut tail = &rest[10..];
        if self.tag == Tag::GENERALIZED_TIME && tail.first() == Some(&b'.') {
            let n = tail[1..].iter().take_while(|c| c.is_ascii_digit()).count();
            if n == 0 {
                return Err(self.bad("GeneralizedTime fraction"));
            }
            tail = &tail[1 + n..];
        }
        if tail != b"Z" {
            return Err(self.bad("time not in UTC (Z)"));
        }
        UnixTime::from_civil(year, mo, d, h, mi, s).ok_or_else(|| self.bad("time"))
    }

    /// True when this is `[n]` context-specific.
    pub fn is_context(&self, n: u32) -> bool {
        self.tag.class == Class::Context && self.tag.number == n
    }
}
