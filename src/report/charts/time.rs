//! Curves over time: uptime and availability per window (with their 95 %
//! band), and latency percentiles per window.

use super::{
    err, height, px, render, side_legend, split, width, Chart, Key, TimeUnit, FONT, PALETTE,
};
use crate::report::series::WindowRow;
use crate::scenario::Scenario;
use plotters::coord::Shift;
use plotters::prelude::*;

type Pick = fn(&WindowRow) -> (Option<f64>, Option<f64>);
type Percentile = (&'static str, fn(&WindowRow) -> Option<f64>);

fn draw_availability<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    sc: &Scenario,
    rows: &[WindowRow],
    title: &str,
) -> Result<(), String> {
    root.fill(&WHITE).map_err(err)?;
    let (plot, legend) = split(root);
    let mut keys = Vec::new();
    let unit = TimeUnit::for_horizon(sc.horizon_ns() as f64 / 1e9);
    let series: Vec<(&str, Pick)> = {
        let mut v: Vec<(&str, Pick)> = vec![("uptime", |r| (r.uptime, r.uptime_ci95))];
        if sc.workload.is_some() {
            v.push(("availability (requests)", |r| {
                (r.availability, r.availability_ci95)
            }));
        }
        v
    };
    let mut lo: f64 = 1.0;
    for r in rows {
        for (_, pick) in &series {
            if let (Some(v), ci) = pick(r) {
                lo = lo.min(v - ci.unwrap_or(0.0));
            }
        }
    }
    let lo = if lo >= 0.9999 {
        0.999
    } else {
        (lo - (1.0 - lo) * 0.1).max(0.0)
    };
    // Fractions: ticks stop at 1, and nothing above 1 is labelled.
    let (y_range, y_ticks) = super::fraction_axis(lo);
    let y_label = super::step_label(&y_ticks);
    let lo = y_range.start;
    let x0 = rows.first().map_or(0.0, |r| r.start_s) / unit.seconds;
    let x1 = rows.last().map_or(1.0, |r| r.end_s) / unit.seconds;
    let mut chart = super::chart_builder(&plot, title, 80)
        .build_cartesian_2d(x0..x1, super::ticked(y_range, y_ticks))
        .map_err(err)?;
    chart
        .configure_mesh()
        .x_desc(format!("time ({})", unit.name))
        .x_label_formatter(&super::tick)
        .y_desc("fraction up / succeeded, per window")
        .y_label_formatter(&y_label)
        .label_style((FONT, px(20)))
        .axis_desc_style((FONT, px(22)))
        .light_line_style(RGBColor(235, 235, 235))
        .draw()
        .map_err(err)?;
    for (i, (label, pick)) in series.iter().enumerate() {
        let color = PALETTE[i];
        let mid = |r: &WindowRow| (r.start_s + r.end_s) / 2.0 / unit.seconds;
        let band: Vec<(f64, f64, f64)> = rows
            .iter()
            .filter_map(|r| match pick(r) {
                (Some(v), Some(ci)) => Some((mid(r), (v - ci).max(lo), (v + ci).min(1.0))),
                _ => None,
            })
            .collect();
        if band.len() > 1 {
            let poly: Vec<(f64, f64)> = band
                .iter()
                .map(|&(x, _, hi)| (x, hi))
                .chain(band.iter().rev().map(|&(x, low, _)| (x, low)))
                .collect();
            chart
                .draw_series(std::iter::once(Polygon::new(
                    poly,
                    color.mix(0.18).filled(),
                )))
                .map_err(err)?;
        }
        let points: Vec<(f64, f64)> = rows
            .iter()
            .filter_map(|r| pick(r).0.map(|v| (mid(r), v)))
            .collect();
        // The first curve is drawn wider, so a second one on top of it
        // (availability often equals uptime) leaves it visible.
        let width = if i == 0 { 5 } else { 2 };
        chart
            .draw_series(LineSeries::new(points, color.stroke_width(width)))
            .map_err(err)?;
        keys.push((label.to_string(), Key::Line(color)));
        if band.len() > 1 {
            keys.push((
                format!("{label}: 95 % CI"),
                Key::Box(super::tint(color, 0.18)),
            ));
        }
    }
    side_legend(&legend, &keys)
}

pub fn availability(sc: &Scenario, rows: &[WindowRow]) -> Result<Chart, String> {
    let title = format!("{}: uptime and availability over time", sc.name);
    Ok(render!(
        "availability",
        title.clone(),
        (width(), height()),
        |root| draw_availability(&root, sc, rows, &title)
    ))
}

fn draw_latency<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    sc: &Scenario,
    rows: &[WindowRow],
    title: &str,
) -> Result<(), String> {
    root.fill(&WHITE).map_err(err)?;
    let (plot, legend) = split(root);
    let unit = TimeUnit::for_horizon(sc.horizon_ns() as f64 / 1e9);
    let vals: Vec<f64> = rows
        .iter()
        .flat_map(|r| [r.p50_ms, r.p99_ms])
        .flatten()
        .filter(|v| *v > 0.0)
        .collect();
    let lo = vals.iter().cloned().fold(f64::INFINITY, f64::min);
    let hi = vals.iter().cloned().fold(0.0, f64::max);
    // The axis runs from the 1-2-5 tick below the data to the one above,
    // so every line sits between labelled ticks.
    let (lo, hi) = if vals.is_empty() {
        (0.1, 1.0)
    } else {
        super::log_span(lo, hi)
    };
    let x0 = rows.first().map_or(0.0, |r| r.start_s) / unit.seconds;
    let x1 = rows.last().map_or(1.0, |r| r.end_s) / unit.seconds;
    let mut chart = super::chart_builder(&plot, title, 80)
        .build_cartesian_2d(
            x0..x1,
            super::ticked((lo..hi).log_scale(), super::log_ticks(lo, hi)),
        )
        .map_err(err)?;
    chart
        .configure_mesh()
        .x_desc(format!("time ({})", unit.name))
        .x_label_formatter(&super::tick)
        .y_desc("latency of successful requests (ms, log)")
        .y_label_formatter(&super::tick)
        .label_style((FONT, px(20)))
        .axis_desc_style((FONT, px(22)))
        .light_line_style(RGBColor(235, 235, 235))
        .draw()
        .map_err(err)?;
    let picks: [Percentile; 2] = [("p50", |r| r.p50_ms), ("p99", |r| r.p99_ms)];
    for (i, (_, pick)) in picks.iter().enumerate() {
        let color = PALETTE[i];
        let pts: Vec<(f64, f64)> = rows
            .iter()
            .filter_map(|r| pick(r).map(|v| ((r.start_s + r.end_s) / 2.0 / unit.seconds, v)))
            .collect();
        chart
            .draw_series(LineSeries::new(pts, color.stroke_width(2)))
            .map_err(err)?;
    }
    let keys: Vec<(String, Key)> = picks
        .iter()
        .enumerate()
        .map(|(i, (l, _))| (format!("{l} per window"), Key::Line(PALETTE[i])))
        .collect();
    side_legend(&legend, &keys)
}

pub fn latency(sc: &Scenario, rows: &[WindowRow]) -> Result<Chart, String> {
    let title = format!("{}: latency percentiles over time", sc.name);
    Ok(render!(
        "latency",
        title.clone(),
        (width(), height()),
        |root| { draw_latency(&root, sc, rows, &title) }
    ))
}
