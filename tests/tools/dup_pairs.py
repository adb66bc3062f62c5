#!/usr/bin/env python3
"""dup_pairs.py — pair-level precision and recall of the near-duplicate
clusters on texts from the dev corpora (../shared/bench: zh-cwce, zh-gne,
trafilatura), for tests/scripts/dups_pairs.sh.

    dup_pairs.py --bench DIR --pred DIR --labels TSV --hasher EXE [--min P] [--overlap]

--pred holds newsarc's extractions (CORPUS.jsonl, as `newsarc extract
--format json` prints them). EXE is tests/tools/simhash_texts (util/simhash
over NUL-separated texts; --params gives the threshold and band count).

The pool of texts, each with its story:
  - each zh page's gold text and newsarc's extraction of it (the same story
    with other boilerplate kept or cut);
  - each zh page's gold text under a changed title line, and with an
    editor's paragraph (编者按: another page's first sentence) before it;
  - each trafilatura page's extraction, the same under a changed title line,
    and with another page's first paragraph added before it;
  - for zh reports (a number at least every 20 tokens) the same report with
    every number changed: the next week's report of one template, another
    story;
  - the hand labels of TSV: "same" joins two pages' stories (real republished
    copies found in the corpora), "differ" is a reviewed hard negative (kept
    apart, as every unlabelled pair of pages is), "skip" leaves a page's
    extraction out (it is not the article: reason given).
Texts too short for a SimHash are left out (counted). Clusters are formed
as store/index.c forms them: in pool order, each text joins the smallest
root among earlier texts that share an 8-bit band and lie within the
threshold. Every pair of the pool counts: a true pair is two texts of one
story, a found pair two texts of one cluster. Prints precision and recall,
the pairs, the misses and false pairs by kind, and exits 1 when either is
below --min (default 0.95)."""
import argparse
import collections
import json
import re
import subprocess
import sys

NUM = re.compile(r"\d+(?:\.\d+)?")
TOKEN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]|[^\W_]+", re.U)


def page_id(f):
    return re.sub(r"\.(html?|gz)$", "", f.rsplit("/", 1)[-1])


def first_sentence(t, cap=120):
    t = t.strip().split("\n")[0]
    m = re.search(r"[。！？!?]|\. ", t)
    return (t[: m.end()] if m else t)[:cap].strip()


def other_numbers(text, seed):
    """Every number changed (a digit string of the same length, other
    digits), as next week's report of one template would have them."""
    out, k = [], 0
    for m in NUM.finditer(text):
        k += 1
        new = "".join(str((int(c) + 1 + (seed + k + i) % 8) % 10) if c.isdigit() else c for i, c in enumerate(m.group()))
        if new[0] == "0" and len(new.split(".")[0]) > 1:
            new = "1" + new[1:]
        out.append((m.start(), m.end(), new))
    for s, e, new in reversed(out):
        text = text[:s] + new + text[e:]
    return text


def load_labels(path):
    same, differ, skip = [], [], set()
    for n, line in enumerate(open(path, encoding="utf-8"), 1):
        if not line.strip() or line.startswith("#"):
            continue
        f = line.rstrip("\n").split("\t")
        if len(f) != 4 or f[0] not in ("same", "differ", "skip") or not f[3].strip():
            sys.exit("%s:%d: expected 'same|differ|skip<TAB>PAGE<TAB>PAGE|-<TAB>reason'" % (path, n))
        {"same": same, "differ": differ}.get(f[0], []).append((f[1], f[2], f[3]))
        if f[0] == "skip":
            skip.add(f[1])
    return same, differ, skip


def build_pool(bench, pred, skip, copies=()):
    """[(page, kind, text)] in a fixed order; page is CORPUS/ID. copies: the
    pages labelled the same story as an earlier one (no report of their own)."""
    pool = []
    for corpus in ("zh-cwce", "zh-gne", "trafilatura"):
        gold = json.load(open("%s/%s/gold.json" % (bench, corpus), encoding="utf-8"))
        ext = {}
        for line in open("%s/%s.jsonl" % (pred, corpus), encoding="utf-8"):
            o = json.loads(line)
            ext[page_id(o["file"])] = o
        ids = sorted(gold)
        for i, k in enumerate(ids):
            page = "%s/%s" % (corpus, k)
            e = ext.get(page_id(gold[k].get("file", k))) or {}
            other_id = ids[(i + 7) % len(ids)]
            title = gold[k].get("title") or e.get("title") or ""
            if "articleBody" in gold[k]:
                g = gold[k]["articleBody"]
                pool.append((page, "gold", g))
                if page not in skip and e.get("text"):
                    pool.append((page, "extraction", e["text"]))
                if title:
                    pool.append((page, "title", "转载｜%s（附图）\n%s" % (title, g)))
                note = first_sentence(gold[other_id].get("articleBody", ""))
                if note:
                    pool.append((page, "editor", "编者按：%s\n%s" % (note, g)))
                if page not in copies and len(TOKEN.findall(g)) <= 20 * len(NUM.findall(g)):
                    pool.append((page + "#next", "report", other_numbers(g, i)))
            elif e.get("text") and page not in skip:
                t = e["text"]
                pool.append((page, "extraction", t))
                if title:
                    pool.append((page, "title", "Update: %s – read more\n%s" % (title, t)))
                o = (ext.get(page_id(gold[other_id].get("file", other_id))) or {}).get("text") or ""
                note = first_sentence(o)
                if note:
                    pool.append((page, "paragraph", "Editor's note: %s\n%s" % (note, t)))
    return pool


def hashes(exe, texts):
    r = subprocess.run([exe], input="\0".join(texts).encode(), stdout=subprocess.PIPE, check=True)
    return [None if x == "-" else int(x, 16) for x in r.stdout.decode().split()]


def overlaps(pool, labelled):
    """The pairs of pages (gold texts and extractions) sharing 10 or more
    4-token shingles and 8% or more of the smaller one's, not labelled yet:
    the candidates to read by hand (--overlap)."""
    sets = collections.defaultdict(set)
    for page, kind, text in pool:
        if kind in ("gold", "extraction"):
            t = TOKEN.findall(text.lower())
            sets[page] |= {tuple(t[i:i + 4]) for i in range(len(t) - 3)}
    where = collections.defaultdict(list)
    for page, sh in sets.items():
        for x in sh:
            where[x].append(page)
    shared = collections.Counter()
    for pages in where.values():
        if len(pages) <= 30:  # common phrases say nothing
            for i in range(len(pages)):
                for j in range(i + 1, len(pages)):
                    shared[tuple(sorted((pages[i], pages[j])))] += 1
    found = []
    for (a, b), n in shared.items():
        frac = n / max(1, min(len(sets[a]), len(sets[b])))
        if n >= 10 and frac >= 0.08 and frozenset((a, b)) not in labelled:
            found.append((-frac, a, b, n))
    for f, a, b, n in sorted(found):
        print("%.2f\t%d\t%s\t%s" % (-f, n, a, b))


def main():
    ap = argparse.ArgumentParser()
    for a in ("--bench", "--pred", "--labels", "--hasher"):
        ap.add_argument(a, required=True)
    ap.add_argument("--min", type=float, default=0.95)
    ap.add_argument("--overlap", action="store_true", help="list unlabelled pairs of pages that overlap, and stop")
    args = ap.parse_args()
    params = dict(x.split() for x in subprocess.run([args.hasher, "--params"], stdout=subprocess.PIPE,
                                                    check=True).stdout.decode().splitlines())
    maxd, bands = int(params["max_distance"]), int(params["bands"])
    width = 64 // bands
    same, differ, skip = load_labels(args.labels)
    pool = build_pool(args.bench, args.pred, skip, {b for _, b, _ in same})
    if args.overlap:
        return overlaps(pool, {frozenset((a, b)) for a, b, _ in same + differ})
    pages = {p for p, _, _ in pool}
    for a, b, _ in same + differ:
        for p in (a, b):
            if p not in pages:
                sys.exit("dup_pairs: labelled page %s is not in the pool" % p)
    story = {p: p for p in pages}  # union-find over the "same" labels

    def root(p):
        while story[p] != p:
            p = story[p]
        return p
    for a, b, _ in same:
        story[root(a)] = root(b)
    hs = hashes(args.hasher, [t for _, _, t in pool])
    items = [(p, kind, h) for (p, kind, _), h in zip(pool, hs) if h is not None]
    short = len(pool) - len(items)

    # clusters, as the index forms them
    bucket = collections.defaultdict(list)
    croot = []
    for i, (_, _, h) in enumerate(items):
        r = i
        keys = [(b, (h >> (width * b)) & ((1 << width) - 1)) for b in range(bands)]
        for j in {j for key in keys for j in bucket[key]}:
            if bin(h ^ items[j][2]).count("1") <= maxd:
                r = min(r, croot[j])
        croot.append(r)
        for key in keys:
            bucket[key].append(i)

    def pairs_of(groups):
        return sum(len(g) * (len(g) - 1) // 2 for g in groups.values())
    by_story, by_cluster, by_both = (collections.defaultdict(list) for _ in range(3))
    for i, (p, kind, _) in enumerate(items):
        by_story[root(p)].append(i)
        by_cluster[croot[i]].append(i)
        by_both[(root(p), croot[i])].append(i)
    ntrue, nfound, tp = pairs_of(by_story), pairs_of(by_cluster), pairs_of(by_both)
    precision = tp / nfound if nfound else 1.0
    recall = tp / ntrue if ntrue else 0.0
    # misses and false pairs by the kinds of the two texts
    miss, false = collections.Counter(), collections.Counter()
    for g in by_story.values():
        for x in range(len(g)):
            for y in range(x + 1, len(g)):
                if croot[g[x]] != croot[g[y]]:
                    miss[tuple(sorted((items[g[x]][1], items[g[y]][1])))] += 1
    for g in by_cluster.values():
        for x in range(len(g)):
            for y in range(x + 1, len(g)):
                a, b = items[g[x]], items[g[y]]
                if root(a[0]) != root(b[0]):
                    false[(a[0], a[1], b[0], b[1])] += 1
    for k, n in sorted(miss.items()):
        print("  missed %-24s %d" % ("%s~%s" % k, n))
    for k in sorted(false)[:20]:
        print("  false pair %s (%s) ~ %s (%s)" % k)
    at = collections.defaultdict(list)
    for i, (p, _, _) in enumerate(items):
        at[p].append(croot[i])
    joined = lambda a, b: bool(set(at[a]) & set(at[b]))
    for a, b, _ in same:
        print("  same (%s): %s ~ %s" % ("found" if joined(a, b) else "MISSED", a, b))
    for a, b, _ in differ:
        print("  differ (%s): %s ~ %s" % ("JOINED" if joined(a, b) else "apart", a, b))
    print("dup pairs: %d texts (%d too short, left out), %d stories, %d pairs; SimHash within %d bits, %d bands"
          % (len(items), short, len(by_story), len(items) * (len(items) - 1) // 2, maxd, bands))
    print("dup pairs: %d true pairs, %d found, %d right: precision %.4f, recall %.4f"
          % (ntrue, nfound, tp, precision, recall))
    if ntrue < 1000:
        sys.exit("dup_pairs: only %d true pairs: the corpora or the extractions are incomplete" % ntrue)
    if precision < args.min or recall < args.min:
        sys.exit("dup_pairs: precision %.4f, recall %.4f: below %.2f" % (precision, recall, args.min))


if __name__ == "__main__":
    main()
