//! Embedded files (ISO 32000-1 §7.11.4, §7.9.6 name trees; PDF 2.0 /AF):
//! name, size, SHA-256 and the declared MD5 /CheckSum, which must match.

use crate::checks::CheckId;
use crate::crypto::md5::md5;
use crate::crypto::sha256;
use crate::limits::MAX_PDF_EMBEDDED_FILES;
use crate::pdf::{Dict, ObjId, Object, Pdf};
use crate::report::{Check, Fact};
use std::collections::BTreeSet;

/// One embedded file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EmbeddedFile {
    pub name: String,
    pub bytes: Vec<u8>,
    pub mime: Option<String>,
    pub declared_size: Option<i64>,
    pub declared_md5: Option<Vec<u8>>,
}

fn file_name(pdf: &Pdf<'_>, spec: &Dict, fallback: &str) -> String {
    super::find::text_of(pdf, spec, b"UF").or_else(|| super::find::text_of(pdf, spec, b"F")).unwrap_or_else(|| fallback.to_string())
}

struct Collect<'p, 'a> {
    pdf: &'p Pdf<'a>,
    files: Vec<EmbeddedFile>,
    problems: Vec<String>,
    seen: BTreeSet<ObjId>,
    streams: BTreeSet<ObjId>,
}

impl Collect<'_, '_> {
    fn spec(&mut self, key: &str, spec: &Object) {
        if self.files.len() >= MAX_PDF_EMBEDDED_FILES {
            self.problems.push(format!("more than {MAX_PDF_EMBEDDED_FILES} embedded files; the rest were not read"));
            return;
        }
        let Ok(spec) = self.pdf.resolve(spec) else { return };
        let Some(spec) = spec.as_dict() else { return };
        let Some(ef) = spec.get(b"EF").and_then(|e| self.pdf.resolve(e).ok()) else { return };
        let Some(ef) = ef.as_dict() else { return };
        let Some(stream_ref) = ef.get(b"UF").or_else(|| ef.get(b"F")) else { return };
        if let Some(id) = stream_ref.as_ref() {
            if !self.streams.insert(id) {
                return; // the same file reached from the name tree and /AF
            }
        }
        let name = file_name(self.pdf, spec, key);
        let stream = match self.pdf.resolve(stream_ref) {
            Ok(Object::Stream(s)) => s,
            Ok(other) => {
                self.problems.push(format!("embedded file '{name}' is a {}, not a stream", other.type_name()));
                return;
            }
            Err(e) => {
                self.problems.push(format!("embedded file '{name}': {e}"));
                return;
            }
        };
        let bytes = match self.pdf.decode_stream(&stream) {
            Ok(b) => b,
            Err(e) => {
                self.problems.push(format!("embedded file '{name}' cannot be decoded: {e}"));
                return;
            }
        };
        let params = stream.dict.get(b"Params").and_then(|p| self.pdf.resolve(p).ok()).and_then(|p| p.as_dict().cloned());
        self.files.push(EmbeddedFile {
            name,
            mime: stream.dict.get_name(b"Subtype").map(|s| String::from_utf8_lossy(s).into_owned()),
            declared_size: params.as_ref().and_then(|p| p.get_int(b"Size")),
            declared_md5: params.as_ref().and_then(|p| p.get(b"CheckSum")).and_then(|c| c.as_str()).map(|s| s.bytes.clone()),
            bytes,
        });
    }

    fn tree(&mut self, node: &Object, depth: usize) {
        if depth > 32 {
            self.problems.push("the embedded-file name tree is deeper than 32 levels".into());
            return;
        }
        if let Some(id) = node.as_ref() {
            if !self.seen.insert(id) {
                return;
            }
        }
        let Ok(node) = self.pdf.resolve(node) else { return };
        let Some(d) = node.as_dict() else { return };
        if let Some(names) = d.get(b"Names").and_then(|n| self.pdf.resolve(n).ok()) {
            for pair in names.as_array().unwrap_or(&[]).chunks(2) {
                if let [k, v] = pair {
                    let key = k.as_str().map(|s| String::from_utf8_lossy(&s.bytes).into_owned()).unwrap_or_default();
                    self.spec(&key, v);
                }
            }
        }
        if let Some(kids) = d.get(b"Kids").and_then(|k| self.pdf.resolve(k).ok()) {
            for kid in kids.as_array().unwrap_or(&[]) {
                self.tree(kid, depth + 1);
            }
        }
    }
}

/// Every embedded file: the /EmbeddedFiles name tree, then the catalog's /AF.
pub fn embedded_files(pdf: &Pdf<'_>) -> (Vec<EmbeddedFile>, Vec<String>) {
    let mut c = Collect { pdf, files: Vec::new(), problems: Vec::new(), seen: BTreeSet::new(), streams: BTreeSet::new() };
    let Ok(catalog) = pdf.catalog() else { return (c.files, c.problems) };
    if let Some(names) = catalog.get(b"Names").and_then(|n| pdf.resolve(n).ok()) {
        if let Some(tree) = names.as_dict().and_then(|n| n.get(b"EmbeddedFiles")) {
            let tree = tree.clone();
            c.tree(&tree, 0);
        }
    }
    if let Some(af) = catalog.get(b"AF").and_then(|a| pdf.resolve(a).ok()) {
        for spec in af.as_array().unwrap_or(&[]) {
            c.spec("(associated file)", spec);
        }
    }
    (c.files, c.problems)
}

/// `embedded.files`: the list, and declared sizes and checksums compared.
pub fn embedded_check(files: &[EmbeddedFile], problems: &[String]) -> Option<Check> {
    if files.is_empty() && problems.is_empty() {
        return None;
    }
    let id = CheckId::EmbeddedFiles;
    let mut facts = Vec::new();
    let mut bad = problems.to_vec();
    for f in files {
        let sha = sha256(&f.bytes);
        let mut line = format!("{} ({} bytes, SHA-256 {}", f.name, f.bytes.len(), hex::encode(sha));
        if let Some(m) = &f.declared_md5 {
            line.push_str(&format!(", declared MD5 {}", hex::encode(m)));
            if md5(&f.bytes).as_slice() != m.as_slice() {
                bad.push(format!("'{}' does not match its declared MD5 /CheckSum {}: it was changed or corrupted", f.name, hex::encode(m)));
            }
        }
        if let Some(size) = f.declared_size {
            if size != f.bytes.len() as i64 {
                bad.push(format!("'{}' is {} bytes but declares /Size {size}", f.name, f.bytes.len()));
            }
        }
        line.push(')');
        facts.push(Fact::text("file", line));
    }
    Some(if bad.is_empty() {
        Check::pass(id, format!("{} embedded file(s), declared sizes and checksums match", files.len())).with_all(facts)
    } else {
        Check::fail(id, bad.join("; ")).with_all(facts)
    })
}
