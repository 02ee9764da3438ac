//! The outages of a long or many-replication run without holding them all
//! in memory (issue 8). A run keeps its first [`OUTAGE_KEEP`] outages in
//! memory, as before; past that, every outage (in replication order) goes
//! to an unnamed temporary file as a fixed 32-byte record, and memory keeps
//! only fixed-size summaries: a log-binned histogram of durations (for the
//! outage-duration chart) and the longest outage (for the story). The
//! temporary file is unlinked as soon as it is created, so nothing is left
//! behind whatever happens to the process.

use super::uptime::{Cause, Outage, Root};

/// Phases per outage row (`imperfect::PHASES`).
const PHASES: usize = super::imperfect::PHASES.len();
use std::fs;
use std::io::{self, BufReader, Read, Seek, SeekFrom, Write};

/// Outages a run holds in memory before it spills them to disk. Every
/// bundled scenario stays far below it, so their outputs do not change.
pub const OUTAGE_KEEP: usize = 100_000;

/// Histogram bins per doubling of the duration: neighbouring bin edges are
/// 1.1 % apart, finer than the outage chart draws (it thins its points to
/// 0.4 % in log x and 0.2 % in y).
const PER_OCTAVE: f64 = 64.0;
/// 64 doublings of 1 ns cover every u64 duration.
const BINS: usize = 64 * 64;

/// Outage durations, log-binned: fixed size whatever the count.
#[derive(Clone, Debug)]
pub struct DurationHist {
    counts: Vec<u64>,
    total: u64,
}

impl Default for DurationHist {
    fn default() -> Self {
        DurationHist {
            counts: vec![0; BINS],
            total: 0,
        }
    }
}

impl DurationHist {
    fn bin(d_ns: u64) -> usize {
        (((d_ns.max(1) as f64).log2() * PER_OCTAVE) as usize).min(BINS - 1)
    }

    pub fn add(&mut self, d_ns: u64) {
        self.counts[Self::bin(d_ns)] += 1;
        self.total += 1;
    }

    /// CDF points (upper bin edge in s, fraction ≤), one per non-empty bin.
    pub fn cdf(&self) -> Vec<(f64, f64)> {
        let mut acc = 0u64;
        let n = self.total as f64;
        self.counts
            .iter()
            .enumerate()
            .filter(|(_, c)| **c > 0)
            .map(|(i, c)| {
                acc += c;
                let edge_ns = ((i + 1) as f64 / PER_OCTAVE).exp2();
                (edge_ns / 1e9, acc as f64 / n)
            })
            .collect()
    }
}

/// An unnamed temporary file in the system's temporary folder (unlinked
/// as soon as it is created).
pub(crate) fn temp_file() -> io::Result<fs::File> {
    use std::hash::{BuildHasher, Hasher};
    let dir = std::env::temp_dir();
    let mut tries = 0;
    let file = loop {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u32(std::process::id());
        h.write_u32(tries);
        let path = dir.join(format!(
            ".hasim-outages-{}-{:016x}",
            std::process::id(),
            h.finish()
        ));
        match fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(f) => {
                let _ = fs::remove_file(&path);
                break f;
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && tries < 16 => tries += 1,
            Err(e) => return Err(e),
        }
    };
    Ok(file)
}

const RECORD: usize = 32;
const NO_NODE: u32 = u32::MAX;

/// Every outage of a run, in order, on disk.
pub struct Spill {
    file: fs::File,
    /// Each outage's phase row (SPEC §8), 8 × PHASES bytes, when any.
    phases: Option<fs::File>,
    /// Cause names seen, by index (a handful of event names).
    causes: Vec<&'static str>,
    buf: Vec<u8>,
    /// Durations of every outage.
    pub hist: DurationHist,
    /// The longest outage (the last of equals, as `max_by_key` picks).
    pub longest: Option<(u32, Outage)>,
    /// The first write or read error; reported when the output is written.
    pub error: Option<io::Error>,
}

impl std::fmt::Debug for Spill {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Spill")
            .field("outages", &self.hist.total)
            .finish()
    }
}

impl Spill {
    /// An unnamed temporary file in the system's temporary folder.
    pub fn new() -> io::Result<Spill> {
        Ok(Spill {
            file: temp_file()?,
            phases: None,
            causes: Vec::new(),
            buf: Vec::new(),
            hist: DurationHist::default(),
            longest: None,
            error: None,
        })
    }

    /// Appends outage phase rows (SPEC §8), one per outage in the order
    /// of the outages, to a second file beside the outages.
    pub fn push_phases(&mut self, rows: impl Iterator<Item = [u64; PHASES]>) {
        let mut rows = rows.peekable();
        if rows.peek().is_none() || self.error.is_some() {
            return;
        }
        if self.phases.is_none() {
            match temp_file() {
                Ok(f) => self.phases = Some(f),
                Err(e) => {
                    self.error = Some(e);
                    return;
                }
            }
        }
        let Some(mut f) = self.phases.as_ref() else {
            return;
        };
        let r = f.seek(SeekFrom::End(0)).map(|_| ()).and_then(|()| {
            let mut w = io::BufWriter::new(f);
            for row in rows {
                for ns in row {
                    w.write_all(&ns.to_le_bytes())?;
                }
            }
            w.flush()
        });
        if let Err(e) = r {
            self.error = Some(e);
        }
    }

    /// Every phase row written, in order.
    pub fn phases(&self) -> impl Iterator<Item = [u64; PHASES]> + '_ {
        let mut r = self
            .phases
            .as_ref()
            .and_then(|mut f| f.seek(SeekFrom::Start(0)).ok().map(|_| BufReader::new(f)));
        std::iter::from_fn(move || {
            let mut rec = [0u8; 8 * PHASES];
            r.as_mut()?.read_exact(&mut rec).ok()?;
            let mut row = [0u64; PHASES];
            for (k, v) in row.iter_mut().enumerate() {
                *v = u64::from_le_bytes(rec[8 * k..8 * k + 8].try_into().expect("8"));
            }
            Some(row)
        })
    }

    pub fn push(&mut self, rep: u32, o: &Outage) {
        let d = o.duration_ns();
        self.hist.add(d);
        if self
            .longest
            .as_ref()
            .is_none_or(|(_, l)| d >= l.duration_ns())
        {
            self.longest = Some((rep, o.clone()));
        }
        let cause = match self.causes.iter().position(|c| *c == o.cause.event) {
            Some(i) => i,
            None => {
                self.causes.push(o.cause.event);
                self.causes.len() - 1
            }
        } as u16;
        self.buf.extend_from_slice(&rep.to_le_bytes());
        self.buf.extend_from_slice(&o.start_ns.to_le_bytes());
        self.buf.extend_from_slice(&o.end_ns.to_le_bytes());
        self.buf.push(u8::from(o.censored));
        self.buf.extend_from_slice(&cause.to_le_bytes());
        self.buf
            .extend_from_slice(&o.cause.node.unwrap_or(NO_NODE).to_le_bytes());
        let (tag, id) = match o.root {
            None => (0u8, 0u32),
            Some(Root::Node(i)) => (1, i),
            Some(Root::Domain(i)) => (2, i),
            Some(Root::Dispatcher(i)) => (3, i),
            Some(Root::Maintenance(i)) => (4, i),
        };
        self.buf.push(tag);
        self.buf.extend_from_slice(&id.to_le_bytes());
        if self.buf.len() >= 1 << 20 {
            self.flush();
        }
    }

    /// Writes what is buffered; call before reading.
    pub fn flush(&mut self) {
        if self.buf.is_empty() || self.error.is_some() {
            self.buf.clear();
            return;
        }
        let r = (&self.file)
            .seek(SeekFrom::End(0))
            .and_then(|_| (&self.file).write_all(&self.buf));
        if let Err(e) = r {
            self.error = Some(e);
        }
        self.buf.clear();
    }

    /// Every outage written, in order (call `flush` first). A read error
    /// ends the iteration early; `read_error` then says so.
    pub fn iter(&self) -> impl Iterator<Item = (u32, Outage)> + '_ {
        debug_assert!(self.buf.is_empty(), "flushed before reading");
        let mut f = &self.file;
        let mut r = f.seek(SeekFrom::Start(0)).ok().map(|_| BufReader::new(f));
        std::iter::from_fn(move || {
            let mut rec = [0u8; RECORD];
            r.as_mut()?.read_exact(&mut rec).ok()?;
            let u32_at = |i: usize| u32::from_le_bytes(rec[i..i + 4].try_into().expect("4"));
            let u64_at = |i: usize| u64::from_le_bytes(rec[i..i + 8].try_into().expect("8"));
            let cause = u16::from_le_bytes([rec[21], rec[22]]) as usize;
            let node = u32_at(23);
            let id = u32_at(28);
            let root = match rec[27] {
                1 => Some(Root::Node(id)),
                2 => Some(Root::Domain(id)),
                3 => Some(Root::Dispatcher(id)),
                4 => Some(Root::Maintenance(id)),
                _ => None,
            };
            Some((
                u32_at(0),
                Outage {
                    start_ns: u64_at(4),
                    end_ns: u64_at(12),
                    censored: rec[20] != 0,
                    cause: Cause {
                        event: self.causes.get(cause).copied().unwrap_or("unknown"),
                        node: (node != NO_NODE).then_some(node),
                    },
                    root,
                },
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outage(s: u64, e: u64, node: Option<u32>, event: &'static str) -> Outage {
        Outage {
            start_ns: s,
            end_ns: e,
            censored: e == 99,
            cause: Cause { event, node },
            root: node.map(Root::Node),
        }
    }

    #[test]
    fn spilled_outages_read_back_exactly_in_order() {
        let mut s = Spill::new().unwrap();
        let all = [
            (0, outage(1, 5, Some(2), "crash")),
            (0, outage(7, 99, None, "hang")),
            (3, outage(u64::MAX - 10, u64::MAX, Some(0), "crash")),
        ];
        for (r, o) in &all {
            s.push(*r, o);
        }
        s.flush();
        let back: Vec<_> = s.iter().collect();
        assert_eq!(back, all.to_vec());
        // Appending after a read continues the file.
        s.push(4, &all[0].1);
        s.flush();
        assert_eq!(s.iter().count(), 4);
        // The longest: 92 ns (7 → 99); u64::MAX - 10 → MAX is 10 ns.
        assert_eq!(s.longest.as_ref().unwrap().1.duration_ns(), 92);
    }

    #[test]
    fn the_histogram_cdf_ends_at_one_and_brackets_each_duration() {
        let mut h = DurationHist::default();
        for d in [
            1_000_000_000u64,
            1_000_000_000,
            3_000_000_000,
            60_000_000_000,
        ] {
            h.add(d);
        }
        let c = h.cdf();
        assert_eq!(c.len(), 3);
        assert_eq!(c.last().unwrap().1, 1.0);
        assert_eq!(c[0].1, 0.5);
        // Each bin's upper edge is above its durations by at most 1.1 %.
        for (edge, d) in c.iter().map(|p| p.0).zip([1.0, 3.0, 60.0]) {
            assert!(edge > d && edge < d * 1.011, "{edge} vs {d}");
        }
    }
}
