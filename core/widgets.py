"""Form widgets and the conventions every record form follows.

``ListSelect`` stays fast with national-scale choice lists; ``DateInput`` is the
one date field of the edit forms; ``prompt_choices`` makes a select start with
"Choose …" instead of Django's dashes (docs/architecture.md, "Forms").
"""

from __future__ import annotations

from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

#: The first line of a select in an edit form, where Django writes "---------".
#: Filter forms say "All" instead (settings.FILTERS_EMPTY_CHOICE_LABEL).
CHOOSE = _("Choose …")
DASHES = "---------"


class DateInput(forms.DateInput):
    """A date as ``<input type="date">``: the browser shows and takes it in the
    user's language and posts it as ISO (2025-08-15), which the form reads.

    Where a browser has no date picker the user types a date the form accepts
    (settings.DATE_INPUT_FORMATS for the language: 2025-08-15 or 15.08.2025).
    """

    input_type = "date"

    def __init__(self, attrs=None, format=None):  # noqa: A002 - Django's name
        super().__init__(attrs, format=format or "%Y-%m-%d")


def prompt_choices(form: forms.BaseForm) -> None:
    """Let every single-choice select of ``form`` start with "Choose …"."""
    for field in form.fields.values():
        if isinstance(field, forms.ModelMultipleChoiceField):
            continue
        if isinstance(field, forms.ModelChoiceField):
            if field.empty_label is not None:
                field.empty_label = CHOOSE
        elif isinstance(field, forms.ChoiceField) and not isinstance(
            field, forms.MultipleChoiceField
        ):
            choices = list(field.choices)
            if choices and choices[0][0] in ("", None) and str(choices[0][1]) == DASHES:
                field.choices = [("", CHOOSE), *choices[1:]]


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
