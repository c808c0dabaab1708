"""Template filters shared by all pages."""

from __future__ import annotations

from django import template
from django.template.loader import render_to_string
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext as _

from core import filtering
from core.text import format_number

register = template.Library()


@register.filter
def year(value) -> str:
    """A year without thousand separators, or a dash when it is not known."""
    return "–" if value in (None, "") else str(value)


@register.filter
def number(value) -> str:
    """A count or an amount in the reader's language (core.text.format_number)."""
    return format_number(value)


@register.filter
def num(value) -> str:
    """A number for SVG attributes: always a dot, never localised."""
    return str(value)


@register.simple_tag(takes_context=True)
def filter_state(context) -> filtering.FilterState:
    """Whether the list on this page is filtered, and where "clear filters" leads:
    ``{% filter_state as state %}`` (see core.filtering)."""
    request = context.get("request")
    if request is None:
        return filtering.FilterState(active=False, clear_url="")
    return filtering.filter_state(request)


@register.simple_tag
def name_and_kind(name, kind) -> str:
    """A name followed by its kind in brackets, unless the kind says the same:
    "Styringsgruppe", not "Styringsgruppe (Styringsgruppe)";
    "Arbeidsutvalget (Arbeidsgruppe)". Escaped by the template engine."""
    name, kind = str(name or "").strip(), str(kind or "").strip()
    if not kind or kind.casefold() == name.casefold():
        return name
    if not name:
        return kind
    return f"{name} ({kind})"


@register.simple_tag
def date_range(start, end, format="DATE_FORMAT") -> str:
    """A period in the reader's language: "3. februar 2025 – 30. juni 2027",
    "fra 3. februar 2025" when it has no end, "til 30. juni 2027" when it has
    no start, nothing when it has neither (never a dash before or after nothing)."""
    first = date_format(template_localtime(start), format) if start else ""
    last = date_format(template_localtime(end), format) if end else ""
    if first and last:
        return first if first == last else f"{first} – {last}"
    if first:
        return _("from %(date)s") % {"date": first}
    if last:
        return _("until %(date)s") % {"date": last}
    return ""


@register.simple_tag
def error_links(form, formsets=()) -> list[tuple[str, str]]:
    """Each field error of ``form`` and its formsets' rows, as (field id, "Label:
    message"), for the error summary at the top of a form (core/_error_summary.html)."""
    links = []
    subforms = [(form, "")] + [
        (row, f"{getattr(formset, 'legend', '')}, ")
        for formset in formsets or ()
        for row in formset
    ]
    for each, prefix in subforms:
        for field in each.visible_fields():
            links.extend((field.auto_id, f"{prefix}{field.label}: {e}") for e in field.errors)
    return links


class _TableScrollNode(template.Node):
    def __init__(self, nodelist, label):
        self.nodelist = nodelist
        self.label = label

    def render(self, context) -> str:
        table = mark_safe(self.nodelist.render(context))  # noqa: S308 (rendered by the engine, escaped)
        label = self.label.resolve(context)
        context = {"label": label, "table": table}
        return render_to_string("core/_table_scroll.html", context)


@register.tag
def tablescroll(parser, token):
    """A table that may be wider than the screen, in a scroll region of its own:
    ``{% tablescroll _("Label") %}<table>…</table>{% endtablescroll %}``. The page
    never scrolls sideways; the region takes keyboard focus, is named by the label and
    shows "Scroll sideways…" only while the table overflows it (core/_table_scroll.html,
    the section "Wide tables" of static/css/unikom.css)."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("{% tablescroll LABEL %} takes one label")
    nodelist = parser.parse(("endtablescroll",))
    parser.delete_first_token()
    return _TableScrollNode(nodelist, parser.compile_filter(bits[1]))
