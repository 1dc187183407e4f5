//! The PDF object model (ISO 32000-1 §7.3): the eight basic types plus
//! indirect references, with the byte positions a signature check needs.

use std::fmt;
use std::ops::Range;

/// An indirect object's identity: object number and generation (§7.3.10).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjId {
    /// The object number (positive in a conforming file).
    pub num: u32,
    /// The generation number, 0 unless the number was reused.
    pub gen: u16,
}

impl ObjId {
    /// The id `num gen R`.
    pub const fn new(num: u32, gen: u16) -> ObjId {
        ObjId { num, gen }
    }
}

impl fmt::Display for ObjId {
    /// The reference syntax, `12 0 R`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} R", self.num, self.gen)
    }
}

/// A PDF object (§7.3). Streams (§7.3.8) keep their raw data as a byte range
/// of the file; decode them with [`super::Pdf::decode_stream`].
#[derive(Clone, Debug, PartialEq)]
pub enum Object {
    /// `null` (§7.3.9), also what a reference to a free or undefined object reads as.
    Null,
    /// `true` or `false` (§7.3.2).
    Bool(bool),
    /// An integer (§7.3.3).
    Int(i64),
    /// A real number (§7.3.3), or an integer too large for `i64`.
    Real(f64),
    /// A name without its `/`, `#xx` escapes decoded (§7.3.5).
    Name(Vec<u8>),
    /// A string (§7.3.4).
    Str(PdfString),
    /// An array (§7.3.6).
    Array(Vec<Object>),
    /// A dictionary (§7.3.7).
    Dict(Dict),
    /// An indirect reference `n g R` (§7.3.10).
    Ref(ObjId),
    /// A stream (§7.3.8), only ever the value of an indirect object.
    Stream(Stream),
}

impl Object {
    /// The integer, if this is one.
    pub fn as_int(&self) -> Option<i64> {
        match self {
            Object::Int(i) => Some(*i),
            _ => None,
        }
    }
    /// An integer or a real as `f64`.
    pub fn as_number(&self) -> Option<f64> {
        match self {
            Object::Int(i) => Some(*i as f64),
            Object::Real(r) => Some(*r),
            _ => None,
        }
    }
    /// The boolean, if this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Object::Bool(b) => Some(*b),
            _ => None,
        }
    }
    /// The name's bytes (without `/`).
    pub fn as_name(&self) -> Option<&[u8]> {
        match self {
            Object::Name(n) => Some(n),
            _ => None,
        }
    }
    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&PdfString> {
        match self {
            Object::Str(s) => Some(s),
            _ => None,
        }
    }
    /// The array's elements, if this is an array.
    pub fn as_array(&self) -> Option<&[Object]> {
        match self {
            Object::Array(a) => Some(a),
            _ => None,
        }
    }
    /// The dictionary, or a stream's dictionary.
    pub fn as_dict(&self) -> Option<&Dict> {
        match self {
            Object::Dict(d) => Some(d),
            Object::Stream(s) => Some(&s.dict),
            _ => None,
        }
    }
    /// The stream, if this is one.
    pub fn as_stream(&self) -> Option<&Stream> {
        match self {
            Object::Stream(s) => Some(s),
            _ => None,
        }
    }
    /// The referenced id, if this is a reference.
    pub fn as_ref(&self) -> Option<ObjId> {
        match self {
            Object::Ref(id) => Some(*id),
            _ => None,
        }
    }
    /// True for `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Object::Null)
    }
    /// A short name of the type, for messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Object::Null => "null",
            Object::Bool(_) => "boolean",
            Object::Int(_) => "integer",
            Object::Real(_) => "real",
            Object::Name(_) => "name",
            Object::Str(_) => "string",
            Object::Array(_) => "array",
            Object::Dict(_) => "dictionary",
            Object::Ref(_) => "reference",
            Object::Stream(_) => "stream",
        }
    }
}

/// A string object (§7.3.4), literal `(...)` or hexadecimal `<...>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PdfString {
    /// The decoded bytes (escapes and hex digits resolved).
    pub bytes: Vec<u8>,
    /// True for a hexadecimal string.
    pub hex: bool,
    /// The token's exact bytes in the file, delimiters included (`<` .. `>`
    /// or `(` .. `)`): what a signature's /ByteRange gap must cover. Empty
    /// (`0..0`) when the string came from an object stream, whose bytes are
    /// not in the file.
    pub span: Range<usize>,
}

/// A dictionary (§7.3.7) in file order. Duplicate keys, which the standard
/// leaves undefined, are kept and reported: [`Dict::get`] returns the last
/// value (as pdf.js, PDFBox and pypdf do), [`Dict::duplicates`] names them.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Dict {
    entries: Vec<(Vec<u8>, Object)>,
    duplicates: Vec<Vec<u8>>,
    /// The bytes from `<<` to `>>` inclusive; `0..0` when not from the file
    /// (object streams, or built in code).
    pub span: Range<usize>,
}

impl Dict {
    /// An empty dictionary with no position.
    pub fn new() -> Dict {
        Dict::default()
    }

    /// A dictionary of these entries (in file order) at `span`, noting
    /// repeated keys. O(n log n), so a hostile dictionary costs little.
    pub fn from_entries(entries: Vec<(Vec<u8>, Object)>, span: Range<usize>) -> Dict {
        let mut seen = std::collections::BTreeSet::new();
        let mut reported = std::collections::BTreeSet::new();
        let mut duplicates = Vec::new();
        for (k, _) in &entries {
            if !seen.insert(k.as_slice()) && reported.insert(k.as_slice()) {
                duplicates.push(k.clone());
            }
        }
        Dict { entries, duplicates, span }
    }

    /// The value of `key` (without `/`), the last one when the key repeats.
    pub fn get(&self, key: &[u8]) -> Option<&Object> {
        self.entries.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// `key`'s value when it is an integer.
    pub fn get_int(&self, key: &[u8]) -> Option<i64> {
        self.get(key).and_then(Object::as_int)
    }

    /// `key`'s value when it is a name.
    pub fn get_name(&self, key: &[u8]) -> Option<&[u8]> {
        self.get(key).and_then(Object::as_name)
    }

    /// True when `/Type` is the name `ty`.
    pub fn has_type(&self, ty: &[u8]) -> bool {
        self.get_name(b"Type") == Some(ty)
    }

    /// All entries in file order, duplicates included.
    pub fn entries(&self) -> &[(Vec<u8>, Object)] {
        &self.entries
    }

    /// Keys that occur more than once, in order of first repetition.
    pub fn duplicates(&self) -> &[Vec<u8>] {
        &self.duplicates
    }

    /// The number of entries, duplicates included.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when there are no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// A stream (§7.3.8): its dictionary and the raw (still encoded) data.
#[derive(Clone, Debug, PartialEq)]
pub struct Stream {
    /// The stream dictionary (`/Length`, `/Filter`, ...).
    pub dict: Dict,
    /// The raw data's byte range in the file, between the end-of-line after
    /// `stream` and the one before `endstream`.
    pub data: Range<usize>,
}
