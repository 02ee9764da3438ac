//! Sweep charts: one headline metric against the swept parameter, one line
//! per value of the second key, with 95 % whiskers.

use super::{err, height, px, render, side_legend, split, width, Chart, Key, FONT, PALETTE};
use plotters::coord::Shift;
use plotters::prelude::*;

/// One line: its label and a (value, 95 % half-width) per x value.
/// A point in pixels and its whisker's top and bottom.
type Pixel = ((i32, i32), Option<(i32, i32)>);

pub type Line = (String, Vec<Option<(f64, Option<f64>)>>);

/// What a metric can be: its whiskers are clipped to this range.
pub type Bounds = (f64, f64);

/// The swept values on the x axis: numbers (and durations, in a unit that
/// suits them) are placed to scale; anything else is a category.
#[derive(Clone, Debug, PartialEq)]
pub enum XAxis {
    Categories(Vec<String>),
    Numbers {
        values: Vec<f64>,
        unit: &'static str,
    },
}

impl XAxis {
    /// Reads the swept values: all numbers, all durations, or categories.
    pub fn of(values: &[String]) -> XAxis {
        if let Some(v) = values
            .iter()
            .map(|t| t.trim().parse::<f64>().ok().filter(|x| x.is_finite()))
            .collect::<Option<Vec<f64>>>()
        {
            return XAxis::Numbers {
                values: v,
                unit: "",
            };
        }
        if let Some(ns) = values
            .iter()
            .map(|t| crate::scenario::duration::parse_duration(t).ok())
            .collect::<Option<Vec<u64>>>()
        {
            let secs: Vec<f64> = ns.iter().map(|n| *n as f64 / 1e9).collect();
            let top = secs.iter().cloned().fold(0.0, f64::max);
            let (unit, per) = if top < 1.0 {
                ("ms", 1e-3)
            } else if top < 300.0 {
                ("s", 1.0)
            } else if top < 3.0 * 3600.0 {
                ("min", 60.0)
            } else if top < 3.0 * 86_400.0 {
                ("h", 3600.0)
            } else {
                ("d", 86_400.0)
            };
            return XAxis::Numbers {
                values: secs.iter().map(|s| s / per).collect(),
                unit,
            };
        }
        XAxis::Categories(values.to_vec())
    }

    fn len(&self) -> usize {
        match self {
            XAxis::Categories(c) => c.len(),
            XAxis::Numbers { values, .. } => values.len(),
        }
    }
}

/// A numeric x axis over [a, b]: padded by 6 % each side (or around a
/// single value), with its ticks.
pub(super) fn x_axis(a: f64, b: f64) -> (f64, f64, Vec<f64>) {
    let pad = if b > a {
        (b - a) * 0.06
    } else {
        a.abs().max(1.0) * 0.1
    };
    let (x0, x1) = (a - pad, b + pad);
    (x0, x1, super::linear_ticks(x0, x1, 6))
}

/// The y range and ticks of a metric: the data with 10 % room, within
/// what the metric can be (a fraction never shows above 1, a count never
/// below 0); a flat line (all zero, say) gets a plain fixed range.
pub fn y_axis(lo: f64, hi: f64, bounds: Bounds) -> (std::ops::Range<f64>, Vec<f64>) {
    let (lo, hi) = if !(lo.is_finite() && hi.is_finite()) {
        (0.0, 1.0)
    } else if hi - lo <= 1e-12 * hi.abs().max(lo.abs()).max(1e-300) {
        let v = lo;
        if v == 0.0 {
            (0.0, 1.0)
        } else if bounds.1 == 1.0 && v >= 0.9 {
            (0.9, 1.0)
        } else {
            (v - v.abs() * 0.1, v + v.abs() * 0.1)
        }
    } else {
        (lo, hi)
    };
    let pad = (hi - lo) * 0.1;
    let (lo, hi) = (
        (lo - pad).max(bounds.0 - pad * 0.2),
        (hi + pad).min(bounds.1 + pad * 0.2),
    );
    let ticks: Vec<f64> = super::linear_ticks(lo, hi, 5)
        .into_iter()
        .filter(|t| *t >= bounds.0 && *t <= bounds.1)
        .collect();
    (lo..hi, ticks)
}

#[allow(clippy::too_many_arguments)]
fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    x_desc: &str,
    y_desc: &str,
    xs: &XAxis,
    lines: &[Line],
    bounds: Bounds,
) -> Result<(), String> {
    root.fill(&WHITE).map_err(err)?;
    let (plot, legend) = split(root);
    let n = xs.len() as u32;
    let clip = |y: f64| y.clamp(bounds.0, bounds.1);
    let ends = lines.iter().flat_map(|(_, v)| {
        v.iter()
            .flatten()
            .map(|(y, ci)| (clip(y - ci.unwrap_or(0.0)), clip(y + ci.unwrap_or(0.0))))
    });
    let (lo, hi) = ends.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), (l, h)| {
        (a.min(l), b.max(h))
    });
    let (y_range, y_ticks) = y_axis(lo, hi, bounds);
    let y_label = super::step_label(&y_ticks);
    // Pixel position of point i at value y, for either kind of x axis.
    let pixels: Vec<Vec<Option<Pixel>>> = match xs {
        XAxis::Categories(names) => {
            let mut chart = super::chart_builder(&plot, title, 90)
                .build_cartesian_2d(
                    (0..n - 1).into_segmented(),
                    super::ticked(y_range, y_ticks.clone()),
                )
                .map_err(err)?;
            chart
                .configure_mesh()
                .disable_x_mesh()
                .x_desc(x_desc)
                .y_desc(y_desc)
                .x_labels(n as usize)
                .x_label_formatter(&|v| match v {
                    SegmentValue::CenterOf(i) => {
                        names.get(*i as usize).cloned().unwrap_or_default()
                    }
                    _ => String::new(),
                })
                .y_label_formatter(&y_label)
                .label_style((FONT, px(20)))
                .axis_desc_style((FONT, px(22)))
                .light_line_style(RGBColor(235, 235, 235))
                .draw()
                .map_err(err)?;
            let area = chart.plotting_area();
            to_pixels(lines, clip, |i, y| {
                area.map_coordinate(&(SegmentValue::CenterOf(i as u32), y))
            })
        }
        XAxis::Numbers { values, unit } => {
            let (a, b) = values
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
                    (a.min(*v), b.max(*v))
                });
            let (x0, x1, x_ticks) = x_axis(a, b);
            let x_label = super::step_label(&x_ticks);
            let desc = if unit.is_empty() {
                x_desc.to_string()
            } else {
                format!("{x_desc} ({unit})")
            };
            let mut chart = super::chart_builder(&plot, title, 90)
                .build_cartesian_2d(
                    super::ticked(x0..x1, x_ticks),
                    super::ticked(y_range, y_ticks.clone()),
                )
                .map_err(err)?;
            chart
                .configure_mesh()
                .x_desc(desc)
                .y_desc(y_desc)
                .x_label_formatter(&x_label)
                .y_label_formatter(&y_label)
                .label_style((FONT, px(20)))
                .axis_desc_style((FONT, px(22)))
                .light_line_style(RGBColor(235, 235, 235))
                .draw()
                .map_err(err)?;
            let area = chart.plotting_area();
            to_pixels(lines, clip, |i, y| area.map_coordinate(&(values[i], y)))
        }
    };
    let mut keys = Vec::new();
    let l = lines.len() as i32;
    for (li, ((label, _), px)) in lines.iter().zip(&pixels).enumerate() {
        let color = PALETTE[li % PALETTE.len()];
        // Lines are dodged sideways by a few pixels so whiskers stay apart.
        let dodge = (2 * li as i32 - (l - 1)) * 5;
        let px: Vec<Pixel> = px
            .iter()
            .flatten()
            .map(|((x, y), w)| ((x + dodge, *y), *w))
            .collect();
        let path: Vec<(i32, i32)> = px.iter().map(|(p, _)| *p).collect();
        root.draw(&PathElement::new(path, color.stroke_width(2)))
            .map_err(err)?;
        for ((x, y), whisker) in &px {
            if let Some((top, bottom)) = whisker {
                root.draw(&PathElement::new(
                    vec![(*x, *top), (*x, *bottom)],
                    color.stroke_width(2),
                ))
                .map_err(err)?;
            }
            root.draw(&Circle::new((*x, *y), 5, color.filled()))
                .map_err(err)?;
        }
        keys.push((label.clone(), Key::Line(color)));
    }
    keys.push((
        "whiskers: 95 % CI".into(),
        Key::Line(RGBColor(120, 120, 120)),
    ));
    side_legend(&legend, &keys)
}

/// Every line's points in pixels, with their whiskers.
fn to_pixels(
    lines: &[Line],
    clip: impl Fn(f64) -> f64,
    map: impl Fn(usize, f64) -> (i32, i32),
) -> Vec<Vec<Option<Pixel>>> {
    lines
        .iter()
        .map(|(_, values)| {
            values
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    v.map(|(y, ci)| {
                        let whisker = ci.map(|c| (map(i, clip(y + c)).1, map(i, clip(y - c)).1));
                        (map(i, y), whisker)
                    })
                })
                .collect()
        })
        .collect()
}

pub fn metric_chart(
    name: &'static str,
    title: String,
    x_desc: &str,
    y_desc: &str,
    xs: &XAxis,
    lines: &[Line],
    bounds: Bounds,
) -> Result<Chart, String> {
    Ok(render!(name, title.clone(), (width(), height()), |root| {
        draw(&root, &title, x_desc, y_desc, xs, lines, bounds)
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_durations_are_placed_to_scale() {
        let v = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(
            XAxis::of(&v(&["1", "2", "10"])),
            XAxis::Numbers {
                values: vec![1.0, 2.0, 10.0],
                unit: ""
            }
        );
        assert_eq!(
            XAxis::of(&v(&["1s", "5s", "30s"])),
            XAxis::Numbers {
                values: vec![1.0, 5.0, 30.0],
                unit: "s"
            }
        );
        assert_eq!(
            XAxis::of(&v(&["30m", "2h"])),
            XAxis::Numbers {
                values: vec![30.0, 120.0],
                unit: "min"
            }
        );
        assert_eq!(
            XAxis::of(&v(&["manual", "automatic"])),
            XAxis::Categories(v(&["manual", "automatic"]))
        );
    }

    #[test]
    fn flat_metrics_get_a_plain_range() {
        let (r, t) = y_axis(0.0, 0.0, (0.0, f64::INFINITY));
        assert!(r.start <= 0.0 && r.end >= 1.0 && r.end < 1.2, "{r:?}");
        assert_eq!(t, vec![0.0, 0.2, 0.4, 0.6, 0.8, 1.0]);
        let (r, t) = y_axis(1.0, 1.0, (0.0, 1.0));
        assert!(r.start < 0.9 && r.end > 1.0 && r.end < 1.01, "{r:?}");
        assert!(t.iter().all(|x| *x <= 1.0) && t.len() >= 3, "{t:?}");
        let (_, t) = y_axis(0.97, 0.999, (0.0, 1.0));
        assert!(t.iter().all(|x| *x <= 1.0), "{t:?}");
    }
}
