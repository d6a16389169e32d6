// Each figure of a cell output at the current width: natural and rendered width, and whether the
// box around it scrolls sideways (and is then a labelled Tab stop). Measured after two frames, so
// course.js has fitted the figures to the column.
async (article) => {
  const frame = () => new Promise(r => requestAnimationFrame(() => r()));
  await frame(); await frame();
  const root = document.querySelector(article) || document.body;
  return [...root.querySelectorAll(".cell_output img")].map(img => {
    let box = null;
    for (let a = img.parentElement; a && a !== root; a = a.parentElement) {
      const o = getComputedStyle(a).overflowX;
      const scrolling = o === "auto" || o === "scroll";
      if (scrolling && a.scrollWidth > a.clientWidth + 1) { box = a; break; }
    }
    return {src: img.currentSrc || img.src, natural: img.naturalWidth,
            shown: img.getBoundingClientRect().width, scrolls: !!box,
            focusable: !!box && box.tabIndex >= 0 && !!box.getAttribute("aria-label")};
  });
}
