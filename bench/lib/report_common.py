"""The pieces both benchmark reports share (proxy_report.py for bench/proxy_sysbench.sh,
gatekeeper_wrk_report.py for bench/gatekeeper_wrk.sh): CPU per unit of work, ratios, text and
markdown tables, mean (min–max) cells, rewriting one generated section of docs/benchmarks.md,
and the command line that ties them together."""
import argparse
import json
import os
import sys
import tempfile


def per_unit_us(ticks, clk_tck, count):
    """CPU microseconds per query or request, from /proc clock ticks."""
    if ticks is None or not count:
        return None
    return ticks * 1e6 / clk_tck / count


def ratio(a, b):
    if a is None or b is None or not b:
        return None
    return a / b


def md_table(header, body, labels=1):
    """A markdown table; the first `labels` columns left-aligned, the rest right-aligned."""
    out = ["| " + " | ".join(header) + " |",
           "|" + "|".join("---" if i < labels else "---:" for i in range(len(header))) + "|"]
    out += ["| " + " | ".join(r) + " |" for r in body]
    return "\n".join(out)


def text_table(header, body, labels=1):
    widths = [len(h) for h in header]
    for row in body:
        widths = [max(w, len(c)) for w, c in zip(widths, row)]
    line = lambda cells: "  ".join(c.ljust(w) if i < labels else c.rjust(w)
                                   for i, (c, w) in enumerate(zip(cells, widths)))
    return "\n".join([line(header), line(["-" * w for w in widths])] + [line(r) for r in body])


def spread(values, digits=1, suffix=""):
    """"mean (min–max)" of the values that are not None, "—" when none is."""
    values = [v for v in values if v is not None]
    if not values:
        return "—"
    mean = sum(values) / len(values)
    if len(values) == 1:
        return f"{mean:,.{digits}f}{suffix}"
    return f"{mean:,.{digits}f}{suffix} ({min(values):,.{digits}f}–{max(values):,.{digits}f})"


def update_section(path, begin, end, block, title, intro=None, skeleton="# Benchmarks\n"):
    """Replaces what stands between the `begin` and `end` markers of `path` with `block`, adding
    the markers (under `title`, after `intro`) when they are missing. The file is re-read right
    before it is replaced atomically: other sections of it change concurrently."""
    text = open(path, encoding="utf-8").read() if os.path.exists(path) else skeleton
    if begin not in text or end not in text:
        if title not in text:
            lead = f"{title}\n\n{intro}\n\n" if intro else f"{title}\n\n"
            text = text.rstrip("\n") + f"\n\n{lead}{begin}\n{end}\n"
        else:
            at = text.index(title) + len(title)
            text = text[:at] + f"\n\n{begin}\n{end}\n" + text[at:]
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    new = head + begin + "\n" + block.rstrip("\n") + "\n" + end + tail
    d = os.path.dirname(os.path.abspath(path))
    mode = os.stat(path).st_mode & 0o777 if os.path.exists(path) else 0o644
    fd, tmp = tempfile.mkstemp(dir=d, prefix=".benchmarks.", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(new)
    os.chmod(tmp, mode)
    os.replace(tmp, path)


def report_main(description, enrich, render_text, render_markdown, update_docs):
    """--results (JSON lines) --meta (JSON) [--markdown FILE] [--docs FILE]: prints the text
    report, writes the markdown one, and updates the docs section. Exit 1 when nothing ran."""
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--results", required=True)
    ap.add_argument("--meta", required=True)
    ap.add_argument("--markdown", help="write the markdown report here")
    ap.add_argument("--docs", help="update this docs file between the report's markers")
    a = ap.parse_args()
    with open(a.results, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    with open(a.meta, encoding="utf-8") as f:
        meta = json.load(f)
    if not rows:
        print("no rows measured", file=sys.stderr)
        return 1
    enrich(rows)
    print(render_text(meta, rows))
    md = render_markdown(meta, rows)
    if a.markdown:
        with open(a.markdown, "w", encoding="utf-8") as f:
            f.write(md + "\n")
    if a.docs:
        update_docs(a.docs, md)
        print(f"updated {a.docs}")
    return 0
