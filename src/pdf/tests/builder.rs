//! Writes small PDFs for tests: objects, streams, object streams, classic
//! xref tables and xref streams, and incremental updates, with the offsets
//! computed as they are written.

use miniz_oxide::deflate::compress_to_vec_zlib;
use std::collections::BTreeMap;

pub struct Builder {
    pub buf: Vec<u8>,
    /// Objects written since the last xref section: number -> (offset, gen).
    objs: BTreeMap<u32, (usize, u16)>,
    /// Objects placed in object streams since the last section: number -> (stream, index).
    compressed: BTreeMap<u32, (u32, u32)>,
    /// Where the header starts: declared offsets count from it.
    pub base: usize,
    /// Declared offsets count from byte 0 even when junk precedes the header.
    pub absolute_offsets: bool,
    pub prev: Option<usize>,
    size: u32,
    first_section: bool,
    /// Ends of the revisions written so far (after `%%EOF\n`).
    pub ends: Vec<usize>,
}

impl Builder {
    pub fn new() -> Builder {
        Builder::with_prefix(b"")
    }

    /// A file starting with `junk` before `%PDF-1.7`.
    pub fn with_prefix(junk: &[u8]) -> Builder {
        let mut buf = junk.to_vec();
        let base = buf.len();
        buf.extend_from_slice(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n");
        Builder {
            buf,
            objs: BTreeMap::new(),
            compressed: BTreeMap::new(),
            base,
            absolute_offsets: false,
            prev: None,
            size: 1,
            first_section: true,
            ends: Vec::new(),
        }
    }

    /// The offset to write for file position `pos`.
    pub fn declared(&self, pos: usize) -> usize {
        if self.absolute_offsets {
            pos
        } else {
            pos - self.base
        }
    }

    pub fn raw(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
    }

    /// `num 0 obj\n{body}\nendobj\n`; returns the object's offset.
    pub fn obj(&mut self, num: u32, body: &str) -> usize {
        self.obj_gen(num, 0, body.as_bytes())
    }

    pub fn obj_gen(&mut self, num: u32, gen: u16, body: &[u8]) -> usize {
        let off = self.buf.len();
        self.buf.extend_from_slice(format!("{num} {gen} obj\n").as_bytes());
        self.buf.extend_from_slice(body);
        self.buf.extend_from_slice(b"\nendobj\n");
        self.objs.insert(num, (off, gen));
        self.size = self.size.max(num + 1);
        off
    }

    /// Records an object's offset without writing it (for wrong offsets).
    pub fn set_offset(&mut self, num: u32, off: usize) {
        self.objs.insert(num, (off, 0));
    }

    /// A stream object with a direct `/Length`.
    pub fn stream(&mut self, num: u32, dict_extra: &str, data: &[u8]) -> usize {
        let mut body = format!("<< /Length {} {dict_extra} >>\nstream\n", data.len()).into_bytes();
        body.extend_from_slice(data);
        body.extend_from_slice(b"\nendstream");
        self.obj_gen(num, 0, &body)
    }

    /// An object stream `num` (FlateDecode) holding `objects`.
    pub fn objstm(&mut self, num: u32, objects: &[(u32, &str)]) -> usize {
        let mut header = String::new();
        let mut body = String::new();
        for (i, (n, text)) in objects.iter().enumerate() {
            header.push_str(&format!("{n} {} ", body.len()));
            body.push_str(text);
            body.push('\n');
            self.compressed.insert(*n, (num, i as u32));
            self.size = self.size.max(n + 1);
        }
        let first = header.len();
        let data = compress_to_vec_zlib(format!("{header}{body}").as_bytes(), 6);
        self.stream(num, &format!("/Type /ObjStm /N {} /First {first} /Filter /FlateDecode", objects.len()), &data)
    }

    fn prev_entry(&self) -> String {
        self.prev.map(|p| format!(" /Prev {}", self.declared(p))).unwrap_or_default()
    }

    fn eof(&mut self, xref: usize) {
        let s = format!("startxref\n{}\n%%EOF\n", self.declared(xref));
        self.buf.extend_from_slice(s.as_bytes());
        self.ends.push(self.buf.len());
        self.prev = Some(xref);
        self.first_section = false;
    }

    /// A classic table of the objects written since the last section, its
    /// trailer (`/Size`, `/Prev` and `trailer_extra`), startxref and %%EOF.
    pub fn xref_table(&mut self, trailer_extra: &str) -> usize {
        let xref = self.buf.len();
        let trailer = format!("trailer\n<< /Size {}{} {trailer_extra} >>\n", self.size, self.prev_entry());
        let table = self.table_text();
        self.buf.extend_from_slice(table.as_bytes());
        self.buf.extend_from_slice(trailer.as_bytes());
        self.eof(xref);
        xref
    }

    fn table_text(&mut self) -> String {
        let mut rows: BTreeMap<u32, String> = self.objs.iter().map(|(n, (off, gen))| (*n, format!("{:010} {gen:05} n \n", self.declared(*off)))).collect();
        if self.first_section {
            rows.insert(0, "0000000000 65535 f \n".into());
        }
        self.objs.clear();
        let mut out = String::from("xref\n");
        let nums: Vec<u32> = rows.keys().copied().collect();
        let mut i = 0;
        while i < nums.len() {
            let mut j = i;
            while j + 1 < nums.len() && nums[j + 1] == nums[j] + 1 {
                j += 1;
            }
            out.push_str(&format!("{} {}\n", nums[i], j - i + 1));
            for n in &nums[i..=j] {
                out.push_str(&rows[n]);
            }
            i = j + 1;
        }
        out
    }

    /// An xref stream `num` (W [1 4 2], FlateDecode, with the PNG Up
    /// predictor when `predictor`) for the objects and compressed objects
    /// written since the last section; then startxref and %%EOF.
    pub fn xref_stream(&mut self, num: u32, trailer_extra: &str, predictor: bool) -> usize {
        let xref = self.buf.len();
        self.size = self.size.max(num + 1);
        let mut rows: BTreeMap<u32, [u8; 7]> = BTreeMap::new();
        let row = |t: u8, f2: u32, f3: u16| {
            let mut r = [0u8; 7];
            r[0] = t;
            r[1..5].copy_from_slice(&f2.to_be_bytes());
            r[5..7].copy_from_slice(&f3.to_be_bytes());
            r
        };
        for (n, (off, gen)) in &self.objs {
            rows.insert(*n, row(1, self.declared(*off) as u32, *gen));
        }
        for (n, (s, i)) in &self.compressed {
            rows.insert(*n, row(2, *s, *i as u16));
        }
        rows.insert(num, row(1, self.declared(xref) as u32, 0));
        if self.first_section {
            rows.insert(0, row(0, 0, 65535));
        }
        self.objs.clear();
        self.compressed.clear();
        let nums: Vec<u32> = rows.keys().copied().collect();
        let mut index = Vec::new();
        let mut i = 0;
        while i < nums.len() {
            let mut j = i;
            while j + 1 < nums.len() && nums[j + 1] == nums[j] + 1 {
                j += 1;
            }
            index.push(format!("{} {}", nums[i], j - i + 1));
            i = j + 1;
        }
        let mut data = Vec::new();
        let mut prev_row = [0u8; 7];
        for r in rows.values() {
            if predictor {
                data.push(2); // PNG Up
                for k in 0..7 {
                    data.push(r[k].wrapping_sub(prev_row[k]));
                }
                prev_row = *r;
            } else {
                data.extend_from_slice(r);
            }
        }
        let z = compress_to_vec_zlib(&data, 6);
        let parms = if predictor { " /DecodeParms << /Predictor 12 /Columns 7 >>" } else { "" };
        let dict =
            format!("/Type /XRef /Size {} /W [1 4 2] /Index [{}] /Filter /FlateDecode{parms}{} {trailer_extra}", self.size, index.join(" "), self.prev_entry());
        let mut body = format!("<< /Length {} {dict} >>\nstream\n", z.len()).into_bytes();
        body.extend_from_slice(&z);
        body.extend_from_slice(b"\nendstream");
        self.buf.extend_from_slice(format!("{num} 0 obj\n").as_bytes());
        self.buf.extend_from_slice(&body);
        self.buf.extend_from_slice(b"\nendobj\n");
        self.eof(xref);
        xref
    }

    /// A hybrid section (§7.5.8.4): the compressed objects go into an xref
    /// stream `stm_num` (no startxref of its own), the other objects into a
    /// table whose trailer names the stream in `/XRefStm`.
    pub fn hybrid(&mut self, stm_num: u32, trailer_extra: &str) -> usize {
        let stm = self.buf.len();
        let compressed = std::mem::take(&mut self.compressed);
        let mut data = Vec::new();
        let mut index = Vec::new();
        for (n, (s, i)) in &compressed {
            index.push(format!("{n} 1"));
            data.push(2u8);
            data.extend_from_slice(&s.to_be_bytes());
            data.extend_from_slice(&(*i as u16).to_be_bytes());
        }
        self.size = self.size.max(stm_num + 1);
        let dict = format!("/Type /XRef /Size {} /W [1 4 2] /Index [{}]", self.size, index.join(" "));
        self.buf.extend_from_slice(format!("{stm_num} 0 obj\n<< /Length {} {dict} >>\nstream\n", data.len()).as_bytes());
        self.buf.extend_from_slice(&data);
        self.buf.extend_from_slice(b"\nendstream\nendobj\n");
        self.objs.insert(stm_num, (stm, 0));
        let extra = format!("/XRefStm {} {trailer_extra}", self.declared(stm));
        self.xref_table(&extra)
    }

    pub fn finish(self) -> Vec<u8> {
        self.buf
    }
}

/// A minimal document: catalog 1, pages 2, page 3, AcroForm with a
/// signature field 4 whose value is the signature dictionary 5.
pub fn classic() -> Builder {
    let mut b = Builder::new();
    b.obj(1, "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R] /SigFlags 3 >> >>");
    b.obj(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
    b.obj(3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>");
    b.obj(4, "<< /FT /Sig /T (Signature1) /V 5 0 R >>");
    b.obj(5, "<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /Contents <0102030400> >>");
    b.xref_table("/Root 1 0 R");
    b
}

/// The first position of `needle` in `hay` at or after `from`.
pub fn pos(hay: &[u8], needle: &[u8], from: usize) -> usize {
    crate::pdf::lexer::find(hay, needle, from).expect("needle present")
}

/// The last position of `needle` in `hay`.
pub fn rpos(hay: &[u8], needle: &[u8]) -> usize {
    crate::pdf::lexer::rfind(hay, needle, 0).expect("needle present")
}
