"""The fast select of the filter forms draws what Django's select draws."""

from __future__ import annotations

from django import forms

from core.widgets import ListSelect


def test_the_list_select_marks_the_choice_and_escapes_every_label():
    choices = [("", "Alle"), ("a&b", "Tromsø <kommune>"), ("c", "C")]
    html = ListSelect(choices=choices, attrs={"id": "id_org"}).render("org", "a&b")
    assert html.startswith('<select name="org" id="id_org">')
    assert '<option value="a&amp;b" selected>Tromsø &lt;kommune&gt;</option>' in html
    assert '<option value="c">C</option>' in html
    assert html.count(" selected") == 1


def test_the_list_select_submits_what_djangos_select_submits():
    class Form(forms.Form):
        org = forms.ChoiceField(choices=[("", "Alle"), ("x", "X")], widget=ListSelect)

    form = Form({"org": "x"})
    assert form.is_valid() and form.cleaned_data["org"] == "x"
    assert '<option value="x" selected>X</option>' in str(form["org"])
