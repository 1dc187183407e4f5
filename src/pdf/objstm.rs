//! Object streams (ISO 32000-1 §7.5.7): `/N` pairs of object number and
//! offset (relative to `/First`), then the objects themselves, none of them
//! a stream and all of generation 0.

use super::error::PdfError;
use super::lexer::{Lexer, Tok};
use super::object::{ObjId, Object, Stream};
use super::parser::Parser;
use crate::limits::MAX_PDF_OBJECTS;
use std::collections::BTreeMap;
use std::ops::Range;

/// A decoded object stream and its index.
#[derive(Debug)]
pub(super) struct ObjStm {
    /// The bytes of the object stream's `n g obj ... endobj` in the file.
    pub span: Range<usize>,
    data: Vec<u8>,
    /// Object number and position in `data` of each object, in order.
    index: Vec<(u32, usize)>,
    /// Position of the first object of each number, for entries whose index is wrong.
    by_number: BTreeMap<u32, usize>,
}

impl ObjStm {
    /// Reads the index of the object stream `id` (at `span`), whose decoded
    /// data is `data`.
    pub fn new(id: ObjId, span: Range<usize>, stream: &Stream, data: Vec<u8>) -> Result<ObjStm, PdfError> {
        let err = |problem: String| PdfError::ObjStm { id, problem };
        let n = stream.dict.get_int(b"N").and_then(|n| usize::try_from(n).ok()).ok_or_else(|| err("bad /N".into()))?;
        let first = stream.dict.get_int(b"First").and_then(|f| usize::try_from(f).ok()).filter(|f| *f <= data.len()).ok_or_else(|| err("bad /First".into()))?;
        if n > MAX_PDF_OBJECTS {
            return Err(PdfError::TooManyObjects { offset: span.start });
        }
        let mut index = Vec::new();
        let mut lex = Lexer::new(&data[..first], 0);
        for i in 0..n {
            let (Ok((_, Tok::Int(num))), Ok((_, Tok::Int(off)))) = (lex.next(), lex.next()) else {
                return Err(err(format!("the header ends before pair {} of {n}", i + 1)));
            };
            let num = u32::try_from(num).map_err(|_| err(format!("bad object number {num}")))?;
            let pos = usize::try_from(off)
                .ok()
                .and_then(|o| o.checked_add(first))
                .filter(|p| *p <= data.len())
                .ok_or_else(|| err(format!("offset {off} of object {num} is outside the stream")))?;
            index.push((num, pos));
        }
        let mut by_number = BTreeMap::new();
        for (num, pos) in &index {
            by_number.entry(*num).or_insert(*pos);
        }
        Ok(ObjStm { span, data, index, by_number })
    }

    /// Object `num`, expected at position `index`. The flag is false when it
    /// was found at another position of the index instead.
    pub fn object(&self, num: u32, index: u32) -> Result<(Object, bool), PdfError> {
        let at_index = self.index.get(index as usize).filter(|(n, _)| *n == num);
        let (pos, exact) = match at_index {
            Some((_, pos)) => (*pos, true),
            None => match self.by_number.get(&num) {
                Some(pos) => (*pos, false),
                None => return Err(PdfError::ObjectNotFound { id: ObjId::new(num, 0), offset: Some(self.span.start) }),
            },
        };
        let obj = Parser::decoded(&self.data, pos, self.span.start).object()?;
        Ok((obj, exact))
    }

    /// Memory held, for the cache's budget.
    pub fn bytes(&self) -> usize {
        self.data.len() + self.index.len() * 3 * std::mem::size_of::<(u32, usize)>()
    }
}
