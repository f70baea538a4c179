// The sessions run on the live page and kept on this device (localStorage, docs/pwa.md
// "Recorded offline"): one sender, loaded by the live page (session/app.js, once a session
// waits) and by every other page (offline.js). The server saves a session under its id once,
// so a session sent from two pages, or twice, is stored once. A sign-in wanted (a 401, or a
// redirect to the sign-in page) keeps it; a refusal is reported in words and not kept (the
// server will refuse it again); no answer, or a server error, keeps it for later.
export const OUTBOX = 'calfcare.outbox';

const read = () => { try { return JSON.parse(localStorage.getItem(OUTBOX)) || {}; } catch { return {}; } };
const write = (box) => { try { localStorage.setItem(OUTBOX, JSON.stringify(box)); } catch { /* full or off */ } };

async function why(r) {
  try {
    const body = await r.json();
    if (body && typeof body.error === 'string') return body.error;
  } catch { /* not the JSON error shape */ }
  return 'it answered ' + r.status;
}

let sending = false;
/** Send every kept session but those in `skip`. Returns null when nothing was tried (none
 * kept, or a send already running on this page), else {saved: [ids], refused: [{id, why}],
 * waiting: [ids], signIn}. */
export async function sendKept(url = '/api/sessions', skip = new Set()) {
  const ids = Object.keys(read()).filter((id) => !skip.has(id));
  if (sending || !ids.length) return null;
  sending = true;
  const out = { saved: [], refused: [], waiting: [], signIn: false };
  try {
    for (const id of ids) {
      const record = read()[id];
      if (!record) continue; // sent meanwhile from another page
      let r;
      try {
        r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(record), credentials: 'same-origin', redirect: 'manual' });
      } catch { out.waiting.push(id); continue; }
      const signIn = r.status === 401 || r.type === 'opaqueredirect' || (r.status >= 300 && r.status < 400);
      if (signIn || r.status >= 500) { out.waiting.push(id); out.signIn ||= signIn; continue; }
      if (r.ok) out.saved.push(id); else out.refused.push({ id, why: await why(r) });
      const box = read();
      delete box[id];
      write(box);
    }
  } finally { sending = false; }
  return out;
}
