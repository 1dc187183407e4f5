//! Finding `n g obj` headers by scanning the raw bytes, independently of
//! the cross-reference sections: to find objects no section or field points
//! to (an unreferenced signature dictionary), and to repair wrong offsets.

use super::lexer::{find, is_regular, is_ws};
use super::object::ObjId;
use crate::limits::MAX_PDF_OBJECTS;
use std::collections::BTreeMap;

/// Most white-space bytes between the parts of a header (`12 0 obj`) that
/// the scan accepts, so walking back from each `obj` stays cheap.
const MAX_HEADER_GAP: usize = 64;

/// Iterates every `n g obj` header of the file, in file order, yielding the
/// object id and the offset of its first digit; stops after
/// [`MAX_PDF_OBJECTS`] headers (see [`ObjectScan::hit_limit`]).
///
/// This is a textual scan: a header inside an uncompressed stream's data or
/// a comment is reported too. Callers should treat results as candidates
/// (parse them with [`super::Pdf::object_at`]).
#[derive(Clone, Debug)]
pub struct ObjectScan<'a> {
    data: &'a [u8],
    pos: usize,
    count: usize,
    hit_limit: bool,
}

impl<'a> ObjectScan<'a> {
    pub(super) fn new(data: &'a [u8]) -> ObjectScan<'a> {
        ObjectScan { data, pos: 0, count: 0, hit_limit: false }
    }

    /// True when the scan stopped at [`MAX_PDF_OBJECTS`] headers.
    pub fn hit_limit(&self) -> bool {
        self.hit_limit
    }

    /// The header whose `obj` keyword starts at `kw`, if the bytes before
    /// it are `num gen` with white space between.
    fn header_before(&self, kw: usize) -> Option<(ObjId, usize)> {
        let data = self.data;
        let gap = |end: usize| -> Option<usize> {
            let n = data[..end].iter().rev().take(MAX_HEADER_GAP + 1).take_while(|b| is_ws(**b)).count();
            (1..=MAX_HEADER_GAP).contains(&n).then(|| end - n)
        };
        let digits = |end: usize, max: usize| -> Option<(u64, usize)> {
            let n = data[..end].iter().rev().take(max + 1).take_while(|b| b.is_ascii_digit()).count();
            if n == 0 || n > max {
                return None;
            }
            let v = data[end - n..end].iter().fold(0u64, |a, d| a * 10 + u64::from(d - b'0'));
            Some((v, end - n))
        };
        let gen_end = gap(kw)?;
        let (gen, gen_start) = digits(gen_end, 5)?;
        let num_end = gap(gen_start)?;
        let (num, num_start) = digits(num_end, 10)?;
        if num_start > 0 && is_regular(data[num_start - 1]) {
            return None;
        }
        Some((ObjId { num: u32::try_from(num).ok()?, gen: u16::try_from(gen).ok()? }, num_start))
    }
}

impl Iterator for ObjectScan<'_> {
    type Item = (ObjId, usize);

    fn next(&mut self) -> Option<(ObjId, usize)> {
        loop {
            if self.count >= MAX_PDF_OBJECTS {
                self.hit_limit = true;
                return None;
            }
            let kw = find(self.data, b"obj", self.pos)?;
            self.pos = kw + 3;
            if self.data.get(kw + 3).is_some_and(|b| is_regular(*b)) {
                continue;
            }
            if let Some(found) = self.header_before(kw) {
                self.count += 1;
                return Some(found);
            }
        }
    }
}

/// Every header position of each object id, built once when needed.
#[derive(Debug, Default)]
pub(super) struct ScanIndex {
    map: BTreeMap<ObjId, Vec<usize>>,
}

impl ScanIndex {
    pub fn build(scan: &mut ObjectScan<'_>) -> ScanIndex {
        let mut map: BTreeMap<ObjId, Vec<usize>> = BTreeMap::new();
        for (id, offset) in scan {
            map.entry(id).or_default().push(offset);
        }
        ScanIndex { map }
    }

    /// The last header of `id` before `bound` (the definition a revision
    /// ending there sees), or else the first one after it.
    pub fn find(&self, id: ObjId, bound: usize) -> Option<usize> {
        let offsets = self.map.get(&id)?;
        offsets.iter().rev().find(|o| **o < bound).or(offsets.first()).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_headers_not_lookalikes() {
        let data = b"1 0 obj\n<<>>\nendobj\n  12   3 obj<<>>endobj x5 0 obj 7 0 objx 8 0 obj\n99999999999 0 obj 4\n0\nobj";
        let found: Vec<_> = ObjectScan::new(data).collect();
        assert_eq!(found, vec![(ObjId::new(1, 0), 0), (ObjId::new(12, 3), 22), (ObjId::new(8, 0), 61), (ObjId::new(4, 0), 87)]);
        let mut scan = ObjectScan::new(data);
        let index = ScanIndex::build(&mut scan);
        assert!(!scan.hit_limit());
        assert_eq!(index.find(ObjId::new(12, 3), 10), Some(22));
        assert_eq!(index.find(ObjId::new(2, 0), 10), None);
    }
}
