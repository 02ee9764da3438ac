//! Replication 0's events past the in-memory trace, streamed to disk while
//! the replication runs (issue 8 §2). The trace held in memory stops at
//! `model::TRACE_CAP` events (what the timeline, the player, the page and
//! `explain` read); with `hasim run --events N` above that, or `all`, every
//! later event is written as its `events.csv` row to an unnamed temporary
//! file, and `events.csv` is the memory rows followed by that file. Memory
//! does not grow with the number of events.

use super::TraceEvent;
use std::fs;
use std::io::{self, BufWriter, Read, Seek, SeekFrom, Write};

/// Events written to `events.csv` by default: as many as the trace held in
/// memory, so a 10-year 1200-node fleet does not write gigabytes unless
/// asked to (`hasim run --events all`).
pub const EVENTS_DEFAULT: u64 = crate::model::TRACE_CAP as u64;

/// The detail of the `trace_cut` row that ends a trace of `kept` events.
pub fn cut_detail(kept: u64) -> String {
    format!("the trace keeps the first {kept} events; later ones are not recorded")
}

/// The rows of `events.csv` past the memory trace, while the run writes them.
pub struct EventWriter {
    w: Option<csv::Writer<BufWriter<fs::File>>>,
    rows: u64,
    cut_ns: Option<u64>,
    error: Option<io::Error>,
}

impl EventWriter {
    pub fn new() -> EventWriter {
        // A failure to create the file is kept and reported when the output
        // is written (the run itself goes on).
        let (w, error) = match super::outage_log::temp_file() {
            Ok(f) => (
                Some(
                    csv::WriterBuilder::new()
                        .terminator(csv::Terminator::CRLF)
                        .from_writer(BufWriter::with_capacity(1 << 16, f)),
                ),
                None,
            ),
            Err(e) => (None, Some(e)),
        };
        EventWriter {
            w,
            rows: 0,
            cut_ns: None,
            error,
        }
    }

    /// Appends one event as its `events.csv` row.
    pub fn push(&mut self, e: &TraceEvent) {
        if e.event == crate::model::TRACE_CUT {
            self.cut_ns = Some(e.time_ns);
        }
        let Some(w) = self.w.as_mut().filter(|_| self.error.is_none()) else {
            return;
        };
        let row = crate::report::tables::event_row(e);
        let cells = row.iter().map(|c| crate::report::tables::safe_cell(c));
        match w.write_record(cells.map(|c| c.into_owned())) {
            Ok(()) => self.rows += 1,
            Err(e) => self.error = Some(io::Error::other(e.to_string())),
        }
    }

    /// The finished file, ready to be read back.
    pub fn finish(mut self) -> EventSpill {
        let mut error = self.error.take();
        let file = self.w.and_then(|w| {
            let done = w
                .into_inner()
                .map_err(|e| io::Error::other(e.to_string()))
                .and_then(|b| b.into_inner().map_err(|e| io::Error::other(e.to_string())));
            done.map_err(|e| error.get_or_insert(e)).ok()
        });
        EventSpill {
            file,
            rows: self.rows,
            cut_ns: self.cut_ns,
            error,
        }
    }
}

impl Default for EventWriter {
    fn default() -> Self {
        Self::new()
    }
}

/// Replication 0's events past the memory trace, on disk, as CSV rows.
#[derive(Debug)]
pub struct EventSpill {
    file: Option<fs::File>,
    /// Rows in the file (the last one a `trace_cut` row when cut).
    pub rows: u64,
    /// Where the file's `trace_cut` row stands, when `--events N` cut it.
    pub cut_ns: Option<u64>,
    /// The first write error; reported when the output is written.
    pub error: Option<io::Error>,
}

impl EventSpill {
    /// Copies the rows into `w`.
    pub fn copy_to(&self, w: &mut dyn Write) -> io::Result<()> {
        if let Some(e) = &self.error {
            return Err(io::Error::new(e.kind(), e.to_string()));
        }
        let Some(mut f) = self.file.as_ref() else {
            return Ok(());
        };
        f.seek(SeekFrom::Start(0))?;
        let mut buf = vec![0u8; 1 << 16];
        loop {
            let n = f.read(&mut buf)?;
            if n == 0 {
                return Ok(());
            }
            w.write_all(&buf[..n])?;
        }
    }
}

/// Rows of `events.csv` (its `trace_cut` row included), and where the
/// file was cut, if it was.
pub fn file_rows(o: &crate::montecarlo::Outcome) -> (u64, Option<u64>) {
    let memory_cut = o
        .events
        .last()
        .filter(|e| e.event == crate::model::TRACE_CUT)
        .map(|e| e.time_ns);
    match &o.event_spill {
        Some(s) => (o.events.len() as u64 - 1 + s.rows, s.cut_ns),
        None => (o.events.len() as u64, memory_cut),
    }
}
