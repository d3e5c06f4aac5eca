#!/usr/bin/env bash
# gatehouse bench end to end on a real cluster (base port 16307): a small bench through the
# gatekeeper's HTTP API (when this build has the gatekeeper) and through the proxy's MySQL port,
# and a short `bench sysbench`. Checks the log, the JSON, where reads went (responses and proxy
# counters), then opens bench-report.html in headless Chromium: every chart <svg> must be in the
# rendered DOM, the page must load nothing from the network, and a screenshot is saved to
# build/bench-report.png.
source "$(dirname "$0")/lib.sh"
BASE=16307
DIR=$(mktemp -d /tmp/gh-bench.XXXXXX)
OUT="$DIR/out"
PNG="$GATEHOUSE_SRC/build/bench-report.png"
N=200
gh_up "$DIR" "$BASE" >/dev/null

json() { python3 -c "import json,sys; r=json.load(open('$OUT/bench-last.json')); print($1)"; }

# Which nodes served each phase must match its strategy: direct reads on the source, random and
# customized reads on the replicas only, writes on the source. Checked in the proxy's counters
# (and, for HTTP, in the responses' served_by).
check_routing() {  # check_routing LABEL HTTP(0|1)
  local label=$1 http=$2
  python3 - "$OUT/bench-last.json" "$N" "$http" <<'PY' || fail "$label: routing/figures wrong"
import json, sys
r = json.load(open(sys.argv[1])); n = int(sys.argv[2]); http = sys.argv[3] == "1"
names = [p["name"] for p in r["phases"]]
assert names == ["write", "read-direct", "read-random", "read-customized"], names
for p in r["phases"]:
    assert p["completed"] == n, (p["name"], p["completed"])
    assert p["failed"] == 0, (p["name"], p["errors"])
    lat = p["latency_ms"]
    assert 0 < lat["p50"] <= lat["p90"] <= lat["p99"] <= lat["p99.9"] <= lat["max"], lat
    assert p["throughput"] > 0
    assert p["cpu_us_per_request"]["client"] > 0, p["cpu_us_per_request"]
    d = p["proxy_counters_delta"]
    assert d is not None, p["name"] + ": no proxy counters"
    reads = {k: v["reads"] for k, v in d.items()}
    writes = {k: v["writes"] for k, v in d.items()}
    served = p["served_by"]["reads" if p["kind"] == "read" else "writes"]
    if p["name"] == "write":
        assert writes.get("source", 0) >= n, writes
        assert sum(v for k, v in writes.items() if k != "source") == 0, writes
        if http: assert served == {"source": n}, served
    elif p["name"] == "read-direct":
        assert reads.get("source", 0) >= n, reads
        if http: assert served == {"source": n}, served
    else:
        rep = sum(v for k, v in reads.items() if k.startswith("replica"))
        assert rep >= n and reads.get("source", 0) == 0, (p["name"], reads)
        if http:
            assert sum(served.values()) == n and "source" not in served, served
print("phases ok:", ", ".join("%s %.0f req/s p99 %.2f ms" % (p["name"], p["throughput"], p["latency_ms"]["p99"]) for p in r["phases"]))
PY
  pass "$label: $N requests per phase, 0 errors, reads routed by strategy"
}

# MySQL target (the proxy).
"$GATEHOUSE" bench --dir "$DIR" --out "$OUT" --target mysql --requests $N --concurrency 4 \
  --no-progress >"$DIR/bench-mysql.txt" 2>&1 || fail "bench --target mysql failed: $(tail -20 "$DIR/bench-mysql.txt")"
grep -q "read-customized" "$DIR/bench-mysql.txt" || fail "no table printed"
grep -q "^report: $OUT/bench-report.html" "$DIR/bench-mysql.txt" || fail "report path not printed"
[ "$(json "r['target']")" = mysql ] || fail "target not recorded"
check_routing "bench --target mysql" 0

# HTTP target (the gatekeeper), when this build has it.
if "$GATEHOUSE" gatekeeper --help 2>&1 | head -1 | grep -q "in development"; then
  echo "note: this build has no gatekeeper yet: the HTTP target is not exercised"
  HTTP=0
else
  HTTP=1
  gh_wait_port $((BASE + 40)) 20 || fail "gatekeeper is not listening on $((BASE + 40))"
  "$GATEHOUSE" bench --dir "$DIR" --out "$OUT" --requests $N --concurrency 4 --no-progress \
    >"$DIR/bench-http.txt" 2>&1 || fail "bench (http) failed: $(tail -20 "$DIR/bench-http.txt")"
  [ "$(json "r['target']")" = http ] || fail "target not recorded"
  check_routing "bench (http, through the gatekeeper)" 1
  python3 - "$OUT/bench-last.json" <<'PY' || fail "gatekeeper CPU not measured"
import json, sys
r = json.load(open(sys.argv[1]))
assert all(p["cpu_us_per_request"]["gatekeeper"] > 0 for p in r["phases"]), r["phases"][0]["cpu_us_per_request"]
PY
fi

# --json prints one JSON document on stdout; bad usage is one line and exit 2.
"$GATEHOUSE" bench --dir "$DIR" --out "$DIR/out-json" --target mysql --requests 20 --strategy random \
  --json >"$DIR/bench.json" 2>/dev/null || fail "bench --json failed"
python3 -c "import json; r=json.load(open('$DIR/bench.json')); assert [p['name'] for p in r['phases']]==['write','read-random']" ||
  fail "--json output is not the run's JSON"
set +e
"$GATEHOUSE" bench --dir "$DIR" --target ftp >"$DIR/usage.txt" 2>&1; rc=$?
set -e
[ "$rc" = 2 ] && [ "$(wc -l <"$DIR/usage.txt")" = 1 ] || fail "bad --target: rc=$rc, output: $(cat "$DIR/usage.txt")"
pass "--json and usage errors"

# A custom mix file with an open-loop rate.
cat >"$DIR/mix.txt" <<'MIX'
# 3 point selects for each insert
3 read  SELECT payload FROM gatehouse_bench.requests WHERE id = {id}
1 write INSERT INTO gatehouse_bench.requests (payload) VALUES ({str:16})
MIX
"$GATEHOUSE" bench --dir "$DIR" --out "$DIR/out-mix" --target mysql --mix "$DIR/mix.txt" --strategy random \
  --requests 200 --rate 400 --concurrency 4 --quiet || fail "bench --mix --rate failed"
python3 - "$DIR/out-mix/bench-last.json" <<'PY' || fail "mix/open-loop figures wrong"
import json, sys
p = json.load(open(sys.argv[1]))["phases"][0]
assert p["name"] == "mix-random" and p["kind"] == "mix" and p["target_rate"] == 400, p["name"]
assert p["completed"] == 200 and p["failed"] == 0, p["errors"]
assert 0.3 < p["reads"] / 200 < 0.95 and p["writes"] > 0, (p["reads"], p["writes"])
assert 0.4 < p["wall_s"] < 2.0, p["wall_s"]  # 200 requests scheduled over 0.5 s
PY
pass "mix file, open loop at 400 req/s"

# Stand-alone vs cluster.
"$GATEHOUSE" bench sysbench --dir "$DIR" --out "$OUT" --threads 2 --time 2 --table-size 1000 \
  >"$DIR/sysbench.txt" 2>&1 || fail "bench sysbench failed: $(tail -20 "$DIR/sysbench.txt")"
python3 - "$OUT/bench-sysbench.json" <<'PY' || fail "sysbench results wrong"
import json, sys
r = json.load(open(sys.argv[1]))
rows = {(x["workload"], x["mode"]): x for x in r["rows"]}
for w in ("oltp_point_select", "oltp_read_only", "oltp_read_write"):
    for m in ("stand-alone", "cluster"):
        x = rows[(w, m)]
        assert x["ran"] and x["qps"] > 0 and x["p95_ms"] > 0, x
print("sysbench:", ", ".join("%s %s %.0f qps" % (w, m, x["qps"]) for (w, m), x in rows.items()))
PY
pass "bench sysbench: 3 workloads × 2 ways"

# The log has one block per run; the report opens offline in Chromium with every chart.
blocks=$(grep -c "^gatehouse bench" "$OUT/benchmark_log.txt")
[ "$blocks" = $((2 + HTTP)) ] || fail "benchmark_log.txt has $blocks blocks"
grep -q "CPU per request" "$OUT/benchmark_log.txt" || fail "no CPU figures in the log"
REPORT="$OUT/bench-report.html"
PROFILE="$DIR/chromium-profile"
timeout 120 chromium --headless --no-sandbox --disable-gpu --user-data-dir="$PROFILE" \
  --dump-dom "file://$REPORT" >"$DIR/dom.html" 2>"$DIR/chromium.log" || fail "chromium failed: $(tail -5 "$DIR/chromium.log")"
for id in chart-throughput chart-latency-percentiles chart-latency-over-time chart-read-share chart-cpu chart-sysbench; do
  grep -q "<svg id=\"$id\"" "$DIR/dom.html" || fail "chart $id missing from the rendered DOM"
done
if grep -Eo '(src|href)="[^"#]+' "$DIR/dom.html" | grep -q .; then fail "the report references external resources"; fi
pass "report DOM has all 6 charts and no external resources"
mkdir -p "$(dirname "$PNG")"
rm -f "$PNG"
timeout 120 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$PROFILE" \
  --window-size=1280,2400 --screenshot="$PNG" "file://$REPORT" >>"$DIR/chromium.log" 2>&1 || fail "screenshot failed"
[ -s "$PNG" ] || fail "no screenshot"
cp "$REPORT" "$GATEHOUSE_SRC/build/bench-report.html"
pass "screenshot: $PNG (report copy: $GATEHOUSE_SRC/build/bench-report.html)"
echo "bench_report: all checks passed"
