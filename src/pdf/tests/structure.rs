//! Cross-reference sections, revisions and where they end.

use super::builder::{classic, rpos, Builder};
use crate::pdf::*;

fn id(num: u32) -> ObjId {
    ObjId::new(num, 0)
}

#[test]
fn classic_file() {
    let b = classic();
    let end = b.ends[0];
    let data = b.finish();
    let pdf = Pdf::parse(&data).unwrap();
    assert_eq!(pdf.version(), "1.7");
    assert_eq!(pdf.revisions().len(), 1);
    let rev = &pdf.revisions()[0];
    assert_eq!(rev.kind, XrefKind::Table);
    assert_eq!(rev.end, end);
    assert_eq!(rev.end, data.len());
    assert_eq!(rev.eof_end, data.len() - 1);
    assert_eq!(rev.entries.keys().copied().collect::<Vec<_>>(), vec![0, 1, 2, 3, 4, 5]);
    assert_eq!(rev.entries[&0], Entry::Free { next: 0, gen: 65535 });
    assert_eq!(&data[rev.xref_offset..rev.xref_offset + 4], b"xref");
    assert_eq!(pdf.bytes_after_last_eof(), 0);
    assert!(pdf.problems().is_empty(), "{:?}", pdf.problems());

    let catalog = pdf.catalog().unwrap();
    assert!(catalog.has_type(b"Catalog"));
    let acroform = pdf.resolve(catalog.get(b"AcroForm").unwrap()).unwrap();
    let fields = acroform.as_dict().unwrap().get(b"Fields").unwrap().as_array().unwrap();
    let field = pdf.resolve(&fields[0]).unwrap();
    let sig = pdf.resolve(field.as_dict().unwrap().get(b"V").unwrap()).unwrap();
    assert_eq!(sig.as_dict().unwrap().get_name(b"SubFilter"), Some(&b"ETSI.CAdES.detached"[..]));
    // Undefined and free objects are null (§7.3.10).
    assert_eq!(pdf.get(id(99)).unwrap(), Object::Null);
    assert_eq!(pdf.get(id(0)).unwrap(), Object::Null);
    assert_eq!(pdf.get(ObjId::new(1, 1)).unwrap(), Object::Null, "wrong generation");
    let span = pdf.object_span(id(2), 0).unwrap();
    assert!(data[span.clone()].starts_with(b"2 0 obj") && data[span].ends_with(b"endobj"));
    assert!(pdf.get_as_of(id(1), 1).is_err());
}

/// Three revisions: the original, an update redefining object 4 and adding
/// 6, and an update adding 7 and deleting 3.
fn three_revisions() -> (Vec<u8>, Vec<usize>) {
    let mut b = classic();
    b.obj(4, "<< /FT /Sig /T (Signature1) /V 5 0 R /Changed true >>");
    b.obj(6, "(added in revision 1)");
    b.xref_table("/Root 1 0 R");
    b.obj(7, "(added in revision 2)");
    b.raw(b"");
    let xref = b.buf.len();
    // Hand-written table: object 3 freed, object 7 added.
    let prev = b.declared(b.prev.unwrap());
    let seven = b.buf.len() - "7 0 obj\n(added in revision 2)\nendobj\n".len();
    let table =
        format!("xref\n3 1\n0000000000 00001 f \n7 1\n{seven:010} 00000 n \ntrailer\n<< /Size 8 /Root 1 0 R /Prev {prev} >>\nstartxref\n{xref}\n%%EOF\n");
    b.raw(table.as_bytes());
    let mut ends = b.ends.clone();
    ends.push(b.buf.len());
    (b.finish(), ends)
}

#[test]
fn incremental_updates_give_revisions() {
    let (data, ends) = three_revisions();
    let pdf = Pdf::parse(&data).unwrap();
    assert!(pdf.problems().is_empty(), "{:?}", pdf.problems());
    let revs = pdf.revisions();
    assert_eq!(revs.len(), 3);
    assert_eq!(revs.iter().map(|r| r.end).collect::<Vec<_>>(), ends);
    for r in revs {
        assert!(data[..r.end].ends_with(b"%%EOF\n"));
        assert_eq!(r.eof_end, r.end - 1);
    }
    assert_eq!(revs[1].entries.keys().copied().collect::<Vec<_>>(), vec![4, 6]);
    assert_eq!(revs[2].entries.keys().copied().collect::<Vec<_>>(), vec![3, 7]);
    assert_eq!(revs[2].entries[&3], Entry::Free { next: 0, gen: 1 });
    assert_eq!(revs[2].trailer.get_int(b"Size"), Some(8));

    // Object 4 as each revision saw it.
    let changed = |o: Object| o.as_dict().unwrap().get(b"Changed").is_some();
    assert!(!changed(pdf.get_as_of(id(4), 0).unwrap()));
    assert!(changed(pdf.get_as_of(id(4), 1).unwrap()));
    assert!(changed(pdf.get(id(4)).unwrap()));
    assert_eq!(pdf.entry_as_of(4, 2), Some((1, revs[1].entries[&4])));
    // Object 6 does not exist in revision 0; object 3 is gone in revision 2.
    assert_eq!(pdf.get_as_of(id(6), 0).unwrap(), Object::Null);
    assert!(pdf.get_as_of(id(3), 1).unwrap().as_dict().is_some());
    assert_eq!(pdf.get(id(3)).unwrap(), Object::Null);
    // Spans: the old definition of 4 lies in revision 0, the new one in 1.
    let old = pdf.object_span(id(4), 0).unwrap();
    let new = pdf.object_span(id(4), 2).unwrap();
    assert!(old.end <= revs[0].end && new.start >= revs[0].end && new.end <= revs[1].end);
    assert_eq!(pdf.object_span(id(3), 2), None);
    assert_eq!(pdf.catalog_as_of(0).unwrap(), pdf.catalog().unwrap());
}

#[test]
fn two_revisions_with_eol_variants() {
    // CR LF after %%EOF in the first revision, nothing after the last one.
    let mut b = classic();
    b.buf.truncate(b.buf.len() - 1);
    b.raw(b"\r\n");
    let end0 = b.buf.len();
    b.obj(6, "(new)");
    b.xref_table("/Root 1 0 R");
    b.buf.truncate(b.buf.len() - 1);
    let data = b.finish();
    let pdf = Pdf::parse(&data).unwrap();
    let revs = pdf.revisions();
    assert_eq!(revs[0].end, end0);
    assert_eq!(revs[0].eof_end, end0 - 2);
    assert_eq!(revs[1].end, data.len());
    assert_eq!(revs[1].eof_end, data.len());
}

#[test]
fn xref_stream_with_predictor_and_object_stream() {
    let mut b = Builder::new();
    b.objstm(
        10,
        &[
            (1, "<< /Type /Catalog /Pages 2 0 R /AcroForm 4 0 R >>"),
            (2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
            (4, "<< /Fields [] /Note (in an object stream) >>"),
        ],
    );
    b.obj(3, "<< /Type /Page /Parent 2 0 R >>");
    b.xref_stream(11, "/Root 1 0 R", true);
    let data = b.finish();
    let pdf = Pdf::parse(&data).unwrap();
    assert!(pdf.problems().is_empty(), "{:?}", pdf.problems());
    let rev = &pdf.revisions()[0];
    assert_eq!(rev.kind, XrefKind::Stream);
    assert_eq!(rev.entries[&2], Entry::Compressed { stream: 10, index: 1 });
    assert!(rev.trailer.has_type(b"XRef"));
    assert_eq!(rev.end, data.len());
    let catalog = pdf.catalog().unwrap();
    assert_eq!(catalog.span, 0..0, "objects from object streams have no file span");
    let acro = pdf.resolve(catalog.get(b"AcroForm").unwrap()).unwrap();
    assert_eq!(acro.as_dict().unwrap().get(b"Note").unwrap().as_str().unwrap().bytes, b"in an object stream");
    assert!(pdf.get(id(3)).unwrap().as_dict().unwrap().has_type(b"Page"));
    // A compressed object's span is its object stream's.
    let stm = pdf.object_span(id(10), 0).unwrap();
    assert_eq!(pdf.object_span(id(2), 0), Some(stm.clone()));
    assert!(data[stm].starts_with(b"10 0 obj"));
    // An incremental update with a second xref stream (no predictor).
    let mut b2 = Builder::new();
    b2.buf = data.clone();
    b2.prev = Some(pdf.revisions()[0].xref_offset);
    b2.obj(4, "<< /Fields [] /Note (updated) >>");
    b2.xref_stream(12, "/Root 1 0 R", false);
    let data2 = b2.finish();
    let pdf2 = Pdf::parse(&data2).unwrap();
    assert_eq!(pdf2.revisions().len(), 2);
    assert_eq!(pdf2.revisions()[0].end, data.len());
    let note = |o: Object| o.as_dict().unwrap().get(b"Note").unwrap().as_str().unwrap().bytes.clone();
    assert_eq!(note(pdf2.get(id(4)).unwrap()), b"updated");
    assert_eq!(note(pdf2.get_as_of(id(4), 0).unwrap()), b"in an object stream");
}

#[test]
fn hybrid_file() {
    let mut b = Builder::new();
    b.obj(1, "<< /Type /Catalog /Pages 2 0 R >>");
    b.obj(2, "<< /Type /Pages /Kids [] /Count 0 >>");
    b.objstm(10, &[(5, "<< /Hidden true >>"), (6, "(also hidden)")]);
    let xref = b.hybrid(11, "/Root 1 0 R");
    let data = b.finish();
    let pdf = Pdf::parse(&data).unwrap();
    assert!(pdf.problems().is_empty(), "{:?}", pdf.problems());
    let rev = &pdf.revisions()[0];
    assert_eq!(rev.kind, XrefKind::Hybrid);
    assert_eq!(rev.xref_offset, xref);
    assert_eq!(rev.sections.len(), 2);
    assert_eq!(rev.entries[&6], Entry::Compressed { stream: 10, index: 1 });
    assert_eq!(pdf.get(id(5)).unwrap().as_dict().unwrap().get(b"Hidden"), Some(&Object::Bool(true)));
    assert_eq!(pdf.get(id(6)).unwrap().as_str().unwrap().bytes, b"also hidden");
}

#[test]
fn hybrid_stream_overrides_free_table_entries() {
    // Hidden objects marked free in the table, as some writers do.
    let mut b = Builder::new();
    let one = b.obj(1, "<< /Type /Catalog >>");
    let stm_pos = b.objstm(10, &[(5, "(hidden)")]);
    let xs = b.buf.len();
    b.raw(b"11 0 obj\n<< /Type /XRef /Size 12 /W [1 4 2] /Index [5 1] /Length 7 >>\nstream\n");
    b.raw(&[2u8, 0, 0, 0, 10, 0, 0]);
    b.raw(b"\nendstream\nendobj\n");
    let xref = b.buf.len();
    let table = format!(
        "xref\n0 2\n0000000000 65535 f \n{one:010} 00000 n \n5 1\n0000000000 00001 f \n10 1\n{stm_pos:010} 00000 n \ntrailer\n<< /Size 12 /Root 1 0 R /XRefStm {xs} >>\nstartxref\n{xref}\n%%EOF\n"
    );
    b.raw(table.as_bytes());
    let data = b.finish();
    let pdf = Pdf::parse(&data).unwrap();
    assert_eq!(pdf.revisions()[0].kind, XrefKind::Hybrid);
    assert_eq!(pdf.get(id(5)).unwrap().as_str().unwrap().bytes, b"hidden");
}

/// A file of hand-written sections; `{A}`, `{B}` ... are replaced by the
/// 10-digit offset of the line that starts with `A:` (the label removed).
fn labelled(text: &str) -> Vec<u8> {
    // Placeholders as wide as the offsets that replace them.
    let mut text = text.to_string();
    for l in 'A'..='Z' {
        text = text.replace(&format!("{{{l}}}"), &format!("{{{l}}}#######"));
    }
    let mut out = String::new();
    let mut offsets = std::collections::BTreeMap::new();
    for line in text.split_inclusive('\n') {
        let line = match line.split_once(':') {
            Some((l, rest)) if l.len() == 1 && l.chars().all(|c| c.is_ascii_uppercase()) => {
                offsets.insert(l.to_string(), out.len());
                rest
            }
            _ => line,
        };
        out.push_str(line);
    }
    for (l, off) in offsets {
        out = out.replace(&format!("{{{l}}}#######"), &format!("{off:010}"));
    }
    out.into_bytes()
}

#[test]
fn prev_loop_is_an_error() {
    let mut b = classic();
    b.obj(6, "(x)");
    // The update's /Prev points to itself.
    let xref = b.buf.len();
    b.prev = Some(xref);
    b.xref_table("/Root 1 0 R");
    let data = b.finish();
    let e = Pdf::parse(&data).unwrap_err();
    assert_eq!(e, PdfError::PrevLoop { offset: xref });
    assert_eq!(e.to_string(), format!("/Prev loop: section at byte {xref} visited twice"));

    // A loop through two sections.
    let data = labelled(
        "%PDF-1.7\nO:1 0 obj << /Type /Catalog >> endobj\n\
         A:xref\n0 2\n0000000000 65535 f \n{O} 00000 n \ntrailer\n<< /Size 2 /Root 1 0 R /Prev {B} >>\nstartxref\n{A}\n%%EOF\n\
         B:xref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size 2 /Prev {A} >>\nstartxref\n{B}\n%%EOF\n",
    );
    let e = Pdf::parse(&data).unwrap_err();
    let b_at = rpos(&data, b"xref\n0 1");
    assert_eq!(e, PdfError::PrevLoop { offset: b_at });
}

#[test]
fn header_after_junk() {
    // Offsets relative to the header (junk prepended to a finished file).
    let mut b = Builder::with_prefix(b"From: mail gateway\r\nX-Junk: 1\r\n\r\n");
    b.obj(1, "<< /Type /Catalog >>");
    b.xref_table("/Root 1 0 R");
    let data = b.finish();
    let pdf = Pdf::parse(&data).unwrap();
    assert_eq!(pdf.header_offset(), 33);
    assert!(pdf.catalog().unwrap().has_type(b"Catalog"));
    assert_eq!(pdf.revisions()[0].end, data.len());
    assert_eq!(pdf.problems(), vec![Problem::HeaderNotAtStart { offset: 33, relative: true }]);
    assert_eq!(pdf.object_span(id(1), 0).unwrap().start, 33 + 15);

    // Offsets counted from byte 0 (the writer counted the junk).
    let mut b = Builder::with_prefix(b"\xef\xbb\xbf junk\n");
    b.absolute_offsets = true;
    b.obj(1, "<< /Type /Catalog >>");
    b.xref_table("/Root 1 0 R");
    let data = b.finish();
    let pdf = Pdf::parse(&data).unwrap();
    assert!(pdf.catalog().unwrap().has_type(b"Catalog"));
    assert_eq!(pdf.problems(), vec![Problem::HeaderNotAtStart { offset: 9, relative: false }]);

    // Too far: not a PDF.
    let mut far = vec![b' '; 2000];
    far.extend_from_slice(&classic().finish());
    assert_eq!(Pdf::parse(&far).unwrap_err(), PdfError::NoHeader);
}

#[test]
fn trailing_garbage_is_counted() {
    let mut data = classic().finish();
    let end = data.len();
    data.extend_from_slice(b"\n\n");
    assert_eq!(Pdf::parse(&data).unwrap().bytes_after_last_eof(), 0);
    data.extend_from_slice(b"<html>garbage</html>\r\n");
    let pdf = Pdf::parse(&data).unwrap();
    assert_eq!(pdf.bytes_after_last_eof(), 20);
    assert_eq!(pdf.revisions()[0].end, end);
}

#[test]
fn missing_or_loose_eof_is_a_problem() {
    // A comment between the trailer and startxref: the %%EOF is still found.
    let mut b = classic();
    b.obj(6, "(x)");
    let xref = b.buf.len();
    let t =
        format!("xref\n6 1\n{:010} 00000 n \ntrailer\n<< /Size 7 /Root 1 0 R /Prev {} >>\n% a comment\nstartxref\n{xref}\n%%EOF\n", xref - 18, b.prev.unwrap());
    b.raw(t.as_bytes());
    let data = b.finish();
    let pdf = Pdf::parse(&data).unwrap();
    assert_eq!(pdf.revisions()[1].end, data.len());
    assert!(matches!(pdf.problems()[..], [Problem::LooseEof { section, .. }] if section == xref));
    assert_eq!(pdf.get(id(6)).unwrap().as_str().unwrap().bytes, b"x");

    // No %%EOF at all after the last section.
    let mut data = classic().finish();
    data.truncate(data.len() - 6);
    let pdf = Pdf::parse(&data).unwrap();
    assert!(matches!(pdf.problems()[..], [Problem::MissingEof { .. }]), "{:?}", pdf.problems());
    assert_eq!(pdf.revisions()[0].end, data.len());
}

#[test]
fn startxref_pointing_elsewhere_is_a_problem() {
    let (mut data, _) = three_revisions();
    let pdf = Pdf::parse(&data).unwrap();
    let r0 = pdf.revisions()[0].clone();
    // Change revision 0's startxref value to a wrong (same-width) number.
    let at = r0.eof_end - 6 - 1 - 1;
    assert!(data[at].is_ascii_digit());
    data[at] = if data[at] == b'1' { b'2' } else { b'1' };
    let pdf = Pdf::parse(&data).unwrap();
    assert!(matches!(pdf.problems()[..], [Problem::StartxrefMismatch { section, .. }] if section == r0.xref_offset));
}

#[test]
fn linearized_first_page_section_joins_the_main_one() {
    // Annex F layout: a first-page section near the start whose /Prev points
    // forward to the main section at the end; startxref names the first.
    let mut data = b"%PDF-1.7\n".to_vec();
    let lin = data.len();
    data.extend_from_slice(b"9 0 obj\n<< /Linearized 1 >>\nendobj\n");
    let first_xref = data.len();
    // Placeholders fixed below: the main xref offset has 10 digits.
    let fp = format!("xref\n9 1\n{lin:010} 00000 n \ntrailer\n<< /Size 10 /Root 1 0 R /Prev {} >>\nstartxref\n0\n%%EOF\n", "##########");
    data.extend_from_slice(fp.as_bytes());
    let fp_end = data.len();
    let one = data.len();
    data.extend_from_slice(b"1 0 obj\n<< /Type /Catalog >>\nendobj\n");
    let main_xref = data.len();
    let main = format!("xref\n0 2\n0000000000 65535 f \n{one:010} 00000 n \ntrailer\n<< /Size 10 >>\nstartxref\n{first_xref}\n%%EOF\n");
    data.extend_from_slice(main.as_bytes());
    let text = String::from_utf8(data.clone()).unwrap();
    let hole = text.find("##########").unwrap();
    data[hole..hole + 10].copy_from_slice(format!("{main_xref:<10}").as_bytes());
    let pdf = Pdf::parse(&data).unwrap();
    assert!(pdf.problems().is_empty(), "{:?}", pdf.problems());
    assert_eq!(pdf.revisions().len(), 1);
    let rev = &pdf.revisions()[0];
    assert_eq!(rev.xref_offset, first_xref);
    assert_eq!(rev.sections, vec![first_xref, main_xref]);
    assert_eq!(rev.end, data.len());
    assert!(fp_end < rev.end);
    assert_eq!(rev.entries.keys().copied().collect::<Vec<_>>(), vec![0, 1, 9]);
    assert!(pdf.catalog().unwrap().has_type(b"Catalog"));
}
