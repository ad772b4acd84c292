//! One integration-test binary (link time), modules under `suite/`.
mod suite;
