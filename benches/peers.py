#!/usr/bin/env python3
"""Side-by-side algorithm times: dgraph vs NetworKit and igraph (installed from PyPI here) and the
`graph` crate (crates.io; benches/graph_crate.rs) on the same graphs, in the same run, with the
same thread count. Times exclude loading; each is the median of RUNS runs (5 for the graph
crate). PageRank runs 20 fixed iterations in dgraph, NetworKit and the graph crate (which
computes in f32, as does its SSSP; the `_single` rows are dgraph's `--precision single` against
them); igraph's
PRPACK solves PageRank exactly (no iteration count). The graph crate
0.3 has no BFS; triangle counting is compared with it only.

    python3 benches/peers.py [--graphs kron-20,urand-20] [--threads 2] [--runs 5]

The graph crate's benchmark also times dgraph's engine in its own process (median of 5 after
loading, like the crate); the last two columns compare those like for like.

Needs a release build of dgraph (cargo build --release). Writes a JSON record to stdout's last
line and a table before it."""
import argparse, json, os, statistics, subprocess, sys, tempfile, time

def ensure(pkg, module):
    try:
        return __import__(module)
    except ImportError:
        subprocess.check_call([sys.executable, "-m", "pip", "install", "-q", pkg])
        return __import__(module)

def median_time(fn, runs):
    times = []
    for _ in range(runs):
        t = time.perf_counter(); fn(); times.append(time.perf_counter() - t)
    return statistics.median(times)

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--graphs", default="kron-20,urand-20")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--dgraph", default=os.path.join(os.path.dirname(__file__), "..", "target", "release", "dgraph"))
    args = ap.parse_args()
    nk = ensure("networkit", "networkit")
    ig = ensure("igraph", "igraph")
    nk.setNumberOfThreads(args.threads)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    records = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.graphs.split(","):
            el = os.path.join(tmp, name + ".wel")
            subprocess.check_call([args.dgraph, "-q", "generate", name, "-o", el, "--weighted"], stderr=subprocess.DEVNULL)
            with open(el) as f:
                source = int(f.readline().split()[0])
            n = 1 << int(name.split("-")[1]) if name.split("-")[0] in ("kron", "urand") else None
            def dg(algo, extra=()):
                out = []
                for _ in range(args.runs):
                    r = subprocess.run([args.dgraph, "-q", "--threads", str(args.threads), "run", algo, name, "--weighted", "--json", *extra],
                                       capture_output=True, text=True, check=True)
                    out.append(json.loads(r.stdout)["algorithm_seconds"])
                return statistics.median(out)
            row = {"graph": name, "source": source, "threads": args.threads, "commit": commit}
            row["dgraph"] = {
                "pagerank": dg("pagerank", ["--iterations", "20"]),
                # f32 ranks, the graph crate's precision (NetworKit and igraph compute in f64).
                "pagerank_single": dg("pagerank", ["--iterations", "20", "--precision", "single"]),
                "bfs": dg("bfs", ["--source", str(source)]),
                "wcc": dg("wcc"),
                "sssp": dg("sssp", ["--source", str(source)]),
                "sssp_single": dg("sssp", ["--source", str(source), "--precision", "single"]),
                "tc": dg("tc"),
            }
            root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
            r = subprocess.run(["cargo", "bench", "-q", "--bench", "graph_crate", "--", f"{name}:{source}"], cwd=root,
                               env={**os.environ, "RAYON_NUM_THREADS": str(args.threads)},
                               capture_output=True, text=True, check=True)
            row["graph_crate"] = json.loads(r.stdout.strip().splitlines()[-1])
            reader = nk.graphio.EdgeListReader(" ", 0, continuous=True, directed=False)
            g = reader.read(el)
            if n is not None:
                while g.numberOfNodes() < n:
                    g.addNode()
            def nk_pr():
                pr = nk.centrality.PageRank(g, damp=0.85, tol=1e-300)
                pr.maxIterations = 20
                pr.run()
            row["networkit"] = {
                "pagerank": median_time(nk_pr, args.runs),
                "bfs": median_time(lambda: nk.distance.BFS(g, source, storePaths=False).run(), args.runs),
                "wcc": median_time(lambda: nk.components.ConnectedComponents(g).run(), args.runs),
                "sssp": median_time(lambda: nk.distance.Dijkstra(g, source, storePaths=False).run(), args.runs),
            }
            del g
            edges, weights = [], []
            with open(el) as f:
                for line in f:
                    u, v, w = line.split()
                    edges.append((int(u), int(v))); weights.append(float(w))
            h = ig.Graph(n=n or 0, edges=edges, directed=False)
            h.es["weight"] = weights
            del edges, weights
            row["igraph"] = {
                "pagerank (exact, PRPACK)": median_time(lambda: h.pagerank(damping=0.85), args.runs),
                "bfs": median_time(lambda: h.bfs(source), args.runs),
                "wcc": median_time(lambda: h.connected_components(mode="weak"), args.runs),
                "sssp": median_time(lambda: h.distances(source=source, weights="weight"), args.runs),
            }
            del h
            records.append(row)
            print(f"\n{name} (threads {args.threads}, commit {commit}; seconds, median of {args.runs}; ratio = peer / dgraph)")
            print(f"{'algorithm':<15} {'dgraph':>9} {'networkit':>10} {'ratio':>6} {'igraph':>9} {'ratio':>6} {'graph':>9} {'ratio':>6} {'dgraph-in-proc':>14} {'ratio':>6}")
            cell = lambda t, d: (f"{t:>9.4f}", f"{t / d:>6.2f}") if t is not None else (f"{'-':>9}", f"{'-':>6}")
            for algo in ("pagerank", "pagerank_single", "bfs", "wcc", "sssp", "sssp_single", "tc"):
                d = row["dgraph"][algo]
                k = row["networkit"].get(algo)
                i = row["igraph"].get("pagerank (exact, PRPACK)" if algo == "pagerank" else algo)
                # The crate's PageRank and SSSP are f32: compared with both of dgraph's precisions.
                c = row["graph_crate"].get(algo.removesuffix("_single"))
                cols = [cell(k, d), cell(i, d), cell(c, d)]
                # The graph crate's process also times dgraph's engine (same process, same warm
                # state, runs alternating with the crate's): the median of its per-round ratios
                # is the like-for-like one.
                inproc = row["graph_crate"].get("dgraph_in_process", {}).get(algo)
                pair = row["graph_crate"].get("paired_ratio", {}).get(algo)
                last = (f"{inproc:>14.4f}" if inproc else f"{'-':>14}", f"{pair:>6.2f}" if pair else f"{'-':>6}")
                print(f"{algo:<15} {d:>9.4f} {cols[0][0]:>10} {cols[0][1]} {cols[1][0]} {cols[1][1]} {cols[2][0]} {cols[2][1]} {last[0]} {last[1]}")
    print(json.dumps(records))

if __name__ == "__main__":
    main()
