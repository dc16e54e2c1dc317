//! Code generation for synthetic specs of 10, 100, 1,000 and 10,000
//! endpoints: `authorized_codegen::generate_file` (parse, validate,
//! generate, format) per spec. Each size runs in a fresh process (the bench
//! binary run again, see `support/child.rs`) whose peak resident set is
//! read at the end, so one size's peak does not hide another's; the spec's
//! and the generated code's lines and that peak are written to
//! `<target>/criterion/authorized-extra/codegen.json`. The build time of the
//! generated crate is measured apart, by `codegen_build`.
//!
//! `cargo bench -p authorized-tests --bench codegen`

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, SamplingMode};

#[path = "support/child.rs"]
mod child;
#[path = "support/extra.rs"]
mod extra;
#[path = "support/spec.rs"]
mod spec;

const RUNTIME: &str = "::authorized_api::runtime";

/// The spec sizes, in endpoints.
const SIZES: [usize; 4] = [10, 100, 1_000, 10_000];

/// In a child: measures the spec of `endpoints` endpoints and reports its
/// lines and the process's memory.
fn measure(endpoints: usize) {
    let start_kib = child::status_kib("VmHWM");
    let text = spec::synthetic(endpoints);
    let file = Path::new(spec::FILE);
    let started = Instant::now();
    let (_, code) = authorized_codegen::generate_file(file, &text, RUNTIME)
        .unwrap_or_else(|e| panic!("the synthetic spec is invalid: {e}"));
    // One run a sample once runs take long; no less than 2 s.
    let measurement = started.elapsed().mul_f64(5.0).max(Duration::from_secs(2));
    let (spec_lines, lines, bytes) = (text.lines().count(), code.lines().count(), code.len());
    drop(code);

    let mut c = Criterion::default().configure_from_args();
    let mut group = c.benchmark_group("codegen");
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(measurement);
    let mut ran = false;
    group.bench_with_input(BenchmarkId::from_parameter(endpoints), &text, |b, text| {
        ran = true;
        b.iter(|| {
            authorized_codegen::generate_file(file, black_box(text), RUNTIME).expect("valid")
        });
    });
    group.finish();
    c.final_summary();
    if !ran {
        return;
    }
    let peak_kib = child::status_kib("VmHWM");
    println!(
        "codegen/{endpoints}: {spec_lines} spec lines -> {lines} lines of Rust ({bytes} bytes); peak resident set {:.1} MiB (at start {:.1} MiB)",
        peak_kib as f64 / 1024.0,
        start_kib as f64 / 1024.0,
    );
    child::report(&serde_json::json!({
        "spec_lines": spec_lines,
        "lines": lines,
        "bytes": bytes,
        "start_kib": start_kib,
        "peak_kib": peak_kib,
    }));
}

fn main() {
    if let Some(case) = child::case() {
        measure(case.parse().expect("a number of endpoints"));
        return;
    }
    let results = child::run_each(SIZES.map(|n| n.to_string()), &extra::dir());
    extra::update("codegen", |report| {
        for (endpoints, result) in results {
            report.insert(endpoints, result);
        }
    });
}
