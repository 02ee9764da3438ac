//! One integration test binary (faster to link than many).

mod analytic;
mod bad_input;
mod cli;
mod determinism;
mod explain;
mod fuzz;
mod heartbeats;
mod invariants;
mod montecarlo;
mod outages;
mod raft;
mod reference;
mod reports;
#[cfg(unix)]
mod safety;
mod shards;
mod slides;
mod support;
mod sweep;
mod timelines;
mod validation;
