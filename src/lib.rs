//! hasim: a deterministic discrete-event simulator of compute
//! high-availability architectures. See ARCHITECTURE.md for the codemap.

pub mod error;
pub mod scenario;
pub mod sim;
