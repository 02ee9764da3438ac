//! Charts, pages and comparisons: files exist and are well-formed, the
//! comparison table is pinned by a snapshot, and everything is
//! byte-identical for the same seed.

use crate::support::{hasim, stderr};
use std::fs;
use std::path::Path;

/// Width and height of a PNG, from its IHDR chunk, after checking the
/// signature.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
    assert_eq!(&bytes[12..16], b"IHDR");
    let be = |i: usize| u32::from_be_bytes(bytes[i..i + 4].try_into().unwrap());
    (be(16), be(20))
}

fn check_svg(text: &str, what: &str) {
    assert!(text.trim_start().starts_with("<svg"), "{what}: not an SVG");
    assert!(text.trim_end().ends_with("</svg>"), "{what}: truncated SVG");
    assert!(
        text.matches("<text").count() >= 5,
        "{what}: an SVG chart needs a title, axis labels and ticks"
    );
    assert_eq!(
        text.matches("<svg").count(),
        text.matches("</svg>").count(),
        "{what}: unbalanced"
    );
}

fn check_charts(dir: &Path, names: &[&str]) {
    for name in names {
        let png = fs::read(dir.join(format!("{name}.png")))
            .unwrap_or_else(|_| panic!("{name}.png missing"));
        let (w, h) = png_size(&png);
        assert!(w >= 800 && h >= 300, "{name}.png is {w}x{h}");
        assert!(
            png.len() > 10_000,
            "{name}.png is suspiciously small: a blank chart?"
        );
        check_svg(
            &fs::read_to_string(dir.join(format!("{name}.svg"))).unwrap(),
            name,
        );
    }
}

#[test]
fn a_run_writes_every_chart_and_a_page() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("r");
    let o = hasim(&[
        "run",
        "scenarios/asymmetric-cluster.toml",
        "--set",
        "duration=20m",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    check_charts(
        &out,
        &[
            "availability",
            "latency",
            "latency_cdf",
            "timeline",
            "outages",
            // SPEC §8: where the outage time goes.
            "breakdown",
            // SPEC §7: where the downtime comes from (downtime_by_root).
            "downtime_by_root",
        ],
    );
    let html = fs::read_to_string(out.join("index.html")).unwrap();
    assert_eq!(html.matches("<figure").count(), 7);
    assert!(
        !html.contains("http://")
            || html.matches("http://").count()
                == html.matches("http://www.w3.org/2000/svg").count(),
        "no external resources"
    );
    assert!(html.contains("elected"), "the page lists the events");
    assert!(html.contains("<table class=\"summary\">"));
}

#[test]
fn a_state_only_run_has_no_latency_charts() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("s.toml");
    fs::write(&file, "architecture = \"warm-standby\"\nduration = \"30d\"\n[nodes]\ncount = 2\nfailure = \"10d\"\nrepair = \"1h\"\n").unwrap();
    let out = tmp.path().join("o");
    let o = hasim(&[
        "run",
        file.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    check_charts(&out, &["availability", "timeline", "outages"]);
    assert!(!out.join("latency.png").exists());
}

/// Two short scripted scenarios with exact outcomes.
fn compare_pair(dir: &Path) -> std::process::Output {
    compare_scripted(dir, "2000s")
}

/// As `compare_pair`, with the master-slave run lasting `duration_b`.
fn compare_scripted(dir: &Path, duration_b: &str) -> std::process::Output {
    let scripted = |arch: &str, promotion: &str, duration: &str| {
        format!(
            "name = \"{arch}\"\narchitecture = \"{arch}\"\nduration = \"{duration}\"\nwindow = \"100s\"\nreplications = 2\n\
             [nodes]\ncount = 2\n[workload]\nrate = 10\narrival = \"constant\"\nservice = \"20ms\"\n\
             [failover]\npromotion = \"{promotion}\"\noperator = \"10m\"\nswitch = \"30s\"\n\
             [[faults]]\nat = \"100s\"\nnode = 0\nkind = \"permanent\"\n"
        )
    };
    fs::create_dir_all(dir).unwrap();
    fs::write(
        dir.join("a.toml"),
        scripted("warm-standby", "manual", "2000s"),
    )
    .unwrap();
    fs::write(
        dir.join("b.toml"),
        scripted("master-slave", "automatic", duration_b),
    )
    .unwrap();
    hasim(&[
        "compare",
        dir.join("a.toml").to_str().unwrap(),
        dir.join("b.toml").to_str().unwrap(),
        "--out",
        dir.join("cmp").to_str().unwrap(),
    ])
}

#[test]
fn comparison_table_snapshot() {
    let tmp = tempfile::tempdir().unwrap();
    let o = compare_pair(tmp.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let csv = fs::read_to_string(tmp.path().join("cmp/comparison.csv")).unwrap();
    // Warm standby, manual: down [100, 100 + 2 + 600 + 30) = 632 s.
    // Master-slave, automatic: class A down [100, 132) = 32 s.
    insta::assert_snapshot!("comparison_csv", csv);
}

#[test]
fn compare_writes_overlays_a_page_and_each_run() {
    let tmp = tempfile::tempdir().unwrap();
    let o = compare_pair(tmp.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let cmp = tmp.path().join("cmp");
    check_charts(&cmp, &["availability", "downtime", "nines", "latency_cdf"]);
    for run in ["warm-standby", "master-slave"] {
        assert!(
            cmp.join(run).join("index.html").exists(),
            "{run}'s own report"
        );
        assert!(cmp.join(run).join("summary.json").exists());
    }
    let page = fs::read_to_string(cmp.join("index.html")).unwrap();
    assert!(page.contains("warm-standby") && page.contains("master-slave"));
    // Same seed: identical bytes, the charts included.
    let again = tmp.path().join("again");
    fs::create_dir_all(&again).unwrap();
    let o = compare_pair(&again);
    assert!(o.status.success());
    for f in [
        "comparison.csv",
        "availability.svg",
        "downtime.svg",
        "index.html",
        "warm-standby/timeline.svg",
    ] {
        assert!(
            fs::read(cmp.join(f)).unwrap() == fs::read(again.join("cmp").join(f)).unwrap(),
            "{f} differs"
        );
    }
}

/// The cells of the first table after `<h2>{caption}</h2>`, unescaped.
fn html_table(page: &str, caption: &str) -> Vec<Vec<String>> {
    let after = page
        .split(&format!("<h2>{caption}</h2>"))
        .nth(1)
        .unwrap_or_else(|| panic!("no table {caption}"));
    let table = after.split("</table>").next().unwrap();
    let unescape = |s: &str| {
        s.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&amp;", "&")
    };
    table
        .split("<tr>")
        .skip(1)
        .map(|row| {
            // Each cell: `<td ...>text</td>` or `<th ...>text</th>`.
            row.split("<t")
                .skip(1)
                .map(|c| unescape(c.split_once('>').unwrap().1.split('<').next().unwrap()))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The page's "Side by side" table is comparison.csv on its side: one row
/// per CSV column (named by the column), one column per scenario, and every
/// cell the CSV cell itself. The master-slave run has task classes, whose
/// rows once shifted every cell below them.
#[test]
fn the_compare_page_shows_exactly_comparison_csv() {
    let tmp = tempfile::tempdir().unwrap();
    let o = compare_scripted(tmp.path(), "4000s");
    assert!(o.status.success(), "{}", stderr(&o));
    let cmp = tmp.path().join("cmp");
    let csv = fs::read_to_string(cmp.join("comparison.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let records: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    let page = fs::read_to_string(cmp.join("index.html")).unwrap();
    let table = html_table(&page, "Side by side");
    let scenarios: Vec<&str> = records.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(table[0][2..], scenarios[..], "one column per scenario");
    let rows = &table[1..];
    assert_eq!(
        rows.iter().map(|r| r[0].as_str()).collect::<Vec<_>>(),
        header[1..].iter().map(String::as_str).collect::<Vec<_>>(),
        "one row per CSV column, in CSV order"
    );
    for row in rows {
        let col = header.iter().position(|h| *h == row[0]).unwrap();
        assert_eq!(row.len(), 2 + records.len(), "{}: a cell per run", row[0]);
        for (j, rec) in records.iter().enumerate() {
            assert_eq!(row[2 + j], rec[col], "{} of {}", row[0], rec[0]);
        }
    }
    // Downtime per year: warm standby is down 632 s of 2000 s; master-slave
    // 32 s of 4000 s (class A waits for the 30 s switch after the 2 s
    // detection). A year is 365.25 days.
    let year = 365.25 * 86_400.0;
    let col = header
        .iter()
        .position(|h| h == "downtime_per_year_s")
        .expect("a downtime_per_year_s column");
    let per_year: Vec<f64> = records.iter().map(|r| r[col].parse().unwrap()).collect();
    assert!((per_year[0] - 632.0 / 2000.0 * year).abs() < 1e-6 * year);
    assert!((per_year[1] - 32.0 / 4000.0 * year).abs() < 1e-6 * year);
    // Different durations: the page and the terminal say downtime is
    // compared per year.
    assert!(page.contains("measured different durations"));
    assert!(String::from_utf8_lossy(&o.stdout).contains("compare downtime per year"));
}

/// A rectangle of an SVG: (x, y, width, height, fill).
type SvgRect = (i64, i64, i64, i64, String);

/// The rectangles of an SVG.
fn svg_rects(svg: &str) -> Vec<SvgRect> {
    svg.split("<rect ")
        .skip(1)
        .map(|r| {
            let attr = |a: &str| {
                r.split(&format!(" {a}=\""))
                    .nth(1)
                    .or_else(|| r.strip_prefix(&format!("{a}=\"")))
                    .and_then(|v| v.split('"').next())
                    .unwrap_or_else(|| panic!("no {a} in <rect {r}"))
                    .to_string()
            };
            let int = |a: &str| attr(a).parse::<i64>().unwrap();
            (
                int("x"),
                int("y"),
                int("width"),
                int("height"),
                attr("fill"),
            )
        })
        .collect()
}

/// The timeline draws time to scale. Two nodes of a symmetric cluster
/// over 2 days: node 0 down [1d, 1d + 2h), node 1 down [1d + 1h, 1d + 3h),
/// so the service is down [1d + 1h, 1d + 2h) plus at most a heartbeat or
/// two. Each state's drawn width is its time share of the plot, within a
/// pixel per stretch; the 1 s "not yet marked up" states take no width (they
/// were once widened to 3 pixels each).
#[test]
fn the_timeline_draws_time_to_scale_with_a_service_row() {
    let (sc, o, s) = crate::support::run(
        "architecture = \"symmetric-cluster\"\nduration = \"2d\"\nreplications = 1\n\
         [nodes]\ncount = 2\n[detection]\nheartbeat = \"1s\"\n\
         [[faults]]\nat = \"1d\"\nnode = 0\nkind = \"crash\"\nfor = \"2h\"\n\
         [[faults]]\nat = \"25h\"\nnode = 1\nkind = \"crash\"\nfor = \"2h\"\n",
    );
    let chart = hasim::report::charts::timeline::timeline(&sc, &o).unwrap();
    let rects = svg_rects(&chart.svg);
    // The rows' bars: rects sharing a y whose widths tile the plot.
    let mut by_y: std::collections::BTreeMap<i64, Vec<&SvgRect>> = Default::default();
    for r in &rects {
        by_y.entry(r.1).or_default().push(r);
    }
    let total = |rs: &[&SvgRect]| rs.iter().map(|r| r.2).sum::<i64>();
    let width = by_y
        .values()
        .filter(|rs| rs.len() > 1)
        .map(|rs| total(rs))
        .max()
        .unwrap();
    let bars: Vec<_> = by_y
        .values()
        .filter(|rs| total(rs) == width && rs.len() > 1)
        .collect();
    assert_eq!(bars.len(), 3, "a service row and a row per node");
    let day = 86_400.0;
    let horizon = 2.0 * day;
    let share = |rs: &[&SvgRect], fill: &str| {
        rs.iter().filter(|r| r.4 == fill).map(|r| r.2).sum::<i64>() as f64 / width as f64 * horizon
    };
    let px = horizon / width as f64;
    let colours = |rs: &[&SvgRect]| {
        let mut c: Vec<String> = rs.iter().map(|r| r.4.clone()).collect();
        c.sort();
        c.dedup();
        c
    };
    // Service row: up, down for about an hour (replication 0's outage, the
    // one uptime counts), up.
    let service = bars[0];
    assert_eq!(service.len(), 3, "up, down, up: {service:?}");
    let down_fill = &service[1].4;
    let down = share(service, down_fill);
    assert!(
        (down - 3600.0).abs() <= 2.0 * px,
        "service down {down} s drawn"
    );
    assert!(
        (down - s.downtime_s).abs() <= px,
        "the drawn outage is uptime's"
    );
    // Node rows: serving, down 2 h, (a 1 s unmarked stretch), serving.
    for (i, row) in bars[1..].iter().enumerate() {
        let fills = colours(row);
        let widest_down = row
            .iter()
            .filter(|r| r.4 != row[0].4)
            .max_by_key(|r| r.2)
            .unwrap();
        let drawn_down = share(row, &widest_down.4);
        assert!(
            (drawn_down - 7200.0).abs() <= px,
            "node {i}: down {drawn_down} s drawn for 7200 s"
        );
        let serving = share(row, &row[0].4);
        assert!(
            (serving - (horizon - 7200.0)).abs() <= 3.0 * px,
            "node {i}: serving {serving} s drawn"
        );
        for f in fills
            .iter()
            .filter(|f| **f != row[0].4 && **f != widest_down.4)
        {
            assert!(
                share(row, f) <= px,
                "node {i}: a brief state {f} is drawn {} s wide",
                share(row, f)
            );
        }
    }
}

#[test]
fn compare_needs_two_scenarios() {
    assert_eq!(
        hasim(&["compare", "scenarios/cold-standby.toml"])
            .status
            .code(),
        Some(2)
    );
}

/// Opens the HTML report in headless Chromium (with a probe script the
/// test adds) and checks that every chart got a layout box and the summary
/// table rendered. Needs Debian's
/// `chromium`; `.ci/run` installs it and runs the ignored tests.
#[test]
#[ignore]
fn browser_renders_the_report() {
    let chromium = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|b| {
            std::process::Command::new(b)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
        .expect("install Debian's chromium to run this test");
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("r");
    let o = hasim(&[
        "run",
        "scenarios/cold-standby.toml",
        "--set",
        "duration=10d",
        "--set",
        "window=6h",
        "--replications",
        "3",
        // Seed 133: the first run has a permanent failure of the primary, a
        // promotion of the backup, the replacement joining, and a crash and
        // repair of the new primary (14 events).
        "--seed",
        "133",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    // The page carries no test code: the test adds its own probe, which
    // writes whether every chart got a layout box into the DOM.
    let page = fs::read_to_string(out.join("index.html")).unwrap();
    // The player's script is inline: nothing is loaded from elsewhere.
    assert!(!page.contains("<script src"), "the page loads no script");
    for net in ["src=\"http", "href=\"http", "fetch(", "XMLHttpRequest"] {
        assert!(
            !page.contains(net),
            "the page reaches nothing outside: {net}"
        );
    }
    let (times, expected) =
        replay_expectations(&fs::read_to_string(out.join("events.csv")).unwrap());
    assert!(
        times.len() >= 10,
        "a 10-day run has a few failures: {times:?}"
    );
    let list = times.join(",");
    // For each time: the drawn state there, then after a step forward and
    // back, then after a step back and forward (the same both times; a
    // step past either end does not move).
    let replay_probe = format!(
        "<p id=\"replay-check\"></p><script>(function(){{var P=window.hasimPlayer;var out=[];\
function drawn(){{var n=document.querySelectorAll('#p-nodes .node');var a=[];for(var i=0;i<n.length;i++)\
a.push(n[i].getAttribute('data-health')+'/'+n[i].getAttribute('data-role')+'/'+n[i].getAttribute('data-dispatch'));return a.join(' ');}}\
var ev=function(){{return +document.getElementById('player').getAttribute('data-event');}};\
var ts=[{list}];for(var i=0;i<ts.length;i++){{P.seek(ts[i]);var a=drawn(),k=ev();P.step(1);if(ev()>k)P.step(-1);var b=drawn();\
P.step(-1);if(ev()<k)P.step(1);var c=drawn();\
out.push(a+(a===b&&a===c?'':' MOVED '+b+' | '+c));}}\
document.getElementById('replay-check').textContent=out.join(';');}})();</script>"
    );
    let probe = "<p id=\"render-check\"></p><script>(function(){var s=document.querySelectorAll('figure svg');var ok=0;\
for(var i=0;i<s.length;i++){var b=s[i].getBoundingClientRect();if(b.width>100&&b.height>50&&s[i].querySelectorAll('*').length>10)ok++;}\
document.getElementById('render-check').textContent='charts='+s.length+' rendered='+ok+' rows='+document.querySelectorAll('table.summary tr').length;})();</script>";
    fs::write(
        out.join("probe.html"),
        page.replace("</body>", &format!("{probe}{replay_probe}</body>")),
    )
    .unwrap();
    let profile = tmp.path().join("profile");
    let url = format!("file://{}", out.join("probe.html").display());
    let shot = tmp.path().join("shot.png");
    let flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-sync",
        "--disable-component-update",
    ];
    let run = |extra: &[&str]| {
        std::process::Command::new(chromium)
            .args(flags)
            .arg(format!("--user-data-dir={}", profile.display()))
            .args(extra)
            .arg(&url)
            .output()
            .expect("run chromium")
    };
    let dom = String::from_utf8_lossy(&run(&["--dump-dom"]).stdout).into_owned();
    let check = dom
        .split("id=\"render-check\">")
        .nth(1)
        .and_then(|r| r.split('<').next())
        .unwrap_or("");
    // Every chart the run wrote (one SVG each) is on the page and drawn.
    let charts = fs::read_dir(&out)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "svg")
        })
        .count();
    assert_eq!(
        check,
        format!("charts={charts} rendered={charts} rows=12"),
        "the page's own render check"
    );
    let replay = dom
        .split("id=\"replay-check\">")
        .nth(1)
        .and_then(|r| r.split('<').next())
        .unwrap_or("");
    let drawn: Vec<&str> = replay.split(';').collect();
    assert_eq!(drawn.len(), expected.len(), "{replay}");
    for ((t, want), got) in times.iter().zip(&expected).zip(&drawn) {
        assert_eq!(*got, want, "the player at t = {t} s");
    }
    run(&[
        "--window-size=1200,2400",
        &format!("--screenshot={}", shot.display()),
    ]);
    let png = fs::read(&shot).expect("chromium wrote a screenshot");
    let (w, h) = png_size(&png);
    assert_eq!((w, h), (1200, 2400));
    assert!(
        png.len() > 50_000,
        "a screenshot of charts is not blank: {} bytes",
        png.len()
    );
}

/// What a cold standby pair (node 0 primary, node 1 backup, SPEC §2) looks
/// like at chosen times, by SPEC's events alone: a failure takes a node
/// down (crashed), away (failed_permanently), hangs or cuts it off; a repair,
/// replacement or heal brings it up; detection marks it down (the
/// dispatcher stops sending it work) and up; a promotion makes a node the
/// primary and the former primary a backup. The times are every event's
/// own time (the event has happened) and the midpoints between events.
fn replay_expectations(events_csv: &str) -> (Vec<String>, Vec<String>) {
    let rows: Vec<(String, f64, usize, String)> = events_csv
        .lines()
        .skip(1)
        .filter_map(|l| {
            let f: Vec<&str> = l.splitn(4, ',').collect();
            let node = f[1].parse().ok()?;
            Some((f[0].to_string(), f[0].parse().ok()?, node, f[2].to_string()))
        })
        .collect();
    let mut times: Vec<String> = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        times.push(r.0.clone());
        if let Some(next) = rows.get(i + 1) {
            times.push(format!("{}", (r.1 + next.1) / 2.0));
        }
    }
    let expected = times
        .iter()
        .map(|t| {
            let t: f64 = t.parse().unwrap();
            let mut health = ["up"; 2];
            let mut role = ["primary", "backup"];
            let mut dispatch = ["in"; 2];
            for (_, _, n, ev) in rows.iter().filter(|r| r.1 <= t) {
                match ev.as_str() {
                    "crashed" => health[*n] = "down",
                    "failed_permanently" => health[*n] = "gone",
                    "hung" => health[*n] = "hung",
                    "partitioned" => health[*n] = "partitioned",
                    "repaired" | "replaced" | "healed" => health[*n] = "up",
                    "marked_down" => dispatch[*n] = "out",
                    "marked_up" => dispatch[*n] = "in",
                    "promoted" => {
                        role = ["backup"; 2];
                        role[*n] = "primary";
                    }
                    _ => {}
                }
            }
            (0..2)
                .map(|i| format!("{}/{}/{}", health[i], role[i], dispatch[i]))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    (times, expected)
}

/// Outages that all fall within one decade (300 s to 800 s) still get a
/// labelled x axis, on 1-2-5 ticks.
#[test]
fn the_outage_chart_is_labelled_within_one_decade() {
    let (sc, o, _) = crate::support::run(
        "architecture = \"cold-standby\"\nduration = \"1d\"\nreplications = 1\n\
         [nodes]\ncount = 2\n[failover]\npromotion = \"none\"\n\
         [[faults]]\nat = \"1h\"\nnode = 0\nkind = \"crash\"\nfor = \"300s\"\n\
         [[faults]]\nat = \"5h\"\nnode = 0\nkind = \"crash\"\nfor = \"500s\"\n\
         [[faults]]\nat = \"9h\"\nnode = 0\nkind = \"crash\"\nfor = \"800s\"\n",
    );
    let files = hasim::report::render(&sc, &o).unwrap();
    let svg = files
        .iter()
        .find(|(n, _)| n == "outages.svg")
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .unwrap();
    // The axis spans 300 / 1.5 to 800 × 1.5 s: 200, 500 and 1000 label it.
    let labels: Vec<&str> = svg
        .split("</text>")
        .filter_map(|t| t.rsplit_once('>').map(|(_, text)| text.trim()))
        .collect();
    for tick in ["200", "500", "1000"] {
        assert!(
            labels.contains(&tick),
            "no tick {tick} on the outage axis: {labels:?}"
        );
    }
}
