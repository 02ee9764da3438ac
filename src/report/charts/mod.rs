//! Charts, each drawn twice from the same code: as SVG (for the HTML report
//! and for people who zoom) and as PNG (for slides and the README). The font
//! is bundled (Noto Sans) so charts look the same on a fresh machine.

mod breakdown;
pub mod compare;
mod distributions;
pub mod domain_rows;
pub mod png;
pub mod roots;
pub mod sweep;
pub mod sweep_dense;
mod time;
pub mod timeline;

pub use compare::compare_charts;

use super::series::WindowRow;
use crate::montecarlo::Outcome;
use crate::scenario::Scenario;
use plotters::prelude::*;
use std::sync::Once;

/// One chart in both formats.
pub struct Chart {
    pub name: &'static str,
    pub title: String,
    pub svg: String,
    pub png: Vec<u8>,
}

pub type DrawResult = Result<(), String>;

/// The default chart size in pixels (`--chart-size` changes it).
pub const DEFAULT_SIZE: (u32, u32) = (1000, 480);

thread_local! {
    static SIZE: std::cell::Cell<(u32, u32)> = const { std::cell::Cell::new(DEFAULT_SIZE) };
}

/// Runs `f` with charts drawn at `size` (width, height in pixels) on this
/// thread; fonts, margins and the legend scale with it.
pub fn with_size<R>(size: Option<(u32, u32)>, f: impl FnOnce() -> R) -> R {
    let old = SIZE.with(|s| s.replace(size.unwrap_or(DEFAULT_SIZE)));
    let r = f();
    SIZE.with(|s| s.set(old));
    r
}

/// Width of a chart in pixels.
pub fn width() -> u32 {
    SIZE.with(|s| s.get().0)
}

/// Height of a chart in pixels.
pub fn height() -> u32 {
    SIZE.with(|s| s.get().1)
}

/// `n` pixels at the default size, scaled to the current chart size (by
/// the smaller of the two ratios, so text never outgrows the chart).
pub fn px(n: u32) -> u32 {
    let (w, h) = SIZE.with(|s| s.get());
    let scale =
        (f64::from(w) / f64::from(DEFAULT_SIZE.0)).min(f64::from(h) / f64::from(DEFAULT_SIZE.1));
    ((f64::from(n) * scale).round() as u32).max(1)
}

/// Parses `--chart-size WxH`, e.g. `1600x900`.
pub fn parse_size(s: &str) -> Result<(u32, u32), String> {
    let (w, h) = s
        .split_once(['x', 'X'])
        .ok_or_else(|| format!("{s:?} is not WIDTHxHEIGHT, e.g. 1600x900"))?;
    let w: u32 = w
        .trim()
        .parse()
        .map_err(|_| format!("{s:?}: width {w:?} is not a whole number"))?;
    let h: u32 = h
        .trim()
        .parse()
        .map_err(|_| format!("{s:?}: height {h:?} is not a whole number"))?;
    if !(400..=8000).contains(&w) || !(240..=8000).contains(&h) {
        return Err(format!(
            "{s:?}: use a width of 400 to 8000 and a height of 240 to 8000 pixels"
        ));
    }
    Ok((w, h))
}
pub const FONT: &str = "sans-serif";

/// Colours that stay apart for the colour-blind (Okabe–Ito).
pub const PALETTE: [RGBColor; 8] = [
    RGBColor(0, 114, 178),
    RGBColor(230, 159, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(86, 180, 233),
    RGBColor(213, 94, 0),
    RGBColor(240, 228, 66),
    RGBColor(0, 0, 0),
];

/// `c` at opacity `a` over white, as an opaque colour (for legend keys).
pub fn tint(c: RGBColor, a: f64) -> RGBColor {
    let m = |v: u8| (255.0 - (255.0 - f64::from(v)) * a).round() as u8;
    RGBColor(m(c.0), m(c.1), m(c.2))
}

/// Registers the bundled font for every style the charts use.
pub fn register_fonts() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let _ = plotters::style::register_font(FONT, FontStyle::Normal, notosans::REGULAR_TTF);
        let _ = plotters::style::register_font(FONT, FontStyle::Bold, notosans::BOLD_TTF);
    });
}

pub fn err<E: std::fmt::Debug>(e: E) -> String {
    format!("{e:?}")
}

/// Draws a chart with `$draw(&root)` into SVG and PNG.
macro_rules! render {
    ($name:expr, $title:expr, ($w:expr, $h:expr), |$root:ident| $draw:expr) => {{
        $crate::report::charts::register_fonts();
        let mut svg = String::new();
        {
            let $root =
                plotters::prelude::SVGBackend::with_string(&mut svg, ($w, $h)).into_drawing_area();
            $draw?;
            $root.present().map_err($crate::report::charts::err)?;
        }
        let mut buf = vec![0u8; ($w as usize) * ($h as usize) * 3];
        {
            let $root = $crate::report::charts::png::GlyphFix::new(
                plotters::prelude::BitMapBackend::with_buffer(&mut buf, ($w, $h)),
            )
            .into_drawing_area();
            $draw?;
            $root.present().map_err($crate::report::charts::err)?;
        }
        $crate::report::charts::Chart {
            name: $name,
            title: $title,
            svg,
            png: $crate::report::charts::encode_png(buf, $w, $h)?,
        }
    }};
}
pub(crate) use render;

pub fn encode_png(buf: Vec<u8>, w: u32, h: u32) -> Result<Vec<u8>, String> {
    let img = image::RgbImage::from_raw(w, h, buf).ok_or("the chart buffer has the wrong size")?;
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageOutputFormat::Png)
        .map_err(err)?;
    Ok(out.into_inner())
}

/// One legend entry drawn beside a chart.
pub enum Key {
    Line(RGBColor),
    Box(RGBColor),
    Marker(u8),
    /// A thin grey tick (the timeline's mark for a too-short state).
    Tick,
    /// No symbol: a note.
    Note,
}

/// Draws a legend in its own area (beside the plot, never over the data).
pub fn side_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    items: &[(String, Key)],
) -> Result<(), String> {
    let top = px(70) as i32;
    for (i, (text, key)) in items.iter().enumerate() {
        let y = top + px(32) as i32 * i as i32;
        match key {
            Key::Line(c) => area.draw(&PathElement::new(vec![(8, y), (34, y)], c.stroke_width(3))),
            Key::Box(c) => area.draw(&Rectangle::new([(10, y - 8), (32, y + 8)], c.filled())),
            Key::Marker(m) => area.draw(&legend_marker(*m, (21, y))),
            Key::Tick => area.draw(&Rectangle::new(
                [(20, y - 8), (22, y + 8)],
                RGBColor(90, 90, 90).filled(),
            )),
            Key::Note => Ok(()),
        }
        .map_err(err)?;
        area.draw(&Text::new(
            text.clone(),
            (42, y - px(11) as i32),
            (FONT, px(19)).into_font(),
        ))
        .map_err(err)?;
    }
    Ok(())
}

/// Legend markers, unshifted.
pub fn legend_marker<DB: DrawingBackend>(
    m: u8,
    at: (i32, i32),
) -> DynElement<'static, DB, (i32, i32)> {
    match m {
        0 => TriangleMarker::new(at, 7, BLACK.filled()).into_dyn(),
        1 => Circle::new(at, 6, RGBColor(120, 40, 140).filled()).into_dyn(),
        _ => Cross::new(at, 7, BLACK.stroke_width(3)).into_dyn(),
    }
}

/// Tick labels: at most 4 significant digits, no trailing `.0`.
pub fn tick(v: &f64) -> String {
    let v = *v;
    if v == 0.0 || !v.is_finite() {
        return "0".into();
    }
    let digits = (3 - v.abs().log10().floor() as i32).max(0) as usize;
    let t = format!("{v:.digits$}");
    if t.contains('.') {
        t.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        t
    }
}

/// The house style of every chart: a bold caption, margins, and room for
/// the axis labels (`y_labels` pixels wide).
pub fn chart_builder<'a, 'b, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, plotters::coord::Shift>,
    title: &'b str,
    y_labels: u32,
) -> ChartBuilder<'a, 'b, DB> {
    let mut b = ChartBuilder::on(area);
    b.caption(title, (FONT, px(28)).into_font().style(FontStyle::Bold))
        .margin(px(16))
        .x_label_area_size(px(60))
        .y_label_area_size(px(y_labels + y_labels / 4));
    b
}

/// The y labels of horizontal bars drawn at y = 0, 1, …: `names[0]` at the
/// top, nothing between bars.
pub fn bar_labels(names: &[String]) -> impl Fn(&f64) -> String + '_ {
    let n = names.len().max(1);
    move |y| {
        let i = y.round();
        if (y - i).abs() < 1e-6 && i >= 0.0 {
            names.get(n - 1 - i as usize).cloned().unwrap_or_default()
        } else {
            String::new()
        }
    }
}

/// Width of the legend area to the right of every chart.
pub const LEGEND_WIDTH: u32 = 330;

/// Splits a chart into the plot and the legend beside it.
pub fn split<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
) -> (
    DrawingArea<DB, plotters::coord::Shift>,
    DrawingArea<DB, plotters::coord::Shift>,
) {
    let w = root.dim_in_pixel().0;
    root.split_horizontally(w - px(LEGEND_WIDTH))
}

/// A time axis in a unit that suits the horizon.
#[derive(Clone, Copy)]
pub struct TimeUnit {
    pub name: &'static str,
    pub seconds: f64,
}

impl TimeUnit {
    pub fn for_horizon(horizon_s: f64) -> Self {
        let (name, seconds) = if horizon_s <= 2.0 * 3600.0 {
            ("min", 60.0)
        } else if horizon_s <= 3.0 * 86_400.0 {
            ("h", 3600.0)
        } else {
            ("d", 86_400.0)
        };
        TimeUnit { name, seconds }
    }
}

/// The charts of one run.
pub fn run_charts(sc: &Scenario, o: &Outcome, rows: &[WindowRow]) -> Result<Vec<Chart>, String> {
    let mut charts = vec![time::availability(sc, rows)?];
    if o.requests.is_some() {
        charts.push(time::latency(sc, rows)?);
        charts.push(distributions::latency_cdf(
            format!("{}: latency distribution", sc.name),
            &[(sc.name.as_str(), super::series::latency_cdf(o))],
        )?);
    }
    charts.push(timeline::timeline(sc, o)?);
    charts.push(distributions::outage_cdf(sc, o)?);
    let phases = crate::report::imperfect::ImperfectSummary::new(sc, o)
        .downtime_breakdown_s
        .values();
    charts.push(breakdown::breakdown(
        format!("{}: where the outage time goes", sc.name),
        &[(sc.name.clone(), phases)],
    )?);
    charts.push(roots::downtime_by_root(
        format!("{}: where the downtime comes from", sc.name),
        &crate::report::roots::downtime_by_root_ci(sc, o),
    )?);
    Ok(charts)
}

/// A log axis range covering [lo, hi] whose ends are 1-2-5 values (…, 10,
/// 20, 50, 100, …): the largest at or below `lo`, the smallest at or above
/// `hi` (one step further out when the data sit on it, if lo == hi).
pub fn log_span(lo: f64, hi: f64) -> (f64, f64) {
    if !(lo > 0.0 && hi >= lo && hi.is_finite()) {
        return (lo, hi);
    }
    let value = |k: i32, m: f64| {
        if k >= 0 {
            m * 10f64.powi(k)
        } else {
            m / 10f64.powi(-k)
        }
    };
    let steps = |x: f64| {
        let k = x.log10().floor() as i32;
        [
            (k - 1, 5.0),
            (k, 1.0),
            (k, 2.0),
            (k, 5.0),
            (k + 1, 1.0),
            (k + 1, 2.0),
        ]
        .map(|(k, m)| value(k, m))
    };
    let eps = 1e-9;
    let below = steps(lo)
        .into_iter()
        .filter(|v| *v <= lo * (1.0 + eps))
        .fold(0.0, f64::max);
    let above = steps(hi)
        .into_iter()
        .filter(|v| *v >= hi * (1.0 - eps))
        .fold(f64::INFINITY, f64::min);
    if above > below {
        (below, above)
    } else {
        (
            below,
            steps(hi)
                .into_iter()
                .find(|v| *v > above)
                .unwrap_or(above * 2.0),
        )
    }
}

/// Tick values for a log axis over [lo, hi]: the 1-2-5 sequence
/// (…, 10, 20, 50, 100, …); where that gives fewer than three, every
/// 1…9 × 10^k; where even that gives fewer than two (a range inside one
/// step), the ends themselves, rounded. An axis is never left unlabelled.
pub fn log_ticks(lo: f64, hi: f64) -> Vec<f64> {
    if !(lo > 0.0 && hi > lo && hi.is_finite()) {
        return vec![];
    }
    let pick = |mantissas: &[f64]| {
        let mut out = Vec::new();
        let mut k = lo.log10().floor() as i32 - 1;
        while 10f64.powi(k) <= hi * 10.0 {
            for m in mantissas {
                // Built as m × 10^k from integers, so 0.2 prints as 0.2.
                let v = if k >= 0 {
                    m * 10f64.powi(k)
                } else {
                    m / 10f64.powi(-k)
                };
                if v >= lo * (1.0 - 1e-9) && v <= hi * (1.0 + 1e-9) {
                    out.push(v);
                }
            }
            k += 1;
        }
        out
    };
    let t = pick(&[1.0, 2.0, 5.0]);
    if t.len() >= 3 {
        return t;
    }
    let t = pick(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0]);
    if t.len() >= 2 {
        return t;
    }
    linear_ticks(lo, hi, 4)
}

/// About `n` evenly spaced tick values over [lo, hi] on a 1-2-5 step.
pub fn linear_ticks(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    if !(hi > lo && lo.is_finite() && hi.is_finite()) {
        return vec![lo];
    }
    let raw = (hi - lo) / n.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    // The 1-2-5 step whose tick count is nearest `n`.
    let count = |s: f64| ((hi - lo) / s - n as f64).abs();
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * mag)
        .min_by(|a, b| count(*a).total_cmp(&count(*b)))
        .unwrap_or(mag);
    let first = (lo / step).ceil() as i64;
    let last = (hi / step).floor() as i64;
    (first..=last)
        .map(|i| {
            // Rounded to the step's decimals so 0.30000000000000004 is 0.3.
            let v = i as f64 * step;
            let digits = (-step.log10().floor()).max(0.0) as i32 + 1;
            let p = 10f64.powi(digits);
            (v * p).round() / p
        })
        .collect()
}

/// The y range of a chart of fractions (uptime, availability): from `lo`
/// to 1, with a little headroom so a line at 1 is not cut by the frame,
/// and ticks that never go above 1.
pub fn fraction_axis(lo: f64) -> (std::ops::Range<f64>, Vec<f64>) {
    let lo = lo.clamp(0.0, 1.0);
    let lo = if lo >= 1.0 { 0.999 } else { lo };
    let head = (1.0 - lo) * 0.02;
    let ticks: Vec<f64> = linear_ticks(lo, 1.0, 5)
        .into_iter()
        .filter(|t| *t <= 1.0)
        .collect();
    (lo..1.0 + head, ticks)
}

/// Labels for evenly spaced ticks: as many decimals as the step needs, so
/// 0.99992 and 0.99994 do not both read 0.9999.
pub fn step_label(ticks: &[f64]) -> impl Fn(&f64) -> String {
    let step = ticks
        .windows(2)
        .map(|w| w[1] - w[0])
        .fold(f64::INFINITY, f64::min);
    let decimals = if step.is_finite() && step > 0.0 {
        (-(step.log10() + 1e-9).floor()).max(0.0) as usize
    } else {
        3
    };
    move |v: &f64| format!("{v:.decimals$}")
}

/// A numeric axis whose ticks are chosen here (1-2-5, never above 1 for
/// fractions), not by plotters' defaults.
pub struct Ticked<R> {
    inner: R,
    ticks: Vec<f64>,
}

/// `coord` (a range, or a log range) with `ticks` as its labelled points.
pub fn ticked<C: plotters::coord::ranged1d::AsRangedCoord<Value = f64>>(
    coord: C,
    ticks: Vec<f64>,
) -> Ticked<C::CoordDescType> {
    Ticked {
        inner: coord.into(),
        ticks,
    }
}

impl<R: Ranged<ValueType = f64>> Ranged for Ticked<R> {
    type ValueType = f64;
    type FormatOption = plotters::coord::ranged1d::DefaultFormatting;
    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        self.inner.map(value, limit)
    }
    fn key_points<Hint: plotters::coord::ranged1d::KeyPointHint>(&self, _hint: Hint) -> Vec<f64> {
        self.ticks.clone()
    }
    fn range(&self) -> std::ops::Range<f64> {
        self.inner.range()
    }
    fn axis_pixel_range(&self, limit: (i32, i32)) -> std::ops::Range<i32> {
        self.inner.axis_pixel_range(limit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_span_ends_on_1_2_5_ticks_beyond_the_data() {
        // The review's case: p50 ≈ 35 ms, p99 ≈ 230 ms.
        assert_eq!(log_span(35.0, 230.0), (20.0, 500.0));
        assert_eq!(log_span(0.3, 0.7), (0.2, 1.0));
        assert_eq!(log_span(50.0, 100.0), (50.0, 100.0));
        assert_eq!(log_span(9.5, 10.5), (5.0, 20.0));
        assert_eq!(log_span(10.0, 10.0), (10.0, 20.0));
        let (lo, hi) = log_span(35.0, 230.0);
        let t = log_ticks(lo, hi);
        assert_eq!(t.first(), Some(&20.0));
        assert_eq!(t.last(), Some(&500.0));
    }

    #[test]
    fn log_ticks_are_1_2_5_and_never_empty() {
        assert_eq!(log_ticks(60.0, 900.0), vec![100.0, 200.0, 500.0]);
        assert_eq!(
            log_ticks(0.15, 30.0),
            vec![0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0]
        );
        // All outages within one decade: still labelled.
        assert_eq!(
            log_ticks(250.0, 900.0),
            vec![300.0, 400.0, 500.0, 600.0, 700.0, 800.0, 900.0]
        );
        assert_eq!(log_ticks(120.0, 180.0), vec![120.0, 140.0, 160.0, 180.0]);
        assert!(log_ticks(0.0, 1.0).is_empty());
    }

    #[test]
    fn linear_ticks_are_round() {
        assert_eq!(
            linear_ticks(0.0, 1.0, 5),
            vec![0.0, 0.2, 0.4, 0.6, 0.8, 1.0]
        );
        assert_eq!(
            linear_ticks(0.97, 1.0, 5),
            vec![0.97, 0.975, 0.98, 0.985, 0.99, 0.995, 1.0]
        );
        assert_eq!(
            linear_ticks(1.0, 30.0, 5),
            vec![5.0, 10.0, 15.0, 20.0, 25.0, 30.0]
        );
    }

    #[test]
    fn fraction_axes_never_label_above_one() {
        for lo in [0.0, 0.5, 0.97, 0.9995, 1.0] {
            let (range, ticks) = fraction_axis(lo);
            assert!(ticks.iter().all(|t| *t <= 1.0), "{lo}: {ticks:?}");
            assert!(ticks.len() >= 2, "{lo}: {ticks:?}");
            assert!(range.end > 1.0 && range.end <= 1.02);
        }
    }
}
