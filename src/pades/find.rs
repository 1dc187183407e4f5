//! Finding every signature of a PDF (ISO 32000-1 §12.7.4.5, §12.8; pades.md
//! "Finding signatures"): AcroForm fields through /Kids with /FT /Sig and a
//! value, document timestamps, and signature dictionaries no field references.

use crate::limits::{MAX_PDF_FIELDS, MAX_PDF_SIGNATURES};
use crate::pdf::{Dict, ObjId, Object, Pdf};
use memchr::memmem;
use std::collections::BTreeSet;

/// A signature (or document timestamp) dictionary and where it was found.
#[derive(Clone, Debug)]
pub struct FoundSig {
    /// The field's fully qualified name (§12.7.3.2), when a field holds it.
    pub field: Option<String>,
    /// The signature dictionary's object, when indirect.
    pub sig_id: Option<ObjId>,
    pub dict: Dict,
    /// /Type /DocTimeStamp or SubFilter ETSI.RFC3161.
    pub doc_timestamp: bool,
    /// Found by scanning, not through a field.
    pub orphan: bool,
    /// The field's /Lock dictionary (FieldMDP, §12.7.4.5 Table 233).
    pub lock: Option<Dict>,
    /// The signature dictionary does not parse; `dict` then holds only the
    /// /ByteRange read from its raw bytes, and this is why.
    pub unparsable: Option<String>,
}

/// All signatures found, in field order, then orphans.
#[derive(Debug, Default)]
pub struct Found {
    pub sigs: Vec<FoundSig>,
    pub problems: Vec<String>,
    /// More signatures than the limit: the rest were not verified.
    pub truncated: bool,
    /// More form fields than [`MAX_PDF_FIELDS`], or fields nested deeper
    /// than [`MAX_FIELD_DEPTH`]: the rest of the field tree was not searched.
    pub fields_truncated: bool,
}

/// Deepest /Kids nesting of form fields searched.
pub const MAX_FIELD_DEPTH: usize = 32;

/// A PDF text string's bytes, decoded.
pub fn text(bytes: &[u8]) -> String {
    // PDF text strings are PDFDocEncoding or UTF-16BE with a BOM (§7.9.2.2).
    if let Some(rest) = bytes.strip_prefix(&[0xfe, 0xff]) {
        let units: Vec<u16> = rest.chunks_exact(2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect();
        return String::from_utf16_lossy(&units);
    }
    bytes.iter().map(|&b| b as char).collect()
}

/// A PDF text string value of `key`, decoded.
pub fn text_of(pdf: &Pdf<'_>, dict: &Dict, key: &[u8]) -> Option<String> {
    let v = dict.get(key)?;
    let v = pdf.resolve(v).ok()?;
    v.as_str().map(|s| text(&s.bytes))
}

fn is_doc_timestamp(d: &Dict) -> bool {
    d.has_type(b"DocTimeStamp") || d.get_name(b"SubFilter") == Some(b"ETSI.RFC3161")
}

struct Walk<'p, 'a> {
    pdf: &'p Pdf<'a>,
    seen: BTreeSet<ObjId>,
    visited: usize,
    found: Found,
}

impl Walk<'_, '_> {
    fn field(&mut self, obj: &Object, parent_name: Option<&str>, parent_ft: Option<Vec<u8>>, depth: usize) {
        if self.visited >= MAX_PDF_FIELDS || depth > MAX_FIELD_DEPTH {
            // Reported once (pdf.signatures), however many fields are left.
            self.found.fields_truncated = true;
            return;
        }
        self.visited += 1;
        if let Some(id) = obj.as_ref() {
            if !self.seen.insert(id) {
                self.found.problems.push(format!("form field {id} is reached twice (a loop or shared kid)"));
                return;
            }
        }
        let Ok(resolved) = self.pdf.resolve(obj) else {
            self.found.problems.push(format!("form field {obj:?} cannot be read"));
            return;
        };
        let Some(d) = resolved.as_dict() else { return };
        let partial = text_of(self.pdf, d, b"T");
        let name = match (parent_name, partial) {
            (Some(p), Some(t)) => Some(format!("{p}.{t}")),
            (None, Some(t)) => Some(t),
            (p, None) => p.map(str::to_string),
        };
        let ft = d.get_name(b"FT").map(<[u8]>::to_vec).or(parent_ft);
        if ft.as_deref() == Some(b"Sig") {
            if let Some(v) = d.get(b"V") {
                let sig_id = v.as_ref();
                match self.pdf.resolve(v) {
                    Ok(Object::Dict(sd)) => {
                        if self.found.sigs.len() >= MAX_PDF_SIGNATURES {
                            self.found.truncated = true;
                            return;
                        }
                        let lock = d.get(b"Lock").and_then(|l| self.pdf.resolve(l).ok()).and_then(|l| l.as_dict().cloned());
                        let doc_timestamp = is_doc_timestamp(&sd);
                        self.found.sigs.push(FoundSig { field: name.clone(), sig_id, dict: sd, doc_timestamp, orphan: false, lock, unparsable: None });
                    }
                    Ok(Object::Null) => {}
                    Ok(other) => self.found.problems.push(format!(
                        "signature field {} has a /V that is a {}, not a dictionary",
                        name.as_deref().unwrap_or("(unnamed)"),
                        other.type_name()
                    )),
                    Err(e) => match sig_id.and_then(|id| raw_byte_range(self.pdf, id)) {
                        // A broken dictionary is still a signature: judge what can be read of it.
                        Some(dict) if self.found.sigs.len() < MAX_PDF_SIGNATURES => self.found.sigs.push(FoundSig {
                            field: name.clone(),
                            sig_id,
                            dict,
                            doc_timestamp: false,
                            orphan: false,
                            lock: None,
                            unparsable: Some(e.to_string()),
                        }),
                        _ => self.found.problems.push(format!("signature field {}: {e}", name.as_deref().unwrap_or("(unnamed)"))),
                    },
                }
            }
        }
        if let Some(kids) = d.get(b"Kids").and_then(|k| self.pdf.resolve(k).ok()) {
            if let Some(arr) = kids.as_array() {
                for kid in arr {
                    self.field(kid, name.as_deref(), ft.clone(), depth + 1);
                }
            }
        }
    }
}

/// The signatures in form fields only (no scan for orphans): cheap.
pub fn field_signatures(pdf: &Pdf<'_>) -> Vec<FoundSig> {
    let mut walk = Walk { pdf, seen: BTreeSet::new(), visited: 0, found: Found::default() };
    if let Ok(catalog) = pdf.catalog() {
        walk.fields(&catalog);
    }
    walk.found.sigs
}

impl Walk<'_, '_> {
    fn fields(&mut self, catalog: &Dict) {
        if let Some(acro) = catalog.get(b"AcroForm").and_then(|a| self.pdf.resolve(a).ok()) {
            if let Some(fields) = acro.as_dict().and_then(|a| a.get(b"Fields")).and_then(|f| self.pdf.resolve(f).ok()) {
                if let Some(arr) = fields.as_array() {
                    for f in arr {
                        self.field(f, None, None, 0);
                    }
                }
            }
        }
    }
}

/// Finds the signatures of `pdf` (latest revision).
pub fn find_signatures(pdf: &Pdf<'_>) -> Found {
    let mut walk = Walk { pdf, seen: BTreeSet::new(), visited: 0, found: Found::default() };
    match pdf.catalog() {
        Ok(catalog) => walk.fields(&catalog),
        Err(e) => walk.found.problems.push(format!("the catalog cannot be read: {e}")),
    }
    find_orphans(pdf, &mut walk.found);
    walk.found
}

/// Signature dictionaries that no field references: every `/ByteRange` in
/// the raw bytes that is not inside a dictionary already found.
fn find_orphans(pdf: &Pdf<'_>, found: &mut Found) {
    let data = pdf.data();
    let known: Vec<std::ops::Range<usize>> = found.sigs.iter().map(|s| s.dict.span.clone()).filter(|r| !r.is_empty()).collect();
    let known_ids: BTreeSet<ObjId> = found.sigs.iter().filter_map(|s| s.sig_id).collect();
    let stray: Vec<usize> = memmem::find_iter(data, b"/ByteRange").filter(|p| !known.iter().any(|r| r.contains(p))).collect();
    if stray.is_empty() {
        return;
    }
    // Locate the objects around the stray occurrences.
    let mut headers: Vec<(ObjId, usize)> = pdf.scan_objects().collect();
    headers.sort_by_key(|(_, off)| *off);
    let mut reported = BTreeSet::new();
    for p in stray {
        let idx = headers.partition_point(|(_, off)| *off <= p);
        if idx == 0 {
            continue;
        }
        let (id, offset) = headers[idx - 1];
        if known_ids.contains(&id) || !reported.insert(id) {
            continue;
        }
        let Ok(obj) = pdf.object_at(offset) else { continue };
        if !obj.span.contains(&p) {
            continue;
        }
        if let Object::Dict(d) = obj.object {
            if d.get(b"ByteRange").is_some() && d.get(b"Contents").is_some() {
                if found.sigs.len() >= MAX_PDF_SIGNATURES {
                    found.truncated = true;
                    return;
                }
                let doc_timestamp = is_doc_timestamp(&d);
                found.sigs.push(FoundSig { field: None, sig_id: Some(id), dict: d, doc_timestamp, orphan: true, lock: None, unparsable: None });
            }
        }
    }
}

/// Reads `/ByteRange [a b c d]` from the raw bytes of an object that does not
/// parse, so a signature with a broken /Contents is still judged (and fails)
/// rather than silently skipped.
fn raw_byte_range(pdf: &Pdf<'_>, id: ObjId) -> Option<Dict> {
    let last = pdf.revisions().len().checked_sub(1)?;
    let raw = match pdf.object_span(id, last) {
        Some(span) => pdf.data().get(span)?,
        None => {
            // The object does not parse, so its end is unknown: read up to its `endobj`.
            let (_, crate::pdf::Entry::InUse { offset, .. }) = pdf.entry_as_of(id.num, last)? else { return None };
            let start = pdf.header_offset() + usize::try_from(offset).ok()?;
            let window = pdf.data().get(start..)?;
            let window = &window[..window.len().min(1 << 20)];
            &window[..memmem::find(window, b"endobj").unwrap_or(window.len())]
        }
    };
    let at = memmem::find(raw, b"/ByteRange")? + b"/ByteRange".len();
    let rest = &raw[at..];
    let open = rest.iter().position(|&b| b == b'[')?;
    let close = rest.iter().position(|&b| b == b']')?;
    let inner = std::str::from_utf8(rest.get(open + 1..close)?).ok()?;
    let numbers: Vec<Object> = inner.split_ascii_whitespace().map(|n| n.parse::<i64>().map(Object::Int)).collect::<Result<_, _>>().ok()?;
    Some(Dict::from_entries(vec![(b"ByteRange".to_vec(), Object::Array(numbers))], 0..0))
}
