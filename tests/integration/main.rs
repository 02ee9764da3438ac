//! One integration test binary (faster to link than many).

mod analytic;
mod support;
mod timelines;
