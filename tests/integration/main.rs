//! One integration test binary (faster to link than many).

mod analytic;
mod bad_input;
mod cli;
mod determinism;
mod explain;
mod fencing;
mod heartbeats;
mod invariants;
mod montecarlo;
mod outages;
mod raft;
mod reports;
#[cfg(unix)]
mod safety;
mod support;
mod sweep;
mod timelines;
mod validation;
