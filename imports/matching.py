"""Finding the organisation, partnership or theme a cell names.

Everything is read into dictionaries once per import, so a file of 100 000
rows costs the same few queries as a file of ten. An organisation is found by
an identifier (slug, kommunenummer, organisation number, ROR id) or by its
exact name; a name that only resembles one gives a *proposal* that the user
must confirm — never a silent guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from rapidfuzz import fuzz, process

from organisations.models import Organisation
from partnerships.models import Partnership, Theme
from search.text import fold

from .values import CellError

ROR = re.compile(r"(?:https?://)?(?:www\.)?(?:ror\.org/)?(0[a-z0-9]{6}[0-9]{2})/?", re.IGNORECASE)
SPACES = re.compile(r"[\s\u00a0]+")
MUNICIPALITY_SUFFIX = " kommune"
#: How alike a name and an organisation's name must be for a proposal (0–1):
#: rapidfuzz's ratio, the share of the two names' letters that their longest
#: common subsequence holds. Each different unknown name of a file is compared
#: with every organisation's names, in C: about 2 ms per name among 20 000
#: names (Python's difflib took 55 ms, and was stopped after 500 names).
FUZZY_CUTOFF = 0.8


@dataclass
class Proposal:
    """A name that resembles an organisation: the user confirms or corrects it."""

    text: str
    organisation_id: int
    organisation_name: str
    score: float
    rows: list[int] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "text": self.text,
            "organisation_id": self.organisation_id,
            "organisation_name": self.organisation_name,
            "score": round(self.score, 2),
            "rows": self.rows[:50],
            "row_count": len(self.rows),
        }


class OrganisationIndex:
    """Every organisation by every key people write, read with one query."""

    def __init__(self, accepted: dict[str, int] | None = None) -> None:
        self.by_slug: dict[str, int] = {}
        self.by_number: dict[str, int] = {}
        self.by_org_number: dict[str, int] = {}
        self.by_ror: dict[str, int] = {}
        self.by_name: dict[str, set[int]] = {}
        self.names: dict[int, str] = {}
        rows = Organisation.objects.values_list(
            "pk",
            "slug",
            "name",
            "short_name",
            "official_name",
            "name_en",
            "municipality_number",
            "org_number",
            "ror_id",
        )
        for pk, slug, name, short, official, name_en, number, org_number, ror in rows:
            self.names[pk] = name
            self.by_slug[slug] = pk
            if number:
                self.by_number[number] = pk
            if org_number:
                self.by_org_number[org_number] = pk
            if ror:
                self.by_ror[ror.lower()] = pk
            for variant in {name, short, official, name_en} - {"", None}:
                self.by_name.setdefault(fold(variant), set()).add(pk)
        self._folded_names = list(self.by_name)
        self.accepted = {fold(k): v for k, v in (accepted or {}).items()}
        self.proposals: dict[str, Proposal] = {}
        self._cache: dict[str, int | Proposal | CellError] = {}

    def resolve(self, value: str, row: int) -> int:
        """The organisation's id; for a name that only resembles one, the proposed
        organisation's id, with the row recorded on the proposal (which the user
        must confirm before anything is written).

        Raises CellError for a value that matches nothing (or several).
        """
        key = value.strip()
        found = self._cache.get(key)
        if found is None:
            found = self._lookup(key)
            self._cache[key] = found
        if isinstance(found, CellError):
            raise found
        if isinstance(found, Proposal):
            found.rows.append(row)
            return found.organisation_id
        return found

    def _lookup(self, value: str) -> int | Proposal | CellError:
        compact = SPACES.sub("", value)
        if compact.isdigit() and len(compact) == 4:
            return self.by_number.get(compact) or CellError(
                _("No municipality has the number %(value)s.") % {"value": compact}
            )
        if compact.isdigit() and len(compact) == 9:
            return self.by_org_number.get(compact) or CellError(
                _("No organisation has the organisation number %(value)s.") % {"value": compact}
            )
        if (match := ROR.fullmatch(compact)) and ("ror" in compact.lower() or compact[0] == "0"):
            pk = self.by_ror.get(match.group(1).lower())
            if pk:
                return pk
            if "ror" in compact.lower():
                return CellError(_("No organisation has the ROR id %(value)s.") % {"value": value})
        if value in self.by_slug:
            return self.by_slug[value]
        folded = fold(value)
        if folded in self.accepted:
            return self.accepted[folded]
        exact = self.by_name.get(folded)
        if not exact and folded.endswith(MUNICIPALITY_SUFFIX):
            # "Drammen kommune" is how people write the municipality called Drammen.
            exact = self.by_name.get(folded.removesuffix(MUNICIPALITY_SUFFIX))
        if exact and len(exact) == 1:
            return next(iter(exact))
        if exact:
            return CellError(
                _(
                    "Several organisations are called “%(value)s”; use the slug, kommunenummer "
                    "or organisation number instead."
                )
                % {"value": value}
            )
        return self._fuzzy(value, folded)

    def _fuzzy(self, value: str, folded: str) -> Proposal | CellError:
        unknown = CellError(
            _(
                "No organisation called “%(value)s”. Use its slug, kommunenummer, organisation "
                "number, ROR id or exact name."
            )
            % {"value": value}
        )
        if not folded:
            return unknown
        # The first of equally close names, as the names were read.
        match = process.extractOne(
            folded, self._folded_names, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF * 100
        )
        if match is None:
            return unknown
        best, best_score, _index = match
        best_score /= 100
        if len(self.by_name[best]) != 1:
            return unknown
        pk = next(iter(self.by_name[best]))
        proposal = Proposal(value, pk, self.names[pk], best_score)
        self.proposals[value] = proposal
        return proposal


class SlugIndex:
    """Partnerships or themes by slug or exact name (folded)."""

    def __init__(self, model: type[Partnership] | type[Theme]) -> None:
        self.model = model
        self.by_key: dict[str, int] = {}
        fields = ["pk", "slug", "name"] + (["name_en"] if model is Theme else [])
        for pk, slug, *names in model.objects.values_list(*fields):
            for name in names:
                if name:
                    self.by_key.setdefault(fold(name), pk)
            self.by_key[fold(slug)] = pk

    def resolve(self, value: str) -> int:
        pk = self.by_key.get(fold(value.strip()))
        if pk is None:
            if self.model is Partnership:
                message = _(
                    "No partnership “%(value)s”. Use the partnership's slug, e.g. usn-drammen."
                )
            else:
                message = _("No theme “%(value)s”. Use the theme's slug, e.g. helse-og-omsorg.")
            raise CellError(message % {"value": value})
        return pk
