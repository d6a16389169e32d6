// Whether axe-core is already injected in the page (each view injects it once).
() => typeof window.axe !== "undefined"
