// The course's accessibility fixes that CSS alone cannot make (see course.css and CONTRIBUTING.md):
// formulas and figures too wide for a phone scroll in a box a keyboard can reach.
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

  // Figures (images in cell outputs) shrink with the column; on a phone a wide multi-panel
  // figure would shrink until its labels are unreadable. Below FIGURE_MIN_SCALE of its natural
  // width a figure stops shrinking and scrolls sideways inside its own box, which (as a formula
  // box that scrolls) becomes a focusable, labelled region. The course's matplotlib style
  // (nma_dl/plotting/course.mplstyle) draws its smallest text, the tick labels, at 12 pt and
  // 100 dpi, 16.7 px of the image: at half scale they stay 8.3 CSS px tall, above the 8 px that
  // tools/sitecheck/ (check "labels") demands.
  var FIGURE_MIN_SCALE = 0.5;
  var FIGURE_LABEL = "Figure, scrolls sideways";
  var FIGURE_BOX = "course-figure";
  var FIGURE_SCROLLS = "course-figure-scrolls";

  function figureBox(img) {
    var box = img.parentElement;
    if (box && box.classList.contains(FIGURE_BOX)) return box;
    box = document.createElement("div");
    box.className = FIGURE_BOX;
    img.parentNode.insertBefore(box, img);
    box.appendChild(img);
    return box;
  }

  function fitFigure(img) {
    if (!img.naturalWidth) return;
    var box = figureBox(img);
    var least = Math.ceil(img.naturalWidth * FIGURE_MIN_SCALE);
    var scrolls = least > box.clientWidth + 1;
    box.classList.toggle(FIGURE_SCROLLS, scrolls);
    img.style.width = scrolls ? least + "px" : "";
    if (scrolls) {
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", FIGURE_LABEL);
    } else {
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
      box.removeAttribute("aria-label");
    }
  }

  function fitFigures() {
    document.querySelectorAll(".cell_output img").forEach(function (img) {
      if (img.complete) {
        fitFigure(img);
      } else {
        img.addEventListener("load", function () {
          fitFigure(img);
        });
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", fitFigures);
  } else {
    fitFigures();
  }

  var config = (window.MathJax = window.MathJax || {});
  config.startup = config.startup || {};
  config.startup.pageReady = function () {
    return window.MathJax.startup.defaultPageReady().then(markScrollers);
  };
  var timer = null;
  window.addEventListener("resize", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      markScrollers();
      fitFigures();
    }, 200);
  });
})();
