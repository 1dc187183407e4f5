//! Objects from tokens (ISO 32000-1 §7.3): direct objects with bounded
//! nesting, and indirect objects `n g obj ... endobj` (§7.3.10) including
//! streams (§7.3.8), whose data is delimited by `/Length` or, when that is
//! wrong, by searching for `endstream`.

use super::error::{PdfError, Problem};
use super::lexer::{at_keyword, find, skip_ws, skip_ws_comments, Lexer, Tok};
use super::object::{Dict, ObjId, Object, Stream};
use super::IndirectObject;
use crate::limits::{MAX_PDF_ARRAY_LEN, MAX_PDF_DEPTH};
use std::ops::Range;

/// What parsing a stream needs from outside the object: an indirect
/// `/Length`, and where `endstream` is when `/Length` is wrong.
pub(super) trait StreamEnv {
    /// The integer value of object `id`, if it can be read.
    fn length(&self, _id: ObjId) -> Option<i64> {
        None
    }
    /// The first `endstream` at or after `from`.
    fn endstream(&self, data: &[u8], from: usize) -> Option<usize> {
        find(data, b"endstream", from)
    }
}

/// No references resolved; `endstream` found by searching.
pub(super) struct NoEnv;

impl StreamEnv for NoEnv {}

pub(super) struct Parser<'a> {
    pub lex: Lexer<'a>,
    /// Tolerated faults met while parsing.
    pub problems: Vec<Problem>,
}

fn found(tok: &Tok<'_>) -> String {
    match tok {
        Tok::Int(i) => format!("the integer {i}"),
        Tok::Real(r) => format!("the number {r}"),
        Tok::Name(n) => format!("the name /{}", String::from_utf8_lossy(n)),
        Tok::Str(_) => "a string".into(),
        Tok::ArrayOpen => "'['".into(),
        Tok::ArrayClose => "']'".into(),
        Tok::DictOpen => "'<<'".into(),
        Tok::DictClose => "'>>'".into(),
        Tok::Keyword(k) => format!("'{}'", String::from_utf8_lossy(&k[..k.len().min(40)])),
        Tok::Eof => "the end of the data".into(),
    }
}

impl<'a> Parser<'a> {
    pub fn new(data: &'a [u8], pos: usize) -> Parser<'a> {
        Parser { lex: Lexer::new(data, pos), problems: Vec::new() }
    }

    /// A parser over a decoded object stream: spans empty, errors at `origin`.
    pub fn decoded(data: &'a [u8], pos: usize, origin: usize) -> Parser<'a> {
        let mut p = Parser::new(data, pos);
        p.lex.in_file = false;
        p.lex.origin = origin;
        p
    }

    /// One direct object (a reference `n g R` counts as one).
    pub fn object(&mut self) -> Result<Object, PdfError> {
        let (start, tok) = self.lex.next()?;
        self.object_from(start, tok, 0)
    }

    fn object_from(&mut self, start: usize, tok: Tok<'a>, depth: usize) -> Result<Object, PdfError> {
        Ok(match tok {
            Tok::Int(i) => self.maybe_ref(i)?,
            Tok::Real(r) => Object::Real(r),
            Tok::Name(n) => Object::Name(n),
            Tok::Str(s) => Object::Str(s),
            Tok::ArrayOpen => self.array(start, depth + 1)?,
            Tok::DictOpen => Object::Dict(self.dict(start, depth + 1)?),
            Tok::Keyword(b"true") => Object::Bool(true),
            Tok::Keyword(b"false") => Object::Bool(false),
            Tok::Keyword(b"null") => Object::Null,
            Tok::Eof => return Err(PdfError::Truncated { offset: self.lex.at(start), what: "an object" }),
            other => return Err(PdfError::Syntax { offset: self.lex.at(start), expected: "an object", found: found(&other) }),
        })
    }

    /// After an integer: `g R` makes it a reference, otherwise it stays.
    fn maybe_ref(&mut self, num: i64) -> Result<Object, PdfError> {
        let save = self.lex.pos;
        if let Ok(num) = u32::try_from(num) {
            if let Ok((_, Tok::Int(gen))) = self.lex.next() {
                if let Ok(gen) = u16::try_from(gen) {
                    if let Ok((_, Tok::Keyword(b"R"))) = self.lex.next() {
                        return Ok(Object::Ref(ObjId { num, gen }));
                    }
                }
            }
        }
        self.lex.pos = save;
        Ok(Object::Int(num))
    }

    fn array(&mut self, start: usize, depth: usize) -> Result<Object, PdfError> {
        if depth > MAX_PDF_DEPTH {
            return Err(PdfError::TooDeep { offset: self.lex.at(start) });
        }
        let mut items = Vec::new();
        loop {
            let (p, tok) = self.lex.next()?;
            match tok {
                Tok::ArrayClose => return Ok(Object::Array(items)),
                Tok::Eof => return Err(PdfError::Truncated { offset: self.lex.at(start), what: "an array" }),
                tok => items.push(self.object_from(p, tok, depth)?),
            }
            if items.len() > MAX_PDF_ARRAY_LEN {
                return Err(PdfError::TooLong { offset: self.lex.at(start), what: "array" });
            }
        }
    }

    fn dict(&mut self, start: usize, depth: usize) -> Result<Dict, PdfError> {
        if depth > MAX_PDF_DEPTH {
            return Err(PdfError::TooDeep { offset: self.lex.at(start) });
        }
        let mut entries = Vec::new();
        loop {
            let (p, tok) = self.lex.next()?;
            let key = match tok {
                Tok::DictClose => break,
                Tok::Name(n) => n,
                Tok::Eof => return Err(PdfError::Truncated { offset: self.lex.at(start), what: "a dictionary" }),
                other => return Err(PdfError::Syntax { offset: self.lex.at(p), expected: "a name (dictionary key) or '>>'", found: found(&other) }),
            };
            let (vp, vtok) = self.lex.next()?;
            if vtok == Tok::DictClose {
                return Err(PdfError::Syntax { offset: self.lex.at(vp), expected: "a value for the dictionary key", found: "'>>'".into() });
            }
            let value = self.object_from(vp, vtok, depth)?;
            entries.push((key, value));
            if entries.len() > MAX_PDF_ARRAY_LEN {
                return Err(PdfError::TooLong { offset: self.lex.at(start), what: "dictionary" });
            }
        }
        let span = if self.lex.in_file { start..self.lex.pos } else { 0..0 };
        Ok(Dict::from_entries(entries, span))
    }

    /// The header `n g obj` at the current position (after white space).
    pub fn header(&mut self) -> Result<(usize, ObjId), PdfError> {
        let (start, t1) = self.lex.next()?;
        let at = self.lex.at(start);
        let bad = |found: String| PdfError::Syntax { offset: at, expected: "an object header 'n g obj'", found };
        let Tok::Int(num) = t1 else { return Err(bad(self::found(&t1))) };
        let (_, t2) = self.lex.next()?;
        let Tok::Int(gen) = t2 else { return Err(bad(self::found(&t2))) };
        let (_, t3) = self.lex.next()?;
        if t3 != Tok::Keyword(b"obj") {
            return Err(bad(self::found(&t3)));
        }
        let num = u32::try_from(num).map_err(|_| bad(format!("object number {num}")))?;
        let gen = u16::try_from(gen).map_err(|_| bad(format!("generation {gen}")))?;
        Ok((start, ObjId { num, gen }))
    }

    /// The indirect object at the current position (white space and
    /// comments before it are skipped).
    pub fn indirect(&mut self, env: &dyn StreamEnv) -> Result<IndirectObject, PdfError> {
        let (start, id) = self.header()?;
        let mut obj = self.object()?;
        let data = self.lex.data;
        if let Object::Dict(dict) = obj {
            let p = skip_ws_comments(data, self.lex.pos);
            obj = if at_keyword(data, p, b"stream") {
                let range = self.stream_data(start, p + 6, &dict, env)?;
                Object::Stream(Stream { dict, data: range })
            } else {
                Object::Dict(dict)
            };
        }
        let object_end = self.lex.pos;
        let p = skip_ws_comments(data, object_end);
        let end = if at_keyword(data, p, b"endobj") {
            self.lex.pos = p + 6;
            p + 6
        } else {
            self.problems.push(Problem::MissingEndobj { offset: start });
            object_end
        };
        Ok(IndirectObject { id, object: obj, span: start..end })
    }

    /// The data of a stream whose keyword `stream` ends at `after_kw`;
    /// leaves the cursor after `endstream`.
    fn stream_data(&mut self, obj_start: usize, after_kw: usize, dict: &Dict, env: &dyn StreamEnv) -> Result<Range<usize>, PdfError> {
        let data = self.lex.data;
        // §7.3.8.1: `stream` is followed by CR LF or LF; we also accept a
        // lone CR, and spaces before the end-of-line.
        let mut p = after_kw;
        let spaces = data[p.min(data.len())..].iter().take_while(|b| **b == b' ' || **b == b'\t').count();
        if matches!(data.get(p + spaces), Some(b'\r' | b'\n')) {
            p += spaces;
        }
        let start = match (data.get(p), data.get(p + 1)) {
            (Some(b'\r'), Some(b'\n')) => p + 2,
            (Some(b'\r' | b'\n'), _) => p + 1,
            _ => p,
        };
        let declared = match dict.get(b"Length") {
            Some(Object::Int(n)) => Some(*n),
            Some(Object::Ref(id)) => env.length(*id),
            _ => None,
        };
        if let Some(n) = declared.and_then(|n| usize::try_from(n).ok()) {
            if let Some(end) = start.checked_add(n).filter(|e| *e <= data.len()) {
                let q = skip_ws(data, end);
                if at_keyword(data, q, b"endstream") {
                    self.lex.pos = q + 9;
                    return Ok(start..end);
                }
            }
        }
        // /Length is missing or wrong: the data ends before `endstream`.
        let Some(e) = env.endstream(data, start) else {
            return Err(PdfError::Truncated { offset: obj_start, what: "a stream (no 'endstream')" });
        };
        let mut end = e;
        if end > start && data[end - 1] == b'\n' {
            end -= 1;
        }
        if end > start && data[end - 1] == b'\r' {
            end -= 1;
        }
        self.problems.push(Problem::StreamLength { offset: obj_start, declared, actual: end - start });
        self.lex.pos = e + 9;
        Ok(start..end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &[u8]) -> Result<Object, PdfError> {
        Parser::new(s, 0).object()
    }

    struct Len8;
    impl StreamEnv for Len8 {
        fn length(&self, id: ObjId) -> Option<i64> {
            (id == ObjId::new(8, 0)).then_some(3)
        }
    }

    #[test]
    fn direct_objects() {
        let src = b"<< /A [1 2 0 R 3 /N (s) <41> true false null 4.5] /B << /C 7 0 R >> /A 9 >>";
        let o = parse(src).unwrap();
        let d = o.as_dict().unwrap();
        assert_eq!(d.get(b"A"), Some(&Object::Int(9)), "last duplicate wins");
        assert_eq!(d.duplicates(), &[b"A".to_vec()]);
        assert_eq!(d.len(), 3);
        let a = d.entries()[0].1.as_array().unwrap();
        assert_eq!(a[0], Object::Int(1));
        assert_eq!(a[1], Object::Ref(ObjId::new(2, 0)));
        assert_eq!(a[2], Object::Int(3));
        assert_eq!(a.len(), 10);
        assert_eq!(d.get(b"B").unwrap().as_dict().unwrap().get(b"C"), Some(&Object::Ref(ObjId::new(7, 0))));
        assert_eq!(d.span, 0..src.len());
        // Integers at the end of an array or the input are not references.
        assert_eq!(parse(b"[1 2]").unwrap(), Object::Array(vec![Object::Int(1), Object::Int(2)]));
        assert_eq!(parse(b"5 0").unwrap(), Object::Int(5));
        assert_eq!(parse(b"-1 0 R").unwrap(), Object::Int(-1));
    }

    #[test]
    fn malformed_objects_fail_with_offsets() {
        assert!(matches!(parse(b"<< /A >>"), Err(PdfError::Syntax { offset: 6, .. })));
        assert!(matches!(parse(b"<< 1 2 >>"), Err(PdfError::Syntax { offset: 3, .. })));
        assert!(matches!(parse(b"[1 2"), Err(PdfError::Truncated { offset: 0, .. })));
        assert!(matches!(parse(b"<< /A [ >>"), Err(PdfError::Syntax { offset: 8, .. })));
        assert!(matches!(parse(b"endobj"), Err(PdfError::Syntax { offset: 0, .. })));
        assert!(matches!(parse(b""), Err(PdfError::Truncated { .. })));
    }

    #[test]
    fn nesting_is_bounded() {
        let mut deep = vec![b'['; MAX_PDF_DEPTH];
        deep.extend(vec![b']'; MAX_PDF_DEPTH]);
        assert!(parse(&deep).is_ok());
        let mut deeper = b"<< /K ".to_vec();
        deeper.extend(vec![b'['; 100_000]);
        assert!(matches!(parse(&deeper), Err(PdfError::TooDeep { offset }) if offset == 6 + MAX_PDF_DEPTH - 1));
    }

    #[test]
    fn indirect_objects_and_streams() {
        let src = b"  \r\n7 0 obj\n<< /Length 5 >>\nstream\r\nhello\nendstream\nendobj\n";
        let mut p = Parser::new(src, 0);
        let ind = p.indirect(&NoEnv).unwrap();
        assert_eq!(ind.id, ObjId::new(7, 0));
        let s = ind.object.as_stream().unwrap();
        assert_eq!(&src[s.data.clone()], b"hello");
        assert_eq!(&src[ind.span.clone()], &src[4..src.len() - 1]);
        assert!(p.problems.is_empty());

        // Wrong /Length: the data ends before `endstream`; a problem is noted.
        let src = b"7 0 obj << /Length 50 >> stream\nhello world\r\nendstream endobj";
        let mut p = Parser::new(src, 0);
        let ind = p.indirect(&NoEnv).unwrap();
        assert_eq!(&src[ind.object.as_stream().unwrap().data.clone()], b"hello world");
        assert_eq!(p.problems, vec![Problem::StreamLength { offset: 0, declared: Some(50), actual: 11 }]);

        // Indirect /Length goes through the resolver.
        let src = b"7 0 obj << /Length 8 0 R >> stream\nabc\nendstream\nendobj";
        let ind = Parser::new(src, 0).indirect(&Len8).unwrap();
        assert_eq!(&src[ind.object.as_stream().unwrap().data.clone()], b"abc");

        // Missing endobj is tolerated and noted; missing endstream is not.
        let mut p = Parser::new(b"1 0 obj (x) 2 0 obj", 0);
        let ind = p.indirect(&NoEnv).unwrap();
        assert_eq!(ind.span, 0..11);
        assert_eq!(p.problems, vec![Problem::MissingEndobj { offset: 0 }]);
        assert!(matches!(Parser::new(b"1 0 obj << >> stream\nabc", 0).indirect(&NoEnv), Err(PdfError::Truncated { offset: 0, .. })));
        assert!(Parser::new(b"1 0 R", 0).indirect(&NoEnv).is_err());
        assert!(Parser::new(b"1 -1 obj null endobj", 0).indirect(&NoEnv).is_err());
    }

    #[test]
    fn decoded_sources_have_no_spans() {
        let mut p = Parser::decoded(b"<< /S (x) >>", 0, 500);
        let o = p.object().unwrap();
        let d = o.as_dict().unwrap();
        assert_eq!(d.span, 0..0);
        assert_eq!(d.get(b"S").unwrap().as_str().unwrap().span, 0..0);
        assert!(matches!(Parser::decoded(b"<< /S", 0, 500).object(), Err(PdfError::Truncated { offset: 500, .. })));
    }
}
