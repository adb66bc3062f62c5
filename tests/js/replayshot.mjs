// replayshot.mjs — drives Chromium (puppeteer-core) through ReplayWeb.page's
// embedded viewer, served from 127.0.0.1, to one archived page; prints one
// JSON line per image of the replayed page ({src, loaded}) and saves a
// screenshot. Used by tests/bench/replay-check.sh.
//   node replayshot.mjs VIEWER_URL SCREENSHOT.png
import puppeteer from 'puppeteer-core';

const [viewer, shot] = process.argv.slice(2);
const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu'],
});
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1200, height: 1400 });
  await page.goto(viewer, { waitUntil: 'networkidle0', timeout: 60000 });
  let seen = [];
  for (let i = 0; i < 40 && !seen.length; i++) { // the replay frame appears once the WARC is read
    await new Promise((r) => setTimeout(r, 500));
    for (const f of page.frames()) {
      if (!f.url().includes('/mp_/')) continue;
      try {
        seen = await f.evaluate(() => Array.from(document.images)
          .filter((im) => im.complete)
          .map((im) => ({ src: im.currentSrc || im.src, loaded: im.naturalWidth > 0 })));
      } catch (e) { /* the frame is still loading */ }
    }
  }
  await page.screenshot({ path: shot });
  for (const s of seen) console.log(JSON.stringify(s));
} finally {
  await browser.close();
}
