//! Why a PDF cannot be read ([`PdfError`]), and what was odd but tolerated
//! ([`Problem`]). Every variant names the byte offset (from the start of the
//! input) where the trouble is.

use super::object::ObjId;
use crate::limits::{
    MAX_PDF_ARRAY_LEN, MAX_PDF_DEPTH, MAX_PDF_OBJECTS, MAX_PDF_PROBLEMS, MAX_PDF_REF_CHAIN, MAX_PDF_STRING_BYTES, MAX_PDF_XREF_SECTIONS, PDF_HEADER_WINDOW,
    PDF_STARTXREF_WINDOW,
};
use std::fmt;

/// What led the reader to a cross-reference section.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum XrefPointer {
    /// The `startxref` at the end of the file.
    Startxref,
    /// The `/Prev` of the section at this offset.
    Prev { section: usize },
    /// The `/XRefStm` of the (hybrid) table at this offset (§7.5.8.4).
    XRefStm { section: usize },
}

impl fmt::Display for XrefPointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            XrefPointer::Startxref => f.write_str("the final startxref"),
            XrefPointer::Prev { section } => write!(f, "the /Prev of the section at byte {section}"),
            XrefPointer::XRefStm { section } => write!(f, "the /XRefStm of the table at byte {section}"),
        }
    }
}

/// Why a PDF (or one object of it) cannot be read.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum PdfError {
    /// No `%PDF-` within the first [`PDF_HEADER_WINDOW`] bytes (§7.5.2).
    NoHeader,
    /// No `startxref` near the end of the file (§7.5.5): truncated or not a PDF.
    NoStartxref,
    /// `startxref` is not followed by an offset.
    BadStartxref { offset: usize },
    /// No cross-reference table or stream where one was announced.
    NoXref { offset: usize, pointer: XrefPointer },
    /// A malformed cross-reference table or its trailer (§7.5.4, §7.5.5).
    XrefTable { offset: usize, problem: String },
    /// A malformed cross-reference stream (§7.5.8).
    XrefStream { offset: usize, problem: String },
    /// The `/Prev` chain comes back to a section it already read.
    PrevLoop { offset: usize },
    /// More than [`MAX_PDF_XREF_SECTIONS`] sections in the `/Prev` chain.
    TooManySections,
    /// More than [`MAX_PDF_OBJECTS`] cross-reference entries or objects.
    TooManyObjects { offset: usize },
    /// A token that does not fit the syntax here (§7.2, §7.3).
    Syntax { offset: usize, expected: &'static str, found: String },
    /// The input ends inside a token or object that starts at `offset`.
    Truncated { offset: usize, what: &'static str },
    /// Arrays and dictionaries nested deeper than [`MAX_PDF_DEPTH`].
    TooDeep { offset: usize },
    /// A string longer than [`MAX_PDF_STRING_BYTES`] or an array or
    /// dictionary with more than [`MAX_PDF_ARRAY_LEN`] elements.
    TooLong { offset: usize, what: &'static str },
    /// The cross-reference entry of `id` leads nowhere, and a scan of the
    /// file finds no `id obj` either.
    ObjectNotFound { id: ObjId, offset: Option<usize> },
    /// An object stream (§7.5.7) that cannot be used.
    ObjStm { id: ObjId, problem: String },
    /// A revision index past the last revision.
    RevisionOutOfRange { index: usize, count: usize },
    /// A reference chain that comes back to `id`.
    RefCycle { id: ObjId },
    /// More than [`MAX_PDF_REF_CHAIN`] references to follow.
    RefChainTooLong { id: ObjId },
    /// The trailer's `/Root` does not lead to a dictionary (§7.7.2).
    NoCatalog,
    /// A stream filter this reader does not decode (§7.4).
    UnsupportedFilter { offset: usize, filter: String },
    /// Bad filter parameters or encoded data (§7.4.2 to §7.4.4).
    BadStreamData { offset: usize, problem: String },
    /// A stream that decodes to more than the absolute limit.
    DecodedTooLarge { offset: usize, limit: usize },
    /// A stream that decodes to more than the ratio limit allows for its
    /// raw size (a deflate bomb, often filters applied twice).
    RatioExceeded { offset: usize, raw: usize, limit: usize },
}

impl fmt::Display for PdfError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PdfError::NoHeader => write!(f, "not a PDF: no %PDF- header in the first {PDF_HEADER_WINDOW} bytes"),
            PdfError::NoStartxref => {
                write!(f, "no 'startxref' in the last {PDF_STARTXREF_WINDOW} bytes (truncated file?)")
            }
            PdfError::BadStartxref { offset } => write!(f, "startxref at byte {offset}: expected an offset"),
            PdfError::NoXref { offset, pointer } => {
                write!(f, "no cross-reference table or stream at byte {offset} (given by {pointer})")
            }
            PdfError::XrefTable { offset, problem } => write!(f, "xref table at byte {offset}: {problem}"),
            PdfError::XrefStream { offset, problem } => write!(f, "xref stream at byte {offset}: {problem}"),
            PdfError::PrevLoop { offset } => write!(f, "/Prev loop: section at byte {offset} visited twice"),
            PdfError::TooManySections => {
                write!(f, "more than {MAX_PDF_XREF_SECTIONS} cross-reference sections in the /Prev chain")
            }
            PdfError::TooManyObjects { offset } => {
                write!(f, "more than {MAX_PDF_OBJECTS} objects (at byte {offset})")
            }
            PdfError::Syntax { offset, expected, found } => {
                write!(f, "syntax error at byte {offset}: expected {expected}, found {found}")
            }
            PdfError::Truncated { offset, what } => write!(f, "file ends inside {what} starting at byte {offset}"),
            PdfError::TooDeep { offset } => {
                write!(f, "arrays or dictionaries nested deeper than {MAX_PDF_DEPTH} levels at byte {offset}")
            }
            PdfError::TooLong { offset, what } => {
                let limit = if *what == "string" || *what == "name" { MAX_PDF_STRING_BYTES } else { MAX_PDF_ARRAY_LEN };
                write!(f, "{what} at byte {offset} longer than {limit}")
            }
            PdfError::ObjectNotFound { id, offset: Some(o) } => {
                write!(f, "object {id} is not at byte {o}, where the xref puts it, nor anywhere else in the file")
            }
            PdfError::ObjectNotFound { id, offset: None } => write!(f, "object {id} not found"),
            PdfError::ObjStm { id, problem } => write!(f, "object stream {id}: {problem}"),
            PdfError::RevisionOutOfRange { index, count } => {
                write!(f, "revision {index} asked for, the file has {count}")
            }
            PdfError::RefCycle { id } => write!(f, "reference cycle through {id}"),
            PdfError::RefChainTooLong { id } => {
                write!(f, "more than {MAX_PDF_REF_CHAIN} references to follow from {id}")
            }
            PdfError::NoCatalog => f.write_str("the trailer's /Root is not a dictionary"),
            PdfError::UnsupportedFilter { offset, filter } => {
                write!(f, "stream at byte {offset} uses the unsupported filter /{filter}")
            }
            PdfError::BadStreamData { offset, problem } => write!(f, "stream at byte {offset}: {problem}"),
            PdfError::DecodedTooLarge { offset, limit } => {
                write!(f, "stream at byte {offset} decompresses beyond {limit} bytes")
            }
            PdfError::RatioExceeded { offset, raw, limit } => {
                write!(f, "stream at byte {offset} ({raw} bytes) decompresses beyond {limit} bytes: a deflate bomb?")
            }
        }
    }
}

impl std::error::Error for PdfError {}

/// Something wrong with the file that the reader worked around. Each is
/// recorded once; see [`super::Pdf::problems`]. A verifier reports them: a
/// signed file produced by a conforming writer has none.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Problem {
    /// `%PDF-` is not at byte 0 (§7.5.2). `relative` tells whether the
    /// file's offsets count from the header (true) or from byte 0.
    HeaderNotAtStart { offset: usize, relative: bool },
    /// The xref offset of `id` (relative to the header) does not lead to
    /// `id obj`; the object was found at `found` by scanning the file.
    ObjectMoved { id: ObjId, declared: u64, found: usize },
    /// The xref offset of `id` does not lead to `id obj` and no such object
    /// is in the file: readers take the object as null.
    ObjectMissing { id: ObjId, declared: u64 },
    /// A stream's `/Length` (`None`: missing or not an integer) does not end
    /// at `endstream`; the data was delimited by searching for `endstream`.
    StreamLength { offset: usize, declared: Option<i64>, actual: usize },
    /// The object at `offset` is not closed by `endobj`.
    MissingEndobj { offset: usize },
    /// No `%%EOF` closes the revision whose xref section is at `section`;
    /// the revision is taken to end at `end`.
    MissingEof { section: usize, end: usize },
    /// The xref section at `section` is not followed by `startxref`,
    /// its offset and `%%EOF`; a `%%EOF` was found further on.
    LooseEof { section: usize, eof: usize },
    /// The `startxref` after the section at `section` gives `declared`.
    StartxrefMismatch { section: usize, declared: u64 },
    /// Revision `index` ends before the revision preceding it.
    RevisionOrder { index: usize },
    /// `id` is not at the index its xref entry gives in object stream `stream`.
    ObjStmIndex { id: ObjId, stream: u32 },
    /// The scan of `n g obj` headers stopped at [`MAX_PDF_OBJECTS`].
    ScanLimit,
    /// More than [`MAX_PDF_PROBLEMS`] faults: this takes the last place
    /// of the list, and the rest are not listed.
    TooManyProblems,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::HeaderNotAtStart { offset, relative } => {
                write!(f, "%PDF header at byte {offset}, not 0; offsets count from {}", if *relative { "the header" } else { "the start of the file" })
            }
            Problem::ObjectMoved { id, declared, found } => {
                write!(f, "xref offset {declared} of object {id} is wrong; the object was found at byte {found}")
            }
            Problem::ObjectMissing { id, declared } => {
                write!(f, "xref offset {declared} of object {id} is wrong and the object is nowhere in the file; readers take it as null")
            }
            Problem::StreamLength { offset, declared: Some(d), actual } => {
                write!(f, "stream at byte {offset}: /Length is {d} but 'endstream' follows {actual} bytes of data")
            }
            Problem::StreamLength { offset, declared: None, actual } => {
                write!(f, "stream at byte {offset}: no usable /Length; 'endstream' follows {actual} bytes of data")
            }
            Problem::MissingEndobj { offset } => write!(f, "object at byte {offset} is not closed by 'endobj'"),
            Problem::MissingEof { section, end } => write!(f, "no %%EOF closes the revision of the xref section at byte {section}; taken to end at byte {end}"),
            Problem::LooseEof { section, eof } => {
                write!(f, "xref section at byte {section} is not followed by startxref and %%EOF; used the %%EOF at byte {eof}")
            }
            Problem::StartxrefMismatch { section, declared } => {
                write!(f, "the startxref after the xref section at byte {section} points to {declared} instead")
            }
            Problem::RevisionOrder { index } => write!(f, "revision {index} ends before the revision preceding it"),
            Problem::ObjStmIndex { id, stream } => {
                write!(f, "object {id} is not at the index its xref entry gives in object stream {stream} 0 R")
            }
            Problem::ScanLimit => write!(f, "scan for objects stopped after {MAX_PDF_OBJECTS} objects"),
            Problem::TooManyProblems => write!(f, "more than {MAX_PDF_PROBLEMS} faults; the rest are not listed"),
        }
    }
}
