//! Shared by the benchmarks (`#[path]`-included).

/// The `p` quantile (0–1) of an ascending slice, nearest rank.
pub(crate) fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}
