"""Reading rendered pages in tests: elements by id, labels, and the error
summary's links."""

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"input", "br", "hr", "img", "link", "meta", "source", "wbr", "area", "base", "col"}


@dataclass
class Element:
    tag: str
    attrs: dict
    parents: list
    text: str = ""
    children: list = field(default_factory=list)

    @property
    def classes(self):
        return self.attrs.get("class", "").split()

    def inside(self, css_class):
        return any(css_class in parent.classes for parent in self.parents)


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements, self.open = [], []

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {k: v or "" for k, v in attrs}, list(self.open))
        self.elements.append(element)
        if tag not in VOID:
            self.open.append(element)

    def handle_endtag(self, tag):
        while self.open:
            if self.open.pop().tag == tag:
                break

    def handle_data(self, data):
        for element in self.open:
            element.text += data


class Page:
    def __init__(self, html):
        parser = _Parser()
        parser.feed(html)
        self.elements = parser.elements

    def find(self, tag=None, **attrs):
        return [
            e
            for e in self.elements
            if (tag is None or e.tag == tag) and all(e.attrs.get(k) == v for k, v in attrs.items())
        ]

    def by_id(self, element_id):
        found = self.find(id=element_id)
        assert len(found) == 1, f"{len(found)} elements with id {element_id!r}"
        return found[0]

    def label_for(self, element_id):
        found = self.find("label", **{"for": element_id})
        assert len(found) == 1, f"{len(found)} labels for {element_id!r}"
        return " ".join(found[0].text.split())

    def error_summary_links(self):
        return [
            (" ".join(a.text.split()), a.attrs["href"])
            for a in self.find("a")
            if a.inside("nhsuk-error-summary")
        ]

    def error_targets(self):
        """Each error summary link with the element it leads to (None if none, or several)."""
        targets = []
        for text, href in self.error_summary_links():
            found = self.find(id=href.removeprefix("#")) if href.startswith("#") else []
            targets.append((text, href, found[0] if len(found) == 1 else None))
        return targets
