//! `policy-qa`: the command line for maintainers and scripts. See `policy-qa --help`.

fn main() {
    std::process::exit(policy_qa::cli::run(std::env::args().collect()));
}
