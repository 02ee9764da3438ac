//! A sweep metric over more grid points than can be drawn one by one
//! (issue 8 §2): each line is kept as a fixed number of x buckets (one or
//! two pixels wide), each holding its points' count, mean x and y, the
//! range of their values and of their 95 % whiskers. The chart draws a line
//! through the bucket means and shades the range: memory and the chart's
//! size do not grow with the number of points.

use super::sweep::{x_axis, y_axis, Bounds};
use super::{err, height, px, render, side_legend, split, width, Chart, Key, FONT, PALETTE};
use plotters::prelude::*;

/// Buckets per line: about one per pixel column of the default chart.
pub const BUCKETS: usize = 512;

/// The points of one line that fall in one bucket.
#[derive(Clone, Copy, Debug)]
pub struct Bucket {
    pub n: u64,
    pub sum_x: f64,
    pub sum_y: f64,
    /// Lowest whisker end (or value) and highest, clipped to the bounds.
    pub lo: f64,
    pub hi: f64,
    /// Lowest and highest value.
    pub y_lo: f64,
    pub y_hi: f64,
}

impl Default for Bucket {
    fn default() -> Self {
        Bucket {
            n: 0,
            sum_x: 0.0,
            sum_y: 0.0,
            lo: f64::INFINITY,
            hi: f64::NEG_INFINITY,
            y_lo: f64::INFINITY,
            y_hi: f64::NEG_INFINITY,
        }
    }
}

/// One line's buckets over the x range [x0, x1].
#[derive(Clone, Debug)]
pub struct DenseLine {
    pub label: String,
    pub buckets: Vec<Bucket>,
}

/// Buckets of every line over x in [x0, x1].
#[derive(Clone, Debug)]
pub struct Dense {
    pub x0: f64,
    pub x1: f64,
    pub lines: Vec<DenseLine>,
}

impl Dense {
    pub fn new(x0: f64, x1: f64, labels: Vec<String>) -> Dense {
        Dense {
            x0,
            x1,
            lines: labels
                .into_iter()
                .map(|label| DenseLine {
                    label,
                    buckets: vec![Bucket::default(); BUCKETS],
                })
                .collect(),
        }
    }

    /// Adds a point of line `line` at `x`: value `y`, 95 % half-width `ci`.
    pub fn add(&mut self, line: usize, x: f64, y: f64, ci: Option<f64>, bounds: Bounds) {
        let Some(l) = self.lines.get_mut(line) else {
            return;
        };
        let span = self.x1 - self.x0;
        let k = if span > 0.0 {
            (((x - self.x0) / span) * BUCKETS as f64) as usize
        } else {
            0
        };
        let b = &mut l.buckets[k.min(BUCKETS - 1)];
        let clip = |v: f64| v.clamp(bounds.0, bounds.1);
        let c = ci.unwrap_or(0.0);
        b.n += 1;
        b.sum_x += x;
        b.sum_y += y;
        b.lo = b.lo.min(clip(y - c));
        b.hi = b.hi.max(clip(y + c));
        b.y_lo = b.y_lo.min(y);
        b.y_hi = b.y_hi.max(y);
    }
}

#[allow(clippy::too_many_arguments)]
fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    title: &str,
    x_desc: &str,
    y_desc: &str,
    dense: &Dense,
    points: usize,
    bounds: Bounds,
) -> Result<(), String> {
    root.fill(&WHITE).map_err(err)?;
    let (plot, legend) = split(root);
    let all = || {
        dense
            .lines
            .iter()
            .flat_map(|l| l.buckets.iter())
            .filter(|b| b.n > 0)
    };
    let (lo, hi) = all().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, c), b| {
        (a.min(b.lo), c.max(b.hi))
    });
    let (y_range, y_ticks) = y_axis(lo, hi, bounds);
    let y_label = super::step_label(&y_ticks);
    let (x0, x1, x_ticks) = x_axis(dense.x0, dense.x1);
    let x_label = super::step_label(&x_ticks);
    let mut chart = super::chart_builder(&plot, title, 90)
        .build_cartesian_2d(
            super::ticked(x0..x1, x_ticks),
            super::ticked(y_range, y_ticks.clone()),
        )
        .map_err(err)?;
    chart
        .configure_mesh()
        .x_desc(x_desc)
        .y_desc(y_desc)
        .x_label_formatter(&x_label)
        .y_label_formatter(&y_label)
        .label_style((FONT, px(20)))
        .axis_desc_style((FONT, px(22)))
        .light_line_style(RGBColor(235, 235, 235))
        .draw()
        .map_err(err)?;
    let area = chart.plotting_area();
    let mut keys = Vec::new();
    // Bands first (whiskers faint, values stronger), then every mean line
    // on top, so that no line hides under another's band.
    let column = |bk: &Bucket, a: f64, b: f64| {
        let x = bk.sum_x / bk.n as f64;
        let (cx, top) = area.map_coordinate(&(x, b));
        let (_, bottom) = area.map_coordinate(&(x, a));
        vec![(cx, top), (cx, bottom.max(top + 1))]
    };
    for (li, line) in dense.lines.iter().enumerate() {
        let color = PALETTE[li % PALETTE.len()];
        for bk in line.buckets.iter().filter(|b| b.n > 0) {
            root.draw(&PathElement::new(
                column(bk, bk.lo, bk.hi),
                color.mix(0.15).stroke_width(2),
            ))
            .map_err(err)?;
            root.draw(&PathElement::new(
                column(bk, bk.y_lo, bk.y_hi),
                color.mix(0.45).stroke_width(2),
            ))
            .map_err(err)?;
        }
    }
    for (li, line) in dense.lines.iter().enumerate() {
        let color = PALETTE[li % PALETTE.len()];
        let path: Vec<(i32, i32)> = line
            .buckets
            .iter()
            .filter(|b| b.n > 0)
            .map(|bk| area.map_coordinate(&(bk.sum_x / bk.n as f64, bk.sum_y / bk.n as f64)))
            .collect();
        root.draw(&PathElement::new(path, color.stroke_width(2)))
            .map_err(err)?;
        keys.push((line.label.clone(), Key::Line(color)));
    }
    keys.push((
        format!("{points} points: mean line"),
        Key::Line(RGBColor(120, 120, 120)),
    ));
    keys.push((
        "dark shade: values".into(),
        Key::Line(RGBColor(160, 160, 160)),
    ));
    keys.push((
        "light shade: 95 % CIs".into(),
        Key::Line(RGBColor(220, 220, 220)),
    ));
    side_legend(&legend, &keys)
}

/// The chart of a metric drawn from its buckets.
pub fn dense_chart(
    name: &'static str,
    title: String,
    x_desc: &str,
    y_desc: &str,
    dense: &Dense,
    points: usize,
    bounds: Bounds,
) -> Result<Chart, String> {
    Ok(render!(name, title.clone(), (width(), height()), |root| {
        draw(&root, &title, x_desc, y_desc, dense, points, bounds)
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_hold_count_mean_and_the_range_of_whiskers() {
        // x over [0, 512]: one bucket per unit of x.
        let mut d = Dense::new(0.0, 512.0, vec!["a".into()]);
        let b = (0.0, 1.0);
        d.add(0, 10.2, 0.5, Some(0.1), b);
        d.add(0, 10.8, 0.7, None, b);
        d.add(0, 10.5, 0.9, Some(0.3), b); // whisker clipped at 1
        d.add(0, 512.0, 0.2, None, b); // the top edge: last bucket
        let k = &d.lines[0].buckets[10];
        assert_eq!(k.n, 3);
        assert!((k.sum_x / 3.0 - 10.5).abs() < 1e-12);
        assert!((k.sum_y / 3.0 - 0.7).abs() < 1e-12);
        assert!((k.lo - 0.4).abs() < 1e-12 && k.hi == 1.0);
        assert!(k.y_lo == 0.5 && k.y_hi == 0.9);
        assert_eq!(d.lines[0].buckets[BUCKETS - 1].n, 1);
        let used = d.lines[0].buckets.iter().filter(|b| b.n > 0).count();
        assert_eq!(used, 2);
        let c = dense_chart("t", "t".into(), "x", "y", &d, 4, b).unwrap();
        assert!(c.svg.contains("4 points") && !c.png.is_empty());
    }
}
