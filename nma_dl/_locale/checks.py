"""Japanese text of the self-checks' lines and hints (``nma_dl/checks``).

A check's line is put together from pieces: the verdict (``✗ {name}: {problem}.``), where it
happened (``case {index} of {count} ({description})``), what differs (``{what} has shape ...``,
with ``what`` a piece of its own such as ``the output``) and the hint of a typical mistake, which
the English joins with ``; `` or ``: `` and the Japanese starts as a new sentence with ``。``. A
piece that ends in a code name and is followed by a particle (``層の {name} ``) keeps a space
after it; the check's line collapses doubled spaces.
"""

MESSAGES = {
    # ------------------------------------------------------------------ verdicts (_core)
    "✓ {name}: {count}/{count} cases match the reference.": (
        "✓ {name}: {count}/{count} ケースが参照実装と一致しました。"
    ),
    "○ {name}: not implemented yet: fill in the exercise above (and delete its "
    "`raise NotImplementedError` line), then run this cell again.": (
        "○ {name}: まだ実装されていません: 上の演習のコードを書き（`raise NotImplementedError` "
        "の行は削除して）、このセルをもう一度実行してください。"
    ),
    "○ {name}: not finished yet: {problem}: replace each `...` of the exercise with your code, "
    "then run this cell again.": (
        "○ {name}: まだ完成していません: {problem}。演習の `...` をすべて自分のコードに置き換えて"
        "から、このセルをもう一度実行してください。"
    ),
    "✗ {name}: {problem}.": "✗ {name}: {problem}。",
    "✗ {name}: could not compare your answer with the reference ({error}).": (
        "✗ {name}: 答えを参照実装と比較できませんでした（{error}）。"
    ),
    "✗ {name}: {where}: your code was still running after {timeout} s, so the check stopped "
    "it: does a loop never end? (To allow longer, set the environment variable {variable}, "
    "e.g. os.environ[{quoted}] = '{longer}'.)": (
        "✗ {name}: {where}: {timeout} 秒たってもコードが実行中だったため、チェックが実行を"
        "止めました。終わらないループはありませんか？（もっと長く実行できるようにするには、"
        "環境変数 {variable} を設定してください。例: os.environ[{quoted}] = '{longer}'）"
    ),
    "■ {name}: interrupted during {where}.": "■ {name}: {where}に中断されました。",
    "case {index} of {count} ({description})": "ケース {index}/{count}（{description}）",
    "before its cases": "事前チェック中",
    # ------------------------------------------------------------------ what happened (_core)
    "{what} raised {error}{where}": "{what} の実行中に {error} が発生しました{where}",
    " (in {place})": "（発生箇所: {place}）",
    "{function}, {place}": "{function}、{place}",
    "{file} line {line}": "{file} の {line} 行目",
    "line {line} of its notebook cell": "ノートブックのセルの {line} 行目",
    "`{name}` is still the placeholder `...`{where}": (
        "`{name}` がまだプレースホルダー `...` のままです{where}"
    ),
    "an operation got the placeholder `...`{where}": (
        "演算にプレースホルダー `...` が渡されました{where}"
    ),
    "{what} returned the placeholder `...`": "{what} がプレースホルダー `...` を返しました",
    "{what} returned the placeholder `...` as its {ordinal} value": (
        "{what} が {ordinal}の値としてプレースホルダー `...` を返しました"
    ),
    "a {type}": "{type}",
    "a {type} of {count}": "要素数 {count} の {type}",
    "{name} ({ordinal} returned value)": "{name}（{ordinal}の戻り値）",
    "1st": "1 番目",
    "2nd": "2 番目",
    "3rd": "3 番目",
    "{index}th": "{index} 番目",
    # ------------------------------------------------------------------ the sandbox
    "What your code printed:\n{text}{more}": "あなたのコードが出力した内容:\n{text}{more}",
    "\n... and {count} more characters not shown.": (
        "\n...（ほかに {count} 文字ありますが、表示していません）"
    ),
    "… {name}: your code is still running ({where}, {seconds} s so far); {then}. To stop it "
    "now: Kernel → Interrupt, or the ■ stop button.": (
        "… {name}: コードがまだ実行中です（{where}、経過 {seconds} 秒）。{then}。今すぐ止める"
        "には、Kernel → Interrupt（カーネルの中断）か ■ 停止ボタンを使ってください。"
    ),
    "the check stops it after {timeout} s ({variable} sets that)": (
        "チェックは {timeout} 秒たつと実行を止めます（{variable} で変えられます）"
    ),
    "the check cannot stop it here (on Windows, or outside the main thread)": (
        "この環境ではチェックが実行を止められません（Windows 上か、メインスレッドの外で実行中の"
        "ため）"
    ),
    # ------------------------------------------------------------------ comparisons (_compare)
    "the output": "出力",
    "the result": "結果",
    "the layer": "層",
    "the network": "ネットワーク",
    "its forward": "その forward",
    "its {name}": "層の {name} ",
    "{what}'s {name}": "{what}の {name} ",
    "{what} is {kind}, expected a torch.Tensor": (
        "{what}が {kind} になっています（torch.Tensor であるべきです）"
    ),
    "{what} has shape {got}, expected {expected}": (
        "{what}の形状が {got} になっています（正しい形状は {expected}）"
    ),
    "{shape} (a single number)": "{shape}（1 つの数値）",
    "{what} has dtype {got}, expected {expected}": (
        "{what}の dtype が {got} になっています（正しくは {expected}）"
    ),
    "{what} differs from the reference's": "{what}が参照実装のものと異なります",
    "{what} holds NaN or infinite values where the reference's is finite": (
        "{what}に NaN または無限大の値が含まれています（参照実装の値は有限です）"
    ),
    "{what} is off by {error} (max abs difference)": (
        "{what}が参照実装から {error} ずれています（絶対誤差の最大値）"
    ),
    "{call} returned {kind}, expected the tuple ({names})": (
        "{call} が {kind} を返しました（タプル ({names}) を返すべきです）"
    ),
    "got a network object (an instance of {cls}), not the class: pass the class itself, "
    "check_{exercise}({exercise})": (
        "クラスではなく、ネットワークのオブジェクト（{cls} のインスタンス）が渡されました。"
        "クラスそのものを渡してください: check_{exercise}({exercise})"
    ),
    "the class made {kind}, expected a torch.nn.Module": (
        "クラスから {kind} が作られました（torch.nn.Module であるべきです）"
    ),
    " (and {count} more)": "（ほか {count} 個も同様）",
    "{what} has no parameter {name}{more}": "{what}にパラメータ {name} がありません{more}",
    "{what} has an unexpected parameter {name}": "{what}に想定外のパラメータ {name} があります",
    # ------------------------------------------------------------------ analysis
    "the RDM": "返された RDM ",
    "the correlation": "相関係数",
    "{stimuli} stimuli, {units} units": "刺激 {stimuli} 個、ユニット {units} 個",
    "12 orientations, 50 tuned units": "方位 12 個、方位選択性のあるユニット 50 個",
    "{what} is {kind}, expected a NumPy array": (
        "{what}が {kind} になっています（NumPy 配列であるべきです）"
    ),
    ": it is the correlation itself; the dissimilarity is one minus it": (
        "。これは相関そのものです。非類似度は 1 から相関を引いたものです"
    ),
    ": the z-scores should use the 1/N standard deviation (zscore's default)": (
        "。z スコアには 1/N で割る標準偏差（zscore のデフォルト）を使ってください"
    ),
    ": Z Z^T is a sum over the N units; divide it by N": (
        "。Z Z^T は N 個のユニットにわたる和です。N で割ってください"
    ),
    ": its diagonal is not 0; is each row z-scored across units (axis=1)?": (
        "。対角成分が 0 になっていません。各行をユニットの方向（axis=1）に z スコア化して"
        "いますか？"
    ),
    "the correlation has shape {got}, expected a single number (did you keep the whole "
    "np.corrcoef matrix instead of its [0, 1] entry?)": (
        "相関係数の形状が {got} になっています（1 つの数値であるべきです）。np.corrcoef の行列"
        "全体を返していませんか？ 必要なのはその [0, 1] 要素です"
    ),
    ": it includes the diagonal; use only the entries above it": (
        "。対角成分まで含めています。対角より上の要素だけを使ってください"
    ),
    "the correlation is {got}, expected {expected}": (
        "相関係数が {got} になっています（正しくは {expected}）"
    ),
    "it returned {kind}, expected a NumPy array of shape {shape} (one index per neuron, the "
    "argmax over stimuli)": (
        "{kind} が返されました。形状 {shape} の NumPy 配列（ニューロンごとに 1 つのインデックス、"
        "つまり刺激についての argmax）を返してください"
    ),
    "it returned an array of shape {got}, expected {expected} (one index per neuron, the argmax "
    "over stimuli)": (
        "返された配列の形状が {got} になっています（正しい形状は {expected}。ニューロンごとに "
        "1 つのインデックス、つまり刺激についての argmax です）"
    ),
    "{count} of {total} indices differ": "{total} 個のインデックスのうち {count} 個が異なります",
    ": that is the original course's answer (gaussian_filter1d's default, mode='reflect'); this "
    "course asks for mode='wrap' because orientation is circular (359° is next to 0°), and "
    "reflecting at the ends moves peaks near 0° and 360°": (
        "。これは元のコースの答えです（gaussian_filter1d のデフォルトの mode='reflect'）。"
        "方位は循環している（359° の隣は 0°）ので、このコースでは mode='wrap' を求めています。"
        "端で折り返すと、0° と 360° の近くのピークがずれてしまいます"
    ),
    ": orientation is circular, so smooth with mode='wrap'": (
        "。方位は循環しているので、mode='wrap' で平滑化してください"
    ),
    ": the curves are smoothed across the neurons; each column is one neuron's tuning curve, so "
    "smooth along the stimuli": (
        "。曲線をニューロンの方向に平滑化しています。各列が 1 つのニューロンのチューニング曲線"
        "なので、刺激の方向に沿って平滑化してください"
    ),
    ": smooth the tuning curves before taking the argmax": (
        "。argmax を取る前に、チューニング曲線を平滑化してください"
    ),
    ": return the preferred orientations, not their argsort": (
        "。argsort ではなく、最適方位そのものを返してください"
    ),
    ": these are the largest smoothed responses, not where they are: return the position (the "
    "stimulus index) of each neuron's maximum": (
        "。これは平滑化した応答の最大値そのもので、その位置ではありません。各ニューロンの最大値"
        "の位置（刺激のインデックス）を返してください"
    ),
    "8 noisy tuning curves, draw {draw}": "ノイズを含むチューニング曲線 8 本、乱数の組 {draw}",
    # ------------------------------------------------------------------ convolution
    "; its windows are cut from the unpadded image, so near the borders they are cut short or "
    "miss the zeros around it: cut every window from the padded image": (
        "。窓をパディングしていない画像から切り出しているため、端の近くでは窓が欠けたり、周囲の"
        "ゼロが含まれなかったりします。すべての窓をパディングした画像から切り出してください"
    ),
    "; it equals the result with the kernel flipped: PyTorch's convolution does not flip it (it "
    "is a cross-correlation)": (
        "。カーネルを反転したときの結果と一致します。PyTorch の畳み込みはカーネルを反転しません"
        "（相互相関です）"
    ),
    "; it equals the unpadded ('valid') result: pad with K // 2 zeros on each side": (
        "。パディングなし（'valid'）の結果と一致します。各辺に K // 2 個のゼロを詰めて"
        "パディングしてください"
    ),
    "a {image} image, a {kernel} kernel": "{image} の画像、{kernel} のカーネル",
    "; with padding K // 2 the output keeps the input's height and width": (
        "。パディングを K // 2 にすると、出力は入力と同じ高さと幅になります"
    ),
    ": use the given filters as the weights": (
        "。与えられたフィルタをそのまま重みとして使ってください"
    ),
    ": the biases should all be zero": "。バイアスはすべて 0 にしてください",
    "the layer has no parameter {name} (call the Conv2d self.conv)": (
        "層にパラメータ {name} がありません（Conv2d は self.conv という名前にしてください）"
    ),
    "the example filters, 2 images of 12 x 16": "例のフィルタ、12 x 16 の画像 2 枚",
    "3 random 5 x 5 filters on 2 input channels, an input of shape (4, 2, 9, 8)": (
        "入力チャネル 2 個に対する 5 x 5 のランダムなフィルタ 3 個、形状 (4, 2, 9, 8) の入力"
    ),
    "ConvolutionalLayer(1, 4, 3) without filters, an input of shape (3, 1, 6, 7)": (
        "フィルタを与えない ConvolutionalLayer(1, 4, 3)、形状 (3, 1, 6, 7) の入力"
    ),
    "an input of shape {shape}, K = {K}": "形状 {shape} の入力、K = {K}",
    "; it equals the mean of each block, not its maximum": (
        "。各ブロックの最大値ではなく、平均と一致します"
    ),
    "; it is the maximum over axes 1 and 3 counted from the front, which are the two axes of "
    "length K only for a 2-D image: x may have more axes in front": (
        "。先頭から数えて軸 1 と軸 3 について最大値を取っていますが、それが長さ K の 2 つの軸に"
        "なるのは 2 次元の画像だけです。x の前にはさらに軸があるかもしれません"
    ),
    "; it is the maximum over other axes of the (..., rows, K, cols, K) blocks than the two "
    "axes of length K": (
        "。(..., rows, K, cols, K) のブロックの、長さ K の 2 つの軸とは別の軸について最大値を"
        "取っています"
    ),
    "; the shape is right but not the values: does each block hold K x K neighbouring pixels? "
    "(reshape to (..., H // K, K, W // K, K))": (
        "。形状は正しいのですが、値が違います。各ブロックは隣り合う K x K 個のピクセルに"
        "なっていますか？（(..., H // K, K, W // K, K) に reshape してください）"
    ),
    "the tensor still requires gradients: take it out of the autograd graph, so that it can be "
    "plotted": (
        "テンソルがまだ勾配を必要とする状態です。プロットできるように、autograd のグラフから"
        "切り離してください"
    ),
    "; these are the biases (one per channel), not the kernels": (
        "。これはカーネルではなく、バイアス（チャネルごとに 1 つ）です"
    ),
    "; keep the weight's shape (c_out, c_in, K, K), as plot_weights expects": (
        "。plot_weights が想定しているとおり、重みの形状 (c_out, c_in, K, K) のままにしてください"
    ),
    "a layer with the 6 example filters of 7 x 7": "7 x 7 の例のフィルタ 6 個を持つ層",
    "a layer with 4 random filters of 2 x 3 x 3": "2 x 3 x 3 のランダムなフィルタ 4 個を持つ層",
    "the CNN of the encoding-model tutorial": "エンコーディングモデルのチュートリアルの CNN",
    # ------------------------------------------------------------------ data
    "two calls with seed={seed} gave different splits: draw the permutation from the seeded "
    "generator": (
        "seed={seed} で 2 回呼び出すと、分割が異なりました。シードを設定した generator から"
        "順列を生成してください"
    ),
    "X_test holds the first samples in their original order: shuffle first": (
        "X_test に先頭のサンプルが元の順序のまま入っています。先にシャッフルしてください"
    ),
    "X_{part} and y_{part} are no longer paired: samples carry the labels of other samples, so "
    "X and y were shuffled in different orders: shuffle both with the same permutation": (
        "X_{part} と y_{part} の対応が崩れています。サンプルに別のサンプルのラベルが付いて"
        "いるので、X と y が異なる順序でシャッフルされています。両方を同じ順列でシャッフルして"
        "ください"
    ),
    "some samples appear twice and others not at all: X_test and X_train should split one "
    "permutation of all the samples": (
        "2 回現れるサンプルと、まったく現れないサンプルがあります。X_test と X_train は、全"
        "サンプルの 1 つの順列を分けたものでなければなりません"
    ),
    "{what}: it holds the last 20 % of the shuffled samples, where the test set is the first "
    "20 %": (
        "{what}。シャッフルしたサンプルの最後の 20 % が入っていますが、テストセットは最初の "
        "20 % です"
    ),
    "{what}: X and y are paired right, but shuffled by another permutation than the "
    "reference's: the split must come from torch.randperm(N, generator=generator), drawn from "
    "the generator the stub seeds with seed": (
        "{what}。X と y の対応は正しいのですが、参照実装とは別の順列でシャッフルされています。"
        "分割は torch.randperm(N, generator=generator) で決めてください。この generator は、"
        "ひな形が seed で初期化しているものです"
    ),
    ": the test set should be the smaller part, returned first": (
        "。テストセットは小さいほうの部分で、最初に返します"
    ),
    "{what} has {count} samples, expected {expected}": (
        "{what}のサンプル数が {count} になっています（正しくは {expected}）"
    ),
    "{count} samples, seed={seed}": "サンプル {count} 個、seed={seed}",
    # ------------------------------------------------------------------ losses
    "the loss": "損失",
    "the gradient of the loss with respect to x": "x に関する損失の勾配",
    "the gradient with respect to weights": "weights に関する勾配",
    "the loss is right but not connected to x (it has no gradient): compute it with torch "
    "operations on x only": (
        "損失の値は正しいのですが、x とつながっていません（勾配がありません）。x に対する "
        "torch の演算だけで計算してください"
    ),
    "its gradient could not be computed ({error})": "その勾配を計算できませんでした（{error}）",
    "; that is the original course's answer (the formula computed as written); this course asks "
    "for the log-sum-exp trick because exp() of a logit above about 88.7 overflows float32 to "
    "inf (and below about -104 underflows to 0), so logits in the thousands give inf or NaN": (
        "。これは元のコースの答え（式を書かれたとおりに計算したもの）です。float32 では、約 "
        "88.7 を超えるロジットの exp() は inf にオーバーフローし（約 -104 を下回ると 0 に"
        "アンダーフローし）、数千のロジットでは inf や NaN になるため、このコースでは "
        "log-sum-exp トリックを求めています"
    ),
    "; the probability of a class far below the best one underflows to 0 in float32 (exp() of "
    "about -104 and less), and log(0) = -inf: compute the log probabilities with the "
    "log-sum-exp trick the exercise asks for (or torch.log_softmax), not as the log of a "
    "softmax": (
        "。最大のクラスよりはるかに小さいクラスの確率は、float32 では 0 にアンダーフローし"
        "（約 -104 以下の exp()）、log(0) = -inf になります。対数確率は、ソフトマックスの log "
        "としてではなく、演習で求めている log-sum-exp トリック（または torch.log_softmax）で"
        "計算してください"
    ),
    "; exp() of a logit above about 88.7 overflows float32 to inf (and inf / inf is NaN), and "
    "below about -104 underflows to 0 (and log(0) = -inf), so logits in the thousands give inf "
    "or NaN: compute the log probabilities with the log-sum-exp trick the exercise asks for (or "
    "torch.log_softmax)": (
        "。float32 では、約 88.7 を超えるロジットの exp() は inf にオーバーフローし（inf / "
        "inf は NaN）、約 -104 を下回ると 0 にアンダーフローする（log(0) = -inf）ので、数千の"
        "ロジットでは inf や NaN になります。対数確率は、演習で求めている log-sum-exp トリック"
        "（または torch.log_softmax）で計算してください"
    ),
    "; it is {n} times the reference's: is it the mean over the batch?": (
        "。参照実装の値の {n} 倍です。ミニバッチ全体の平均になっていますか？"
    ),
    "; it has the opposite sign": "。符号が逆です",
    ": one loss per sample, where the average over the batch is wanted": (
        "。サンプルごとの損失になっていますが、求めているのはミニバッチ全体の平均です"
    ),
    "{samples} samples, {classes} classes": "サンプル {samples} 個、クラス {classes} 個",
    "{samples} samples, {classes} classes, logits in the thousands": (
        "サンプル {samples} 個、クラス {classes} 個、数千の大きさのロジット"
    ),
    "the penalties are not connected to weights (no gradient)": (
        "ペナルティ項が weights とつながっていません（勾配がありません）"
    ),
    "; the two penalties are swapped": "。2 つのペナルティが入れ替わっています",
    "; the {term} term is missing": "。{term} 項がありません",
    "; the L2 penalty is the sum of squares, not the norm": (
        "。L2 ペナルティはノルムではなく、二乗和です"
    ),
    "log probabilities of {stimuli} stimuli, {classes} classes": (
        "刺激 {stimuli} 個の対数確率、クラス {classes} 個"
    ),
    # ------------------------------------------------------------------ the choice of a loss
    "choose the loss that takes log probabilities and class indices": (
        "対数確率とクラスのインデックスを受け取る損失を選んでください"
    ),
    "{name} applies log_softmax itself: it is the loss for raw scores (logits). On log "
    "probabilities it normalises them a second time, which changes nothing (the log_softmax of "
    "log probabilities gives them back), so it gives the same number here; but it is meant for "
    "a network without a LogSoftmax at its end, and this one has one: {choose}": (
        "{name} は自分で log_softmax を適用します。つまり、生のスコア（ロジット）のための損失"
        "です。対数確率に使うと 2 回目の正規化になりますが、何も変わらない（対数確率の "
        "log_softmax は元の対数確率に戻る）ので、ここでは同じ値になります。しかし、これは最後"
        "に LogSoftmax のないネットワークのための損失で、このネットワークには LogSoftmax が"
        "あります。{choose}"
    ),
    "{name} compares numbers one by one, for regression: it would need one-hot float targets of "
    "the output's shape, and with the class indices decode_orientation gives it, it is the "
    "wrong loss for classification: {choose}": (
        "{name} は数値を 1 つずつ比べる、回帰のための損失です。出力と同じ形状の one-hot の "
        "float のターゲットが必要で、decode_orientation が渡すクラスのインデックスでは、分類に"
        "は合わない損失です。{choose}"
    ),
    "{name} is the network's last layer, which makes the log probabilities (its self.logprob), "
    "not a loss: the loss compares them with the classes; {choose}": (
        "{name} はネットワークの最後の層で、対数確率を作るもの（self.logprob）であり、損失では"
        "ありません。損失は、その対数確率をクラスと比べるものです。{choose}"
    ),
    "{name} is not a loss for log probabilities and class indices: {choose}": (
        "{name} は、対数確率とクラスのインデックスのための損失ではありません。{choose}"
    ),
    "{name} is a module but not a loss: {choose}": (
        "{name} はモジュールですが、損失ではありません。{choose}"
    ),
    "the exercise asks for a loss object, a class of torch.nn called with parentheses, as "
    "nn.MSELoss() was in Tutorial 1": (
        "演習で求めているのは損失オブジェクト、つまりチュートリアル 1 の nn.MSELoss() のように、"
        "torch.nn のクラスを括弧を付けて呼び出したものです"
    ),
    "loss_fn is torch.nn.functional.nll_loss, the function form of a loss: it computes the same "
    "number, but {as_object}": (
        "loss_fn が、損失の関数版である torch.nn.functional.nll_loss になっています。同じ値を"
        "計算しますが、{as_object}"
    ),
    "loss_fn is a function ({name}), not a loss object: {as_object}; {choose}": (
        "loss_fn が関数（{name}）になっていて、損失オブジェクトではありません。{as_object}。"
        "{choose}"
    ),
    "{name}(reduction='none') gives one loss per stimulus, but decode_orientation needs one "
    "number to minimise: the mean over the batch, the default reduction": (
        "{name}(reduction='none') は刺激ごとに 1 つの損失を返しますが、decode_orientation には"
        "最小化する 1 つの数値が必要です。つまり、デフォルトの reduction であるミニバッチ全体の"
        "平均です"
    ),
    "{name}(reduction='sum') gives the sum over the batch, which grows with the number of "
    "stimuli, and so would the steps of gradient descent: decode_orientation's learning rate "
    "is set for the mean over the batch, the default reduction": (
        "{name}(reduction='sum') はミニバッチ全体の和を返すので、刺激の数とともに大きくなり、"
        "勾配降下のステップも大きくなってしまいます。decode_orientation の学習率は、デフォルト"
        "の reduction であるミニバッチ全体の平均に合わせて設定されています"
    ),
    "this {name} weighs the classes (weight=...), and here every class counts alike: leave "
    "weight out": (
        "この {name} はクラスに重みを付けています（weight=...）が、ここではどのクラスも同じ"
        "重みです。weight は指定しないでください"
    ),
    "loss_fn is still the placeholder `...`": "loss_fn がまだプレースホルダー `...` のままです",
    "loss_fn is None, not a loss: assign it a loss object; {choose}": (
        "loss_fn が None で、損失ではありません。損失オブジェクトを代入してください。{choose}"
    ),
    "the class {cls}": "クラス {cls}",
    "loss_fn is {name}, not a loss object: call the class (add parentheses) to create one": (
        "loss_fn が{name} そのもので、損失オブジェクトではありません。クラスを呼び出して"
        "（括弧を付けて）オブジェクトを作ってください"
    ),
    "loss_fn, {name} (without parentheses),": "括弧を付けずに loss_fn に入れた{name}",
    "loss_fn is {name}, not a loss: {choose}": (
        "loss_fn が{name} になっていて、損失ではありません。{choose}"
    ),
    "loss_fn, {loss},": "loss_fn の {loss}",
    # ------------------------------------------------------------------ models
    "{model}, an input of shape {shape}": "{model}、形状 {shape} の入力",
    "{model} on {height} x {width} images": "{height} x {width} の画像に対する {model}",
    "10 samples of a sine": "サイン波のサンプル 10 個",
    "6 unevenly spaced random points": "不等間隔のランダムな点 6 個",
    "2 points": "点 2 個",
    "; it equals the output of the same network without an activation function: where does the "
    "non-linearity go?": (
        "。活性化関数のない同じネットワークの出力と一致します。非線形性はどこに入るべき"
        "でしょうか？"
    ),
    "; it is never negative, unlike the reference's: which layer does the ReLU belong to?": (
        "。参照実装と違って、負の値になることがありません。ReLU はどの層に属するべきでしょうか？"
    ),
    "; it equals the same network with its ReLU moved from the hidden layer to the output: the "
    "non-linearity shapes the hidden units, and the output, a linear read-out of them, may be "
    "negative": (
        "。ReLU を隠れ層から出力に移した同じネットワークの出力と一致します。非線形性がかかるの"
        "は隠れユニットで、出力はその線形の読み出しなので、負になってもかまいません"
    ),
    "; x and relu_acts match, so look at the combination weights and the sum": (
        "。x と relu_acts は一致しているので、組み合わせの重みと和を見直してください"
    ),
    "; it went through the activation after the last layer too": (
        "。最後の層の後にも活性化関数を通っています"
    ),
    "; it equals the same network without its activations: does the output of every hidden "
    "layer go through its activation module?": (
        "。活性化関数のない同じネットワークの出力と一致します。各隠れ層の出力は、その層の活性化"
        "関数のモジュールを通っていますか？"
    ),
    ": does every hidden layer get an activation module of its own?": (
        "。隠れ層ごとに、それぞれ専用の活性化関数のモジュールを用意していますか？"
    ),
    ": the check finds the layers by the stub's names, so keep them: self.mlp, an "
    "nn.Sequential of modules named Linear_0, Activation_0, Linear_1 and so on, then "
    "Output_Linear": (
        "。チェックはひな形の名前で層を探すので、名前は変えないでください。self.mlp は "
        "Linear_0、Activation_0、Linear_1 … という名前のモジュールからなる nn.Sequential で、"
        "その後に Output_Linear が続きます"
    ),
    "; these are probabilities: the loss nn.NLLLoss wants their logarithm": (
        "。これは確率です。損失 nn.NLLLoss には、その対数が必要です"
    ),
    "; the scores are not normalised into log probabilities": (
        "。スコアが対数確率に正規化されていません"
    ),
    "; normalised over the stimuli: each row (dim=1) should sum to 1": (
        "。刺激の方向に正規化されています。各行（dim=1）の和が 1 になるようにしてください"
    ),
    "; it equals the same network without the ReLU on its hidden units": (
        "。隠れユニットの ReLU を除いた同じネットワークの出力と一致します"
    ),
    "; it is right on responses 100 times smaller, so the formula is right but not the way it "
    "is computed: for large scores the softmax of a class far below the best underflows to 0 "
    "in float32, and log(0) = -inf (or exp() overflows to inf, and inf / inf is NaN): compute "
    "the log probabilities in one step, with torch.log_softmax (or self.logprob, the stub's "
    "nn.LogSoftmax)": (
        "。応答を 100 分の 1 にすると正しい値になるので、式は正しいのですが、計算の仕方に問題"
        "があります。スコアが大きいと、最大のクラスよりはるかに小さいクラスのソフトマックスは "
        "float32 では 0 にアンダーフローし、log(0) = -inf になります（あるいは exp() が inf "
        "にオーバーフローし、inf / inf が NaN になります）。対数確率は torch.log_softmax"
        "（またはひな形の nn.LogSoftmax である self.logprob）で一度に計算してください"
    ),
    " (add the linear layer self.out_layer)": "（線形層 self.out_layer を追加してください）",
    "; it equals the model with a ReLU between the convolution and the linear layer, but this "
    "encoding model has no non-linearity": (
        "。畳み込みと線形層の間に ReLU を入れたモデルの出力と一致しますが、このエンコーディング"
        "モデルには非線形性はありません"
    ),
    "; it equals the predicted responses through a ReLU, but this encoding model has no "
    "non-linearity: the linear layer's output is the prediction": (
        "。予測した応答に ReLU を通したものと一致しますが、このエンコーディングモデルには非線形"
        "性はありません。線形層の出力がそのまま予測です"
    ),
    # ------------------------------------------------------------------ training
    "the loss of iteration {iteration} is off by {error}": (
        "反復 {iteration} 回目の損失が {error} ずれています"
    ),
    "{where}: each loss is the one after that iteration's update": (
        "{where}。各損失が、その反復での更新の後の損失になっています"
    ),
    "{where}: the very first loss differs, so look at the output and the loss": (
        "{where}。最初の損失からすでに異なるので、出力と損失の計算を見直してください"
    ),
    "{where}: the loss never changes, so are the parameters updated?": (
        "{where}。損失がまったく変化しません。パラメータは更新されていますか？"
    ),
    "the first iteration agrees": "最初の反復は一致している",
    "the first {count} iterations agree": "最初の {count} 回の反復は一致している",
    "{where} (max abs difference {worst}): {agree}, so look at what carries over from one "
    "iteration to the next": (
        "{where}（絶対誤差の最大値 {worst}）。{agree}ので、ある反復から次の反復へ持ち越されて"
        "いるものを見直してください"
    ),
    "train returned {kind}, expected a list with the loss of each iteration": (
        "train が {kind} を返しました（各反復の損失のリストを返すべきです）"
    ),
    "train returned {count} losses for {epochs} iterations": (
        "train が {epochs} 回の反復に対して {count} 個の損失を返しました"
    ),
    "the list of losses holds {kind}, expected plain numbers (Python floats)": (
        "損失のリストに {kind} が入っています（ただの数値、つまり Python の float であるべきです）"
    ),
    "the losses match, but after training the network's {name} is off by {error}: is the "
    "network given to train updated once per iteration, and only then?": (
        "損失は一致していますが、学習後のネットワークの {name} が {error} ずれています。train "
        "に渡したネットワークは、反復ごとにちょうど 1 回だけ更新されていますか？"
    ),
    "{epochs} epochs, learning_rate={rate}, {samples} samples": (
        "{epochs} エポック、learning_rate={rate}、サンプル {samples} 個"
    ),
    # ------------------------------------------------------------------ summary()
    "{title} ({notebook}): {passed} of {count} exercises pass.": (
        "{title}（{notebook}）: {count} 個の演習のうち {passed} 個が合格です。"
    ),
    "Tutorial 1: Biological vs. artificial neural networks": (
        "チュートリアル 1: 生物のニューラルネットワークと人工ニューラルネットワーク"
    ),
    "Tutorial 1: Decoding neural responses": "チュートリアル 1: 神経応答のデコーディング",
    "Tutorial 2: Convolutional neural networks": (
        "チュートリアル 2: 畳み込みニューラルネットワーク"
    ),
    "Tutorial 3: Building and evaluating normative encoding models": (
        "チュートリアル 3: 規範的なエンコーディングモデルの構築と評価"
    ),
    "Tutorial 4: Diving deeper into decoding and encoding (bonus)": (
        "チュートリアル 4: デコーディングとエンコーディングをさらに深く（ボーナス）"
    ),
    "not checked yet": "まだチェックしていません",
    "All {count} exercises pass.": "{count} 個の演習すべてが合格です。",
    "It passes.": "合格です。",
    "Next: `{name}` ({mark}) — ": "次: `{name}`（{mark}）— ",
    "{head}re-read its check's line above (its hint), fix the exercise, then run its cell and "
    "{call} again.": (
        "{head}上にあるチェックの行（ヒント）を読み直して演習を直し、そのセルと {call} を"
        "もう一度実行してください。"
    ),
    "{head}finish the exercise (fill in each `...`, delete its `raise NotImplementedError` "
    "line), then run its cell and {call} again.": (
        "{head}演習を完成させ（`...` をすべて埋めて `raise NotImplementedError` の行を削除"
        "し）、そのセルと {call} をもう一度実行してください。"
    ),
    "{head}do the exercise, then run its cell and its check, {call}.": (
        "{head}演習に取り組み、そのセルとチェック {call} を実行してください。"
    ),
    "No self-check has run in this kernel yet, so which tutorial to list is unknown:": (
        "このカーネルではまだセルフチェックを 1 つも実行していないため、どのチュートリアルを"
        "表示すればよいかわかりません:"
    ),
    "Checks of more than one tutorial have run in this kernel: name the one to list.": (
        "このカーネルでは複数のチュートリアルのチェックを実行しています。表示するチュートリアル"
        "を指定してください。"
    ),
    "  {call}  # checked: {names}": "  {call}  # チェック済み: {names}",
}
