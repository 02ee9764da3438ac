//! Sweep charts: one headline metric against the swept parameter, one line
//! per value of the second key, with 95 % whiskers.

use super::{err, render, side_legend, split, Chart, Key, FONT, HEIGHT, PALETTE, WIDTH};
use plotters::coord::Shift;
use plotters::prelude::*;

/// One line: its label and a (value, 95 % half-width) per x value.
/// A point in pixels and its whisker's top and bottom.
type Pixel = ((i32, i32), Option<(i32, i32)>);

pub type Line = (String, Vec<Option<(f64, Option<f64>)>>);

/// What a metric can be: its whiskers are clipped to this range.
pub type Bounds = (f64, f64);

#[allow(clippy::too_many_arguments)]
fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    x_desc: &str,
    y_desc: &str,
    xs: &[String],
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
    let (lo, hi) = if lo.is_finite() { (lo, hi) } else { (0.0, 1.0) };
    let pad = if hi > lo {
        (hi - lo) * 0.1
    } else {
        lo.abs().max(1e-9) * 0.05
    };
    let mut chart = super::chart_builder(&plot, title, 90)
        .build_cartesian_2d((0..n - 1).into_segmented(), (lo - pad)..(hi + pad))
        .map_err(err)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_desc(x_desc)
        .y_desc(y_desc)
        .x_labels(n as usize)
        .x_label_formatter(&|v| match v {
            SegmentValue::CenterOf(i) => xs.get(*i as usize).cloned().unwrap_or_default(),
            _ => String::new(),
        })
        .y_label_formatter(&super::tick)
        .label_style((FONT, 16))
        .axis_desc_style((FONT, 18))
        .light_line_style(RGBColor(235, 235, 235))
        .draw()
        .map_err(err)?;
    let mut keys = Vec::new();
    let l = lines.len() as i32;
    for (li, (label, values)) in lines.iter().enumerate() {
        let color = PALETTE[li % PALETTE.len()];
        // Lines are dodged sideways by a few pixels so whiskers stay apart.
        let dodge = (2 * li as i32 - (l - 1)) * 5;
        let area = chart.plotting_area();
        let px: Vec<Option<Pixel>> = values
            .iter()
            .enumerate()
            .map(|(i, v)| {
                v.map(|(y, ci)| {
                    let x = SegmentValue::CenterOf(i as u32);
                    let (cx, cy) = area.map_coordinate(&(x.clone(), y));
                    let whisker = ci.map(|c| {
                        (
                            area.map_coordinate(&(x.clone(), clip(y + c))).1,
                            area.map_coordinate(&(x.clone(), clip(y - c))).1,
                        )
                    });
                    ((cx + dodge, cy), whisker)
                })
            })
            .collect();
        let path: Vec<(i32, i32)> = px.iter().flatten().map(|(p, _)| *p).collect();
        root.draw(&PathElement::new(path, color.stroke_width(2)))
            .map_err(err)?;
        for ((x, y), whisker) in px.iter().flatten() {
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

pub fn metric_chart(
    name: &'static str,
    title: String,
    x_desc: &str,
    y_desc: &str,
    xs: &[String],
    lines: &[Line],
    bounds: Bounds,
) -> Result<Chart, String> {
    Ok(render!(name, title.clone(), (WIDTH, HEIGHT), |root| draw(
        &root, &title, x_desc, y_desc, xs, lines, bounds
    )))
}
