//! Distributions: the latency CDF (one curve per scenario) and the CDF of
//! outage durations.

use super::{err, height, px, render, side_legend, split, width, Chart, Key, FONT, PALETTE};
use crate::montecarlo::Outcome;
use crate::scenario::Scenario;
use plotters::coord::Shift;
use plotters::prelude::*;

/// A CDF chart on a log x axis; `curves` are (label, points).
fn draw_cdf<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    x_desc: &str,
    curves: &[(&str, Vec<(f64, f64)>)],
    empty_note: &str,
) -> Result<(), String> {
    root.fill(&WHITE).map_err(err)?;
    let (plot, legend) = split(root);
    if curves.iter().all(|(_, c)| c.is_empty()) {
        return draw_empty(&plot, title, x_desc, empty_note);
    }
    // Start at the 0.1 % point: an exponential's extreme low tail (1 ns
    // among 50 million draws) would squeeze the whole curve to one side.
    let xs = curves
        .iter()
        .flat_map(|(_, c)| c.iter().filter(|p| p.1 >= 0.001).map(|p| p.0))
        .filter(|x| *x > 0.0);
    let (lo, hi) = xs.fold((f64::INFINITY, 0.0f64), |(a, b), x| (a.min(x), b.max(x)));
    let (lo, hi) = if hi > 0.0 {
        (lo / 1.5, hi * 1.5)
    } else {
        (0.1, 10.0)
    };
    let mut chart = super::chart_builder(&plot, title, 80)
        .build_cartesian_2d(
            super::ticked((lo..hi).log_scale(), super::log_ticks(lo, hi)),
            super::ticked(0.0..1.0, super::linear_ticks(0.0, 1.0, 5)),
        )
        .map_err(err)?;
    chart
        .configure_mesh()
        .x_desc(x_desc)
        .x_label_formatter(&super::tick)
        .y_desc("fraction at or below")
        .y_label_formatter(&|v| format!("{v:.1}"))
        .label_style((FONT, px(20)))
        .axis_desc_style((FONT, px(22)))
        .light_line_style(RGBColor(235, 235, 235))
        .draw()
        .map_err(err)?;
    for (i, (_, pts)) in curves.iter().enumerate() {
        let color = PALETTE[i % PALETTE.len()];
        // A step curve: the fraction holds until the next value.
        let mut step = Vec::with_capacity(pts.len() * 2 + 1);
        let mut last = 0.0;
        for &(x, y) in pts.iter().filter(|p| p.0 >= lo) {
            step.push((x, last));
            step.push((x, y));
            last = y;
        }
        chart
            .draw_series(LineSeries::new(thin(step), color.stroke_width(2)))
            .map_err(err)?;
    }
    let keys: Vec<(String, Key)> = curves
        .iter()
        .enumerate()
        .map(|(i, (l, _))| (l.to_string(), Key::Line(PALETTE[i % PALETTE.len()])))
        .collect();
    side_legend(&legend, &keys)
}

/// An empty frame (no made-up axis ticks) with `note` in its centre.
fn draw_empty<DB: DrawingBackend>(
    plot: &DrawingArea<DB, Shift>,
    title: &str,
    x_desc: &str,
    note: &str,
) -> Result<(), String> {
    let mut chart = super::chart_builder(plot, title, 80)
        .build_cartesian_2d(
            super::ticked(0.0..1.0, vec![]),
            // The fraction axis is real even without data; the duration
            // axis has no range to show, so it gets no ticks.
            super::ticked(0.0..1.0, super::linear_ticks(0.0, 1.0, 5)),
        )
        .map_err(err)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .x_desc(x_desc)
        .y_desc("fraction at or below")
        .y_label_formatter(&|v| format!("{v:.1}"))
        .label_style((FONT, 16))
        .axis_desc_style((FONT, 18))
        .draw()
        .map_err(err)?;
    let style =
        (FONT, 22)
            .into_font()
            .into_text_style(plot)
            .pos(plotters::style::text_anchor::Pos::new(
                plotters::style::text_anchor::HPos::Center,
                plotters::style::text_anchor::VPos::Center,
            ));
    chart
        .draw_series(std::iter::once(Text::new(
            note.to_string(),
            (0.5, 0.5),
            style,
        )))
        .map_err(err)?;
    Ok(())
}

/// Drops points closer than a pixel or so to the last one kept (on the log
/// x axis and the linear y axis), so a CDF of thousands of histogram
/// buckets stays a small SVG.
fn thin(points: Vec<(f64, f64)>) -> Vec<(f64, f64)> {
    let mut out: Vec<(f64, f64)> = Vec::with_capacity(points.len().min(2000));
    for (i, p) in points.iter().enumerate() {
        let keep = match out.last() {
            None => true,
            Some(q) => {
                i + 1 == points.len() || (p.0 / q.0).ln().abs() > 0.004 || (p.1 - q.1).abs() > 0.002
            }
        };
        if keep {
            out.push(*p);
        }
    }
    out
}

/// The latency CDF of one or several runs.
pub fn latency_cdf(title: String, curves: &[(&str, Vec<(f64, f64)>)]) -> Result<Chart, String> {
    Ok(render!(
        "latency_cdf",
        title.clone(),
        (width(), height()),
        |root| draw_cdf(
            &root,
            &title,
            "latency of successful requests (ms, log)",
            curves,
            "no successful request"
        )
    ))
}

pub fn outage_cdf(sc: &Scenario, o: &Outcome) -> Result<Chart, String> {
    let title = format!(
        "{}: outage durations ({} outages, all replications)",
        sc.name, o.total_outages
    );
    let curves = [("outage duration", crate::report::series::outage_cdf(o))];
    Ok(render!(
        "outages",
        title.clone(),
        (width(), height()),
        |root| {
            draw_cdf(
                &root,
                &title,
                "outage duration (s, log)",
                &curves,
                "no outage in the measured time",
            )
        }
    ))
}
