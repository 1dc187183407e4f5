//! `sigaudit batch`: verify every item of an archive with one shared policy,
//! in parallel, streaming, in input order.
//!
//! ```text
//! reader thread ──chunks──▶ dispatcher (main) ──spawn──▶ rayon pool (--jobs)
//!   (lines / folders)         window: at most W chunks     parse, verify, row
//!                             not yet written                    │
//!                                                                ▼
//!                          writer thread ◀──(seq, rows)── results channel
//!                          reorders by seq, writes, tallies, progress
//! ```
//!
//! Memory is bounded by the window (at most 4 x jobs + 4 chunks of at most 64
//! items, and 256 MiB of raw items, read but not yet written) and the policy's
//! cache (see `sigaudit::cache`), whatever the archive's size. Each item runs under `catch_unwind`: a panic is that item's
//! error row. Ctrl-C stops reading; items already started finish and are
//! written, then the summary is printed (a second Ctrl-C exits at once).

mod output;
mod progress;
mod resume;
mod source;

use clap::{Args, ValueEnum};
use output::{RowOut, Summary, Tally};
use sigaudit::{verify, Evidence, Policy};
use source::{RawItem, SourceKind};
use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Write};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, RecvTimeoutError};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// Items per chunk handed to a worker.
const CHUNK: usize = 64;
/// A chunk is also closed when its items bring this many bytes.
const CHUNK_BYTES: u64 = 4 << 20;
/// Most bytes of items read but not yet written (an item larger than this runs alone).
const IN_FLIGHT_BYTES: u64 = 256 << 20;
/// Exit code of a run stopped by Ctrl-C (128 + SIGINT, as shells report it).
pub const EXIT_INTERRUPTED: u8 = 130;

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum BatchFormat {
    /// One JSON object per line; the summary goes to stderr only.
    Jsonl,
    /// One JSON array: the rows, then {"summary": ...} as the last element.
    Json,
}

#[derive(Args, Debug)]
pub struct BatchArgs {
    /// A folder tree (each leaf folder is one item), a JSONL manifest, or - for JSONL on standard input.
    pub source: PathBuf,
    /// Keys, anchors, environment and time, shared by every item.
    #[command(flatten)]
    pub policy: crate::args::PolicyArgs,
    /// Parallel workers (default: the number of cores).
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
    /// Write the rows to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "jsonl")]
    pub format: BatchFormat,
    /// Put each item's whole report in its row.
    #[arg(long)]
    pub full: bool,
    /// Skip the ids already present in an earlier output (JSONL or JSON). With --out
    /// naming the same file, the new rows are appended to it.
    #[arg(long, value_name = "FILE")]
    pub resume: Option<PathBuf>,
    /// The folder every file an item names must lie in, after symbolic links
    /// are resolved (default: the source folder, the manifest's folder, or the
    /// current folder for `-`). A path that leads outside it is an error row.
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,
    /// No progress on standard error (the summary is still printed).
    #[arg(long, short)]
    pub quiet: bool,
    /// Seconds between progress lines when standard error is not a terminal.
    #[arg(long, value_name = "SECONDS", default_value = "10")]
    pub progress_every: u64,
}

static STOP: AtomicBool = AtomicBool::new(false);

/// What every worker shares.
struct Shared {
    policy: Policy,
    base: PathBuf,
    /// The folder every file an item names must lie in (canonical).
    root: PathBuf,
    full: bool,
    done: resume::DoneIds,
    /// Test hook: the item with this id panics (SIGAUDIT_TEST_PANIC_ID).
    panic_id: Option<String>,
}

/// Turns one raw item into its row; never panics outward.
fn process(position: u64, raw: RawItem, shared: &Shared) -> RowOut {
    let mut id = String::new();
    let result = catch_unwind(AssertUnwindSafe(|| {
        let loaded = match raw {
            RawItem::Folder { id, dir, .. } => source::load_folder(id, &dir, &shared.root),
            RawItem::Line { number, text } => source::parse_line(number, &text, &shared.base, &shared.root),
            RawItem::Broken { id, reason } => return output::error_row(&id, &reason),
        };
        id.clone_from(&loaded.id);
        if shared.done.is_done(position, &loaded.id) {
            return output::skipped_row();
        }
        if shared.panic_id.as_deref() == Some(loaded.id.as_str()) {
            panic!("SIGAUDIT_TEST_PANIC_ID: a panic forced for item '{}'", loaded.id);
        }
        match loaded.blobs {
            Err(reason) => output::error_row(&loaded.id, &reason),
            Ok(blobs) => {
                let report = verify(&Evidence::new(blobs), &shared.policy);
                output::report_row(&loaded.id, &report, shared.full)
            }
        }
    }));
    match result {
        Ok(row) => row,
        Err(payload) => {
            let msg = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            let id = if id.is_empty() { "(unknown)".to_string() } else { id };
            output::error_row(&id, &format!("internal error (a panic) while verifying this item: {msg}; this is a bug in sigaudit, please report it"))
        }
    }
}

/// Chunks (and their bytes) read but not yet written: the dispatcher waits
/// while the window is full, so memory stays bounded whatever the source.
struct Window {
    /// (chunks, bytes) in flight.
    in_flight: Mutex<(usize, u64)>,
    freed: Condvar,
    size: usize,
}

impl Window {
    /// Takes a slot for a chunk of `bytes`; false if the run is stopping.
    fn acquire(&self, bytes: u64) -> bool {
        let mut n = self.in_flight.lock().unwrap_or_else(|e| e.into_inner());
        while n.0 >= self.size || (n.0 > 0 && n.1 + bytes > IN_FLIGHT_BYTES) {
            if STOP.load(Ordering::Relaxed) {
                return false;
            }
            n = self.freed.wait_timeout(n, Duration::from_millis(100)).unwrap_or_else(|e| e.into_inner()).0;
        }
        n.0 += 1;
        n.1 += bytes;
        true
    }
    fn release(&self, bytes: u64) {
        let mut n = self.in_flight.lock().unwrap_or_else(|e| e.into_inner());
        n.0 = n.0.saturating_sub(1);
        n.1 = n.1.saturating_sub(bytes);
        self.freed.notify_all();
    }
}

/// Where rows go, and how they are framed.
struct Sink {
    out: BufWriter<Box<dyn Write + Send>>,
    format: BatchFormat,
    rows: u64,
    error: Option<std::io::Error>,
}

impl Sink {
    fn start(&mut self) {
        if self.format == BatchFormat::Json {
            self.put(b"[\n");
        }
    }
    fn put(&mut self, bytes: &[u8]) {
        if self.error.is_none() {
            if let Err(e) = self.out.write_all(bytes) {
                self.error = Some(e);
                STOP.store(true, Ordering::Relaxed);
            }
        }
    }
    fn row(&mut self, line: &[u8]) {
        if self.format == BatchFormat::Json && self.rows > 0 {
            self.put(b",\n");
        }
        self.put(line);
        if self.format == BatchFormat::Jsonl {
            self.put(b"\n");
        }
        self.rows += 1;
    }
    fn finish(&mut self, summary: &Summary<'_>) {
        if self.format == BatchFormat::Json {
            if self.rows > 0 {
                self.put(b",\n");
            }
            let obj = serde_json::json!({ "summary": summary });
            let text = serde_json::to_vec(&obj).unwrap_or_default();
            self.put(&text);
            self.put(b"\n]\n");
        }
        if self.error.is_none() {
            if let Err(e) = self.out.flush() {
                self.error = Some(e);
            }
        }
    }
}

/// The writer: rows in input order, tallies, progress.
fn write_rows(rx: Receiver<(u64, u64, Vec<RowOut>)>, sink: &mut Sink, window: &Window, progress: &mut progress::Progress, total: &AtomicU64) -> Tally {
    let mut tally = Tally::default();
    let mut pending: BTreeMap<u64, (u64, Vec<RowOut>)> = BTreeMap::new();
    let mut next = 0u64;
    let mut last_flush = Instant::now();
    let mut total_known = false;
    for (seq, bytes, rows) in rx {
        pending.insert(seq, (bytes, rows));
        while let Some((bytes, rows)) = pending.remove(&next) {
            for r in &rows {
                tally.add(r);
                if !r.line.is_empty() {
                    sink.row(&r.line);
                }
            }
            next += 1;
            window.release(bytes);
        }
        if !total_known {
            let t = total.load(Ordering::Relaxed);
            if t > 0 {
                progress.set_total(t);
                total_known = true;
            }
        }
        progress.update(tally.items() + tally.skipped, tally.verdicts[3], tally.verdicts[4]);
        // Keep the file a recent prefix, so --resume after a crash loses little.
        if last_flush.elapsed() > Duration::from_secs(1) {
            last_flush = Instant::now();
            if sink.error.is_none() {
                if let Err(e) = sink.out.flush() {
                    sink.error = Some(e);
                    STOP.store(true, Ordering::Relaxed);
                }
            }
        }
    }
    tally
}

fn open_output(a: &BatchArgs) -> Result<Box<dyn Write + Send>, String> {
    let Some(path) = &a.out else {
        return Ok(Box::new(std::io::stdout()));
    };
    let appending = a.resume.as_ref().is_some_and(|r| same_file(r, path));
    if appending {
        if a.format == BatchFormat::Json {
            return Err("--resume and --out name the same file: appending works with --format jsonl only; write the JSON to a new file".into());
        }
        resume::drop_partial_last_line(path)?;
        let f = OpenOptions::new().append(true).open(path).map_err(|e| format!("cannot append to '{}': {e}", path.display()))?;
        return Ok(Box::new(f));
    }
    let f = File::create(path).map_err(|e| format!("cannot create '{}': {e}", path.display()))?;
    Ok(Box::new(f))
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    }
}

/// Runs a batch; the exit code (0 pass, 1 fail or error rows, 3 indeterminate, 130 interrupted).
pub fn run(a: BatchArgs) -> Result<u8, String> {
    let started = Instant::now();
    let policy = a.policy.policy(None, None)?;
    let kind = SourceKind::from_arg(&a.source)?;
    let jobs = a.jobs.unwrap_or_else(|| std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)).max(1);
    let done = match &a.resume {
        Some(p) => resume::DoneIds::load(p)?,
        None => resume::DoneIds::default(),
    };
    let out = open_output(&a)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .thread_name(|i| format!("sigaudit-batch-{i}"))
        .build()
        .map_err(|e| format!("cannot start {jobs} workers: {e}"))?;

    // Ctrl-C: stop reading, finish what started, print the summary. A second one exits at once.
    let _ = ctrlc::set_handler(|| {
        if STOP.swap(true, Ordering::SeqCst) {
            eprintln!("\nsigaudit batch: stopped at once");
            std::process::exit(EXIT_INTERRUPTED as i32);
        }
        eprintln!("\nsigaudit batch: stopping: finishing the items already started (Ctrl-C again to quit at once)");
    });
    // Panics are reported in the item's row; keep the terminal free of backtraces.
    std::panic::set_hook(Box::new(|info| {
        let location = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
        eprintln!("sigaudit batch: an item panicked{location}; it is reported as an error row");
    }));

    let base = kind.base_dir();
    let root_arg = a.root.clone().unwrap_or_else(|| base.clone());
    let root = root_arg.canonicalize().map_err(|e| format!("cannot resolve the archive root '{}': {e}", root_arg.display()))?;
    let shared = Arc::new(Shared { policy, base, root, full: a.full, done, panic_id: std::env::var("SIGAUDIT_TEST_PANIC_ID").ok().filter(|s| !s.is_empty()) });
    let window = Arc::new(Window { in_flight: Mutex::new((0, 0)), freed: Condvar::new(), size: 4 * jobs + 4 });
    let total = Arc::new(AtomicU64::new(0));
    let mut progress = progress::Progress::new(a.quiet, Duration::from_secs(a.progress_every.max(1)));
    if matches!(progress, progress::Progress::Bar(_)) {
        let (kind, total) = (kind.clone(), total.clone());
        std::thread::spawn(move || {
            if let Some(n) = source::count_items(&kind, &STOP) {
                total.store(n.max(1), Ordering::Relaxed);
            }
        });
    }

    // Reader: the source as chunks of raw items.
    let (chunk_tx, chunk_rx) = sync_channel::<(u64, Vec<(u64, RawItem)>)>(2);
    let reader_kind = kind.clone();
    let reader = std::thread::spawn(move || {
        let mut chunk = Vec::with_capacity(CHUNK);
        let mut bytes = 0u64;
        let mut position = 0u64;
        let result = source::read_source(&reader_kind, |item| {
            bytes += item.bytes();
            chunk.push((position, item));
            position += 1;
            if chunk.len() == CHUNK || bytes >= CHUNK_BYTES {
                let full = std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK));
                if chunk_tx.send((std::mem::take(&mut bytes), full)).is_err() {
                    return false;
                }
            }
            !STOP.load(Ordering::Relaxed)
        });
        if !chunk.is_empty() && !STOP.load(Ordering::Relaxed) {
            let _ = chunk_tx.send((bytes, chunk));
        }
        result
    });

    // Writer.
    let (res_tx, res_rx) = sync_channel::<(u64, u64, Vec<RowOut>)>(4 * jobs + 8);
    let format = a.format;
    let writer_window = window.clone();
    let writer_total = total.clone();
    let writer = std::thread::spawn(move || {
        let mut sink = Sink { out: BufWriter::with_capacity(1 << 18, out), format, rows: 0, error: None };
        sink.start();
        let tally = write_rows(res_rx, &mut sink, &writer_window, &mut progress, &writer_total);
        progress.finish();
        (tally, sink)
    });

    // Dispatcher: chunks to the pool, never more than the window ahead of the writer.
    let mut seq = 0u64;
    let mut read_error = None;
    loop {
        if STOP.load(Ordering::Relaxed) {
            break;
        }
        let (bytes, chunk) = match chunk_rx.recv_timeout(Duration::from_millis(100)) {
            Ok(c) => c,
            Err(RecvTimeoutError::Timeout) => continue,
            Err(RecvTimeoutError::Disconnected) => break,
        };
        if !window.acquire(bytes) {
            break;
        }
        let (shared, tx, this) = (shared.clone(), res_tx.clone(), seq);
        seq += 1;
        pool.spawn(move || {
            let rows: Vec<RowOut> = chunk.into_iter().map(|(position, raw)| process(position, raw, &shared)).collect();
            let _ = tx.send((this, bytes, rows));
        });
    }
    drop(res_tx);
    let interrupted = STOP.load(Ordering::Relaxed);
    drop(chunk_rx);
    if !interrupted {
        match reader.join() {
            Ok(Err(e)) => read_error = Some(e),
            Ok(Ok(())) => {}
            Err(_) => read_error = Some("the source reader failed".to_string()),
        }
    }
    let (tally, mut sink) = writer.join().map_err(|_| "the output writer failed".to_string())?;
    let output_failed = sink.error.is_some();
    let elapsed = started.elapsed().as_secs_f64();
    let summary = Summary::new(&tally, elapsed, jobs, interrupted && !output_failed, shared.policy.cache.stats());
    sink.finish(&summary);
    eprint!("{}", summary.text());
    if let Some(e) = &sink.error {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            return Err(format!("writing the output failed: {e}"));
        }
    }
    if let Some(e) = read_error {
        return Err(format!("{e} (the rows before it were written)"));
    }
    if interrupted && !output_failed {
        return Ok(EXIT_INTERRUPTED);
    }
    let v = &tally.verdicts;
    Ok(if v[3] + v[4] > 0 {
        crate::EXIT_FAIL
    } else if v[2] > 0 {
        crate::EXIT_INDETERMINATE
    } else {
        crate::EXIT_PASS
    })
}
