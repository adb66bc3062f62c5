#!/usr/bin/env bash
# include_graph.sh — the include graph between modules (a module is x.c
# with x.h, under util/ parser/ store/ crawler/ cli/) has no cycle, and
# store/ includes nothing from parser/ (the archive takes its own input
# types). Prints each cycle with the #include lines that make it. The
# checker first proves on a made-up tree that it does see a cycle and a
# store -> parser include, so that it cannot pass by seeing nothing.
set -u
: "${NA_SRCDIR:?}"
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3) || { echo "include_graph: no python3: skipped"; exit 77; }
T=$(mktemp -d "${TMPDIR:-/tmp}/na-incl-XXXXXX")
trap 'rm -rf "$T"' EXIT

cat >"$T/check.py" <<'PYEOF'
import os, re, sys

DIRS = ("util", "parser", "store", "crawler", "web", "cli")
INC = re.compile(r'^\s*#\s*include\s+"([a-z0-9_]+/[a-z0-9_]+)\.h"')

def graph(root):
    """module -> {dependency: "file:line"} from the #include lines."""
    mods = {}
    for d in DIRS:
        p = os.path.join(root, d)
        if not os.path.isdir(p):
            continue
        for f in sorted(os.listdir(p)):
            if not (f.endswith(".c") or f.endswith(".h")):
                continue
            m = d + "/" + f[:-2]
            deps = mods.setdefault(m, {})
            with open(os.path.join(p, f), errors="replace") as fh:
                for no, line in enumerate(fh, 1):
                    hit = INC.match(line)
                    if hit and hit.group(1) != m:
                        deps.setdefault(hit.group(1), "%s/%s:%d" % (d, f, no))
    return mods

def sccs(mods):
    """Tarjan's strongly connected components, without recursion."""
    index, low, on, stack, out, n = {}, {}, set(), [], [], 0
    for root in sorted(mods):
        if root in index:
            continue
        work = [(root, iter(sorted(mods[root])))]
        index[root] = low[root] = n; n += 1
        stack.append(root); on.add(root)
        while work:
            v, it = work[-1]
            for w in it:
                if w not in mods:
                    continue
                if w not in index:
                    index[w] = low[w] = n; n += 1
                    stack.append(w); on.add(w)
                    work.append((w, iter(sorted(mods[w]))))
                    break
                if w in on:
                    low[v] = min(low[v], index[w])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[v])
                if low[v] == index[v]:
                    comp = []
                    while True:
                        w = stack.pop(); on.discard(w); comp.append(w)
                        if w == v:
                            break
                    if len(comp) > 1:
                        out.append(sorted(comp))
    return out

def one_cycle(mods, comp):
    """A shortest cycle through comp's first module (breadth-first)."""
    start, inside = comp[0], set(comp)
    prev, todo = {start: None}, [start]
    for v in todo:
        for w in sorted(mods[v]):
            if w == start:
                path = [v]
                while prev[path[-1]] is not None:
                    path.append(prev[path[-1]])
                return path[::-1] + [start]
            if w in inside and w not in prev:
                prev[w] = v
                todo.append(w)
    return comp + [comp[0]]

def check(root):
    mods = graph(root)
    bad = 0
    for comp in sccs(mods):
        bad += 1
        cyc = one_cycle(mods, comp)
        print("cycle between modules %s:" % ", ".join(comp))
        for a, b in zip(cyc, cyc[1:]):
            print("    %s -> %s   (%s)" % (a, b, mods[a][b]))
    for m in sorted(mods):
        if m.startswith("store/"):
            for dep, where in sorted(mods[m].items()):
                if dep.startswith("parser/"):
                    bad += 1
                    print("store/ includes parser/: %s -> %s   (%s)" % (m, dep, where))
    return bad

if __name__ == "__main__":
    sys.exit(1 if check(sys.argv[1]) else 0)
PYEOF

# ---- the checker sees what it must see (a made-up tree) ----
F="$T/fake"
mkdir -p "$F/util" "$F/store" "$F/parser" "$F/crawler"
printf '#include "util/b.h"\n' >"$F/util/a.c"
printf '#include "util/c.h"\n' >"$F/util/b.h"
printf '#include "util/a.h"\n' >"$F/util/c.c"
printf '#include "util/a.h"\n#include "parser/x.h"\n' >"$F/store/s.c"
printf '#include "util/a.h"\n' >"$F/parser/x.h"
printf '#include "crawler/q.h"\n' >"$F/crawler/p.c"
printf '/* no includes */\n' >"$F/crawler/q.h"
"$PY" "$T/check.py" "$F" >"$T/fake.out" 2>&1
rc=$?
[ $rc -eq 1 ] || { echo "FAIL: the checker passed a tree with a cycle (exit $rc):"; cat "$T/fake.out"; exit 1; }
grep -q "cycle between modules util/a, util/b, util/c" "$T/fake.out" &&
  grep -q "util/c -> util/a   (util/c.c:1)" "$T/fake.out" &&
  grep -q "store/ includes parser/: store/s -> parser/x   (store/s.c:2)" "$T/fake.out" ||
  { echo "FAIL: the checker did not name the made-up cycle and include:"; cat "$T/fake.out"; exit 1; }
if grep -q "crawler/" "$T/fake.out"; then
  echo "FAIL: the checker reported an acyclic include:"; cat "$T/fake.out"; exit 1
fi
rm -f "$F/store/s.c" "$F/util/c.c"
"$PY" "$T/check.py" "$F" >"$T/fake.out" 2>&1 ||
  { echo "FAIL: the checker failed a tree without a cycle:"; cat "$T/fake.out"; exit 1; }

# ---- the sources ----
if ! "$PY" "$T/check.py" "$NA_SRCDIR" >"$T/real.out" 2>&1; then
  echo "FAIL: the include graph between modules has a cycle or store/ includes parser/:"
  cat "$T/real.out"
  exit 1
fi
echo "ok: no include cycle between modules; store/ includes nothing from parser/"
