//! `dgraph datasets`: the catalog of named datasets.

use dgraph_datasets::catalog;

/// Arguments of `dgraph datasets`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print a JSON array instead of a table.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let entries = catalog::entries();
    if args.json {
        let list: Vec<_> = entries
            .iter()
            .map(|e| serde_json::json!({ "name": e.name, "description": e.description, "checksum": e.checksum }))
            .collect();
        println!("{}", serde_json::to_string_pretty(&list)?);
        return Ok(());
    }
    println!("{:<22} {:<27} description", "name", "checksum");
    for e in &entries {
        println!("{:<22} {:<27} {}", e.name, e.checksum.as_deref().unwrap_or("-"), e.description);
    }
    if let Some(dir) = catalog::cache_dir() {
        println!("\ngenerated datasets are cached in {}", dir.display());
    }
    Ok(())
}
