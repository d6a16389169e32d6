"""Japanese text of the other messages: data, widgets, videos, displays, progress."""

MESSAGES = {
    # ----------------------------------------------------------------- nma_dl/data/files.py
    "Could not download the data file {name!r} from {url} "
    "(source 'osf': no fallback to the surrogate).\n"
    "Cause: {cause}\n"
    "What to do: check the internet connection and retry later (OSF is "
    "sometimes briefly unavailable), or set NMA_DL_DATA_SOURCE=synthetic "
    "(or pass source='synthetic') to use the offline surrogate of the data.": (
        "データファイル {name!r} を {url} からダウンロードできませんでした "
        "(source 'osf': 代替データには切り替えません)。\n"
        "原因: {cause}\n"
        "対処法: インターネット接続を確認し、しばらくしてからもう一度試してください (OSF は"
        "一時的に使えなくなることがあります)。または NMA_DL_DATA_SOURCE=synthetic を設定する "
        "(あるいは source='synthetic' を渡す) と、オフラインの代替データを使えます。"
    ),
    "make the folder writable (and free some disk space), or point NMA_DL_DATA_DIR at a "
    "writable folder, e.g. os.environ['NMA_DL_DATA_DIR'] = '/tmp/nma_dl'": (
        "フォルダーを書き込み可能にする (ディスクの空き容量も確保する) か、NMA_DL_DATA_DIR で"
        "書き込めるフォルダーを指定してください。例: os.environ['NMA_DL_DATA_DIR'] = '/tmp/nma_dl'"
    ),
    "{doing} failed with {error}": "{doing}に失敗しました ({error})",
    "the default cache (NMA_DL_DATA_DIR unset)": "既定のキャッシュ (NMA_DL_DATA_DIR は未設定)",
    "the data cache folder {folder!r} ({where}) cannot be used: {what}. This is a "
    "problem of this machine, not of the network. What to do: {fix}": (
        "データのキャッシュフォルダー {folder!r} ({where}) を使えません: {what}。これはこの"
        "マシンの問題で、ネットワークの問題ではありません。対処法: {fix}"
    ),
    "a directory": "ディレクトリ",
    "a named pipe (FIFO)": "名前付きパイプ (FIFO)",
    "a socket": "ソケット",
    "a character device": "キャラクターデバイス",
    "a block device": "ブロックデバイス",
    "a file": "ファイル",
    "a symbolic link": "シンボリックリンク",
    "no regular file": "通常のファイルではないもの",
    "a folder": "フォルダー",
    "nothing can be stored in it": "そこには何も保存できません",
    "it is never opened (a FIFO or a device could block the call) nor replaced": (
        "開くことも置き換えることもしません (FIFO やデバイスを開くと処理が止まることがあるため)"
    ),
    "{path!r} is {kind} where the cache keeps {keeps} ({name}), so {why}": (
        "キャッシュが{keeps} ({name}) を置く場所にある {path!r} は{kind}なので、{why}"
    ),
    "remove it, e.g. {remove}({path!r}), then retry, or point NMA_DL_DATA_DIR at another folder": (
        "それを削除して (例: {remove}({path!r})) もう一度試すか、NMA_DL_DATA_DIR で別の"
        "フォルダーを指定してください"
    ),
    "reading {name}": "{name} の読み込み",
    "writing": "書き込み",
    "Waiting for another process that is downloading or preparing {what} in "
    "{folder!r} (it holds the lock file {lock}); waiting at most {wait:g} s.": (
        "別のプロセスが {folder!r} で {what} をダウンロードまたは準備しているので、終わるのを"
        "待っています (そのプロセスがロックファイル {lock} を持っています)。最大 {wait:g} 秒"
        "待ちます。"
    ),
    "opening the lock file {lock}": "ロックファイル {lock} を開く処理",
    "waiting {wait:g} s for the lock file {lock} failed (it stayed taken)": (
        "ロックファイル {lock} を {wait:g} 秒待ちましたが、取得できませんでした (使用中のままです)"
    ),
    "another process (another notebook or a python -m nma_dl.data prepare) still "
    "holds the lock while downloading or preparing {what}; let it finish, or stop it, "
    "then retry": (
        "別のプロセス (別のノートブック、または python -m nma_dl.data prepare) が {what} を"
        "ダウンロードまたは準備していて、まだロックを持っています。それが終わるのを待つか、"
        "止めてから、もう一度試してください"
    ),
    "download truncated: received {received} of {declared} bytes": (
        "ダウンロードが途中で切れました: {declared} バイトのうち {received} バイトしか"
        "受信していません"
    ),
    "the server announces {declared} bytes (Content-Length), far above the "
    "size of {name} (at most {max_bytes} bytes); refused before writing anything": (
        "サーバーが {declared} バイト (Content-Length) を送ると予告しましたが、{name} の"
        "サイズ (最大 {max_bytes} バイト) を大きく超えています。何も書き込まずに拒否しました"
    ),
    "OSF answered a web page (HTML, Content-Type {content_type!r}) instead of "
    "the data file; the download link may have changed or OSF may be "
    "busy or down": (
        "OSF がデータファイルではなくウェブページ (HTML、Content-Type {content_type!r}) を"
        "返しました。ダウンロードのリンクが変わったか、OSF が混雑しているか停止している"
        "可能性があります"
    ),
    "the server sent more than {max_bytes} bytes, far above the size of {name}; stopped": (
        "サーバーが {max_bytes} バイトを超えるデータを送ってきました。{name} のサイズを大きく"
        "超えるため、中止しました"
    ),
    "writing the download": "ダウンロードしたデータの書き込み",
    "the download took longer than {deadline:g} s ({received} bytes received; "
    "set NMA_DL_DOWNLOAD_DEADLINE to wait longer)": (
        "ダウンロードに {deadline:g} 秒より長くかかりました ({received} バイトを受信済み。"
        "もっと長く待つには NMA_DL_DOWNLOAD_DEADLINE を設定してください)"
    ),
    "no data received for {timeout:g} s (set NMA_DL_DOWNLOAD_TIMEOUT to wait longer)": (
        "{timeout:g} 秒間データを受信できませんでした (もっと長く待つには "
        "NMA_DL_DOWNLOAD_TIMEOUT を設定してください)"
    ),
    "{name} (a download from OSF)": "{name} (OSF からのダウンロード)",
    "The cached {name} does not match its MD5 checksum; downloading it again.": (
        "キャッシュにある {name} が MD5 チェックサムと一致しません。もう一度ダウンロードします。"
    ),
    "Downloading {name} from {url} (at most {deadline:g} s); {on_failure}.": (
        "{name} を {url} からダウンロードしています (最大 {deadline:g} 秒)。{on_failure}。"
    ),
    "creating the download file": "ダウンロード用ファイルの作成",
    "the downloaded bytes do not match the registry's MD5 hash of {name} "
    "(expected {expected}, got {md5})": (
        "ダウンロードしたデータが、登録されている {name} の MD5 ハッシュと一致しません "
        "(期待値 {expected}、実際の値 {md5})"
    ),
    "writing the surrogate {name} (absent or out of date in this folder)": (
        "代替データ {name} の書き込み (このフォルダーに無いか、古くなっているため)"
    ),
    "the offline surrogate of the data ({name})": "オフラインの代替データ ({name})",
    ", drawn with seed {seed}": "、シード {seed} で生成",
    "NOTE: using the offline SURROGATE of the Stringer et al. 2021 V1 data (simulated, "
    "not the real recordings{drawn}) for {name}; numbers and figures differ from the "
    "real data.": (
        "NOTE: {name} には Stringer et al. 2021 の V1 データの代わりに、オフラインの代替データ "
        "(SURROGATE: シミュレーションで作ったもので、実際の記録ではありません{drawn}) を"
        "使っています。数値や図は実データとは異なります。"
    ),
    "writing the surrogate": "代替データの書き込み",
    "if it fails, the offline surrogate is used instead": (
        "失敗した場合は、代わりにオフラインの代替データを使います"
    ),
    "if it fails, an error says why (source 'osf')": (
        "失敗した場合は、エラーでその理由を示します (source 'osf')"
    ),
    "The real Stringer et al. (2021) data file {name} could not be fetched from "
    "{url} ({cause}). Using the offline SURROGATE instead: simulated data, so "
    "results will differ from the real recordings. Set NMA_DL_DATA_SOURCE=osf "
    "to make this an error, or =synthetic to skip the download.": (
        "Stringer et al. (2021) の実データのファイル {name} を {url} から取得できませんでした "
        "({cause})。代わりにオフラインの代替データ (SURROGATE) を使います。シミュレーションで"
        "作ったデータなので、結果は実際の記録とは異なります。これをエラーにするには "
        "NMA_DL_DATA_SOURCE=osf を、ダウンロードを省くには =synthetic を設定してください。"
    ),
    # ----------------------------------------------------------------- nma_dl/widgets.py
    "Line plot of the LIF neuron's spike count in one second against input current from 0 "
    "to 2 mA (Rm = {Rm:g} kOhm, tau_ref = {tau_ref:g} ms): no spikes below a threshold "
    "current, then a count that rises with the current, steeply just above threshold and "
    "more slowly after, reaching {top:g} spikes at 2 mA: the time to charge the membrane to "
    "threshold, a logarithm of the current, falls fast just above threshold and ever more "
    "slowly after (the refractory period adds its fixed {tau_ref:g} ms to every interval, "
    "so the rate never exceeds {cap:g} spikes per second).": (
        "LIF ニューロンの 1 秒間のスパイク数を、0 から 2 mA までの入力電流に対して描いた折れ線"
        "グラフ (Rm = {Rm:g} kOhm、tau_ref = {tau_ref:g} ms): 閾値となる電流より下ではスパイク"
        "は出ず、それを超えるとスパイク数は電流とともに増えます。閾値のすぐ上では急に、その後は"
        "ゆるやかに増え、2 mA で {top:g} 個に達します。膜電位を閾値まで充電する時間は電流の"
        "対数で決まり、閾値のすぐ上では急に短くなり、その後はますますゆるやかにしか短くなり"
        "ません (不応期がどのスパイク間隔にも一定の {tau_ref:g} ms を加えるので、発火率は毎秒 "
        "{cap:g} スパイクを超えません)。"
    ),
    "Static figure for Rm = {Rm:g} kOhm and tau_ref = {tau_ref:g} ms. Launch this page as a "
    "notebook (Colab, Kaggle or Jupyter) to move the sliders.": (
        "Rm = {Rm:g} kOhm、tau_ref = {tau_ref:g} ms のときの静的な図です。スライダーを動かす"
        "には、このページをノートブック (Colab、Kaggle または Jupyter) として開いてください。"
    ),
    "draw another random set": "別のランダムな組を描く",
    "Tuning curves of {n_units} random units of each of: {labels}": (
        "次のそれぞれからランダムに選んだ {n_units} 個のユニットのチューニング曲線: {labels}"
    ),
    "Tuning curves, response against stimulus orientation, of {n_units} units chosen at "
    "random (seed {seed}) in each of: {labels}. Launch this page as a notebook (Colab, "
    "Kaggle or Jupyter) to draw other units with the button.": (
        "刺激の方位に対する応答を表すチューニング曲線です。次のそれぞれから {n_units} 個の"
        "ユニットをランダムに選んでいます (シード {seed}): {labels}。ボタンで別のユニットを"
        "描くには、このページをノートブック (Colab、Kaggle または Jupyter) として開いて"
        "ください。"
    ),
    "A grating at {angle:g} degrees, phase {phase:g} degrees, and the activation maps of the "
    "six example filters": (
        "方位 {angle:g} 度、位相 {phase:g} 度の縞刺激 (グレーティング) と、例として示す 6 つの"
        "フィルターの活性化マップ"
    ),
    "Static figure for a grating at {angle:g} degrees, phase {phase:g} degrees. Launch this "
    "page as a notebook (Colab, Kaggle or Jupyter) to move the sliders.": (
        "方位 {angle:g} 度、位相 {phase:g} 度のグレーティングでの静的な図です。スライダーを"
        "動かすには、このページをノートブック (Colab、Kaggle または Jupyter) として開いて"
        "ください。"
    ),
    "orientation (°)": "方位 (°)",
    "phase (°)": "位相 (°)",
    # ----------------------------------------------------------------- nma_dl/display.py
    "figure": "図",
    # ----------------------------------------------------------------- nma_dl/videos.py
    "{source} video {video_id}": "{source} の動画 {video_id}",
    "Video available at {url}": "動画はこちらで見られます: {url}",
    "Watch video {video_id} on {label} (opens in a new tab)": (
        "動画 {video_id} を {label} で見る (新しいタブで開きます)"
    ),
    # ----------------------------------------------------------------- nma_dl/training.py
    "the loss is {value}: gradient descent has diverged (try a smaller learning "
    "rate) or the data or labels hold NaN or inf; no update was made": (
        "損失が {value} になりました: 勾配降下法が発散したか (もっと小さい学習率を試して"
        "ください)、データかラベルに NaN か inf が含まれています。パラメータは更新していません"
    ),
    "the training loss became {value} at iteration {i}/{n} with "
    "learning_rate={learning_rate!r}: gradient descent diverged; try a smaller "
    "learning_rate (e.g. {smaller:g})": (
        "反復 {i}/{n} で訓練損失が {value} になりました (learning_rate={learning_rate!r}): "
        "勾配降下法が発散しています。もっと小さい learning_rate を試してください "
        "(例: {smaller:g})"
    ),
    "Trained for {n_steps} {unit} (a live progress bar in a notebook).": (
        "{n_steps} {unit}の学習を行いました (ノートブックでは進捗バーがその場で表示されます)。"
    ),
    "epochs": "エポック",
    "iterations": "反復",
    "Accuracy on the {n} training samples: {accuracy:0.2f}": (
        "訓練サンプル {n} 個での正解率: {accuracy:0.2f}"
    ),
    "Accuracy on the {n} testing samples: {accuracy:0.2f}": (
        "テストサンプル {n} 個での正解率: {accuracy:0.2f}"
    ),
    ">>> fraction correct = {fraction:.3f}": ">>> 正解率 = {fraction:.3f}",
    "the training loss became {value} at iteration {i}/{n}: gradient descent (learning "
    "rate 0.1) diverged; use smaller penalties (L2_penalty={L2_penalty!r}, "
    "L1_penalty={L1_penalty!r}), responses of a smaller scale (z-scored), or a loss_fn "
    "that stays finite": (
        "反復 {i}/{n} で訓練損失が {value} になりました: 勾配降下法 (学習率 0.1) が発散して"
        "います。もっと小さいペナルティ (L2_penalty={L2_penalty!r}、"
        "L1_penalty={L1_penalty!r})、スケールの小さい応答 (z スコア化したもの)、または"
        "有限の値にとどまる loss_fn を使ってください"
    ),
    # ----------------------------------------------------------------- nma_dl/device.py
    "GPU (CUDA) is enabled in this notebook.": "このノートブックでは GPU (CUDA) が有効です。",
    "Apple GPU (MPS) is enabled in this notebook.": (
        "このノートブックでは Apple GPU (MPS) が有効です。"
    ),
    "No GPU found: running on the CPU. To use a GPU, choose Runtime -> Change runtime "
    "type -> GPU in Colab, or Settings -> Accelerator -> GPU in Kaggle; the tutorials "
    "also run on the CPU, only slower.": (
        "GPU が見つかりません: CPU で実行します。GPU を使うには、Colab では「ランタイム」->"
        "「ランタイムのタイプを変更」-> GPU を、Kaggle では Settings -> Accelerator -> GPU を"
        "選んでください。チュートリアルは CPU でも動きます (遅くなるだけです)。"
    ),
    "Random seed {seed} has been set.": "乱数シード {seed} を設定しました。",
    "iteration {i}/{n}": "反復 {i}/{n}",
}
