// The page's language, its language switch and the prose of its article (language.py reads it).
(article) => {
  const link = (el) => {
    const raw = el.getAttribute("href") || "";
    let url; try { url = new URL(raw, location.href).href; } catch (e) { url = raw; }
    return {raw, url, hreflang: el.getAttribute("hreflang") || "",
            lang: el.getAttribute("lang") || "", text: el.textContent.trim()};
  };
  // Not prose: code, printed output, maths, permalinks, and the switch (a language's own name).
  const notProse = "pre, code, kbd, samp, script, style, .cell_input, .cell_output, .output, "
                   + ".math, mjx-container, math, .headerlink, nav.course-language";
  // A list item's or definition's own paragraphs and lists are read as elements of their own.
  const nested = "p, ul, ol, dl, div, table, figure, blockquote";
  const root = document.querySelector(article) || document.body;
  const prose = [];
  const blocks = "p, li, dd, h1, h2, h3, h4, h5, h6, .admonition-title, figcaption, .caption";
  for (const el of root.querySelectorAll(blocks)) {
    if (el.closest(notProse)) continue;
    const clone = el.cloneNode(true);
    clone.querySelectorAll(notProse).forEach((e) => e.remove());
    if (el.matches("li, dd")) clone.querySelectorAll(nested).forEach((e) => e.remove());
    const text = clone.textContent.replace(/\s+/g, " ").trim();
    if (text) prose.push({tag: el.tagName.toLowerCase(), text});
  }
  return {
    lang: document.documentElement.getAttribute("lang") || "",
    switches: [...document.querySelectorAll("nav.course-language")].map((nav) => ({
      label: nav.getAttribute("aria-label") || "",
      links: [...nav.querySelectorAll("a[href]")].map(link),
    })),
    alternates: [...document.querySelectorAll("link[rel~='alternate'][hreflang]")].map(link),
    prose,
  };
}
