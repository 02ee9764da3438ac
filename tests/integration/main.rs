//! One integration test binary (faster to link than many).

mod analytic;
mod bad_input;
mod cli;
mod determinism;
mod explain;
mod fuzz;
mod invariants;
mod montecarlo;
mod reports;
mod shards;
mod support;
mod sweep;
mod timelines;
mod validation;
