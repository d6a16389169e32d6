// At a phone's width: the page must not scroll sideways, and nothing in the article may stick
// out of the screen unless a scrollable box holds it (a long formula in a scrolling container).
(article) => {
  const doc = document.documentElement;
  const width = doc.clientWidth;
  const scrolls = (el) => {
    for (let a = el; a && a !== document.body; a = a.parentElement) {
      const o = getComputedStyle(a).overflowX;
      if (o === "auto" || o === "scroll") return true;
    }
    return false;
  };
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
    (el.classList.length ? "." + Array.from(el.classList).slice(0, 2).join(".") : "");
  const clipped = [];
  const root = document.querySelector(article);
  if (root) {
    for (const el of root.querySelectorAll("mjx-container, img, table, pre, iframe, figure, p")) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      if ((r.right > width + 1 || r.left < -1) && !scrolls(el)) {
        clipped.push(`${name(el)} ${Math.round(r.width)} px wide`);
      }
    }
    for (const el of root.querySelectorAll('mjx-container[display="true"]')) {
      // A formula wider than its own box is cut off unless that box (or a parent) scrolls.
      if (el.scrollWidth > el.clientWidth + 1 && !scrolls(el)) {
        clipped.push(`formula ${el.scrollWidth} px in a ${el.clientWidth} px box, no scrolling`);
      }
    }
  }
  return {overflow: Math.max(doc.scrollWidth, document.body.scrollWidth) - width, clipped};
}
