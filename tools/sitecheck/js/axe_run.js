// Run axe-core (already injected) on the page; each violation's nodes say whether they lie in
// the article (content) or in the theme around it.
async ([options, article]) => {
  const results = await axe.run(document, options);
  const where = (target) => {
    if (target.length !== 1) return false;  // inside an iframe or shadow root: not ours
    let el = null;
    try { el = document.querySelector(target[0]); } catch (e) { return false; }
    return !!(el && el.closest(article));
  };
  return results.violations.map(v => ({
    id: v.id, impact: v.impact || "minor", help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(" "), content: where(n.target),
                              html: (n.html || "").slice(0, 120)})),
  }));
}
