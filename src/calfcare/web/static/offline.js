// Every page but the live session (which does the same in session/app.js): install the
// service worker after the page has loaded, and send what was kept offline when the server
// can be reached again (docs/pwa.md): the check-ins and sessions logged by hand (kept by the
// worker), and the sessions run on the live page (kept by that page: session/outbox.js, the
// sender both use). Nothing here runs before the page is usable.
import { sendKept } from './session/outbox.js';

const worker = navigator.serviceWorker;

function say(text, id = 'outbox-status') {
  let line = document.getElementById(id);
  if (!line) {
    line = document.createElement('p');
    line.id = id;
    line.className = 'notice';
    line.setAttribute('role', 'status');
    document.getElementById('main').prepend(line);
  }
  line.textContent = text;
}

// A page shown from the offline copy carries the client ids it was made with: give each form
// a new one, or a second check-in sent from the same copy would be taken for a repeat. Its
// day fields say the day it was kept: one left at that day (its latest) becomes today's.
if (document.querySelector('[data-offline]')) {
  const fresh = () => (crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random().toString(16).slice(2));
  for (const input of document.querySelectorAll('input[name="client_id"]')) input.value = fresh();
  const now = new Date();
  const today = [now.getFullYear(), now.getMonth() + 1, now.getDate()].map((n) => String(n).padStart(2, '0')).join('-');
  for (const input of document.querySelectorAll('input[type="date"][name="day"]')) {
    if (input.max && input.max < today) {
      if (input.value === input.max) input.value = today;
      input.max = today;
    }
  }
}

const waits = (n, noun, signIn) => n + ' ' + noun + (n > 1 ? 's wait' : ' waits') + ' on this device'
  + (signIn ? ' until you sign in.' : ' until calfcare can be reached.');

// The live page's sessions go through the worker once it controls the page, as they do from
// the live page: it sees a session stopped for sharp pain and forgets the kept session pages.
async function sendSessions() {
  if (!navigator.onLine) return;
  const sent = await sendKept();
  if (!sent) return;
  const { saved, refused, waiting, signIn } = sent;
  const parts = [];
  if (saved.length) parts.push(saved.length === 1 ? 'The session kept on this device is saved.' : saved.length + ' sessions kept on this device are saved.');
  for (const r of refused) parts.push('A session kept on this device was refused by calfcare (' + r.why + ') and not saved.');
  if (waiting.length) parts.push(waits(waiting.length, 'session', signIn));
  if (parts.length) say(parts.join(' '), 'sessions-status');
}

if (worker) {
  const flush = () => {
    if (navigator.onLine && worker.controller) worker.controller.postMessage({ type: 'flush' });
    sendSessions();
  };
  worker.addEventListener('message', (e) => {
    const { type, saved, refused, waiting, signIn } = e.data || {};
    if (type !== 'outbox' || !(saved || refused || waiting)) return;
    const parts = [];
    if (saved) parts.push(saved === 1 ? 'The record kept on this device is saved.' : saved + ' records kept on this device are saved.');
    if (refused) parts.push(refused + ' kept record' + (refused > 1 ? 's were' : ' was') + ' refused by calfcare (not valid any more) and not saved.');
    if (waiting) parts.push(waits(waiting, 'record', signIn));
    say(parts.join(' '));
  });
  addEventListener('online', flush);
  addEventListener('load', () => {
    worker.register('/sw.js').then(() => worker.ready).then(flush).catch(sendSessions);
  });
} else {
  // No worker here (not a secure context): nothing kept pages to forget; send on load.
  addEventListener('online', sendSessions);
  addEventListener('load', sendSessions);
}
