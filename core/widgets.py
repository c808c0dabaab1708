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

    def render(self, name, value, attrs=None, renderer=None):
        chosen = {str(v) for v in self.format_value(value)}
        options = []
        for option_value, label in self.choices:
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
