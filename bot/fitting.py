"""`python -m bot fit`: re-fit the matcher's decision model on the tuning questions.

Every candidate fact the matcher weighs for a `dev` question becomes one row (its
features; 1 when it is the labelled answer, else 0); conversations are replayed
through a Core so follow-ups are featurised with the context the bot would have. That
replay answers with the current model, so after a large change a second fit settles
the weights. The holdout is never read here.
"""

import asyncio
from dataclasses import dataclass

import numpy as np

from bot.core import Core, Question
from bot.evaluation import MORE, Case, default_sets, load_cases
from intents import FactBase
from intents.calibration import FEATURES, Calibration, weights_file

L2 = 1.0  # ridge penalty: keeps weights of rare features from running off
STEPS = 50


@dataclass(frozen=True, slots=True)
class Rows:
    features: np.ndarray  # one row per (question, candidate fact)
    labels: np.ndarray


def training_rows(base: FactBase, cases: list[Case]) -> Rows:
    """The model's view of every dev question's candidates, labelled right or wrong.

    Conversations are replayed through a Core, so each turn is featurised with the
    context the bot itself would have at that point.
    """
    return asyncio.run(_rows(Core(base), [c for c in cases if c.split == "dev"]))


async def _rows(core: Core, cases: list[Case]) -> Rows:
    rows: list[list[float]] = []
    labels: list[float] = []
    for n, case in enumerate(cases):
        chat = case.chat or f"single:{n}"
        question = Question(case.question, user_id=chat, chat_id=chat, platform="fit")
        context = core.conversations.context(("fit", chat, chat))
        if case.intent != MORE:
            matcher = core.matcher_in(case.lang)  # the model of the language it is in
            for fact_id, features in matcher.features(case.question, context):
                rows.append([features[name] for name in FEATURES])
                labels.append(float(fact_id == case.intent))
        if case.chat:
            await core.answer(question)
    return Rows(np.array(rows), np.array(labels))


def fit_logistic(rows: Rows) -> Calibration:
    """L2-regularised logistic regression by Newton's method (the bias is not penalised)."""
    x = np.hstack([np.ones((len(rows.features), 1)), rows.features])
    y = rows.labels
    w = np.zeros(x.shape[1])
    penalty = np.eye(x.shape[1]) * L2
    penalty[0, 0] = 0.0
    for _ in range(STEPS):
        p = 1 / (1 + np.exp(-np.clip(x @ w, -60, 60)))
        gradient = x.T @ (p - y) + penalty @ w
        hessian = (x.T * (p * (1 - p))) @ x + penalty
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    weights = {name: round(float(v), 4) for name, v in zip(FEATURES, w[1:], strict=True)}
    return Calibration(weights, round(float(w[0]), 4))


def refit(base: FactBase) -> dict[str, tuple[Calibration, int]]:
    """Fit each language's model on the dev part of its sets and save it beside the matcher;
    per language, the model and how many rows it was fitted on."""
    cases = [c for path in default_sets() for c in load_cases(path)]
    fitted = {}
    for code in dict.fromkeys(c.lang for c in cases):
        rows = training_rows(base, [c for c in cases if c.lang == code])
        calibration = fit_logistic(rows)
        calibration.save(
            weights_file(code),
            fitted_on=f"{len(rows.labels)} candidate rows of the {code} dev questions; "
            "`python -m bot fit`",
        )
        fitted[code] = (calibration, len(rows.labels))
    return fitted
