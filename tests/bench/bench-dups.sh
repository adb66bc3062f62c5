#!/usr/bin/env bash
# bench-dups.sh — what near-duplicate detection costs a crawl (issue 13: at
# most 5% of crawl CPU). Crawls the sitegen "syndication" preset (3 sites,
# 150 articles, the fixture server on 127.0.0.1) BENCH_RUNS times (default 3)
# and takes the median CPU (user+sys of `newsarc crawl`, /usr/bin/time);
# then, on the texts that crawl archived:
#   - the SimHashes: tests/tools/simhash_texts hashing every text 200 times;
#   - the band lookups: the index's candidate query (store/index.c
#     ST_DUP_CAND, 8 bands of 8 bits + fetch window) run for every article
#     against the crawl's index.sqlite 50 times through Python's sqlite3,
#     less the same loop over a statement that finds nothing (Python's part);
#   - the same lookups in a synthetic index of BENCH_WINDOW (default 33,000:
#     a million articles over five years) articles fetched within the month
#     either side, random hashes: the lookup's cost in a big archive;
# and prints each as CPU per article and as a share of the crawl's CPU.
# Env: NA_SRCDIR, NA_BIN, NA_BUILD; BENCH_RUNS.
. "$(dirname "$0")/../scripts/crawl_common.bash"
RUNS=${BENCH_RUNS:-3}
command -v /usr/bin/time >/dev/null || fail "/usr/bin/time missing (mk/deps.sh bench)"
key=$(cat "$NA_SRCDIR"/tests/server/sitegen.py "$NA_SRCDIR"/tests/server/zhtext.py | cksum | cut -d' ' -f1)
fixture_gen syndication "$key" --preset syndication
"$PY" "$NA_SRCDIR/tests/server/fixture_server.py" --root "$ROOT" --port-file "$T/port" --log "$T/log.jsonl" \
    --max-seconds 600 --write-conf "$T/sites.conf" --archive "$T/archive" >"$T/server.out" 2>&1 &
SERVER_PID=$!
for _ in $(seq 300); do [ -s "$T/port" ] && break; sleep 0.1; done
[ -s "$T/port" ] || fail "fixture server did not start"

# the driver, as tests/scripts/dups_pairs.sh builds it
pkgs=$(grep -v "^#" "$NA_SRCDIR/mk/pkgs")
# shellcheck disable=SC2046
cc -std=gnu11 -O2 -g -I"$NA_SRCDIR" -D_GNU_SOURCE $(pkg-config --cflags $pkgs) -o "$T/simhash_texts" \
    "$NA_SRCDIR/tests/tools/simhash_texts.c" "$NA_BUILD/libnewsarc.a" $(pkg-config --libs $pkgs) -lpthread -lm ||
    fail "building simhash_texts"

: >"$T/cpu"
for r in $(seq "$RUNS"); do
    rm -rf "$T/archive"
    /usr/bin/time -f "%U %S" -o "$T/time" "$NA_BIN" crawl -c "$T/sites.conf" -q >"$T/crawl.out" 2>&1 ||
        fail "crawl: $(cat "$T/crawl.out")"
    awk '{ printf "%.3f\n", $1 + $2 }' "$T/time" >>"$T/cpu"
done
crawl_cpu=$(sort -n "$T/cpu" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
"$NA_BIN" export -c "$T/sites.conf" --format jsonl >"$T/all.jsonl" || fail "export"
"$PY" - "$T/all.jsonl" "$T/texts" <<'EOF'
import json, sys
texts = [json.loads(l)["text"] or "" for l in open(sys.argv[1], encoding="utf-8")]
open(sys.argv[2], "wb").write("\0".join(texts).encode())
EOF
/usr/bin/time -f "%U %S" -o "$T/time" "$T/simhash_texts" --repeat 200 <"$T/texts" >/dev/null || fail "simhash_texts"
hash_cpu=$(awk '{ printf "%.5f\n", ($1 + $2) / 200 }' "$T/time")
"$PY" - "$T/archive/index.sqlite" "$crawl_cpu" "$hash_cpu" "$(cat "$T/cpu" | tr '\n' ' ')" <<'EOF'
import sqlite3, sys, time
db, crawl_cpu, hash_cpu, runs = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
c = sqlite3.connect(db)
band = lambda s, p: "(((simhash >> %d) & 255) = ?%d AND fetched BETWEEN ?10 - 2678400 AND ?10 + 2678400)" % (s, p)
q = ("SELECT id, simhash, dup_of FROM articles WHERE simhash IS NOT NULL AND newest = 1 AND url <> ?9 AND (" +
     " OR ".join(band(8 * i, i + 1) for i in range(8)) + ")")
rows = c.execute("SELECT url, simhash, fetched FROM articles WHERE simhash IS NOT NULL AND newest = 1").fetchall()
n_art = c.execute("SELECT count(*) FROM articles").fetchone()[0]
reps = 50
t0 = time.process_time()
for _ in range(reps):
    for url, sh, fetched in rows:
        u = sh & (2**64 - 1)
        args = [(u >> (8 * i)) & 255 for i in range(8)] + [url, fetched]
        for r in c.execute(q, args):
            bin((u ^ r[1]) & (2**64 - 1)).count("1")
look_cpu = (time.process_time() - t0) / reps
# Python's share: the same binding and stepping of a statement that finds nothing
base = "SELECT 1 WHERE ?1 + ?2 + ?3 + ?4 + ?5 + ?6 + ?7 + ?8 < 0 AND ?9 <> '' AND ?10 < 0"
t0 = time.process_time()
for _ in range(reps):
    for url, sh, fetched in rows:
        u = sh & (2**64 - 1)
        args = [(u >> (8 * i)) & 255 for i in range(8)] + [url, fetched]
        for r in c.execute(base, args):
            pass
look_cpu = max(0.0, look_cpu - (time.process_time() - t0) / reps)
print("crawl (syndication preset, %d articles): %.3f s CPU (median of runs: %s)" % (n_art, crawl_cpu, runs.strip()))
print("SimHash of every text: %.4f s CPU (%.1f us per article): %.2f%% of the crawl" % (
    hash_cpu, hash_cpu / n_art * 1e6, 100 * hash_cpu / crawl_cpu))
print("band lookups (%d articles with a hash, SQLite's part): %.4f s CPU (%.1f us per article): %.2f%% of the crawl" % (
    len(rows), look_cpu, look_cpu / max(len(rows), 1) * 1e6, 100 * look_cpu / crawl_cpu))
print("near-duplicates in all: %.2f%% of the crawl's CPU" % (100 * (hash_cpu + look_cpu) / crawl_cpu))
EOF
"$PY" - "$T/big.sqlite" "${BENCH_WINDOW:-33000}" <<'EOF'
import random, sqlite3, sys, time
path, n = sys.argv[1], int(sys.argv[2])
c = sqlite3.connect(path)
c.execute("CREATE TABLE articles (id INTEGER PRIMARY KEY, url TEXT, fetched INTEGER, newest INTEGER,"
          " simhash INTEGER, dup_of INTEGER)")
for i in range(8):
    c.execute("CREATE INDEX articles_sh%d ON articles(((simhash >> %d) & 255), fetched) WHERE simhash IS NOT NULL"
              % (i, 8 * i))
rng = random.Random(1)
now = 1760000000
signed = lambda u: u - 2**64 if u >= 2**63 else u
c.executemany("INSERT INTO articles (url, fetched, newest, simhash) VALUES (?, ?, 1, ?)",
              (("http://s/%d" % i, now - rng.randrange(5184000), signed(rng.getrandbits(64))) for i in range(n)))
c.commit()
c.execute("ANALYZE")
band = lambda s, p: "(((simhash >> %d) & 255) = ?%d AND fetched BETWEEN ?10 - 2678400 AND ?10 + 2678400)" % (s, p)
q = ("SELECT id, simhash, dup_of FROM articles WHERE simhash IS NOT NULL AND newest = 1 AND url <> ?9 AND (" +
     " OR ".join(band(8 * i, i + 1) for i in range(8)) + ")")
base = "SELECT 1 WHERE ?1 + ?2 + ?3 + ?4 + ?5 + ?6 + ?7 + ?8 < 0 AND ?9 <> '' AND ?10 < 0"
probes = [rng.getrandbits(64) for _ in range(300)]
def run(sql):
    t0, got = time.process_time(), 0
    for u in probes:
        for r in c.execute(sql, [(u >> (8 * i)) & 255 for i in range(8)] + ["http://new", now - 2592000]):
            got += 1
    return time.process_time() - t0, got
_, got = run(q)
# the rows counted inside SQLite (the distance test in C costs next to nothing)
t, _ = run("SELECT count(*), 0 FROM (%s)" % q)
t0, _ = run(base)
print("band lookups in %d articles of two months: %.0f us per article (%.0f candidate rows each)" % (
    n, (t - t0) / len(probes) * 1e6, got / len(probes)))
EOF
