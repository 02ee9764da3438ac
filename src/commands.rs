//! Carries out the commands of SPEC §5. Returns what to print; `main`
//! decides how to print it and which exit status to use.

use crate::cli::{
    CheckArgs, Command, CompareArgs, ExplainArgs, MergeArgs, Overrides, RunArgs, SweepArgs,
    ValidateArgs,
};
use crate::error::{Error, InputError, Result};
use crate::report::output::{OutDir, OutFile};
use crate::scenario::{self, overrides::parse_assignment, LoadOptions, Scenario};
use crate::{montecarlo, report};
use std::path::{Path, PathBuf};

pub fn execute(cmd: Command) -> Result<String> {
    match cmd {
        Command::Run(a) => crate::i18n::with_lang(a.lang, || {
            crate::report::charts::with_size(a.chart_size, || run(a))
        }),
        Command::Compare(a) => crate::i18n::with_lang(a.lang, || {
            crate::report::charts::with_size(a.chart_size, || compare(a))
        }),
        Command::Sweep(a) => crate::i18n::with_lang(a.lang, || {
            crate::report::charts::with_size(a.chart_size, || sweep(a))
        }),
        Command::Validate(a) => validate(a),
        Command::Explain(a) => crate::i18n::with_lang(a.lang, || explain(a)),
        Command::Merge(a) => crate::commands::merge(a),
        Command::Check(a) => check(a),
        Command::Importance(a) => importance(a),
        Command::Lessons(a) => lessons(a),
        Command::Schema(a) => crate::starter::schema(a),
        Command::New(a) => crate::starter::new(a),
    }
}

fn load_options(
    o: &Overrides,
    seed: Option<u64>,
    replications: Option<u32>,
) -> Result<LoadOptions> {
    let sets = o
        .sets
        .iter()
        .map(|s| parse_assignment(s))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(LoadOptions {
        sets,
        seed,
        replications,
        ..Default::default()
    })
}

/// Loads every scenario before anything runs: one bad file, no output.
fn load_all(paths: &[PathBuf], opts: &LoadOptions) -> Result<Vec<Scenario>> {
    paths
        .iter()
        .map(|p| scenario::load(p, opts).map_err(Error::from))
        .collect()
}

/// The output folder of each scenario, every one checked (SPEC §4) before
/// anything runs or is written.
fn out_dirs(scenarios: &[Scenario], out: Option<&Path>) -> Result<Vec<OutDir>> {
    out_paths(scenarios, out)?
        .iter()
        .map(|d| OutDir::check(d))
        .collect()
}

/// Where each scenario's output goes; two scenarios may not share one.
fn out_paths(scenarios: &[Scenario], out: Option<&Path>) -> Result<Vec<PathBuf>> {
    let dirs: Vec<PathBuf> = match (out, scenarios.len()) {
        (Some(dir), 1) => vec![dir.to_path_buf()],
        (Some(dir), _) => scenarios.iter().map(|s| dir.join(&s.name)).collect(),
        (None, _) => scenarios
            .iter()
            .map(|s| Path::new("reports").join(&s.name))
            .collect(),
    };
    for (i, d) in dirs.iter().enumerate() {
        if dirs[..i].contains(d) {
            return Err(InputError::new(format!(
                "two scenarios are named {:?}: both would write {}",
                scenarios[i].name,
                d.display()
            ))
            .fix("give the scenarios different `name`s")
            .into());
        }
    }
    Ok(dirs)
}

/// Runs a scenario with a progress bar on stderr when it is a terminal.
fn run_with_progress(sc: &Scenario) -> montecarlo::Outcome {
    use std::io::IsTerminal;
    let simulate = |tick: montecarlo::Tick| match sc.precision {
        Some(_) => montecarlo::run_to_precision(sc, tick),
        None => montecarlo::run_observed(sc, tick),
    };
    let total = if sc.precision.is_some() {
        sc.max_replications
    } else {
        sc.replications
    };
    let (estimate, secs) = crate::estimate::describe(sc, total, rayon::current_num_threads());
    if !std::io::stderr().is_terminal() {
        if crate::estimate::worth_saying(sc, total, secs) {
            eprintln!("hasim: {estimate}");
        }
        return simulate(&|| {});
    }
    eprintln!("{estimate}");
    let bar = indicatif::ProgressBar::new(u64::from(total));
    let template = if sc.precision.is_some() {
        "{prefix:>20} {spinner} {pos} replications (up to {len}, until the precision target is met), {elapsed}"
    } else {
        "{prefix:>20} [{bar:30}] {pos}/{len} replications, {elapsed} ({eta} left)"
    };
    bar.set_style(
        indicatif::ProgressStyle::with_template(template)
            .expect("a valid template")
            .progress_chars("=> "),
    );
    bar.set_prefix(sc.name.clone());
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    // One step per replication, whichever thread finished it: a run of
    // 5 replications moves 5 times (it used to wait for a whole block of 16).
    let o = simulate(&|| bar.inc(1));
    bar.finish_and_clear();
    o
}

fn run(a: RunArgs) -> Result<String> {
    let mut opts = load_options(&a.overrides, a.seed, a.replications)?;
    opts.precision = a.precision.precision;
    opts.max_replications = a.precision.max_replications;
    let mut scenarios = load_all(&a.scenarios, &opts)?;
    if let Some(keep) = a.events {
        // Shard files carry the memory trace only (issue 8 §2).
        if a.shard.is_some() && keep != crate::metrics::event_log::EVENTS_DEFAULT {
            return Err(InputError::new(
                "--events does not apply to --shard: shard files keep the first 100000 events of the first replication",
            )
            .fix("run without --shard (or without --events) to choose how many events events.csv lists")
            .into());
        }
        for sc in &mut scenarios {
            sc.events_keep = keep;
        }
    }
    if let Some(spec) = &a.shard {
        return run_shard(&a, spec, &scenarios, &opts);
    }
    let dirs = out_dirs(&scenarios, a.out.as_deref())?;
    let mut out = String::new();
    for (sc, dir) in scenarios.iter().zip(&dirs) {
        let outcome = run_with_progress(sc);
        report::write_run(dir, sc, &outcome)?;
        let summary = report::Summary::new(sc, &outcome);
        out.push_str(&headline(sc, &summary, dir.path()));
        // The scenario's `sla` key (issue 11 §5): the yearly budget and the
        // share of it this architecture uses.
        if let Some(p) = sc.sla {
            let budget = report::paired::budget_per_year_s(p);
            let used = report::compare::downtime_per_year_s(&summary);
            out.push_str(&crate::i18n::tf(
                "run.sla",
                &[
                    &p,
                    &crate::sim::time::human_s(budget),
                    &crate::sim::time::human_s(used),
                    &format!("{:.1}", used / budget * 100.0),
                ],
            ));
        }
    }
    Ok(out)
}

fn compare(a: CompareArgs) -> Result<String> {
    let opts = load_options(&a.overrides, a.seed, a.replications)?;
    let mut scenarios = load_all(&a.scenarios, &opts)?;
    // Every run gets the same seed: node failure histories then coincide
    // wherever the scenarios share [nodes] (common random numbers).
    let seed = a.seed.unwrap_or(scenarios[0].seed);
    for sc in &mut scenarios {
        sc.seed = seed;
    }
    let dir = a
        .out
        .unwrap_or_else(|| Path::new("reports").join("comparison"));
    out_paths(&scenarios, Some(&dir))?;
    let target = OutDir::check(&dir)?;
    let outcomes: Vec<_> = scenarios.iter().map(run_with_progress).collect();
    let files = report::compare::render_sla(&scenarios, &outcomes, a.sla)?;
    target.write(&files)?;
    let mut out = String::new();
    let summaries: Vec<report::Summary> = scenarios
        .iter()
        .zip(&outcomes)
        .map(|(sc, o)| report::Summary::new(sc, o))
        .collect();
    for (sc, s) in scenarios.iter().zip(&summaries) {
        out.push_str(&headline(sc, s, &dir.join(&sc.name)));
        out.push_str(&crate::i18n::tf(
            "compare.term.per_year",
            &[&crate::sim::time::human_s(
                report::compare::downtime_per_year_s(s),
            )],
        ));
    }
    // Paired differences against the first scenario (issue 11 §5).
    for line in
        report::paired::sentences(&report::paired::differences(&scenarios, &outcomes, a.sla))
    {
        out.push_str(&format!("{line}\n"));
    }
    if report::compare::durations_differ(&summaries) {
        out.push_str(&crate::i18n::tf(
            "compare.term.note",
            &[&report::compare::normalisation_note(&summaries)],
        ));
    }
    if let Some(n) = report::compare::scripted_faults_note(&scenarios) {
        out.push_str(&crate::i18n::tf("compare.term.note", &[&n]));
    }
    out.push_str(&crate::i18n::tf(
        "compare.term.done",
        &[&seed, &dir.join("index.html").display()],
    ));
    Ok(out)
}

/// Sweeps past this many points say on stderr how much they write.
const POINTS_WORTH_A_WORD: usize = 1000;

fn sweep(a: SweepArgs) -> Result<String> {
    use crate::scenario::sweep::Grid;
    let grid = Grid::parse(&a.sets).map_err(|e| e.file(&a.scenario))?;
    // Points are built one at a time from the grid, never all at once.
    let n_points = report::sweep_stream::count(&grid);
    let point = |i: usize| report::sweep_stream::point_at(&grid, i);
    // Every point is validated before anything runs, then dropped: a point
    // is parsed again (from the same text) when it runs, so a sweep holds
    // one scenario at a time (issue 8).
    let text = scenario::read_text(&a.scenario)?;
    let stem = stem_of(&a.scenario);
    let load = |p: &Vec<(String, String)>| -> Result<Scenario> {
        let opts = LoadOptions {
            sets: grid.fixed.iter().chain(p).cloned().collect(),
            seed: a.seed,
            replications: a.replications,
            precision: a.precision.precision,
            max_replications: a.precision.max_replications,
        };
        scenario::parse(&text, &a.scenario, &stem, &opts).map_err(Error::from)
    };
    let mut first = None;
    for i in 0..n_points {
        let sc = load(&point(i))?;
        first.get_or_insert(sc.name);
    }
    let name = &first.expect("a grid has at least one point");
    if let Some(spec) = &a.shard {
        let (k, n) = crate::shard::parse_spec(spec)?;
        // Beside the sweep's folder, not inside it: merging into the
        // default folder must not replace (or be refused by) its inputs.
        let dir = a
            .out
            .clone()
            .unwrap_or_else(|| Path::new("reports").join(format!("sweep-{name}-shards")));
        let file = |i: usize| dir.join(format!("{name}.p{:03}.shard-{k}-of-{n}.json", i + 1));
        let files = (0..n_points)
            .map(|i| OutFile::check(&file(i), is_shard))
            .collect::<Result<Vec<_>>>()?;
        let mut out = String::new();
        for (i, target) in files.iter().enumerate() {
            let p = &point(i);
            let sc = &load(p)?;
            let sets: Vec<(String, String)> = grid.fixed.iter().chain(p).cloned().collect();
            let at = crate::shard::SweepPoint {
                sets: a.sets.clone(),
                point: i as u32,
                points: n_points as u32,
            };
            out.push_str(&write_shard(
                sc,
                &a.scenario,
                &sets,
                (k, n),
                Some(at),
                target,
            )?);
        }
        return Ok(out);
    }
    let dir = a
        .out
        .unwrap_or_else(|| Path::new("reports").join(format!("sweep-{name}")));
    let target = OutDir::check(&dir)?;
    // Each point's report goes to disk as soon as it has run, its row of
    // sweep.csv too; what stays is fixed in size (issue 8 §2).
    let name = name.clone();
    if n_points > POINTS_WORTH_A_WORD {
        // Each point writes its own report (charts and page, about 1 MB):
        // memory stays flat, disk does not.
        eprintln!(
            "hasim: {n_points} points, each with its own report under {}/points/ (up to about 1 MB each: up to about {:.1} GB in all)",
            report::words::terminal_safe(&dir.display().to_string()),
            n_points as f64 * 1e-3
        );
    }
    let mut index = report::sweep_stream::SweepIndex::new(&grid);
    target.write_batches(&mut |sink| {
        for i in 0..n_points {
            let p = &point(i);
            let sc = load(p)?;
            let o = run_with_progress(&sc);
            sink.put(&report::sweep::point_files(i, p, &sc, &o)?)?;
            index.add(sink, &grid, i, p, &name, &report::Summary::new(&sc, &o))?;
        }
        index.finish(sink, &grid)
    })?;
    Ok(index.terminal(&dir))
}

fn validate(a: ValidateArgs) -> Result<String> {
    use crate::validation::{markdown, raft_markdown, raft_rows, run, CASES};
    // Checked before the cases run. An existing file is replaced only when
    // it is a validation table (hasim's own heading).
    let target = a
        .out
        .as_deref()
        .map(|p| OutFile::check(p, |head| head.starts_with(b"# Validation")))
        .transpose()?;
    let rows: Vec<_> = CASES.iter().map(run).collect();
    let md = markdown(&rows) + &raft_markdown(&raft_rows());
    if let Some(target) = target {
        target.write(md.as_bytes())?;
    }
    Ok(md)
}

/// `run --shard K/N`: the K-th share of every scenario's replication
/// blocks, written as one shard file per scenario.
fn run_shard(
    a: &RunArgs,
    spec: &str,
    scenarios: &[Scenario],
    opts: &LoadOptions,
) -> Result<String> {
    let (k, n) = crate::shard::parse_spec(spec)?;
    // Every shard file is checked before any shard runs.
    let files = scenarios
        .iter()
        .map(|sc| {
            // Beside the run's folder, not inside it (see `sweep`).
            let dir = a
                .out
                .clone()
                .unwrap_or_else(|| Path::new("reports").join(format!("{}-shards", sc.name)));
            let name = format!("{}.shard-{k}-of-{n}.json", sc.name);
            OutFile::check(&dir.join(name), is_shard)
        })
        .collect::<Result<Vec<_>>>()?;
    let mut out = String::new();
    for ((sc, path), file) in scenarios.iter().zip(&a.scenarios).zip(&files) {
        out.push_str(&write_shard(sc, path, &opts.sets, (k, n), None, file)?);
    }
    Ok(out)
}

/// Runs shard k of n of one scenario and writes its file.
fn write_shard(
    sc: &Scenario,
    path: &Path,
    sets: &[(String, String)],
    (k, n): (u32, u32),
    sweep: Option<crate::shard::SweepPoint>,
    file: &OutFile,
) -> Result<String> {
    use crate::montecarlo::{run_blocks, BLOCK};
    use crate::shard::{share, BlockData, ShardFile, FORMAT};
    if sc.precision.is_some() {
        return Err(InputError::new("--shard needs a fixed number of replications; a precision target decides it while running")
            .fix("remove --precision (or the precision key), or shard a run with --replications N")
            .into());
    }
    // Read with the loader's own bounds (regular file, at most 4 MiB).
    let text = scenario::read_text(path)?;
    let total = sc.replications;
    let blocks = share(k, n, total.div_ceil(BLOCK));
    let outcomes = if blocks.is_empty() {
        Vec::new()
    } else {
        run_blocks(sc, blocks.clone(), total)
    };
    let shard = ShardFile {
        hasim_shard: FORMAT,
        scenario_file: path.display().to_string(),
        scenario_text: text,
        sets: sets.to_vec(),
        seed: sc.seed,
        replications: total,
        shard: k,
        shards: n,
        first_block: blocks.start,
        end_block: blocks.end,
        blocks: outcomes.iter().map(BlockData::from_outcome).collect(),
        sweep,
    };
    let json = crate::shard::encode(&shard)
        .map_err(|e| Error::io("cannot encode the shard", std::io::Error::other(e)))?;
    file.write(json.as_bytes())?;
    let reps: u32 = outcomes.iter().map(|o| o.replications).sum();
    Ok(format!(
        "{}: shard {k} of {n}, {reps} of {total} replications: {}\n",
        sc.name,
        file.path().display()
    ))
}

/// Recognises a shard file (an existing one may be replaced) from its head.
fn is_shard(head: &[u8]) -> bool {
    head.windows(13).any(|w| w == b"\"hasim_shard\"")
}

/// `hasim merge`: shard files back into the unsharded result.
pub fn merge(a: MergeArgs) -> Result<String> {
    use crate::montecarlo::Outcome;
    use crate::shard::ShardFile;
    let mut files: Vec<PathBuf> = Vec::new();
    for p in &a.paths {
        if p.is_dir() {
            let mut inside: Vec<PathBuf> = std::fs::read_dir(p)
                .map_err(|e| Error::io(format!("cannot read {}", p.display()), e))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| {
                    f.to_string_lossy().contains(".shard-")
                        && f.extension().is_some_and(|x| x == "json")
                })
                .collect();
            inside.sort();
            files.extend(inside);
        } else {
            files.push(p.clone());
        }
    }
    if files.is_empty() {
        return Err(InputError::new("no shard files found")
            .fix("give the files written by hasim run --shard K/N, or their folder")
            .into());
    }
    let bad = |f: &Path, m: String| -> Error {
        InputError::new(m)
            .file(f)
            .fix("merge the N files of one sharded run, each written by hasim run --shard K/N")
            .into()
    };
    // Group the shards by run: one scenario text and one set of overrides.
    // Every file is read, its digest and header checked, before any merges.
    // Only headers stay in memory: blocks are read again, one file at a
    // time, to be checked and then merged (issue 8: memory holds one shard,
    // whatever their number), each time against the digest first read.
    let mut groups: Vec<Vec<(PathBuf, ShardFile, u64)>> = Vec::new();
    for f in files {
        let (mut shard, digest) = crate::shard::read_digest(&f).map_err(|m| bad(&f, m))?;
        crate::shard::check_header(&shard).map_err(|m| bad(&f, m))?;
        shard.blocks = Vec::new();
        let same_run =
            |s: &ShardFile| s.scenario_text == shard.scenario_text && s.sets == shard.sets;
        match groups.iter_mut().find(|g| same_run(&g[0].1)) {
            Some(g) => {
                let (first, head, _) = &g[0];
                if let Some(what) = header_differs(head, &shard) {
                    return Err(bad(
                        &f,
                        format!(
                            "it and {} hold the same scenario and --set but differ in {what}: the shards of one run share one header",
                            first.display()
                        ),
                    ));
                }
                if let Some((twin, _, _)) = g.iter().find(|(_, s, _)| s.shard == shard.shard) {
                    return Err(bad(
                        &f,
                        format!(
                            "shard {} of {} is also in {}: its blocks would count twice",
                            shard.shard,
                            shard.shards,
                            twin.display()
                        ),
                    ));
                }
                g.push((f, shard, digest));
            }
            None => groups.push(vec![(f, shard, digest)]),
        }
    }
    // The blocks of a file, read again: the same bytes as first read.
    let blocks_of = |f: &Path, digest: u64| -> Result<Vec<crate::shard::BlockData>> {
        let (s, d) = crate::shard::read_digest(f).map_err(|m| bad(f, m))?;
        if d != digest {
            return Err(bad(
                f,
                "it changed while hasim was merging it; merge again".into(),
            ));
        }
        Ok(s.blocks)
    };
    let mut results = Vec::new();
    for (gi, members) in groups.iter_mut().enumerate() {
        members.sort_by_key(|(_, s, _)| s.shard);
        let (first, head, _) = &members[0];
        let first = first.clone();
        let shards = head.shards;
        if members.len() as u32 != shards {
            let missing: Vec<u32> = (0..shards)
                .filter(|k| !members.iter().any(|(_, s, _)| s.shard == *k))
                .collect();
            return Err(bad(
                &first,
                format!(
                    "{}: shard {missing:?} of {shards} missing; every shard 0..{} is needed once",
                    head.scenario_file,
                    shards - 1
                ),
            ));
        }
        let path = PathBuf::from(&head.scenario_file);
        let opts = LoadOptions {
            sets: head.sets.clone(),
            seed: Some(head.seed),
            replications: Some(head.replications),
            ..Default::default()
        };
        let sc =
            scenario::parse(&head.scenario_text, &path, &stem_of(&path), &opts).map_err(|e| {
                bad(
                    &first,
                    format!("the scenario it carries does not load: {e}"),
                )
            })?;
        let mut merger = crate::shard::Merger::default();
        for (f, s, digest) in members.iter() {
            let blocks = blocks_of(f, *digest)?;
            for (b, block) in (s.first_block..).zip(&blocks) {
                merger.check(&sc, b, block).map_err(|m| bad(f, m))?;
            }
            if s.first_block == 0 {
                if let Some(block0) = blocks.first() {
                    crate::shard::replay_first(&sc, block0).map_err(|m| bad(f, m))?;
                }
            }
            // Every block converts (as the merge will), checked before
            // any output is written.
            for block in blocks {
                block.into_outcome().map_err(|m| bad(f, m))?;
            }
        }
        let (sweep, sets) = (head.sweep.clone(), head.sets.clone());
        results.push((sc, gi, sweep.map(|sw| (sw, sets, first))));
    }
    // A group's outcome, merged from its files in order.
    let merged = |gi: usize, sc: &Scenario| -> Result<Outcome> {
        let mut outcome = Outcome::new(sc);
        for (f, _, digest) in &groups[gi] {
            for block in blocks_of(f, *digest)? {
                outcome.merge(block.into_outcome().map_err(|m| bad(f, m))?);
            }
        }
        Ok(outcome)
    };
    // Points of a sharded sweep become that sweep again; the rest are runs.
    let (points, results): (Vec<_>, Vec<_>) =
        results.into_iter().partition(|(_, _, sw)| sw.is_some());
    // Everything is checked before anything is written: the shards, then
    // every output folder.
    let sweep = (!points.is_empty())
        .then(|| check_sweep(points))
        .transpose()?;
    if sweep.is_some() && !results.is_empty() && a.out.is_some() {
        return Err(InputError::new(
            "the shards hold a sweep and separate runs, which would share one --out folder",
        )
        .fix("merge the sweep's shard files and the runs' shard files separately")
        .into());
    }
    let scenarios: Vec<Scenario> = results.iter().map(|(s, _, _)| s.clone()).collect();
    let dirs = out_dirs(&scenarios, a.out.as_deref())?;
    let sweep = match sweep {
        Some(sw) => {
            let dir = a
                .out
                .clone()
                .unwrap_or_else(|| Path::new("reports").join(format!("sweep-{}", sw.2[0].name)));
            Some((OutDir::check(&dir)?, sw))
        }
        None => None,
    };
    let mut out = String::new();
    if let Some((dir, (grid, assignments, scenarios, group_of))) = sweep {
        // Point by point, as `hasim sweep` writes them: one outcome at a time.
        let name = scenarios[0].name.clone();
        let mut index = report::sweep_stream::SweepIndex::new(&grid);
        dir.write_batches(&mut |sink| {
            for (i, (sc, gi)) in scenarios.iter().zip(&group_of).enumerate() {
                let o = merged(*gi, sc)?;
                sink.put(&report::sweep::point_files(i, &assignments[i], sc, &o)?)?;
                let s = report::Summary::new(sc, &o);
                index.add(sink, &grid, i, &assignments[i], &name, &s)?;
            }
            index.finish(sink, &grid)
        })?;
        out.push_str(&format!(
            "sweep of {} points: {}\n",
            scenarios.len(),
            dir.path().join("index.html").display()
        ));
    }
    for ((sc, gi, _), dir) in results.iter().zip(&dirs) {
        let o = merged(*gi, sc)?;
        report::write_run(dir, sc, &o)?;
        out.push_str(&headline(sc, &report::Summary::new(sc, &o), dir.path()));
    }
    Ok(out)
}

/// The file stem, the default scenario name.
fn stem_of(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// What two shards of one scenario and one set of overrides disagree on.
fn header_differs(
    a: &crate::shard::ShardFile,
    b: &crate::shard::ShardFile,
) -> Option<&'static str> {
    if a.seed != b.seed {
        Some("seed")
    } else if a.replications != b.replications {
        Some("replications")
    } else if a.shards != b.shards {
        Some("shard count")
    } else if a.sweep.as_ref().map(|s| (&s.sets, s.point, s.points))
        != b.sweep.as_ref().map(|s| (&s.sets, s.point, s.points))
    {
        Some("sweep point")
    } else if stem_of(Path::new(&a.scenario_file)) != stem_of(Path::new(&b.scenario_file)) {
        Some("scenario file name")
    } else {
        None
    }
}

/// One merged point of a sharded sweep: its run, where it says it sits,
/// the overrides it ran with and its first shard file.
type SweepPart = (
    Scenario,
    usize,
    Option<(crate::shard::SweepPoint, Vec<(String, String)>, PathBuf)>,
);

/// A sweep's merged points in grid order (one sweep per merge). Each point
/// must hold the overrides of the grid point it claims to be, and every
/// point must be there once.
#[allow(clippy::type_complexity)]
fn check_sweep(
    mut points: Vec<SweepPart>,
) -> Result<(
    crate::scenario::sweep::Grid,
    Vec<Vec<(String, String)>>,
    Vec<Scenario>,
    Vec<usize>,
)> {
    use crate::scenario::sweep::Grid;
    let fix =
        "merge the shard files of every point of one sweep (hasim sweep --shard K/N writes them)";
    points.sort_by_key(|(_, _, sw)| sw.as_ref().map_or(0, |(s, _, _)| s.point));
    let (first, _, first_file) = points[0].2.clone().expect("sweep points");
    let grid = Grid::parse(&first.sets).map_err(|e| {
        InputError::new(format!("the sweep it records is not valid: {e}"))
            .file(&first_file)
            .fix(fix)
    })?;
    let assignments = grid.points();
    for (i, (_, _, sw)) in points.iter().enumerate() {
        let (at, sets, file) = sw.as_ref().expect("sweep points");
        let bad = |m: String| -> Error { InputError::new(m).file(file).fix(fix).into() };
        if at.sets != first.sets || at.points != first.points {
            return Err(bad(format!(
                "it belongs to another sweep than {} (--set {} against --set {})",
                first_file.display(),
                at.sets.join(" --set "),
                first.sets.join(" --set ")
            )));
        }
        if at.points as usize != assignments.len() {
            return Err(bad(format!(
                "it says the sweep has {} points; its --set make {}",
                at.points,
                assignments.len()
            )));
        }
        let want: Vec<(String, String)> = grid
            .fixed
            .iter()
            .chain(&assignments[at.point as usize])
            .cloned()
            .collect();
        if *sets != want {
            return Err(bad(format!(
                "it says it is point {} of the sweep but ran with other settings",
                at.point + 1
            )));
        }
        if at.point as usize != i {
            let m = if (at.point as usize) < i {
                format!("point {} of the sweep is given twice", at.point + 1)
            } else {
                format!("point {} of the sweep is missing", i + 1)
            };
            return Err(bad(m));
        }
    }
    if points.len() != assignments.len() {
        return Err(InputError::new(format!(
            "the shards hold {} of the sweep's {} points",
            points.len(),
            assignments.len()
        ))
        .file(&first_file)
        .fix(fix)
        .into());
    }
    let (scenarios, outcomes): (Vec<_>, Vec<_>) =
        points.into_iter().map(|(s, o, _)| (s, o)).unzip();
    Ok((grid, assignments, scenarios, outcomes))
}

fn explain(a: ExplainArgs) -> Result<String> {
    let opts = load_options(&a.overrides, a.seed, None)?;
    let sc = scenario::load(&a.scenario, &opts)?;
    // Issue 11 §4: any replication, any outage.
    if a.replication >= sc.replications.max(1) {
        return Err(InputError::new(format!(
            "--replication {} is past the scenario's {} replication(s)",
            a.replication, sc.replications
        ))
        .fix(format!(
            "give 0 to {} (the replication column of outages.csv), or add --replications",
            sc.replications.max(1) - 1
        ))
        .into());
    }
    match a.outage {
        Some(k) => crate::explain::explain_outage(&sc, a.replication, k).map_err(|m| {
            InputError::new(m)
                .fix("see outages.csv of `hasim run`")
                .into()
        }),
        None => Ok(crate::explain::explain_replication(
            &sc,
            &a.scenario,
            a.replication,
        )),
    }
}

/// `hasim lessons` (issue 11 §6).
fn lessons(a: crate::cli::LessonsArgs) -> Result<String> {
    // Checked before the lessons run. An existing file is replaced only
    // when it is hasim's lessons page (its own heading).
    let target = a
        .out
        .as_deref()
        .map(|p| {
            OutFile::check(p, |head| {
                head.starts_with(b"# Lessons") || head.starts_with("# 课程".as_bytes())
            })
        })
        .transpose()?;
    let text = crate::i18n::with_lang(a.lang, || crate::lessons::render(&a.scenarios))?;
    match target {
        Some(f) => {
            f.write(text.as_bytes())?;
            Ok(format!("wrote {}\n", f.path().display()))
        }
        None => Ok(text),
    }
}

/// SPEC §7: `hasim importance`.
fn importance(a: crate::cli::ImportanceArgs) -> Result<String> {
    use crate::importance as imp;
    let opts = load_options(&a.overrides, a.seed, a.replications)?;
    let sc = scenario::load(&a.scenario, &opts)?;
    let path = a
        .out
        .unwrap_or_else(|| Path::new("reports").join(format!("{}-importance.csv", sc.name)));
    let target = crate::report::output::OutFile::check(&path, |b| {
        b.starts_with(imp::CSV_HEADER.as_bytes())
    })?;
    let chart_path = path.with_extension("svg");
    let chart = crate::report::output::OutFile::check(&chart_path, |b| b.starts_with(b"<svg"))?;
    let (base, rows) = imp::importance(&sc);
    target.write(imp::to_csv(&rows).as_bytes())?;
    chart.write(imp::to_svg(&sc, &rows).as_bytes())?;
    let mut out = imp::to_text(&sc, base, &rows);
    out.push_str(&format!(
        "table: {}\nchart: {}\n",
        path.display(),
        chart_path.display()
    ));
    Ok(out)
}

fn check(a: CheckArgs) -> Result<String> {
    let opts = load_options(&a.overrides, None, None)?;
    let scenarios = load_all(&a.scenarios, &opts)?;
    let mut out = String::new();
    for (s, p) in scenarios.iter().zip(&a.scenarios) {
        out.push_str(&format!(
            "ok  {}  ({}, {}, seed {})\n",
            p.display(),
            s.name,
            s.architecture.name(),
            s.seed
        ));
        if a.analytic {
            out.push_str(&analytic_check(s));
        }
    }
    Ok(out)
}

/// The exact uptime next to the simulated one, or why there is none.
fn analytic_check(sc: &Scenario) -> String {
    use crate::analytic::{analyse, Analytic};
    match analyse(sc) {
        Analytic::Outside(reasons) => {
            let mut t = String::from("  outside what the Markov chain covers:\n");
            for r in reasons {
                t.push_str(&format!("    - {r}\n"));
            }
            t
        }
        Analytic::Exact {
            uptime,
            states,
            method,
        } => {
            let mut sc = sc.clone();
            sc.replications = sc
                .replications
                .max(crate::montecarlo::MIN_PRECISION_REPLICATIONS);
            let o = run_with_progress(&sc);
            let (sim, ci) = (o.uptime.mean_or_zero(), o.uptime.ci95().unwrap_or(0.0));
            let inside = (sim - uptime).abs() <= ci;
            format!(
                "  exact uptime      {uptime:.8}   ({method}, {states} state{})\n  simulated uptime  {sim:.8} ± {ci:.8}   (95 %, {} replications of {})\n  {}\n",
                if states == 1 { "" } else { "s" },
                sc.replications,
                crate::sim::time::human(sc.duration_ns),
                if inside {
                    "the exact value lies inside the simulated interval".to_string()
                } else if ci == 0.0 {
                    format!(
                        "every replication saw the same uptime (no interval): the exact downtime, {} per run, is too rare for {} replications",
                        crate::sim::time::human_s((1.0 - uptime) * sc.duration_ns as f64 / 1e9),
                        sc.replications
                    )
                } else {
                    format!(
                        "the exact value is {:.1} half-widths away: expected about 1 run in 20, or the start with every node up weighs on a short run (add warmup)",
                        (sim - uptime).abs() / ci.max(f64::MIN_POSITIVE)
                    )
                }
            )
        }
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// What a precision run says when no replication was ever down: the
/// relative target means nothing then, so it gives the rule-of-three bound.
fn no_outage_text(target: f64, replications: u32, b: &report::summary::NoOutageBound) -> String {
    use crate::sim::time::human_s;
    format!(
        "  precision target ±{target} NOT met: no outage was observed in {replications} replications ({} of service), so downtime has no relative precision\n  \
         at 95 % (rule of three, 3 / T): fewer than {} outages per year (a mean time between outages above {}), and fewer than {:.3} of runs this long see any outage;\n  \
         downtime per year is below that rate × the mean outage length, which no run has shown\n",
        human_s(b.observed_s),
        crate::report::tables::num(round_sig3(b.outages_per_year_upper95)),
        human_s(3.0f64.recip() * b.observed_s),
        b.runs_with_outage_upper95
    )
}

fn round_sig3(x: f64) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    let p = 10f64.powi(2 - x.abs().log10().floor() as i32);
    (x * p).round() / p
}

/// "1 outage", "0 outages", "7.1 outages" (means keep two decimals at most).
fn counted(x: f64, noun: &str) -> String {
    let x = round2(x);
    format!("{x} {noun}{}", if x == 1.0 { "" } else { "s" })
}

/// One paragraph per run for the terminal.
fn headline(sc: &Scenario, s: &report::Summary, dir: &Path) -> String {
    if crate::i18n::lang() == crate::i18n::Lang::Zh {
        return headline_zh(sc, s, dir);
    }
    let mut t = format!(
        "{}  [{}]  seed {}, {} replication{}\n  uptime {:.6}",
        sc.name,
        s.architecture,
        s.seed,
        s.replications,
        if s.replications == 1 { "" } else { "s" },
        s.uptime
    );
    if let Some(n) = s.nines {
        t.push_str(&format!(" ({n:.2} nines)"));
    }
    t.push_str(&format!(
        ", downtime {}, {}, {}{}\n",
        crate::sim::time::human_s(s.downtime_s),
        counted(s.outages, "outage"),
        counted(s.failovers, "failover"),
        if s.replications > 1 {
            " (means per run)"
        } else {
            ""
        }
    ));
    if let Some(p) = &s.precision {
        match &p.no_outage {
            Some(b) => t.push_str(&no_outage_text(p.target, s.replications, b)),
            None => t.push_str(&format!(
                "  precision target ±{} {} after {} replications (downtime ±{})\n",
                p.target,
                if p.met { "met" } else { "NOT met" },
                s.replications,
                p.downtime_rel_ci95
                    .map_or("unknown".into(), |d| format!("{d:.4}"))
            )),
        }
    }
    if let (Some(a), Some(r)) = (s.availability, &s.requests) {
        t.push_str(&format!(
            "  availability {a:.6} ({} of {} requests failed)",
            r.failed, r.offered
        ));
        if let Some(l) = &s.latency_ms {
            t.push_str(&format!(
                ", latency p50 {:.3} ms, p99 {:.3} ms",
                l.p50, l.p99
            ));
        }
        t.push('\n');
    }
    t.push_str(&format!("  wrote {}\n", dir.display()));
    t
}

/// The terminal summary in Chinese (`run --lang zh`), from the catalogue.
fn headline_zh(sc: &Scenario, s: &report::Summary, dir: &Path) -> String {
    use crate::i18n::{arch, msg, Lang::Zh};
    let mut t = msg(
        Zh,
        "head.title",
        &[
            &sc.name,
            &arch(Zh, &s.architecture),
            &s.seed,
            &s.replications,
        ],
    );
    t.push_str(&msg(Zh, "head.uptime", &[&format!("{:.6}", s.uptime)]));
    if let Some(n) = s.nines {
        t.push_str(&msg(Zh, "head.nines", &[&format!("{n:.2}")]));
    }
    t.push_str(&msg(
        Zh,
        "head.down",
        &[
            &crate::sim::time::human_s(s.downtime_s),
            &round2(s.outages),
            &round2(s.failovers),
        ],
    ));
    if let Some(p) = &s.precision {
        if p.no_outage.is_some() {
            t.push_str(&msg(Zh, "head.no_outage", &[&p.target, &s.replications]));
        } else {
            let met = msg(Zh, if p.met { "head.met" } else { "head.not_met" }, &[]);
            let d = p
                .downtime_rel_ci95
                .map_or("?".into(), |d| format!("{d:.4}"));
            t.push_str(&msg(
                Zh,
                "head.precision",
                &[&p.target, &s.replications, &met, &d],
            ));
        }
    }
    if let (Some(a), Some(r)) = (s.availability, &s.requests) {
        t.push_str(&msg(
            Zh,
            "head.availability",
            &[&format!("{a:.6}"), &r.offered, &r.failed],
        ));
        if let Some(l) = &s.latency_ms {
            t.push_str(&msg(
                Zh,
                "head.latency",
                &[&format!("{:.3}", l.p50), &format!("{:.3}", l.p99)],
            ));
        }
        t.push('\n');
    }
    t.push_str(&msg(Zh, "head.wrote", &[&dir.display()]));
    t
}
