"""Form widgets that stay fast with national-scale choice lists."""

from __future__ import annotations

from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape
from django.utils.safestring import mark_safe


class ListSelect(forms.Select):
    """A ``<select>`` written straight to HTML instead of one template per option.

    The markup is Django's ``Select`` without option groups. The filter forms
    list hundreds of organisations and partnerships, and building a context and
    rendering a template for each ``<option>`` cost more than the page's queries.
    """

    def __init__(self, attrs=None, choices=(), label_field: str = "name"):
        super().__init__(attrs, choices)
        self.label_field = label_field

    def pairs(self):
        """(value, label) of each choice. A model choice list is read as plain
        rows (the ``label_field`` of each record) instead of building a record
        for every option."""
        queryset = getattr(self.choices, "queryset", None)
        if queryset is None:
            yield from self.choices
            return
        field = self.choices.field
        if field.empty_label is not None:
            yield "", field.empty_label
        yield from queryset.values_list(field.to_field_name or "pk", self.label_field)

    def render(self, name, value, attrs=None, renderer=None):
        chosen = {str(v) for v in self.format_value(value)}
        options = []
        for option_value, label in self.pairs():
            option_value = "" if option_value is None else str(option_value)
            selected = " selected" if option_value in chosen else ""
            options.append(
                f'<option value="{escape(option_value)}"{selected}>{escape(label)}</option>'
            )
            if selected and not self.allow_multiple_selected:
                chosen = set()
        final_attrs = self.build_attrs(self.attrs, attrs)
        return mark_safe(  # noqa: S308 - every value above is escaped
            f'<select name="{escape(name)}"{flatatt(final_attrs)}>\n'
            + "\n".join(options)
            + "\n</select>"
        )
