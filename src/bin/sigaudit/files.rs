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
    let mut entries: Vec<PathBuf> =
        fs::read_dir(dir).map_err(|e| format!("cannot read directory '{}': {e}", display(dir)))?.filter_map(|e| e.ok().map(|e| e.path())).collect();
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

/// A file name safe to create inside a directory: no separators, no `..`, no
/// control characters (embedded file names are attacker-controlled).
fn safe_name(name: &str) -> String {
    let cleaned: String = name.chars().map(|c| if c == '/' || c == '\\' || c.is_control() || c == ':' { '_' } else { c }).collect();
    let trimmed = cleaned.trim_matches(|c: char| c == '.' || c.is_whitespace());
    if trimmed.is_empty() {
        "embedded-file".into()
    } else {
        trimmed.chars().take(200).collect()
    }
}

/// Writes every embedded file of every PDF among `blobs` into `dir`, as
/// `<pdf file name>/<embedded name>`, never outside `dir`, never overwriting.
pub fn extract_embedded(blobs: &[Blob], dir: &Path) -> Result<(), String> {
    for blob in blobs.iter().filter(|b| sigaudit::detect::is_pdf(&b.bytes)) {
        let (files, problems) = sigaudit::pades::extract_embedded(&blob.bytes);
        for p in problems {
            eprintln!("sigaudit: '{}': {p}", blob.name);
        }
        if files.is_empty() {
            continue;
        }
        let pdf_name = Path::new(&blob.name).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let target = dir.join(safe_name(&pdf_name));
        fs::create_dir_all(&target).map_err(|e| format!("cannot create '{}': {e}", display(&target)))?;
        for f in files {
            let mut path = target.join(safe_name(&f.name));
            let mut n = 1;
            while path.exists() {
                n += 1;
                path = target.join(format!("{}.{n}", safe_name(&f.name)));
            }
            fs::write(&path, &f.bytes).map_err(|e| format!("cannot write '{}': {e}", display(&path)))?;
            eprintln!("sigaudit: extracted '{}' ({} bytes) from '{}'", display(&path), f.bytes.len(), blob.name);
        }
    }
    Ok(())
}
