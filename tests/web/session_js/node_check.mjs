// Quick check without a browser: `node tests/web/session_js/node_check.mjs` replays every
// shared vector with the JavaScript engine and compares it with `expected` (parsed values).
// The browser test (test_engine_vectors.py) is the one that counts; this is for fast edits.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const { replay } = await import(join(root, 'src/calfcare/web/static/session/engine.js'));
const dir = join(root, 'tests/data/session_vectors');
let failed = 0;
const names = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
for (const name of names) {
  const vector = JSON.parse(readFileSync(join(dir, name), 'utf8'));
  const advice = vector.expected.advice ?? 'advice';
  const got = JSON.parse(JSON.stringify(replay(vector.plan, vector.events, { sharpPainAdvice: advice })));
  // Without sharp pain the advice is never shown; with it, it comes from `expected`.
  if (isDeepStrictEqual(got, vector.expected)) continue;
  failed += 1;
  console.log(`FAIL ${name}`);
  const a = got.timeline, b = vector.expected.timeline;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (!isDeepStrictEqual(a[i], b[i])) {
      console.log('  first timeline difference at', i, '\n  js:', a[i], '\n  py:', b[i]);
      break;
    }
  }
}
console.log(`${names.length - failed}/${names.length} vectors equal`);
process.exit(failed ? 1 : 0);
