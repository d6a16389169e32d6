// The course's accessibility fixes that CSS alone cannot make (see course.css and README.md).
// Display formulas wider than the article scroll sideways inside their box (MathJax's
// mjx-container, course.css and the theme); a box
// that scrolls must be reachable by keyboard (WCAG 2.1.1), so after MathJax has typeset the page
// each formula box that scrolls becomes a focusable, labelled region, and only those: a formula
// that fits is not a Tab stop. Loaded after the page's MathJax configuration, before MathJax.
(function () {
  "use strict";
  var LABEL = "Formula, scrolls sideways";

  function markScrollers() {
    document.querySelectorAll('mjx-container[display="true"]').forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", LABEL);
      } else if (!scrolls && box.getAttribute("aria-label") === LABEL) {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  }

  // Focus that moves into a video player's frame leaves this document (its window blurs) and
  // matches no :focus or :focus-within rule here: mark the player's box instead (course.css).
  var FRAME_FOCUS = "course-frame-focus";
  function markFrameFocus() {
    document.querySelectorAll("." + FRAME_FOCUS).forEach(function (box) {
      box.classList.remove(FRAME_FOCUS);
    });
    var active = document.activeElement;
    if (active && active.tagName === "IFRAME" && active.parentElement) {
      active.parentElement.classList.add(FRAME_FOCUS);
    }
  }
  window.addEventListener("blur", function () {
    setTimeout(markFrameFocus, 0);
  });
  window.addEventListener("focus", markFrameFocus);
  document.addEventListener("focusin", markFrameFocus);

  var config = (window.MathJax = window.MathJax || {});
  config.startup = config.startup || {};
  config.startup.pageReady = function () {
    return window.MathJax.startup.defaultPageReady().then(markScrollers);
  };
  var timer = null;
  window.addEventListener("resize", function () {
    clearTimeout(timer);
    timer = setTimeout(markScrollers, 200);
  });
})();
