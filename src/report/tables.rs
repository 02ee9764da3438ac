//! The CSV files of SPEC §4: `timeseries.csv`, `events.csv`, `outages.csv`.
//! Numbers in shortest round-trip form; a null is an empty cell.

use super::series::WindowRow;
use crate::montecarlo::Outcome;

pub const TIMESERIES_HEADER: [&str; 11] = [
    "window_start_s",
    "window_end_s",
    "uptime",
    "availability",
    "offered",
    "succeeded",
    "failed",
    "latency_p50_ms",
    "latency_p99_ms",
    "uptime_ci95",
    "availability_ci95",
];
pub const EVENTS_HEADER: [&str; 4] = ["time_s", "node", "event", "detail"];
pub const OUTAGES_HEADER: [&str; 13] = [
    "replication",
    "start_s",
    "end_s",
    "duration_s",
    "censored",
    "cause",
    // SPEC §8: seconds of the outage in each phase (they add up to
    // duration_s).
    "detection",
    "decision",
    "fencing",
    "start",
    "switch",
    "repair",
    // SPEC §7: the root component (added last).
    "root",
];

/// A float in shortest round-trip form.
pub fn num(x: f64) -> String {
    if x.is_finite() {
        ryu::Buffer::new().format_finite(x).to_string()
    } else {
        String::new()
    }
}

pub fn opt(x: Option<f64>) -> String {
    x.map(num).unwrap_or_default()
}

pub fn secs(ns: u64) -> String {
    num(ns as f64 / 1e9)
}

/// Whether a cell is a plain decimal number (`-12`, `0.5`, `-1.5e-7`):
/// what `num` and integer formatting write. Only these may begin with `-`.
fn is_number(cell: &str) -> bool {
    let b = cell.strip_prefix('-').unwrap_or(cell).as_bytes();
    let digits = |b: &[u8]| b.iter().take_while(|c| c.is_ascii_digit()).count();
    let mut i = digits(b);
    if i == 0 {
        return false;
    }
    if b.get(i) == Some(&b'.') {
        let d = digits(&b[i + 1..]);
        if d == 0 {
            return false;
        }
        i += 1 + d;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'-' | b'+')) {
            i += 1;
        }
        let d = digits(&b[i..]);
        if d == 0 {
            return false;
        }
        i += d;
    }
    i == b.len()
}

/// A cell as written: text that a spreadsheet would run as a formula
/// (it begins with `=`, `+`, `-`, `@`, a tab or a carriage return; OWASP
/// "CSV injection") gets a leading `'`, which spreadsheets show as text.
/// Numbers stay numbers. The csv writer then quotes per RFC 4180.
pub fn safe_cell(cell: &str) -> std::borrow::Cow<'_, str> {
    let risky = cell
        .chars()
        .next()
        .is_some_and(|c| matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r'));
    if risky && !is_number(cell) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// Every CSV file is written here, so every cell passes `safe_cell`.
pub fn to_csv(header: &[&str], rows: impl Iterator<Item = Vec<String>>) -> String {
    let mut out = Vec::new();
    write_csv(&mut out, header, rows).expect("writing to memory");
    String::from_utf8(out).expect("CSV of UTF-8 strings")
}

/// As `to_csv`, streamed into `w` (the same bytes).
pub fn write_csv(
    w: &mut dyn std::io::Write,
    header: &[&str],
    rows: impl Iterator<Item = Vec<String>>,
) -> std::io::Result<()> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(w);
    w.write_record(header.iter().map(|c| safe_cell(c).into_owned()))?;
    for row in rows {
        w.write_record(row.iter().map(|c| safe_cell(c).into_owned()))?;
    }
    w.flush()
}

pub fn timeseries(rows: &[WindowRow]) -> String {
    let count = |c: Option<u64>| c.map(|c| c.to_string()).unwrap_or_default();
    let rows = rows.iter().map(|w| {
        vec![
            num(w.start_s),
            num(w.end_s),
            opt(w.uptime),
            opt(w.availability),
            count(w.offered),
            count(w.succeeded),
            count(w.failed),
            opt(w.p50_ms),
            opt(w.p99_ms),
            opt(w.uptime_ci95),
            opt(w.availability_ci95),
        ]
    });
    to_csv(&TIMESERIES_HEADER, rows)
}

pub fn events(o: &Outcome) -> String {
    to_csv(&EVENTS_HEADER, o.events.iter().map(event_row))
}

/// One event's `events.csv` cells.
pub fn event_row(e: &crate::metrics::TraceEvent) -> Vec<String> {
    vec![
        secs(e.time_ns),
        e.node.map(|n| n.to_string()).unwrap_or_default(),
        e.event.to_string(),
        e.detail.clone(),
    ]
}

/// `events.csv` when replication 0's events went on past the memory trace
/// (`hasim run --events`): the memory rows but their `trace_cut` marker,
/// then the rows written to disk during the run (issue 8 §2).
pub fn write_events(o: &Outcome, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    let Some(spill) = &o.event_spill else {
        return w.write_all(events(o).as_bytes());
    };
    let kept = match o.events.last() {
        Some(e) if e.event == crate::model::TRACE_CUT => &o.events[..o.events.len() - 1],
        _ => &o.events[..],
    };
    write_csv(w, &EVENTS_HEADER, kept.iter().map(event_row))?;
    spill.copy_to(w)?;
    w.flush()
}

/// Rows of `outages.csv`; the phase columns (SPEC §8) come from the
/// outage's index in replication order; `domains` (their names in order)
/// name domain roots (SPEC §7).
fn outage_rows<'a>(
    o: &'a Outcome,
    domains: &'a [String],
) -> impl Iterator<Item = Vec<String>> + 'a {
    let mut phases = o.outage_phases();
    o.outages().map(move |(rep, out)| {
        let mut row = vec![
            rep.to_string(),
            secs(out.start_ns),
            secs(out.end_ns),
            secs(out.duration_ns()),
            out.censored.to_string(),
            // SPEC §4: the cause names the event (events.csv has its node).
            out.cause.event.to_string(),
        ];
        row.extend(phases.next().into_iter().flatten().map(secs));
        row.push(super::roots::root_name(out.root, domains));
        row
    })
}

pub fn outages(o: &Outcome, domains: &[String]) -> String {
    to_csv(&OUTAGES_HEADER, outage_rows(o, domains))
}

/// `outages.csv` streamed into `w`: a run's outages need not fit in memory.
pub fn write_outages(
    o: &Outcome,
    domains: &[String],
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    write_csv(w, &OUTAGES_HEADER, outage_rows(o, domains))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_phase_columns_are_the_phases_in_order() {
        assert_eq!(OUTAGES_HEADER[6..12], crate::metrics::imperfect::PHASES);
    }

    #[test]
    fn formulas_become_text_and_numbers_stay_numbers() {
        for (cell, written) in [
            ("=1+2", "'=1+2"),
            ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
            ("-2+3+cmd", "'-2+3+cmd"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("-5m", "'-5m"),
            ("-", "'-"),
            ("-1e", "'-1e"),
            ("-inf", "'-inf"),
            ("+5", "'+5"),
            ("-12", "-12"),
            ("-0.5", "-0.5"),
            ("-1.5e-7", "-1.5e-7"),
            ("1e300", "1e300"),
            ("0.25", "0.25"),
            ("warm-standby", "warm-standby"),
            ("", ""),
        ] {
            assert_eq!(safe_cell(cell), written, "{cell:?}");
        }
        let csv = to_csv(
            &["k", "=h"],
            [vec!["=HYPERLINK(\"x\",\"y\")".into(), "-3".into()]].into_iter(),
        );
        assert_eq!(csv, "k,'=h\r\n\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\",-3\r\n");
    }
}
