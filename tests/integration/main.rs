//! One integration test binary (faster to link than many).

mod analytic;
mod bad_input;
mod cli;
mod determinism;
mod explain;
mod explain_any;
mod fencing;
mod fuzz;
mod heartbeats;
mod invariants;
mod lang;
mod lessons;
mod montecarlo;
mod outages;
mod paired;
mod parallel;
mod raft;
mod reference;
mod reports;
mod review;
#[cfg(unix)]
mod safety;
mod shards;
mod slides;
mod support;
mod sweep;
mod timelines;
mod validation;
