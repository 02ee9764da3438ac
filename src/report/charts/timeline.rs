//! The node-state timeline of the first replication: one row per node,
//! coloured by what the node does, with markers for detection, operator
//! action and promotion or election.

use super::{err, render, side_legend, split, Chart, Key, TimeUnit, FONT};
use crate::metrics::NodeView;
use crate::montecarlo::Outcome;
use crate::scenario::{Architecture, Scenario};
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

fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    sc: &Scenario,
    o: &Outcome,
    title: &str,
) -> Result<(), String> {
    root.fill(&WHITE).map_err(err)?;
    let (plot, legend) = split(root);
    let mut keys = Vec::new();
    let n = sc.nodes.count;
    let horizon_s = sc.horizon_ns() as f64 / 1e9;
    let unit = TimeUnit::for_horizon(horizon_s);
    let x1 = horizon_s / unit.seconds;
    let row = |node: u32| n - 1 - node;
    // `into_segmented` makes one segment per value of an inclusive range.
    let mut chart = super::chart_builder(&plot, title, 80)
        .build_cartesian_2d(0.0..x1, (0..n - 1).into_segmented())
        .map_err(err)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .x_desc(format!("time ({}), first replication", unit.name))
        .x_label_formatter(&super::tick)
        .y_labels(n as usize)
        .y_label_formatter(&|v| match v {
            SegmentValue::CenterOf(r) if *r < n => format!("node {}", n - 1 - r),
            _ => String::new(),
        })
        .label_style((FONT, 16))
        .axis_desc_style((FONT, 18))
        .light_line_style(RGBColor(235, 235, 235))
        .draw()
        .map_err(err)?;

    // Intervals: each view lasts until the node's next change or the horizon.
    // Short intervals get at least 2 pixels, so a 20-minute repair still
    // shows on a 60-day chart.
    let min_width = 3.0 * x1 / f64::from(plot.dim_in_pixel().0.max(1));
    let mut present = [false; NodeView::ALL.len()];
    let mut rects = Vec::new();
    for (i, c) in o.views.iter().enumerate() {
        let end = o.views[i + 1..]
            .iter()
            .find(|d| d.node == c.node)
            .map_or(sc.horizon_ns(), |d| d.time_ns);
        if end <= c.time_ns {
            continue;
        }
        present[NodeView::ALL.iter().position(|v| *v == c.view).unwrap_or(0)] = true;
        let r = row(c.node);
        rects.push((
            c.view,
            Rectangle::new(
                [
                    (
                        c.time_ns as f64 / 1e9 / unit.seconds,
                        SegmentValue::Exact(r),
                    ),
                    (
                        (end as f64 / 1e9 / unit.seconds)
                            .max(c.time_ns as f64 / 1e9 / unit.seconds + min_width),
                        SegmentValue::Exact(r + 1),
                    ),
                ],
                colour(c.view).filled(),
            ),
        ));
    }
    // Long-lived states first, so the short ones (down, promoting, …) that
    // were widened to stay visible are drawn on top.
    let (short, long): (Vec<_>, Vec<_>) = rects
        .into_iter()
        .partition(|(v, _)| !matches!(v, NodeView::Primary | NodeView::Backup | NodeView::Serving));
    chart
        .draw_series(long.into_iter().map(|(_, r)| r))
        .map_err(err)?;
    chart
        .draw_series(short.into_iter().map(|(_, r)| r))
        .map_err(err)?;
    // Thin white lines between the rows.
    for r in 1..n {
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(0.0, SegmentValue::Exact(r)), (x1, SegmentValue::Exact(r))],
                WHITE.stroke_width(3),
            )))
            .map_err(err)?;
    }
    for (v, shown) in NodeView::ALL.iter().zip(present) {
        if shown {
            keys.push((label(*v, sc.architecture).to_string(), Key::Box(colour(*v))));
        }
    }
    for (names, text, shape) in MARKERS {
        let points: Vec<(f64, SegmentValue<u32>)> = o
            .events
            .iter()
            .filter(|e| names.contains(&e.event))
            .filter_map(|e| {
                e.node.map(|nd| {
                    (
                        e.time_ns as f64 / 1e9 / unit.seconds,
                        SegmentValue::CenterOf(row(nd)),
                    )
                })
            })
            .collect();
        if !points.is_empty() {
            // Stacked a few pixels apart so that markers of one instant all show.
            let at = |p| EmptyElement::at(p);
            match shape {
                0 => chart.draw_series(
                    points
                        .into_iter()
                        .map(|p| at(p) + TriangleMarker::new((0, -13), 7, BLACK.filled())),
                ),
                1 => chart.draw_series(
                    points
                        .into_iter()
                        .map(|p| at(p) + Circle::new((0, 0), 6, RGBColor(120, 40, 140).filled())),
                ),
                _ => chart.draw_series(
                    points
                        .into_iter()
                        .map(|p| at(p) + Cross::new((0, 13), 7, BLACK.stroke_width(3))),
                ),
            }
            .map_err(err)?;
            keys.push((text.to_string(), Key::Marker(shape)));
        }
    }
    side_legend(&legend, &keys)
}

pub fn timeline(sc: &Scenario, o: &Outcome) -> Result<Chart, String> {
    let title = format!("{}: node states", sc.name);
    let height = (200 + 60 * sc.nodes.count.min(24)).max(360);
    Ok(render!(
        "timeline",
        title.clone(),
        (super::WIDTH, height),
        |root| draw(&root, sc, o, &title)
    ))
}
