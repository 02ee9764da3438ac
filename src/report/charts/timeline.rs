//! The timeline of the first replication: a row for the service (up or
//! down, from the outages uptime is measured from), then one row per node,
//! coloured by what the node does, with markers for detection, operator
//! action and promotion or election. Time is drawn to scale: a state too
//! short to see keeps its true (sub-pixel) width and gets a tick above its
//! bar instead.

use super::domain_rows::{self, RowKind};
use super::{err, px, render, side_legend, split, Chart, Key, TimeUnit, FONT};
use crate::metrics::{views, NodeView};
use crate::montecarlo::Outcome;
use crate::scenario::{Architecture, Effect, Scenario};
use plotters::coord::Shift;
use plotters::prelude::*;

fn colour(v: NodeView) -> RGBColor {
    match v {
        NodeView::Primary => RGBColor(0, 114, 178),
        NodeView::Backup => RGBColor(166, 206, 227),
        NodeView::Serving => RGBColor(0, 158, 115),
        NodeView::Promoting => RGBColor(230, 159, 0),
        NodeView::Unmarked => RGBColor(240, 228, 66),
        NodeView::Down => RGBColor(213, 94, 0),
        NodeView::Gone => RGBColor(60, 60, 60),
        NodeView::Hung => RGBColor(204, 121, 167),
        NodeView::Partitioned => RGBColor(120, 40, 140),
    }
}

pub fn label(v: NodeView, arch: Architecture) -> &'static str {
    let cluster = arch.health_checked();
    match v {
        NodeView::Primary if cluster || arch == Architecture::MasterSlave => "serving as master",
        NodeView::Primary => "serving as primary",
        NodeView::Backup => "standby (not serving)",
        NodeView::Serving if arch == Architecture::SymmetricCluster => "serving (member)",
        NodeView::Serving => "serving as slave",
        NodeView::Promoting => "being promoted",
        NodeView::Unmarked => "running, not yet marked up",
        NodeView::Down => "down, under repair",
        NodeView::Gone => "failed for good, awaiting replacement",
        NodeView::Hung => "hung: takes tasks, answers none",
        NodeView::Partitioned => "partitioned: unreachable",
    }
}

/// Markers: (event names, legend label, shape).
const MARKERS: [(&[&str], &str, u8); 3] = [
    (&["marked_down"], "marked down (heartbeats)", 0),
    (
        &["operator_alerted", "operator_acted"],
        "operator alerted / acted",
        1,
    ),
    (&["promoted", "elected"], "promoted / elected", 2),
];

/// What one stretch of a row shows.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Paint {
    /// The service (replication 0): up, down, or not measured yet.
    ServiceUp,
    ServiceDown,
    Warmup,
    Node(NodeView),
    /// SPEC §7 (grouped timeline only): a domain up, a crash or partition
    /// domain down, a dispatcher active or none.
    DomainUp,
    CrashDown,
    PartitionDown,
    DispatcherUp,
    DispatcherDown,
    /// After the first run's record was cut (`metrics::views`).
    NotRecorded,
}

impl Paint {
    fn colour(self) -> RGBColor {
        match self {
            Paint::ServiceUp => super::tint(RGBColor(0, 158, 115), 0.45),
            Paint::ServiceDown => RGBColor(170, 40, 0),
            Paint::Warmup => RGBColor(200, 200, 200),
            Paint::Node(v) => colour(v),
            Paint::DomainUp => RGBColor(226, 226, 226),
            Paint::CrashDown => CRASH_BAND,
            Paint::PartitionDown => PARTITION_BAND,
            Paint::DispatcherUp => super::tint(RGBColor(0, 114, 178), 0.35),
            Paint::DispatcherDown => RGBColor(90, 20, 20),
            Paint::NotRecorded => RGBColor(235, 235, 235),
        }
    }
}

/// One row of the timeline: its label and its stretches (start, end, paint)
/// in simulated nanoseconds, in order, covering [0, horizon).
pub type Row = (String, Vec<(u64, u64, Paint)>);

/// The rows, top to bottom: the service, then every node. The service row
/// comes from replication 0's outages, the very intervals uptime is
/// measured from; before the warm-up ends nothing is measured.
pub fn rows(sc: &Scenario, o: &Outcome) -> Vec<Row> {
    let horizon = sc.horizon_ns();
    let mut service = Vec::new();
    let mut t = 0;
    if sc.warmup_ns > 0 {
        service.push((0, sc.warmup_ns.min(horizon), Paint::Warmup));
        t = sc.warmup_ns.min(horizon);
    }
    // Past the outages held in memory the service row is not drawn.
    let known = views::outages_known_until(&o.outage_list, o.outage_spill.is_some());
    let horizon_all = horizon;
    let horizon = known.map_or(horizon, |k| k.clamp(t, horizon));
    for (_, x) in o.outage_list.iter().filter(|(r, _)| *r == 0) {
        let (start, end) = (x.start_ns.max(t), x.end_ns.min(horizon));
        if start > t {
            service.push((t, start, Paint::ServiceUp));
        }
        if end > start {
            service.push((start, end, Paint::ServiceDown));
            t = end;
        }
    }
    if horizon > t {
        service.push((t, horizon, Paint::ServiceUp));
    }
    if horizon_all > horizon {
        service.push((horizon, horizon_all, Paint::NotRecorded));
    }
    let mut out = vec![("service".to_string(), service)];
    // Past a cut record, node rows show "not recorded".
    let (drawn, cut) = views::drawn(&o.views);
    let horizon = cut.map_or(horizon_all, |c| c.min(horizon_all));
    let mut by_node: Vec<Vec<&crate::metrics::ViewChange>> =
        vec![Vec::new(); sc.nodes.count as usize];
    for c in drawn {
        if let Some(v) = by_node.get_mut(c.node as usize) {
            v.push(c);
        }
    }
    let node_row = |node: u32| {
        let mut stretches = node_stretches(&by_node[node as usize], horizon);
        if horizon_all > horizon {
            stretches.push((horizon, horizon_all, Paint::NotRecorded));
        }
        stretches
    };
    if domain_rows::grouped(sc) {
        // SPEC §7: nodes under their domain, with the domain's own row.
        for row in domain_rows::layout(sc).into_iter().skip(1) {
            let stretches = match row {
                RowKind::Node(n) => node_row(n),
                RowKind::Domain(d) => {
                    let down = match sc.domains[d as usize].effect {
                        Effect::Crash => Paint::CrashDown,
                        Effect::Partition => Paint::PartitionDown,
                    };
                    let iv = domain_rows::down_intervals(sc, o, Some(d));
                    up_down(&iv, horizon_all, Paint::DomainUp, down)
                }
                _ => {
                    let iv = domain_rows::down_intervals(sc, o, None);
                    up_down(&iv, horizon_all, Paint::DispatcherUp, Paint::DispatcherDown)
                }
            };
            out.push((domain_rows::label(sc, row), stretches));
        }
        return out;
    }
    for node in 0..sc.nodes.count {
        out.push((format!("node {node}"), node_row(node)));
    }
    out
}

/// A node's stretches, from its view changes in order.
fn node_stretches(changes: &[&crate::metrics::ViewChange], horizon: u64) -> Vec<(u64, u64, Paint)> {
    changes
        .iter()
        .enumerate()
        .filter_map(|(i, c)| {
            let end = changes
                .get(i + 1)
                .map_or(horizon, |d| d.time_ns)
                .min(horizon);
            (end > c.time_ns).then_some((c.time_ns, end, Paint::Node(c.view)))
        })
        .collect()
}

/// Stretches covering [0, horizon) from down intervals in order.
fn up_down(iv: &[(u64, u64)], horizon: u64, up: Paint, down: Paint) -> Vec<(u64, u64, Paint)> {
    let mut out = Vec::new();
    let mut t = 0;
    for &(a, b) in iv {
        if a > t {
            out.push((t, a, up));
        }
        out.push((a, b, down));
        t = b;
    }
    if horizon > t {
        out.push((t, horizon, up));
    }
    out
}

/// Pixel x of simulated time `t_ns`: rounded from the exact position, so
/// stretches that touch share their edge and each drawn width is within a
/// pixel of its exact width (no state is widened to stay visible).
fn pixel_x(t_ns: u64, horizon_ns: u64, left: i32, right: i32) -> i32 {
    let f = t_ns as f64 / horizon_ns.max(1) as f64;
    left + (f * f64::from(right - left)).round() as i32
}

/// Markers of one kind beyond which those on one pixel are merged.
const MERGE_MARKERS_ABOVE: usize = 2000;

/// States narrower than this many pixels get a tick above their bar.
const TICK_BELOW_PX: f64 = 2.0;

fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    sc: &Scenario,
    o: &Outcome,
    title: &str,
) -> Result<(), String> {
    root.fill(&WHITE).map_err(err)?;
    let (plot, legend) = split(root);
    let mut keys = Vec::new();
    let rows = rows(sc, o);
    let n = rows.len() as u32;
    let horizon = sc.horizon_ns();
    let horizon_s = horizon as f64 / 1e9;
    let unit = TimeUnit::for_horizon(horizon_s);
    let x1 = horizon_s / unit.seconds;
    // Segment r (counted from the bottom) holds row n - 1 - r.
    // Room for the longest row label (`rack-a (rack)`), at least as before.
    let longest = rows.iter().map(|r| r.0.chars().count()).max().unwrap_or(0);
    let label_room = (longest as u32 * 9).max(80);
    let mut chart = super::chart_builder(&plot, title, label_room)
        .build_cartesian_2d(0.0..x1, (0..n - 1).into_segmented())
        .map_err(err)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .x_desc(format!("time ({}), first replication", unit.name))
        .x_label_formatter(&super::tick)
        .y_labels(n as usize)
        .y_label_formatter(&|v| match v {
            SegmentValue::CenterOf(r) if *r < n => rows[(n - 1 - r) as usize].0.clone(),
            _ => String::new(),
        })
        .label_style((FONT, px(20)))
        .axis_desc_style((FONT, px(22)))
        .light_line_style(RGBColor(235, 235, 235))
        .draw()
        .map_err(err)?;
    let area = chart.plotting_area();
    let (left, _) = area.map_coordinate(&(0.0, SegmentValue::Exact(0)));
    let (right, _) = area.map_coordinate(&(x1, SegmentValue::Exact(0)));
    let px_per_ns = f64::from(right - left) / horizon.max(1) as f64;
    // Pixel band of row i (0 = top): (bar top, bar bottom, tick top, tick bottom).
    let band = |i: usize| {
        let seg = n - 1 - i as u32;
        let top = area.map_coordinate(&(0.0, SegmentValue::Exact(seg + 1))).1;
        let bottom = area.map_coordinate(&(0.0, SegmentValue::Exact(seg))).1;
        let h = f64::from(bottom - top);
        let at = |f: f64| top + (f * h).round() as i32;
        (at(0.3), at(0.92), at(0.08), at(0.26))
    };
    // The row of each node (after the service row, or under its domain).
    let node_row: Vec<usize> = if domain_rows::grouped(sc) {
        let mut at = vec![0; sc.nodes.count as usize];
        for (i, r) in domain_rows::layout(sc).into_iter().enumerate() {
            if let RowKind::Node(nd) = r {
                at[nd as usize] = i;
            }
        }
        at
    } else {
        (1..=sc.nodes.count as usize).collect()
    };
    let mut present = [false; NodeView::ALL.len()];
    let mut service_paints = Vec::new();
    let mut ticked = false;
    for (i, (_, stretches)) in rows.iter().enumerate() {
        let (bar_top, bar_bottom, tick_top, tick_bottom) = band(i);
        let mut ticks = Vec::new();
        for &(start, end, paint) in stretches {
            match paint {
                Paint::Node(v) => {
                    present[NodeView::ALL.iter().position(|w| *w == v).unwrap_or(0)] = true;
                }
                p if !service_paints.contains(&p) => service_paints.push(p),
                _ => {}
            }
            let (a, b) = (
                pixel_x(start, horizon, left, right),
                pixel_x(end, horizon, left, right),
            );
            if b > a {
                root.draw(&Rectangle::new(
                    [(a, bar_top), (b, bar_bottom)],
                    paint.colour().filled(),
                ))
                .map_err(err)?;
            }
            if ((end - start) as f64 * px_per_ns) < TICK_BELOW_PX {
                // One tick per pixel and paint: a long run flapping within a
                // pixel draws what one state would (the chart stays bounded
                // by its width, not by the number of states).
                let x = pixel_x((start + end) / 2, horizon, left, right);
                let drawn = ticks
                    .iter()
                    .rev()
                    .take_while(|(x2, _)| *x2 == x)
                    .any(|(_, p)| *p == paint);
                if !drawn {
                    ticks.push((x, paint));
                }
            }
        }
        // Ticks above the bar mark states too short to see at this scale;
        // they take no width from the bar.
        for (x, paint) in ticks {
            ticked = true;
            root.draw(&Rectangle::new(
                [(x - 1, tick_top), (x + 1, tick_bottom)],
                paint.colour().filled(),
            ))
            .map_err(err)?;
        }
    }
    // SPEC §8: split brain (two nodes acting as primary), as a red band
    // above the service row.
    let splits = &o.imperfect.split_intervals;
    if !splits.is_empty() {
        let (_, _, top, bottom) = band(0);
        for &(a, b) in splits {
            let (xa, xb) = (
                pixel_x(a.min(horizon), horizon, left, right),
                pixel_x(b.min(horizon), horizon, left, right),
            );
            root.draw(&Rectangle::new(
                [(xa, top), (xb.max(xa + 2), bottom)],
                SPLIT_BRAIN.filled(),
            ))
            .map_err(err)?;
        }
    }
    // SPEC §7: a down domain shades the rows of everything it holds.
    let grouped = domain_rows::grouped(sc);
    if grouped {
        let layout = domain_rows::layout(sc);
        for d in 0..sc.domains.len() as u32 {
            let iv = domain_rows::down_intervals(sc, o, Some(d));
            if iv.is_empty() {
                continue;
            }
            let mut held: Vec<usize> = domain_rows::contained(sc, d)
                .into_iter()
                .filter_map(|nd| node_row.get(nd as usize).copied())
                .collect();
            held.extend(layout.iter().position(|r| *r == RowKind::Domain(d)));
            held.sort_unstable();
            let partition = sc.domains[d as usize].effect == Effect::Partition;
            // Contiguous runs of rows, one band each.
            let mut runs: Vec<(usize, usize)> = Vec::new();
            for r in held {
                match runs.last_mut() {
                    Some((_, last)) if *last + 1 == r => *last = r,
                    _ => runs.push((r, r)),
                }
            }
            for &(a, b) in &iv {
                let (xa, xb) = (
                    pixel_x(a, horizon, left, right),
                    pixel_x(b, horizon, left, right),
                );
                let xb = xb.max(xa + 1);
                for &(first, last) in &runs {
                    let (top, _, _, _) = band(first);
                    let (_, bottom, _, _) = band(last);
                    let (fill, edge) = if partition {
                        (PARTITION_BAND.mix(0.16), PARTITION_BAND)
                    } else {
                        (CRASH_BAND.mix(0.22), CRASH_BAND)
                    };
                    root.draw(&Rectangle::new([(xa, top), (xb, bottom)], fill.filled()))
                        .map_err(err)?;
                    if partition {
                        root.draw(&Rectangle::new(
                            [(xa, top), (xb, bottom)],
                            edge.stroke_width(2),
                        ))
                        .map_err(err)?;
                    }
                }
            }
        }
    }
    let mut not_recorded = false;
    for p in &service_paints {
        let text = match p {
            Paint::ServiceUp => "service up",
            Paint::ServiceDown => "service down (an outage)",
            Paint::DomainUp => "domain up",
            Paint::CrashDown => "crash domain down (band: what it holds)",
            Paint::PartitionDown => "partition domain down (outlined band)",
            Paint::DispatcherUp => "a dispatcher active",
            Paint::DispatcherDown => "no dispatcher active: requests fail",
            Paint::NotRecorded => {
                not_recorded = true;
                continue;
            }
            _ => "warm-up: not measured",
        };
        keys.push((text.to_string(), Key::Box(p.colour())));
    }
    if not_recorded {
        // The earliest cut of any row: where the drawn record stops.
        let cut = rows
            .iter()
            .filter_map(|(_, st)| st.iter().find(|s| s.2 == Paint::NotRecorded).map(|s| s.0))
            .min()
            .unwrap_or(horizon);
        keys.push((
            format!(
                "cut at t = {}; see events.csv",
                // Whole seconds: the legend is narrow.
                crate::explain::clock(cut - cut % 1_000_000_000)
            ),
            Key::Box(Paint::NotRecorded.colour()),
        ));
    }
    for (v, shown) in NodeView::ALL.iter().zip(present) {
        if shown {
            keys.push((label(*v, sc.architecture).to_string(), Key::Box(colour(*v))));
        }
    }
    if grouped {
        keys.push((
            "nodes under their smallest crash domain".to_string(),
            Key::Note,
        ));
    }
    if !splits.is_empty() {
        keys.push((
            "split brain: two nodes act as primary".to_string(),
            Key::Box(SPLIT_BRAIN),
        ));
    }
    if ticked {
        keys.push((
            "tick above a bar: a state too short to see".to_string(),
            Key::Tick,
        ));
    }
    for (names, text, shape) in MARKERS {
        let points: Vec<(i32, i32)> = o
            .events
            .iter()
            .filter(|e| names.contains(&e.event))
            .filter_map(|e| {
                e.node.and_then(|nd| node_row.get(nd as usize)).map(|&row| {
                    let (top, bottom, _, _) = band(row);
                    (
                        pixel_x(e.time_ns.min(horizon), horizon, left, right),
                        (top + bottom) / 2,
                    )
                })
            })
            .collect();
        // Past a few thousand, markers that land on one pixel are drawn
        // once, so a long trace draws a bounded chart. (Below, they are all
        // drawn as always: two overdrawn circles shade a little darker.)
        let points: Vec<(i32, i32)> = if points.len() > MERGE_MARKERS_ABOVE {
            let mut seen = std::collections::BTreeSet::new();
            points.into_iter().filter(|p| seen.insert(*p)).collect()
        } else {
            points
        };
        if !points.is_empty() {
            // Stacked a few pixels apart so that markers of one instant all show.
            let at = |p| EmptyElement::at(p);
            for p in points {
                match shape {
                    0 => root.draw(&(at(p) + TriangleMarker::new((0, -9), 6, BLACK.filled()))),
                    1 => root
                        .draw(&(at(p) + Circle::new((0, 0), 5, RGBColor(120, 40, 140).filled()))),
                    _ => root.draw(&(at(p) + Cross::new((0, 9), 6, BLACK.stroke_width(3)))),
                }
                .map_err(err)?;
            }
            keys.push((text.to_string(), Key::Marker(shape)));
        }
    }
    side_legend(&legend, &keys)
}

/// SPEC §7 band colours: a crash domain down, a partition domain down.
const CRASH_BAND: RGBColor = RGBColor(213, 94, 0);
const PARTITION_BAND: RGBColor = RGBColor(120, 40, 140);

/// The split-brain band's colour.
const SPLIT_BRAIN: RGBColor = RGBColor(220, 30, 30);

pub fn timeline(sc: &Scenario, o: &Outcome) -> Result<Chart, String> {
    let title = format!("{}: service and node states", sc.name);
    // Tall enough for the legend (up to 13 rows); a --chart-size height is a floor.
    let rows = if domain_rows::grouped(sc) {
        domain_rows::layout(sc).len() as u32
    } else {
        sc.nodes.count + 1
    };
    let height = super::px((200 + 60 * rows.min(25)).max(500)).max(super::height());
    Ok(render!(
        "timeline",
        title.clone(),
        (super::width(), height),
        |root| draw(&root, sc, o, &title)
    ))
}
