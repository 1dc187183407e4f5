//! Cross-reference sections and revisions: tables and trailers (ISO 32000-1
//! §7.5.4, §7.5.5), cross-reference streams (§7.5.8), hybrid files
//! (§7.5.8.4), the `/Prev` chain of incremental updates (§7.5.6), and where
//! each revision ends (its `%%EOF`).

use super::error::{PdfError, Problem, XrefPointer};
use super::filter::{decode, filters_of, DecodeLimits};
use super::lexer::{at_keyword, find, read_uint, skip_ws};
use super::object::{Dict, Object};
use super::parser::{NoEnv, Parser};
use crate::limits::{MAX_PDF_OBJECTS, MAX_PDF_XREF_SECTIONS};
use std::collections::{BTreeMap, BTreeSet};

/// How a revision's cross-reference section is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum XrefKind {
    /// A classic `xref` table with a `trailer` (§7.5.4).
    Table,
    /// A cross-reference stream (§7.5.8).
    Stream,
    /// A table whose trailer's `/XRefStm` adds a cross-reference stream
    /// (§7.5.8.4), for readers of PDF 1.4 and 1.5 alike.
    Hybrid,
}

/// One cross-reference entry (§7.5.4, §7.5.8.3 Table 18).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Entry {
    /// An object at `offset`, counted from the `%PDF` header as the file
    /// declares it (see [`super::Pdf::object_span`] for file positions).
    InUse {
        /// Where the object starts, as declared.
        offset: u64,
        /// Its generation.
        gen: u16,
    },
    /// Object number `index` of the object stream `stream` (generation 0).
    Compressed {
        /// The object number of the object stream.
        stream: u32,
        /// The object's position in the stream's index.
        index: u32,
    },
    /// A deleted object; `next` is the next free object number, `gen` the
    /// generation to use if the number is reused.
    Free {
        /// The next free object number.
        next: u64,
        /// The generation a reuse of the number would get.
        gen: u16,
    },
}

/// One revision of the document: what one cross-reference section (with its
/// hybrid stream, or a linearized file's first-page section) defines.
#[derive(Clone, Debug, PartialEq)]
pub struct Revision {
    /// File position of the section that `startxref` or `/Prev` points to
    /// (`xref` keyword or cross-reference stream object).
    pub xref_offset: usize,
    /// How the section is written.
    pub kind: XrefKind,
    /// The trailer dictionary (for a stream, the stream's dictionary).
    pub trailer: Dict,
    /// The entries this revision's section defines, by object number.
    pub entries: BTreeMap<u32, Entry>,
    /// The offset just after the `%%EOF` that closes this revision and the
    /// end-of-line after it: the revision's bytes are `[0, end)`.
    pub end: usize,
    /// The offset just after `%%EOF` itself (`end` without the end-of-line).
    pub eof_end: usize,
    /// File positions of every cross-reference section read for this
    /// revision: the main one, an `/XRefStm` stream, or both sections of a
    /// linearized file (§F.3), whose first-page section's `/Prev` points
    /// forward to the main one.
    pub sections: Vec<usize>,
}

/// One section as read, before sections are grouped into revisions.
#[derive(Debug)]
pub(super) struct Section {
    pub offset: usize,
    pub kind: XrefKind,
    pub trailer: Dict,
    pub entries: BTreeMap<u32, Entry>,
    /// Just after the trailer dictionary or the stream's `endobj`.
    pub end: usize,
    pub xrefstm: Option<usize>,
    /// The `/Prev` section's position in the file.
    pub prev: Option<usize>,
}

/// Reads sections of `data`, whose declared offsets count from `base`.
pub(super) struct Reader<'a> {
    pub data: &'a [u8],
    pub base: usize,
    /// Entries that may still be read (shared by all sections).
    budget: usize,
    pub problems: Vec<Problem>,
}

impl<'a> Reader<'a> {
    pub fn new(data: &'a [u8], base: usize) -> Reader<'a> {
        Reader { data, base, budget: MAX_PDF_OBJECTS, problems: Vec::new() }
    }

    /// The file position of a declared offset.
    pub fn abs(&self, declared: i64) -> Option<usize> {
        usize::try_from(declared).ok()?.checked_add(self.base)
    }

    /// The whole `/Prev` chain from the section at `first`, newest first.
    pub fn chain(&mut self, first: usize) -> Result<Vec<Section>, PdfError> {
        let mut out: Vec<Section> = Vec::new();
        let mut visited = BTreeSet::new();
        let mut next = Some((first, XrefPointer::Startxref));
        while let Some((offset, pointer)) = next {
            if out.len() >= MAX_PDF_XREF_SECTIONS {
                return Err(PdfError::TooManySections);
            }
            let section = self.section(offset, pointer)?;
            if !visited.insert(section.offset) {
                return Err(PdfError::PrevLoop { offset: section.offset });
            }
            next = section.prev.map(|p| (p, XrefPointer::Prev { section: section.offset }));
            out.push(section);
        }
        Ok(out)
    }

    /// The table or stream at `offset` (white space before it is skipped).
    pub fn section(&mut self, offset: usize, pointer: XrefPointer) -> Result<Section, PdfError> {
        let p = skip_ws(self.data, offset);
        if at_keyword(self.data, p, b"xref") {
            let mut section = self.table(p)?;
            if let Some(declared) = section.trailer.get_int(b"XRefStm") {
                let at = self.abs(declared).ok_or(PdfError::NoXref { offset: p, pointer: XrefPointer::XRefStm { section: p } })?;
                let hidden = self.stream(at, XrefPointer::XRefStm { section: p })?;
                // §7.5.8.4: objects the table leaves out (or marks free,
                // for older readers) are found in the stream.
                for (num, entry) in hidden.entries {
                    match section.entries.get(&num) {
                        None | Some(Entry::Free { .. }) => {
                            section.entries.insert(num, entry);
                        }
                        Some(_) => {}
                    }
                }
                section.kind = XrefKind::Hybrid;
                section.xrefstm = Some(hidden.offset);
            }
            Ok(section)
        } else {
            self.stream(p, pointer)
        }
    }

    /// The `/Prev` section's position; an entry that is not an offset is
    /// an error rather than the end of the chain, which would hide revisions.
    fn prev(&self, trailer: &Dict) -> Result<Option<usize>, ()> {
        match trailer.get(b"Prev") {
            None | Some(Object::Null) => Ok(None),
            Some(Object::Int(p)) => self.abs(*p).map(Some).ok_or(()),
            Some(_) => Err(()),
        }
    }

    fn spend(&mut self, offset: usize) -> Result<(), PdfError> {
        self.budget = self.budget.checked_sub(1).ok_or(PdfError::TooManyObjects { offset })?;
        Ok(())
    }

    /// A classic table (§7.5.4) at `start` (the `xref` keyword) and its trailer.
    fn table(&mut self, start: usize) -> Result<Section, PdfError> {
        let data = self.data;
        let err = |problem: String| PdfError::XrefTable { offset: start, problem };
        let mut entries = BTreeMap::new();
        let mut q = start + 4;
        loop {
            q = skip_ws(data, q);
            if at_keyword(data, q, b"trailer") {
                q += 7;
                break;
            }
            if q >= data.len() {
                return Err(err("file ends before 'trailer'".into()));
            }
            let Some((first, after)) = read_uint(data, q) else {
                return Err(err("expected 'trailer'".into()));
            };
            q = skip_ws(data, after);
            let Some((count, after)) = read_uint(data, q) else {
                return Err(err(format!("subsection {first}: expected an entry count")));
            };
            q = after;
            if first.checked_add(count).map_or(true, |end| end > u64::from(u32::MAX) + 1) {
                return Err(err(format!("subsection {first} {count} runs past the largest object number")));
            }
            for i in 0..count {
                let num = (first + i) as u32;
                let bad = || err(format!("bad entry for object {num}"));
                self.spend(start)?;
                let (offset, after) = read_uint(data, skip_ws(data, q)).ok_or_else(bad)?;
                let (gen, after) = read_uint(data, skip_ws(data, after)).ok_or_else(bad)?;
                let gen = u16::try_from(gen).map_err(|_| bad())?;
                let at = skip_ws(data, after);
                let entry = match data.get(at) {
                    Some(b'n') => Entry::InUse { offset, gen },
                    Some(b'f') => Entry::Free { next: offset, gen },
                    _ => return Err(bad()),
                };
                q = at + 1;
                // Within one section the first entry for a number counts.
                entries.entry(num).or_insert(entry);
            }
        }
        let mut parser = Parser::new(data, q);
        let trailer = match parser.object() {
            Ok(Object::Dict(d)) => d,
            Ok(other) => return Err(err(format!("the trailer is a {}, not a dictionary", other.type_name()))),
            Err(e) => return Err(err(format!("bad trailer dictionary ({e})"))),
        };
        let end = parser.lex.pos;
        let prev = self.prev(&trailer).map_err(|()| err("/Prev is not an offset".into()))?;
        Ok(Section { offset: start, kind: XrefKind::Table, trailer, entries, end, xrefstm: None, prev })
    }

    /// A cross-reference stream (§7.5.8) at `start`.
    fn stream(&mut self, start: usize, pointer: XrefPointer) -> Result<Section, PdfError> {
        let data = self.data;
        let start = skip_ws(data, start);
        let mut parser = Parser::new(data, start);
        let ind = match parser.indirect(&NoEnv) {
            Ok(ind) => ind,
            Err(_) => return Err(PdfError::NoXref { offset: start, pointer }),
        };
        let stream = match ind.object {
            Object::Stream(s) if s.dict.has_type(b"XRef") => s,
            _ => return Err(PdfError::NoXref { offset: start, pointer }),
        };
        self.problems.append(&mut parser.problems);
        let err = |problem: String| PdfError::XrefStream { offset: start, problem };
        let dict = &stream.dict;
        let size = dict.get_int(b"Size").filter(|s| *s >= 0).ok_or_else(|| err("missing or bad /Size".into()))?;
        let widths: Vec<usize> = match dict.get(b"W").and_then(Object::as_array) {
            Some([a, b, c]) => [a, b, c]
                .iter()
                .map(|w| w.as_int().and_then(|w| usize::try_from(w).ok()).filter(|w| *w <= 8))
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| err("/W must hold three integers from 0 to 8".into()))?,
            _ => return Err(err("/W must hold three integers from 0 to 8".into())),
        };
        let row_len: usize = widths.iter().sum();
        if row_len == 0 {
            return Err(err("/W gives empty rows".into()));
        }
        let index: Vec<(u64, u64)> = match dict.get(b"Index") {
            None => vec![(0, size as u64)],
            Some(Object::Array(items)) if items.len() % 2 == 0 => items
                .chunks(2)
                .map(|pair| {
                    let f = pair[0].as_int().and_then(|v| u32::try_from(v).ok())?;
                    let n = pair[1].as_int().and_then(|v| u32::try_from(v).ok())?;
                    Some((u64::from(f), u64::from(n)))
                })
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| err("bad /Index".into()))?,
            Some(_) => return Err(err("bad /Index".into())),
        };
        let rows: u64 = index.iter().map(|(_, n)| n).sum();
        if rows > self.budget as u64 {
            return Err(PdfError::TooManyObjects { offset: start });
        }
        let raw = data.get(stream.data.clone()).unwrap_or_default();
        let no_refs = |o: &Object| match o {
            Object::Ref(_) => Err(err("indirect reference in the stream dictionary".into())),
            other => Ok(other.clone()),
        };
        let filters = filters_of(dict, start, &no_refs)?;
        let decoded = decode(raw, start, &filters, DecodeLimits::DEFAULT)?;
        let needed = (rows as usize).saturating_mul(row_len);
        if decoded.len() < needed {
            return Err(err(format!("{} bytes of entries, /Index and /W need {needed}", decoded.len())));
        }
        let mut entries = BTreeMap::new();
        let mut rows_iter = decoded.chunks_exact(row_len);
        for (first, count) in index {
            for i in 0..count {
                let num = u32::try_from(first + i).map_err(|_| err("object number too large".into()))?;
                let row = rows_iter.next().ok_or_else(|| err("entries end early".into()))?;
                self.spend(start)?;
                let (f1, rest) = row.split_at(widths[0]);
                let (f2, f3) = rest.split_at(widths[1]);
                let ty = if widths[0] == 0 { 1 } else { be(f1) };
                let (f2, f3) = (be(f2), be(f3));
                let gen = || u16::try_from(f3).map_err(|_| err(format!("generation {f3} of object {num} too large")));
                let entry = match ty {
                    0 => Entry::Free { next: f2, gen: gen()? },
                    1 => Entry::InUse { offset: f2, gen: gen()? },
                    2 => Entry::Compressed {
                        stream: u32::try_from(f2).map_err(|_| err(format!("object stream number {f2} too large")))?,
                        index: u32::try_from(f3).map_err(|_| err(format!("index {f3} too large")))?,
                    },
                    // §7.5.8.3: other types are references to the null object.
                    _ => continue,
                };
                entries.entry(num).or_insert(entry);
            }
        }
        let prev = self.prev(dict).map_err(|()| err("/Prev is not an offset".into()))?;
        Ok(Section { offset: start, kind: XrefKind::Stream, trailer: stream.dict, entries, end: ind.span.end, xrefstm: None, prev })
    }
}

/// A big-endian unsigned field of at most 8 bytes.
fn be(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0u64, |acc, b| acc << 8 | u64::from(*b))
}

/// The position after one end-of-line (CR LF, LF or CR) at `p`, if any.
fn after_eol(data: &[u8], p: usize) -> usize {
    match (data.get(p), data.get(p + 1)) {
        (Some(b'\r'), Some(b'\n')) => p + 2,
        (Some(b'\r' | b'\n'), _) => p + 1,
        _ => p,
    }
}

/// Where the revision of `sec` ends: `(end, eof_end)`. Normally the section
/// is followed by `startxref`, the offset of one of the revision's sections
/// (`targets`) and `%%EOF` (§7.5.5); otherwise
/// the first `%%EOF` before `bound` (the next section) is used, and failing
/// that the end of the section itself. A linearized file's `first_page`
/// section is exempt: its startxref is a dummy 0 or absent.
fn revision_end(data: &[u8], base: usize, sec: &Section, bound: usize, targets: &[usize], first_page: bool, problems: &mut Vec<Problem>) -> (usize, usize) {
    let p = skip_ws(data, sec.end);
    let mut fallback_end = sec.end;
    if at_keyword(data, p, b"startxref") {
        if let Some((declared, q)) = read_uint(data, skip_ws(data, p + 9)) {
            fallback_end = after_eol(data, q);
            let m = skip_ws(data, q);
            if data.get(m..).is_some_and(|d| d.starts_with(b"%%EOF")) {
                let points_here = usize::try_from(declared).is_ok_and(|d| targets.iter().any(|t| *t == d || d.checked_add(base) == Some(*t)));
                if !first_page && !points_here {
                    problems.push(Problem::StartxrefMismatch { section: sec.offset, declared });
                }
                return (after_eol(data, m + 5), m + 5);
            }
        }
    }
    if first_page {
        // A linearized file's first-page section may have no %%EOF of its
        // own (qpdf writes none after an xref stream); the main one counts.
        return (sec.end, sec.end);
    }
    match find(data, b"%%EOF", sec.end).filter(|e| e + 5 <= bound) {
        Some(e) => {
            problems.push(Problem::LooseEof { section: sec.offset, eof: e });
            (after_eol(data, e + 5), e + 5)
        }
        None => {
            problems.push(Problem::MissingEof { section: sec.offset, end: fallback_end });
            (fallback_end, fallback_end)
        }
    }
}

/// Groups the chain (newest first) into revisions, oldest first.
pub(super) fn revisions(data: &[u8], base: usize, chain: Vec<Section>, problems: &mut Vec<Problem>) -> Vec<Revision> {
    let starts: BTreeSet<usize> = chain.iter().flat_map(|s| std::iter::once(s.offset).chain(s.xrefstm)).collect();
    // A /Prev that points forward joins two sections of one revision: the
    // first-page and main sections of a linearized file (Annex F), or two
    // sections appended by one update. Incremental updates point backward.
    let forward = |s: &Section| s.prev.is_some_and(|p| p > s.offset);
    let mut groups: Vec<Vec<Section>> = Vec::new();
    let mut join_next = false;
    for sec in chain {
        let joins = join_next;
        join_next = forward(&sec);
        match groups.last_mut() {
            Some(g) if joins => g.push(sec),
            _ => groups.push(vec![sec]),
        }
    }
    let mut out: Vec<Revision> = groups
        .into_iter()
        .rev()
        .map(|group| {
            let mut end = 0;
            let mut eof_end = 0;
            let mut sections = Vec::new();
            let mut entries = BTreeMap::new();
            // In a linearized file the final startxref names the first-page
            // section, so a startxref may name any section of the group; the
            // first-page section's own startxref is a dummy 0 (Annex F).
            let targets: Vec<usize> = group.iter().map(|s| s.offset).collect();
            for sec in group.iter().rev() {
                let bound = starts.range(sec.end..).next().copied().unwrap_or(data.len());
                let (e, m) = revision_end(data, base, sec, bound, &targets, forward(sec), problems);
                if e > end {
                    (end, eof_end) = (e, m);
                }
                sections.push(sec.offset);
                sections.extend(sec.xrefstm);
                entries.extend(sec.entries.iter().map(|(k, v)| (*k, *v)));
            }
            sections.sort_unstable();
            let newest = &group[0];
            Revision { xref_offset: newest.offset, kind: newest.kind, trailer: newest.trailer.clone(), entries, end, eof_end, sections }
        })
        .collect();
    for i in 1..out.len() {
        if out[i].end < out[i - 1].end {
            problems.push(Problem::RevisionOrder { index: i });
        }
    }
    out.shrink_to_fit();
    out
}
