#!/usr/bin/env python3
"""Formats the results of bench/gatekeeper_wrk.sh.

Input: results.jsonl (one JSON object per measured wrk row) and meta.json (machine facts,
options, commands). Output: a plain-text summary on stdout, a markdown report file, and
optionally the section of docs/benchmarks.md between the http markers (the file is re-read
right before it is written and only the part between the markers is replaced; if the markers
are missing, a section with them is appended at the end).

Only the standard library is used.
"""
import sys

from report_common import md_table, per_unit_us, ratio, report_main, spread, text_table, update_section

BEGIN = "<!-- http:begin -->"
END = "<!-- http:end -->"
SECTION_TITLE = "## HTTP: gatehouse vs the FastAPI baseline"
SECTION_INTRO = ("Reproduce with `bench/gatekeeper_wrk.sh` (4 to 8 minutes with the defaults: "
                 "rows disturbed by other processes are repeated; `--help`). The part between the "
                 "markers is generated: edits inside are overwritten.")

TARGETS = {
    "baseline": "FastAPI baseline",
    "gatehouse_params": "gatehouse, `params`",
    "gatehouse_literal": "gatehouse, literal",
}
ORDER = list(TARGETS)
THROUGHPUT_TARGET = 20.0  # gatehouse req/s >= 20x the baseline's
P99_TARGET = 0.10  # gatehouse p99 <= 1/10 of the baseline's
REFERENCE = {"rps": 800.0, "p99_ms": 170.0}  # the baseline figures on this machine type


def enrich(rows):
    for r in rows:
        clk = r.get("clk_tck", 100)
        r["stack_us"] = per_unit_us(r.get("stack_ticks"), clk, r.get("requests"))
        r["front_us"] = per_unit_us(r.get("front_ticks"), clk, r.get("requests"))
        r["proxy_us"] = per_unit_us(r.get("proxy_ticks"), clk, r.get("requests"))
        r["db_us"] = per_unit_us(r.get("db_ticks"), clk, r.get("requests"))
        r["client_us"] = per_unit_us(r.get("client_ticks"), clk, r.get("requests"))
    return rows


def fmt(v, digits=0, suffix=""):
    if v is None:
        return "—"
    return f"{v:,.{digits}f}{suffix}"


def index(rows):
    return {(r["run"], r["connections"], r["target"]): r for r in rows}


ROW_HEADER = ["stack", "req/s", "avg ms", "p50 ms", "p99 ms", "requests", "socket errors",
              "non-2xx", "stack CPU µs/req (front + proxy)", "mariadbd CPU µs/req",
              "wrk CPU µs/req", "others' CPU", "load (1 min)"]


def split_cell(r):
    if r.get("stack_us") is None:
        return "—"
    if r.get("front_us") is None or r.get("proxy_us") is None:
        return fmt(r["stack_us"])
    return f"{fmt(r['stack_us'])} ({fmt(r['front_us'])} + {fmt(r['proxy_us'])})"


def row_cells(r):
    errors = str(r.get("socket_errors", 0))
    if r.get("rc", 0) != 0:
        errors += f" (wrk exit {r['rc']})"
    return [TARGETS[r["target"]], fmt(r.get("rps")), fmt(r.get("avg_ms"), 2), fmt(r.get("p50_ms"), 2),
            fmt(r.get("p99_ms"), 2), fmt(r.get("requests")), errors, fmt(r.get("non2xx")),
            split_cell(r), fmt(r["db_us"], 0), fmt(r["client_us"], 0),
            fmt(r.get("others_pct"), 1, " %"), (r.get("loadavg") or "?").split()[0]]


def run_rows(rows, run, conns):
    idx = index(rows)
    return [row_cells(idx[(run, conns, t)]) for t in ORDER if (run, conns, t) in idx]


def total_us(r):
    """CPU per request of every process of the benchmark on that row (stack, mariadbd, wrk)."""
    parts = [r.get("stack_us"), r.get("db_us"), r.get("client_us")]
    return None if any(p is None for p in parts) else sum(parts)


def run_ratios(rows, run, conns):
    idx = index(rows)
    b = idx.get((run, conns, "baseline"))
    out = {}
    for t in ("gatehouse_params", "gatehouse_literal"):
        g = idx.get((run, conns, t))
        if not (b and g):
            continue
        out[t] = {
            "rps": ratio(g.get("rps"), b.get("rps")),
            "p99": ratio(g.get("p99_ms"), b.get("p99_ms")),
            "cpu": ratio(b.get("stack_us"), g.get("stack_us")),
            "cpu_all": ratio(total_us(b), total_us(g)),
            "ref_rps": ratio(g.get("rps"), REFERENCE["rps"]),
            "ref_p99": ratio(g.get("p99_ms"), REFERENCE["p99_ms"]),
            "clean": not (g.get("socket_errors") or g.get("non2xx") or b.get("socket_errors")
                          or b.get("non2xx")),
        }
    return out


RATIO_HEADER = ["gatehouse path", "req/s ÷ baseline", "p99 ÷ baseline p99",
                "stack CPU/req: baseline ÷ gatehouse", "all CPU/req: baseline ÷ gatehouse",
                "≥ 20× req/s", "≤ 1/10 p99"]


def met(ok):
    return "**met**" if ok else "**NOT met**"


def ratio_rows(ratios, markdown=True):
    out = []
    for t, q in ratios.items():
        rps_ok = q["rps"] is not None and q["rps"] >= THROUGHPUT_TARGET and q["clean"]
        p99_ok = q["p99"] is not None and q["p99"] <= P99_TARGET and q["clean"]
        yes = (lambda ok: met(ok)) if markdown else (lambda ok: "met" if ok else "NOT met")
        out.append([TARGETS[t], fmt(q["rps"], 1, "×"), fmt(q["p99"], 3), fmt(q["cpu"], 1, "×"),
                    fmt(q["cpu_all"], 1, "×"), yes(rps_ok), yes(p99_ok)])
    return out


def measured_runs(rows, conns):
    return sorted({r["run"] for r in rows if r["connections"] == conns and r["run"] > 0})


def summary(rows, conns):
    runs = measured_runs(rows, conns)
    idx = index(rows)
    body = []
    for t in ORDER:
        rs = [idx.get((run, conns, t)) for run in runs]
        rs = [r for r in rs if r]
        if not rs:
            continue
        body.append([TARGETS[t], str(len(rs)), spread([r.get("rps") for r in rs], 0),
                     spread([r.get("p50_ms") for r in rs], 2), spread([r.get("p99_ms") for r in rs], 2),
                     spread([r["stack_us"] for r in rs], 0),
                     str(sum((r.get("socket_errors") or 0) + (r.get("non2xx") or 0) for r in rs))])
    return runs, body


SUMMARY_HEADER = ["stack", "runs", "req/s", "p50 ms", "p99 ms", "stack CPU µs/req",
                  "errors + non-2xx"]


def verdicts(rows, conns):
    """-> list of (path, rps_ratios, p99_ratios, rps_met_runs, p99_met_runs, n)."""
    runs = measured_runs(rows, conns)
    out = []
    for t in ("gatehouse_params", "gatehouse_literal"):
        rr, pr, rok, pok = [], [], 0, 0
        for run in runs:
            q = run_ratios(rows, run, conns).get(t)
            if not q:
                continue
            rr.append(q["rps"])
            pr.append(q["p99"])
            rok += int(q["rps"] is not None and q["rps"] >= THROUGHPUT_TARGET and q["clean"])
            pok += int(q["p99"] is not None and q["p99"] <= P99_TARGET and q["clean"])
        if rr:
            out.append((t, rr, pr, rok, pok, len(rr)))
    return out


def quiet_runs(rows, conns, threshold):
    """Runs whose baseline and gatehouse `params` rows both had others' CPU <= threshold."""
    idx = index(rows)
    out = []
    for run in measured_runs(rows, conns):
        pair = [idx.get((run, conns, t)) for t in ("baseline", "gatehouse_params")]
        if all(r and r.get("others_pct") is not None and r["others_pct"] <= threshold for r in pair):
            out.append(run)
    return out


def verdict_lines(rows, conns, markdown=True, threshold=None):
    b = "**" if markdown else ""
    lines = []
    for t, rr, pr, rok, pok, n in verdicts(rows, conns):
        rmean = sum(v for v in rr if v is not None) / max(1, len([v for v in rr if v is not None]))
        pmean = sum(v for v in pr if v is not None) / max(1, len([v for v in pr if v is not None]))
        state = lambda k: "MET" if k == n else "NOT MET"  # met only when met in every run
        lines.append(
            f"{TARGETS[t]}: throughput target (≥ {THROUGHPUT_TARGET:.0f}× the baseline) "
            f"{b}{state(rok)}{b} (met in {rok} of {n} runs; mean {rmean:.1f}×, "
            f"min {min(v for v in rr if v is not None):.1f}×); "
            f"p99 target (≤ 1/10 of the baseline's) {b}{state(pok)}{b} (met in {pok} of {n} runs; "
            f"mean {pmean:.3f}, max {max(v for v in pr if v is not None):.3f}).")
    if threshold is not None:
        runs = quiet_runs(rows, conns, threshold)
        n = len(measured_runs(rows, conns))
        if runs and len(runs) < n:
            qs = [run_ratios(rows, run, conns)["gatehouse_params"] for run in runs]
            lines.append(
                f"Only the {len(runs)} of {n} runs whose baseline and gatehouse `params` rows both "
                f"had others' CPU ≤ {threshold} % (run {', '.join(map(str, runs))}): throughput "
                + ", ".join(f"{q['rps']:.1f}×" for q in qs) + "; p99 fraction "
                + ", ".join(f"{q['p99']:.3f}" for q in qs) + ".")
        elif not runs:
            lines.append(f"No run had both rows below {threshold} % others' CPU.")
    return lines


def render_markdown(meta, rows):
    o, m = meta["options"], meta["machine"]
    conns = o["connections"]
    runs = measured_runs(rows, conns)
    idx = index(rows)
    L = []
    L.append(f"Measured **{meta['date']}** by `bench/gatekeeper_wrk.sh` (gatehouse: "
             f"{meta.get('gatehouse_rev', '?')}).")
    L.append("")
    L.append(f"**Machine.** {m['nproc']} CPUs (`nproc`), {m['cpu_model']}, {m['mem']}, kernel "
             f"{m['kernel']}; {m['mariadb']}; {m['wrk']}; baseline: {m['baseline_sw']}. "
             f"Load average before the first row: {meta['loadavg_start']} "
             f"(compiler processes running at that moment: {meta['compilers_start']}), after the "
             f"last: {meta['loadavg_end']} (compilers: {meta['compilers_end']}). The machine is "
             "shared: absolute numbers are noisy, compare the two stacks within a run (each row "
             "also shows the 1-minute load when it started).")
    L.append("")
    L.append(f"**Setup.** One `gatehouse up` cluster (1 source + 2 replicas) on base port "
             f"{o['base_port']}; both stacks read the same replicas. Workload: `POST` point selects "
             "by primary key on `sakila.actor` (200 rows), `actor_id` cycling 1..200, strategy "
             f"`random` (a random replica), wrk `-t{o['wrk_threads']} -c{conns} -d{o['time']}s "
             "--timeout 10s --latency` with `bench/lib/gatekeeper_wrk.lua` (keep-alive connections). "
             f"An unmeasured {o['warmup']} s warm-up of each stack, then {len(runs)} measured runs; "
             "odd runs measure baseline → gatehouse `params` → gatehouse literal, even runs the "
             "reverse, so a drift of the background load does not always favour one side.")
    q = meta.get("quiet")
    if q:
        L[-1] += (f" A row during which other people's processes took more than "
                  f"{q['threshold_pct']} % of the machine's CPU (*others' CPU* below) was measured "
                  f"again after {q['settle_s']} s, at most {q['retries']} times (then the last "
                  f"attempt is kept); {q['rejected']} attempt(s) were rejected this way "
                  "(`OUT/rejected.jsonl`).")
    L.append("")
    L.append(f"* **FastAPI baseline** (`../shared/baselines/fastapi-stack`, unchanged, started with "
             f"its `start.sh up`): uvicorn gatekeeper on 127.0.0.1:{o['bl_port']} (1 worker) → "
             f"`requests.post` (a new TCP connection per request) → uvicorn proxy on "
             f"127.0.0.1:{o['bl_proxy_port']} (1 worker) → a **new pymysql connection per request** "
             f"to a random replica as the cluster's `[app]` user (`{o['app_user']}`). Body "
             "`{\"query\": \"SELECT actor_id, first_name, last_name FROM sakila.actor WHERE "
             "actor_id = N\", \"strategy\": \"random\"}`; it has no authentication.")
    L.append(f"* **gatehouse**: gatekeeper HTTP/JSON API on 127.0.0.1:{o['base_port'] + 40} "
             f"(`[gatekeeper] threads = {o['gk_threads']}`) with the demo read key "
             "(`Authorization: Bearer`, policy check, digest, audit path) → its pooled upstream "
             f"connections → `gatehouse proxy` (`[proxy] threads = {o['proxy_threads']}`"
             + (f", `pipeline_depth = {o['pipeline_depth']}`: reads of different requests "
                "pipelined on shared backend connections; the default, 1, does not"
                if o.get("pipeline_depth", 1) > 1 else "")
             + ") → a random "
             "replica. **`params`**: `{\"sql\": \"... WHERE actor_id = ?\", \"params\": [N]}`, a "
             "prepared statement upstream (the normal path); **literal**: the same SQL with N "
             f"inlined, for fairness. {meta['rate_note']}.")
    L.append("* CPU columns: utime+stime from `/proc/PID/stat` before and after each row, "
             "`µs/req = Δticks × 1e6 / CLK_TCK / requests` (CLK_TCK = "
             f"{rows[0].get('clk_tck', 100) if rows else 100}). *stack* = gatekeeper + proxy "
             "processes (all threads) for gatehouse, the two uvicorn processes for the baseline; "
             "*mariadbd* = the three nodes; *wrk* = the load generator. *others' CPU* = the "
             "machine's busy time (`/proc/stat`) minus all of the above and the idle stack, as a "
             "share of all CPUs over the row: the CPU that other people's processes took (their "
             "builds and tests), i.e. the background noise of that row. The load average includes "
             "the benchmark's own runnable threads (wrk, uvicorn's thread pool, mariadbd), so it "
             "is high even on an otherwise idle machine. Errors: wrk's socket errors "
             "(connect/read/write/timeout); non-2xx: HTTP answers other than 2xx/3xx.")
    L.append("")
    for run in runs:
        L.append(f"### Run {run} of {len(runs)} ({conns} connections)")
        L.append("")
        L.append(md_table(ROW_HEADER, run_rows(rows, run, conns)))
        L.append("")
        L.append(md_table(RATIO_HEADER, ratio_rows(run_ratios(rows, run, conns))))
        L.append("")
    if len(runs) > 1:
        L.append(f"### All {len(runs)} runs at {conns} connections: mean (min–max)")
        L.append("")
        _, body = summary(rows, conns)
        L.append(md_table(SUMMARY_HEADER, body))
        L.append("")
    L.append("### Verdict (the issue's targets, at 32 connections)")
    L.append("")
    if conns != 32:
        L.append(f"(This invocation used {conns} connections, not 32.)")
        L.append("")
    q = meta.get("quiet") or {}
    for line in verdict_lines(rows, conns, threshold=q.get("threshold_pct")):
        L.append("* " + line)
    bs = [idx[(run, conns, "baseline")] for run in runs if (run, conns, "baseline") in idx]
    gs = [idx[(run, conns, "gatehouse_params")] for run in runs if (run, conns, "gatehouse_params") in idx]
    if bs and gs:
        b_rps = sum(r["rps"] or 0 for r in bs) / len(bs)
        b_p99 = sum(r["p99_ms"] or 0 for r in bs) / len(bs)
        g_rps = sum(r["rps"] or 0 for r in gs) / len(gs)
        g_p99 = sum(r["p99_ms"] or 0 for r in gs) / len(gs)
        L.append(f"* The baseline measured here: {b_rps:,.0f} req/s, p99 {b_p99:.0f} ms (mean of "
                 f"{len(bs)} runs); the issue's reference on this machine type: about "
                 f"{REFERENCE['rps']:.0f} req/s, p99 about {REFERENCE['p99_ms']:.0f} ms. Against "
                 f"that reference, gatehouse `params` ({g_rps:,.0f} req/s, p99 {g_p99:.2f} ms) is "
                 f"{g_rps / REFERENCE['rps']:.1f}× the throughput and {g_p99 / REFERENCE['p99_ms']:.3f} "
                 "of the p99.")
    if bs and gs:
        tot = [sum(r.get(k) or 0 for k in ("stack_us", "db_us", "client_us")) for r in gs]
        tot_mean = sum(tot) / len(tot)
        st = sum(r["stack_us"] or 0 for r in gs) / len(gs)
        db = sum(r["db_us"] or 0 for r in gs) / len(gs)
        cl = sum(r["client_us"] or 0 for r in gs) / len(gs)
        ncpu = int(meta["machine"]["nproc"])
        need = THROUGHPUT_TARGET * b_rps
        need_ref = THROUGHPUT_TARGET * REFERENCE["rps"]
        L.append(f"* CPU budget: per gatehouse `params` request, the processes of this benchmark used "
                 f"{tot_mean:,.0f} µs of CPU in all (gatekeeper + proxy {st:,.0f}, mariadbd {db:,.0f}, "
                 f"wrk {cl:,.0f}). On {ncpu} CPUs that allows at most about "
                 f"{ncpu * 1e6 / tot_mean:,.0f} req/s on this machine, whatever the latency. "
                 f"20× the baseline measured here is {need:,.0f} req/s, i.e. at most "
                 f"{ncpu * 1e6 / need:,.0f} µs per request in all; 20× the issue's 800 req/s "
                 f"is {need_ref:,.0f} req/s, i.e. at most {ncpu * 1e6 / need_ref:,.0f} µs per request "
                 "(mariadbd and wrk included). When both stacks saturate the same CPUs, the "
                 "throughput ratio tends to the ratio of all CPU per request (the *all CPU/req* "
                 "column).")
    L.append("")
    singles = [idx[(0, 1, t)] for t in ORDER if (0, 1, t) in idx]
    if singles:
        L.append("### 1 connection (`-t1 -c1`, one run)")
        L.append("")
        L.append(md_table(ROW_HEADER, [row_cells(r) for r in singles]))
        b = idx.get((0, 1, "baseline"))
        g = idx.get((0, 1, "gatehouse_params"))
        if b and g and b.get("rps") and g.get("avg_ms"):
            L.append("")
            L.append(f"At 1 connection gatehouse `params` served {g['rps'] / b['rps']:.1f}× the "
                     f"baseline's requests per second (average latency {g['avg_ms']:.2f} ms vs "
                     f"{b['avg_ms']:.2f} ms; the baseline's README: about 510 req/s, 2.5 ms).")
        L.append("")
    L.append("### Commands")
    L.append("")
    L.append("```sh")
    L.extend(meta.get("commands", []))
    L.append("```")
    return "\n".join(L)


def render_text(meta, rows):
    conns = meta["options"]["connections"]
    out = []
    for run in measured_runs(rows, conns):
        out.append(f"== run {run} ({conns} connections) ==")
        out.append(text_table(ROW_HEADER, [[c.replace("`", "") for c in r] for r in run_rows(rows, run, conns)]))
        out.append(text_table(RATIO_HEADER, [[c.replace("`", "") for c in r] for r in ratio_rows(run_ratios(rows, run, conns), markdown=False)]))
        out.append("")
    singles = [r for r in rows if r["run"] == 0 and r["connections"] == 1]
    if singles:
        out.append("== 1 connection ==")
        out.append(text_table(ROW_HEADER, [[c.replace("`", "") for c in row_cells(r)] for r in singles]))
        out.append("")
    q = meta.get("quiet") or {}
    out.extend(line.replace("`", "") for line in
               verdict_lines(rows, conns, markdown=False, threshold=q.get("threshold_pct")))
    return "\n".join(out)


def update_docs(path, block):
    update_section(path, BEGIN, END, block, SECTION_TITLE, SECTION_INTRO)


def main():
    return report_main(__doc__, enrich, render_text, render_markdown, update_docs)


if __name__ == "__main__":
    sys.exit(main())
