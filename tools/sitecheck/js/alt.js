// The src and alt text of every image in the article.
(article) => Array.from(document.querySelectorAll(article + " img")).map(img => ({
  src: (img.getAttribute("src") || "").slice(0, 80),
  alt: img.getAttribute("alt"),
}))
