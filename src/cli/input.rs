//! Resolving an INPUT argument (a path or a catalog name) into a built graph, with the input
//! options shared by every command that reads a graph.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use clap::Args;
use dgraph_datasets::catalog::{self, LoadOptions, Origin};
use dgraph_datasets::progress::Progress;
use dgraph_datasets::{formats, BuildOptions, BuildReport, Format, Graph, ReadOptions};

/// Options for reading an INPUT graph.
#[derive(Debug, Clone, Args)]
pub struct InputArgs {
    /// Input format, overriding the extension: el, wel, graphalytics, mtx, gr, dgraph.
    #[arg(long, value_name = "FORMAT", value_parser = parse_format)]
    pub format: Option<Format>,
    /// Read the input as undirected: each line of an edge list is one undirected edge; a
    /// directed graph in another format is symmetrised (u->v also gives v->u).
    #[arg(long)]
    pub undirected: bool,
    /// Keep one copy of repeated edges (the one with the smallest weight).
    #[arg(long)]
    pub drop_duplicates: bool,
    /// Remove edges from a vertex to itself.
    #[arg(long)]
    pub drop_self_loops: bool,
    /// Seed of generated datasets (kron-S, urand-S, grid-RxC).
    #[arg(long, value_name = "N", default_value_t = catalog::DEFAULT_SEED)]
    pub seed: u64,
    /// Give generated datasets weights (integers 1..=255, as Graph500); grids always have them.
    #[arg(long)]
    pub weighted: bool,
    /// Neither read nor write the cache of generated datasets.
    #[arg(long)]
    pub no_cache: bool,
}

fn parse_format(s: &str) -> Result<Format, String> {
    Format::from_name(s).ok_or_else(|| format!("unknown format {s:?}; known: {}", Format::names()))
}

/// A graph loaded for a command, with where it came from and what the build did.
pub struct Input {
    pub graph: Graph,
    /// The INPUT as given (or the default dataset).
    pub source: String,
    /// A path for files, "catalog" or the cache file for datasets.
    pub origin: String,
    pub report: Option<BuildReport>,
    pub seconds: f64,
}

impl Input {
    /// `graph      NAME (ORIGIN): N vertices, M edges, directed`: the first line of summaries.
    pub fn summary_line(&self) -> String {
        let g = &self.graph;
        format!(
            "graph      {} ({}): {} vertices, {} edges, {}",
            g.metadata().name,
            self.origin,
            g.vertex_count(),
            g.edge_count(),
            if g.is_directed() { "directed" } else { "undirected" }
        )
    }
}

impl InputArgs {
    fn build_options(&self) -> BuildOptions {
        BuildOptions {
            symmetrize: self.undirected,
            drop_duplicates: self.drop_duplicates,
            drop_self_loops: self.drop_self_loops,
        }
    }

    fn rebuild_needed(&self) -> bool {
        self.undirected || self.drop_duplicates || self.drop_self_loops
    }

    /// Loads INPUT (the default dataset when `None`).
    pub fn load(&self, input: Option<&str>, progress: &dyn Progress) -> anyhow::Result<Input> {
        let source = input.unwrap_or(catalog::DEFAULT_DATASET).to_string();
        let start = Instant::now();
        let read = ReadOptions {
            format: self.format,
            undirected: self.undirected,
            build: self.build_options(),
            ..ReadOptions::default()
        };
        let (mut graph, mut report, origin) = if self.format.is_none() && catalog::is_dataset_name(&source) {
            let options = LoadOptions { seed: self.seed, weighted: self.weighted, use_cache: !self.no_cache, read };
            let (graph, origin) = catalog::load_with_origin(&source, &options, progress)?;
            match origin {
                Origin::Cache(path) => (graph, None, format!("cache {}", path.display())),
                Origin::Built(report, Some(path)) => {
                    (graph, Some(report), format!("generated, cached as {}", path.display()))
                }
                Origin::Built(report, None) => (graph, Some(report), "catalog".to_string()),
            }
        } else {
            let path = PathBuf::from(&source);
            if self.format.is_none() && !path.exists() && path.extension().is_none() {
                return Err(
                    dgraph_datasets::Error::UnknownDataset { name: source, known: catalog::known_names() }.into()
                );
            }
            let loaded = formats::read(&path, &read, progress)?;
            (loaded.graph, loaded.report, path.display().to_string())
        };
        // `.dgraph` files and cached datasets are opened, not built: apply build options now.
        if report.is_none() && self.rebuild_needed() {
            let (g, r) = graph.rebuild(self.build_options());
            graph = g;
            report = Some(r);
        }
        Ok(Input { graph, source, origin, report, seconds: start.elapsed().as_secs_f64() })
    }
}

/// Checks that OUT can be written in a known, writable format; returns the format.
pub fn output_format(path: &Path, format: Option<Format>) -> anyhow::Result<Format> {
    let format = match format {
        Some(f) => f,
        None => Format::from_path(path)?,
    };
    if !format.writable() {
        anyhow::bail!("{}: dgraph can read this format but not write it", path.display());
    }
    Ok(format)
}

/// Writes `graph` to `path`, with the path in the error context.
/// Edge lists cannot hold isolated vertices: say so when some are left out.
pub fn write_output(graph: &Graph, path: &Path, format: Format, progress: &dyn Progress) -> anyhow::Result<()> {
    formats::write(graph, path, Some(format), progress).with_context(|| format!("cannot write {}", path.display()))?;
    if matches!(format, Format::EdgeList | Format::WeightedEdgeList) {
        let isolated = graph.stats().isolated;
        if isolated > 0 {
            eprintln!(
                "note: {} isolated vertices are not in {} (an edge list holds only edges); write .properties or .dgraph to keep them",
                isolated,
                path.display()
            );
        }
    }
    Ok(())
}
