"""HTML forms as a browser submits them, read with the standard library only.

Also imported by the locustfile (tests/load/locustfile.py), so nothing here may
import Django or pytest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

#: Input types whose value a browser never submits on its own.
NOT_SENT = {"submit", "button", "reset", "image", "file"}


@dataclass
class Form:
    attrs: dict[str, str]
    fields: list[list[str]] = field(default_factory=list)  # [name, value] as sent

    @property
    def action(self) -> str:
        return self.attrs.get("action", "")

    def values(self) -> list[tuple[str, str]]:
        return [(name, value) for name, value in self.fields]

    def data(self) -> dict[str, list[str]]:
        """The values by name, as a test client posts them."""
        data: dict[str, list[str]] = {}
        for name, value in self.fields:
            data.setdefault(name, []).append(value)
        return data

    def get(self, name: str) -> str | None:
        return next((value for key, value in self.fields if key == name), None)

    def set(self, name: str, value: str | list[str]) -> None:
        """Replace every value of ``name`` (a list for a multiple choice)."""
        values = value if isinstance(value, list) else [value]
        self.fields = [pair for pair in self.fields if pair[0] != name]
        self.fields.extend([name, v] for v in values)


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        #: A select's options, or the boxes of a checkbox or radio group, by name:
        #: [(value, selected or checked)].
        self.options: dict[str, list[tuple[str, bool]]] = {}
        self.select: tuple[str, bool] | None = None  # name, multiple
        self.option: list | None = None  # [value or None, selected, text]
        self.textarea: list | None = None  # [name, text]

    @property
    def form(self) -> Form | None:
        return self.forms[-1] if self.forms and "_open" in self.forms[-1].attrs else None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(Form({**a, "_open": ""}))
            return
        form = self.form
        if form is None or "disabled" in a:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in NOT_SENT:
                return
            if kind in {"checkbox", "radio"}:
                value = a.get("value", "on")
                self.options.setdefault(name, []).append((value, "checked" in a))
                if "checked" in a:
                    form.fields.append([name, value])
                return
            form.fields.append([name, a.get("value", "")])
        elif tag == "select" and name:
            self.select = (name, "multiple" in a)
            self.options[name] = []
        elif tag == "option" and self.select:
            self.option = [a.get("value"), "selected" in a, ""]
        elif tag == "textarea" and name:
            self.textarea = [name, ""]

    def handle_data(self, data):
        if self.option is not None:
            self.option[2] += data
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        form = self.form
        if tag == "option" and self.option is not None and self.select:
            value, selected, text = self.option
            value = text.strip() if value is None else value  # no value: its text is sent
            self.options[self.select[0]].append((value, selected))
            self.option = None
        elif tag == "select" and self.select and form is not None:
            name, multiple = self.select
            options = self.options[name]
            chosen = [value for value, selected in options if selected]
            if not chosen and not multiple and options:
                chosen = [options[0][0]]  # a single choice shows (and sends) its first option
            form.fields.extend([name, value] for value in chosen)
            self.select = None
        elif tag == "textarea" and self.textarea is not None and form is not None:
            name, text = self.textarea
            form.fields.append([name, text.removeprefix("\n")])
            self.textarea = None
        elif tag == "form" and form is not None:
            del form.attrs["_open"]


def forms(html: str) -> tuple[list[Form], dict[str, list[tuple[str, bool]]]]:
    """Every form of the page, and the choices of every select, checkbox and radio
    group (by name)."""
    parser = _Parser()
    parser.feed(html)
    parser.close()
    for form in parser.forms:
        form.attrs.pop("_open", None)
    return parser.forms, parser.options


def record_form(html: str) -> tuple[Form, dict[str, list[tuple[str, bool]]]]:
    """The page's main form: the one that posts a CSRF token and is not the
    language switch or the sign-out button of the header."""
    found, options = forms(html)
    for form in found:
        if "record-form" in form.attrs.get("class", "").split():
            return form, options
    raise LookupError("no record form on the page")


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if not match:
        raise LookupError("no CSRF token on the page")
    return match.group(1)
