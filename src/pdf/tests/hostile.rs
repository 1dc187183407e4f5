//! Hostile and damaged input: every failure is an error naming where, never
//! a panic, a hang or an unbounded allocation.

use super::builder::{classic, pos, rpos, Builder};
use crate::limits::{MAX_PDF_DEPTH, PDF_INFLATE_RATIO_FLOOR};
use crate::pdf::*;
use miniz_oxide::deflate::compress_to_vec_zlib;

/// Reads everything reachable: each entry of each revision, decoded streams.
fn walk(pdf: &Pdf<'_>) {
    let _ = pdf.catalog();
    for (i, rev) in pdf.revisions().iter().enumerate() {
        for num in rev.entries.keys().take(200) {
            for gen in [0, 1] {
                if let Ok(Object::Stream(s)) = pdf.get_as_of(ObjId::new(*num, gen), i) {
                    let _ = pdf.decode_stream(&s);
                }
                let _ = pdf.object_span(ObjId::new(*num, gen), i);
            }
        }
    }
    for (_, off) in pdf.scan_objects().take(200) {
        let _ = pdf.object_at(off);
    }
    let _ = pdf.problems();
}

fn sample_files() -> Vec<Vec<u8>> {
    let mut b = classic();
    b.obj(4, "<< /FT /Sig /V 5 0 R /Changed true >>");
    b.xref_table("/Root 1 0 R");
    let mut s = Builder::new();
    s.objstm(10, &[(1, "<< /Type /Catalog /Pages 2 0 R >>"), (2, "<< /Type /Pages /Kids [] /Count 0 >>")]);
    s.stream(3, "/Filter /FlateDecode", &compress_to_vec_zlib(b"content", 6));
    s.xref_stream(11, "/Root 1 0 R", true);
    vec![b.finish(), s.finish()]
}

/// Files from other writers, for the mutation test.
fn real_files() -> Vec<Vec<u8>> {
    vec![include_bytes!("../testdata/signed-xref-streams.pdf").to_vec(), include_bytes!("../testdata/signed-linearized.pdf").to_vec()]
}

#[test]
fn truncated_files_fail_cleanly() {
    for data in sample_files() {
        for n in 0..data.len() {
            if let Ok(pdf) = Pdf::parse(&data[..n]) {
                walk(&pdf);
            }
        }
    }
    // Cut right before the final startxref: what is left is the previous
    // revision and an unfinished update, reported as trailing bytes.
    let data = &sample_files()[0];
    let sx = rpos(data, b"startxref");
    let pdf = Pdf::parse(&data[..sx]).unwrap();
    assert_eq!(pdf.revisions().len(), 1);
    assert!(pdf.bytes_after_last_eof() > 0);
    // With a single revision, the same cut is an error.
    let data = &sample_files()[1];
    let e = Pdf::parse(&data[..rpos(data, b"startxref")]).unwrap_err();
    assert_eq!(e, PdfError::NoStartxref);
    let e = Pdf::parse(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog").unwrap_err();
    assert_eq!(e, PdfError::NoStartxref);
    assert_eq!(e.to_string(), "no 'startxref' in the last 1048576 bytes (truncated file?)");
    assert_eq!(Pdf::parse(b"").unwrap_err(), PdfError::NoHeader);
}

#[test]
fn truncated_table_says_where() {
    let data = classic().finish();
    let xref = pos(&data, b"xref\n", 0);
    let trailer = pos(&data, b"trailer", 0);
    let mut broken = data[..trailer].to_vec();
    broken.extend_from_slice(format!("startxref\n{xref}\n%%EOF\n").as_bytes());
    let e = Pdf::parse(&broken).unwrap_err();
    assert_eq!(e.to_string(), format!("xref table at byte {xref}: expected 'trailer'"));
}

#[test]
fn mutated_files_never_panic() {
    // A small deterministic generator (xorshift) flips, overwrites with
    // syntax, and deletes bytes.
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut rand = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let specials: &[&[u8]] = &[b"(", b")", b"<", b">", b"<<", b"[", b"]", b"R", b"obj", b"endobj", b"stream", b"9", b"-", b"/", b"%", b"\\"];
    // SIGAUDIT_FUZZ_ITERS raises the count for a longer run.
    let iters = std::env::var("SIGAUDIT_FUZZ_ITERS").ok().and_then(|v| v.parse().ok()).unwrap_or(1000);
    for data in sample_files().into_iter().chain(real_files()) {
        for _ in 0..iters {
            let mut d = data.clone();
            for _ in 0..1 + rand() % 4 {
                let at = (rand() as usize) % d.len();
                match rand() % 3 {
                    0 => d[at] = rand() as u8,
                    1 => {
                        let s = specials[(rand() as usize) % specials.len()];
                        let end = (at + s.len()).min(d.len());
                        d[at..end].copy_from_slice(&s[..end - at]);
                    }
                    _ => {
                        d.remove(at);
                    }
                }
            }
            if let Ok(pdf) = Pdf::parse(&d) {
                walk(&pdf);
            }
        }
    }
}

#[test]
fn deflate_bomb_hits_the_ratio_limit() {
    // 16 MiB of zeros deflated twice: about 100 bytes in the file.
    let once = compress_to_vec_zlib(&vec![0u8; 16 << 20], 9);
    let twice = compress_to_vec_zlib(&once, 9);
    let mut b = Builder::new();
    b.obj(1, "<< /Type /Catalog >>");
    let at = b.stream(2, "/Filter [/FlateDecode /FlateDecode]", &twice);
    b.xref_table("/Root 1 0 R");
    let data = b.finish();
    let pdf = Pdf::parse(&data).unwrap();
    let s = pdf.get(ObjId::new(2, 0)).unwrap().as_stream().unwrap().clone();
    let e = pdf.decode_stream(&s).unwrap_err();
    assert_eq!(e, PdfError::RatioExceeded { offset: s.data.start, raw: twice.len(), limit: PDF_INFLATE_RATIO_FLOOR });
    assert!(s.data.start > at);
    assert!(e.to_string().contains("decompresses beyond 1048576 bytes"), "{e}");
}

#[test]
fn deep_nesting_hits_the_limit() {
    let mut b = Builder::new();
    b.obj(1, "<< /Type /Catalog /Deep 2 0 R >>");
    let deep = "[".repeat(100_000) + &"]".repeat(100_000);
    let at = b.obj(2, &deep);
    let ok = "[".repeat(MAX_PDF_DEPTH) + &"]".repeat(MAX_PDF_DEPTH);
    b.obj(3, &ok);
    b.xref_table("/Root 1 0 R");
    let data = b.finish();
    let pdf = Pdf::parse(&data).unwrap();
    let e = pdf.get(ObjId::new(2, 0)).unwrap_err();
    assert_eq!(e, PdfError::TooDeep { offset: at + 8 + MAX_PDF_DEPTH });
    assert!(e.to_string().starts_with("arrays or dictionaries nested deeper than 64 levels at byte"));
    assert!(pdf.get(ObjId::new(3, 0)).is_ok());
}

#[test]
fn hostile_declarations_stay_bounded() {
    // An xref subsection declaring four billion entries.
    let data = b"%PDF-1.7\nxref\n0 4000000000\n0000000000 65535 f \ntrailer\n<< >>\nstartxref\n9\n%%EOF\n";
    let e = Pdf::parse(data).unwrap_err();
    assert!(matches!(e, PdfError::XrefTable { offset: 9, .. }), "{e}");
    // An xref stream whose /Index asks for more rows than the limit.
    let mut b = Builder::new();
    b.raw(b"1 0 obj\n<< /Type /XRef /Size 5 /W [1 1 1] /Index [0 4000000000] /Length 3 >>\nstream\nabc\nendstream\nendobj\n");
    b.raw(b"startxref\n15\n%%EOF\n");
    let e = Pdf::parse(&b.buf).unwrap_err();
    assert!(matches!(e, PdfError::XrefStream { .. } | PdfError::TooManyObjects { .. }), "{e}");
    // An object stream claiming a billion objects and a huge /First.
    let mut b = Builder::new();
    b.obj(1, "<< /Type /Catalog /X 5 0 R >>");
    b.stream(10, "/Type /ObjStm /N 1000000000 /First 2", b"5 0 (x)");
    let mut b2 = b;
    let xref = b2.buf.len();
    let t = format!(
        "xref\n0 2\n0000000000 65535 f \n{:010} 00000 n \n10 1\n{:010} 00000 n \ntrailer\n<< /Size 11 /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        15,
        15 + "1 0 obj\n<< /Type /Catalog /X 5 0 R >>\nendobj\n".len()
    );
    b2.raw(t.as_bytes());
    let data = b2.finish();
    let pdf = Pdf::parse(&data).unwrap();
    assert_eq!(pdf.get(ObjId::new(5, 0)).unwrap(), Object::Null, "not in the xref: null");
    walk(&pdf);
}

#[test]
fn object_stream_self_reference_is_bounded() {
    // Object 10 is declared compressed in object stream 10 itself.
    let mut b = Builder::new();
    b.obj(1, "<< /Type /Catalog >>");
    b.xref_table("/Root 1 0 R");
    let mut data = b.finish();
    let pdf = Pdf::parse(&data).unwrap();
    let prev = pdf.revisions()[0].xref_offset;
    let xs = data.len();
    let mut stm = format!("11 0 obj\n<< /Type /XRef /Size 12 /W [1 4 2] /Index [5 1 10 1] /Prev {prev} /Length 14 >>\nstream\n").into_bytes();
    stm.extend_from_slice(&[2, 0, 0, 0, 10, 0, 0, 2, 0, 0, 0, 10, 0, 0]);
    stm.extend_from_slice(format!("\nendstream\nendobj\nstartxref\n{xs}\n%%EOF\n").as_bytes());
    data.extend_from_slice(&stm);
    let pdf = Pdf::parse(&data).unwrap();
    assert!(matches!(pdf.get(ObjId::new(5, 0)), Err(PdfError::ObjStm { .. })));
}

#[test]
fn many_damaged_objects_cost_linear_time() {
    // 20,000 streams whose /Length is wrong, each followed by a long run of
    // filler: searching for `endstream` from each would be quadratic.
    let mut b = Builder::new();
    b.obj(1, "<< /Type /Catalog >>");
    let filler = "%".repeat(100);
    for n in 2..20_002 {
        b.obj(n, &format!("<< /Length 1 >>\nstream\ndata{filler}\nendstream"));
    }
    b.xref_table("/Root 1 0 R");
    let data = b.finish();
    let pdf = Pdf::parse(&data).unwrap();
    let t = std::time::Instant::now();
    for n in 2..20_002 {
        let s = pdf.get(ObjId::new(n, 0)).unwrap();
        assert_eq!(s.as_stream().unwrap().data.len(), 104);
    }
    assert_eq!(pdf.problems().len(), 20_000.min(crate::limits::MAX_PDF_PROBLEMS));
    assert!(t.elapsed().as_secs() < 20, "{:?}", t.elapsed());
}
