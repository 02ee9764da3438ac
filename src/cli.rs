//! Command-line definitions (clap derive) only; `commands` carries them out.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "hasim",
    version,
    about = "Deterministic simulator of compute high-availability architectures"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Simulate scenarios and write their reports: summary.json, CSV files, charts, index.html.
    Run(RunArgs),
    /// Run several scenarios on the same seed and compare them side by side.
    Compare(CompareArgs),
    /// Run a scenario over a grid of values of one or two keys.
    Sweep(SweepArgs),
    /// Combine shard files (from run --shard K/N) into the unsharded result.
    Merge(MergeArgs),
    /// Tell the story of one run in plain words.
    Explain(ExplainArgs),
    /// Validate scenario files without running them.
    Check(CheckArgs),
    /// Rank the components (nodes, domains, dispatchers) by the downtime they cost.
    Importance(ImportanceArgs),
    /// Run the validation suite (exact vs simulated) and print its table.
    Validate(ValidateArgs),
    /// Write docs/lessons.md (--lang zh: docs/lessons.zh.md): paired happy-path and failure scenarios with
    /// their numbers (from scenarios/lessons/).
    Lessons(LessonsArgs),
    /// Print the scenario files' JSON Schema (for Taplo / Even Better TOML), or with --reference the Markdown reference.
    Schema(SchemaArgs),
    /// Write a commented starter scenario for an architecture (never overwrites).
    New(NewArgs),
}

#[derive(Args, Debug)]
pub struct LessonsArgs {
    /// The lesson scenarios' folder.
    #[arg(long, value_name = "DIR", default_value = "scenarios/lessons")]
    pub scenarios: PathBuf,
    /// Write the lessons there (default: print them).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// The lessons' language: en (default, docs/lessons.md) or zh
    /// (docs/lessons.zh.md); the numbers are the same.
    #[arg(long, value_name = "LANG", value_parser = crate::i18n::parse_lang)]
    pub lang: Option<crate::i18n::Lang>,
}

#[derive(Args, Debug)]
pub struct SchemaArgs {
    /// Print the Markdown reference (docs/scenario-reference.md) instead.
    #[arg(long)]
    pub reference: bool,
}

#[derive(Args, Debug)]
pub struct NewArgs {
    /// cold-standby, warm-standby, master-slave, symmetric-cluster or asymmetric-cluster.
    #[arg(value_name = "ARCHITECTURE")]
    pub architecture: String,
    /// The file to write (default ARCHITECTURE.toml); an existing file is refused.
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct ExplainArgs {
    /// The scenario file (TOML).
    #[arg(value_name = "SCENARIO")]
    pub scenario: PathBuf,
    /// Seed of the run told (beats the file and --set).
    #[arg(long, allow_negative_numbers = true, value_parser = crate::scenario::validate::parse_seed)]
    pub seed: Option<u64>,
    /// Tell replication N (from 0, as the `replication` column of
    /// outages.csv) instead of the first; it is run again alone.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub replication: u32,
    /// Tell only outage K of that replication, phase by phase: K counts
    /// from 1 over the rows of outages.csv with that replication, in order.
    #[arg(long, value_name = "K")]
    pub outage: Option<usize>,
    #[command(flatten)]
    pub overrides: Overrides,
    /// Language of the story: en (default) or zh (中文). Never read from the environment.
    #[arg(long, value_name = "LANG", value_parser = crate::i18n::parse_lang)]
    pub lang: Option<crate::i18n::Lang>,
}

#[derive(Args, Debug)]
pub struct ImportanceArgs {
    /// The scenario file (TOML).
    #[arg(value_name = "SCENARIO")]
    pub scenario: PathBuf,
    /// Base seed (beats the file and --set).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Independent replications (beats the file and --set).
    #[arg(long)]
    pub replications: Option<u32>,
    /// The CSV file to write (default reports/<name>-importance.csv).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub overrides: Overrides,
}

#[derive(Args, Debug)]
pub struct MergeArgs {
    /// Shard files, or folders holding them.
    #[arg(required = true, value_name = "SHARDS")]
    pub paths: Vec<PathBuf>,
    /// Output folder (default reports/<name>/; with several scenarios DIR/<name>/).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct ValidateArgs {
    /// Write the Markdown table here (e.g. docs/validation.md).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Args, Debug, Clone, Default)]
pub struct Overrides {
    /// Override a scenario key: --set failover.operator=5m, --set faults[0].at=2h.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub sets: Vec<String>,
}

#[derive(Args, Debug)]
pub struct RunArgs {
    /// Scenario files (TOML).
    #[arg(required = true, value_name = "SCENARIO")]
    pub scenarios: Vec<PathBuf>,
    /// Base seed (beats the file and --set).
    #[arg(long, allow_negative_numbers = true, value_parser = crate::scenario::validate::parse_seed)]
    pub seed: Option<u64>,
    /// Independent replications (beats the file and --set).
    #[arg(long)]
    pub replications: Option<u32>,
    /// Output folder (default reports/<name>/; with several scenarios
    /// DIR/<name>/; with --shard, the shard folder, default reports/<name>-shards/).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub precision: PrecisionArgs,
    /// Run only the K-th of N shares of the replications (K from 0) and
    /// write a shard file; `hasim merge` combines the N files.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<String>,
    #[command(flatten)]
    pub overrides: Overrides,
    /// Chart size in pixels, e.g. 1600x900 for a 16:9 slide (default 1000x480); fonts scale with it.
    #[arg(long, value_name = "WxH", value_parser = crate::report::charts::parse_size)]
    pub chart_size: Option<(u32, u32)>,
    /// Language of the terminal summary and the page: en (default) or zh (中文). Never read from the environment.
    #[arg(long, value_name = "LANG", value_parser = crate::i18n::parse_lang)]
    pub lang: Option<crate::i18n::Lang>,
    /// Events of the first replication written to events.csv, then a
    /// trace_cut row: a number (default 100000) or `all`. Past 100000 they
    /// stream to disk as the run goes (the page and replay show the first
    /// 100000); not with --shard.
    #[arg(long, value_name = "N|all", value_parser = parse_events)]
    pub events: Option<u64>,
}

/// `--events N|all`: `all` is every event.
fn parse_events(s: &str) -> Result<u64, String> {
    if s.eq_ignore_ascii_case("all") {
        return Ok(u64::MAX);
    }
    s.trim().parse::<u64>().map_err(|_| {
        format!("'{s}' is not a number of events: give a whole number such as 500000, or all")
    })
}

#[derive(Args, Debug, Clone, Default)]
pub struct PrecisionArgs {
    /// Add replications until the 95 % half-width of the downtime fraction
    /// (and of p99 latency) is within REL of its value, e.g. 0.05.
    #[arg(long, value_name = "REL", allow_negative_numbers = true)]
    pub precision: Option<f64>,
    /// The most replications --precision may run (default 10000).
    #[arg(long, value_name = "N")]
    pub max_replications: Option<u32>,
}

#[derive(Args, Debug)]
pub struct CompareArgs {
    /// Two or more scenario files (TOML).
    #[arg(required = true, num_args = 2.., value_name = "SCENARIO")]
    pub scenarios: Vec<PathBuf>,
    /// Seed for every run (default: the first scenario's seed).
    #[arg(long, allow_negative_numbers = true, value_parser = crate::scenario::validate::parse_seed)]
    pub seed: Option<u64>,
    /// Replications for every run (beats the files and --set).
    #[arg(long)]
    pub replications: Option<u32>,
    /// Output folder (default reports/comparison/).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// An availability SLA in percent (e.g. 99.95): prints the yearly
    /// downtime budget and the share of it each scenario uses.
    #[arg(long, value_name = "PERCENT", value_parser = parse_sla)]
    pub sla: Option<f64>,
    #[command(flatten)]
    pub overrides: Overrides,
    /// Chart size in pixels, e.g. 1600x900 for a 16:9 slide (default 1000x480); fonts scale with it.
    #[arg(long, value_name = "WxH", value_parser = crate::report::charts::parse_size)]
    pub chart_size: Option<(u32, u32)>,
    /// Language of the terminal summary and the page: en (default) or zh (中文). Never read from the environment.
    #[arg(long, value_name = "LANG", value_parser = crate::i18n::parse_lang)]
    pub lang: Option<crate::i18n::Lang>,
}

/// `--sla`: a percentage strictly between 0 and 100.
fn parse_sla(s: &str) -> Result<f64, String> {
    match s.trim_end_matches('%').trim().parse::<f64>() {
        Ok(p) if p > 0.0 && p < 100.0 => Ok(p),
        _ => Err(format!(
            "`{s}` is not an SLA: give a percentage between 0 and 100, e.g. --sla 99.95"
        )),
    }
}

#[derive(Args, Debug)]
pub struct SweepArgs {
    /// The scenario file (TOML).
    #[arg(value_name = "SCENARIO")]
    pub scenario: PathBuf,
    /// Seed for every point (default: the scenario's).
    #[arg(long, allow_negative_numbers = true, value_parser = crate::scenario::validate::parse_seed)]
    pub seed: Option<u64>,
    /// Replications for every point (beats the file and --set).
    #[arg(long)]
    pub replications: Option<u32>,
    /// Output folder (default reports/sweep-<name>/; with --shard, the
    /// shard folder, default reports/sweep-<name>-shards/).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub precision: PrecisionArgs,
    /// Run only the K-th of N shares of every point's replications (K from
    /// 0) and write shard files; `hasim merge` rebuilds the sweep.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<String>,
    /// KEY=V1,V2,... sweeps a key (one or two of them); KEY=VALUE fixes one.
    #[arg(long = "set", value_name = "KEY=VALUES", required = true)]
    pub sets: Vec<String>,
    /// Chart size in pixels, e.g. 1600x900 for a 16:9 slide (default 1000x480); fonts scale with it.
    #[arg(long, value_name = "WxH", value_parser = crate::report::charts::parse_size)]
    pub chart_size: Option<(u32, u32)>,
    /// Language of the terminal summary and the page: en (default) or zh (中文). Never read from the environment.
    #[arg(long, value_name = "LANG", value_parser = crate::i18n::parse_lang)]
    pub lang: Option<crate::i18n::Lang>,
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    #[arg(required = true, value_name = "SCENARIO")]
    pub scenarios: Vec<PathBuf>,
    /// Also solve the scenario's Markov chain and print the exact uptime
    /// next to the simulated one (exponential times, instant detection).
    #[arg(long)]
    pub analytic: bool,
    #[command(flatten)]
    pub overrides: Overrides,
}
