//! Stream filters (ISO 32000-1 §7.4): FlateDecode (§7.4.4) with the PNG and
//! TIFF predictors of its `/DecodeParms`, ASCIIHexDecode (§7.4.2),
//! ASCII85Decode (§7.4.3) and RunLengthDecode (§7.4.5). The
//! decoded size of a stream is bounded absolutely and relative to its raw
//! size (see [`crate::limits::MAX_PDF_INFLATE_RATIO`]).

use super::error::PdfError;
use super::lexer::decode_hex;
use super::object::{Dict, Object};
use crate::limits::{MAX_PDF_FILTERS, MAX_PDF_INFLATE_RATIO, MAX_PDF_STREAM_BYTES, PDF_INFLATE_RATIO_FLOOR};
use miniz_oxide::inflate::{decompress_to_vec_with_limit, decompress_to_vec_zlib_with_limit, TINFLStatus};

/// Bounds on one stream's decoded size.
#[derive(Clone, Copy, Debug)]
pub(super) struct DecodeLimits {
    /// Absolute bound.
    pub max: usize,
    /// Decoded size per raw byte.
    pub ratio: usize,
    /// Size allowed whatever the ratio.
    pub floor: usize,
}

impl DecodeLimits {
    pub const DEFAULT: DecodeLimits = DecodeLimits { max: MAX_PDF_STREAM_BYTES, ratio: MAX_PDF_INFLATE_RATIO, floor: PDF_INFLATE_RATIO_FLOOR };

    /// The bound for a stream of `raw` bytes, and whether the ratio sets it.
    fn for_raw(&self, raw: usize) -> (usize, bool) {
        let by_ratio = raw.saturating_mul(self.ratio).max(self.floor);
        if by_ratio < self.max {
            (by_ratio, true)
        } else {
            (self.max, false)
        }
    }
}

/// One filter of a stream with its parameters.
pub(super) struct Filter {
    pub name: Vec<u8>,
    pub params: Option<Dict>,
}

/// The filters of a stream dictionary (§7.3.8.2 `/Filter`, `/DecodeParms`),
/// with `resolve` following indirect references.
pub(super) fn filters_of(dict: &Dict, offset: usize, resolve: &dyn Fn(&Object) -> Result<Object, PdfError>) -> Result<Vec<Filter>, PdfError> {
    let bad = |problem: &str| PdfError::BadStreamData { offset, problem: problem.to_string() };
    let names: Vec<Vec<u8>> = match dict.get(b"Filter").map(resolve).transpose()? {
        None | Some(Object::Null) => Vec::new(),
        Some(Object::Name(n)) => vec![n],
        Some(Object::Array(items)) => {
            if items.len() > MAX_PDF_FILTERS {
                return Err(bad(&format!("more than {MAX_PDF_FILTERS} filters")));
            }
            let mut names = Vec::new();
            for item in &items {
                match resolve(item)? {
                    Object::Name(n) => names.push(n),
                    _ => return Err(bad("/Filter array holds a non-name")),
                }
            }
            names
        }
        Some(_) => return Err(bad("/Filter is neither a name nor an array")),
    };
    let params: Vec<Option<Dict>> = match dict.get(b"DecodeParms").map(resolve).transpose()? {
        None | Some(Object::Null) => Vec::new(),
        Some(Object::Dict(d)) => vec![Some(d)],
        Some(Object::Array(items)) => {
            let mut out = Vec::new();
            for item in items.iter().take(MAX_PDF_FILTERS) {
                out.push(match resolve(item)? {
                    Object::Dict(d) => Some(d),
                    _ => None,
                });
            }
            out
        }
        Some(_) => return Err(bad("/DecodeParms is neither a dictionary nor an array")),
    };
    let mut params = params.into_iter();
    Ok(names.into_iter().map(|name| Filter { name, params: params.next().flatten() }).collect())
}

/// Applies `filters` to the raw data of the stream at `offset`.
pub(super) fn decode(raw: &[u8], offset: usize, filters: &[Filter], limits: DecodeLimits) -> Result<Vec<u8>, PdfError> {
    let (limit, by_ratio) = limits.for_raw(raw.len());
    let too_large = || {
        if by_ratio {
            PdfError::RatioExceeded { offset, raw: raw.len(), limit }
        } else {
            PdfError::DecodedTooLarge { offset, limit }
        }
    };
    if raw.len() > limit {
        return Err(too_large());
    }
    let mut data = raw.to_vec();
    for f in filters {
        data = match f.name.as_slice() {
            b"FlateDecode" | b"Fl" => {
                let inflated = inflate(&data, offset, limit).map_err(|e| e.unwrap_or_else(too_large))?;
                predict(inflated, f.params.as_ref(), offset)?
            }
            b"ASCIIHexDecode" | b"AHx" => decode_hex(&data)
                .map_err(|i| PdfError::BadStreamData { offset, problem: format!("ASCIIHexDecode: byte {i} of the encoded data is not a hex digit") })?,
            b"ASCII85Decode" | b"A85" => ascii85(&data, limit).map_err(|e| {
                e.map_or_else(too_large, |i| PdfError::BadStreamData { offset, problem: format!("ASCII85Decode: bad data at byte {i} of the encoded data") })
            })?,
            b"RunLengthDecode" | b"RL" => run_length(&data, limit).ok_or_else(too_large)?,
            other => return Err(PdfError::UnsupportedFilter { offset, filter: String::from_utf8_lossy(other).into_owned() }),
        };
    }
    Ok(data)
}

/// ASCII85Decode (§7.4.3): groups of five characters `!` to `u` for four
/// bytes, `z` for four zeros, white space ignored, `~>` ends the data; a
/// final group of n characters gives n - 1 bytes. `Err(Some(i))` names the
/// bad input byte, `Err(None)` means over `limit`.
fn ascii85(data: &[u8], limit: usize) -> Result<Vec<u8>, Option<usize>> {
    let mut out = Vec::with_capacity(data.len() / 5 * 4 + 4);
    let mut group = [0u8; 5];
    let mut n = 0;
    let body = data.strip_prefix(b"<~").unwrap_or(data);
    let skipped = data.len() - body.len();
    for (i, &c) in body.iter().enumerate() {
        match c {
            b'~' => break,
            b'z' if n == 0 => out.extend_from_slice(&[0; 4]),
            b'!'..=b'u' => {
                group[n] = c - b'!';
                n += 1;
                if n == 5 {
                    let v = group.iter().fold(0u64, |acc, d| acc * 85 + u64::from(*d));
                    let v = u32::try_from(v).map_err(|_| Some(skipped + i))?;
                    out.extend_from_slice(&v.to_be_bytes());
                    n = 0;
                }
            }
            c if super::lexer::is_ws(c) => {}
            _ => return Err(Some(skipped + i)),
        }
        if out.len() > limit {
            return Err(None);
        }
    }
    match n {
        0 => {}
        1 => return Err(Some(data.len())),
        _ => {
            group[n..].fill(b'u' - b'!');
            let v = group.iter().fold(0u64, |acc, d| acc * 85 + u64::from(*d));
            let v = u32::try_from(v).map_err(|_| Some(data.len()))?;
            out.extend_from_slice(&v.to_be_bytes()[..n - 1]);
        }
    }
    Ok(out)
}

/// RunLengthDecode (§7.4.5): a length byte 0 to 127 copies the next 1 to
/// 128 bytes, 129 to 255 repeats the next byte 2 to 128 times, 128 ends the
/// data (as does a short final run). `None` means over `limit`.
fn run_length(data: &[u8], limit: usize) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(data.len());
    let mut i = 0;
    while let Some(&len) = data.get(i) {
        match len {
            0..=127 => {
                let end = (i + 2 + len as usize).min(data.len());
                out.extend_from_slice(&data[i + 1..end]);
                i = end;
            }
            128 => break,
            _ => {
                let Some(&b) = data.get(i + 1) else { break };
                out.resize(out.len() + 257 - len as usize, b);
                i += 2;
            }
        }
        if out.len() > limit {
            return None;
        }
    }
    Some(out)
}

/// Inflates zlib data (RFC 1950), or raw deflate (RFC 1951) when the zlib
/// header is missing, as some writers do. `Err(None)` means over `limit`.
fn inflate(input: &[u8], offset: usize, limit: usize) -> Result<Vec<u8>, Option<PdfError>> {
    let zlib = match input {
        [cmf, flg, ..] => cmf & 0x0f == 8 && (u16::from(*cmf) << 8 | u16::from(*flg)) % 31 == 0,
        _ => false,
    };
    let result = if zlib { decompress_to_vec_zlib_with_limit(input, limit) } else { decompress_to_vec_with_limit(input, limit) };
    result.map_err(|e| match e.status {
        TINFLStatus::HasMoreOutput => None,
        status => Some(PdfError::BadStreamData { offset, problem: format!("corrupt FlateDecode data ({status:?})") }),
    })
}

/// Undoes a predictor (§7.4.4.4, Table 8): 1 none, 2 TIFF (8 bits per
/// component), 10 to 15 PNG (each row tagged with its own PNG filter).
fn predict(data: Vec<u8>, params: Option<&Dict>, offset: usize) -> Result<Vec<u8>, PdfError> {
    let Some(params) = params else { return Ok(data) };
    let bad = |problem: String| PdfError::BadStreamData { offset, problem };
    let get = |key: &[u8], default: i64| params.get_int(key).unwrap_or(default);
    let predictor = get(b"Predictor", 1);
    if predictor == 1 {
        return Ok(data);
    }
    let colors = get(b"Colors", 1);
    let bpc = get(b"BitsPerComponent", 8);
    let columns = get(b"Columns", 1);
    if !(1..=256).contains(&colors) || ![1, 2, 4, 8, 16].contains(&bpc) || !(1..=1 << 24).contains(&columns) {
        return Err(bad(format!("bad predictor parameters (/Colors {colors} /BitsPerComponent {bpc} /Columns {columns})")));
    }
    // Bounded above: at most 256 * 16 * 2^24 bits.
    let bits_per_pixel = (colors * bpc) as usize;
    let bpp = bits_per_pixel.div_ceil(8);
    let row = (bits_per_pixel * columns as usize).div_ceil(8);
    match predictor {
        2 if bpc == 8 => Ok(tiff(data, row, bpp)),
        2 => Err(bad(format!("TIFF predictor with {bpc} bits per component is not supported"))),
        10..=15 => png(&data, row, bpp).map_err(|t| bad(format!("unknown PNG filter type {t}"))),
        p => Err(bad(format!("unknown predictor {p}"))),
    }
}

/// TIFF predictor 2 for 8-bit components: each byte adds the one a pixel before.
fn tiff(mut data: Vec<u8>, row: usize, bpp: usize) -> Vec<u8> {
    for line in data.chunks_mut(row) {
        for i in bpp..line.len() {
            line[i] = line[i].wrapping_add(line[i - bpp]);
        }
    }
    data
}

/// PNG predictors (RFC 2083 §6): each row starts with its filter type. A
/// short final row is decoded as far as it goes.
fn png(data: &[u8], row: usize, bpp: usize) -> Result<Vec<u8>, u8> {
    let mut out = Vec::with_capacity(data.len());
    let mut prev = vec![0u8; row];
    for chunk in data.chunks(row + 1) {
        let (&ft, cur) = match chunk.split_first() {
            Some(x) => x,
            None => break,
        };
        let mut line = cur.to_vec();
        for i in 0..line.len() {
            let left = if i >= bpp { line[i - bpp] } else { 0 };
            let up = prev[i];
            let up_left = if i >= bpp { prev[i - bpp] } else { 0 };
            let add = match ft {
                0 => 0,
                1 => left,
                2 => up,
                3 => ((u16::from(left) + u16::from(up)) / 2) as u8,
                4 => paeth(left, up, up_left),
                t => return Err(t),
            };
            line[i] = line[i].wrapping_add(add);
        }
        prev[..line.len()].copy_from_slice(&line);
        out.extend_from_slice(&line);
    }
    Ok(out)
}

fn paeth(a: u8, b: u8, c: u8) -> u8 {
    let p = i16::from(a) + i16::from(b) - i16::from(c);
    let (pa, pb, pc) = ((p - i16::from(a)).abs(), (p - i16::from(b)).abs(), (p - i16::from(c)).abs());
    if pa <= pb && pa <= pc {
        a
    } else if pb <= pc {
        b
    } else {
        c
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use miniz_oxide::deflate::compress_to_vec_zlib;

    fn flate() -> Vec<Filter> {
        vec![Filter { name: b"FlateDecode".to_vec(), params: None }]
    }

    #[test]
    fn flate_and_hex() {
        let z = compress_to_vec_zlib(b"hello hello hello", 6);
        assert_eq!(decode(&z, 0, &flate(), DecodeLimits::DEFAULT).unwrap(), b"hello hello hello");
        let raw = miniz_oxide::deflate::compress_to_vec(b"raw deflate", 6);
        assert_eq!(decode(&raw, 0, &flate(), DecodeLimits::DEFAULT).unwrap(), b"raw deflate");
        let hex = vec![Filter { name: b"AHx".to_vec(), params: None }];
        assert_eq!(decode(b"68 65 6C6C 6f7>", 0, &hex, DecodeLimits::DEFAULT).unwrap(), b"hellop");
        assert!(matches!(decode(b"6x", 0, &hex, DecodeLimits::DEFAULT), Err(PdfError::BadStreamData { .. })));
        let dct = vec![Filter { name: b"DCTDecode".to_vec(), params: None }];
        let e = decode(b"", 9, &dct, DecodeLimits::DEFAULT).unwrap_err();
        assert_eq!(e.to_string(), "stream at byte 9 uses the unsupported filter /DCTDecode");
        assert!(matches!(decode(b"\x78\x9cgarbage", 0, &flate(), DecodeLimits::DEFAULT), Err(PdfError::BadStreamData { .. })));
    }

    #[test]
    fn ascii85_and_run_length() {
        // "Man is distinguished" in ASCII85 (Wikipedia's example), with a
        // final partial group, white space and the end marker.
        let enc = b"9jqo^BlbD-BleB1DJ+*+F(f,q/0JhKF<GL>Cj@.4Gp$d7F!,L7@<6@)/0JDEF<G%<+EV:2F!,O<DJ+*.@<*K0@<6L(Df-\\0Ec5e;DffZ(EZee.Bl.9pF\"AGXBPCsi+DGm>@3BB/F*&OCAfu2/AKYi(DIb:@FD,*)+C]U=@3BN#EcYf8ATD3s@q?d$AftVqCh[NqF<G:8+EV:.+Cf>-FD5W8ARlolDIal(DId<j@<?3r@:F%a+D58'ATD4$Bl@l3De:,-DJs`8ARoFb/0JMK@qB4^F!,R<AKZ&-DfTqBG%G>uD.RTpAKYo'+CT/5+Cei#DII?(E,9)oF*2M7/c~>";
        let dec = ascii85(enc, usize::MAX).unwrap();
        assert!(dec.starts_with(b"Man is distinguished, not only by his reason"));
        assert!(dec.ends_with(b"carnal pleasure."));
        assert_eq!(ascii85(b"<~z!!~>", usize::MAX).unwrap(), vec![0, 0, 0, 0, 0]);
        assert_eq!(ascii85(b"!", usize::MAX), Err(Some(1)));
        assert_eq!(ascii85(b"vvvvv", usize::MAX), Err(Some(0)));
        assert_eq!(ascii85(b"s8W-\"", usize::MAX), Err(Some(4)), "above 2^32 - 1");
        assert_eq!(ascii85(b"zzzz", 8), Err(None));
        assert_eq!(run_length(&[2, b'a', b'b', b'c', 254, b'x', 128, 9], usize::MAX).unwrap(), b"abcxxx");
        assert_eq!(run_length(&[129, 0, 129, 0], 200), None);
    }

    #[test]
    fn png_predictors_all_types() {
        // Two 3-byte rows per filter type, bpp 1; expected rows are known.
        let rows: [[u8; 3]; 2] = [[10, 20, 30], [15, 25, 200]];
        for ft in 0u8..=4 {
            let mut enc = Vec::new();
            let mut prev = [0u8; 3];
            for r in rows {
                enc.push(ft);
                for i in 0..3 {
                    let left = if i >= 1 { r[i - 1] } else { 0 };
                    let ul = if i >= 1 { prev[i - 1] } else { 0 };
                    let pred = match ft {
                        0 => 0,
                        1 => left,
                        2 => prev[i],
                        3 => ((left as u16 + prev[i] as u16) / 2) as u8,
                        _ => paeth(left, prev[i], ul),
                    };
                    enc.push(r[i].wrapping_sub(pred));
                }
                prev = r;
            }
            assert_eq!(png(&enc, 3, 1).unwrap(), [10, 20, 30, 15, 25, 200], "filter type {ft}");
        }
        assert_eq!(png(&[5, 0, 0, 0], 3, 1), Err(5));
    }

    #[test]
    fn predictor_parameters_are_checked() {
        let mut params = Dict::new();
        params = Dict::from_entries(vec![(b"Predictor".to_vec(), Object::Int(12)), (b"Columns".to_vec(), Object::Int(-1))], params.span.clone());
        assert!(predict(vec![0, 1], Some(&params), 0).is_err());
        let tiff_params = Dict::from_entries(vec![(b"Predictor".to_vec(), Object::Int(2)), (b"Columns".to_vec(), Object::Int(3))], 0..0);
        assert_eq!(predict(vec![1, 1, 1, 2, 2, 2], Some(&tiff_params), 0).unwrap(), vec![1, 2, 3, 2, 4, 6]);
    }

    #[test]
    fn bombs_hit_the_limits() {
        let zeros = vec![0u8; 4 << 20];
        let once = compress_to_vec_zlib(&zeros, 9);
        // One layer is within the ratio (deflate cannot pass 1032:1).
        assert_eq!(decode(&once, 0, &flate(), DecodeLimits::DEFAULT).unwrap().len(), 4 << 20);
        // Two layers multiply the ratio and are stopped by it.
        let twice = compress_to_vec_zlib(&once, 9);
        let two = vec![Filter { name: b"FlateDecode".to_vec(), params: None }, Filter { name: b"FlateDecode".to_vec(), params: None }];
        let e = decode(&twice, 7, &two, DecodeLimits::DEFAULT).unwrap_err();
        assert_eq!(e, PdfError::RatioExceeded { offset: 7, raw: twice.len(), limit: PDF_INFLATE_RATIO_FLOOR });
        // The absolute bound, scaled down so the test stays small.
        let small = DecodeLimits { max: 1 << 20, ratio: 1 << 20, floor: 0 };
        let e = decode(&once, 3, &flate(), small).unwrap_err();
        assert_eq!(e, PdfError::DecodedTooLarge { offset: 3, limit: 1 << 20 });
        assert_eq!(e.to_string(), "stream at byte 3 decompresses beyond 1048576 bytes");
    }
}
