//! The simulation kernel: integer time, the event queue and seeded random
//! streams. It knows nothing of high availability.

pub mod queue;
pub mod rng;
pub mod time;
mod ziggurat;

pub use queue::{EventQueue, Phase};
pub use rng::{Stream, StreamKind};
