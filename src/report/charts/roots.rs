//! "Where the downtime comes from" (SPEC §7 attribution): the mean downtime
//! per run each root component caused (`downtime_by_root` of summary.json),
//! with 95 % intervals over replications, as horizontal bars; in `compare`,
//! one group of bars per root with a bar per scenario.

use super::{chart_builder, err, height, px, render, side_legend, split, tick, width};
use super::{Chart, Key, FONT, PALETTE};
use crate::report::roots::RootShare;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Roots drawn one by one; the rest are summed in an "other" bar.
pub const SHOWN: usize = 12;

/// The bars drawn for one run: the largest `SHOWN - 1` roots, then the
/// rest summed as "other (k roots)" (no interval), or all if they fit.
pub fn bars(shares: &[RootShare]) -> Vec<RootShare> {
    if shares.len() <= SHOWN {
        return shares.to_vec();
    }
    let mut out = shares[..SHOWN - 1].to_vec();
    let rest = &shares[SHOWN - 1..];
    out.push(RootShare {
        name: format!("other ({} roots)", rest.len()),
        mean_s: rest.iter().map(|r| r.mean_s).sum(),
        ci95_s: None,
    });
    out
}

/// The bar's label: downtime per run, ± the half-width.
pub fn value_label(r: &RootShare) -> String {
    use crate::sim::time::human_s;
    match r.ci95_s {
        Some(h) => format!("{} ± {}", human_s(r.mean_s), human_s(h)),
        None => human_s(r.mean_s),
    }
}

/// The axis unit for a largest value in seconds: (name, seconds).
fn unit(max_s: f64) -> (&'static str, f64) {
    if max_s <= 120.0 {
        ("s", 1.0)
    } else if max_s <= 2.0 * 3600.0 {
        ("min", 60.0)
    } else if max_s <= 3.0 * 86_400.0 {
        ("h", 3600.0)
    } else {
        ("d", 86_400.0)
    }
}

/// Series: (scenario name, its shares); one series for a run.
fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    names: &[String],
    series: &[(String, Vec<RootShare>)],
) -> Result<(), String> {
    root.fill(&WHITE).map_err(err)?;
    let (plot, legend) = split(root);
    let k = series.len().max(1);
    let max = series
        .iter()
        .flat_map(|(_, v)| v.iter().map(|r| r.mean_s + r.ci95_s.unwrap_or(0.0)))
        .fold(0.0f64, f64::max);
    let (unit_name, unit_s) = unit(max);
    // Room on the right for the value labels.
    let top = if max > 0.0 { max * 1.35 / unit_s } else { 1.0 };
    let n = names.len().max(1);
    let mut chart = chart_builder(&plot, title, 200)
        .build_cartesian_2d(0.0..top, -0.5..(n as f64 - 0.5))
        .map_err(err)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .x_desc(format!(
            "downtime per run ({unit_name}), mean ± 95 % interval"
        ))
        .x_label_formatter(&tick)
        .y_labels(n)
        // The largest root at the top.
        .y_label_formatter(&super::bar_labels(names))
        .label_style((FONT, px(18)))
        .axis_desc_style((FONT, px(20)))
        .draw()
        .map_err(err)?;
    // A group takes 0.84 of its row, a bar per scenario, top to bottom.
    let slot = if k > 1 { 0.84 / k as f64 } else { 0.7 };
    if k > 1 {
        // Light rules between the groups of bars.
        for i in 1..n {
            let y = i as f64 - 0.5;
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(0.0, y), (top, y)],
                    RGBColor(200, 200, 200).stroke_width(1),
                )))
                .map_err(err)?;
        }
    }
    let label_style =
        TextStyle::from((FONT, px(16)).into_font()).pos(Pos::new(HPos::Left, VPos::Center));
    for (s, (_, shares)) in series.iter().enumerate() {
        let colour = if k == 1 {
            PALETTE[0]
        } else {
            PALETTE[s % PALETTE.len()]
        };
        for r in shares {
            let Some(i) = names.iter().position(|x| *x == r.name) else {
                continue;
            };
            let y = (n - 1 - i) as f64;
            let (mean, ci) = (r.mean_s / unit_s, r.ci95_s.map(|h| h / unit_s));
            let half = slot * k as f64 / 2.0;
            let (y0, y1) = (y + half - slot * (s + 1) as f64, y + half - slot * s as f64);
            let pad = slot * 0.08;
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(0.0, y0 + pad), (mean, y1 - pad)],
                    colour.filled(),
                )))
                .map_err(err)?;
            let ym = (y0 + y1) / 2.0;
            let mut end = mean;
            if let Some(h) = ci.filter(|h| *h > 0.0) {
                let (a, b) = ((mean - h).max(0.0), mean + h);
                let whisker = RGBColor(40, 40, 40).stroke_width(2);
                chart
                    .draw_series([
                        PathElement::new(vec![(a, ym), (b, ym)], whisker),
                        PathElement::new(
                            vec![(a, ym - slot * 0.25), (a, ym + slot * 0.25)],
                            whisker,
                        ),
                        PathElement::new(
                            vec![(b, ym - slot * 0.25), (b, ym + slot * 0.25)],
                            whisker,
                        ),
                    ])
                    .map_err(err)?;
                end = b;
            }
            chart
                .draw_series(std::iter::once(Text::new(
                    value_label(r),
                    (end + top * 0.01, ym),
                    label_style.clone(),
                )))
                .map_err(err)?;
        }
    }
    if max == 0.0 {
        plot.draw(&Text::new(
            "no downtime in the measured time",
            (200, height() as i32 / 2),
            (FONT, 18).into_font(),
        ))
        .map_err(err)?;
    }
    let mut keys: Vec<(String, Key)> = Vec::new();
    if k > 1 {
        keys.extend(series.iter().enumerate().map(|(s, (name, shares))| {
            // A scenario with no downtime draws no bar: say so.
            let none = shares.iter().all(|r| r.mean_s == 0.0);
            let label = if none {
                format!("{name} (no downtime)")
            } else {
                name.clone()
            };
            (label, Key::Box(PALETTE[s % PALETTE.len()]))
        }));
    }
    keys.push(("whisker: 95 % interval".into(), Key::Note));
    side_legend(&legend, &keys)
}

/// The chart of one run.
pub fn downtime_by_root(title: String, shares: &[RootShare]) -> Result<Chart, String> {
    let shown = bars(shares);
    let names: Vec<String> = shown.iter().map(|r| r.name.clone()).collect();
    let series = vec![(String::new(), shown)];
    let h = height().max(px(140 + 60 * names.len() as u32));
    Ok(render!(
        "downtime_by_root",
        title.clone(),
        (width(), h),
        |root| { draw(&root, &title, &names, &series) }
    ))
}

/// `compare`: the roots of every scenario (largest total first, at most
/// `SHOWN`; the rest summed as "other"), a bar per scenario in each group.
pub fn compared(title: String, runs: &[(String, Vec<RootShare>)]) -> Result<Chart, String> {
    let mut total: Vec<(String, f64)> = Vec::new();
    for (_, shares) in runs {
        for r in shares {
            match total.iter_mut().find(|(n, _)| *n == r.name) {
                Some((_, t)) => *t += r.mean_s,
                None => total.push((r.name.clone(), r.mean_s)),
            }
        }
    }
    total.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let cut = total.len() > SHOWN;
    let kept: Vec<String> = total
        .iter()
        .take(if cut { SHOWN - 1 } else { SHOWN })
        .map(|t| t.0.clone())
        .collect();
    let other = format!("other ({} roots)", total.len().saturating_sub(kept.len()));
    let series: Vec<(String, Vec<RootShare>)> = runs
        .iter()
        .map(|(name, shares)| {
            let mut v: Vec<RootShare> = shares
                .iter()
                .filter(|r| kept.contains(&r.name))
                .cloned()
                .collect();
            let rest: Vec<&RootShare> = shares.iter().filter(|r| !kept.contains(&r.name)).collect();
            if cut && !rest.is_empty() {
                v.push(RootShare {
                    name: other.clone(),
                    mean_s: rest.iter().map(|r| r.mean_s).sum(),
                    ci95_s: None,
                });
            }
            (name.clone(), v)
        })
        .collect();
    let mut names = kept;
    if cut {
        names.push(other);
    }
    let h = height().max(px(140 + (30 + 26 * runs.len() as u32) * names.len() as u32));
    Ok(render!(
        "downtime_by_root",
        title.clone(),
        (width(), h),
        |root| { draw(&root, &title, &names, &series) }
    ))
}
