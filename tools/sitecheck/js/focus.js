// What has the keyboard focus after a Tab, and whether it shows that it has.
([article, mark]) => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const shows = (e) => {
    const s = getComputedStyle(e);
    return (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0) ||
      (s.boxShadow && s.boxShadow !== "none");
  };
  // Focus inside a frame matches none of the frame's own :focus rules: its box shows it.
  const visible = shows(el) || (el.tagName === "IFRAME" && !!el.parentElement &&
                                shows(el.parentElement));
  let id = el.getAttribute(mark);
  if (!id) { id = String(Math.random()).slice(2); el.setAttribute(mark, id); }
  return {
    id, tag: el.tagName.toLowerCase(), visible,
    content: !!el.closest(article),
    // A formula box that scrolls sideways must be a stop (a keyboard scrolls it); no other.
    math: !!el.closest("mjx-container, .math") &&
          !(el.matches("mjx-container, div.math") && el.scrollWidth > el.clientWidth + 1),
    toggle: !!el.closest("div.cell.tag_exercise-solution") && el.tagName === "SUMMARY",
    langSwitch: !!el.closest("nav.course-language"),
    label: (el.getAttribute("aria-label") || el.textContent || "").trim().slice(0, 40),
  };
}
