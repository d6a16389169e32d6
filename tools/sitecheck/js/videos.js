// The lecture video blocks of display_videos: their tabs, lazy players and "Watch on" links,
// and any player outside a block.
() => {
  const players = root => [...root.querySelectorAll("iframe")].map(f => ({
    src: f.getAttribute("src"), loading: f.getAttribute("loading"),
    shown: f.getBoundingClientRect().height > 0}));
  return {
    blocks: [...document.querySelectorAll(".nma-videos")].map(b => {
      const next = b.nextElementSibling;
      return {
        labels: [...b.querySelectorAll(":scope > label")].map(l => l.getAttribute("for")),
        players: players(b),
        links: next && next.matches(".nma-video-links")
               ? next.querySelectorAll("a[href]").length : 0,
      };
    }),
    stray: [...document.querySelectorAll("iframe")].filter(f => !f.closest(".nma-videos"))
             .map(f => f.getAttribute("src")),
  };
}
