//! Progress on standard error: a bar (indicatif) with items done, rate and
//! ETA when stderr is a terminal; otherwise a plain line every interval
//! (logs and CI). Standard output carries only the report.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::time::{Duration, Instant};

pub enum Progress {
    Bar(ProgressBar),
    Lines { every: Duration, last: Instant, start: Instant, total: Option<u64> },
    Off,
}

impl Progress {
    /// A bar on a terminal, plain lines otherwise; nothing with `quiet`.
    pub fn new(quiet: bool, every: Duration) -> Progress {
        if quiet {
            return Progress::Off;
        }
        if std::io::stderr().is_terminal() {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr_with_hz(4));
            let style = ProgressStyle::with_template("{spinner} {human_pos}/{human_len} items  {rate} items/s  elapsed {elapsed}  ETA {eta}  {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .with_key("rate", |s: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                    let _ = write!(w, "{:.0}", s.per_sec());
                });
            bar.set_style(style);
            bar.enable_steady_tick(Duration::from_millis(250));
            Progress::Bar(bar)
        } else {
            let now = Instant::now();
            Progress::Lines { every, last: now, start: now, total: None }
        }
    }

    /// The number of items, once known (counted in the background).
    pub fn set_total(&mut self, n: u64) {
        match self {
            Progress::Bar(b) => b.set_length(n),
            Progress::Lines { total, .. } => *total = Some(n),
            Progress::Off => {}
        }
    }

    /// Called by the writer after each written chunk.
    pub fn update(&mut self, done: u64, failed: u64, errors: u64) {
        match self {
            Progress::Bar(b) => {
                b.set_position(done);
                if failed + errors > 0 {
                    b.set_message(format!("{failed} failed, {errors} errors"));
                }
            }
            Progress::Lines { every, last, start, total } => {
                let now = Instant::now();
                if now.duration_since(*last) < *every {
                    return;
                }
                *last = now;
                let el = now.duration_since(*start).as_secs_f64();
                let rate = if el > 0.0 { done as f64 / el } else { 0.0 };
                let of = match total {
                    Some(t) => {
                        let eta = if rate > 0.0 { (t.saturating_sub(done)) as f64 / rate } else { 0.0 };
                        format!("/{t} ({:.1}%, ETA {:.0} s)", 100.0 * done as f64 / (*t).max(1) as f64, eta)
                    }
                    None => String::new(),
                };
                eprintln!("sigaudit batch: {done}{of} items, {rate:.0}/s, {failed} failed, {errors} errors, {el:.0} s");
            }
            Progress::Off => {}
        }
    }

    pub fn finish(&mut self) {
        if let Progress::Bar(b) = self {
            b.finish_and_clear();
        }
    }
}
