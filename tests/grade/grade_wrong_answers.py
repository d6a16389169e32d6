"""One plausible student mistake per exercise of the course, each a cell that replaces the stub.

Written out in full rather than patched into the solutions, so that a change of the pages'
solutions leaves them as they are; each must make its check fail, with the other exercises of
its notebook left as stubs (``grade_fixtures.wrong_notebook``).
"""

# One plausible mistake per exercise: (tutorial, the exercise, the cell that replaces its stub).
WRONG = {
    "approximate_function": (
        "W1D3_Tutorial1",
        '''\
def approximate_function(x_train, y_train):
    """ReLUs with their kinks at the training points: the bias has the wrong sign."""
    n_relus = x_train.shape[0] - 1
    x = torch.linspace(x_train.min().item(), x_train.max().item(), 1000)
    b = x_train[:n_relus, 0]  # mistake: the kink of relu(x + b) is at -b, not at b
    relu_acts = torch.stack([torch.relu(x + b[i]) for i in range(n_relus)])
    slopes = (y_train[1:, 0] - y_train[:-1, 0]) / (x_train[1:, 0] - x_train[:-1, 0])
    combination_weights = torch.diff(slopes, prepend=torch.zeros(1))
    y_hat = combination_weights @ relu_acts
    return y_hat, relu_acts, x
''',
    ),
    "Net": (
        "W1D3_Tutorial1",
        '''\
class Net(nn.Module):
    """An MLP, but the activation was forgotten: a stack of linear layers."""

    def __init__(self, actv, input_feature_num, hidden_unit_nums, output_feature_num):
        super().__init__()
        self.input_feature_num = input_feature_num
        self.mlp = nn.Sequential()
        in_num = input_feature_num
        for i, out_num in enumerate(hidden_unit_nums):
            self.mlp.add_module(f"Linear_{i}", nn.Linear(in_num, out_num))
            in_num = out_num
        self.mlp.add_module("Output_Linear", nn.Linear(in_num, output_feature_num))

    def forward(self, x):
        return self.mlp(x.reshape(-1, self.input_feature_num))
''',
    ),
    "cross_entropy_loss": (
        "W1D3_Tutorial1",
        '''\
def cross_entropy_loss(x, labels):
    """Cross-entropy summed over the batch: the mean was forgotten."""
    x_of_labels = x[torch.arange(len(labels)), labels]
    losses = -x_of_labels + torch.logsumexp(x, dim=1)
    return losses.sum()
''',
    ),
    "shuffle_and_split_data": (
        "W1D3_Tutorial1",
        '''\
def shuffle_and_split_data(X, y, seed):
    """Shuffles X and y each with its own permutation: the labels lose their samples."""
    generator = torch.Generator().manual_seed(seed)
    N = X.shape[0]
    X = X[torch.randperm(N, generator=generator)]
    y = y[torch.randperm(N, generator=generator)]
    test_size = int(0.2 * N)
    return X[:test_size], y[:test_size], X[test_size:], y[test_size:]
''',
    ),
    "DeepNetReLU": (
        "W1D5_Tutorial1",
        '''\
class DeepNetReLU(nn.Module):
    """The hidden layer without its ReLU: a linear decoder in two steps."""

    def __init__(self, n_inputs, n_hidden):
        super().__init__()
        self.in_layer = nn.Linear(n_inputs, n_hidden)
        self.out_layer = nn.Linear(n_hidden, 1)

    def forward(self, r):
        return self.out_layer(self.in_layer(r))
''',
    ),
    "train": (
        "W1D5_Tutorial1",
        '''\
def train(net, loss_fn, train_data, train_labels, n_epochs=50, learning_rate=1e-4):
    """Gradient descent that never zeroes the gradients: they pile up step after step."""
    optimizer = optim.SGD(net.parameters(), lr=learning_rate)
    train_loss = []
    for _ in range(n_epochs):
        loss = loss_fn(net(train_data), train_labels)
        loss.backward()
        optimizer.step()
        train_loss.append(loss.item())
    return train_loss
''',
    ),
    "conv2d": (
        "W1D5_Tutorial2",
        '''\
def conv2d(image, kernel):
    """No padding: the output shrinks by the kernel's size minus one."""
    K_h, K_w = kernel.shape
    H, W = image.shape
    out = torch.zeros(H - K_h + 1, W - K_w + 1)
    for i in range(H - K_h + 1):
        for j in range(W - K_w + 1):
            out[i, j] = (image[i : i + K_h, j : j + K_w] * kernel).sum()
    return out
''',
    ),
    "ConvolutionalLayer": (
        "W1D5_Tutorial2",
        '''\
class ConvolutionalLayer(nn.Module):
    """The convolution without its padding."""

    def __init__(self, c_in=1, c_out=6, K=7, filters=None):
        super().__init__()
        self.conv = nn.Conv2d(c_in, c_out, kernel_size=K)
        if filters is not None:
            self.conv.weight = nn.Parameter(filters)
            self.conv.bias = nn.Parameter(torch.zeros(c_out))

    def forward(self, s):
        return self.conv(s)
''',
    ),
    "max_pool": (
        "W1D5_Tutorial2",
        '''\
def max_pool(x, K):
    """Blocks cut with the axes in the wrong order: each 'block' mixes rows of the image."""
    H, W = x.shape[-2:]
    rows, cols = H // K, W // K
    x = x[..., : rows * K, : cols * K]
    blocks = x.reshape(*x.shape[:-2], rows, cols, K, K)
    return blocks.amax(dim=(-2, -1))
''',
    ),
    "conv_weights": (
        "W1D5_Tutorial2",
        '''\
def conv_weights(layer):
    """The weights with their first two axes swapped, (c_in, c_out, K, K)."""
    return layer.conv.weight.detach().transpose(0, 1)
''',
    ),
    "RDM": (
        "W1D5_Tutorial3",
        '''\
def RDM(resp):
    """1 - correlation, but each unit z-scored across stimuli: the wrong axis."""
    zresp = zscore(resp, axis=0)
    return 1 - zresp @ zresp.T / resp.shape[1]
''',
    ),
    "correlate_rdms": (
        "W1D5_Tutorial3",
        '''\
def correlate_rdms(rdm1, rdm2):
    """The correlation of the whole matrices, diagonal and both triangles included."""
    return np.corrcoef(rdm1.ravel(), rdm2.ravel())[0, 1]
''',
    ),
    "preferred_orientation": (
        "W1D5_Tutorial4",
        '''\
def preferred_orientation(resp, sigma=5):
    """The peak of each stimulus' row instead of each neuron's column."""
    resp_smoothed = gaussian_filter1d(np.asarray(resp), sigma, axis=0, mode="wrap")
    return resp_smoothed.argmax(axis=1)
''',
    ),
    "DeepNetSoftmax": (
        "W1D5_Tutorial4",
        '''\
class DeepNetSoftmax(nn.Module):
    """Returns the raw scores: the log-softmax was forgotten."""

    def __init__(self, n_inputs, n_hidden, n_classes):
        super().__init__()
        self.in_layer = nn.Linear(n_inputs, n_hidden)
        self.out_layer = nn.Linear(n_hidden, n_classes)
        self.logprob = nn.LogSoftmax(dim=1)

    def forward(self, r):
        return self.out_layer(torch.relu(self.in_layer(r)))


loss_fn = ...  # the loss is the other half of the exercise, not done yet
''',
    ),
    # The loss is chosen in the same cell as DeepNetSoftmax: this one is a cell of its own after
    # the stub, as a student trying the choice apart would write it.
    "loss_choice": ("W1D5_Tutorial4", "loss_fn = nn.CrossEntropyLoss()  # on log probabilities\n"),
    "regularized_loss": (
        "W1D5_Tutorial4",
        '''\
def regularized_loss(output, target, weights, L2_penalty=0, L1_penalty=0):
    """The L2 penalty as the norm of the weights, not the sum of their squares."""
    loss = nn.NLLLoss()(output, target)
    L2 = L2_penalty * torch.sqrt(torch.square(weights).sum())
    L1 = L1_penalty * torch.abs(weights).sum()
    return loss + L2 + L1
''',
    ),
    "ConvFC": (
        "W1D5_Tutorial4",
        '''\
class ConvFC(nn.Module):
    """The convolution without padding: its output no longer fits the linear layer."""

    def __init__(self, n_neurons, c_in=1, c_out=6, K=7, b=12 * 16, filters=None):
        super().__init__()
        self.conv = nn.Conv2d(c_in, c_out, kernel_size=K)
        self.dims = (c_out, b)
        self.out_layer = nn.Linear(c_out * b, n_neurons)
        if filters is not None:
            self.conv.weight = nn.Parameter(filters.detach().clone())
            self.conv.bias = nn.Parameter(torch.zeros(c_out, dtype=filters.dtype))

    def forward(self, s):
        return self.out_layer(self.conv(s).flatten(start_dim=1))
''',
    ),
}
