//! Overlaid charts for `hasim compare`: uptime over time, latency CDF, and
//! downtime and nines side by side.

use super::{
    err, height, px, render, side_legend, split, width, Chart, Key, TimeUnit, FONT, PALETTE,
};
use crate::report::compare::YEAR_S;
use crate::report::series::WindowRow;
use crate::report::Summary;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// One compared run: its name, summary, window rows and latency CDF.
pub struct Compared<'a> {
    pub name: &'a str,
    pub summary: &'a Summary,
    pub rows: &'a [WindowRow],
    pub horizon_s: f64,
    pub latency_cdf: Vec<(f64, f64)>,
    /// SPEC §7: downtime by root with intervals.
    pub roots: Vec<crate::report::roots::RootShare>,
}

fn draw_uptime<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    runs: &[Compared],
    title: &str,
) -> Result<(), String> {
    root.fill(&WHITE).map_err(err)?;
    let (plot, legend) = split(root);
    let horizon = runs.iter().map(|r| r.horizon_s).fold(0.0, f64::max);
    let unit = TimeUnit::for_horizon(horizon);
    let lo = runs
        .iter()
        .flat_map(|r| r.rows.iter().filter_map(|w| w.uptime))
        .fold(1.0f64, f64::min);
    let lo = if lo >= 0.9999 {
        0.999
    } else {
        (lo - (1.0 - lo) * 0.1).max(0.0)
    };
    let (y_range, y_ticks) = super::fraction_axis(lo);
    let y_label = super::step_label(&y_ticks);
    let mut chart = super::chart_builder(&plot, title, 80)
        .build_cartesian_2d(0.0..horizon / unit.seconds, super::ticked(y_range, y_ticks))
        .map_err(err)?;
    chart
        .configure_mesh()
        .x_desc(format!("time ({})", unit.name))
        .x_label_formatter(&super::tick)
        .y_desc("uptime per window")
        .y_label_formatter(&y_label)
        .label_style((FONT, px(20)))
        .axis_desc_style((FONT, px(22)))
        .light_line_style(RGBColor(235, 235, 235))
        .draw()
        .map_err(err)?;
    for (i, r) in runs.iter().enumerate() {
        let color = PALETTE[i % PALETTE.len()];
        let pts: Vec<(f64, f64)> = r
            .rows
            .iter()
            .filter_map(|w| {
                w.uptime
                    .map(|u| ((w.start_s + w.end_s) / 2.0 / unit.seconds, u))
            })
            .collect();
        chart
            .draw_series(LineSeries::new(pts, color.stroke_width(2)))
            .map_err(err)?;
    }
    let keys: Vec<(String, Key)> = runs
        .iter()
        .enumerate()
        .map(|(i, r)| (r.name.to_string(), Key::Line(PALETTE[i % PALETTE.len()])))
        .collect();
    side_legend(&legend, &keys)
}

/// A bar's value: (height, 95 % half-width, label). A None height means
/// "unbounded" (nines of a run that was never down): drawn as a pale full
/// bar, labelled.
/// The second item is the 95 % interval (low, high) where known; an
/// infinite high end (nines whose interval reaches uptime 1) is drawn to
/// the top of the chart.
type BarValue = fn(&Summary) -> (Option<f64>, Option<(f64, f64)>);

/// Bars, one per run, with a 95 % interval whisker where known.
fn draw_bars<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    runs: &[Compared],
    title: &str,
    y_desc: &str,
    value: BarValue,
) -> Result<(), String> {
    root.fill(&WHITE).map_err(err)?;
    let n = runs.len() as u32;
    let top = runs
        .iter()
        .filter_map(|r| {
            let (v, ci) = value(r.summary);
            let hi = ci.map_or(0.0, |(_, h)| if h.is_finite() { h } else { 0.0 });
            v.map(|v| v.max(hi))
        })
        .fold(0.0, f64::max);
    let top = if top > 0.0 { top * 1.2 } else { 1.0 };
    let mut chart = super::chart_builder(root, title, 80)
        .build_cartesian_2d((0..n - 1).into_segmented(), 0.0..top)
        .map_err(err)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .y_desc(y_desc)
        .y_label_formatter(&super::tick)
        .x_labels(n as usize)
        .x_label_formatter(&|v| match v {
            SegmentValue::CenterOf(i) if (*i as usize) < runs.len() => {
                runs[*i as usize].name.to_string()
            }
            _ => String::new(),
        })
        .label_style((FONT, px(20)))
        .axis_desc_style((FONT, px(22)))
        .light_line_style(RGBColor(235, 235, 235))
        .draw()
        .map_err(err)?;
    let centred =
        TextStyle::from((FONT, px(20)).into_font()).pos(Pos::new(HPos::Center, VPos::Bottom));
    for (i, r) in runs.iter().enumerate() {
        let (v, ci) = value(r.summary);
        let color = PALETTE[i % PALETTE.len()];
        let i = i as u32;
        let (height, fill, text) = match v {
            Some(v) => (v, color.mix(0.85).filled(), super::tick(&v)),
            None => (
                top,
                super::tint(color, 0.3).filled(),
                "∞: never down".to_string(),
            ),
        };
        // Narrower than the segment, in pixels, so neighbouring bars keep a gap.
        let area = chart.plotting_area();
        let (x0, y0) = area.map_coordinate(&(SegmentValue::Exact(i), height));
        let (x1, y1) = area.map_coordinate(&(SegmentValue::Exact(i + 1), 0.0));
        let gap = ((x1 - x0) / 10).max(2);
        root.draw(&Rectangle::new([(x0 + gap, y0), (x1 - gap, y1)], fill))
            .map_err(err)?;
        let mut label_at = height;
        if let (Some(_), Some((lo, hi))) = (v, ci.filter(|(l, h)| h > l)) {
            let hi = hi.min(top);
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![
                        (SegmentValue::CenterOf(i), lo.max(0.0)),
                        (SegmentValue::CenterOf(i), hi),
                    ],
                    BLACK.stroke_width(2),
                )))
                .map_err(err)?;
            label_at = hi.max(height);
        }
        let y = if v.is_none() {
            top * 0.5
        } else {
            label_at + top * 0.015
        };
        chart
            .draw_series(std::iter::once(Text::new(
                text,
                (SegmentValue::CenterOf(i), y),
                centred.clone(),
            )))
            .map_err(err)?;
    }
    Ok(())
}

pub fn compare_charts(runs: &[Compared]) -> Result<Vec<Chart>, String> {
    let mut charts = vec![render!(
        "availability",
        "uptime over time".to_string(),
        (width(), height()),
        |root| draw_uptime(&root, runs, "uptime over time (same failure history)")
    )];
    // Per year, not per run: runs of different durations then compare.
    let downtime: BarValue = |s| {
        let per_year_h = |x: f64| x / s.duration_s.max(f64::MIN_POSITIVE) * YEAR_S / 3600.0;
        let v = per_year_h(s.downtime_s);
        (
            Some(v),
            s.ci95
                .as_ref()
                .and_then(|c| c.downtime_s)
                .map(|c| (v - per_year_h(c), v + per_year_h(c))),
        )
    };
    charts.push(render!(
        "downtime",
        "downtime per year".to_string(),
        (width(), height()),
        |root| draw_bars(
            &root,
            runs,
            "downtime per year of service (whiskers: 95 % CI)",
            "downtime per year (hours)",
            downtime
        )
    ));
    // Nines of the uptime interval's ends: −log10(1 − (uptime ∓ half-width)).
    let nines: BarValue = |s| {
        let nines_of = |u: f64| {
            if u < 1.0 {
                -(1.0 - u).log10()
            } else {
                f64::INFINITY
            }
        };
        let ci = s.ci95.as_ref().and_then(|c| c.uptime).filter(|c| *c > 0.0);
        (
            s.nines,
            s.nines
                .and(ci)
                .map(|c| (nines_of((s.uptime - c).max(0.0)), nines_of(s.uptime + c))),
        )
    };
    charts.push(render!(
        "nines",
        "nines".to_string(),
        (width(), height()),
        |root| draw_bars(
            &root,
            runs,
            "nines of uptime (−log10(1 − uptime); whiskers: 95 % CI)",
            "nines",
            nines
        )
    ));
    if runs.iter().any(|r| !r.latency_cdf.is_empty()) {
        let curves: Vec<(&str, Vec<(f64, f64)>)> = runs
            .iter()
            .map(|r| (r.name, r.latency_cdf.clone()))
            .collect();
        charts.push(super::distributions::latency_cdf(
            "latency distribution".into(),
            &curves,
        )?);
    }
    let bars: Vec<super::breakdown::Bar> = runs
        .iter()
        .map(|r| {
            (
                r.name.to_string(),
                r.summary.imperfect.downtime_breakdown_s.values(),
            )
        })
        .collect();
    charts.push(super::breakdown::breakdown(
        "where the outage time goes".to_string(),
        &bars,
    )?);
    let roots: Vec<(String, Vec<crate::report::roots::RootShare>)> = runs
        .iter()
        .map(|r| (r.name.to_string(), r.roots.clone()))
        .collect();
    charts.push(super::roots::compared(
        "where the downtime comes from".to_string(),
        &roots,
    )?);
    Ok(charts)
}
