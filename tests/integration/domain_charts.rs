//! SPEC §7 on the charts: the timeline grouped by domain with bands at the
//! times the domains were down, and "where the downtime comes from".

use hasim::report::charts::domain_rows::{self, RowKind};
use hasim::report::roots::downtime_by_root_ci;

/// (text, x, y) of every `<text>` element of an SVG.
fn svg_texts(svg: &str) -> Vec<(String, f64, f64)> {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| {
            let attr = |k: &str| {
                let at = t.find(&format!(" {k}=\""))? + k.len() + 3;
                t[at..].split('"').next()?.parse::<f64>().ok()
            };
            let body = t.split('>').nth(1)?.split('<').next()?.trim().to_string();
            Some((body, attr("x")?, attr("y")?))
        })
        .collect()
}

/// Rectangles of an SVG as (x, y, width, height, fill, opacity).
fn svg_rects(svg: &str) -> Vec<(i64, i64, i64, i64, String, Option<String>)> {
    svg.split("<rect")
        .skip(1)
        .filter_map(|t| {
            let t = t.split("/>").next()?;
            let raw = |k: &str| {
                let at = t.find(&format!(" {k}=\""))? + k.len() + 3;
                Some(t[at..].split('"').next()?.to_string())
            };
            let int = |k: &str| raw(k)?.parse::<f64>().ok().map(|v| v as i64);
            Some((
                int("x")?,
                int("y")?,
                int("width")?,
                int("height")?,
                raw("fill")?,
                raw("opacity"),
            ))
        })
        .collect()
}

fn load(path: &str) -> hasim::scenario::Scenario {
    let text = std::fs::read_to_string(path).unwrap();
    crate::support::scenario(&text)
}

#[test]
fn the_timeline_lists_each_node_under_its_rack_in_declaration_order() {
    let sc = load(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/placement-spread.toml"
    ));
    assert_eq!(
        domain_rows::layout(&sc),
        vec![
            RowKind::Service,
            RowKind::Domain(0),
            RowKind::Node(0),
            RowKind::Domain(1),
            RowKind::Node(1),
            RowKind::Domain(2),
            RowKind::Node(2),
        ]
    );
    let mut short = sc.clone();
    short.replications = 1;
    let o = hasim::montecarlo::run(&short);
    let chart = hasim::report::charts::timeline::timeline(&short, &o).unwrap();
    let texts = svg_texts(&chart.svg);
    let y = |label: &str| {
        texts
            .iter()
            .find(|t| t.0 == label)
            .unwrap_or_else(|| panic!("no label {label:?} in the timeline"))
            .2
    };
    let order = [
        "service",
        "rack-a (rack)",
        "node 0",
        "rack-b (rack)",
        "node 1",
        "rack-c (rack)",
        "node 2",
    ];
    for w in order.windows(2) {
        assert!(y(w[0]) < y(w[1]), "{} should be above {}", w[0], w[1]);
    }
    assert!(texts
        .iter()
        .any(|t| t.0 == "nodes under their smallest crash domain"));
}

#[test]
fn a_node_in_several_domains_goes_under_its_smallest_crash_domain() {
    let sc = crate::support::scenario(
        "architecture = \"symmetric-cluster\"\nduration = \"1d\"\n[nodes]\ncount = 5\n\
         [[domains]]\nname = \"deploy\"\nkind = \"deploy\"\nmembers = [0, 1, 2, 3, 4]\n\
         [[domains]]\nname = \"zone\"\nkind = \"zone\"\nmembers = [\"rack-b\", 2]\n\
         [[domains]]\nname = \"rack-b\"\nkind = \"rack\"\nmembers = [0, 1]\n\
         [[domains]]\nname = \"switch\"\nkind = \"switch\"\neffect = \"partition\"\nmembers = [3]\n",
    );
    // deploy holds 5, zone 3 (rack-b's two and node 2), rack-b 2; node 3
    // is in no crash domain smaller than deploy, node 4 only in deploy.
    assert_eq!(
        domain_rows::home(&sc),
        vec![Some(2), Some(2), Some(1), Some(0), Some(0)]
    );
    assert_eq!(
        domain_rows::layout(&sc),
        vec![
            RowKind::Service,
            RowKind::Domain(0),
            RowKind::Node(3),
            RowKind::Node(4),
            RowKind::Domain(1),
            RowKind::Node(2),
            RowKind::Domain(2),
            RowKind::Node(0),
            RowKind::Node(1),
            RowKind::Domain(3),
        ]
    );
}

const H: u64 = 3_600_000_000_000;

/// A rack failing every 10 h for 2 h (fixed laws), a switch partitioning
/// node 2 after 30 h for 1 h, one dispatcher failing after 20 h for 30 min:
/// the domain record has exactly those intervals (the next failure is
/// drawn at the repair).
fn scripted() -> (hasim::scenario::Scenario, hasim::montecarlo::Outcome) {
    let (sc, o, _) = crate::support::run(
        "architecture = \"symmetric-cluster\"\nduration = \"2d\"\nreplications = 2\n\
         [nodes]\ncount = 3\n\
         [[domains]]\nname = \"rack\"\nkind = \"rack\"\nmembers = [0, 1]\n\
         failure = { dist = \"fixed\", value = \"10h\" }\nrepair = { dist = \"fixed\", value = \"2h\" }\n\
         [[domains]]\nname = \"switch\"\nkind = \"switch\"\neffect = \"partition\"\nmembers = [2]\n\
         failure = { dist = \"fixed\", value = \"30h\" }\nrepair = { dist = \"fixed\", value = \"1h\" }\n\
         [dispatcher]\nfailure = { dist = \"fixed\", value = \"20h\" }\nrepair = { dist = \"fixed\", value = \"30m\" }\n",
    );
    (sc, o)
}

#[test]
fn domain_bands_are_recorded_at_the_scripted_times() {
    let (sc, o) = scripted();
    assert_eq!(
        domain_rows::down_intervals(&sc, &o, Some(0)),
        vec![
            (10 * H, 12 * H),
            (22 * H, 24 * H),
            (34 * H, 36 * H),
            (46 * H, 48 * H)
        ]
    );
    assert_eq!(
        domain_rows::down_intervals(&sc, &o, Some(1)),
        vec![(30 * H, 31 * H)]
    );
    assert_eq!(
        domain_rows::down_intervals(&sc, &o, None),
        vec![(20 * H, 20 * H + H / 2), (40 * H + H / 2, 41 * H)]
    );
    // One record per change: 4 + 3 for the rack (its last repair falls at
    // the end, where nothing is recorded), 2 for the switch, 4 for the
    // dispatcher.
    assert_eq!(o.domain_changes.len(), 13);
}

#[test]
fn domain_bands_are_drawn_at_the_scripted_times() {
    let (sc, o) = scripted();
    let chart = hasim::report::charts::timeline::timeline(&sc, &o).unwrap();
    let rects = svg_rects(&chart.svg);
    // The plot's extent: the service row's stretches tile it.
    // (The legend's boxes share the colours but not a row that wide.)
    let mut widths: std::collections::BTreeMap<i64, i64> = Default::default();
    for r in rects
        .iter()
        .filter(|r| r.4 == "#AA2800" || r.4 == "#8CD3C0")
    {
        *widths.entry(r.1).or_default() += r.2;
    }
    let service_y = *widths
        .iter()
        .max_by_key(|(_, w)| **w)
        .expect("a service row")
        .0;
    let row: Vec<_> = rects.iter().filter(|r| r.1 == service_y).collect();
    let left = row.iter().map(|r| r.0).min().unwrap();
    let right = row.iter().map(|r| r.0 + r.2).max().unwrap();
    let horizon = 48 * H;
    let px = |t: u64| left + ((t as f64 / horizon as f64) * (right - left) as f64).round() as i64;
    let starts = |fill: &str, opacity: &str| {
        let mut v: Vec<(i64, i64)> = rects
            .iter()
            .filter(|r| r.4 == fill && r.5.as_deref() == Some(opacity) && r.0 < right)
            .map(|r| (r.0, r.0 + r.2))
            .collect();
        v.sort();
        v.dedup();
        v
    };
    let rack: Vec<(i64, i64)> = [10, 22, 34, 46]
        .iter()
        .map(|&h| (px(h * H), px((h + 2) * H)))
        .collect();
    // The translucent band over the rack's rows, once per interval.
    assert_eq!(starts("#D55E00", "0.22"), rack);
    // The partition band: translucent fill and an outline.
    assert_eq!(starts("#78288C", "0.16"), vec![(px(30 * H), px(31 * H))]);
    // The dispatcher row: dark where none is active.
    assert_eq!(
        starts("#5A1414", "1"),
        vec![
            (px(20 * H), px(20 * H + H / 2)),
            (px(40 * H + H / 2), px(41 * H))
        ]
    );
}

#[test]
fn the_downtime_by_root_chart_shows_summary_json_values_with_intervals() {
    // One machine in a rack behind a dispatcher: three roots of downtime.
    let (sc, o, s) = crate::support::run(
        "architecture = \"symmetric-cluster\"\nduration = \"200d\"\nreplications = 12\n\
         [nodes]\ncount = 1\nfailure = { dist = \"exponential\", mean = \"20d\" }\n\
         repair = { dist = \"exponential\", mean = \"3h\" }\n\
         [[domains]]\nname = \"rack\"\nkind = \"rack\"\nmembers = [0]\n\
         failure = { dist = \"exponential\", mean = \"40d\" }\nrepair = { dist = \"exponential\", mean = \"5h\" }\n\
         [dispatcher]\nfailure = { dist = \"exponential\", mean = \"50d\" }\nrepair = { dist = \"exponential\", mean = \"1h\" }\n",
    );
    let shares = downtime_by_root_ci(&sc, &o);
    assert_eq!(
        shares.len(),
        3,
        "the machine, the rack and the dispatcher: {shares:?}"
    );
    let json: serde_json::Value = serde_json::from_str(&s.to_json()).unwrap();
    let by_root = json["downtime_by_root"].as_object().unwrap();
    assert_eq!(by_root.len(), shares.len());
    for (share, (name, v)) in shares.iter().zip(&s.downtime_by_root.0) {
        assert_eq!(&share.name, name);
        assert_eq!(share.mean_s, *v);
        assert_eq!(by_root[name].as_f64().unwrap(), share.mean_s);
    }
    // The interval, independently: a replication × root table, then the
    // sample variance of each column (zeros included).
    let n = o.replications as usize;
    let names = hasim::report::roots::domain_names(&sc);
    for share in &shares {
        let mut x = vec![0.0f64; n];
        for (r, out) in o.outages() {
            if hasim::report::roots::root_name(out.root, &names) == share.name {
                x[r as usize] += out.duration_ns() as f64 / 1e9;
            }
        }
        let mean = x.iter().sum::<f64>() / n as f64;
        let var = x.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (n - 1) as f64;
        let t = hasim::stats::t_quantile(0.975, (n - 1) as f64);
        let half = t * (var / n as f64).sqrt();
        let got = share.ci95_s.unwrap();
        assert!(
            (got - half).abs() <= 1e-9 * half.max(1.0),
            "{}: {got} vs {half}",
            share.name
        );
        assert!((mean - share.mean_s).abs() <= 1e-9 * mean.max(1.0));
    }
    // The chart labels each bar with those values, largest at the top.
    let charts =
        hasim::report::charts::run_charts(&sc, &o, &hasim::report::series::windows(&sc, &o))
            .unwrap();
    let chart = charts
        .iter()
        .find(|c| c.name == "downtime_by_root")
        .unwrap();
    let texts = svg_texts(&chart.svg);
    let mut ys = Vec::new();
    for share in &shares {
        let label = texts
            .iter()
            .find(|t| t.0 == share.name)
            .unwrap_or_else(|| panic!("no bar for {}", share.name));
        ys.push(label.2);
        let value = hasim::report::charts::roots::value_label(share);
        assert!(
            texts.iter().any(|t| t.0 == value),
            "no value label {value} for {}",
            share.name
        );
    }
    assert!(ys.windows(2).all(|w| w[0] < w[1]), "largest first: {ys:?}");
}

#[test]
fn compare_draws_downtime_by_root_across_scenarios() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("cmp");
    let root = env!("CARGO_MANIFEST_DIR");
    let o = crate::support::hasim(&[
        "compare",
        &format!("{root}/scenarios/placement-packed.toml"),
        &format!("{root}/scenarios/placement-spread.toml"),
        "--replications",
        "4",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", crate::support::stderr(&o));
    let svg = std::fs::read_to_string(out.join("downtime_by_root.svg")).unwrap();
    let texts: Vec<String> = svg_texts(&svg).into_iter().map(|t| t.0).collect();
    for name in ["placement-packed", "domain:rack-a"] {
        assert!(texts.iter().any(|t| t == name), "{name} missing: {texts:?}");
    }
    // Spread racks cost nothing here: no bar, and the legend says why.
    assert!(
        texts.iter().any(|t| t == "placement-spread (no downtime)"),
        "{texts:?}"
    );
    assert!(out.join("downtime_by_root.png").exists());
}
