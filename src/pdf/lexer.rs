//! Tokens (ISO 32000-1 §7.2, §7.3): whitespace and comments, numbers,
//! names, literal and hexadecimal strings, delimiters and keywords. Works on
//! a byte slice at absolute positions; nothing is copied but names and
//! strings.

use super::error::PdfError;
use super::object::PdfString;
use crate::limits::MAX_PDF_STRING_BYTES;

/// White-space characters (§7.2.2, Table 1).
pub(super) fn is_ws(b: u8) -> bool {
    matches!(b, b'\0' | b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

/// Delimiter characters (§7.2.2, Table 2).
pub(super) fn is_delim(b: u8) -> bool {
    matches!(b, b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%')
}

/// Regular characters: neither white space nor delimiters.
pub(super) fn is_regular(b: u8) -> bool {
    !is_ws(b) && !is_delim(b)
}

/// The position of the first non-white-space byte at or after `pos`.
pub(super) fn skip_ws(data: &[u8], mut pos: usize) -> usize {
    while data.get(pos).is_some_and(|b| is_ws(*b)) {
        pos += 1;
    }
    pos
}

/// Like [`skip_ws`], also skipping comments (`%` to the end of the line, §7.2.3).
pub(super) fn skip_ws_comments(data: &[u8], mut pos: usize) -> usize {
    loop {
        pos = skip_ws(data, pos);
        if data.get(pos) != Some(&b'%') {
            return pos;
        }
        while data.get(pos).is_some_and(|b| *b != b'\r' && *b != b'\n') {
            pos += 1;
        }
    }
}

/// True when `data[pos..]` starts with the keyword `kw` followed by a
/// non-regular byte or the end of the input.
pub(super) fn at_keyword(data: &[u8], pos: usize, kw: &[u8]) -> bool {
    data.get(pos..).is_some_and(|d| d.starts_with(kw)) && !data.get(pos + kw.len()).is_some_and(|b| is_regular(*b))
}

/// An unsigned decimal integer of at most 19 digits at `pos` (no sign), and
/// the position after it. Used where the syntax is fixed (xref tables).
pub(super) fn read_uint(data: &[u8], pos: usize) -> Option<(u64, usize)> {
    let digits = data.get(pos..)?.iter().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 || digits > 19 {
        return None;
    }
    let value = data[pos..pos + digits].iter().fold(0u64, |acc, d| acc * 10 + (d - b'0') as u64);
    Some((value, pos + digits))
}

/// The first position of `byte` at or after `from`, eight bytes at a time.
pub(super) fn find_byte(data: &[u8], byte: u8, from: usize) -> Option<usize> {
    let hay = data.get(from..)?;
    let pattern = u64::from_ne_bytes([byte; 8]);
    let mut chunks = hay.chunks_exact(8);
    let mut base = 0;
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_ne_bytes(word) ^ pattern;
        // A zero byte in x is a match (the classic "has zero byte" test).
        if (x.wrapping_sub(0x0101_0101_0101_0101) & !x & 0x8080_8080_8080_8080) != 0 {
            let i = chunk.iter().position(|b| *b == byte).unwrap_or(0);
            return Some(from + base + i);
        }
        base += 8;
    }
    chunks.remainder().iter().position(|b| *b == byte).map(|i| from + base + i)
}

/// The first position of `needle` at or after `from`.
pub(super) fn find(data: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    let (&first, rest) = needle.split_first()?;
    let mut pos = from;
    loop {
        let i = find_byte(data, first, pos)?;
        if data.get(i + 1..i + 1 + rest.len()) == Some(rest) {
            return Some(i);
        }
        pos = i + 1;
    }
}

/// The last position of `needle` that starts at or after `from`.
pub(super) fn rfind(data: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    let hay = data.get(from..)?;
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    (0..=hay.len() - needle.len()).rev().find(|&i| hay[i..].starts_with(needle)).map(|i| from + i)
}

/// One token. Strings and names are decoded; keywords borrow the input.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok<'a> {
    Int(i64),
    Real(f64),
    Name(Vec<u8>),
    Str(PdfString),
    ArrayOpen,
    ArrayClose,
    DictOpen,
    DictClose,
    /// A run of regular characters that is not a number (`true`, `R`,
    /// `obj`, ...), or a lone `{` / `}`.
    Keyword(&'a [u8]),
    Eof,
}

/// A cursor over `data`. When `in_file` is false the data is a decoded object
/// stream: spans are set empty and errors point at `origin`, the object
/// stream's position in the file.
pub(super) struct Lexer<'a> {
    pub data: &'a [u8],
    pub pos: usize,
    pub in_file: bool,
    pub origin: usize,
}

impl<'a> Lexer<'a> {
    pub fn new(data: &'a [u8], pos: usize) -> Lexer<'a> {
        Lexer { data, pos, in_file: true, origin: 0 }
    }

    /// The file offset to report for position `p`.
    pub fn at(&self, p: usize) -> usize {
        if self.in_file {
            p
        } else {
            self.origin
        }
    }

    fn span(&self, start: usize, end: usize) -> std::ops::Range<usize> {
        if self.in_file {
            start..end
        } else {
            0..0
        }
    }

    fn syntax(&self, p: usize, expected: &'static str, found: String) -> PdfError {
        PdfError::Syntax { offset: self.at(p), expected, found }
    }

    /// The next token and its start position.
    pub fn next(&mut self) -> Result<(usize, Tok<'a>), PdfError> {
        let data = self.data;
        let start = skip_ws_comments(data, self.pos);
        self.pos = start;
        let Some(&b) = data.get(start) else {
            return Ok((start, Tok::Eof));
        };
        let tok = match b {
            b'[' => {
                self.pos += 1;
                Tok::ArrayOpen
            }
            b']' => {
                self.pos += 1;
                Tok::ArrayClose
            }
            b'<' if data.get(start + 1) == Some(&b'<') => {
                self.pos += 2;
                Tok::DictOpen
            }
            b'>' if data.get(start + 1) == Some(&b'>') => {
                self.pos += 2;
                Tok::DictClose
            }
            b'<' => Tok::Str(self.hex_string(start)?),
            b'(' => Tok::Str(self.literal_string(start)?),
            b'/' => Tok::Name(self.name(start)?),
            b'{' | b'}' => {
                self.pos += 1;
                Tok::Keyword(&data[start..start + 1])
            }
            b')' | b'>' => return Err(self.syntax(start, "an object", format!("'{}'", b as char))),
            b'0'..=b'9' | b'+' | b'-' | b'.' => self.number(start)?,
            _ => {
                let len = data[start..].iter().take_while(|c| is_regular(**c)).count();
                self.pos = start + len;
                Tok::Keyword(&data[start..start + len])
            }
        };
        Ok((start, tok))
    }

    /// A number (§7.3.3): `+17`, `-98`, `34.5`, `-.002`, `4.`. Integers too
    /// large for i64 become reals, as in other readers.
    fn number(&mut self, start: usize) -> Result<Tok<'a>, PdfError> {
        let text = &self.data[start..];
        let len = text.iter().take_while(|c| is_regular(**c)).count();
        let text = &text[..len];
        self.pos = start + len;
        let body = match text.first() {
            Some(b'+') | Some(b'-') => &text[1..],
            _ => text,
        };
        let dots = body.iter().filter(|c| **c == b'.').count();
        let digits = body.iter().filter(|c| c.is_ascii_digit()).count();
        if digits == 0 || dots > 1 || digits + dots != body.len() {
            return Err(self.syntax(start, "a number", format!("'{}'", String::from_utf8_lossy(text))));
        }
        // Only ASCII digits, one dot and a sign: valid UTF-8 and valid for parse().
        let s = std::str::from_utf8(text).unwrap_or("0");
        if dots == 0 {
            if let Ok(i) = s.parse::<i64>() {
                return Ok(Tok::Int(i));
            }
        }
        Ok(Tok::Real(s.parse::<f64>().unwrap_or(0.0)))
    }

    /// A name (§7.3.5) after `/`: regular characters, `#xx` as a byte. A `#`
    /// without two hex digits is kept as is (PDF 1.1 names).
    fn name(&mut self, start: usize) -> Result<Vec<u8>, PdfError> {
        let data = self.data;
        let mut p = start + 1;
        let mut out = Vec::new();
        while let Some(&c) = data.get(p) {
            if !is_regular(c) {
                break;
            }
            if c == b'#' {
                if let (Some(h), Some(l)) = (data.get(p + 1).and_then(hex_val), data.get(p + 2).and_then(hex_val)) {
                    out.push(h << 4 | l);
                    p += 3;
                    continue;
                }
            }
            out.push(c);
            p += 1;
            if out.len() > MAX_PDF_STRING_BYTES {
                return Err(PdfError::TooLong { offset: self.at(start), what: "name" });
            }
        }
        self.pos = p;
        Ok(out)
    }

    /// A hexadecimal string (§7.3.4.3): hex digits and white space up to
    /// `>`; an odd final digit is followed by an implied 0.
    fn hex_string(&mut self, start: usize) -> Result<PdfString, PdfError> {
        let data = self.data;
        let mut p = start + 1;
        let mut out = Vec::new();
        let mut high: Option<u8> = None;
        loop {
            let Some(&c) = data.get(p) else {
                return Err(PdfError::Truncated { offset: self.at(start), what: "a hex string" });
            };
            p += 1;
            if c == b'>' {
                break;
            }
            if is_ws(c) {
                continue;
            }
            let Some(v) = hex_val(&c) else {
                return Err(self.syntax(p - 1, "a hex digit or '>'", format!("byte 0x{c:02x}")));
            };
            match high.take() {
                Some(h) => out.push(h << 4 | v),
                None => high = Some(v),
            }
            if out.len() >= MAX_PDF_STRING_BYTES {
                return Err(PdfError::TooLong { offset: self.at(start), what: "string" });
            }
        }
        if let Some(h) = high {
            out.push(h << 4);
        }
        self.pos = p;
        Ok(PdfString { bytes: out, hex: true, span: self.span(start, p) })
    }

    /// A literal string (§7.3.4.2): balanced parentheses, escapes `\n \r \t
    /// \b \f \( \) \\`, octal `\ddd`, a backslash before an end-of-line
    /// joins lines, any other escaped byte stands for itself, and an
    /// unescaped end-of-line (CR, LF or CR LF) reads as LF.
    fn literal_string(&mut self, start: usize) -> Result<PdfString, PdfError> {
        let data = self.data;
        let mut p = start + 1;
        let mut depth = 1usize;
        let mut out = Vec::new();
        let truncated = || PdfError::Truncated { offset: self.at(start), what: "a literal string" };
        loop {
            let &c = data.get(p).ok_or_else(truncated)?;
            p += 1;
            match c {
                b'(' => {
                    depth += 1;
                    out.push(c);
                }
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                    out.push(c);
                }
                b'\r' => {
                    if data.get(p) == Some(&b'\n') {
                        p += 1;
                    }
                    out.push(b'\n');
                }
                b'\\' => {
                    let &e = data.get(p).ok_or_else(truncated)?;
                    p += 1;
                    match e {
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'b' => out.push(b'\x08'),
                        b'f' => out.push(b'\x0c'),
                        b'0'..=b'7' => {
                            let mut v = (e - b'0') as u32;
                            for _ in 0..2 {
                                match data.get(p) {
                                    Some(d @ b'0'..=b'7') => {
                                        v = v * 8 + (d - b'0') as u32;
                                        p += 1;
                                    }
                                    _ => break,
                                }
                            }
                            // High-order overflow is ignored (§7.3.4.2).
                            out.push((v & 0xff) as u8);
                        }
                        b'\r' => {
                            if data.get(p) == Some(&b'\n') {
                                p += 1;
                            }
                        }
                        b'\n' => {}
                        other => out.push(other),
                    }
                }
                _ => out.push(c),
            }
            if out.len() > MAX_PDF_STRING_BYTES {
                return Err(PdfError::TooLong { offset: self.at(start), what: "string" });
            }
        }
        self.pos = p;
        Ok(PdfString { bytes: out, hex: false, span: self.span(start, p) })
    }
}

fn hex_val(c: &u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// Decodes ASCIIHexDecode data (§7.4.2): hex digits and white space up to
/// `>` (or the end), an odd final digit padded with 0.
pub(super) fn decode_hex(data: &[u8]) -> Result<Vec<u8>, usize> {
    let mut out = Vec::with_capacity(data.len() / 2);
    let mut high: Option<u8> = None;
    for (i, c) in data.iter().enumerate() {
        if *c == b'>' {
            break;
        }
        if is_ws(*c) {
            continue;
        }
        let v = hex_val(c).ok_or(i)?;
        match high.take() {
            Some(h) => out.push(h << 4 | v),
            None => high = Some(v),
        }
    }
    if let Some(h) = high {
        out.push(h << 4);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &[u8]) -> Vec<Tok<'_>> {
        let mut lx = Lexer::new(s, 0);
        let mut out = Vec::new();
        loop {
            let (_, t) = lx.next().unwrap();
            if t == Tok::Eof {
                return out;
            }
            out.push(t);
        }
    }

    #[test]
    fn numbers() {
        assert_eq!(
            toks(b"17 +17 -98 0 34.5 -3.62 +123.6 4. -.002 .5 0.0"),
            vec![
                Tok::Int(17),
                Tok::Int(17),
                Tok::Int(-98),
                Tok::Int(0),
                Tok::Real(34.5),
                Tok::Real(-3.62),
                Tok::Real(123.6),
                Tok::Real(4.0),
                Tok::Real(-0.002),
                Tok::Real(0.5),
                Tok::Real(0.0),
            ]
        );
        assert_eq!(toks(b"99999999999999999999"), vec![Tok::Real(1e20)]);
        for bad in [&b"1.2.3"[..], b"-", b"+.", b"12a", b"--1"] {
            assert!(Lexer::new(bad, 0).next().is_err(), "{:?}", String::from_utf8_lossy(bad));
        }
    }

    #[test]
    fn names_with_escapes() {
        assert_eq!(
            toks(b"/Name1 /A;Name_With-Various***Characters? /lime#20Green /paired#28#29parentheses /#"),
            vec![
                Tok::Name(b"Name1".to_vec()),
                Tok::Name(b"A;Name_With-Various***Characters?".to_vec()),
                Tok::Name(b"lime Green".to_vec()),
                Tok::Name(b"paired()parentheses".to_vec()),
                Tok::Name(b"#".to_vec()),
            ]
        );
        assert_eq!(toks(b"/A/B"), vec![Tok::Name(b"A".to_vec()), Tok::Name(b"B".to_vec())]);
        assert_eq!(toks(b"/"), vec![Tok::Name(vec![])]);
    }

    #[test]
    fn literal_strings() {
        let src = b"(a (nested (deep)) \\(esc\\) \\\\ \\n\\r\\t\\b\\f \\053\\0539 \\q line\\\r\ncont \r\n end)";
        let mut lx = Lexer::new(src, 0);
        let (_, t) = lx.next().unwrap();
        let Tok::Str(s) = t else { panic!("{t:?}") };
        assert_eq!(s.bytes, b"a (nested (deep)) (esc) \\ \n\r\t\x08\x0c ++9 q linecont \n end".to_vec());
        assert_eq!(s.span, 0..src.len());
        assert!(!s.hex);
        assert!(matches!(Lexer::new(b"(open (", 0).next(), Err(PdfError::Truncated { offset: 0, .. })));
        // Octal overflow keeps the low byte.
        let (_, t) = Lexer::new(b"(\\777)", 0).next().unwrap();
        assert_eq!(t, Tok::Str(PdfString { bytes: vec![0xff], hex: false, span: 0..6 }));
    }

    #[test]
    fn hex_strings() {
        let src = b"  <90 1F a\n>";
        let (start, t) = Lexer::new(src, 0).next().unwrap();
        assert_eq!(start, 2);
        assert_eq!(t, Tok::Str(PdfString { bytes: vec![0x90, 0x1f, 0xa0], hex: true, span: 2..12 }));
        assert!(matches!(Lexer::new(b"<12x>", 0).next(), Err(PdfError::Syntax { offset: 3, .. })));
        assert!(matches!(Lexer::new(b"<12", 0).next(), Err(PdfError::Truncated { .. })));
    }

    #[test]
    fn comments_delimiters_keywords() {
        assert_eq!(
            toks(b"% a comment\n[<<>>]true%x\rnull R {"),
            vec![
                Tok::ArrayOpen,
                Tok::DictOpen,
                Tok::DictClose,
                Tok::ArrayClose,
                Tok::Keyword(b"true"),
                Tok::Keyword(b"null"),
                Tok::Keyword(b"R"),
                Tok::Keyword(b"{"),
            ]
        );
        assert!(Lexer::new(b")", 0).next().is_err());
        assert!(Lexer::new(b">", 0).next().is_err());
    }

    #[test]
    fn searching() {
        let hay = b"0123456789abcdef startxref xx startxref";
        assert_eq!(find(hay, b"startxref", 0), Some(17));
        assert_eq!(find(hay, b"startxref", 18), Some(30));
        assert_eq!(rfind(hay, b"startxref", 0), Some(30));
        assert_eq!(find(hay, b"nope", 0), None);
        assert_eq!(find_byte(hay, b'f', 0), Some(15));
        assert_eq!(find_byte(hay, b'f', 100), None);
        assert_eq!(read_uint(b"0000012345 00000 n", 0), Some((12345, 10)));
        assert_eq!(read_uint(b"x", 0), None);
        assert_eq!(read_uint(b"99999999999999999999", 0), None);
        assert!(at_keyword(b"obj<<", 0, b"obj"));
        assert!(!at_keyword(b"objx", 0, b"obj"));
    }
}
