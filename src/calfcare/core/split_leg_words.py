"""The words of a split-leg result: one plain sentence first, then plain figures, then
"how this was worked out" (the statistics words live only there), then the caveats.

Rules (SELF-EXPERIMENT.md, "What the words may say", and the interval table in
`calfcare.core.interval_verdict`): each headline says exactly what its verdict says, and no
more; a difference is described as the change from before the session that it is; the
caveats name the biases both ways; no word of success or proof anywhere.
"""

from __future__ import annotations

from dataclasses import replace

from calfcare.core.day_words import day_text
from calfcare.core.split_leg_design import MIN_DAYS_FOR_P, SPECS, Outcome
from calfcare.core.split_leg_power import TARGET, TYPICAL_SPREAD, days_for, spread_column
from calfcare.core.split_leg_result import (
    DAYS_FOR_OWN_SPREAD,
    MISSING_WARNING_SHARE,
    ExperimentResult,
    SplitLegResult,
    Status,
)
from calfcare.core.split_leg_stats import Conclusion

_WHAT = {
    Outcome.NEXT_DAY_SORENESS: "next-day soreness",
    Outcome.SAME_SESSION_SORENESS: "soreness right after the session",
    Outcome.KNEE_TO_WALL: "knee-to-wall gain over the session",
}
# (better, worse): how the massaged calf came out, relative to the other calf.
_CAME_OUT = {
    Outcome.NEXT_DAY_SORENESS: (
        "came out less sore the next day",
        "came out more sore the next day",
    ),
    Outcome.SAME_SESSION_SORENESS: (
        "came out less sore right after the session",
        "came out more sore right after the session",
    ),
    Outcome.KNEE_TO_WALL: (
        "gained more knee-to-wall distance over the session",
        "gained less knee-to-wall distance over the session",
    ),
}
_THRESHOLD_NOTE = {
    "points": "the smallest difference in muscle soreness that matters (Ranchordas 2017; "
    "2 points is the figure for long-lasting pain, Farrar 2001)",
    "cm": "the smallest real difference between legs in the knee-to-wall test (Chisholm "
    "2012; home tests are noisier than a clinic's)",
}
SPILL_OVER = (
    "Rolling one leg also loosens the other a little (about 6-7% more range of motion in "
    "the untreated leg, Konrad 2023), so this comparison tends to understate any difference."
)
CARRY_OVER = (
    "Gains can last for days (Seever 2022), so a calf massaged earlier may still benefit on "
    "its comparison days; that also pulls the difference toward zero."
)
UNBLINDED = (
    "You knew which calf was massaged when you rated it. Expecting massage to help can make "
    "it seem to help, so this can also exaggerate a benefit."
)
NOT_PRE_REGISTERED = (
    "Not pre-registered: these days were recorded before calfcare asked for an experiment's "
    "length up front, so they are analysed as one finished experiment of all their days."
)
UNVERIFIED = (
    "The allocation could not be verified: no times were stored for these coin tosses, and "
    "a before-session rating may have been given after seeing the coin, which can bias the "
    "result either way."
)
_CAVEAT_SOURCES = ("konrad-2023", "seever-2022", "bulte-onghena-2008", "senn-2016")


def with_words(result: ExperimentResult) -> ExperimentResult:
    """``result`` with the words of each outcome filled in."""
    return replace(result, results=tuple(_words(result, r) for r in result.results))


def _words(e: ExperimentResult, r: SplitLegResult) -> SplitLegResult:
    spec = SPECS[r.outcome]
    caveats = [SPILL_OVER, CARRY_OVER, UNBLINDED]
    if e.experiment is None:
        caveats += [NOT_PRE_REGISTERED, UNVERIFIED]
    return replace(
        r,
        headline=headline(e, r),
        figures=tuple(_figures(e, r)),
        details=tuple(_details(e, r)),
        caveats=tuple(caveats),
        sources=(*spec.threshold_sources, *_CAVEAT_SOURCES),
    )


def _days(n: int) -> str:
    return f"{n} day{'' if n == 1 else 's'}"


def headline(e: ExperimentResult, r: SplitLegResult) -> str:
    """The one sentence that says what the result says (the verdict, in plain words)."""
    thr = f"{r.threshold:g} {r.unit}"
    better, worse = _CAME_OUT[r.outcome]
    what = _WHAT[r.outcome]
    c = r.conclusion
    if c is Conclusion.NOT_YET_DUE and r.status is Status.STOPPED:
        return (
            f"You stopped this experiment after {r.days} of {r.planned_days} days, so it ends "
            "without a result: part of an experiment can mislead."
        )
    if c is Conclusion.NOT_YET_DUE:
        return (
            f"Day {r.days} of {r.planned_days}: the result comes on day {r.planned_days}, so "
            "that looking early cannot fool you."
        )
    if c is Conclusion.TOO_FEW_DAYS:
        return (
            f"Too few complete days to tell ({r.days}): a result needs at least "
            f"{MIN_DAYS_FOR_P}, because with fewer even every day going the same way could "
            "be chance."
        )
    if c is Conclusion.MASSAGED_BETTER_MEANINGFUL:
        return (
            f"Your massaged calf {better} than the other calf, by more than the {thr} that matter."
        )
    if c is Conclusion.MASSAGED_BETTER_SIZE_UNCLEAR:
        return (
            f"Your massaged calf {better} than the other calf, but we can't tell whether by "
            f"enough to matter ({thr})."
        )
    if c is Conclusion.MASSAGED_WORSE_MEANINGFUL:
        return (
            f"Your massaged calf {worse} than the other calf, by more than the {thr} that matter."
        )
    if c is Conclusion.MASSAGED_WORSE_SIZE_UNCLEAR:
        return (
            f"Your massaged calf {worse} than the other calf, but we can't tell whether by "
            f"enough to matter ({thr})."
        )
    if c is Conclusion.NO_MEANINGFUL_DIFFERENCE:
        return (
            f"No difference that matters: any difference in {what} between your calves is "
            f"smaller than {thr}."
        )
    return (
        f"This can't tell: the result fits no difference in {what} as well as a difference "
        f"of {thr} or more."
    )


def amount(r: SplitLegResult, mean: float) -> str:
    """'1.8 points less sore': a mean day difference in words."""
    more, less = (
        ("more", "less") if r.outcome is Outcome.KNEE_TO_WALL else ("more sore", "less sore")
    )
    if round(abs(mean), 1) == 0:
        return "about the same"
    return f"{abs(mean):.1f} {r.unit} {more if mean > 0 else less}"


def likely(r: SplitLegResult, interval: tuple[float, float] | None) -> str:
    """' (likely between 0.88 and 2.61 points less sore; 95% interval)', or ''."""
    if interval is None or interval[0] == interval[1]:
        return ""
    more, less = (
        ("more", "less") if r.outcome is Outcome.KNEE_TO_WALL else ("more sore", "less sore")
    )
    low, high = interval

    def side(v: float) -> str:
        return f"{abs(v):.2f} {r.unit} {more if v > 0 else less}" if v else "no difference"

    if low >= 0 or high <= 0:
        near, far = (low, high) if low >= 0 else (high, low)
        span = f"between {abs(near):.2f} and {side(far)}"
    else:
        span = f"between {side(low)} and {side(high)}"
    return f" (likely {span}; 95% interval)"


def difference_sentence(
    r: SplitLegResult, mean: float, interval: tuple[float, float] | None
) -> str:
    """The average day difference as the change it is, in plain words."""
    size = amount(r, mean)
    if r.outcome is Outcome.KNEE_TO_WALL:
        than = "as" if size == "about the same" else "than"
        return (
            f"Over the session, your massaged calf's knee-to-wall distance gained on average "
            f"{size} {than} the other calf's{likely(r, interval)}."
        )
    when = "the next day" if r.outcome is Outcome.NEXT_DAY_SORENESS else "right after the session"
    than = "as" if size == "about the same" else "than"
    return (
        f"Compared with how each calf felt before the session, your massaged calf was on "
        f"average {size} {when} {than} the other calf{likely(r, interval)}."
    )


def _figures(e: ExperimentResult, r: SplitLegResult) -> list[str]:
    lines: list[str] = []
    if r.conclusion is Conclusion.NOT_YET_DUE:
        return _progress_figures(e, r)
    if not r.primary:
        lines.append("A secondary outcome: not the question this experiment was planned for.")
    if r.mean_difference is not None:
        lines.append(difference_sentence(r, r.mean_difference, r.interval))
    lines.append(f"{r.threshold:g} {r.unit} is {_THRESHOLD_NOTE[r.unit]}.")
    lines += _day_counts(r)
    pp = r.per_protocol
    if pp is not None and r.days:
        if pp.days == r.days:
            lines.append("On every day counted you massaged just the calf the coin picked.")
        elif pp.mean is not None:
            iv = None if pp.interval is None else pp.interval.as_tuple()
            lines.append(
                f"Counting only the {_days(pp.days)} you massaged just the calf the coin "
                f"picked: {amount(r, pp.mean)}{likely(r, iv)}. The main result counts every "
                "day as the coin decided, which is what keeps the comparison fair."
            )
        else:
            lines.append(
                "On no day do we know that you massaged just the calf the coin picked (no "
                "session recorded and the question not answered)."
            )
    if r.conclusion in (Conclusion.INCONCLUSIVE, Conclusion.TOO_FEW_DAYS):
        lines.append(_advice(r))
    return lines


def _day_counts(r: SplitLegResult) -> list[str]:
    lines = [f"Days counted: {r.days} of {r.planned_days} planned."]
    if r.missing:
        shown = "; ".join(f"{day_text(d.day)} ({d.reason})" for d in r.missing[:5])
        more = f"; and {len(r.missing) - 5} more" if len(r.missing) > 5 else ""
        lines.append(
            f"Missing: {_days(len(r.missing))} (calfcare never guesses a missing rating): "
            f"{shown}{more}."
        )
    if r.missing_share > MISSING_WARNING_SHARE:
        lines.append(
            f"Warning: {len(r.missing)} of {r.days + len(r.missing)} days "
            f"({r.missing_share:.0%}) are missing. If days were skipped for reasons linked "
            "to how your calves felt, the result can be wrong in either direction."
        )
    if r.left_out:
        shown = "; ".join(f"{day_text(d.day)} ({d.reason})" for d in r.left_out[:5])
        lines.append(
            f"Left out: {_days(len(r.left_out))} whose coin could not be checked: {shown}."
        )
    if r.after_end:
        lines.append(
            f"{_days(r.after_end)} after the planned days were in "
            f"{'is' if r.after_end == 1 else 'are'} not part of the result."
        )
    return lines


def _progress_figures(e: ExperimentResult, r: SplitLegResult) -> list[str]:
    spec = SPECS[r.outcome]
    second = spec.moments[1]
    measure = "rated" if spec.kind == "soreness" else "tested"
    later = "the next day" if second == "next_day" else "right after the session"
    lines = [
        f"A day counts once both calves are {measure} before the session (then the coin is "
        f"drawn) and {later}. No average, interval or verdict is shown before the planned "
        "days are in."
    ]
    lines += _day_counts(r)[1:]
    if r.pending:
        lines.append(f"Waiting for ratings: {_days(r.pending)}.")
    exp = e.experiment
    if exp is not None and r.status is Status.RUNNING:
        lines.append(plan_sentence(exp.outcome, exp.planned_days))
    return lines


def plan_sentence(outcome: Outcome, days: int) -> str:
    """What a planned length gives, with the assumptions it rests on."""
    from calfcare.core.split_leg_power import power

    spec = SPECS[outcome]
    chance = power(outcome, days)
    return (
        f"{days} complete days give a chance of about {chance:.0%} to show a difference of "
        f"{spec.threshold:g} {spec.unit} if there is one, assuming a typical day-to-day "
        f"spread ({TYPICAL_SPREAD:g} {spec.unit}) and no missed days (from simulated people)."
    )


def _advice(r: SplitLegResult) -> str:
    column = spread_column(r.spread)
    unit = r.unit
    whose = "yours" if r.spread_is_own else "a typical one"
    needed = None if column is None else days_for(r.outcome, column)
    if needed is None:
        return (
            f"Your day-to-day spread ({r.spread:.1f} {unit}) is so wide that even 60 days "
            f"would give a chance below {TARGET:.0%} to show {r.threshold:g} {unit}."
        )
    return (
        f"A new experiment of {needed} days would give a chance of at least {TARGET:.0%} to "
        f"show a difference of {r.threshold:g} {unit}, at a day-to-day spread like {whose} "
        f"({r.spread:.1f} {unit}; simulated at {column:g})."
    )


def _details(e: ExperimentResult, r: SplitLegResult) -> list[str]:
    spec = SPECS[r.outcome]
    first, second = (m.replace("_", " ") for m in spec.moments)  # words: "next day"
    lines = []
    exp = e.experiment
    if exp is None:
        lines.append(
            f"Not pre-registered: analysed once as a finished experiment of all "
            f"{_days(e.coin_days)} with a stored coin; primary outcome next-day soreness."
        )
    else:
        registered = exp.registered_at.astimezone()
        lines.append(
            f"Pre-registered {day_text(registered)}, {registered:%H:%M} "
            f"before the first coin: {exp.planned_days} complete days, primary outcome "
            f"{_WHAT[exp.outcome]}, two-sided exact test at alpha 0.05, analysed once when the "
            "planned days are in (the first days to be complete)."
        )
    lines.append(
        f"Day difference d = ({second} - {first}) of the massaged calf minus the same for the "
        "other calf; the coin decides which calf is which, so under no effect each day's sign "
        "is a fair coin (Senn 2016)."
    )
    if r.test is not None and r.p_value is not None:
        p = "p < 0.001" if r.p_value < 0.001 else f"p = {r.p_value:.3f}"
        lines.append(
            f"Exact randomisation (sign-flip) test of the mean of d on the stored coins, "
            f"two-sided, all 2^{r.days} sign patterns ({r.test.method.value}): {p} "
            "(Bulté & Onghena 2008)."
        )
    if r.interval is not None:
        lines.append(
            f"95% interval by inverting that test (every shift it does not reject; "
            f"{r.interval_method}), computed to 0.01 and rounded outward: "
            f"{r.interval[0]:+.2f} to {r.interval[1]:+.2f} {r.unit}. The verdict is read from "
            f"the whole interval against {spec.threshold:g} {r.unit}."
        )
    if r.conclusion is not Conclusion.NOT_YET_DUE:
        lines.append(
            "Primary analysis by the coin (intention to treat); per protocol: only days on "
            "which exactly the coin's calf was massaged (from that day's sessions, else your "
            "answer)."
        )
        if r.spread_is_own:
            lines.append(f"Day-to-day spread (SD of d): {r.spread:.2f} {r.unit}, your own.")
        else:
            lines.append(
                f"Day-to-day spread (SD of d): a typical {r.spread:g} {r.unit} (yours needs "
                f"{DAYS_FOR_OWN_SPREAD} days that differ)."
            )
    if exp is not None:
        lines.append(
            f"The planned length comes from simulated people (autocorrelation 0.5 within a "
            f"calf, spread {TYPICAL_SPREAD:g}); docs/insights.md gives the model."
        )
    return lines
