//! Objects, strings, streams and the object scan, read through a [`Pdf`].

use super::builder::{classic, pos, Builder};
use crate::pdf::*;
use miniz_oxide::deflate::compress_to_vec_zlib;

fn id(num: u32) -> ObjId {
    ObjId::new(num, 0)
}

#[test]
fn strings_keep_their_exact_span() {
    let mut b = Builder::new();
    b.obj(1, "<< /Type /Catalog >>");
    let sig = b.obj(2, "<< /Type /Sig /Name (Ann \\(Signer\\) (nested (parens)) \\\\ caf\\351\r\nend) /Contents <30 82 0a\n00 0> /ByteRange [0 10 20 30] >>");
    b.xref_table("/Root 1 0 R");
    let data = b.finish();
    let pdf = Pdf::parse(&data).unwrap();
    let obj = pdf.get(id(2)).unwrap();
    let d = obj.as_dict().unwrap();
    let name = d.get(b"Name").unwrap().as_str().unwrap();
    assert_eq!(name.bytes, b"Ann (Signer) (nested (parens)) \\ caf\xe9\nend".to_vec());
    assert!(!name.hex);
    assert_eq!(&data[name.span.clone()], b"(Ann \\(Signer\\) (nested (parens)) \\\\ caf\\351\r\nend)");
    let contents = d.get(b"Contents").unwrap().as_str().unwrap();
    assert!(contents.hex);
    assert_eq!(contents.bytes, vec![0x30, 0x82, 0x0a, 0x00, 0x00]);
    let lt = pos(&data, b"/Contents <", sig) + 10;
    assert_eq!(contents.span.start, lt);
    assert_eq!(&data[contents.span.clone()], b"<30 82 0a\n00 0>");
    assert_eq!(&data[d.span.clone()][..2], b"<<");
    assert!(data[d.span.clone()].ends_with(b">>"));
    assert_eq!(d.get(b"ByteRange").unwrap().as_array().unwrap().iter().map(|o| o.as_int().unwrap()).collect::<Vec<_>>(), vec![0, 10, 20, 30]);
}

#[test]
fn streams_decode_and_lengths_resolve() {
    let mut b = Builder::new();
    b.obj(1, "<< /Type /Catalog >>");
    let z = compress_to_vec_zlib(b"BT /F1 12 Tf (Hello) Tj ET", 6);
    b.stream(2, "/Filter /FlateDecode", &z);
    b.stream(3, "/Filter [/ASCIIHexDecode /FlateDecode]", hex(&z).as_bytes());
    b.stream(4, "", b"plain data");
    b.stream(5, "/Filter /DCTDecode", b"\xff\xd8\xff");
    // Indirect /Length (object 7) and a wrong /Length.
    b.obj(6, "<< /Length 7 0 R >>\nstream\nindirect length\nendstream");
    b.obj(7, "15");
    let eight = b.obj(8, "<< /Length 3 >>\nstream\nwrong length\nendstream");
    b.obj(9, "<< /Length 99 0 R >>\nstream\ndangling length\nendstream");
    b.xref_table("/Root 1 0 R");
    let data = b.finish();
    let pdf = Pdf::parse(&data).unwrap();
    let stream = |n| pdf.get(id(n)).unwrap().as_stream().unwrap().clone();
    assert_eq!(pdf.decode_stream(&stream(2)).unwrap(), b"BT /F1 12 Tf (Hello) Tj ET");
    assert_eq!(pdf.decode_stream(&stream(3)).unwrap(), b"BT /F1 12 Tf (Hello) Tj ET");
    assert_eq!(pdf.decode_stream(&stream(4)).unwrap(), b"plain data");
    assert!(matches!(pdf.decode_stream(&stream(5)), Err(PdfError::UnsupportedFilter { filter, .. }) if filter == "DCTDecode"));
    assert_eq!(&data[stream(6).data], b"indirect length");
    assert!(pdf.problems().is_empty(), "{:?}", pdf.problems());
    assert_eq!(&data[stream(8).data], b"wrong length");
    assert_eq!(pdf.problems(), vec![Problem::StreamLength { offset: eight, declared: Some(3), actual: 12 }]);
    assert_eq!(&data[stream(9).data], b"dangling length");
    assert_eq!(pdf.problems().len(), 2);
}

fn hex(data: &[u8]) -> String {
    data.iter().map(|b| format!("{b:02x}")).collect::<String>() + ">"
}

#[test]
fn references_resolve_with_cycle_detection() {
    let mut b = Builder::new();
    b.obj(1, "<< /Type /Catalog /A 2 0 R /Loop 3 0 R >>");
    b.obj(2, "4 0 R");
    b.obj(3, "5 0 R");
    b.obj(4, "(end of chain)");
    b.obj(5, "3 0 R");
    b.xref_table("/Root 1 0 R");
    let data = b.finish();
    let pdf = Pdf::parse(&data).unwrap();
    let cat = pdf.catalog().unwrap();
    assert_eq!(pdf.resolve(cat.get(b"A").unwrap()).unwrap().as_str().unwrap().bytes, b"end of chain");
    let e = pdf.resolve(cat.get(b"Loop").unwrap()).unwrap_err();
    assert_eq!(e, PdfError::RefCycle { id: id(3) });
    assert_eq!(pdf.resolve(&Object::Int(3)).unwrap(), Object::Int(3));
}

#[test]
fn wrong_xref_offsets_are_repaired_and_recorded() {
    let mut b = classic();
    // Revision 1 redefines 4; its xref entry points 3 bytes too far, into
    // the middle of the header (`0 obj` would read as the wrong object).
    let four = b.obj(4, "<< /FT /Sig /T (moved) >>");
    b.set_offset(4, four + 2);
    // Object 6's entry points at the white space before its header: fine.
    b.raw(b"\r\n  ");
    let six = b.obj(6, "(six)");
    b.set_offset(6, six - 4);
    // Object 7's entry points past the end of the file.
    b.obj(7, "(seven)");
    b.set_offset(7, 10_000_000);
    b.xref_table("/Root 1 0 R");
    let data = b.finish();
    let pdf = Pdf::parse(&data).unwrap();
    assert!(pdf.problems().is_empty());
    assert_eq!(pdf.get(id(6)).unwrap().as_str().unwrap().bytes, b"six");
    assert!(pdf.problems().is_empty(), "white space before the header is fine");
    let moved = pdf.get(id(4)).unwrap();
    assert_eq!(moved.as_dict().unwrap().get(b"T").unwrap().as_str().unwrap().bytes, b"moved");
    assert_eq!(pdf.problems(), vec![Problem::ObjectMoved { id: id(4), declared: (four + 2) as u64, found: four }]);
    assert_eq!(pdf.object_span(id(4), 1).unwrap().start, four);
    // The old revision's object 4 is still the old one.
    assert!(pdf.get_as_of(id(4), 0).unwrap().as_dict().unwrap().get(b"V").is_some());
    assert_eq!(pdf.get(id(7)).unwrap().as_str().unwrap().bytes, b"seven");
    assert_eq!(pdf.problems().len(), 2);
    // An object that is nowhere: an error naming the offset.
    let mut b = classic();
    b.set_offset(9, 20);
    b.xref_table("/Root 1 0 R");
    let data = b.finish();
    let pdf = Pdf::parse(&data).unwrap();
    let e = pdf.get(id(9)).unwrap_err();
    assert_eq!(e, PdfError::ObjectNotFound { id: id(9), offset: Some(20) });
    assert_eq!(e.to_string(), "object 9 0 R is not at byte 20, where the xref puts it, nor anywhere else in the file");
}

#[test]
fn scan_finds_unreferenced_objects() {
    let mut b = classic();
    let orphan = b.obj(20, "<< /Type /Sig /Contents <00> >>");
    b.xref_table("/Root 1 0 R");
    let data = b.finish();
    let pdf = Pdf::parse(&data).unwrap();
    let found: Vec<(ObjId, usize)> = pdf.scan_objects().collect();
    assert_eq!(found.iter().map(|(i, _)| i.num).collect::<Vec<_>>(), vec![1, 2, 3, 4, 5, 20]);
    assert_eq!(found[5], (id(20), orphan));
    let obj = pdf.object_at(orphan).unwrap();
    assert_eq!(obj.id, id(20));
    assert!(obj.object.as_dict().unwrap().has_type(b"Sig"));
    assert!(data[obj.span].ends_with(b"endobj"));
    assert!(pdf.object_at(orphan + 3).is_err());
}

#[test]
fn dictionaries_report_duplicate_keys() {
    let mut b = Builder::new();
    b.obj(1, "<< /Type /Catalog /AcroForm 2 0 R /AcroForm 3 0 R >>");
    b.xref_table("/Root 1 0 R");
    let data = b.finish();
    let pdf = Pdf::parse(&data).unwrap();
    let cat = pdf.catalog().unwrap();
    assert_eq!(cat.duplicates(), &[b"AcroForm".to_vec()]);
    assert_eq!(cat.get(b"AcroForm"), Some(&Object::Ref(id(3))));
}

#[test]
fn offset_audit_finds_faults_in_objects_nobody_reads() {
    let mut b = classic();
    // Revision 1 adds objects no catalog entry reaches: 4 with an offset 2
    // bytes into its header, 6 whose entry leads nowhere and which the file
    // does not hold, and 7 whose offset is right.
    let four = b.obj(4, "(unreferenced)");
    b.set_offset(4, four + 2);
    b.set_offset(6, 12);
    b.obj(7, "(fine)");
    b.xref_table("/Root 1 0 R");
    let data = b.finish();
    let pdf = Pdf::parse(&data).unwrap();
    assert!(pdf.problems().is_empty(), "parsing reads no object body");
    pdf.audit_offsets();
    assert_eq!(
        pdf.problems(),
        vec![Problem::ObjectMoved { id: id(4), declared: (four + 2) as u64, found: four }, Problem::ObjectMissing { id: id(6), declared: 12 },]
    );
    // Auditing twice, or reading the moved object, lists each fault once.
    pdf.audit_offsets();
    assert_eq!(pdf.get(id(4)).unwrap().as_str().unwrap().bytes, b"unreferenced");
    assert_eq!(pdf.problems().len(), 2);
}

#[test]
fn offset_audit_of_a_clean_file_finds_nothing() {
    let mut b = classic();
    b.obj(4, "(four)");
    b.xref_table("/Root 1 0 R");
    let data = b.finish();
    let pdf = Pdf::parse(&data).unwrap();
    pdf.audit_offsets();
    assert!(pdf.problems().is_empty(), "{:?}", pdf.problems());
}
