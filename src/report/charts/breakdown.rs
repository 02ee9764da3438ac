//! "Where the outage time goes" (SPEC §8): one stacked bar per run, the
//! mean downtime per run split into detection, decision, fencing, start,
//! switch and repair.

use super::{chart_builder, err, render, side_legend, split, tick, Chart, Key, PALETTE};
use super::{height, width};
use crate::metrics::imperfect::PHASES;
use plotters::coord::Shift;
use plotters::prelude::*;

/// One bar: a run's name and its seconds per run in each phase.
pub type Bar = (String, [f64; PHASES.len()]);

fn colour(k: usize) -> RGBColor {
    // detection, decision, fencing, start, switch, repair
    [
        PALETTE[5], PALETTE[3], PALETTE[7], PALETTE[1], PALETTE[0], PALETTE[2],
    ][k]
}

fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    bars: &[Bar],
) -> Result<(), String> {
    root.fill(&WHITE).map_err(err)?;
    let (plot, legend) = split(root);
    let max = bars
        .iter()
        .map(|b| b.1.iter().sum::<f64>())
        .fold(0.0f64, f64::max);
    let top = if max > 0.0 { max * 1.08 } else { 1.0 };
    let n = bars.len().max(1);
    let names: Vec<String> = bars.iter().map(|b| b.0.clone()).collect();
    let mut chart = chart_builder(&plot, title, 160)
        .build_cartesian_2d(0.0..top, -0.5..(n as f64 - 0.5))
        .map_err(err)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .x_desc("downtime per run (s)")
        .x_label_formatter(&tick)
        .y_labels(n)
        // The first run at the top.
        .y_label_formatter(&super::bar_labels(&names))
        .label_style((super::FONT, 14))
        .draw()
        .map_err(err)?;
    for (i, (_, phases)) in bars.iter().enumerate() {
        let y = (n - 1 - i) as f64;
        let mut x = 0.0;
        for (k, &v) in phases.iter().enumerate() {
            if v > 0.0 {
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(x, y - 0.3), (x + v, y + 0.3)],
                        colour(k).filled(),
                    )))
                    .map_err(err)?;
            }
            x += v;
        }
    }
    if max == 0.0 {
        plot.draw(&Text::new(
            "no downtime in the measured time",
            (200, height() as i32 / 2),
            (super::FONT, 18).into_font(),
        ))
        .map_err(err)?;
    }
    let items: Vec<(String, Key)> = PHASES
        .iter()
        .enumerate()
        .map(|(k, p)| (p.to_string(), Key::Box(colour(k))))
        .collect();
    side_legend(&legend, &items)
}

/// The stacked bar chart of one run or several (compare).
pub fn breakdown(title: String, bars: &[Bar]) -> Result<Chart, String> {
    let h = height().max(140 + 70 * bars.len() as u32);
    Ok(render!("breakdown", title.clone(), (width(), h), |root| {
        draw(&root, &title, bars)
    }))
}
