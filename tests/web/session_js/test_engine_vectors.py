"""The JavaScript session engine (web/static/session/engine.js) equals the Python one.

Run in a real headless Chromium (one per module, see conftest.py):

- every shared vector in tests/data/session_vectors/ gives exactly its ``expected`` output;
- a few hundred seeded random plans and event scripts (same-instant events, pauses, times
  that round at half a millisecond, views in between) give the same replay output and the
  same `view` at every sampled instant in both engines;
- a Hypothesis search (with shrinking) over plans and scripts finds no difference;
- ``pacePosition`` equals Python's ``pace_position`` (its rounding included).

"Equal" is `assert_same`: the same JSON structure, the same keys in the same order, the same
strings and booleans, and every number the same double (``150.0`` in Python is ``150`` in
JavaScript: equal values, different text).
"""

from __future__ import annotations

import copy
import itertools
import json
import random
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calfcare.content.routines import load_routines
from calfcare.core.levels import Leg
from calfcare.core.plan_json import parse_plan, plan_to_json, step_to_json
from calfcare.core.planner import plan
from calfcare.core.replay import parse_events, replay, replay_json
from calfcare.core.routine import Intensity, PlanOptions, Tool
from calfcare.core.session import SessionEngine
from calfcare.core.timeline import EventKind, SessionView, pace_position
from tests.web.session_js.conftest import ENGINE_JS, ROOT, JsEngine

VECTORS = sorted((ROOT / "tests" / "data" / "session_vectors").glob("*.json"))
CONTENT = load_routines()
ADVICE = CONTENT.sharp_pain_advice
LEG_ORDERS = [(Leg.LEFT,), (Leg.RIGHT,), (Leg.LEFT, Leg.RIGHT), (Leg.RIGHT, Leg.LEFT)]
EVENT_WEIGHTS = {
    "tender_spot": 6,
    "release": 3,
    "pause": 2,
    "resume": 2,
    "skip": 3,
    "sharp_pain": 1,
    "quit": 1,
}

# Runs one case in the page: the pure replay, and an engine driven op by op with views.
JS_RUN = """cases => cases.map(c => {
  const {replay, replayJson, SessionEngine} = window.engine;
  const options = {sharpPainAdvice: c.advice};
  const events = c.ops.filter(op => op.op === 'event');
  const driven = new SessionEngine(c.plan, options);
  const views = [];
  for (const op of c.ops) {
    if (op.op === 'view') views.push(driven.view(op.t));
    else driven.apply(op.event, op.t);
  }
  driven.finish();
  return {replay: replay(c.plan, events, options), driven: replayJson(driven), views};
})"""


# -- equality ---------------------------------------------------------------------------------


def assert_same(got: Any, want: Any, where: str = "$") -> None:
    """JSON values equal: same keys in order, same strings/booleans, numbers equal as doubles."""
    if isinstance(want, dict):
        assert isinstance(got, dict), f"{where}: {got!r} is not an object"
        assert list(got) == list(want), f"{where}: keys {list(got)} != {list(want)}"
        for key in want:
            assert_same(got[key], want[key], f"{where}.{key}")
    elif isinstance(want, list):
        assert isinstance(got, list), f"{where}: {got!r} is not a list"
        assert len(got) == len(want), f"{where}: {len(got)} items, not {len(want)}"
        for i, (a, b) in enumerate(zip(got, want, strict=True)):
            assert_same(a, b, f"{where}[{i}]")
    elif isinstance(want, bool) or want is None or isinstance(want, str):
        assert type(got) is type(want) and got == want, f"{where}: {got!r} != {want!r}"
    else:
        assert isinstance(want, int | float), f"{where}: unexpected {want!r}"
        assert isinstance(got, int | float) and not isinstance(got, bool), (
            f"{where}: {got!r} is not a number"
        )
        assert float(got) == float(want), f"{where}: {got!r} != {want!r}"


def test_assert_same_is_strict() -> None:
    assert_same({"a": 150, "b": [0.001]}, {"a": 150.0, "b": [0.001]})
    for got, want in [
        ({"b": 1, "a": 2}, {"a": 2, "b": 1}),
        (True, 1),
        (1, True),
        (0.1 + 0.2, 0.3),
        ([1], [1, 1]),
        (None, 0),
    ]:
        with pytest.raises(AssertionError):
            assert_same(got, want)


# -- the shared vectors -----------------------------------------------------------------------


def test_there_are_shared_vectors() -> None:
    assert len(VECTORS) >= 19


@pytest.mark.parametrize("path", VECTORS, ids=lambda p: p.stem)
def test_js_engine_reproduces_vector(js: JsEngine, path: Path) -> None:
    vector = json.loads(path.read_text(encoding="utf-8"))
    got = js.call(
        "v => window.engine.replay(v.plan, v.events, {sharpPainAdvice: v.advice})",
        {"plan": vector["plan"], "events": vector["events"], "advice": ADVICE},
    )
    assert_same(got, vector["expected"])


# -- random plans and scripts -----------------------------------------------------------------


def random_plan(rng: random.Random) -> dict[str, Any]:
    """A planner-made plan over every option; sometimes with other position/switch seconds."""
    options = PlanOptions(
        tool=rng.choice(list(Tool)),
        legs=rng.choice(LEG_ORDERS),
        seconds_per_calf=rng.randint(120, 180),
        intensity=rng.choice(list(Intensity)),
        pace_per_minute=rng.choice([None, rng.randint(10, 30)]),
    )
    made = plan_to_json(plan(options, CONTENT))
    if rng.random() < 0.3:
        made = copy.deepcopy(made)
        for calf in made["calves"]:
            calf["steps"][0]["seconds"] = rng.choice([0, 0, 1, 2, 3, 4, rng.randint(0, 20)])
    return made


def _boundaries(plan_json: dict[str, Any]) -> list[float]:
    """The instants where steps end when nothing happens (good places for events)."""
    t, out = 0, []
    for calf in plan_json["calves"]:
        for step in calf["steps"]:
            t += step["seconds"]
            out.append(float(t))
    return out


def _random_time(rng: random.Random, end: float, marks: list[float]) -> float:
    base = rng.choice(marks) if rng.random() < 0.3 else rng.uniform(0, end)
    shape = rng.random()
    if shape < 0.3:
        return float(round(base))
    if shape < 0.45:
        return round(base * 2) / 2
    if shape < 0.6:  # exactly half a millisecond: rounds up in both engines
        return max(0.0, (round(base * 1000) + 0.5) / 1000)
    if shape < 0.75:
        return round(base, 3)
    return base


def random_ops(rng: random.Random, plan_json: dict[str, Any]) -> list[dict[str, Any]]:
    """Events (sometimes several at one instant) and views, in time order.

    Half the scripts scatter events over the whole session; the other half walk through it
    with gaps of a hold's length, mostly tender spots, so calves reach their 180 s.
    """
    marks = _boundaries(plan_json)
    end = marks[-1] * 1.3
    names = list(EVENT_WEIGHTS)
    weights = list(EVENT_WEIGHTS.values())
    ops: list[dict[str, Any]] = []
    walk = rng.random() < 0.5
    t = 0.0
    for _ in range(rng.randint(0, 14)):
        if walk:
            t += rng.choice([0.0, rng.uniform(0, 5), rng.uniform(0, 70), 30.0, 60.0, 60.0005])
            name = "tender_spot" if rng.random() < 0.6 else rng.choices(names, weights)[0]
        else:
            t = _random_time(rng, end, marks)
            name = rng.choices(names, weights)[0]
        ops.append({"op": "event", "t": t, "event": name})
        if rng.random() < 0.15:  # the same instant again
            ops.append({"op": "event", "t": t, "event": rng.choices(names, weights)[0]})
    for _ in range(rng.randint(0, 8)):
        ops.append({"op": "view", "t": _random_time(rng, end, marks)})
    ops.sort(key=lambda op: op["t"])  # stable: same-instant ops keep their order
    return ops


def view_json(view: SessionView) -> dict[str, Any]:
    """A `SessionView` as the JSON the JavaScript `view` returns (steps as plan JSON)."""
    out: dict[str, Any] = {f.name: getattr(view, f.name) for f in fields(view)}
    out["step"] = step_to_json(view.step) if view.step is not None else None
    out["next_step"] = step_to_json(view.next_step) if view.next_step is not None else None
    loaded: dict[str, Any] = json.loads(json.dumps(out))
    return loaded


def py_run(plan_json: dict[str, Any], ops: list[dict[str, Any]]) -> dict[str, Any]:
    """The Python side of `JS_RUN`."""
    made = parse_plan(plan_json)
    events = [op for op in ops if op["op"] == "event"]
    driven = SessionEngine(made, sharp_pain_advice=ADVICE)
    views = []
    for op in ops:
        if op["op"] == "view":
            views.append(view_json(driven.view(op["t"])))
        else:
            driven.apply(EventKind(op["event"]), op["t"])
    driven.finish()
    out = {
        "replay": replay(made, parse_events(events), sharp_pain_advice=ADVICE),
        "driven": replay_json(driven),
        "views": views,
    }
    loaded: dict[str, Any] = json.loads(json.dumps(out))
    return loaded


def _compare(js: JsEngine, cases: list[tuple[dict[str, Any], list[dict[str, Any]]]]) -> None:
    batch = [{"plan": p, "ops": ops, "advice": ADVICE} for p, ops in cases]
    results = js.call(JS_RUN, batch)
    for i, ((plan_json, ops), got) in enumerate(zip(cases, results, strict=True)):
        want = py_run(plan_json, ops)
        try:
            assert_same(got, want)
        except AssertionError as error:
            events = [op for op in ops if op["op"] == "event"]
            raise AssertionError(
                f"case {i}: {error}\nplan {plan_json['tool']}/{plan_json['intensity']} "
                f"{[c['leg'] for c in plan_json['calves']]}\nops {ops}\nevents {events}"
            ) from None


def test_random_plans_and_scripts_give_the_same_output(js: JsEngine) -> None:
    rng = random.Random(20261)
    cases = []
    for _ in range(200):
        made = random_plan(rng)
        cases.append((made, random_ops(rng, made)))
    _compare(js, cases)
    # The random scripts reach the interesting rules, not just the plain run.
    kinds = set()
    for made, ops in cases:
        out = py_run(made, ops)["replay"]
        timeline = out["timeline"]
        kinds |= {(e["type"], e.get("reason") or e.get("outcome")) for e in timeline}
        kinds |= {("ignored", e["reason"]) for e in out["ignored_events"]}
        starts = [e["index"] for e in timeline if e["type"] == "step_start"]
        if any(b > a + 1 for a, b in itertools.pairwise(starts)):
            kinds.add(("calf_done_early", "steps_dropped"))
    for wanted in [
        ("hold_end", "release"),
        ("hold_end", "timeout"),
        ("hold_end", "calf_limit"),
        ("hold_end", "skip"),
        ("step_end", "calf_limit"),
        ("session_end", "abandoned"),
        ("session_end", "stopped_sharp_pain"),
        ("session_end", "quit"),
        ("session_end", "completed"),
        ("calf_done_early", "steps_dropped"),
        *[("ignored", r) for r in ["ended", "already_paused", "not_paused", "paused"]],
        *[("ignored", r) for r in ["holding", "not_passes", "no_hold"]],
    ]:
        assert wanted in kinds, wanted


def test_views_are_compared_during_holds_pauses_and_passes(js: JsEngine) -> None:
    """A hand-made script whose views land in a hold, a pause, passes and after the end."""
    made = plan_to_json(plan(PlanOptions(tool=Tool.BALL, pace_per_minute=17), CONTENT))
    ops = [
        {"op": "view", "t": 0.0},
        {"op": "view", "t": 12.3456},
        {"op": "event", "t": 20.0, "event": "tender_spot"},
        {"op": "view", "t": 35.0},
        {"op": "event", "t": 50.0005, "event": "pause"},
        {"op": "view", "t": 60.0},
        {"op": "event", "t": 61.0, "event": "resume"},
        {"op": "view", "t": 61.0},
        {"op": "event", "t": 70.0, "event": "release"},
        {"op": "view", "t": 70.0},
        {"op": "view", "t": 71.0625},
        {"op": "view", "t": 1000.0},
    ]
    _compare(js, [(made, ops)])
    views = py_run(made, ops)["views"]
    assert views[2]["holding"] and views[3]["paused"] and views[1]["pace_position"] is not None
    assert views[-1]["outcome"] == "completed"


@st.composite
def cases(draw: st.DrawFn) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    rng = random.Random(draw(st.integers(0, 2**32)))
    made = random_plan(rng)
    t = 0.0
    ops: list[dict[str, Any]] = []
    gaps = st.one_of(st.just(0.0), st.floats(0, 90), st.integers(0, 70).map(float))
    for gap, name in draw(st.lists(st.tuples(gaps, st.sampled_from(list(EVENT_WEIGHTS))))):
        t += gap
        ops.append({"op": "view", "t": t} if draw(st.booleans()) else {"op": "event", "t": t})
        if ops[-1]["op"] == "event":
            ops[-1]["event"] = name
    return made, ops


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=cases())
def test_hypothesis_finds_no_difference(
    js: JsEngine, case: tuple[dict[str, Any], list[dict[str, Any]]]
) -> None:
    _compare(js, [case])


# -- the pace guide and the API ---------------------------------------------------------------


def test_pace_position_equals_python(js: JsEngine) -> None:
    rng = random.Random(7)
    pairs: list[tuple[float, int]] = []
    for pace in range(10, 31):
        pairs += [(k / 16, pace) for k in range(0, 2000, 3)]  # exact ties at 3 decimals
        pairs += [(k / 1000, pace) for k in range(0, 200_000, 997)]  # the engine's own clock
        pairs += [(rng.uniform(0, 300), pace) for _ in range(200)]
    pairs += [(-1.25, 24), (-0.0625, 10), (1e9, 30), (0.0, 15)]
    got = js.call("ps => ps.map(([e, p]) => window.engine.pacePosition(e, p))", pairs)
    want = [list(pace_position(e, p)) for e, p in pairs]
    for (e, p), a, b in zip(pairs, got, want, strict=True):
        assert a[1] == b[1] and float(a[0]) == b[0], f"pacePosition({e!r}, {p}): {a} != {b}"


def test_api_shape_and_errors(js: JsEngine) -> None:
    vector = json.loads(VECTORS[0].read_text(encoding="utf-8"))
    got = js.call(
        """plan => {
          const m = window.engine;
          const e = new m.SessionEngine(plan, {sharpPainAdvice: 'stop'});
          const errors = [];
          for (const bad of [() => e.apply('jump', 1), () => e.advance(-1), () => e.advance(NaN),
                             () => { e.advance(5); e.advance(4.9994); }]) {
            try { bad(); errors.push(null); } catch (err) { errors.push(err.constructor.name); }
          }
          const view = e.view(5);
          e.finish();
          return {
            exports: Object.keys(m).sort(),
            methods: ['apply', 'advance', 'view', 'finish', 'calfSummaries']
              .filter(name => typeof e[name] === 'function'),
            viewKeys: Object.keys(view), outcome: e.outcome,
            timeline: Array.isArray(e.timeline), ignored: Array.isArray(e.ignoredEvents),
            errors,
          };
        }""",
        vector["plan"],
    )
    assert {"SessionEngine", "replay", "pacePosition"} <= set(got["exports"])
    assert got["methods"] == ["apply", "advance", "view", "finish", "calfSummaries"]
    assert got["viewKeys"] == [f.name for f in fields(SessionView)]
    assert got["outcome"] == "completed" and got["timeline"] and got["ignored"]
    assert got["errors"] == ["Error", "RangeError", "RangeError", "RangeError"]


def test_engine_stays_small() -> None:
    """The whole live page must stay under ~50 KB; the engine's share is under 15 KB."""
    assert ENGINE_JS.stat().st_size < 15_000
