"""What Tutorial 3 (normative encoding models) says holds for the offline surrogate it is built
with in CI: the trained network's accuracy and where it errs, which layer is more V1-like by RSA,
and the side-of-vertical structure of the 'fc' layer that the prose describes."""

import contextlib
import io

import numpy as np
import pytest
import torch
from torch import nn

from nma_dl import (
    CNN,
    RDM,
    correlate_rdms,
    get_hidden_activity,
    grating,
    load_data,
    tilt_range,
    train,
)


@pytest.fixture(scope="module")
def tutorial():
    """The page's training and recordings, with its seeds and settings."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # as the page does
    try:
        np.random.seed(12)
        torch.manual_seed(12)
        net = CNN(48, 64)
        ori = (np.random.rand(1000) - 0.5) * 180
        stimuli = torch.stack([grating(a) for a in ori])
        tilt = torch.tensor(ori > 0, dtype=torch.float32).unsqueeze(-1)
        with contextlib.redirect_stdout(io.StringIO()):
            train(net, nn.BCELoss(), stimuli, tilt, 25, 5e-4, momentum=0.99, batch_size=100)
        resp_v1, ori_v1 = tilt_range(*load_data(source="synthetic"))
        ori_v1 = ori_v1.numpy()
        stimuli_v1 = torch.stack([grating(a) for a in ori_v1])
        resp = {"V1 data": resp_v1.numpy(), **get_hidden_activity(net, stimuli_v1, ["pool", "fc"])}
    finally:
        torch.set_num_threads(threads)
    return net, ori_v1, resp


def test_held_out_accuracy_and_where_it_errs(tutorial):
    net = tutorial[0]
    test_ori = np.random.default_rng(2021).uniform(-90, 90, 500)  # the page's test set
    with torch.no_grad():
        p = net(torch.stack([grating(a) for a in test_ori])).squeeze(1).numpy()
    wrong = (p > 0.5) != (test_ori > 0)
    assert wrong.mean() <= 0.05  # "99.8 %" on the page; >= 95 % leaves room for other torch builds
    # "the few mistakes lie close to vertical or close to horizontal"
    assert np.all(np.minimum(np.abs(test_ori[wrong]), 90 - np.abs(test_ori[wrong])) < 10)


def test_the_stimuli_are_half_the_circle_as_tilts(tutorial):
    ori = tutorial[1]
    assert len(ori) == 180 and -90 <= ori.min() < -89 and 89 < ori.max() < 90


def test_pool_is_more_v1_like_by_a_wide_margin(tutorial):
    resp = tutorial[2]
    rdm_v1 = RDM(resp["V1 data"])
    pool = correlate_rdms(rdm_v1, RDM(resp["pool"]))
    fc = correlate_rdms(rdm_v1, RDM(resp["fc"]))
    assert pool > fc + 0.1, (pool, fc)  # measured: 0.905 and 0.660


def test_fc_groups_stimuli_by_side_and_v1_does_not(tutorial):
    _, ori, resp = tutorial
    right = ori > 0
    same_side = right[:, None] == right[None, :]
    for label, expect_split in [("fc", True), ("V1 data", False)]:
        rdm = RDM(resp[label])
        within, across = rdm[same_side].mean(), rdm[~same_side].mean()
        assert bool(across > 3 * within) is expect_split, (label, within, across)
