//! The report for people: one section per node, one line per check with a
//! clear mark, evidence under the checks that did not pass, the bottom line last.

use super::{Node, Report, Status};
use std::fmt::Write;

/// The mark printed before a check.
pub fn mark(status: Status) -> &'static str {
    match status {
        Status::Pass => "[ ok ]",
        Status::Warn => "[warn]",
        Status::Indeterminate => "[ ?? ]",
        Status::Fail => "[FAIL]",
    }
}

/// The verdict as a sentence a person can act on.
pub fn bottom_line(report: &Report) -> String {
    let c = report.counts();
    let ids_with = |status: Status| -> String {
        let mut ids: Vec<&str> = report.all_checks().into_iter().filter(|ch| ch.status == status).map(|ch| ch.id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        ids.join(", ")
    };
    let checks = |n: usize| if n == 1 { "1 check".to_string() } else { format!("{n} checks") };
    match report.verdict() {
        Status::Pass => format!("PASS: all {} passed.", checks(c.pass)),
        Status::Warn => format!(
            "PASS WITH WARNINGS: nothing failed, {} passed, {} to read ({}).",
            checks(c.pass),
            if c.warn == 1 { "1 warning".to_string() } else { format!("{} warnings", c.warn) },
            ids_with(Status::Warn)
        ),
        Status::Indeterminate if c.pass + c.warn + c.indeterminate == 0 => "INDETERMINATE: nothing could be checked.".to_string(),
        Status::Indeterminate => format!(
            "INDETERMINATE: nothing failed, but {} could not be decided from the evidence given ({}): that is not proof of forgery.",
            checks(c.indeterminate),
            ids_with(Status::Indeterminate)
        ),
        Status::Fail => format!("FAIL: {} failed ({}).", checks(c.fail), ids_with(Status::Fail)),
    }
}

/// Renders the whole report. With `verbose`, evidence is shown for passing checks too.
pub fn render(report: &Report, verbose: bool) -> String {
    let mut out = String::new();
    let p = &report.policy;
    let _ = write!(out, "sigaudit {}  validation time: {}", crate::VERSION, p.validation_time);
    if let Some(env) = &p.env {
        let _ = write!(out, "  environment: {env}");
    }
    out.push('\n');
    for node in &report.nodes {
        out.push('\n');
        render_node(&mut out, node, 0, verbose);
    }
    let _ = write!(out, "\n{}\n", bottom_line(report));
    out
}

fn render_node(out: &mut String, node: &Node, depth: usize, verbose: bool) {
    let pad = "  ".repeat(depth);
    let verdict = node.verdict().map(|v| v.as_str().to_uppercase()).unwrap_or_else(|| "-".into());
    let _ = writeln!(out, "{pad}== {}  [{}]", node.subject, verdict);
    if verbose {
        for f in &node.facts {
            let _ = writeln!(out, "{pad}   {}: {}", f.name, f.display_value());
        }
    }
    for check in &node.checks {
        let _ = writeln!(out, "{pad}  {} {:<28} {}", mark(check.status), check.id.as_str(), check.message);
        if verbose || check.status != Status::Pass {
            for f in &check.evidence {
                let _ = writeln!(out, "{pad}         {}: {}", f.name, f.display_value());
            }
        }
    }
    for child in &node.children {
        render_node(out, child, depth + 1, verbose);
    }
}
