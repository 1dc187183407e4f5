//! Tests of the PDF reader on files written by [`builder::Builder`], one
//! file per concern; `perf.rs` times a 100 MB file, `real.rs` reads files
//! made by other writers (qpdf, pyHanko) from `../testdata`.

mod builder;
mod hostile;
mod objects;
mod perf;
mod real;
mod structure;
