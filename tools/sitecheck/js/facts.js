// Everything the checks need from the loaded page, in one round trip (checks.py reads it).
() => {
  const cleanText = (root, drop) => {
    if (!root) return "";
    const clone = root.cloneNode(true);
    clone.querySelectorAll(drop).forEach(e => e.remove());
    return clone.textContent;
  };
  const imgInfo = img => ({src: img.currentSrc || img.src, w: img.naturalWidth,
                           complete: img.complete});
  const article = document.querySelector("article.bd-article") || document.querySelector("main")
                  || document.body;
  const cells = [...document.querySelectorAll("div.cell")].map(cell => {
    const outputAreas = [...cell.querySelectorAll(".cell_output")];
    const outputs = outputAreas.flatMap(o => [...o.children]).map(o => ({
      cls: o.className || o.tagName.toLowerCase(),
      tag: o.tagName.toLowerCase(),
      html: o.outerHTML.length > 20000 ? o.outerHTML.slice(0, 20000) : o.outerHTML,
      text: o.textContent,
      height: o.getBoundingClientRect().height,
      imgs: (o.tagName === "IMG" ? [o] : [...o.querySelectorAll("img")]).map(imgInfo),
      links: o.querySelectorAll("a[href], iframe, svg, canvas, video").length,
      stream: o.matches(".output.stream") ? "stdout" : o.matches(".output.stderr") ? "stderr"
              : null,
      traceback: o.matches(".traceback, .error, .output_error")
                 || !!o.querySelector(".traceback, .ansi-red-fg, .ansi-red-intense-fg"),
    }));
    return {classes: [...cell.classList], outputs,
            outputText: outputAreas.map(o => o.textContent).join("\n")};
  });
  const refs = [];
  for (const [sel, attr] of [["a[href]", "href"], ["link[href]", "href"], ["img[src]", "src"],
                             ["script[src]", "src"], ["iframe[src]", "src"],
                             ["source[src]", "src"]]) {
    for (const el of document.querySelectorAll(sel)) {
      const raw = el.getAttribute(attr);
      if (!raw || raw.startsWith("javascript:") || raw.startsWith("mailto:")) continue;
      let url; try { url = new URL(raw, location.href).href; } catch (e) { url = raw; }
      refs.push({tag: el.tagName.toLowerCase(), raw, url, rel: el.getAttribute("rel") || ""});
    }
  }
  const anchors = [...document.querySelectorAll("a[href]")].map(a => ({
    href: a.href, title: a.getAttribute("title") || "", text: a.textContent.trim().slice(0, 80),
    launch: !!a.closest(".dropdown-launch-buttons"),
    repoButton: a.matches(".btn-source-repository-button"),
    inArticle: !!a.closest("article.bd-article"),
  }));
  const nav = document.querySelector("nav.bd-docs-nav");
  const navBox = nav ? nav.getBoundingClientRect() : null;
  const maths = [...document.querySelectorAll(".math")];
  return {
    url: location.href,
    mathCount: maths.length,
    mathUnrendered: maths.filter(m => !m.querySelector("mjx-container"))
                         .map(m => m.textContent.trim().slice(0, 80)),
    mathErrors: [...document.querySelectorAll("mjx-merror")]
                  .map(e => (e.getAttribute("data-mjx-error") || e.textContent).slice(0, 120)),
    text: cleanText(article, "pre, code, script, style, textarea, mjx-container, svg, "
                             + ".cell_input, .highlight"),
    images: [...document.images].map(img => ({...imgInfo(img),
                                              inOutput: !!img.closest(".cell_output")})),
    cells,
    refs,
    anchors,
    nav: nav ? {visible: navBox.width > 0 && navBox.height > 0
                         && getComputedStyle(nav).visibility !== "hidden",
                links: [...nav.querySelectorAll("a[href]")].map(a => a.href)} : null,
    tracebacks: document.querySelectorAll(".cell_output .traceback, .output.traceback").length,
  };
}
