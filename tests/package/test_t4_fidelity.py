"""The bonus tutorial's trainers print the original procedure's numbers (W1D5 Tutorial 4).

The reference is the plain restatement of the original notebook in ``tools/original.py``
(``optim.SGD``, penalties through autograd every iteration, test passes with a graph), run with
the original's seeds on the same offline surrogate data as the package's
:func:`nma_dl.decode_orientation` and :func:`nma_dl.train_encoder` (the classifiers through
``tools/t4_speed.py``, the benchmark that times both). Accuracies and the fraction
of small weights must be identical, every recorded loss equal to 1e-4 (relative). The surrogate
is generated with fewer neurons to keep the test quick; ``tools/t4_speed.py`` does the same with
all 23 589 neurons.
"""

import numpy as np
import original  # tools/, on pytest's pythonpath (pyproject.toml)
import pytest
import t4_speed
import torch

from nma_dl import train_test_split
from nma_dl.data.surrogate import generate

N_NEURONS = 200


@pytest.fixture(scope="module")
def files():
    return generate(n_neurons=N_NEURONS)


@pytest.fixture(scope="module")
def classifiers(files):
    resp = torch.tensor(files["oribinned1"]["resp"])
    stimuli = torch.tensor(files["oribinned1"]["stimuli"], dtype=torch.float32).unsqueeze(1)
    torch.manual_seed(4)  # the original's split: seed 4, 60 % for training
    resp_train, resp_test, stimuli_train, stimuli_test = train_test_split(resp, stimuli)
    return t4_speed.run_classifiers(
        resp_train, stimuli_train, resp_test, stimuli_test, n_iter=100, repeats=1
    )


def test_classifiers_have_the_originals_accuracies(classifiers):
    for result in classifiers:
        assert result["accuracy_package"] == pytest.approx(result["accuracy_original"], abs=1e-6)


def test_classifiers_have_the_originals_fraction_of_small_weights(classifiers):
    unregularized, regularized = classifiers
    for result in classifiers:
        assert result["small_package"] == result["small_original"]
    assert regularized["small_package"] > unregularized["small_package"]  # sparser


def test_classifiers_record_the_originals_losses(classifiers):
    for result in classifiers:
        assert result["difference"] < 1e-5, result


def test_encoder_records_the_originals_loss_curve(files, monkeypatch):
    split = files["oribinned6_split"]
    resp_train = torch.tensor(split["resp_train"])
    resp_test = torch.tensor(split["resp_test"])
    # lr 2 is for 23 589 neurons (the loss averages over them); scale it to N_NEURONS
    learning_rate = 2 * N_NEURONS / 23589
    from nma_dl import ConvFC, filters, grating_stimuli, set_seed, train_encoder

    _, images = grating_stimuli()
    set_seed(1)
    net = ConvFC(N_NEURONS, filters=filters())
    train_p, test_p = train_encoder(
        net, images, resp_train, images, resp_test, learning_rate=learning_rate, n_iter=60,
        verbose=False,
    )  # fmt: skip
    set_seed(1)
    net = ConvFC(N_NEURONS, filters=filters())
    train_o, test_o = original.encode(
        net, images, resp_train, images, resp_test, learning_rate=learning_rate, n_iter=60
    )
    assert np.array_equal(np.isnan(test_p), np.isnan(test_o))
    assert (~np.isnan(test_p)).sum() == 11  # the first iteration and every n_iter // 10
    assert original.max_relative_difference(train_p, train_o) < 1e-4
    assert original.max_relative_difference(test_p, test_o) < 1e-4
    assert train_p[-1] < 0.5 * train_p[0]  # it learnt something


@pytest.mark.parametrize(("L2_penalty", "L1_penalty"), [(0, 0), (1e-3, 1e-4)])
def test_decode_orientation_trains_exactly_as_the_plain_loop(L2_penalty, L1_penalty):
    # Same products in the same order as the restatement: the same numbers to the last bit (the
    # L1 penalty's sign(w) would turn any change of rounding into a different trajectory).
    from nma_dl import DeepNetSoftmax, decode_orientation, regularized_loss
    from nma_dl.stimuli import stimulus_class

    gen = torch.Generator().manual_seed(0)
    resp, stimuli = torch.randn(60, 30, generator=gen), 360 * torch.rand(60, 1, generator=gen)
    loss_fn = regularized_loss if L2_penalty else torch.nn.NLLLoss()
    torch.manual_seed(0)
    net = DeepNetSoftmax(30, 8, 4)
    state = {k: v.clone() for k, v in net.state_dict().items()}
    train_p, test_p, predicted = decode_orientation(
        net, 4, loss_fn, resp[:40], stimuli[:40], resp[40:], stimuli[40:], n_iter=20,
        L2_penalty=L2_penalty, L1_penalty=L1_penalty,
    )  # fmt: skip
    trained = {k: v.clone() for k, v in net.state_dict().items()}
    net.load_state_dict(state)
    classes = [stimulus_class(s, 4) for s in (stimuli[:40], stimuli[40:])]
    train_o, test_o, predicted_o, _ = original.decode(
        net, loss_fn, resp[:40], classes[0], resp[40:], classes[1], 20, L2_penalty, L1_penalty
    )
    assert train_p == train_o and test_p == test_o
    assert torch.equal(predicted, predicted_o)
    for name, value in net.state_dict().items():
        assert torch.equal(trained[name], value), name
