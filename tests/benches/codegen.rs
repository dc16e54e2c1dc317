//! Code generation for synthetic specs of 10, 100 and 1,000 endpoints:
//! `authorized_codegen::generate_file` (parse, validate, generate, format)
//! per spec; the lines generated are written to
//! `<target>/criterion/authorized-extra/codegen.json`. The build time of the
//! generated crate is measured apart, by `codegen_build`.
//!
//! `cargo bench -p authorized-tests --bench codegen`

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, SamplingMode};

#[path = "support/extra.rs"]
mod extra;
#[path = "support/spec.rs"]
mod spec;

const RUNTIME: &str = "::authorized_api::runtime";

fn bench(c: &mut Criterion) {
    let mut report = serde_json::Map::new();
    let mut group = c.benchmark_group("codegen");
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    for endpoints in [10usize, 100, 1_000] {
        let text = spec::synthetic(endpoints);
        let file = Path::new(spec::FILE);
        let (_, code) = authorized_codegen::generate_file(file, &text, RUNTIME)
            .unwrap_or_else(|e| panic!("the synthetic spec is invalid: {e}"));
        let lines = code.lines().count();
        println!(
            "codegen/{endpoints}: {} spec lines -> {lines} lines of Rust ({} bytes)",
            text.lines().count(),
            code.len()
        );
        report.insert(
            endpoints.to_string(),
            serde_json::json!({
                "spec_lines": text.lines().count(),
                "lines": lines,
                "bytes": code.len(),
            }),
        );
        group.bench_with_input(BenchmarkId::from_parameter(endpoints), &text, |b, text| {
            b.iter(|| {
                authorized_codegen::generate_file(file, black_box(text), RUNTIME).expect("valid")
            });
        });
    }
    group.finish();
    extra::record("codegen", &serde_json::Value::Object(report));
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    bench(&mut c);
    c.final_summary();
}
