//! Where batch items come from, read as a stream.
//!
//! - A directory tree: every leaf folder (one without subfolders) is one
//!   item, its files one evidence bundle; the id is the folder's path relative
//!   to the source. Folders are visited in sorted order, one at a time.
//! - A JSONL manifest (or `-` for standard input): one item per line (see
//!   [`parse_line`] for the members). Lines are split here; parsing them is
//!   left to the workers, so the reader only splits bytes.
//!
//! The reader never holds more than one line or one folder listing per level
//! of the tree, so memory does not grow with the archive.

use serde::Deserialize;
use serde_json::Value;
use sigaudit::encoding::b64_decode_lenient_ws;
use sigaudit::limits::{MAX_FILES, MAX_FILE_BYTES};
use sigaudit::Blob;
use std::borrow::Cow;
use std::fs;
use std::io::{BufRead, Read};
use std::path::{Path, PathBuf};

/// Longest manifest line read: 64 MiB. Inline items hold a token (at most
/// 512 KiB), OCSP responses and a text; larger documents are named by path.
pub const MAX_LINE_BYTES: usize = 64 * 1024 * 1024;

/// One item as the reader found it, before anything is parsed or read.
pub enum RawItem {
    /// A leaf folder of a directory source, and the size of its files.
    Folder { id: String, dir: PathBuf, bytes: u64 },
    /// A manifest line (1-based number), not yet parsed.
    Line { number: u64, text: Vec<u8> },
    /// Something the reader could not turn into an item (an unreadable
    /// folder, an overlong line): becomes an error row.
    Broken { id: String, reason: String },
}

impl RawItem {
    /// The bytes this item brings into memory, about (for the in-flight budget).
    pub fn bytes(&self) -> u64 {
        match self {
            RawItem::Folder { bytes, .. } => *bytes,
            RawItem::Line { text, .. } => text.len() as u64,
            RawItem::Broken { .. } => 0,
        }
    }
}

/// The kinds of source.
#[derive(Clone, Debug)]
pub enum SourceKind {
    Directory(PathBuf),
    Manifest(PathBuf),
    Stdin,
}

impl SourceKind {
    pub fn from_arg(arg: &Path) -> Result<SourceKind, String> {
        if arg == Path::new("-") {
            return Ok(SourceKind::Stdin);
        }
        let meta = fs::metadata(arg).map_err(|e| format!("cannot read the source '{}': {e}", arg.display()))?;
        Ok(if meta.is_dir() { SourceKind::Directory(arg.to_path_buf()) } else { SourceKind::Manifest(arg.to_path_buf()) })
    }

    /// The directory that relative paths in manifest lines are resolved against.
    pub fn base_dir(&self) -> PathBuf {
        match self {
            SourceKind::Directory(d) => d.clone(),
            SourceKind::Manifest(p) => p.parent().map(Path::to_path_buf).filter(|p| !p.as_os_str().is_empty()).unwrap_or_else(|| PathBuf::from(".")),
            SourceKind::Stdin => PathBuf::from("."),
        }
    }
}

/// Produces the items of a source in order; `emit` returns false to stop early.
pub fn read_source(kind: &SourceKind, mut emit: impl FnMut(RawItem) -> bool) -> Result<(), String> {
    match kind {
        SourceKind::Directory(root) => {
            let mut walker = Walker { root: root.clone(), emit: &mut emit, stopped: false };
            walker.visit(root);
            Ok(())
        }
        SourceKind::Manifest(path) => {
            let file = fs::File::open(path).map_err(|e| format!("cannot read the manifest '{}': {e}", path.display()))?;
            read_lines(std::io::BufReader::with_capacity(1 << 20, file), emit)
        }
        SourceKind::Stdin => read_lines(std::io::BufReader::with_capacity(1 << 20, std::io::stdin().lock()), emit),
    }
}

/// Splits JSONL into lines, each at most [`MAX_LINE_BYTES`]; blank lines are skipped.
fn read_lines(mut r: impl BufRead, mut emit: impl FnMut(RawItem) -> bool) -> Result<(), String> {
    let mut number = 0u64;
    loop {
        number += 1;
        let mut line = Vec::new();
        let mut overlong = false;
        let mut seen_any = false;
        loop {
            let buf = match r.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(format!("reading the manifest failed at line {number}: {e}")),
            };
            if buf.is_empty() {
                break;
            }
            seen_any = true;
            let (chunk, done) = match memchr::memchr(b'\n', buf) {
                Some(i) => (&buf[..i], Some(i + 1)),
                None => (buf, None),
            };
            if !overlong {
                if line.len() + chunk.len() > MAX_LINE_BYTES {
                    overlong = true;
                    line = Vec::new();
                } else {
                    line.extend_from_slice(chunk);
                }
            }
            let used = done.unwrap_or(buf.len());
            r.consume(used);
            if done.is_some() {
                break;
            }
        }
        if !seen_any {
            return Ok(());
        }
        let item = if overlong {
            RawItem::Broken { id: format!("line {number}"), reason: format!("the manifest line is longer than {MAX_LINE_BYTES} bytes; it was not read") }
        } else {
            if line.last() == Some(&b'\r') {
                line.pop();
            }
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            RawItem::Line { number, text: line }
        };
        if !emit(item) {
            return Ok(());
        }
    }
}

struct Walker<'e, F: FnMut(RawItem) -> bool> {
    root: PathBuf,
    emit: &'e mut F,
    stopped: bool,
}

impl<F: FnMut(RawItem) -> bool> Walker<'_, F> {
    fn id(&self, dir: &Path) -> String {
        let rel = dir.strip_prefix(&self.root).unwrap_or(dir);
        let s = rel.to_string_lossy().replace('\\', "/");
        if s.is_empty() {
            ".".into()
        } else {
            s
        }
    }

    fn visit(&mut self, dir: &Path) {
        if self.stopped {
            return;
        }
        let mut entries = match fs::read_dir(dir) {
            Ok(rd) => rd.filter_map(|e| e.ok()).map(|e| e.path()).collect::<Vec<_>>(),
            Err(e) => {
                let id = self.id(dir);
                self.stopped = !(self.emit)(RawItem::Broken { id, reason: format!("cannot read the folder: {e}") });
                return;
            }
        };
        entries.sort();
        let mut subdirs: Vec<PathBuf> = Vec::new();
        let mut has_files = false;
        let mut bytes = 0u64;
        for p in entries {
            let hidden = p.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.'));
            if hidden {
                continue;
            }
            // A symbolic link to a folder is not followed: it could lead out
            // of the archive or back up the tree (a loop). It becomes an error
            // row, so it is seen. Links to files are read, if they stay inside
            // the root (see `read_file`).
            if fs::symlink_metadata(&p).is_ok_and(|m| m.file_type().is_symlink()) && fs::metadata(&p).is_ok_and(|m| m.is_dir()) {
                let id = self.id(&p);
                self.stopped = !(self.emit)(RawItem::Broken {
                    id,
                    reason: "a symbolic link to a folder: not followed (it could lead outside the archive or into a loop); link the files instead".into(),
                });
                if self.stopped {
                    return;
                }
                continue;
            }
            match fs::metadata(&p) {
                Ok(m) if m.is_dir() => subdirs.push(p),
                Ok(m) => {
                    has_files = true;
                    bytes = bytes.saturating_add(m.len());
                }
                Err(_) => has_files = true,
            }
        }
        if subdirs.is_empty() {
            if has_files {
                let id = self.id(dir);
                self.stopped = !(self.emit)(RawItem::Folder { id, dir: dir.to_path_buf(), bytes });
            }
            return;
        }
        if has_files {
            eprintln!("sigaudit: '{}' has subfolders, so its own files are not an item (only leaf folders are); they were skipped", dir.display());
        }
        subdirs.sort();
        for d in subdirs {
            self.visit(&d);
            if self.stopped {
                return;
            }
        }
    }
}

/// Counts the items of a source without reading them (for the progress bar's
/// length): lines of a manifest, leaf folders of a tree. None for stdin.
pub fn count_items(kind: &SourceKind, stop: &std::sync::atomic::AtomicBool) -> Option<u64> {
    match kind {
        SourceKind::Stdin => None,
        SourceKind::Manifest(p) => {
            // Only a regular file can be read twice (a FIFO would lose its lines).
            if !fs::metadata(p).ok()?.is_file() {
                return None;
            }
            let mut f = fs::File::open(p).ok()?;
            let mut buf = vec![0u8; 1 << 20];
            let (mut n, mut last) = (0u64, b'\n');
            loop {
                if stop.load(std::sync::atomic::Ordering::Relaxed) {
                    return None;
                }
                let k = f.read(&mut buf).ok()?;
                if k == 0 {
                    break;
                }
                n += memchr::memchr_iter(b'\n', &buf[..k]).count() as u64;
                last = buf[k - 1];
            }
            Some(n + u64::from(last != b'\n'))
        }
        SourceKind::Directory(_) => {
            let mut n = 0u64;
            read_source(kind, |_| {
                n += 1;
                !stop.load(std::sync::atomic::Ordering::Relaxed)
            })
            .ok()?;
            Some(n)
        }
    }
}

/// Bytes that JSON strings hold unescaped and base64 / base64url / JWS use.
static PLAIN: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        t[i] = b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.' || b == b'+' || b == b'/' || b == b'=';
        i += 1;
    }
    t
};

/// One string or several.
enum OneOrMany<T> {
    One(T),
    Many(Vec<T>),
}

/// Reads a string or an array of strings directly (an untagged enum would
/// first copy every value into serde's buffer, and tokens are kilobytes).
impl<'de: 'a, 'a> Deserialize<'de> for OneOrMany<Cow<'a, str>> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = OneOrMany<Cow<'de, str>>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a string or an array of strings")
            }
            fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(OneOrMany::One(Cow::Borrowed(v)))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(OneOrMany::One(Cow::Owned(v.to_string())))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(OneOrMany::One(Cow::Owned(v)))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                #[derive(Deserialize)]
                struct S<'s>(#[serde(borrow)] Cow<'s, str>);
                let mut out = Vec::new();
                while let Some(S(s)) = seq.next_element::<S<'de>>()? {
                    out.push(s);
                }
                Ok(OneOrMany::Many(out))
            }
        }
        d.deserialize_any(V)
    }
}

impl<'de> Deserialize<'de> for OneOrMany<String> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(match OneOrMany::<Cow<'de, str>>::deserialize(d)? {
            OneOrMany::One(s) => OneOrMany::One(s.into_owned()),
            OneOrMany::Many(v) => OneOrMany::Many(v.into_iter().map(Cow::into_owned).collect()),
        })
    }
}

impl<'de> Deserialize<'de> for OneOrMany<Box<serde_json::value::RawValue>> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // One JSON document, or an array of them.
        let raw = Box::<serde_json::value::RawValue>::deserialize(d)?;
        if raw.get().trim_start().starts_with('[') {
            let all: Vec<Box<serde_json::value::RawValue>> = serde_json::from_str(raw.get()).map_err(serde::de::Error::custom)?;
            Ok(OneOrMany::Many(all))
        } else {
            Ok(OneOrMany::One(raw))
        }
    }
}

impl<T> OneOrMany<T> {
    fn into_vec(self) -> Vec<T> {
        match self {
            OneOrMany::One(t) => vec![t],
            OneOrMany::Many(v) => v,
        }
    }
}

/// An item id: a string, or a number (written as a string).
#[derive(Deserialize)]
#[serde(untagged)]
enum Id<'a> {
    #[serde(borrow)]
    Text(Cow<'a, str>),
    Number(serde_json::Number),
}

/// One manifest line. Every member but `id` is optional; at least one must
/// bring evidence. Paths are relative to the manifest's folder (the current
/// folder for standard input).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Line<'a> {
    #[serde(borrow)]
    id: Option<Id<'a>>,
    /// Evidence files, any kind (`sigaudit verify` recognises each).
    files: Option<Vec<String>>,
    /// Compact JWS tokens, inline.
    #[serde(borrow)]
    token: Option<OneOrMany<Cow<'a, str>>>,
    /// OCSP responses, base64 DER, inline.
    #[serde(borrow)]
    ocsp: Option<OneOrMany<Cow<'a, str>>>,
    /// The signed text (its UTF-8 bytes are the document a transaction_text_sha256 names).
    #[serde(borrow)]
    text: Option<Cow<'a, str>>,
    /// JSON documents inline (token endpoint responses, workflow results, JWKS...).
    json: Option<OneOrMany<Box<serde_json::value::RawValue>>>,
    /// Key set files (JWKS, JWK or certificates) for this item; paths.
    jwks: Option<OneOrMany<String>>,
    /// PDF files; paths.
    pdf: Option<OneOrMany<String>>,
}

/// An item ready to verify, or why it is not.
pub struct Loaded {
    pub id: String,
    pub blobs: Result<Vec<Blob>, String>,
}

/// Reads one file an item names. `rel` resolves against `base` and, once its
/// symbolic links are resolved, must lie inside `root` (canonical): an item is
/// evidence from the archive, and a manifest line such as `../../etc/passwd`
/// or a link pointing out of the tree must not turn the batch into a reader
/// of other files.
fn read_file(base: &Path, rel: &str, root: &Path, total: &mut u64) -> Result<Blob, String> {
    let path = base.join(rel);
    let real = path.canonicalize().map_err(|e| format!("cannot read '{rel}': {e}"))?;
    if !real.starts_with(root) {
        return Err(format!(
            "'{rel}' leads to '{}', outside the archive root '{}': files of an item must lie inside it (--root names another)",
            real.display(),
            root.display()
        ));
    }
    let meta = fs::metadata(&real).map_err(|e| format!("cannot read '{rel}': {e}"))?;
    if meta.is_dir() {
        return Err(format!("'{rel}' is a folder, not a file"));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(format!("'{rel}' is {} bytes, over the per-file limit of {MAX_FILE_BYTES} bytes", meta.len()));
    }
    let bytes = fs::read(&real).map_err(|e| format!("cannot read '{rel}': {e}"))?;
    *total += bytes.len() as u64;
    Ok(Blob::new(rel, bytes))
}

fn numbered(stem: &str, ext: &str, k: usize, of: usize) -> String {
    if of == 1 {
        format!("{stem}.{ext}")
    } else {
        format!("{stem}-{}.{ext}", k + 1)
    }
}

/// The id of a broken line, when it starts like `{"id": "...",` (a truncated
/// line keeps its id): best effort, plain strings only.
fn recover_id(text: &[u8]) -> Option<String> {
    let s = std::str::from_utf8(text.get(..text.len().min(4096))?).ok()?;
    let rest = s.trim_start().strip_prefix('{')?.trim_start().strip_prefix("\"id\"")?.trim_start().strip_prefix(':')?.trim_start();
    let rest = rest.strip_prefix('"')?;
    let end = rest.find(['"', '\\'])?;
    (rest.as_bytes()[end] == b'"' && end > 0).then(|| rest[..end].to_string())
}

/// Parses a manifest line into the item's id and evidence.
pub fn parse_line(number: u64, text: &[u8], base: &Path, root: &Path) -> Loaded {
    let fallback = format!("line {number}");
    let line: Line<'_> = match serde_json::from_slice(text) {
        Ok(l) => l,
        Err(e) => {
            // Try to recover the id for the error row.
            let id = serde_json::from_slice::<Value>(text)
                .ok()
                .and_then(|v| v.get("id").and_then(|i| i.as_str().map(str::to_string).or_else(|| i.as_number().map(|n| n.to_string()))))
                .or_else(|| recover_id(text))
                .unwrap_or(fallback);
            return Loaded { id, blobs: Err(format!("manifest line {number} is not a valid item: {e}")) };
        }
    };
    let id = match line.id {
        Some(Id::Text(t)) if !t.is_empty() => t.into_owned(),
        Some(Id::Number(n)) => n.to_string(),
        _ => fallback,
    };
    let blobs = (|| {
        let mut blobs = Vec::new();
        let mut total = 0u64;
        for rel in line
            .files
            .unwrap_or_default()
            .iter()
            .chain(line.jwks.map(OneOrMany::into_vec).unwrap_or_default().iter())
            .chain(line.pdf.map(OneOrMany::into_vec).unwrap_or_default().iter())
        {
            blobs.push(read_file(base, rel, root, &mut total)?);
        }
        let tokens = line.token.map(OneOrMany::into_vec).unwrap_or_default();
        let ocsps = line.ocsp.map(OneOrMany::into_vec).unwrap_or_default();
        if tokens.len() == 1 && ocsps.len() == 1 {
            // A transaction token and its OCSP response, as the broker's token
            // endpoint returns them: the response belongs to this token.
            #[derive(serde::Serialize)]
            struct TokenResponse<'t> {
                transaction_token: &'t str,
                transaction_token_ocsp_resp: &'t str,
            }
            let plain = |s: &str| s.bytes().all(|b| PLAIN[b as usize]);
            let json = if plain(&tokens[0]) && plain(&ocsps[0]) {
                // Nothing to escape: the same bytes serde_json writes, without its escaping pass.
                let mut j = Vec::with_capacity(tokens[0].len() + ocsps[0].len() + 64);
                j.extend_from_slice(b"{\"transaction_token\":\"");
                j.extend_from_slice(tokens[0].as_bytes());
                j.extend_from_slice(b"\",\"transaction_token_ocsp_resp\":\"");
                j.extend_from_slice(ocsps[0].as_bytes());
                j.extend_from_slice(b"\"}");
                j
            } else {
                serde_json::to_vec(&TokenResponse { transaction_token: &tokens[0], transaction_token_ocsp_resp: &ocsps[0] }).map_err(|e| e.to_string())?
            };
            blobs.push(Blob::new("token_response.json", json));
        } else {
            let n = tokens.len();
            for (k, tok) in tokens.into_iter().enumerate() {
                blobs.push(Blob::new(numbered("token", "jwt", k, n), tok.into_owned().into_bytes()));
            }
            let n = ocsps.len();
            for (k, b64) in ocsps.into_iter().enumerate() {
                let der = b64_decode_lenient_ws(&b64).map_err(|e| format!("\"ocsp\" is not base64: {e}"))?;
                blobs.push(Blob::new(numbered("token", "ocsp", k, n), der));
            }
        }
        if let Some(t) = line.text {
            blobs.push(Blob::new("text.txt", t.into_owned().into_bytes()));
        }
        if let Some(j) = line.json {
            let all = j.into_vec();
            let n = all.len();
            for (k, raw) in all.into_iter().enumerate() {
                blobs.push(Blob::new(numbered("item", "json", k, n), raw.get().as_bytes().to_vec()));
            }
        }
        if blobs.is_empty() {
            return Err("the item names no evidence (files, token, ocsp, text, json, jwks or pdf)".to_string());
        }
        if blobs.len() > MAX_FILES {
            return Err(format!("the item has {} files, over the limit of {MAX_FILES}", blobs.len()));
        }
        Ok(blobs)
    })();
    Loaded { id, blobs }
}

/// Reads a leaf folder's files (sorted by name) as one bundle.
pub fn load_folder(id: String, dir: &Path, root: &Path) -> Loaded {
    let blobs = (|| {
        let mut names: Vec<PathBuf> = fs::read_dir(dir)
            .map_err(|e| format!("cannot read the folder: {e}"))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| !p.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.')))
            .collect();
        names.sort();
        if names.len() > MAX_FILES {
            return Err(format!("the folder has {} files, over the limit of {MAX_FILES}", names.len()));
        }
        let mut total = 0u64;
        let mut blobs = Vec::with_capacity(names.len());
        for p in names {
            let rel = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            blobs.push(read_file(dir, &rel, root, &mut total)?);
        }
        if blobs.is_empty() {
            return Err("the folder is empty".to_string());
        }
        Ok(blobs)
    })();
    Loaded { id, blobs }
}
