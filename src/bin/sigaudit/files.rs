//! Reading evidence files: paths as typed, directories recursively in sorted
//! order, size limits checked before reading.

use sigaudit::limits::{MAX_FILES, MAX_FILE_BYTES};
use sigaudit::Blob;
use std::fs;
use std::path::{Path, PathBuf};

fn display(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

/// Reads one file, refusing files over the per-file limit without reading them.
pub fn read_file(path: &Path) -> Result<Blob, String> {
    let name = display(path);
    let meta = fs::metadata(path).map_err(|e| format!("cannot read '{name}': {e}"))?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(format!("'{name}' is {} bytes, over the per-file limit of {MAX_FILE_BYTES} bytes", meta.len()));
    }
    let bytes = fs::read(path).map_err(|e| format!("cannot read '{name}': {e}"))?;
    Ok(Blob::new(name, bytes))
}

/// Reads each named file (key and anchor files: no directories).
pub fn read_all(paths: &[PathBuf]) -> Result<Vec<Blob>, String> {
    paths.iter().map(|p| read_file(p)).collect()
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(|e| format!("cannot read directory '{}': {e}", display(dir)))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for p in entries {
        let name = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if name.starts_with('.') {
            continue;
        }
        if p.is_dir() {
            walk(&p, out)?;
        } else {
            out.push(p);
        }
        if out.len() > MAX_FILES {
            return Err(format!("more than {MAX_FILES} files under '{}'", display(dir)));
        }
    }
    Ok(())
}

/// Reads the evidence: files as given, directories expanded.
pub fn read_inputs(paths: &[PathBuf]) -> Result<Vec<Blob>, String> {
    let mut files = Vec::new();
    for p in paths {
        if p.is_dir() {
            walk(p, &mut files)?;
        } else {
            files.push(p.clone());
        }
    }
    files.iter().map(|p| read_file(p)).collect()
}
