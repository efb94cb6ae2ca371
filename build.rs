// New migration, locale, template and demo files are not noticed by incremental builds otherwise.
fn main() {
    for dir in ["migrations", "locales", "templates", "static", "demo"] {
        println!("cargo:rerun-if-changed={dir}");
    }
}
