"""Benchmark of the bonus tutorial (W1D5 Tutorial 4): the package's trainers against the original.

Runs, in one process on the same data, the package's :func:`nma_dl.train_encoder` and
:func:`nma_dl.decode_orientation` and a plain restatement of the original course's procedure
(in ``tools/original.py``: ``optim.SGD``, penalties recomputed as ``(w**2).sum()`` and
``w.abs().sum()`` through autograd every iteration, test passes that build a graph), with the
same seeds. It prints the time of each, the largest relative difference between their recorded
losses, the accuracies of the classifiers, and a floor: the matmul FLOPs per iteration divided
by the measured matmul throughput, plus the bytes the optimizer and the penalties must touch
divided by the measured memory bandwidth. The last two lines are::

    ConvFC: package X s, original Y s, speed-up Z x, max relative loss difference D, floor F s
    classifiers: package X s, original Y s, speed-up Z x, max relative loss difference D, floor F s

Usage (full-size offline data, 23 589 neurons; a few minutes on 2 cores)::

    NMA_DL_DATA_SOURCE=synthetic .venv/bin/python tools/t4_speed.py [--threads N] [--device D]

The restatement is also what ``tests/package/test_t4_fidelity.py`` compares the package with,
through :func:`run_classifiers` here and ``tools/original.py`` itself.
"""

import argparse
import time

import original  # tools/original.py: the original course's procedures
import torch
from original import max_relative_difference
from torch import nn

# --------------------------------------------------------------------------- floors


def _best_time(func, repeats=20):
    """Best of ``repeats`` timed calls after one untimed: a floor wants the machine at its best."""
    func()
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - start)
    return best


def memory_bandwidth(device):
    """Bytes per second of ``z = x + y`` on 27 M float32 values (3 x 4 bytes per value)."""
    x = torch.rand(1 << 25, device=device)
    y, z = torch.rand_like(x), torch.empty_like(x)

    def add():
        torch.add(x, y, out=z)
        if device.type == "cuda":
            torch.cuda.synchronize()

    return 12 * x.numel() / _best_time(add)


def matmul_throughput(shapes, device):
    """FLOPs per second of the products ``(m, k) @ (k, n)`` listed in ``shapes``, together.

    The products are written into outputs allocated once: a fresh (23 589, 1 152) output costs
    more in page faults than the product itself, and that is the allocator, not the arithmetic.
    """
    triples = [
        (
            torch.randn(m, k, device=device),
            torch.randn(k, n, device=device),
            torch.empty(m, n, device=device),
        )
        for m, k, n in shapes
    ]

    def run():
        for a, b, c in triples:
            torch.mm(a, b, out=c)
        if device.type == "cuda":
            torch.cuda.synchronize()

    return sum(2 * m * k * n for m, k, n in shapes) / _best_time(run)


def encoder_floor(n_stimuli, n_units, n_neurons, n_iter, n_tests, device):
    """Seconds the encoder's training cannot beat: its products, plus its optimizer's bytes."""
    step = [
        (n_stimuli, n_units, n_neurons),  # forward
        (n_neurons, n_stimuli, n_units),  # gradient of the weights
        (n_stimuli, n_neurons, n_units),  # gradient of the convolution's output
    ]
    flops = n_iter * 3 * 2 * n_stimuli * n_units * n_neurons
    flops += n_tests * 2 * n_stimuli * n_units * n_neurons
    # one fused pass per step: read w, grad, momentum; write w, momentum (the penalties' values
    # and gradients fold into it)
    n_bytes = n_iter * 5 * 4 * n_units * n_neurons
    rate, bandwidth = matmul_throughput(step, device), memory_bandwidth(device)
    return flops / rate + n_bytes / bandwidth, rate, bandwidth


def classifier_floor(n_train, n_test, n_neurons, n_hidden, n_iter, device):
    """The same for a classifier: its input-layer products (train, gradient, test)."""
    step = [
        (n_train, n_neurons, n_hidden),
        (n_hidden, n_train, n_neurons),
        (n_test, n_neurons, n_hidden),
    ]
    flops = n_iter * 2 * n_hidden * n_neurons * (2 * n_train + n_test)
    n_bytes = n_iter * 5 * 4 * n_hidden * n_neurons
    rate, bandwidth = matmul_throughput(step, device), memory_bandwidth(device)
    return flops / rate + n_bytes / bandwidth, rate, bandwidth


# --------------------------------------------------------------------------- the runs


def _quiet(func, *args, **kwargs):
    import contextlib
    import io

    with contextlib.redirect_stdout(io.StringIO()):
        return func(*args, **kwargs)


def _time_package(problem, loss_fn, L2, L1, steps):
    """One run of the package's ``decode_orientation``: seconds, losses, accuracy, sparsity."""
    from nma_dl import DeepNetSoftmax, decode_orientation, set_seed

    set_seed(1)
    net = DeepNetSoftmax(problem.n_neurons, 20, problem.n_classes).to(problem.device)
    start = time.perf_counter()
    train, test, predicted = _quiet(
        decode_orientation, net, problem.n_classes, loss_fn, problem.resp_train,
        problem.stimuli_train, problem.resp_test, problem.stimuli_test, n_iter=steps,
        L2_penalty=L2, L1_penalty=L1,
    )  # fmt: skip
    seconds = time.perf_counter() - start
    small = float((net.in_layer.weight.detach().abs() < 1e-3).double().mean())
    accuracy = float((predicted == problem.classes[1].cpu()).double().mean())
    return seconds, train, test, accuracy, small


def _time_original(problem, loss_fn, L2, L1, steps):
    """One run of the original's procedure: seconds, losses, accuracy, sparsity."""
    from nma_dl import DeepNetSoftmax, set_seed

    set_seed(1)
    net = DeepNetSoftmax(problem.n_neurons, 20, problem.n_classes).to(problem.device)
    start = time.perf_counter()
    train, test, _, accuracy = original.decode(
        net, loss_fn if L2 or L1 else nn.NLLLoss(), problem.data[0], problem.classes[0],
        problem.data[1], problem.classes[1], steps, L2, L1,
    )  # fmt: skip
    seconds = time.perf_counter() - start
    small = float((net.in_layer.weight.detach().abs() < 1e-3).double().mean())
    return seconds, train, test, accuracy, small


def _compare_classifier(problem, setting, n_iter, repeats):
    """Package against original for one loss: ``repeats`` alternating runs each, best times."""
    package_loss, original_loss, L2, L1 = setting
    runs_p, runs_o = [], []
    for _ in range(repeats):
        runs_p.append(_time_package(problem, package_loss, L2, L1, n_iter))
        runs_o.append(_time_original(problem, original_loss, L2, L1, n_iter))
    for runs in (runs_p, runs_o):
        if any(run[1:] != runs[0][1:] for run in runs):
            raise RuntimeError("a classifier gave different numbers from the same seed")
    (_, train_p, test_p, accuracy_p, small_p), (_, train_o, test_o, accuracy_o, small_o) = (
        runs_p[0],
        runs_o[0],
    )
    difference = max(
        max_relative_difference(train_p, train_o),
        max_relative_difference(test_p, test_o),
    )
    return {
        "L2": L2, "L1": L1, "time_package": min(run[0] for run in runs_p),
        "time_original": min(run[0] for run in runs_o), "accuracy_package": accuracy_p,
        "accuracy_original": accuracy_o, "small_package": small_p,
        "small_original": small_o, "difference": difference,
    }  # fmt: skip


def run_classifiers(
    resp_train, stimuli_train, resp_test, stimuli_test, n_iter=1000, device="cpu", repeats=3
):
    """Both classifiers of the tutorial, package and original: times, accuracies, losses.

    The two procedures do the same products, so their times differ by less than this machine's
    noise between runs: each is run ``repeats`` times, alternating, and its best time kept.
    Every run starts from the same seed and must give the same losses.
    """
    from types import SimpleNamespace

    from nma_dl import regularized_loss
    from nma_dl.stimuli import stimulus_class

    n_classes = 20
    settings = [(nn.NLLLoss(), original.regularized_loss, 0, 0)]
    settings.append((regularized_loss, original.regularized_loss, 1e-2, 5e-4))
    device = torch.device(device)
    problem = SimpleNamespace(
        n_neurons=resp_train.shape[1], n_classes=n_classes, device=device,
        resp_train=resp_train, stimuli_train=stimuli_train, resp_test=resp_test,
        stimuli_test=stimuli_test, data=[t.to(device) for t in (resp_train, resp_test)],
        classes=[stimulus_class(s, n_classes).to(device) for s in (stimuli_train, stimuli_test)],
    )  # fmt: skip
    # Warm up both procedures (first allocations, kernel choices) before anything is timed.
    for package_loss, original_loss, L2, L1 in settings:
        _time_package(problem, package_loss, L2, L1, 5)
        _time_original(problem, original_loss, L2, L1, 5)
    return [_compare_classifier(problem, setting, n_iter, repeats) for setting in settings]


def run_encoder(resp_train, resp_test, n_iter=200, device="cpu"):
    """The encoding model, package then original: times and loss curves."""
    from nma_dl import ConvFC, filters, grating_stimuli, set_seed, train_encoder

    device = torch.device(device)
    _, images = grating_stimuli()
    images = images.to(device)
    resp_train, resp_test = resp_train.to(device), resp_test.to(device)
    n_neurons = resp_train.shape[1]
    set_seed(1)
    net = ConvFC(n_neurons, filters=filters(out_channels=6, K=7)).to(device)
    start = time.perf_counter()
    train_p, test_p = train_encoder(
        net, images, resp_train, images, resp_test, n_iter=n_iter, verbose=False
    )
    time_p = time.perf_counter() - start
    set_seed(1)
    net = ConvFC(n_neurons, filters=filters(out_channels=6, K=7)).to(device)
    start = time.perf_counter()
    train_o, test_o = original.encode(net, images, resp_train, images, resp_test, n_iter=n_iter)
    time_o = time.perf_counter() - start
    difference = max(
        max_relative_difference(train_p, train_o),
        max_relative_difference(test_p, test_o),
    )
    return {
        "time_package": time_p,
        "time_original": time_o,
        "difference": difference,
        "curves": (train_p, test_p, train_o, test_o),
    }


def _line(name, time_p, time_o, difference, floor):
    return (
        f"{name}: package {time_p:.1f} s, original {time_o:.1f} s, speed-up "
        f"{time_o / time_p:.2f} x, max relative loss difference {difference:.1e}, "
        f"floor {floor:.1f} s"
    )


def _encoder_report(resp_train6, resp_test6, n_neurons, device):
    """Time the encoder both ways and print its floor; return its results and floor."""
    from nma_dl import grating_stimuli

    encoder = run_encoder(resp_train6, resp_test6, device=device)
    # The 60 gratings are 30 distinct images (180 degrees apart they are the same): the products
    # need only 30 rows, which the package exploits; the floor counts those.
    n_distinct = len(torch.unique(grating_stimuli()[1].flatten(1), dim=0))
    enc_floor, enc_rate, enc_bw = encoder_floor(
        n_distinct, 6 * 12 * 16, n_neurons, 200, 11, device
    )
    print(
        f"encoder: matmul {enc_rate / 1e9:.1f} GFLOP/s, memory {enc_bw / 1e9:.1f} GB/s, "
        f"floor {enc_floor:.1f} s for {n_distinct} distinct images (package / floor = "
        f"{encoder['time_package'] / enc_floor:.2f})"
    )
    return encoder, enc_floor


def _classifier_report(resp_train, stimuli_train, resp_test, stimuli_test, n_neurons, device):
    """Time both classifiers both ways and print each; return the totals and their floor."""
    classifiers = run_classifiers(
        resp_train, stimuli_train, resp_test, stimuli_test, device=device
    )
    n_train, n_test = len(resp_train), len(resp_test)
    cls_floor, cls_rate, cls_bw = classifier_floor(n_train, n_test, n_neurons, 20, 1000, device)
    cls_floor *= len(classifiers)
    for result in classifiers:
        print(
            f"classifier L2={result['L2']:g} L1={result['L1']:g}: accuracy package "
            f"{result['accuracy_package']:.3f}, original {result['accuracy_original']:.3f}; "
            f"|w| < 1e-3: package {result['small_package']:.3f}, original "
            f"{result['small_original']:.3f}; package {result['time_package']:.1f} s, original "
            f"{result['time_original']:.1f} s"
        )
    time_p = sum(r["time_package"] for r in classifiers)
    time_o = sum(r["time_original"] for r in classifiers)
    print(
        f"classifiers: matmul {cls_rate / 1e9:.1f} GFLOP/s, memory {cls_bw / 1e9:.1f} GB/s, "
        f"floor {cls_floor:.1f} s (package / floor = {time_p / cls_floor:.2f})"
    )
    difference = max(r["difference"] for r in classifiers)
    return time_p, time_o, difference, cls_floor


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", type=int, default=None, help="torch threads (default: all)")
    parser.add_argument("--device", default="cpu", help="cpu (default) or cuda")
    args = parser.parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    from nma_dl import load_data, load_data_split, set_seed, train_test_split

    device = torch.device(args.device)
    resp_all, stimuli_all = load_data()
    set_seed(4)
    resp_train, resp_test, stimuli_train, stimuli_test = train_test_split(resp_all, stimuli_all)
    resp_train6, resp_test6, _ = load_data_split()
    n_neurons = resp_all.shape[1]
    print(f"{n_neurons} neurons, {torch.get_num_threads()} torch threads, device {device}")
    encoder, enc_floor = _encoder_report(resp_train6, resp_test6, n_neurons, device)
    time_p, time_o, difference, cls_floor = _classifier_report(
        resp_train, stimuli_train, resp_test, stimuli_test, n_neurons, device
    )
    print(
        _line(
            "ConvFC",
            encoder["time_package"],
            encoder["time_original"],
            encoder["difference"],
            enc_floor,
        )
    )
    print(_line("classifiers", time_p, time_o, difference, cls_floor))


if __name__ == "__main__":
    main()
