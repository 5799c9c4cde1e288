"""Markdown written by people, rendered with markdown-it-py and then
sanitised with nh3: raw HTML is never passed through, and only plain
formatting, lists, tables and http(s) or mailto links survive."""

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_parser = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li",
    "h2", "h3", "h4", "a", "table", "thead", "tbody", "tr", "th", "td", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


def render(text):
    """Safe HTML for ``text``; headings are demoted so that a page keeps one h1."""
    html = _parser.render(text or "")
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    return Markup(  # noqa: S704 (sanitised by nh3 just now)
        nh3.clean(
            html,
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            url_schemes={"http", "https", "mailto"},
            link_rel="noopener noreferrer nofollow",
        )
    )
