import numpy as np

from bot.evaluation import Case
from bot.fitting import Rows, fit_logistic, training_rows
from intents.calibration import FEATURES, Calibration


def test_fit_logistic_learns_which_feature_predicts():
    rng = np.random.default_rng(0)
    features = rng.random((400, len(FEATURES)))
    labels = (features[:, FEATURES.index("coverage")] > 0.5).astype(float)
    calibration = fit_logistic(Rows(features, labels))
    weights = calibration.weights
    assert weights["coverage"] > 5 and all(abs(weights[n]) < 2 for n in FEATURES if n != "coverage")
    likely = dict.fromkeys(FEATURES, 0.5) | {"coverage": 0.9}
    unlikely = likely | {"coverage": 0.1}
    assert calibration.probability(likely) > 0.8 > 0.2 > calibration.probability(unlikely)


def test_training_rows_label_the_right_candidate_and_skip_the_holdout(base):
    cases = [
        Case("when did albania join nato", "nato_2009", "dev"),
        Case("who is putin", None, "dev"),
        Case("who is edi rama", "rama_who", "holdout"),
    ]
    rows = training_rows(base, cases)
    assert rows.features.shape[1] == len(FEATURES)
    assert rows.labels.sum() == 1  # only the NATO question has a right answer among dev rows


def test_calibration_round_trips_through_its_file(tmp_path):
    path = tmp_path / "calibration.json"
    Calibration({"coverage": 2.0}, -1.0).save(path, fitted_on="a test")
    loaded = Calibration.load(path)
    assert loaded.weights == {"coverage": 2.0} and loaded.bias == -1.0
