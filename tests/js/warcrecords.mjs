// warcrecords.mjs — what npm's warcio (warcio.js) reads in WARC files, one
// JSON line per record, for tests that check the archive's content through
// an independent reader: type, uri, id, concurrent (WARC-Concurrent-To),
// kind (Newsarc-Kind), and for request/response records the HTTP status,
// Content-Type, and the payload (as warcio gives it: transfer coding
// removed) as its SHA-1 in hex and its length.
// Usage: node warcrecords.mjs FILE...   (WARCIO=where warcio is installed)
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const warcioDir = process.env.WARCIO || "build/npm/node_modules/warcio";
const { WARCParser } = await import(pathToFileURL(resolve(warcioDir, "dist/index.js")).href);

for (const file of process.argv.slice(2)) {
  const parser = new WARCParser(createReadStream(file), { keepHeadersCase: true });
  for await (const record of parser) {
    const h = (name) => record.warcHeader(name) || null;
    const out = { type: record.warcType, uri: record.warcTargetURI || null, id: h("WARC-Record-ID"),
                  concurrent: h("WARC-Concurrent-To"), kind: h("Newsarc-Kind") };
    if (record.httpHeaders && (out.type === "response" || out.type === "request")) {
      const payload = await record.readFully(true);
      out.status = record.httpHeaders.statusCode || null;
      out.ctype = record.httpHeaders.headers.get("Content-Type");
      out.sha1 = createHash("sha1").update(payload).digest("hex");
      out.len = payload.length;
    } else {
      await record.readFully(false);
    }
    console.log(JSON.stringify(out));
  }
}
