#![no_main]
// The PDF reader: xref, objects, streams, revisions, object streams.
use sigaudit::pdf::{ObjId, Pdf};
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(pdf) = Pdf::parse(data) else { return };
    let _ = pdf.catalog();
    for (i, rev) in pdf.revisions().iter().enumerate().take(8) {
        for (&num, _) in rev.entries.iter().take(64) {
            if let Ok(obj) = pdf.get_as_of(ObjId { num, gen: 0 }, i) {
                let _ = pdf.resolve(&obj);
                if let Some(s) = obj.as_stream() {
                    let _ = pdf.decode_stream(s);
                }
            }
        }
    }
    for (id, off) in pdf.scan_objects().take(256) {
        let _ = pdf.object_at(off);
        let _ = pdf.get(id);
    }
});
