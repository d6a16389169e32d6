// Wait until the page has settled: every image loaded (or failed) and MathJax done typesetting.
// Returns what MathJax did: {math: "none" | "done" | "not loaded" | ..., version}.
async (timeoutMs) => {
  const sleep = ms => new Promise(r => setTimeout(r, ms));
  const t0 = Date.now();
  // Images: load even those marked lazy, then wait for each to finish (or fail).
  for (const img of document.images) img.loading = "eager";
  await Promise.race([
    Promise.all([...document.images].map(img => img.complete ? null :
      new Promise(r => { img.addEventListener("load", r); img.addEventListener("error", r); }))),
    sleep(timeoutMs)]);
  if (!document.querySelector(".math")) return {math: "none"};
  if (![...document.scripts].some(s => /mathjax/i.test(s.src))) {
    return {math: "not loaded (no MathJax script)"};
  }
  // The page's load event has fired, so the deferred MathJax script has run (or failed to load)
  // and has defined MathJax.startup; a short grace period, not the full timeout.
  const t1 = Date.now();
  const ready = () => window.MathJax && MathJax.startup && MathJax.startup.promise;
  while (!ready() && Date.now() - t1 < 300) await sleep(50);
  if (!ready()) return {math: "not loaded"};
  const done = await Promise.race([MathJax.startup.promise.then(() => "done", e => "failed: " + e),
                                   sleep(timeoutMs).then(() => "timeout")]);
  return {math: done, version: MathJax.version};
}
