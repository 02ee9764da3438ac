//! hasim: a deterministic discrete-event simulator of compute
//! high-availability architectures. See ARCHITECTURE.md for the codemap.

pub mod analytic;
pub mod cli;
pub mod commands;
pub mod error;
pub mod estimate;
pub mod explain;
pub mod i18n;
pub mod importance;
pub mod lessons;
pub mod metrics;
pub mod model;
pub mod montecarlo;
pub mod report;
pub mod scenario;
pub mod shard;
pub mod sim;
pub mod starter;
pub mod stats;
pub mod validation;
