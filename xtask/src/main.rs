//! `cargo xtask <command>`: everything a developer runs, from a fresh machine.

use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command>

  demo [--reset]   set up, build, seed and run the local edge (127.0.0.1:8787)
                   and the demo storefront (127.0.0.1:8080) until Ctrl-C
  test [STAGE..]   set up, build and run every test, or only the stages named:
                   core, widget (Chromium), edge (HTTP), browser (end-to-end),
                   contract (Schemathesis against the OpenAPI document)
  setup [--browser] install the pinned tools into .tools/ and node_modules/
  build            build the widget (release, wasm-opt -Oz) and the edge
  docs             rewrite the README's route table from the route table in
                   core (kindred_core::api::ROUTES)
  fuzz             run Schemathesis against a fresh local edge with 1,000
                   cases per operation and print the totals
  bench [--quick]  measure sizes, widget speed (beside the peer, Isso),
                   edge throughput, integrity, fairness and rows read at
                   1x/10x/100x data; writes BENCHMARKS.md and
                   benchmarks.json
  bench --scale    only the rows-read-at-scale stage (1,000,000 testimonials
                   at 100x; about 7 minutes and 1 GB of local D1)
  bench --report   rewrite BENCHMARKS.md from benchmarks.json
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let words: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match words.as_slice() {
        ["demo"] => xtask::tasks::demo(false),
        ["demo", "--reset"] => xtask::tasks::demo(true),
        ["test", stages @ ..] => xtask::tasks::test(&stages.iter().map(|s| s.to_string()).collect::<Vec<_>>()),
        ["setup"] => xtask::tools::setup(false).map(|_| ()),
        ["setup", "--browser"] => xtask::tools::setup(true).map(|_| ()),
        ["docs"] => xtask::tasks::docs(),
        ["fuzz"] => xtask::fuzz::fuzz(),
        ["bench"] => xtask::bench::bench(false),
        ["bench", "--quick"] => xtask::bench::bench(true),
        ["bench", "--report"] => xtask::bench::report_only(),
        ["bench", "--scale"] => xtask::bench::bench_scale_only(false),
        ["bench", "--scale", "--quick"] => xtask::bench::bench_scale_only(true),
        ["build"] => xtask::tools::setup(false).and_then(|t| xtask::build::all(&t)),
        _ => {
            eprint!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("\nxtask: {e}");
            ExitCode::FAILURE
        }
    }
}
