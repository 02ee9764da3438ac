//! Charts, each drawn twice from the same code: as SVG (for the HTML report
//! and for people who zoom) and as PNG (for slides and the README). The font
//! is bundled (Noto Sans) so charts look the same on a fresh machine.

pub mod compare;
mod distributions;
pub mod sweep;
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

pub const WIDTH: u32 = 1000;
pub const HEIGHT: u32 = 480;
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
            let $root = plotters::prelude::BitMapBackend::with_buffer(&mut buf, ($w, $h))
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
}

/// Draws a legend in its own area (beside the plot, never over the data).
pub fn side_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    items: &[(String, Key)],
) -> Result<(), String> {
    let top = 70;
    for (i, (text, key)) in items.iter().enumerate() {
        let y = top + 26 * i as i32;
        match key {
            Key::Line(c) => area.draw(&PathElement::new(vec![(8, y), (34, y)], c.stroke_width(3))),
            Key::Box(c) => area.draw(&Rectangle::new([(10, y - 8), (32, y + 8)], c.filled())),
            Key::Marker(m) => area.draw(&legend_marker(*m, (21, y))),
            Key::Tick => area.draw(&Rectangle::new(
                [(20, y - 8), (22, y + 8)],
                RGBColor(90, 90, 90).filled(),
            )),
        }
        .map_err(err)?;
        area.draw(&Text::new(
            text.clone(),
            (42, y - 9),
            (FONT, 15).into_font(),
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
    b.caption(title, (FONT, 22).into_font().style(FontStyle::Bold))
        .margin(16)
        .x_label_area_size(48)
        .y_label_area_size(y_labels);
    b
}

/// Width of the legend area to the right of every chart.
pub const LEGEND_WIDTH: u32 = 270;

/// Splits a chart into the plot and the legend beside it.
pub fn split<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
) -> (
    DrawingArea<DB, plotters::coord::Shift>,
    DrawingArea<DB, plotters::coord::Shift>,
) {
    let w = root.dim_in_pixel().0;
    root.split_horizontally(w - LEGEND_WIDTH)
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
    Ok(charts)
}
