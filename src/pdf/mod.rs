//! A focused PDF reader (ISO 32000-1) for signature verification: revisions,
//! objects and streams of a byte slice, fit for hostile files and fast on
//! large ones.
//!
//! [`Pdf::parse`] reads only the file's structure: the `%PDF` header, the
//! `startxref` at the end and the chain of cross-reference sections it
//! leads to (tables, streams, hybrids; §7.5). Objects are parsed when asked
//! for ([`Pdf::get`]), object streams decoded when first needed, and a full
//! scan of the file happens only to repair a wrong offset or when
//! [`Pdf::scan_objects`] is called. Opening a 100 MB file of 1,000 pages so
//! costs well under a millisecond of parsing; see `tests/perf.rs`.
//!
//! Every revision (one per incremental update, §7.5.6) keeps its trailer, the
//! entries it defines and the byte offset where its `%%EOF` ends it, so a
//! verifier can tell which revision a signature's `/ByteRange` covers and
//! read any object as that revision saw it ([`Pdf::get_as_of`]). Strings
//! and dictionaries keep their exact byte span, for the `/ByteRange` gap.
//!
//! Faults that can be worked around (an object a few bytes off its xref
//! offset, a wrong stream `/Length`, junk before the header) are recorded as
//! [`Problem`]s; anything else is a [`PdfError`] naming a byte offset.
//! Every size is bounded by a limit in [`crate::limits`]. Encryption is not
//! supported: strings and streams of an encrypted file are returned as stored
//! (see [`Pdf::is_encrypted`]).

mod error;
mod filter;
mod lexer;
mod object;
mod objstm;
mod parser;
mod scan;
mod xref;

pub use error::{PdfError, Problem, XrefPointer};
pub use object::{Dict, ObjId, Object, PdfString, Stream};
pub use scan::ObjectScan;
pub use xref::{Entry, Revision, XrefKind};

use crate::limits::{MAX_PDF_OBJECTS, MAX_PDF_OBJSTM_CACHE_BYTES, MAX_PDF_PROBLEMS, MAX_PDF_REF_CHAIN, PDF_HEADER_WINDOW, PDF_STARTXREF_WINDOW};
use filter::{decode, filters_of, DecodeLimits};
use lexer::{find, read_uint, rfind, skip_ws};
use objstm::ObjStm;
use parser::{Parser, StreamEnv};
use scan::ScanIndex;
use std::cell::{OnceCell, RefCell};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::ops::Range;
use std::rc::Rc;

/// How many loads one load may start (a stream's indirect `/Length`, an
/// object stream holding the object): enough for a `/Length` kept in an
/// object stream, and a bound on hostile self-references.
const MAX_LOAD_DEPTH: usize = 4;

/// An indirect object read at a file position (see [`Pdf::object_at`]).
#[derive(Clone, Debug, PartialEq)]
pub struct IndirectObject {
    /// The id in the header `n g obj`.
    pub id: ObjId,
    /// The object's value (a stream's data stays in the file).
    pub object: Object,
    /// From the object number to the end of `endobj`.
    pub span: Range<usize>,
}

/// An opened PDF. Cheap to create; objects are read on demand.
pub struct Pdf<'a> {
    data: &'a [u8],
    header_offset: usize,
    /// What declared offsets count from: the header, or 0 (see [`Problem::HeaderNotAtStart`]).
    base: usize,
    version: String,
    revisions: Vec<Revision>,
    /// The bytes after the last revision's `%%EOF`, from the first to the last
    /// that is not white space (empty when only white space follows).
    after_last_eof: Range<usize>,
    /// Whether `%%EOF` follows the last `startxref` (§7.5.5).
    eof_after_startxref: bool,
    problems: RefCell<ProblemLog>,
    scan_index: OnceCell<ScanIndex>,
    /// Positions of every `endstream`, for streams whose `/Length` is wrong
    /// (`None` when there are more than [`crate::limits::MAX_PDF_OBJECTS`]).
    endstreams: OnceCell<Option<Vec<usize>>>,
    /// For each object number, the revisions defining it and their entries.
    history: OnceCell<BTreeMap<u32, Vec<(usize, Entry)>>>,
    objstms: RefCell<ObjStmCache>,
}

#[derive(Default)]
struct ProblemLog {
    list: Vec<Problem>,
    seen: BTreeSet<Problem>,
    /// The list is full and ends with [`Problem::TooManyProblems`].
    full: bool,
}

#[derive(Default)]
struct ObjStmCache {
    by_data_start: BTreeMap<usize, Rc<ObjStm>>,
    bytes: usize,
}

/// An object and where its bytes are.
struct Loaded {
    obj: Object,
    /// The indirect object, or for a compressed one its object stream.
    span: Option<Range<usize>>,
}

impl Loaded {
    fn null() -> Loaded {
        Loaded { obj: Object::Null, span: None }
    }
}

/// Resolves what a stream in revision `rev` needs, `depth` loads deep.
struct Env<'p, 'a> {
    pdf: &'p Pdf<'a>,
    rev: usize,
    depth: usize,
}

impl StreamEnv for Env<'_, '_> {
    fn length(&self, id: ObjId) -> Option<i64> {
        if self.depth + 1 >= MAX_LOAD_DEPTH {
            return None;
        }
        self.pdf.load(id, self.rev, self.depth + 1).ok().and_then(|l| l.obj.as_int())
    }

    fn endstream(&self, _data: &[u8], from: usize) -> Option<usize> {
        self.pdf.endstream_after(from)
    }
}

impl fmt::Debug for Pdf<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pdf")
            .field("len", &self.data.len())
            .field("version", &self.version)
            .field("header_offset", &self.header_offset)
            .field("revisions", &self.revisions.len())
            .finish_non_exhaustive()
    }
}

impl<'a> Pdf<'a> {
    /// Opens a PDF: finds the header (§7.5.2) and `startxref` (§7.5.5),
    /// and reads the chain of cross-reference sections into revisions.
    /// Nothing else is parsed.
    ///
    /// When junk precedes the header, the file's offsets are tried as
    /// counting from the header first, then from byte 0.
    pub fn parse(data: &'a [u8]) -> Result<Pdf<'a>, PdfError> {
        let head = &data[..data.len().min(PDF_HEADER_WINDOW)];
        let header_offset = find(head, b"%PDF-", 0).ok_or(PdfError::NoHeader)?;
        let version: String = data[header_offset + 5..].iter().take(8).take_while(|b| b.is_ascii_digit() || **b == b'.').map(|b| *b as char).collect();
        let window = data.len().saturating_sub(PDF_STARTXREF_WINDOW);
        let sx = rfind(data, b"startxref", window).ok_or(PdfError::NoStartxref)?;
        let (declared, _) = read_uint(data, skip_ws(data, sx + 9)).ok_or(PdfError::BadStartxref { offset: sx })?;
        let declared = usize::try_from(declared).map_err(|_| PdfError::BadStartxref { offset: sx })?;

        let bases: &[usize] = if header_offset > 0 { &[header_offset, 0] } else { &[0] };
        let mut first_error = None;
        for &base in bases {
            let mut reader = xref::Reader::new(data, base);
            let Some(start) = declared.checked_add(base) else { continue };
            match reader.chain(start) {
                Ok(chain) => {
                    let mut problems = std::mem::take(&mut reader.problems);
                    if header_offset > 0 {
                        problems.insert(0, Problem::HeaderNotAtStart { offset: header_offset, relative: base > 0 });
                    }
                    let revisions = xref::revisions(data, base, chain, &mut problems);
                    let last_end = revisions.iter().map(|r| r.end).max().unwrap_or(data.len()).min(data.len());
                    let tail = &data[last_end..];
                    let after_last_eof = match tail.iter().position(|b| !lexer::is_ws(*b)) {
                        Some(first) => last_end + first..last_end + tail.iter().rposition(|b| !lexer::is_ws(*b)).unwrap_or(first) + 1,
                        None => data.len()..data.len(),
                    };
                    let pdf = Pdf {
                        data,
                        header_offset,
                        base,
                        version,
                        revisions,
                        after_last_eof,
                        eof_after_startxref: find(data, b"%%EOF", sx).is_some(),
                        problems: RefCell::default(),
                        scan_index: OnceCell::new(),
                        endstreams: OnceCell::new(),
                        history: OnceCell::new(),
                        objstms: RefCell::default(),
                    };
                    pdf.record_all(problems);
                    return Ok(pdf);
                }
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
        Err(first_error.unwrap_or(PdfError::BadStartxref { offset: sx }))
    }

    /// The whole input.
    pub fn data(&self) -> &'a [u8] {
        self.data
    }

    /// Where `%PDF-` starts (0 in a conforming file).
    pub fn header_offset(&self) -> usize {
        self.header_offset
    }

    /// The version in the header, such as `"1.7"` (the catalog's `/Version`
    /// may raise it, §7.7.2).
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The revisions, oldest first: the original document, then one per
    /// incremental update (§7.5.6). Never empty.
    pub fn revisions(&self) -> &[Revision] {
        &self.revisions
    }

    /// The number of bytes after the final `%%EOF` (and its end-of-line),
    /// from the first to the last byte that is not white space; 0 when only
    /// white space follows.
    pub fn bytes_after_last_eof(&self) -> usize {
        self.after_last_eof.len()
    }

    /// Those bytes (see [`Pdf::bytes_after_last_eof`]): no revision indexes them.
    pub fn after_last_eof(&self) -> &'a [u8] {
        &self.data[self.after_last_eof.clone()]
    }

    /// The object headers (`n g obj`) among the bytes after the last `%%EOF`:
    /// objects no cross-reference section indexes (at most
    /// [`crate::limits::MAX_PDF_OBJECTS`]).
    pub fn objects_after_last_eof(&self) -> usize {
        ObjectScan::new(self.after_last_eof()).count()
    }

    /// Whether `%%EOF` follows the last `startxref`, as the last line of a
    /// complete file does (§7.5.5). Without it the file's end is missing.
    pub fn ends_with_eof(&self) -> bool {
        self.eof_after_startxref
    }

    /// The faults worked around so far, in the order met. Reading more
    /// objects can add more; each is listed once (at most
    /// [`MAX_PDF_PROBLEMS`]).
    pub fn problems(&self) -> Vec<Problem> {
        self.problems.borrow().list.clone()
    }

    /// Checks that every in-use entry of every revision's classic or stream
    /// cross-reference section leads to its object (§7.5.4: the offset is
    /// that of the object's `n g obj` header), and records a
    /// [`Problem::ObjectMoved`] or [`Problem::ObjectMissing`] for each that
    /// does not. Reading only the objects a check needs would leave faults in
    /// objects no check looks at unseen, though other readers meet them; this
    /// looks at every entry once, at most [`MAX_PDF_OBJECTS`] in all.
    pub fn audit_offsets(&self) {
        let mut budget = MAX_PDF_OBJECTS;
        for revision in &self.revisions {
            for (&num, entry) in &revision.entries {
                let Entry::InUse { offset, gen } = *entry else { continue };
                if budget == 0 {
                    return;
                }
                budget -= 1;
                let id = ObjId::new(num, gen);
                let at = usize::try_from(offset).ok().and_then(|o| o.checked_add(self.base));
                if at.is_some_and(|at| self.header_is(at, id)) {
                    continue;
                }
                // Where `load` would find it: the object's last header before the
                // end of this revision. Only headers are read, never bodies, so
                // the audit costs one lookup per entry however large the objects.
                match self.scan_index().find(id, revision.end) {
                    Some(found) if self.header_is(found, id) => self.record(Problem::ObjectMoved { id, declared: offset, found }),
                    _ => self.record(Problem::ObjectMissing { id, declared: offset }),
                }
            }
        }
    }

    /// The newest revision's trailer (§7.5.5).
    pub fn trailer(&self) -> &Dict {
        &self.last_revision().trailer
    }

    /// True when the trailer has `/Encrypt` (§7.6): strings and streams are
    /// then stored encrypted and this reader does not decrypt them.
    pub fn is_encrypted(&self) -> bool {
        self.trailer().get(b"Encrypt").is_some_and(|e| !e.is_null())
    }

    /// The document catalog (§7.7.2), through the trailer's `/Root`.
    pub fn catalog(&self) -> Result<Dict, PdfError> {
        self.catalog_as_of(self.revisions.len() - 1)
    }

    /// The catalog as revision `rev` saw it: the `/Root` of the newest
    /// trailer up to `rev` that has one, resolved as of `rev`.
    pub fn catalog_as_of(&self, rev: usize) -> Result<Dict, PdfError> {
        self.check_rev(rev)?;
        let root = self.revisions[..=rev].iter().rev().find_map(|r| r.trailer.get(b"Root")).ok_or(PdfError::NoCatalog)?;
        match self.resolve_in(root, rev, 0)? {
            Object::Dict(d) => Ok(d),
            _ => Err(PdfError::NoCatalog),
        }
    }

    /// The newest definition of `id`. An undefined or free object is
    /// `Object::Null` (§7.3.10).
    pub fn get(&self, id: ObjId) -> Result<Object, PdfError> {
        self.get_as_of(id, self.revisions.len() - 1)
    }

    /// The definition of `id` visible in revision `rev`: the newest entry for
    /// it in `revisions()[0..=rev]`.
    pub fn get_as_of(&self, id: ObjId, rev: usize) -> Result<Object, PdfError> {
        self.check_rev(rev)?;
        Ok(self.load(id, rev, 0)?.obj)
    }

    /// The newest cross-reference entry for object number `num` in
    /// `revisions()[0..=rev]`, with the index of the revision defining it.
    pub fn entry_as_of(&self, num: u32, rev: usize) -> Option<(usize, Entry)> {
        // One lookup whatever the number of revisions (up to a thousand).
        let history = self.history.get_or_init(|| {
            let mut map: BTreeMap<u32, Vec<(usize, Entry)>> = BTreeMap::new();
            for (i, r) in self.revisions.iter().enumerate() {
                for (n, e) in &r.entries {
                    map.entry(*n).or_default().push((i, *e));
                }
            }
            map
        });
        let defs = history.get(&num)?;
        let visible = defs.partition_point(|(i, _)| *i <= rev);
        visible.checked_sub(1).map(|k| defs[k])
    }

    /// Follows references (of the newest revision) until a direct object;
    /// other objects are returned as they are.
    pub fn resolve(&self, obj: &Object) -> Result<Object, PdfError> {
        self.resolve_in(obj, self.revisions.len() - 1, 0)
    }

    /// Like [`Pdf::resolve`], as revision `rev` saw the objects.
    pub fn resolve_as_of(&self, obj: &Object, rev: usize) -> Result<Object, PdfError> {
        self.check_rev(rev)?;
        self.resolve_in(obj, rev, 0)
    }

    /// The bytes of `id` as revision `rev` sees it: `n g obj ... endobj`,
    /// or the whole object stream holding it. `None` when the object is
    /// free, undefined or unreadable.
    pub fn object_span(&self, id: ObjId, rev: usize) -> Option<Range<usize>> {
        if rev >= self.revisions.len() {
            return None;
        }
        self.load(id, rev, 0).ok()?.span
    }

    /// The indirect object whose header is at `offset` (white space before
    /// it skipped), as found by [`Pdf::scan_objects`]. An indirect `/Length`
    /// is resolved in the newest revision.
    pub fn object_at(&self, offset: usize) -> Result<IndirectObject, PdfError> {
        self.parse_at(offset, self.revisions.len() - 1, 0)
    }

    /// Decodes a stream's data (§7.4): no filter, FlateDecode with
    /// predictors, ASCIIHexDecode; other filters give
    /// [`PdfError::UnsupportedFilter`]. The decoded size is bounded by
    /// [`crate::limits::MAX_PDF_STREAM_BYTES`] and the ratio limit.
    pub fn decode_stream(&self, stream: &Stream) -> Result<Vec<u8>, PdfError> {
        self.decode_in(stream, self.revisions.len() - 1, 0, DecodeLimits::DEFAULT)
    }

    /// Every `n g obj` header in the raw bytes, in file order, whatever the
    /// cross-reference sections say (see [`ObjectScan`]).
    pub fn scan_objects(&self) -> ObjectScan<'a> {
        ObjectScan::new(self.data)
    }

    // --- internals ---

    fn last_revision(&self) -> &Revision {
        // `parse` fails unless it read at least one section.
        &self.revisions[self.revisions.len() - 1]
    }

    fn check_rev(&self, rev: usize) -> Result<(), PdfError> {
        if rev < self.revisions.len() {
            Ok(())
        } else {
            Err(PdfError::RevisionOutOfRange { index: rev, count: self.revisions.len() })
        }
    }

    fn record(&self, problem: Problem) {
        let mut log = self.problems.borrow_mut();
        if log.list.len() < MAX_PDF_PROBLEMS {
            if log.seen.insert(problem.clone()) {
                log.list.push(problem);
            }
        } else if !log.full && !log.seen.contains(&problem) {
            // One more than the list holds: say so in its last place (the list stays bounded).
            log.full = true;
            if let Some(last) = log.list.last_mut() {
                *last = Problem::TooManyProblems;
            }
        }
    }

    fn record_all(&self, problems: Vec<Problem>) {
        for p in problems {
            self.record(p);
        }
    }

    fn resolve_in(&self, obj: &Object, rev: usize, depth: usize) -> Result<Object, PdfError> {
        let mut current = obj.clone();
        let mut seen = BTreeSet::new();
        while let Object::Ref(id) = current {
            if !seen.insert(id) {
                return Err(PdfError::RefCycle { id });
            }
            if seen.len() > MAX_PDF_REF_CHAIN {
                return Err(PdfError::RefChainTooLong { id });
            }
            current = self.load(id, rev, depth)?.obj;
        }
        Ok(current)
    }

    fn decode_in(&self, stream: &Stream, rev: usize, depth: usize, limits: DecodeLimits) -> Result<Vec<u8>, PdfError> {
        let offset = stream.data.start;
        let raw = self.data.get(stream.data.clone()).ok_or_else(|| PdfError::BadStreamData { offset, problem: "data range outside the file".into() })?;
        let resolve = |o: &Object| self.resolve_in(o, rev, depth + 1);
        let filters = filters_of(&stream.dict, offset, &resolve)?;
        decode(raw, offset, &filters, limits)
    }

    /// Parses the indirect object at `offset`; `/Length` references are
    /// resolved as of `rev`.
    fn parse_at(&self, offset: usize, rev: usize, depth: usize) -> Result<IndirectObject, PdfError> {
        let mut parser = Parser::new(self.data, offset);
        let result = parser.indirect(&Env { pdf: self, rev, depth });
        self.record_all(parser.problems);
        result
    }

    /// The first `endstream` at or after `from`, from an index built on
    /// first use, so many streams with a wrong `/Length` cost one scan.
    fn endstream_after(&self, from: usize) -> Option<usize> {
        let index = self.endstreams.get_or_init(|| {
            let mut all = Vec::new();
            let mut pos = 0;
            while let Some(e) = find(self.data, b"endstream", pos) {
                if all.len() >= crate::limits::MAX_PDF_OBJECTS {
                    return None;
                }
                all.push(e);
                pos = e + 9;
            }
            Some(all)
        });
        match index {
            Some(all) => all.get(all.partition_point(|e| *e < from)).copied(),
            None => find(self.data, b"endstream", from),
        }
    }

    /// True when an object header for `id` is at `offset` (after white space).
    fn header_is(&self, offset: usize, id: ObjId) -> bool {
        matches!(Parser::new(self.data, offset).header(), Ok((_, found)) if found == id)
    }

    fn scan_index(&self) -> &ScanIndex {
        self.scan_index.get_or_init(|| {
            let mut scan = self.scan_objects();
            let index = ScanIndex::build(&mut scan);
            if scan.hit_limit() {
                self.record(Problem::ScanLimit);
            }
            index
        })
    }

    fn load(&self, id: ObjId, rev: usize, depth: usize) -> Result<Loaded, PdfError> {
        let Some((defined_in, entry)) = self.entry_as_of(id.num, rev) else {
            return Ok(Loaded::null());
        };
        match entry {
            Entry::Free { .. } => Ok(Loaded::null()),
            Entry::InUse { gen, .. } if gen != id.gen => Ok(Loaded::null()),
            Entry::InUse { offset: declared, .. } => {
                let at = usize::try_from(declared).ok().and_then(|o| o.checked_add(self.base));
                if let Some(at) = at.filter(|at| self.header_is(*at, id)) {
                    let ind = self.parse_at(at, rev, depth)?;
                    return Ok(Loaded { obj: ind.object, span: Some(ind.span) });
                }
                // §7.5.4 offsets are often a little off in damaged files:
                // look for the header itself, the last one before the end of
                // the revision that defines the object.
                let bound = self.revisions[defined_in].end;
                if let Some(found) = self.scan_index().find(id, bound) {
                    if self.header_is(found, id) {
                        let ind = self.parse_at(found, rev, depth)?;
                        self.record(Problem::ObjectMoved { id, declared, found: ind.span.start });
                        return Ok(Loaded { obj: ind.object, span: Some(ind.span) });
                    }
                }
                Err(PdfError::ObjectNotFound { id, offset: at })
            }
            Entry::Compressed { .. } if id.gen != 0 => Ok(Loaded::null()),
            Entry::Compressed { stream, index } => {
                let objstm = self.objstm(stream, rev, depth)?;
                let (obj, exact) = objstm.object(id.num, index)?;
                if !exact {
                    self.record(Problem::ObjStmIndex { id, stream });
                }
                Ok(Loaded { obj, span: Some(objstm.span.clone()) })
            }
        }
    }

    /// The decoded object stream `num` as revision `rev` sees it (cached).
    fn objstm(&self, num: u32, rev: usize, depth: usize) -> Result<Rc<ObjStm>, PdfError> {
        let id = ObjId::new(num, 0);
        if depth + 1 >= MAX_LOAD_DEPTH {
            return Err(PdfError::ObjStm { id, problem: "object streams nested too deeply".into() });
        }
        let loaded = self.load(id, rev, depth + 1)?;
        let (Object::Stream(stream), Some(span)) = (loaded.obj, loaded.span) else {
            return Err(PdfError::ObjStm { id, problem: "not a stream".into() });
        };
        if let Some(cached) = self.objstms.borrow().by_data_start.get(&stream.data.start) {
            return Ok(cached.clone());
        }
        if !stream.dict.has_type(b"ObjStm") {
            return Err(PdfError::ObjStm { id, problem: "/Type is not /ObjStm".into() });
        }
        let data = self.decode_in(&stream, rev, depth + 1, DecodeLimits::DEFAULT)?;
        let objstm = Rc::new(ObjStm::new(id, span, &stream, data)?);
        let mut cache = self.objstms.borrow_mut();
        if cache.bytes + objstm.bytes() > MAX_PDF_OBJSTM_CACHE_BYTES {
            cache.by_data_start.clear();
            cache.bytes = 0;
        }
        if objstm.bytes() <= MAX_PDF_OBJSTM_CACHE_BYTES {
            cache.bytes += objstm.bytes();
            cache.by_data_start.insert(stream.data.start, objstm.clone());
        }
        Ok(objstm)
    }
}

#[cfg(test)]
mod tests;
