mod cli;
mod dev_set;
mod maintainers;
mod props;
mod runtime;
pub(crate) mod scoring;
mod seeds;

/// Today's date for tests: fixed, so validity results do not change with the calendar.
pub(crate) const TODAY: &str = "2026-11-21";
