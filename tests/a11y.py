"""Reading a rendered page the way assistive technology does, for the accessibility tests: which controls a
page has, what their aria-describedby points at, and the text of the element with a given id. html.parser
only (no lxml in the venv)."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    text: list[str] = field(default_factory=list)
    wrapping_label: Element | None = None  # a <label> the element sits in (an implicit label)

    @property
    def content(self) -> str:
        return " ".join("".join(self.text).split())


class _Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self._open: list[Element] = []

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {k: v or "" for k, v in attrs})
        element.wrapping_label = next((e for e in reversed(self._open) if e.tag == "label"), None)
        self.elements.append(element)
        if tag not in VOID:
            self._open.append(element)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self._open.pop()

    def handle_endtag(self, tag):
        for i in range(len(self._open) - 1, -1, -1):
            if self._open[i].tag == tag:
                del self._open[i:]
                break

    def handle_data(self, data):
        for element in self._open:
            element.text.append(data)


class Page:
    def __init__(self, html: str | bytes):
        parser = _Page()
        parser.feed(html.decode() if isinstance(html, bytes) else html)
        self.elements = parser.elements
        self.by_id = {e.attrs["id"]: e for e in self.elements if "id" in e.attrs}

    def find(self, tag: str, **attrs: str) -> list[Element]:
        return [
            e
            for e in self.elements
            if e.tag == tag and all(e.attrs.get(k.replace("_", "-")) == v for k, v in attrs.items())
        ]

    def described_by(self, element: Element) -> str:
        """The text of the elements aria-describedby names; every id must exist."""
        ids = element.attrs.get("aria-describedby", "").split()
        missing = [i for i in ids if i not in self.by_id]
        assert not missing, f"aria-describedby of {element.attrs} names missing ids {missing}"
        return " ".join(self.by_id[i].content for i in ids)

    def label_of(self, element: Element) -> str:
        """The accessible name from aria-label, aria-labelledby, a <label for> or a <label> around the control
        (what axe's label rule checks)."""
        if element.attrs.get("aria-label"):
            return element.attrs["aria-label"]
        if element.attrs.get("aria-labelledby"):
            return " ".join(self.by_id[i].content for i in element.attrs["aria-labelledby"].split())
        control_id = element.attrs.get("id")
        labels = [e for e in self.elements if e.tag == "label" and control_id and e.attrs.get("for") == control_id]
        if element.wrapping_label is not None and element.wrapping_label not in labels:
            labels.append(element.wrapping_label)
        return " ".join(label.content for label in labels)
