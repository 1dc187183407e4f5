//! One pass over a PDF's bytes for every SHA-256 the report needs.
//!
//! A report shows the file's SHA-256, and each signature's integrity check
//! hashes its ByteRange `[0, a) ++ [b, b + c)`. The first part is a prefix of the
//! file, usually almost all of it (the signature sits in the last revision), so
//! the file is hashed once: the SHA-256 state is copied at each `a`, and only
//! the short second parts are hashed again. A 100 MB signed PDF then costs one
//! SHA-256 pass instead of three.

use super::byterange::ByteRange;
use crate::crypto::Hash;
use crate::pdf::Pdf;
use ring::digest::{Context, SHA256};

/// Digests computed ahead of verification.
#[derive(Clone, Debug, Default)]
pub struct Prehashed {
    /// SHA-256 of `[0 a b c]` ranges.
    pub sha256_ranges: Vec<(ByteRange, Vec<u8>)>,
}

impl Prehashed {
    /// The digest of `br` under `hash`, from the plan when it was computed there.
    pub fn digest(&self, data: &[u8], br: &ByteRange, hash: Hash) -> Vec<u8> {
        if hash == Hash::Sha256 {
            if let Some((_, d)) = self.sha256_ranges.iter().find(|(r, _)| r == br) {
                return d.clone();
            }
        }
        super::byterange::digest_ranges(data, br, hash)
    }
}

/// The ByteRanges of the signatures in a PDF's form fields, read cheaply
/// (structure and AcroForm only); empty when the file does not open.
pub fn planned_ranges(data: &[u8]) -> Vec<ByteRange> {
    let Ok(pdf) = Pdf::parse(data) else { return Vec::new() };
    super::find::field_signatures(&pdf).iter().filter_map(|s| super::byterange::check_byte_range(&pdf, &s.dict).1).collect()
}

/// The file's SHA-256 and the SHA-256 of each range, in one pass plus the
/// ranges' second parts.
pub fn hash_file(data: &[u8], ranges: &[ByteRange]) -> ([u8; 32], Prehashed) {
    let mut sorted: Vec<ByteRange> = ranges.iter().copied().filter(|r| r.b + r.c <= data.len() && r.a <= data.len()).collect();
    sorted.sort_by_key(|r| r.a);
    sorted.dedup();
    let mut whole = Context::new(&SHA256);
    let mut pos = 0;
    let mut pre = Prehashed::default();
    for r in &sorted {
        whole.update(&data[pos..r.a]);
        pos = r.a;
        let mut part = whole.clone();
        part.update(&data[r.b..r.b + r.c]);
        pre.sha256_ranges.push((*r, part.finish().as_ref().to_vec()));
    }
    whole.update(&data[pos..]);
    let mut out = [0u8; 32];
    out.copy_from_slice(whole.finish().as_ref());
    (out, pre)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::sha256;

    #[test]
    fn shared_prefix_gives_the_same_digests() {
        let data: Vec<u8> = (0..10_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let ranges = [ByteRange { a: 100, b: 300, c: 9_700 }, ByteRange { a: 5_000, b: 6_000, c: 100 }];
        let (whole, pre) = hash_file(&data, &ranges);
        assert_eq!(whole, sha256(&data));
        for r in ranges {
            let direct = crate::crypto::Hash::Sha256.digest_parts(&[&data[..r.a], &data[r.b..r.b + r.c]]);
            assert_eq!(pre.digest(&data, &r, Hash::Sha256), direct);
        }
    }
}
