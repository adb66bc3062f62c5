// warccheck.mjs — the independent reader of newsarc's WARC files: npm's
// warcio (warcio.js) parses every record of each FILE.warc.gz given, and for
// each one we compare the bytes read with Content-Length and recompute
// WARC-Block-Digest / WARC-Payload-Digest (sha1, base32; a chunked body is
// de-chunked for the payload digest) in JavaScript.
// Usage: node warccheck.mjs [--list] [--expect-types T,T] FILE...
//   WARCIO=build/npm/node_modules/warcio (where warcio is installed)
// Prints one summary line per file ("FILE: N records (type=n …), B bytes"),
// with --list also "offset length type uri" per record; exit 1 on any fault.
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const warcioDir = process.env.WARCIO || "build/npm/node_modules/warcio";
const { WARCParser } = await import(pathToFileURL(resolve(warcioDir, "dist/index.js")).href);

// RFC 4648 base32, upper case, no padding needed for 20 bytes (32 chars).
function base32(bytes) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let out = "", bits = 0, value = 0;
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  while (out.length % 8) out += "=";
  return out;
}

const sha1b32 = (buf) => "sha1:" + base32(createHash("sha1").update(buf).digest());

function indexOfCRLFCRLF(buf) {
  for (let i = 0; i + 3 < buf.length; i++)
    if (buf[i] === 13 && buf[i + 1] === 10 && buf[i + 2] === 13 && buf[i + 3] === 10) return i + 4;
  return -1;
}

// The payload digest is taken with the transfer coding removed (WARC 1.1
// §5.9; content coding kept): a chunked body is de-chunked first. A body
// that does not parse as chunks is hashed as it is (newsarc does the same).
function isChunked(head) {
  return /\r\ntransfer-encoding:[ \t]*[^\r]*chunked/i.test(new TextDecoder("latin1").decode(head));
}
function dechunk(body) {
  const parts = [];
  let i = 0;
  for (;;) {
    let eol = i;
    while (eol + 1 < body.length && !(body[eol] === 13 && body[eol + 1] === 10)) eol++;
    if (eol + 1 >= body.length) return null;
    const size = parseInt(new TextDecoder("latin1").decode(body.subarray(i, eol)).split(";")[0].trim(), 16);
    if (Number.isNaN(size) || size < 0) return null;
    i = eol + 2;
    if (size === 0) return Buffer.concat(parts);
    if (i + size + 2 > body.length || body[i + size] !== 13 || body[i + size + 1] !== 10) return null;
    parts.push(body.subarray(i, i + size));
    i += size + 2;
  }
}
function payloadOf(block, bodyStart) {
  const body = block.subarray(bodyStart);
  if (!isChunked(block.subarray(0, bodyStart))) return body;
  return dechunk(body) || body;
}

const args = process.argv.slice(2);
let list = false;
let expectTypes = null;
const files = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--list") list = true;
  else if (args[i] === "--expect-types") expectTypes = args[++i].split(",");
  else files.push(args[i]);
}
if (!files.length) {
  console.error("usage: node warccheck.mjs [--list] [--expect-types T,T] FILE...");
  process.exit(2);
}

let faults = 0;
const fault = (file, off, msg) => {
  faults++;
  console.error(`${file}:${off}: ${msg}`);
};
const seenTypes = new Set();

for (const file of files) {
  const parser = new WARCParser(createReadStream(file), { parseHttp: false, keepHeadersCase: true });
  const counts = {};
  let n = 0, bytes = 0, first = true;
  for await (const record of parser) {
    const block = await record.readFully(false);
    const off = parser.offset, len = parser.recordLength;
    const h = (name) => record.warcHeader(name);
    const type = record.warcType;
    n++;
    bytes += block.length;
    counts[type] = (counts[type] || 0) + 1;
    seenTypes.add(type);
    if (list) console.log(`${off} ${len} ${type} ${record.warcTargetURI || "-"}`);
    if (first && type !== "warcinfo") fault(file, off, `first record is ${type}, not warcinfo`);
    first = false;
    if (record.warcHeaders.protocol !== "WARC/1.1") fault(file, off, `version '${record.warcHeaders.protocol}'`);
    const cl = h("Content-Length");
    if (cl === null || cl === undefined || String(Number(cl)) !== String(cl).trim())
      fault(file, off, `bad Content-Length '${cl}'`);
    else if (Number(cl) !== block.length)
      fault(file, off, `Content-Length ${cl} but ${block.length} bytes read`);
    const id = h("WARC-Record-ID") || "";
    if (!/^<urn:uuid:[0-9a-f-]{36}>$/i.test(id)) fault(file, off, `WARC-Record-ID '${id}'`);
    if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(h("WARC-Date") || ""))
      fault(file, off, `WARC-Date '${h("WARC-Date")}'`);
    const uri = h("WARC-Target-URI");
    if (uri && (uri.startsWith("<") || uri.endsWith(">"))) fault(file, off, `WARC-Target-URI in <>: ${uri}`);
    if (type !== "warcinfo" && !uri) fault(file, off, `${type} without WARC-Target-URI`);
    const bd = h("WARC-Block-Digest");
    if (!bd) fault(file, off, `${type} without WARC-Block-Digest`);
    else if (bd !== sha1b32(block)) fault(file, off, `WARC-Block-Digest ${bd}, computed ${sha1b32(block)}`);
    const pd = h("WARC-Payload-Digest");
    const ct = h("Content-Type") || "";
    if (type === "response" || type === "request") {
      if (!ct.startsWith("application/http")) fault(file, off, `${type} Content-Type '${ct}'`);
      const body = indexOfCRLFCRLF(block);
      if (body < 0) fault(file, off, `${type} block without an HTTP head`);
      else if (pd && pd !== sha1b32(payloadOf(block, body)))
        fault(file, off, `WARC-Payload-Digest ${pd}, computed ${sha1b32(payloadOf(block, body))}`);
      if (type === "response" && !pd) fault(file, off, "response without WARC-Payload-Digest");
    } else if (type === "revisit") {
      if (!h("WARC-Profile")) fault(file, off, "revisit without WARC-Profile");
      if (!h("WARC-Refers-To-Target-URI") || !h("WARC-Refers-To-Date"))
        fault(file, off, "revisit without WARC-Refers-To-Target-URI/-Date");
    } else if (type === "conversion" || type === "metadata") {
      if (!h("WARC-Refers-To") && !h("WARC-Concurrent-To")) fault(file, off, `${type} refers to nothing`);
      if (pd && pd !== sha1b32(block)) fault(file, off, `WARC-Payload-Digest ${pd}, computed ${sha1b32(block)}`);
      if (type === "metadata" && ct.startsWith("application/json")) {
        try {
          JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(block));
        } catch (e) {
          fault(file, off, `metadata JSON: ${e.message}`);
        }
      }
      if (type === "conversion") {
        try {
          new TextDecoder("utf-8", { fatal: true }).decode(block);
        } catch (e) {
          fault(file, off, "conversion text is not UTF-8");
        }
      }
    }
  }
  const summary = Object.keys(counts).sort().map((t) => `${t}=${counts[t]}`).join(" ");
  console.log(`${file}: ${n} records (${summary}), ${bytes} block bytes`);
  if (n === 0) fault(file, 0, "no records");
}
if (expectTypes)
  for (const t of expectTypes) if (!seenTypes.has(t)) fault(files.join(","), 0, `no ${t} record seen`);
if (faults) {
  console.error(`${faults} faults`);
  process.exit(1);
}
