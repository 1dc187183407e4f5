//! `--resume FILE`: the rows an earlier run of the same source already wrote.
//!
//! A batch writes one row per item in input order, so the complete rows of an
//! earlier output are its source's first items. An item is skipped only when
//! the row at its position carries its id: matching by position and id, not
//! by id alone, means an archive that repeats an id never has its second item
//! skipped because the first was done (the second may be the forged one).
//! Where the rows stop matching the source (another source, or an output
//! written by a resumed run into another file), the rest is verified again and
//! a note says so.
//!
//! Ids are kept as 128-bit fingerprints (the first 16 bytes of their SHA-256)
//! in row order: 16 bytes per done item, 16 MB per million, whatever the ids'
//! length. A partial last line (a run killed while writing) is ignored, and
//! truncated away before appending to the same file.

use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

#[derive(Default)]
pub struct DoneIds {
    /// Fingerprints of the rows' ids, in row order.
    rows: Vec<u128>,
    /// Set once a row is found not to match its source item.
    diverged: AtomicBool,
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
        let mut rows = Vec::new();
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
                rows.push(fingerprint(&id));
            }
        }
        Ok(DoneIds { rows, diverged: AtomicBool::new(false) })
    }

    /// Whether the item at `position` (0-based, in input order) with `id` was
    /// done: the earlier output's row at that position has the same id. The
    /// first item that an earlier row does not match is reported once on
    /// standard error.
    pub fn is_done(&self, position: u64, id: &str) -> bool {
        let Some(&row) = usize::try_from(position).ok().and_then(|i| self.rows.get(i)) else {
            return false;
        };
        if row == fingerprint(id) {
            return true;
        }
        if !self.diverged.swap(true, Ordering::Relaxed) {
            eprintln!(
                "sigaudit batch: the resumed output's row {} is not about item {} ('{id}') of the source: it was not written by a run of this source (or not into this file), so that item and any other that does not match its row are verified again",
                position + 1,
                position + 1
            );
        }
        false
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
