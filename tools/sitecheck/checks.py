"""The checks that read the facts of a loaded page (one round trip: ``js/facts.js``)."""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from .browser import _PageWatch
from .expected import STUB, CellExpectation, Site
from .pages import _ids_in, _is_local, _page_of, _url_to_file, is_built_page
from .results import Check, _verdict

# Raw math left in reader-visible text (code excluded): $...$, $$, \( \) \[ \], \begin{...}.
RAW_MATH = re.compile(
    r"\$\$|(?<![\w$\\])\$(?=\S)[^$\n]{1,300}?(?<=\S)\$(?![\w$])|\\[()\[\]]|\\begin\{[a-zA-Z*]+\}"
)
# What a widget looks like when no fallback was rendered.
RAW_WIDGET = re.compile(
    r"\b(?:Tab|VBox|HBox|Box|GridBox|Accordion|Stack|Output|interactive|IntSlider|FloatSlider|"
    r"FloatLogSlider|IntRangeSlider|FloatRangeSlider|SelectionSlider|Dropdown|Button|"
    r"ToggleButtons?|Checkbox|Label|HTML|HTMLMath|Image|Video|Play|Text|Textarea|"
    r"BoundedFloatText|BoundedIntText|RadioButtons|Select|SelectMultiple)"
    r"\((?:children|value|layout|description|outputs|options|style)="
    r"|IPY_MODEL_|application/vnd\.jupyter\.widget|\"model_id\"|Loading widget"
)
ERROR_TEXT = re.compile(r"Traceback \(most recent call last\)|\b\w+Error: |NotImplementedError")
# A path of the machine that built the site, in what a reader sees: a pathlib repr, or an
# absolute path under a folder that holds homes, checkouts, temporary files or environments.
# Not preceded by a word character, '.', ':' or '/', so no URL (https://x.org/home/...) and no
# fraction (1/home) matches; "site-packages"/"dist-packages" only name installed packages.
BUILD_PATH = re.compile(
    r"\b(?:Posix|Windows|PurePosix|PureWindows)Path\("
    r"|(?<![\w.:/~-])/(?:home|work|tmp|root|Users|opt|srv|mnt|private|var/folders|var/tmp)"
    r"/[^\s'\"<>),]*"
    r"|[^\s'\"<>(]*\b(?:site|dist)-packages\b"
    r"|\b[A-Za-z]:\\(?:Users|Windows)\\"
)


def _check_console(watch: _PageWatch) -> Check:
    if watch.console:
        return Check(
            "console", False, f"{len(watch.console)} error(s): " + " | ".join(watch.console[:3])
        )
    return Check("console", True, f"no errors ({len(watch.external)} external request(s) blocked)")


def _check_requests(watch: _PageWatch) -> Check:
    failed = list(dict.fromkeys(watch.failed))
    problems = []
    if failed:
        problems.append(f"{len(failed)} failed: " + " | ".join(failed[:3]))
    third = list(dict.fromkeys(watch.third_party))
    if third:
        problems.append(
            f"{len(third)} third-party request(s) before any click: " + " | ".join(third[:3])
        )
    return _verdict("requests", problems, "all local requests succeeded, none to a third party")


def _check_mathjax(facts: dict, settle: dict) -> Check:
    problems = []
    if facts["mathCount"]:
        if settle.get("math") != "done":
            problems.append(f"MathJax {settle.get('math')}")
        if facts["mathUnrendered"]:
            problems.append(
                f"{len(facts['mathUnrendered'])} of {facts['mathCount']} equations not rendered, "
                f"first: {facts['mathUnrendered'][0]!r}"
            )
        if facts["mathErrors"]:
            problems.append(f"TeX errors: {facts['mathErrors'][:3]}")
    raw = list(dict.fromkeys(m.group(0) for m in RAW_MATH.finditer(facts["text"])))
    if raw:
        problems.append(f"raw TeX in the text: {raw[:5]}")
    if not facts["mathCount"]:
        return _verdict("mathjax", problems, "no math on the page, no raw TeX")
    return _verdict(
        "mathjax",
        problems,
        f"{facts['mathCount']} equations rendered (MathJax {settle.get('version')})",
    )


def _local_image(img: dict) -> bool:
    return _is_local(img["src"]) or img["src"].startswith("data:")


def _check_figures(
    facts: dict, expected: list[CellExpectation] | None, cells_match: bool
) -> Check:
    problems = []
    broken = [
        i["src"].rsplit("/", 1)[-1][:60]
        for i in facts["images"]
        if _local_image(i) and i["w"] == 0
    ]
    if broken:
        problems.append(f"{len(broken)} image(s) did not load: {broken[:3]}")
    shown = sum(1 for i in facts["images"] if i["inOutput"] and _local_image(i))
    if expected is None:
        if problems:
            return Check("figures", False, "; ".join(problems))
        return Check(
            "figures", True, f"{shown} figure(s), no notebook on this page; all images loaded"
        )
    want = sum(c.figures for c in expected)
    silent = [c.index for c in expected if c.calls_show and c.figures == 0]
    if silent:
        problems.append(
            f"notebook cell(s) {silent} call plt.show() but produced no figure "
            "(matplotlib without the inline backend in the kernel? e.g. MPLBACKEND=Agg)"
        )
    if shown != want:
        problems.append(f"page shows {shown} figure(s), the executed notebook produced {want}")
    if cells_match:
        for exp, cell in zip(expected, facts["cells"], strict=True):
            got = sum(1 for o in cell["outputs"] for i in o["imgs"] if _local_image(i))
            if got != exp.figures:
                problems.append(
                    f"notebook cell {exp.index}: {got} figure(s) on the page, "
                    f"{exp.figures} expected"
                )
    return _verdict("figures", problems, f"{shown}/{want} figures shown and loaded")


def _check_stubs(facts: dict) -> Check:
    problems = []
    stubs = [c for c in facts["cells"] if f"tag_{STUB}" in c["classes"]]
    for k, cell in enumerate(stubs, 1):
        if any(o["traceback"] for o in cell["outputs"]) or ERROR_TEXT.search(cell["outputText"]):
            problems.append(f"stub {k} shows an error trace")
        elif cell["outputs"]:
            problems.append(
                f"stub {k} shows {len(cell['outputs'])} output(s) (tag remove-output missing?)"
            )
    others = facts["tracebacks"] - sum(1 for c in stubs for o in c["outputs"] if o["traceback"])
    if others > 0:
        problems.append(f"{others} error trace(s) elsewhere on the page")
    return _verdict("stubs", problems, f"{len(stubs)} stub(s), no error trace")


_NOTEBOOK_LINK = re.compile(
    r"colab\.research\.google\.com|kaggle\.com/kernels|raw\.githubusercontent\.com"
)


def _check_launch(site: Site, page_name: str, facts: dict) -> Check:
    problems = []
    slug = site.tutorial_slug(page_name)
    allowed = set()
    for tutorial in site.tutorial_slugs():
        allowed |= set(site.notebook_links(tutorial).values())
    anchors = facts["anchors"]
    repo_buttons = [a["href"] for a in anchors if a["repoButton"]]
    if any(h.rstrip("/") != site.repo_url for h in repo_buttons):
        problems.append(f"repository button points at {repo_buttons}, not {site.repo_url}")
    notebook_links = [a for a in anchors if _NOTEBOOK_LINK.search(a["href"])]
    stray = sorted({a["href"] for a in notebook_links if a["href"] not in allowed})
    if slug is not None:
        expected = site.notebook_links(slug)
        launch = [
            a["href"] for a in anchors if a["launch"] and "colab.research.google.com" in a["href"]
        ]
        if not launch:
            problems.append("no Colab launch button")
        elif any(h != expected["Colab (student)"] for h in launch):
            problems.append(
                f"Colab launch button opens {launch[0]}, expected {expected['Colab (student)']}"
            )
        body = {a["href"] for a in notebook_links if a["inArticle"]}
        missing = [name for name, url in expected.items() if url not in body]
        if missing:
            problems.append(f"badges missing in the page: {', '.join(missing)}")
        others = sorted(
            {a["href"] for a in notebook_links if a["inArticle"]} - set(expected.values())
        )
        if others:
            problems.append(f"badges for another notebook: {others[:2]}")
    if stray:
        problems.append(f"notebook links outside {site.repo_url}@{site.branch}: {stray[:2]}")
    if slug is None:
        return _verdict("launch", problems, "not a tutorial page; no stray notebook links")
    return _verdict(
        "launch",
        problems,
        "launch button and 4 badges point at notebooks/student|solutions/"
        f"{slug}.ipynb on {site.branch}",
    )


def _check_nav(site: Site, base: str, facts: dict) -> Check:
    nav = facts["nav"]
    if nav is None:
        return Check("nav", False, "no left navigation (nav.bd-docs-nav)")
    linked = {_page_of(site, base, h.split("#")[0]) for h in nav["links"]}
    want = [f"{doc}.html" for doc in site.toc_docs]
    missing = [w for w in want if w not in linked]
    problems = []
    if missing:
        problems.append(f"navigation lacks {missing}")
    if not nav["visible"]:
        problems.append("navigation not visible at desktop width")
    return _verdict("nav", problems, f"lists all {len(want)} _toc.yml entries")


def _widget_output_ok(o: dict) -> bool:
    return (
        bool(o["text"].strip() or o["links"] or any(i["w"] > 0 for i in o["imgs"]))
        and o["height"] > 0
    )


def _check_widgets(
    facts: dict, expected: list[CellExpectation] | None, cells_match: bool
) -> Check:
    problems = []
    for k, cell in enumerate(facts["cells"]):
        m = RAW_WIDGET.search(cell["outputText"])
        if m:
            problems.append(f"code cell {k + 1}: raw widget text {m.group(0)!r}")
    n_widgets = 0
    if expected is not None and cells_match:
        for exp, cell in zip(expected, facts["cells"], strict=True):
            if not exp.widgets:
                continue
            n_widgets += exp.widgets
            outs = cell["outputs"]
            if len(outs) < exp.outputs:
                problems.append(
                    f"notebook cell {exp.index}: {len(outs)} output(s) on the page, "
                    f"{exp.outputs} expected"
                )
            empty = [o for o in outs if not _widget_output_ok(o)]
            if empty:
                problems.append(
                    f"notebook cell {exp.index}: empty widget output ({empty[0]['cls']})"
                )
            htmls = [o["html"] for o in outs if "text_html" in o["cls"]]
            if len(htmls) != len(set(htmls)):
                problems.append(
                    f"notebook cell {exp.index}: the same widget fallback is shown "
                    f"{len(htmls) - len(set(htmls)) + 1} times (displayed and also returned?)"
                )
    elif expected is not None:
        n_widgets = sum(c.widgets for c in expected)
    return _verdict(
        "widgets",
        problems,
        (
            f"{n_widgets} widget(s) shown by their static fallback"
            if n_widgets
            else "no widgets, no raw widget text"
        ),
    )


def _check_links(site: Site, base: str, facts: dict) -> Check:
    missing, leftovers, anchors, n = [], [], [], 0
    served = base[: len(base) - len(site.prefix)]  # links into the other language's site too
    for ref in facts["refs"]:
        url = ref["url"]
        if not _is_local(url) or not url.startswith(served):
            continue
        if "preconnect" in ref["rel"] or "dns-prefetch" in ref["rel"]:
            continue
        n += 1
        target = _url_to_file(site, base, url.split("#")[0])
        if target is None or not target.is_file():
            missing.append(ref["raw"])
            continue
        if target.suffix == ".html" and not is_built_page(site, target):
            leftovers.append(ref["raw"])
            continue
        frag = unquote(urlsplit(url).fragment)
        if ref["tag"] == "a" and frag and target.suffix == ".html":
            if frag not in _ids_in(target, target.stat().st_mtime):
                anchors.append(ref["raw"])
    problems = []
    if missing:
        problems.append(f"{len(missing)} link(s) to missing files: {sorted(set(missing))[:3]}")
    if leftovers:
        problems.append(
            f"{len(leftovers)} link(s) to pages that are not part of this build (left over "
            f"from an earlier one): {sorted(set(leftovers))[:3]}"
        )
    if anchors:
        problems.append(f"{len(anchors)} link(s) to missing anchors: {sorted(set(anchors))[:3]}")
    return _verdict("links", problems, f"{n} same-site links and resources resolve")


def _check_paths(site: Site, facts: dict) -> Check:
    """No output nor prose of the page shows a path of the machine that built it."""
    texts = [("text", facts["text"])]
    texts += [(f"code cell {k + 1}", c["outputText"]) for k, c in enumerate(facts["cells"])]
    roots = site.machine_paths()
    found = []
    for where, text in texts:
        hits = [m.group(0) for m in BUILD_PATH.finditer(text)]
        hits += [r for r in roots if r in text and not any(r in h for h in hits)]
        found += [f"{where}: {h[:80]!r}" for h in dict.fromkeys(hits)]
    if found:
        return Check(
            "paths", False, f"{len(found)} path(s) of the build machine: " + "; ".join(found[:4])
        )
    return Check(
        "paths",
        True,
        f"no path of the build machine in {len(facts['cells'])} cell(s)' outputs or the text",
    )


def _check_streams(facts: dict) -> Check:
    """One output box per stream and cell: never two boxes of the same stream in a row."""
    problems, boxes = [], 0
    for k, cell in enumerate(facts["cells"], 1):
        kinds = [o.get("stream") for o in cell["outputs"]]
        boxes += sum(1 for kind in kinds if kind)
        split = [a for a, b in zip(kinds, kinds[1:], strict=False) if a and a == b]
        if split:
            problems.append(f"code cell {k}: {len(split) + 1} {split[0]} boxes in a row")
    if problems:
        return Check(
            "streams",
            False,
            "printed text split into several boxes (nb_merge_streams in _config.yml?): "
            + "; ".join(problems[:3]),
        )
    return Check("streams", True, f"{boxes} stream box(es), none split")
