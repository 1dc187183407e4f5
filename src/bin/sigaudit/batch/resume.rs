//! `--resume FILE`: the ids an earlier run already wrote.
//!
//! Ids are kept as 128-bit fingerprints (the first 16 bytes of their SHA-256)
//! in a sorted vector: 16 bytes per done item, 16 MB per million, whatever the
//! ids' length. A partial last line (a run killed while writing) is ignored,
//! and truncated away before appending to the same file.

use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::Path;

#[derive(Default)]
pub struct DoneIds {
    sorted: Vec<u128>,
}

fn fingerprint(id: &str) -> u128 {
    let d = sigaudit::crypto::sha256(id.as_bytes());
    let mut b = [0u8; 16];
    b.copy_from_slice(&d[..16]);
    u128::from_be_bytes(b)
}

impl DoneIds {
    /// Reads the ids of every complete row of a JSONL or JSON batch output.
    pub fn load(path: &Path) -> Result<DoneIds, String> {
        let file = match File::open(path) {
            Ok(f) => f,
            // Nothing done yet: resuming a run that never wrote is starting it.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(DoneIds::default()),
            Err(e) => return Err(format!("cannot read the resume file '{}': {e}", path.display())),
        };
        let mut sorted = Vec::new();
        let mut r = BufReader::with_capacity(1 << 20, file);
        let mut line = Vec::new();
        loop {
            line.clear();
            let n = r.read_until(b'\n', &mut line).map_err(|e| format!("reading '{}': {e}", path.display()))?;
            if n == 0 {
                break;
            }
            if line.last() != Some(&b'\n') {
                break; // a partial last line: not a finished row
            }
            let mut t = line.as_slice().trim_ascii();
            t = t.strip_prefix(b"[").unwrap_or(t).trim_ascii();
            t = t.strip_suffix(b",").unwrap_or(t).trim_ascii();
            if t.is_empty() || t == b"]" {
                continue;
            }
            #[derive(serde::Deserialize)]
            struct IdOnly<'a> {
                #[serde(borrow)]
                id: Option<std::borrow::Cow<'a, str>>,
            }
            if let Ok(IdOnly { id: Some(id) }) = serde_json::from_slice::<IdOnly<'_>>(t) {
                sorted.push(fingerprint(&id));
            }
        }
        sorted.sort_unstable();
        sorted.dedup();
        Ok(DoneIds { sorted })
    }

    pub fn contains(&self, id: &str) -> bool {
        !self.sorted.is_empty() && self.sorted.binary_search(&fingerprint(id)).is_ok()
    }
}

/// Cuts a partial last line off the file, so appended rows start on a line of their own.
pub fn drop_partial_last_line(path: &Path) -> Result<(), String> {
    let mut f = match OpenOptions::new().read(true).write(true).open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            File::create(path).map_err(|e| format!("cannot create '{}': {e}", path.display()))?;
            return Ok(());
        }
        Err(e) => return Err(format!("cannot open '{}': {e}", path.display())),
    };
    let len = f.metadata().map_err(|e| e.to_string())?.len();
    if len == 0 {
        return Ok(());
    }
    // Find the last newline, reading backwards in blocks.
    let mut end = len;
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let start = end.saturating_sub(buf.len() as u64);
        let n = (end - start) as usize;
        f.seek(SeekFrom::Start(start)).map_err(|e| e.to_string())?;
        f.read_exact(&mut buf[..n]).map_err(|e| e.to_string())?;
        if let Some(i) = buf[..n].iter().rposition(|&b| b == b'\n') {
            let keep = start + i as u64 + 1;
            if keep != len {
                f.set_len(keep).map_err(|e| format!("cannot truncate '{}': {e}", path.display()))?;
            }
            return Ok(());
        }
        if start == 0 {
            f.set_len(0).map_err(|e| format!("cannot truncate '{}': {e}", path.display()))?;
            return Ok(());
        }
        end = start;
    }
}
