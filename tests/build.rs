//! Generates the fixture specs of `specs/` (dialects nobody here designed)
//! into modules the tests include: `include!(concat!(env!("OUT_DIR"),
//! "/authorized_providers.rs"))`.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    authorized_codegen::configure().compile_dir("specs")?;
    Ok(())
}
