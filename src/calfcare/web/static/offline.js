// Every page but the live session (which does the same in session/app.js): install the
// service worker after the page has loaded, and send the check-ins and sessions logged by
// hand kept offline when the server can be reached again (docs/pwa.md). Nothing here runs
// before the page is usable.
const worker = navigator.serviceWorker;

function say(text) {
  let line = document.getElementById('outbox-status');
  if (!line) {
    line = document.createElement('p');
    line.id = 'outbox-status';
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

if (worker) {
  const flush = () => { if (navigator.onLine && worker.controller) worker.controller.postMessage({ type: 'flush' }); };
  worker.addEventListener('message', (e) => {
    const { type, saved, refused, waiting, signIn } = e.data || {};
    if (type !== 'outbox' || !(saved || refused || waiting)) return;
    const parts = [];
    if (saved) parts.push(saved === 1 ? 'The record kept on this device is saved.' : saved + ' records kept on this device are saved.');
    if (refused) parts.push(refused + ' kept record' + (refused > 1 ? 's were' : ' was') + ' refused by calfcare (not valid any more) and not saved.');
    if (waiting) {
      const until = signIn ? ' until you sign in.' : ' until calfcare can be reached.';
      parts.push(waiting + ' record' + (waiting > 1 ? 's wait' : ' waits') + ' on this device' + until);
    }
    say(parts.join(' '));
  });
  addEventListener('online', flush);
  addEventListener('load', () => {
    worker.register('/sw.js').then(() => worker.ready).then(flush).catch(() => {});
  });
}
