//! Runs the real `dgraph` binary: outputs, exit codes, error messages, files left behind.

use std::path::Path;
use std::process::{Command, Output};

fn dgraph(args: &[&str], cache: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dgraph")).args(args).env("DGRAPH_CACHE_DIR", cache).output().expect("dgraph runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn json(o: &Output) -> serde_json::Value {
    assert!(o.status.success(), "dgraph failed: {}", stderr(o));
    serde_json::from_slice(&o.stdout).expect("valid JSON")
}

#[test]
fn info_on_the_default_dataset_and_on_graphalytics() {
    let dir = tempfile::tempdir().expect("dir");
    let out = dgraph(&["info", "--json"], dir.path());
    let v = json(&out);
    assert_eq!(v["name"], "kron-16");
    assert_eq!(v["vertices"], 65536);
    assert_eq!(v["directed"], false);
    // The second run opens the cache and reports the same graph.
    let again = json(&dgraph(&["info", "--json"], dir.path()));
    assert_eq!(v["checksum"], again["checksum"]);
    assert!(again["origin"].as_str().is_some_and(|o| o.starts_with("cache")));

    let v = json(&dgraph(&["info", "example-directed", "--json"], dir.path()));
    assert_eq!((v["vertices"].as_u64(), v["edges"].as_u64()), (Some(10), Some(17)));
    assert_eq!(v["weighted"], true);
    assert_eq!(v["parameters"]["bfs.source-vertex"], "1");
    let text = dgraph(&["info", "example-undirected"], dir.path());
    assert!(String::from_utf8_lossy(&text.stdout).contains("directed    no"));
}

#[test]
fn formats_round_trip_through_convert() {
    let dir = tempfile::tempdir().expect("dir");
    let d = dir.path();
    let checksum = |input: &str, extra: &[&str]| {
        let mut args = vec!["info", input, "--json"];
        args.extend_from_slice(extra);
        json(&dgraph(&args, d))["checksum"].as_str().map(str::to_string)
    };
    for graph in ["example-directed", "example-undirected"] {
        let reference = checksum(graph, &[]);
        for ext in ["el", "wel", "properties", "mtx", "dgraph"] {
            let file = d.join(format!("{graph}.{ext}"));
            let file = file.to_str().expect("utf-8 path");
            let out = dgraph(&["convert", graph, file], d);
            assert!(out.status.success(), "{graph} -> {ext}: {}", stderr(&out));
            // Edge lists do not record directedness: say it when reading back.
            let extra: &[&str] =
                if graph.ends_with("undirected") && ["el", "wel"].contains(&ext) { &["--undirected"] } else { &[] };
            if ext == "mtx" && graph == "example-undirected" {
                // Its ids are 2..=10: Matrix Market renumbers them 1..=9; the shape survives.
                let v = json(&dgraph(&["info", file, "--json"], d));
                assert_eq!(
                    (v["vertices"].as_u64(), v["edges"].as_u64(), v["directed"].as_bool()),
                    (Some(9), Some(12), Some(false))
                );
            } else {
                assert_eq!(checksum(file, extra), reference, "{graph} via .{ext}");
            }
        }
    }
}

#[test]
fn directedness_conversions() {
    let dir = tempfile::tempdir().expect("dir");
    let d = dir.path();
    let both = d.join("both.el");
    let out = dgraph(&["convert", "example-undirected", both.to_str().expect("utf-8"), "--directed"], d);
    assert!(out.status.success(), "{}", stderr(&out));
    let v = json(&dgraph(&["info", both.to_str().expect("utf-8"), "--json"], d));
    assert_eq!((v["directed"].as_bool(), v["edges"].as_u64()), (Some(true), Some(24)));
    // Symmetrising it again gives the original graph, with each edge found twice.
    let v = json(&dgraph(&["info", both.to_str().expect("utf-8"), "--json", "--undirected", "--drop-duplicates"], d));
    let original = json(&dgraph(&["info", "example-undirected", "--json"], d));
    assert_eq!(v["checksum"], original["checksum"]);
    assert_eq!(v["build"]["duplicates_dropped"], 12);
}

#[test]
fn generate_is_deterministic_across_thread_counts() {
    let dir = tempfile::tempdir().expect("dir");
    let d = dir.path();
    let (a, b) = (d.join("a.el"), d.join("b.el"));
    for (threads, file) in [("1", &a), ("2", &b)] {
        let out = dgraph(
            &["generate", "kron-10", "-o", file.to_str().expect("utf-8"), "--threads", threads, "--weighted"],
            d,
        );
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(stderr(&out).contains("isolated vertices are not in"), "{}", stderr(&out));
    }
    let (x, y) = (std::fs::read(&a).expect("a"), std::fs::read(&b).expect("b"));
    assert!(!x.is_empty());
    assert_eq!(x, y, "byte-identical output");
    // Reading the undirected edge list back gives the generated edges (an edge list cannot
    // hold isolated vertices); a Graphalytics file holds the whole graph.
    let generated = json(&dgraph(&["info", "kron-10", "--json", "--weighted", "--no-cache"], d));
    let read = json(&dgraph(&["info", a.to_str().expect("utf-8"), "--json", "--undirected"], d));
    assert_eq!(generated["edges"], read["edges"]);
    let props = d.join("k.properties");
    let out = dgraph(&["generate", "kron-10", "-o", props.to_str().expect("utf-8"), "--weighted"], d);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stderr(&out).contains("isolated"));
    let read = json(&dgraph(&["info", props.to_str().expect("utf-8"), "--json"], d));
    assert_eq!(generated["checksum"], read["checksum"]);
}

#[test]
fn errors_name_file_line_column_and_exit_1() {
    let dir = tempfile::tempdir().expect("dir");
    let d = dir.path();
    let web = d.join("web.el");
    let mut text = "1 2\n".repeat(16);
    text.push_str("3 4 x1\n");
    text = text.replace("3 4 x1", "3   x1 5");
    std::fs::write(&web, &text).expect("write");
    let out = dgraph(&["info", web.to_str().expect("utf-8")], d);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stderr(&out).trim(), format!("error: {}:17:5: expected a vertex id, found \"x1\"", web.display()));

    let missing = dgraph(&["info", "/nonexistent/graph.el"], d);
    assert_eq!(missing.status.code(), Some(1));
    assert!(stderr(&missing).contains("/nonexistent/graph.el"), "{}", stderr(&missing));
    // The operating system's reason once: the library's message already names it.
    assert_eq!(stderr(&missing).matches("os error").count(), 1, "{}", stderr(&missing));

    let unknown = dgraph(&["info", "not-a-dataset"], d);
    assert_eq!(unknown.status.code(), Some(1));
    assert!(stderr(&unknown).contains("neither a file nor a dataset name"));

    let empty = d.join("empty.el");
    std::fs::write(&empty, "").expect("write");
    let out = dgraph(&["info", empty.to_str().expect("utf-8")], d);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("no edges"));
}

#[test]
fn usage_errors_exit_2_and_help_explains_every_flag() {
    let dir = tempfile::tempdir().expect("dir");
    let out = dgraph(&["info", "--no-such-flag"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let out = dgraph(&["convert", "a.el"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    for (cmd, flags) in [
        (
            "info",
            &[
                "--json",
                "--format",
                "--undirected",
                "--drop-duplicates",
                "--drop-self-loops",
                "--seed",
                "--weighted",
                "--quiet",
            ][..],
        ),
        ("generate", &["--output", "--seed", "--weighted"][..]),
        ("convert", &["--directed", "--undirected", "--format"][..]),
        ("datasets", &["--json"][..]),
    ] {
        let out = dgraph(&[cmd, "--help"], dir.path());
        assert!(out.status.success());
        let help = String::from_utf8_lossy(&out.stdout);
        for flag in flags {
            assert!(help.contains(flag), "{cmd} --help lacks {flag}");
        }
    }
}

#[test]
fn failed_writes_leave_no_file_behind() {
    let dir = tempfile::tempdir().expect("dir");
    let d = dir.path();
    // Unweighted graph to .wel: refused before anything is written.
    let wel = d.join("out.wel");
    let out = dgraph(&["convert", "test-bfs-directed", wel.to_str().expect("utf-8")], d);
    assert_eq!(out.status.code(), Some(1));
    assert!(!wel.exists());
    // Bad input: the output is never created.
    let bad = d.join("bad.el");
    std::fs::write(&bad, "1 2\n3 oops\n").expect("write");
    let target = d.join("out.dgraph");
    let out = dgraph(&["convert", bad.to_str().expect("utf-8"), target.to_str().expect("utf-8")], d);
    assert_eq!(out.status.code(), Some(1));
    assert!(!target.exists());
    // Unknown output extension.
    let out = dgraph(&["generate", "kron-4", "-o", d.join("x.xyz").to_str().expect("utf-8")], d);
    assert_eq!(out.status.code(), Some(1));
    // Into a missing directory: the file named once, with the system's reason (no temporary
    // file name).
    let lost = d.join("missing").join("ranks.txt");
    let out = dgraph(&["run", "pagerank", "example-directed", "-o", lost.to_str().expect("utf-8")], d);
    assert_eq!(out.status.code(), Some(1));
    let text = stderr(&out);
    assert!(text.contains(&format!("cannot write {}: No such file", lost.display())), "{text}");
    assert_eq!(text.matches("ranks.txt").count(), 1, "{text}");
    assert!(!text.contains("partial"), "{text}");
    let leftovers: Vec<_> = std::fs::read_dir(d).expect("dir").filter_map(Result::ok).map(|e| e.file_name()).collect();
    assert!(leftovers.iter().all(|n| n == "bad.el"), "left behind: {leftovers:?}");
}

#[test]
fn datasets_lists_the_catalog() {
    let dir = tempfile::tempdir().expect("dir");
    let v = json(&dgraph(&["datasets", "--json"], dir.path()));
    let names: Vec<&str> = v.as_array().expect("array").iter().filter_map(|e| e["name"].as_str()).collect();
    assert!(names.contains(&"example-directed") && names.contains(&"kron-S") && names.contains(&"kron-16"));
    assert_eq!(names.iter().filter(|n| n.starts_with("test-") || n.starts_with("example-")).count(), 14);
}

#[test]
fn run_writes_graphalytics_output_summary_json_and_trace() {
    let dir = tempfile::tempdir().expect("dir");
    let d = dir.path();
    let out = d.join("bfs.out");
    let trace = d.join("trace.json");
    let o = dgraph(
        &[
            "run",
            "bfs",
            "example-directed",
            "--output",
            out.to_str().expect("utf-8"),
            "--trace",
            trace.to_str().expect("utf-8"),
            "--json",
            "--partitions",
            "3",
        ],
        d,
    );
    let v = json(&o);
    for field in ["algorithm", "vertices", "edges", "load_seconds", "algorithm_seconds", "supersteps"] {
        assert!(!v[field].is_null(), "missing {field}");
    }
    assert_eq!(v["algorithm"], "bfs");
    assert_eq!(v["partitions"], 3);
    let expected = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("datasets/data/graphalytics/example-directed/example-directed-BFS"),
    )
    .expect("reference");
    assert_eq!(std::fs::read_to_string(&out).expect("output"), expected);
    let t: serde_json::Value = serde_json::from_slice(&std::fs::read(&trace).expect("trace")).expect("trace is JSON");
    let events = t["traceEvents"].as_array().expect("events");
    assert!(events.iter().any(|e| e["cat"] == "pull" || e["cat"] == "push"));
    assert!(events.iter().all(|e| e["ph"] == "X" && e["dur"].as_f64().is_some()));

    // The text summary goes to stderr with a per-superstep table.
    let o = dgraph(&["run", "pagerank", "example-undirected"], d);
    assert!(o.status.success());
    let text = stderr(&o);
    assert!(text.contains("supersteps") && text.contains("pull"), "{text}");
    // Unreachable SSSP vertices print as `infinity`.
    let sssp = d.join("sssp.out");
    let o = dgraph(&["run", "sssp", "example-directed", "-o", sssp.to_str().expect("utf-8")], d);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(std::fs::read_to_string(&sssp).expect("sssp").contains("2 infinity"));
    // Triangle count: one number, in the file, the JSON and the text summary.
    let tc = d.join("tc.out");
    let o = dgraph(&["run", "tc", "example-undirected", "-o", tc.to_str().expect("utf-8"), "--json"], d);
    assert_eq!(json(&o)["triangles"], 4);
    assert_eq!(std::fs::read_to_string(&tc).expect("tc"), "4\n");
    let o = dgraph(&["run", "triangles", "example-undirected"], d);
    assert!(stderr(&o).contains("4 triangles"), "{}", stderr(&o));
}

#[test]
fn run_rejects_bad_parameters_clearly() {
    let dir = tempfile::tempdir().expect("dir");
    let d = dir.path();
    let case = |args: &[&str], code: i32, needle: &str| {
        let o = dgraph(args, d);
        assert_eq!(o.status.code(), Some(code), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(needle), "{args:?}: {}", stderr(&o));
        // A bad request writes nothing to stdout.
        assert!(o.stdout.is_empty(), "{args:?}: {}", String::from_utf8_lossy(&o.stdout));
    };
    case(&["run", "dijkstra", "example-directed"], 2, "known: bfs, pagerank, wcc, cdlp, lcc, sssp, tc");
    case(&["run", "sssp", "example-directed", "--delta", "0"], 2, "expected a positive number");
    case(&["run", "bfs", "example-directed", "--source", "77"], 1, "source vertex 77 is not in the graph");
    case(&["run", "pagerank", "example-directed", "--iterations", "0"], 1, "iterations must be at least 1");
    case(&["run", "pagerank", "example-directed", "--damping", "1.5"], 1, "damping must be in [0, 1)");
    // Negative numbers reach the checks (not taken for flags).
    case(&["run", "pagerank", "example-directed", "--damping", "-0.5"], 1, "damping must be in [0, 1), found -0.5");
    case(&["run", "pagerank", "example-directed", "--tolerance", "-1"], 1, "--tolerance must be a positive number");
    case(&["run", "sssp", "example-directed", "--delta", "-2"], 2, "expected a positive number");
    case(&["run", "pagerank", "example-directed", "--iterations", "-3"], 2, "invalid value '-3'");
    case(&["run", "sssp", "test-bfs-directed"], 1, "--unit-weights");
    case(&["run", "bfs", "example-directed", "--partitions", "0"], 1, "at least 1");
    case(&["run", "bfs", "example-directed", "--partitioner", "metis"], 2, "known: random, canonical, 2d");
    let neg = d.join("neg.el");
    std::fs::write(&neg, "1 2 0.5\n2 3 -1\n").expect("write");
    case(&["run", "sssp", neg.to_str().expect("utf-8")], 1, "2 -> 3 has weight -1");
    let o = dgraph(&["run", "sssp", "test-bfs-directed", "--unit-weights", "--json"], d);
    assert!(o.status.success(), "{}", stderr(&o));
    case(&["run", "pagerank", "example-directed", "--precision", "half"], 2, "known: double, single");
    case(&["run", "bfs", "example-directed", "--precision", "single"], 1, "pagerank and sssp only, not bfs");
}

#[test]
fn single_precision_pagerank_writes_f32_ranks_close_to_double() {
    let dir = tempfile::tempdir().expect("dir");
    let d = dir.path();
    let ranks = |precision: &str| {
        let out = d.join(format!("{precision}.txt"));
        let args =
            ["run", "pr", "example-directed", "--precision", precision, "--json", "-o", out.to_str().expect("utf-8")];
        let summary = json(&dgraph(&args, d));
        assert_eq!(summary["precision"], precision);
        let text = std::fs::read_to_string(&out).expect("output");
        text.lines()
            .map(|l| {
                let (id, r) = l.split_once(' ').expect("id value");
                (id.to_string(), r.to_string())
            })
            .collect::<Vec<_>>()
    };
    let (single, double) = (ranks("single"), ranks("double"));
    assert_eq!(single.len(), double.len());
    for ((id, s), (id2, x)) in single.iter().zip(&double) {
        assert_eq!(id, id2);
        // Printed as the shortest text that reads back as the same f32.
        let s32: f32 = s.parse().expect("f32");
        assert_eq!(format!("{s32:?}"), *s);
        let x: f64 = x.parse().expect("f64");
        assert!((f64::from(s32) - x).abs() <= 1e-6 * x, "vertex {id}: {s} vs {x}");
    }
}

#[test]
fn partition_reports_quality_for_every_strategy_and_rejects_bad_requests() {
    let dir = tempfile::tempdir().expect("dir");
    let d = dir.path();
    let o = dgraph(&["partition", "example-undirected", "--parts", "2,3", "--strategy", "all", "--json"], d);
    assert!(o.status.success(), "{}", stderr(&o));
    let rows = json(&o);
    let rows = rows.as_array().expect("array");
    assert_eq!(rows.len(), 2 * 8);
    for row in rows {
        for field in ["strategy", "parts", "replication_factor", "edge_balance", "seconds"] {
            assert!(!row[field].is_null(), "missing {field}");
        }
        assert!(row["replication_factor"].as_f64().expect("rf") >= 1.0);
    }
    let o = dgraph(&["partition", "example-undirected", "-p", "2", "-s", "ne"], d);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("replicas"), "per-partition table");
    let empty = d.join("empty.mtx");
    std::fs::write(&empty, "%%MatrixMarket matrix coordinate pattern general\n3 3 0\n").expect("write");
    let case = |args: &[&str], code: i32, needle: &str| {
        let o = dgraph(args, d);
        assert_eq!(o.status.code(), Some(code), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(needle), "{args:?}: {}", stderr(&o));
        // A bad request prints no table, not even its header.
        assert!(o.stdout.is_empty(), "{args:?}: {}", String::from_utf8_lossy(&o.stdout));
    };
    case(&["partition", "example-undirected", "--parts", "0"], 1, "at least 1");
    case(&["partition", "example-undirected", "--parts", "1000"], 1, "at most one partition per edge");
    case(&["partition", "example-undirected", "--parts", "2,0", "--strategy", "all"], 1, "at least 1");
    case(&["partition", "example-undirected", "--parts", "2", "--strategy", "metis"], 2, "known: random, canonical");
    case(&["partition", "example-undirected", "--parts", "2", "--balance", "0.9"], 1, ">= 1");
    case(&["partition", empty.to_str().expect("utf-8"), "--parts", "2"], 1, "no edges");
    case(&["partition", "example-undirected", "--parts", "2", "--tau", "0"], 1, "tau must be a number > 0");
    case(&["partition", "example-undirected", "--parts", "2", "--tau", "-3"], 1, "found -3");
    case(
        &["partition", "example-undirected", "--parts", "2", "--lambda", "-1"],
        1,
        "lambda must be a finite number >= 0",
    );
    case(&["partition", "example-undirected", "--parts", "-2"], 2, "invalid value '-2'");
}

#[test]
fn partition_output_is_written_checked_and_damage_is_reported() {
    let dir = tempfile::tempdir().expect("dir");
    let d = dir.path();
    let out = d.join("parts");
    let out_s = out.to_str().expect("utf-8");
    let o = dgraph(&["partition", "kron-10", "-p", "4", "-s", "hep", "-o", out_s], d);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("wrote 4 partition files"), "{}", stderr(&o));
    let info = json(&dgraph(&["info", out_s, "--json"], d));
    assert_eq!(
        (info["parts"].as_u64(), info["strategy"].as_str(), info["checked"].as_bool()),
        (Some(4), Some("hep"), Some(true))
    );
    let edges: u64 =
        info["partitions"].as_array().expect("array").iter().map(|p| p["edges"].as_u64().expect("edges")).sum();
    assert_eq!(Some(edges), info["edges"].as_u64());
    // The engine runs on the stored partitions exactly as on partitions made in memory.
    let (a, b) = (d.join("a.txt"), d.join("b.txt"));
    let (a_s, b_s) = (a.to_str().expect("utf-8"), b.to_str().expect("utf-8"));
    for (args, file) in
        [(vec!["--partitions-from", out_s], a_s), (vec!["--partitions", "4", "--partitioner", "hep"], b_s)]
    {
        let mut all = vec!["run", "pagerank", "kron-10", "-o", file, "--json"];
        all.extend(args);
        let summary = json(&dgraph(&all, d));
        assert_eq!(summary["partitions"].as_u64(), Some(4));
    }
    assert_eq!(std::fs::read(&a).expect("a"), std::fs::read(&b).expect("b"));
    let o = dgraph(&["run", "pagerank", "kron-8", "--partitions-from", out_s], d);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("not of the input kron-8"), "{}", stderr(&o));
    let text = dgraph(&["info", out_s], d);
    assert!(String::from_utf8_lossy(&text.stdout).contains("every file checked"), "{}", stderr(&text));
    // Damage one partition file: info names it and fails.
    let file = out.join("part-00001.dgp");
    let mut bytes = std::fs::read(&file).expect("read");
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    std::fs::write(&file, bytes).expect("write");
    let o = dgraph(&["info", out_s], d);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("part-00001.dgp") && stderr(&o).contains("checksum"), "{}", stderr(&o));
    // A manifest that does not parse.
    std::fs::write(out.join("manifest.json"), "{ \"format\": ").expect("write");
    let o = dgraph(&["info", out.join("manifest.json").to_str().expect("utf-8")], d);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("bad manifest"), "{}", stderr(&o));
    // One partitioning per output directory.
    let o = dgraph(&["partition", "kron-10", "-p", "2,4", "-o", out_s], d);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("one --parts count and one --strategy"), "{}", stderr(&o));
}

#[test]
fn the_default_source_is_the_smallest_id_with_an_out_edge_and_is_reported() {
    let dir = tempfile::tempdir().expect("dir");
    let d = dir.path();
    // Directed: vertex 1 has only an in-edge, so BFS starts at 5.
    let el = d.join("g.el");
    std::fs::write(&el, "5 1\n5 7\n7 9\n").expect("write");
    let out = d.join("bfs.txt");
    let o = dgraph(&["run", "bfs", el.to_str().expect("utf-8"), "--json", "-o", out.to_str().expect("utf-8")], d);
    assert_eq!(json(&o)["source"], 5);
    let depths = std::fs::read_to_string(&out).expect("output");
    assert_eq!(depths, "1 1\n5 0\n7 1\n9 2\n");
    let o = dgraph(&["run", "bfs", el.to_str().expect("utf-8"), "--source", "7"], d);
    assert!(stderr(&o).contains("run        bfs from vertex 7 on"), "{}", stderr(&o));
    // Not reported for algorithms without a source.
    assert!(json(&dgraph(&["run", "wcc", el.to_str().expect("utf-8"), "--json"], d)).get("source").is_none());
}
