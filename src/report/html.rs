//! `index.html`: a self-contained page (inline SVG, no script from outside,
//! no network) with the summary table, every chart, the outages and events,
//! and a paragraph in plain words. Opens from disk.

use super::charts::Chart;
use crate::i18n::{t, tf};

/// Escapes text for HTML.
pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Makes a plotters SVG scale with the page.
fn responsive(svg: &str) -> String {
    match svg.find("<svg") {
        Some(i) => {
            let head_end = svg[i..].find('>').map_or(svg.len(), |j| i + j);
            let head = &svg[i..head_end];
            let grab = |attr: &str| {
                head.split(&format!("{attr}=\""))
                    .nth(1)
                    .and_then(|r| r.split('"').next())
                    .unwrap_or("0")
                    .to_string()
            };
            let (w, h) = (grab("width"), grab("height"));
            format!(
                "<svg viewBox=\"0 0 {w} {h}\" preserveAspectRatio=\"xMidYMid meet\" role=\"img\" xmlns=\"http://www.w3.org/2000/svg\">{}",
                &svg[head_end + 1..]
            )
        }
        None => svg.to_string(),
    }
}

/// A page: title, paragraphs, tables (caption, header, rows), charts.
pub struct Page<'a> {
    pub title: String,
    pub subtitle: String,
    pub story: Vec<String>,
    pub summary: Vec<(String, String)>,
    pub charts: &'a [Chart],
    pub tables: Vec<Table>,
}

pub struct Table {
    pub caption: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub note: Option<String>,
}

const STYLE: &str = "body{font-family:'Noto Sans',system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}\
h1{margin-bottom:.2em}.sub{color:#555;margin-top:0}p.story{font-size:1.05em;line-height:1.5}\
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.25em .6em;text-align:left;vertical-align:top}\
th{background:#f3f3f3}.n{text-align:right;font-variant-numeric:tabular-nums}figure{margin:1.5em 0}\
figure svg{width:100%;height:auto;border:1px solid #eee}figcaption{color:#555}.scroll{max-height:28em;overflow:auto}";

/// Chinese pages: CJK fonts the reader's system may have, after the
/// page's own (nothing is bundled; the charts stay English).
const STYLE_ZH: &str =
    "body{font-family:'Noto Sans','Noto Sans CJK SC','Source Han Sans SC','PingFang SC',\
'Hiragino Sans GB','Microsoft YaHei','WenQuanYi Micro Hei',system-ui,sans-serif}";

/// Whether a cell holds a number or a quantity (`0.99 ± 0.01`, `2h 05m`,
/// `3 / 4`, `5, 1`, `∞`): such cells are right-aligned, text is
/// left-aligned. Every word must be a number, a duration or a sign.
pub fn is_numeric(cell: &str) -> bool {
    let quantity = |w: &str| {
        let w = w.trim_end_matches(',');
        let digits = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
        let unit = &w[digits.len()..];
        matches!(w, "±" | "/" | "%" | "∞" | "-")
            || w.replace('−', "-").parse::<f64>().is_ok()
            || (!digits.is_empty()
                && digits.parse::<f64>().is_ok()
                && matches!(unit, "ns" | "us" | "ms" | "s" | "m" | "h" | "d"))
    };
    let mut words = cell.split_whitespace().peekable();
    words.peek().is_some() && words.all(quantity)
}

/// The class attribute of a cell.
fn align(numeric: bool) -> &'static str {
    if numeric {
        " class=\"n\""
    } else {
        ""
    }
}

impl Page<'_> {
    pub fn render(&self) -> String {
        let mut h = String::with_capacity(1 << 16);
        h.push_str(&format!(
            "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n",
            t("page.lang")
        ));
        h.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        h.push_str(&format!(
            "<title>{}</title>\n<style>{STYLE}{}</style>\n</head>\n<body>\n",
            esc(&self.title),
            if crate::i18n::zh() { STYLE_ZH } else { "" }
        ));
        h.push_str(&format!(
            "<h1>{}</h1>\n<p class=\"sub\">{}</p>\n",
            esc(&self.title),
            esc(&self.subtitle)
        ));
        if crate::i18n::zh() {
            h.push_str(&format!(
                "<p class=\"sub\">{}</p>\n",
                esc(&t("page.charts_english"))
            ));
        }
        for p in &self.story {
            h.push_str(&format!("<p class=\"story\">{}</p>\n", esc(p)));
        }
        if !self.summary.is_empty() {
            h.push_str(&format!(
                "<table class=\"summary\">\n<tr><th>{}</th><th>{}</th></tr>\n",
                t("page.metric"),
                t("page.value")
            ));
            for (k, v) in &self.summary {
                h.push_str(&format!(
                    "<tr><td>{}</td><td{}>{}</td></tr>\n",
                    esc(k),
                    align(is_numeric(v)),
                    esc(v)
                ));
            }
            h.push_str("</table>\n");
        }
        for c in self.charts {
            h.push_str(&format!(
                "<figure id=\"chart-{}\">\n{}\n<figcaption>{}</figcaption>\n</figure>\n",
                c.name,
                responsive(&c.svg),
                esc(&tf("page.figcaption", &[&c.title, &c.name, &c.name]))
            ));
        }
        for t in &self.tables {
            h.push_str(&format!("<h2>{}</h2>\n", esc(&t.caption)));
            if let Some(n) = &t.note {
                h.push_str(&format!("<p>{}</p>\n", esc(n)));
            }
            // A column is numeric when every non-empty cell is: its header
            // is then right-aligned over the numbers.
            let numeric: Vec<bool> = (0..t.header.len())
                .map(|i| {
                    let mut cells = t
                        .rows
                        .iter()
                        .filter_map(|r| r.get(i))
                        .filter(|c| !c.is_empty());
                    let mut any = false;
                    cells.all(|c| {
                        any = true;
                        is_numeric(c)
                    }) && any
                })
                .collect();
            h.push_str("<div class=\"scroll\"><table>\n<tr>");
            for (i, c) in t.header.iter().enumerate() {
                let n = numeric.get(i).copied().unwrap_or(false);
                h.push_str(&format!("<th{}>{}</th>", align(n), esc(c)));
            }
            h.push_str("</tr>\n");
            for r in &t.rows {
                h.push_str("<tr>");
                for c in r {
                    h.push_str(&format!("<td{}>{}</td>", align(is_numeric(c)), esc(c)));
                }
                h.push_str("</tr>\n");
            }
            h.push_str("</table></div>\n");
        }
        h.push_str(&format!(
            "<footer><p class=\"sub\">{}</p></footer>\n</body>\n</html>\n",
            t("page.footer")
        ));
        h
    }
}

#[cfg(test)]
mod tests {
    use super::is_numeric;

    #[test]
    fn numbers_right_text_left() {
        for n in [
            "0.999",
            "-3",
            "1e-5",
            "0.99 ± 0.01",
            "2h 05m",
            "3 / 4",
            "5, 1",
            "∞",
            "150ms",
            "12.5s ± 1.2s",
        ] {
            assert!(is_numeric(n), "{n}");
        }
        for t in [
            "95 % half-width of uptime",
            "crashed (node 0)",
            "node 1",
            "master-slave",
            "",
            "∞ (never down)",
            "points/001-a=1/index.html",
        ] {
            assert!(!is_numeric(t), "{t}");
        }
    }
}
