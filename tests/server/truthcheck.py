#!/usr/bin/env python3
"""truthcheck.py — compares what newsarc archived (`newsarc export --format
jsonl`) with the ground truth sitegen.py wrote: which articles are there
(every expected one exactly once, nothing robots.txt or a fault forbids),
and how clean their text is (paragraphs found / paragraphs extra, boilerplate
that leaked, title, date, author). Stdlib only.

  truthcheck.py --root SITE_DIR EXPORT.jsonl [--host H]... [--verbose]
                [--min-recall 0.9] [--min-precision 0.9] [--json]

Exit status: 0 when coverage is exact and the text thresholds (if given)
hold, 1 otherwise, 2 on bad input."""

import argparse
import json
import os
import re
import sys
import urllib.parse

# Phrases of the boilerplate around the body on the generated pages (the
# seed page's contact block, QR code, copyright notice, share bar, related
# list header, prev/next, breadcrumb, meta line, editor line).
BOILERPLATE = ["扫一扫", "版权声明", "分享给朋友", "分享到", "相关文章", "微信号", "上一篇", "下一篇",
               "当前位置", "责任编辑", "请说明您的需求", "招商热线", "发表评论", "打印本页", "浏览次数"]
WS = re.compile(r"[\s\u3000\u00a0]+")


def norm(t):
    return WS.sub("", t or "")


def load_truth(root, hosts):
    with open(os.path.join(root, "manifest.json"), encoding="utf-8") as f:
        man = json.load(f)
    out = {}
    for h in man["hosts"]:
        if hosts and h not in hosts:
            continue
        with open(os.path.join(root, h + ".truth.json"), encoding="utf-8") as f:
            out[h] = json.load(f)
    return out


def split_url(u):
    p = urllib.parse.urlsplit(u)
    return (p.hostname or "").lower(), p.path + ("?" + p.query if p.query else "")


def check(truth, records):
    by_host = {h: [] for h in truth}
    report = {"hosts": {}, "ok": True}
    for r in records:
        h, path = split_url(r.get("url", ""))
        if h in by_host:
            by_host[h].append((path, r))
    for h, t in truth.items():
        exp = set(t["expected"])
        seen = {}
        for path, r in by_host[h]:
            seen.setdefault(path, []).append(r)
        inf = t.get("infinite")
        if inf:
            infinite = sorted(p for p in seen if p.startswith(inf["article_prefix"]))
            for p in infinite:
                del seen[p]
        else:
            infinite = []
        st_archived = len(seen)
        dup = sorted(p for p, v in seen.items() if len(v) > 1)
        missing = sorted(exp - set(seen))
        forbidden = sorted(p for p in seen if p in t["not_expected"])
        extra = sorted(p for p in seen if p not in exp and p not in t["not_expected"])
        st = {"expected": len(exp), "archived": None, "missing": missing, "duplicates": dup,
              "forbidden": forbidden, "extra": extra, "infinite": len(infinite), "title_ok": 0, "date_ok": 0, "author_ok": 0,
              "para_truth": 0, "para_found": 0, "para_out": 0, "para_out_ok": 0, "leaks": {}, "bad": []}
        st["archived"] = st_archived
        for path, recs in seen.items():
            a = t["articles"].get(path)
            if not a:
                continue
            r = recs[-1]
            if norm(r.get("title")) == norm(a["title"]):
                st["title_ok"] += 1
            pub = r.get("published") or ""
            want = a["published"][:10]
            if a["published_relative"] and ("(" not in a["published_display"]) and "-" not in a["published_display"]:
                # "5小时前": relative to when the site was generated, not fetched.
                ok_date = bool(pub)
            else:
                ok_date = pub[:10] == want or (a["published_relative"] and pub[5:10] == want[5:10])
            if ok_date:
                st["date_ok"] += 1
            if norm(r.get("author")) == norm(a["author"]):
                st["author_ok"] += 1
            text = r.get("text") or ""
            outp = [norm(x) for x in text.split("\n") if norm(x)]
            truep = [norm(x) for x in a["paragraphs"]]
            tset, oset = set(truep), set(outp)
            found = sum(1 for p in truep if p in oset)
            good = sum(1 for p in outp if p in tset or p in set(norm(c) for c in a.get("captions", [])))
            st["para_truth"] += len(truep)
            st["para_found"] += found
            st["para_out"] += len(outp)
            st["para_out_ok"] += good
            leaked = [b for b in BOILERPLATE if b in text and not any(b in p for p in a["paragraphs"])]
            for b in leaked:
                st["leaks"][b] = st["leaks"].get(b, 0) + 1
            if found < len(truep) or good < len(outp) or leaked:
                st["bad"].append({"path": path, "found": found, "of": len(truep), "extra": len(outp) - good,
                                  "leaks": leaked})
        st["recall"] = st["para_found"] / st["para_truth"] if st["para_truth"] else 1.0
        st["precision"] = st["para_out_ok"] / st["para_out"] if st["para_out"] else 1.0
        if missing or dup or forbidden:
            report["ok"] = False
        report["hosts"][h] = st
    return report


def main(argv=None):
    ap = argparse.ArgumentParser(description="Check a newsarc export against sitegen's truth.")
    ap.add_argument("--root", required=True, help="the folder sitegen.py wrote")
    ap.add_argument("export", help="newsarc export --format jsonl output ('-' = stdin)")
    ap.add_argument("--host", action="append", help="only these hosts (default: all in the manifest)")
    ap.add_argument("--verbose", "-v", action="store_true")
    ap.add_argument("--json", action="store_true", help="print the report as JSON")
    ap.add_argument("--min-recall", type=float)
    ap.add_argument("--min-precision", type=float)
    a = ap.parse_args(argv)
    try:
        truth = load_truth(a.root, a.host)
        f = sys.stdin if a.export == "-" else open(a.export, encoding="utf-8")
        records = [json.loads(line) for line in f if line.strip()]
    except (OSError, ValueError) as e:
        print("truthcheck: %s" % e, file=sys.stderr)
        return 2
    rep = check(truth, records)
    ok = rep["ok"]
    for h, st in rep["hosts"].items():
        if a.min_recall is not None and st["recall"] < a.min_recall:
            ok = False
        if a.min_precision is not None and st["precision"] < a.min_precision:
            ok = False
    if a.json:
        print(json.dumps(rep, ensure_ascii=False, indent=1))
        return 0 if ok else 1
    for h, st in rep["hosts"].items():
        n = st["archived"] - len(st["extra"]) - len(st["forbidden"])
        print("%-24s %3d/%-3d articles  missing %d  dup %d  forbidden %d  extra %d%s  |  paragraphs found %.1f%%  "
              "clean %.1f%%  titles %d/%d  dates %d/%d  authors %d/%d  leaks %s" % (
                  h, n, st["expected"], len(st["missing"]), len(st["duplicates"]), len(st["forbidden"]),
                  len(st["extra"]), "  infinite-pagination %d" % st["infinite"] if st["infinite"] else "",
                  100 * st["recall"],
                  100 * st["precision"], st["title_ok"], n, st["date_ok"], n, st["author_ok"], n,
                  ",".join("%s×%d" % kv for kv in sorted(st["leaks"].items())) or "none"))
        if a.verbose:
            for k in ("missing", "duplicates", "forbidden", "extra"):
                for p in st[k]:
                    print("  %s: %s" % (k, p))
            for b in st["bad"][:20]:
                print("  text: %s: %d/%d paragraphs, %d extra, leaks %s" % (b["path"], b["found"], b["of"], b["extra"],
                                                                           ",".join(b["leaks"]) or "-"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
