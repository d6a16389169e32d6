"""What a run of the checks reports: one ``Check`` per check, one ``PageResult`` per page."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Check:
    name: str
    ok: bool
    detail: str = ""


def _verdict(name: str, problems: list[str], passed: str) -> Check:
    """The end of every check: fail with its problems joined, or pass with ``passed``."""
    if problems:
        return Check(name, False, "; ".join(problems))
    return Check(name, True, passed)


@dataclass
class PageResult:
    """Outcome of every check on one page (``page`` is relative to the site root)."""

    page: str
    checks: list[Check] = field(default_factory=list)
    screenshot: Path | None = None
    seconds: float = 0.0
    axe: list = field(default_factory=list)  # one AxeCount per view (mode and width)

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)

    @property
    def failed(self) -> list[Check]:
        return [c for c in self.checks if not c.ok]

    def check(self, name: str) -> Check:
        return next(c for c in self.checks if c.name == name)

    def summary(self) -> str:
        passed = sum(c.ok for c in self.checks)
        line = f"{'PASS' if self.ok else 'FAIL'} {self.page}: {passed}/{len(self.checks)} checks"
        if not self.ok:
            line += "; failed: " + "; ".join(f"{c.name} ({c.detail})" for c in self.failed)
        return line

    def axe_line(self) -> str:
        """axe-core's critical/serious violations of each view, content and theme apart."""
        if not self.axe:
            return f"axe {self.page}: not run"
        views = []
        for c in self.axe:
            text = (
                f"{c.view} content {c.content_nodes} theme {c.theme_nodes} minor {c.minor_nodes}"
            )
            if c.content or c.theme:
                text += " (" + ", ".join(c.content + [f"theme: {t}" for t in c.theme]) + ")"
            views.append(text)
        return f"axe {self.page}: " + "; ".join(views)


@dataclass
class AxeCount:
    """Violations of one view of a page: failing (critical/serious) and all, theme and content."""

    view: str
    content: list[str] = field(default_factory=list)  # "rule (impact) xN" of failing ones
    theme: list[str] = field(default_factory=list)
    content_nodes: int = 0
    theme_nodes: int = 0
    minor_nodes: int = 0
