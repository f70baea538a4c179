// The session engine in the browser: a line-by-line mirror of src/calfcare/core/session.py
// (with the clock helpers of core/timeline.py and the replay of core/replay.py).
//
// It is proven equal to the Python engine by tests/web/session_js/: every shared vector in
// tests/data/session_vectors/ and a few hundred random plans and event scripts must give the
// same replay JSON, number for number. The rules are stated in docs/session-timeline.md;
// docs/session-js.md says how this copy maps onto the Python one. Change both or neither.
//
// Time is whole milliseconds inside (toMs: Math.floor(t * 1000 + 0.5), exactly Python's
// to_ms), seconds outside (ms / 1000). Plans are the contract's plan JSON (extra keys ignored);
// events are the names of core/timeline.py's EventKind.

export const CONTRACT_VERSION = 1;
export const CALF_MAX_MS = 180000;
export const HOLD_MAX_MS = 60000;
export const HOLD_MAY_RELEASE_MS = 30000;
export const COUNTDOWN_AT = [3, 2, 1];
export const EVENT_KINDS = ['tender_spot', 'release', 'pause', 'resume', 'skip', 'sharp_pain', 'quit'];

/** Seconds to whole milliseconds, rounding half up (Python: to_ms). */
export function toMs(t) {
  return Math.floor(t * 1000 + 0.5);
}

/** Whole milliseconds to seconds (Python: seconds). */
export function seconds(ms) {
  return ms / 1000;
}

/** Whether a step kind counts toward its calf (Python: StepKind.counted). */
export function counted(kind) {
  return kind !== 'position' && kind !== 'switch';
}

// Python's float % (the result takes the divisor's sign).
function pyMod(x, y) {
  const mod = x % y;
  if (mod === 0) return y < 0 ? -0 : 0;
  return (y < 0) !== (mod < 0) ? mod + y : mod;
}

// Python's round(x, 3): the exact binary value rounded to 3 decimals, ties to even.
// x.toFixed(3) rounds the exact value too, but ties up; a tie (x * 1000 exactly k + 0.5)
// happens exactly when x * 16 is an odd integer, and is settled here the Python way.
function round3(x) {
  const m = x * 16;
  if (Number.isInteger(m) && Math.abs(m) % 2 === 1) {
    const low = Math.floor(x * 1000);
    return (low % 2 === 0 ? low : low + 1) / 1000;
  }
  return Number(x.toFixed(3));
}

/**
 * Where the pace guide's marker is after `elapsed` seconds of passes (Python: pace_position).
 * One one-way roll takes 60 / pace seconds; the marker starts at the ankle going up.
 * Returns [position 0 (ankle) .. 1 (knee), 3 decimals, 'up' | 'down'].
 */
export function pacePosition(elapsed, pacePerMinute) {
  const roll = 60 / pacePerMinute;
  const phase = pyMod(elapsed, 2 * roll) / roll;
  if (phase < 1) return [round3(phase), 'up'];
  return [round3(2 - phase), 'down'];
}

/**
 * Runs one plan. Drive it with apply (the person's events) and advance/view (time).
 * Times are seconds since the session started; they must never go backwards.
 */
export class SessionEngine {
  constructor(plan, { sharpPainAdvice } = {}) {
    this.plan = plan;
    this.sharpPainAdvice = sharpPainAdvice;
    this.steps = [];
    plan.calves.forEach((calf, c) => calf.steps.forEach((step) => this.steps.push([c, step])));
    if (!this.steps.length) throw new Error('a plan with no steps cannot be run');
    this.calves = plan.calves.map((calf) => ({ planned_ms: calf.seconds * 1000, active_ms: 0, holds: [] }));
    this.timeline = [];
    this.ignoredEvents = [];
    this.outcome = null;
    this.endMs = null;
    this.pausedMs = 0;
    this.activeMs = 0;
    this._now = 0;
    this._index = 0;
    this._left = 0;
    this._pending = [];
    this._hold = null; // {index, start_ms, held_ms, may_release_sent}
    this._paused = false;
    this._startStep(0);
  }

  // -- the public drive -----------------------------------------------------------------

  /** Let time run to t, making every automatic change due by then. */
  advance(t) {
    this._runUntil(this._checked(t));
  }

  /** The person did `event` at t (after everything due at or before t). */
  apply(event, t) {
    if (!EVENT_KINDS.includes(event)) throw new Error(`unknown event ${JSON.stringify(event)}`);
    this._runUntil(this._checked(t));
    const reason = this._refusal(event);
    if (reason !== null) {
      this.ignoredEvents.push({ t: seconds(this._now), event, reason });
      return;
    }
    if (event === 'sharp_pain' || event === 'quit') {
      if (this._hold !== null) this._endHold(event);
      this._finish(event === 'sharp_pain' ? 'stopped_sharp_pain' : 'quit');
    } else if (event === 'pause') {
      this._paused = true;
      this._emit('pause');
    } else if (event === 'resume') {
      this._paused = false;
      this._emit('resume');
    } else if (event === 'tender_spot') {
      this._hold = { index: this._index, start_ms: this._now, held_ms: 0, may_release_sent: false };
      this._emit('hold_start', { index: this._index, leg: this._leg() });
    } else if (event === 'release') {
      this._endHold('release');
    } else if (event === 'skip') {
      if (this._hold !== null) this._endHold('skip');
      else this._endStep('skip');
    }
  }

  /** No more input: play the session out, or end it as abandoned if it is paused. */
  finish() {
    if (this.outcome !== null) return;
    if (this._paused) {
      if (this._hold !== null) this._endHold('abandoned');
      this._finish('abandoned');
      return;
    }
    this._runUntil(null);
  }

  /** What the person should see and hear at t (advances the engine to t). */
  view(t) {
    this.advance(t);
    const ended = this.outcome !== null;
    const [c, step] = this.steps[this._index];
    const calf = this.calves[c];
    const hold = this._hold;
    const following = this._index + 1 < this.steps.length ? this.steps[this._index + 1][1] : null;
    let position = null;
    let direction = null;
    if (!ended && hold === null && this._pace(step)) {
      [position, direction] = pacePosition((step.seconds * 1000 - this._left) / 1000, this._pace(step));
    }
    return {
      t: seconds(this._now),
      outcome: this.outcome,
      paused: this._paused,
      step_index: ended ? null : this._index,
      step: ended ? null : step,
      leg: ended ? null : this.plan.calves[c].leg,
      step_left: ended ? 0 : seconds(this._effectiveLeft()),
      calf_elapsed: seconds(calf.active_ms),
      calf_planned: Math.floor(calf.planned_ms / 1000),
      session_elapsed: seconds(this.activeMs),
      session_planned: this.steps.reduce((sum, [, s]) => sum + s.seconds, 0),
      next_step: ended ? null : following,
      holding: hold !== null,
      hold_seconds: hold ? seconds(hold.held_ms) : 0,
      may_release: hold !== null && hold.held_ms >= HOLD_MAY_RELEASE_MS,
      pace_position: position,
      pace_direction: direction,
    };
  }

  calfSummaries() {
    return this.plan.calves.map((planCalf, c) => ({
      leg: planCalf.leg,
      planned_seconds: planCalf.seconds,
      active_seconds: seconds(this.calves[c].active_ms),
      holds: this.calves[c].holds.map(([a, b, h]) => ({ start: seconds(a), end: seconds(b), seconds: seconds(h) })),
    }));
  }

  // -- time -----------------------------------------------------------------------------

  _checked(t) {
    if (typeof t !== 'number' || !Number.isFinite(t) || t < 0) {
      throw new RangeError(`time must be a finite number of seconds, 0 or more, got ${t}`);
    }
    const tMs = toMs(t);
    if (tMs < this._now) throw new RangeError(`time went backwards: ${t} s is before ${seconds(this._now)} s`);
    return tMs;
  }

  _runUntil(tMs) {
    while (this.outcome === null) {
      const due = this._nextDue();
      if (due === null || (tMs !== null && due > tMs)) break;
      this._elapse(due - this._now);
      this._fireDue();
    }
    if (tMs !== null && tMs > this._now && this.outcome === null) this._elapse(tMs - this._now);
  }

  _elapse(dt) {
    this._now += dt;
    if (this._paused) {
      this.pausedMs += dt;
      return;
    }
    this.activeMs += dt;
    const calf = this.calves[this.steps[this._index][0]];
    if (this._hold !== null) {
      this._hold.held_ms += dt;
      calf.active_ms += dt;
      return;
    }
    this._left -= dt;
    if (counted(this.steps[this._index][1].kind)) calf.active_ms += dt;
  }

  _capLeft() {
    return CALF_MAX_MS - this.calves[this.steps[this._index][0]].active_ms;
  }

  /** The step's time left: its own, or less when the calf's 180 s come first. */
  _effectiveLeft() {
    if (counted(this.steps[this._index][1].kind)) return Math.min(this._left, this._capLeft());
    return this._left;
  }

  _nextDue() {
    if (this.outcome !== null || this._paused) return null;
    const hold = this._hold;
    if (hold !== null) {
      const due = [HOLD_MAX_MS - hold.held_ms, this._capLeft()];
      if (!hold.may_release_sent) due.push(HOLD_MAY_RELEASE_MS - hold.held_ms);
      return this._now + Math.min(...due);
    }
    const left = this._effectiveLeft();
    const due = [left, ...this._pending.filter((n) => n * 1000 <= left).map((n) => left - n * 1000)];
    return this._now + Math.min(...due);
  }

  /** Everything due now, in the fixed order of docs/session-timeline.md. */
  _fireDue() {
    const hold = this._hold;
    if (hold !== null) {
      if (!hold.may_release_sent && hold.held_ms >= HOLD_MAY_RELEASE_MS) {
        hold.may_release_sent = true;
        this._emit('hold_may_release', { index: hold.index, leg: this._leg() });
      }
      if (this._capLeft() <= 0) {
        this._endHold('calf_limit');
        this._endStep('calf_limit');
      } else if (hold.held_ms >= HOLD_MAX_MS) {
        this._endHold('timeout');
      }
      return;
    }
    const left = this._effectiveLeft();
    for (const n of [...this._pending]) {
      if (n * 1000 === left) {
        this._pending = this._pending.filter((p) => p !== n);
        this._emit('countdown', { index: this._index, remaining: n });
      }
    }
    if (this._left <= 0) this._endStep('done');
    else if (counted(this.steps[this._index][1].kind) && this._capLeft() <= 0) this._endStep('calf_limit');
  }

  // -- transitions ----------------------------------------------------------------------

  _startStep(index) {
    this._index = index;
    const step = this.steps[index][1];
    this._left = step.seconds * 1000;
    const left = this._effectiveLeft();
    this._pending = COUNTDOWN_AT.filter((n) => n * 1000 < left);
    const fields = { index, leg: this._leg(), kind: step.kind, seconds: step.seconds, cue: step.cue };
    if (this._pace(step) !== null) fields.pace_per_minute = this._pace(step);
    this._emit('step_start', fields);
  }

  _endStep(reason) {
    this._emit('step_end', { index: this._index, reason });
    const c = this.steps[this._index][0];
    let following = this._index + 1;
    if (this.calves[c].active_ms >= CALF_MAX_MS) {
      while (following < this.steps.length && this.steps[following][0] === c) following += 1;
    }
    if (following < this.steps.length) this._startStep(following);
    else this._finish('completed');
  }

  _endHold(reason) {
    const hold = this._hold;
    this.calves[this.steps[hold.index][0]].holds.push([hold.start_ms, this._now, hold.held_ms]);
    this._hold = null;
    this._emit('hold_end', { index: hold.index, leg: this._leg(), reason, held: seconds(hold.held_ms) });
    const left = this._effectiveLeft();
    this._pending = this._pending.filter((n) => n * 1000 <= left);
  }

  _finish(outcome) {
    this.outcome = outcome;
    this.endMs = this._now;
    if (outcome === 'stopped_sharp_pain') this._emit('session_end', { outcome, advice: this.sharpPainAdvice });
    else this._emit('session_end', { outcome });
  }

  /** Why an event does not fit the moment, or null when it applies. */
  _refusal(event) {
    if (this.outcome !== null) return 'ended';
    if (event === 'sharp_pain' || event === 'quit') return null;
    if (event === 'pause') return this._paused ? 'already_paused' : null;
    if (event === 'resume') return this._paused ? null : 'not_paused';
    if (this._paused) return 'paused';
    if (event === 'tender_spot') {
      if (this._hold !== null) return 'holding';
      return this.steps[this._index][1].kind === 'passes' ? null : 'not_passes';
    }
    if (event === 'release' && this._hold === null) return 'no_hold';
    return null;
  }

  // A step's pace guide, as core/plan_json.py reads it: passes and strokes steps only
  // (Python: PACED).
  _pace(step) {
    return (step.kind === 'passes' || step.kind === 'strokes') && step.pace_per_minute != null ? step.pace_per_minute : null;
  }

  _leg() {
    return this.plan.calves[this.steps[this._index][0]].leg;
  }

  _emit(type, fields = {}) {
    this.timeline.push({ t: seconds(this._now), type, ...fields });
  }
}

// -- replay (core/replay.py) --------------------------------------------------------------

/** Run `events` ([{t, event}]) on a fresh engine, then let the session play out. */
export function runReplay(plan, events, { sharpPainAdvice } = {}) {
  const engine = new SessionEngine(plan, { sharpPainAdvice });
  for (const e of events) engine.apply(e.event, e.t);
  engine.finish();
  return engine;
}

/** The contract's replay output, for a finished engine. */
export function replayJson(engine) {
  const out = {
    contract: CONTRACT_VERSION,
    outcome: engine.outcome,
    duration_seconds: seconds(engine.endMs),
    active_seconds: seconds(engine.activeMs),
    paused_seconds: seconds(engine.pausedMs),
    calves: engine.calfSummaries(),
    timeline: engine.timeline,
    ignored_events: engine.ignoredEvents,
  };
  if (engine.outcome === 'stopped_sharp_pain') out.advice = engine.sharpPainAdvice;
  return out;
}

/** Python's replay(plan, events, sharp_pain_advice=...), for the plan JSON. */
export function replay(plan, events, { sharpPainAdvice } = {}) {
  return replayJson(runReplay(plan, events, { sharpPainAdvice }));
}
