//! /ByteRange, the /Contents gap and coverage (ISO 32000-1 §12.8.1; pades.md
//! "ByteRange and coverage"). These rules defend against universal signature
//! forgery and signature wrapping (Mladenov et al., CCS 2019).

use super::Attestation;
use crate::checks::CheckId;
use crate::pdf::{Dict, Object, Pdf};
use crate::report::{Check, Fact};
use std::fmt;

/// A valid `[0 a b c]`: signed bytes `[0, a)` and `[b, b + c)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ByteRange {
    pub a: usize,
    pub b: usize,
    pub c: usize,
}

impl ByteRange {
    /// The end of the signed bytes.
    pub fn end(&self) -> usize {
        self.b + self.c
    }
    /// The two signed slices of `data`.
    pub fn slices<'d>(&self, data: &'d [u8]) -> [&'d [u8]; 2] {
        [&data[..self.a], &data[self.b..self.b + self.c]]
    }
    /// Number of signed bytes.
    pub fn signed_len(&self) -> usize {
        self.a + self.c
    }
}

/// How much of the file a signature covers (pyHanko's SignatureCoverageLevel).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Coverage {
    EntireFile,
    /// Up to the end of revision `n` (index into the revisions).
    EntireRevision(usize),
    ContiguousBlockFromStart,
    Unclear,
}

impl fmt::Display for Coverage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Coverage::EntireFile => "ENTIRE_FILE",
            Coverage::EntireRevision(_) => "ENTIRE_REVISION",
            Coverage::ContiguousBlockFromStart => "CONTIGUOUS_BLOCK_FROM_START",
            Coverage::Unclear => "UNCLEAR",
        })
    }
}

/// Reads and checks /ByteRange: exactly four non-negative integers `[0 a b c]`,
/// `a < b`, `b + c` within the file.
pub fn check_byte_range(pdf: &Pdf<'_>, dict: &Dict) -> (Check, Option<ByteRange>) {
    let id = CheckId::SigByteRange;
    let len = pdf.data().len();
    let fail = |why: String| (Check::fail(id, why), None);
    let raw = match dict.get(b"ByteRange") {
        None => return fail("the signature dictionary has no /ByteRange: nothing says which bytes are signed".into()),
        Some(v) => match pdf.resolve(v) {
            Ok(v) => v,
            Err(e) => return fail(format!("/ByteRange cannot be read: {e}")),
        },
    };
    let Object::Array(items) = raw else {
        return fail(format!("/ByteRange is {}, not an array of four integers", raw.type_name()));
    };
    if items.len() != 4 {
        return fail(format!("/ByteRange has {} numbers; exactly four ([0 a b c]) are required", items.len()));
    }
    let mut n = [0usize; 4];
    for (i, item) in items.iter().enumerate() {
        match item.as_int() {
            Some(v) if v >= 0 => n[i] = usize::try_from(v).unwrap_or(usize::MAX),
            Some(v) => return fail(format!("/ByteRange value {v} is negative")),
            None => return fail(format!("/ByteRange entry {} is a {}, not an integer", i + 1, item.type_name())),
        }
    }
    let values = Fact::list("byte_range", n.iter().map(|v| v.to_string()).collect());
    if n[0] != 0 {
        return (Check::fail(id, format!("/ByteRange starts at byte {}, not 0: the bytes before it are unsigned", n[0])).with(values), None);
    }
    let (a, b, c) = (n[1], n[2], n[3]);
    if a >= b {
        return (Check::fail(id, format!("/ByteRange's gap is empty or reversed ({a} >= {b})")).with(values), None);
    }
    match b.checked_add(c) {
        Some(end) if end <= len => {}
        _ => return (Check::fail(id, format!("/ByteRange points outside the file: {b} + {c} > {len} bytes")).with(values), None),
    }
    (Check::pass(id, format!("[0 {a} {b} {c}]: {} signed bytes, gap {a}..{b}", a + c)).with(values), Some(ByteRange { a, b, c }))
}

/// Checks that the gap is exactly this dictionary's /Contents hex string and
/// returns its decoded bytes (the CMS and its padding).
pub fn check_contents_gap(dict: &Dict, br: &ByteRange) -> (Check, Option<Vec<u8>>, bool) {
    let id = CheckId::SigContentsGap;
    let Some(contents) = dict.get(b"Contents") else {
        return (Check::fail(id, "the signature dictionary has no /Contents"), None, false);
    };
    let Some(s) = contents.as_str() else {
        return (Check::fail(id, format!("/Contents is {}, not a hexadecimal string", contents.type_name())), None, false);
    };
    if !s.hex {
        return (Check::fail(id, "/Contents is a literal string; it must be a hexadecimal string"), Some(s.bytes.clone()), false);
    }
    if s.span.is_empty() {
        return (Check::fail(id, "/Contents is not in the file's bytes (it sits in an object stream)"), Some(s.bytes.clone()), false);
    }
    let gap = br.a..br.b;
    if s.span != gap {
        return (
            Check::fail(
                id,
                format!(
                    "the ByteRange gap {}..{} is not this signature's /Contents {}..{}: the signed bytes do not exclude exactly the signature (signature wrapping)",
                    gap.start, gap.end, s.span.start, s.span.end
                ),
            ),
            Some(s.bytes.clone()),
            false,
        );
    }
    (Check::pass(id, format!("the gap is exactly /Contents ({} hex digits)", gap.len().saturating_sub(2))), Some(s.bytes.clone()), true)
}

/// The coverage level and its check.
pub fn check_coverage(pdf: &Pdf<'_>, br: &ByteRange, gap_exact: bool, by: Attestation) -> (Check, Coverage) {
    let id = CheckId::SigCoverage;
    let len = pdf.data().len();
    let end = br.end();
    let tail = len - end;
    let facts =
        |c: Coverage| [Fact::text("coverage", c.to_string()), Fact::int("signed_bytes", br.signed_len() as i64), Fact::int("unsigned_tail_bytes", tail as i64)];
    if !gap_exact {
        let c = Coverage::Unclear;
        return (Check::fail(id, "coverage is UNCLEAR: the gap holds more than the signature's /Contents").with_all(facts(c)), c);
    }
    if end == len {
        let c = Coverage::EntireFile;
        return (Check::pass(id, format!("the {} covers the entire file (ENTIRE_FILE)", by.noun())).with_all(facts(c)), c);
    }
    if let Some(i) = pdf.revisions().iter().position(|r| r.end == end || r.eof_end == end) {
        let c = Coverage::EntireRevision(i);
        return (
            Check::pass(
                id,
                format!(
                    "the {} covers revision {} of {} up to its %%EOF (ENTIRE_REVISION); the {tail} bytes after it are judged as changes {}",
                    by.noun(),
                    i + 1,
                    pdf.revisions().len(),
                    by.after()
                ),
            )
            .with_all(facts(c)),
            c,
        );
    }
    let c = Coverage::ContiguousBlockFromStart;
    (
        Check::warn(
            id,
            format!("the {} covers a block from the start that does not end at a revision's %%EOF; {tail} bytes after it are not {}", by.noun(), by.done()),
        )
        .with_all(facts(c)),
        c,
    )
}

/// The digest of the signed bytes.
pub fn digest_ranges(data: &[u8], br: &ByteRange, hash: crate::crypto::Hash) -> Vec<u8> {
    let [first, second] = br.slices(data);
    hash.digest_parts(&[first, second])
}
