// The live session page (docs/web-session.md): every frame reads the clock and asks the
// engine what to show; the session (wall-clock start + events) is kept in localStorage.
import { SessionEngine, replayJson } from './engine.js';

// The page as the server sent it, before anything changes it: the copy kept for offline use.
const PAGE = '<!doctype html>\n' + document.documentElement.outerHTML;
const $ = (id) => document.getElementById(id);
const data = JSON.parse($('session-data').textContent);
const plan = data.plan;
const advice = data.advice;
const LIVE = 'calfcare.live:' + data.key;
const OUTBOX = 'calfcare.outbox'; // outbox.js's, read here without loading it before Start
const FRESH = 1.5; // s: a cue noticed later than this (tab hidden, main thread stalled) is dropped
const store = {
  get: (k) => { try { return JSON.parse(localStorage.getItem(k)); } catch { return null; } },
  set: (k, v) => { try { localStorage.setItem(k, JSON.stringify(v)); } catch { /* full or off */ } },
  del: (k) => { try { localStorage.removeItem(k); } catch { /* off */ } },
};

let s = null; // {id, start (wall ms at t = 0), events: [{t, event}]}
let engine = null;
let seen = 0; // timeline entries already voiced (or dropped)
let base = 0; // session time (s) at perfBase
let perfBase = 0;
let last = 0;

function anchor() {
  const wall = (Date.now() - s.start) / 1000;
  base = Math.max(last, wall);
  perfBase = performance.now();
}
function now() {
  last = Math.max(last, base + (performance.now() - perfBase) / 1000);
  return last;
}

const voice = $('voice'); // its saved setting is applied by settle()
voice.addEventListener('change', () => {
  store.set('calfcare.voice', voice.checked);
  if (!voice.checked && window.speechSynthesis) speechSynthesis.cancel();
});
function say(text, interrupt) {
  if (!voice.checked || !window.speechSynthesis || !text) return;
  if (interrupt) speechSynthesis.cancel();
  const u = new SpeechSynthesisUtterance(text);
  u.lang = 'en';
  speechSynthesis.speak(u);
}
function buzz(pattern) {
  if (navigator.vibrate) navigator.vibrate(pattern);
}

let audio = null;
let beeps = [];
function audioOn() {
  const Ctx = window.AudioContext || window.webkitAudioContext;
  if (!Ctx) return;
  if (!audio) audio = new Ctx();
  if (audio.state === 'suspended') audio.resume().catch(() => {});
}
const TONES = {
  countdown: [[880, 0, 0.12]],
  step_end: [[523, 0, 0.35]],
  hold_may_release: [[988, 0, 0.12], [988, 0.2, 0.12]],
  hold_end: [[659, 0, 0.3]],
  session_end: [[523, 0, 0.2], [659, 0.22, 0.2], [784, 0.44, 0.4]],
};
// Beeps for what happens if nothing is tapped, on the audio clock; redone after each event.
// `t` is the caller's moment: reading the clock again here would advance the engine past the
// moment the caller then renders (the engine refuses time that goes backwards).
function schedule(t) {
  for (const node of beeps) { try { node.stop(); } catch { /* already over */ } }
  beeps = [];
  if (!audio || !engine || engine.outcome || engine.view(t).paused) return;
  const ahead = new SessionEngine(plan, { sharpPainAdvice: advice });
  for (const e of s.events) ahead.apply(e.event, e.t);
  ahead.advance(t);
  const from = ahead.timeline.length;
  ahead.finish();
  const at = audio.currentTime;
  for (const e of ahead.timeline.slice(from)) {
    if (e.t <= t || !TONES[e.type]) continue;
    if (e.type === 'step_end' && e.reason === 'calf_limit') continue;
    for (const [hz, off, len] of TONES[e.type]) {
      const when = at + (e.t - t) + off;
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      gain.gain.setValueAtTime(0.0001, when);
      gain.gain.exponentialRampToValueAtTime(0.3, when + 0.01);
      gain.gain.exponentialRampToValueAtTime(0.0001, when + len);
      osc.frequency.value = hz;
      osc.connect(gain).connect(audio.destination);
      osc.start(when);
      osc.stop(when + len + 0.02);
      beeps.push(osc);
    }
  }
}

// The screen stays on during a session: the lock is released by the browser when the page
// is hidden, and taken again when it is shown (the visibilitychange handler calls wake()).
let lock = null;
async function wake() {
  if (!navigator.wakeLock || document.visibilityState !== 'visible' || !engine || engine.outcome) return;
  try {
    lock = await navigator.wakeLock.request('screen');
  } catch { lock = null; }
}

function spoken(e) {
  switch (e.type) {
    case 'step_start': return (e.index === 0 ? 'Get ready. ' : '') + e.cue;
    case 'countdown': return String(e.remaining);
    case 'hold_start': return 'Hold here. Breathe.';
    case 'hold_may_release': return 'You may release now.';
    case 'hold_end':
      if (e.reason === 'timeout') return 'One minute. Roll on.';
      return e.reason === 'release' || e.reason === 'skip' ? 'Roll on.' : '';
    case 'pause': return 'Paused.';
    case 'resume': return 'Carry on.';
    case 'session_end':
      if (e.outcome === 'stopped_sharp_pain') return e.advice;
      if (e.outcome === 'completed') return skipped(engine.calfSummaries()) ? 'Session over. Most of it was skipped.' : 'Session complete. Well done.';
      return 'Session ended.';
    default: return '';
  }
}
// Mostly skipped: no calf got half its planned time (core/session_effort.py; the share
// comes from the server, so the page and the history say the same).
const skipped = (calves) => !calves.some((c) => c.active_seconds >= data.done_share * c.planned_seconds);
const BUZZ = { step_start: 200, hold_may_release: [100, 80, 100], session_end: [300, 100, 300] };

/** Voice the timeline entries made since the last call; drop those noticed too late. */
function cues(t) {
  const tl = engine.timeline;
  for (; seen < tl.length; seen += 1) {
    const e = tl[seen];
    if (t - e.t > FRESH) continue;
    say(spoken(e), e.type === 'countdown' || e.type === 'step_start' || e.type === 'session_end');
    if (BUZZ[e.type]) buzz(BUZZ[e.type]);
  }
}

const calfBars = [...document.querySelectorAll('progress.calf')];
const KIND = { position: 'get ready', switch: 'switch legs', passes: 'passes', hold: 'hold', active_release: 'active release', pressure: 'thumb pressure', strokes: 'strokes' };
const mmss = (sec) => {
  const whole = Math.ceil(sec - 1e-9);
  return Math.floor(whole / 60) + ':' + String(whole % 60).padStart(2, '0');
};
const held = (sec) => { const w = Math.floor(sec); return 'held ' + Math.floor(w / 60) + ':' + String(w % 60).padStart(2, '0'); };
const text = (id, value) => { const el = $(id); if (el.textContent !== value) el.textContent = value; };

function render(v) {
  if (v.outcome) return;
  text('leg', (v.leg === 'left' ? 'Left' : 'Right') + ' calf ·');
  text('kind', v.paused ? 'paused' : KIND[v.step.kind] || v.step.kind);
  text('clock', v.holding ? held(v.hold_seconds) : mmss(v.step_left));
  $('clock').classList.toggle('holding', v.holding);
  text('cue', v.holding ? (v.may_release ? 'You may release now.' : 'Hold still on the tender spot. Breathe.') : v.step.cue);
  text('next', v.next_step ? 'Next: ' + (KIND[v.next_step.kind] || v.next_step.kind) + ', ' + v.next_step.seconds + ' s' : 'Last step');
  const pace = $('pace');
  pace.hidden = v.pace_position === null;
  if (v.pace_position !== null) $('slider').style.transform = 'translateX(' + v.pace_position * 100 + '%)';
  // Strokes go up only: on the way back down the marker is faint (hands lifted).
  pace.classList.toggle('lifting', v.step.kind === 'strokes' && v.pace_direction === 'down');
  const tender = $('tender');
  tender.disabled = v.paused || (!v.holding && v.step.kind !== 'passes');
  tender.classList.toggle('on', v.holding);
  text('tender-label', v.holding ? 'Release' : 'Tender spot');
  // Under the routine contract a tender spot is held only during passes: say so in words.
  text('tender-hint', v.holding ? 'tap or space bar: roll on' : v.step.kind === 'passes' ? 'tap or space bar: hold here' : 'Not used for this step');
  text('pause', v.paused ? 'Resume' : 'Pause');
  engine.calfSummaries().forEach((c, i) => { calfBars[i].value = Math.min(c.active_seconds, c.planned_seconds); });
  $('session-bar').value = v.session_planned ? Math.min(1, v.session_elapsed / v.session_planned) : 1;
  text('total', mmss(v.session_elapsed) + ' of ' + mmss(v.session_planned));
}

let frameId = 0;
function tick() {
  if (!engine || engine.outcome) return;
  const t = now();
  const v = engine.view(t);
  cues(t);
  render(v);
  if (engine.outcome) end();
}
function frame() {
  tick();
  if (engine && !engine.outcome) frameId = requestAnimationFrame(frame);
}

function act(event) {
  if (!engine || engine.outcome) return;
  audioOn();
  const t = now();
  engine.apply(event, t);
  s.events.push({ t, event });
  store.set(LIVE, s);
  cues(t);
  schedule(t);
  if (engine.outcome) end(); else render(engine.view(t));
}
function tenderOrRelease() {
  if (!engine || engine.outcome) return;
  act(engine.view(now()).holding ? 'release' : 'tender_spot');
}

function begin(saved, startedAt = Date.now()) {
  s = saved || { id: newId(), start: startedAt, events: [] };
  engine = new SessionEngine(plan, { sharpPainAdvice: advice });
  anchor();
  for (const e of s.events) engine.apply(e.event, e.t);
  engine.advance(now());
  if (saved) seen = engine.timeline.length; // resumed: nothing from before the reload is replayed
  store.set(LIVE, s);
  $('setup').hidden = true;
  if (engine.outcome) return end();
  document.body.classList.add('live');
  $('live').hidden = false;
  $('stopbar').hidden = false;
  scrollTo(0, 0);
  setInterval(tick, 250); // keeps voicing cues while rAF is paused (tab hidden)
  wake();
  schedule(now());
  frame();
}

function newId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  return [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function end() {
  cancelAnimationFrame(frameId);
  if (lock) lock.release().catch(() => {});
  const result = replayJson(engine);
  const record = {
    id: s.id,
    plan,
    events: s.events,
    result,
    ended_at: new Date(s.start + engine.endMs).toISOString(),
    screening_id: data.screening_id,
  };
  const box = store.get(OUTBOX) || {};
  box[record.id] = record;
  store.set(OUTBOX, box);
  store.del(LIVE);
  document.body.classList.remove('live');
  $('live').hidden = true;
  $('stopbar').hidden = true;
  if (result.outcome === 'stopped_sharp_pain') {
    text('advice-text', result.advice);
    $('advice').hidden = false;
    if ($('after-pain')) {
      $('another').hidden = true;
      $('after-pain').hidden = false;
    }
  }
  const titles = { completed: 'Session complete', stopped_sharp_pain: 'Stopped for sharp pain', quit: 'Session ended', abandoned: 'Session ended' };
  const title = titles[result.outcome];
  text('done-title', skipped(result.calves) ? (result.outcome === 'completed' ? 'Session over: mostly skipped' : title + ', mostly skipped') : title);
  if (skipped(result.calves)) text('done-why', 'Less than half the planned time on every calf: it is kept in your history, but not counted as a session done.');
  const list = $('summary');
  list.replaceChildren();
  for (const c of result.calves) {
    const li = document.createElement('li');
    const holds = c.holds.length ? ', ' + c.holds.length + ' tender spot hold' + (c.holds.length > 1 ? 's' : '') : '';
    li.textContent = (c.leg === 'left' ? 'Left' : 'Right') + ' calf: ' + mmss(c.active_seconds) + ' of ' + mmss(c.planned_seconds) + holds;
    list.append(li);
  }
  $('done').hidden = false;
  $('done-title').tabIndex = -1;
  $('done-title').focus();
  const holds = result.calves.flatMap((c) => c.holds.map((h) => [c.leg, h.start]));
  if (!holds.length) return flush();
  // Ask where the holds were; the session waits in the outbox (saved anyway on the next
  // visit if the page is closed), so the answers go up with it in one upload.
  awaitingSpots.add(record.id);
  const spots = $('spot-list');
  spots.replaceChildren();
  holds.forEach(([leg, start], i) => {
    const row = document.createElement('fieldset');
    const title = document.createElement('legend');
    title.textContent = (leg === 'left' ? 'Left' : 'Right') + ' calf, hold at ' + mmss(start);
    row.append(title, pick('h' + i, 'Where along the calf', ['lower', 'middle', 'upper']), ' ', pick('s' + i, 'Which side', ['inner', 'outer']));
    row.dataset.leg = leg;
    spots.append(row);
  });
  $('spots').hidden = false;
  $('spots').onsubmit = (e) => {
    e.preventDefault();
    const chosen = [...spots.children].map((row, i) => [row.dataset.leg, $('h' + i).value, $('s' + i).value])
      .filter(([, h, sd]) => h && sd).map((parts) => parts.join(':'));
    const box = store.get(OUTBOX) || {};
    if (box[record.id]) { box[record.id].tender_spots = chosen; store.set(OUTBOX, box); }
    awaitingSpots.delete(record.id);
    $('spots').hidden = true;
    flush();
  };
}

// A dropdown with its visible label (read by screen readers too: the label wraps it).
function pick(id, words, values) {
  const label = document.createElement('label');
  label.className = 'spot-pick';
  const select = document.createElement('select');
  select.id = id;
  for (const v of ['', ...values]) select.append(new Option(v || 'not sure', v));
  label.append(words + ' ', select);
  return label;
}

const awaitingSpots = new Set(); // sessions waiting for the tender-spot answers on this page
// Sent by the one sender every page shares (outbox.js), loaded only once a session waits:
// nothing is added before Start.
async function flush() {
  const ids = Object.keys(store.get(OUTBOX) || {}).filter((id) => !awaitingSpots.has(id));
  if (!ids.length) return;
  let sent = { saved: [], refused: [], waiting: ids, signIn: false }; // the sender not loaded: all wait
  try { sent = await (await import('./outbox.js')).sendKept(data.save_url, awaitingSpots); } catch { /* offline, not kept */ }
  if (!sent || !s) return;
  const refused = sent.refused.find((x) => x.id === s.id);
  if (refused) text('save', 'calfcare refused this session (' + refused.why + '); it was not saved.');
  else if (sent.saved.includes(s.id)) text('save', 'Saved.');
  else if (sent.waiting.includes(s.id)) text('save', 'Kept on this device: it will be saved ' + (sent.signIn ? 'once you have signed in again.' : 'when the server can be reached.'));
}

// The session starts at the tap, and its first cue is spoken at once: the audio context is
// made after (making one can take tens of milliseconds), then the beeps are scheduled on it.
$('start').addEventListener('click', () => {
  const tapped = Date.now();
  settle();
  if (engine) return; // a session kept from before a reload was resumed instead
  begin(null, tapped);
  audioOn();
  schedule(now());
});
$('tender').addEventListener('click', tenderOrRelease);
$('sharp').addEventListener('click', () => act('sharp_pain'));
$('pause').addEventListener('click', () => act(engine && engine.view(now()).paused ? 'resume' : 'pause'));
$('skip').addEventListener('click', () => act('skip'));
let quitArmed = 0;
$('quit').addEventListener('click', () => {
  if (Date.now() - quitArmed < 4000) return act('quit');
  quitArmed = Date.now();
  text('quit', 'Tap again to quit');
  setTimeout(() => text('quit', 'Quit'), 4000);
});
document.addEventListener('keydown', (e) => {
  if (e.code !== 'Space' && e.key !== ' ') return;
  if (!engine || engine.outcome || e.repeat) return;
  e.preventDefault();
  tenderOrRelease();
});
document.addEventListener('visibilitychange', () => {
  if (!engine || engine.outcome || document.visibilityState !== 'visible') return;
  anchor(); // the wall clock catches up with a suspended device
  engine.advance(now());
  seen = engine.timeline.length; // cues missed while hidden are not replayed late
  audioOn();
  wake();
  schedule(now());
  tick();
});
window.addEventListener('online', flush);
setInterval(flush, 30000);

// Start works from here. What needs localStorage (its first use costs a few ms) and the
// outbox come in the next task (a message, not a timer: timers may be throttled or, in tests,
// paused), or at the first tap if that comes sooner; the service worker after the load.
$('start').disabled = false;
performance.mark('start-ready');
let settled = false;
function settle() {
  if (settled) return;
  settled = true;
  voice.checked = store.get('calfcare.voice') !== false;
  const resumed = store.get(LIVE);
  if (resumed && resumed.id && Array.isArray(resumed.events)) begin(resumed);
  flush();
}
const next = new MessageChannel();
next.port1.onmessage = settle;
next.port2.postMessage(null);
if ('serviceWorker' in navigator) {
  addEventListener('load', () => {
    // The worker keeps this page for offline use (it was loaded before the worker was there).
    navigator.serviceWorker.register('/sw.js').then(() => navigator.serviceWorker.ready)
      .then((reg) => reg.active.postMessage({ type: 'keep-page', url: location.href, html: PAGE }))
      .catch(() => {});
  });
}
