"""The Norwegian words synthetic records are made of.

Nouns come with their four bokmål forms — indefinite and definite singular,
indefinite and definite plural ("sykehjem", "sykehjemmet", "sykehjem",
"sykehjemmene") — so that titles and summaries use inflected forms the way
real ones do and search has to stem them. Each theme (keyed by the slug of the
bundled dataset's themes) has its own places, groups of people, things and
topics, so that a template asking for a place gets one ("i sykehjemmene") and
one asking for people gets people ("for pasienter"); templates need no gender
agreement (plural and definite forms only).
"""

from __future__ import annotations

from typing import NamedTuple


class Noun(NamedTuple):
    sg: str  # indefinite singular: sykehjem
    sg_def: str  # definite singular: sykehjemmet
    pl: str  # indefinite plural: sykehjem
    pl_def: str  # definite plural: sykehjemmene


def _nouns(*rows: str) -> tuple[Noun, ...]:
    return tuple(Noun(*row.split("/")) for row in rows)


class Theme(NamedTuple):
    places: tuple[Noun, ...]  # where the work is done: sykehjem, skole, NAV-kontor
    people: tuple[Noun, ...]  # whom it is for or by: pasient, elev, innbygger
    things: tuple[Noun, ...]  # what it is about: journalsystem, klimaplan, kurs
    topics: tuple[str, ...]  # uncountable subjects: "velferdsteknologi", "psykisk helse"

    @property
    def nouns(self) -> tuple[Noun, ...]:
        return self.places + self.people + self.things


THEMES: dict[str, Theme] = {
    "helse-og-omsorg": Theme(
        _nouns(
            "sykehjem/sykehjemmet/sykehjem/sykehjemmene",
            "hjemmetjeneste/hjemmetjenesten/hjemmetjenester/hjemmetjenestene",
            "legevakt/legevakten/legevakter/legevaktene",
            "helsestasjon/helsestasjonen/helsestasjoner/helsestasjonene",
            "omsorgsbolig/omsorgsboligen/omsorgsboliger/omsorgsboligene",
        ),
        _nouns(
            "pasient/pasienten/pasienter/pasientene",
            "sykepleier/sykepleieren/sykepleiere/sykepleierne",
            "fastlege/fastlegen/fastleger/fastlegene",
            "beboer/beboeren/beboere/beboerne",
            "helsefagarbeider/helsefagarbeideren/helsefagarbeidere/helsefagarbeiderne",
        ),
        _nouns(
            "journalsystem/journalsystemet/journalsystemer/journalsystemene",
            "trygghetsalarm/trygghetsalarmen/trygghetsalarmer/trygghetsalarmene",
            "pasientforløp/pasientforløpet/pasientforløp/pasientforløpene",
        ),
        (
            "velferdsteknologi",
            "tidlig innsats",
            "rehabilitering",
            "demensomsorg",
            "psykisk helse",
            "legemiddelhåndtering",
            "ernæring",
            "lindrende behandling",
            "hverdagsrehabilitering",
        ),
    ),
    "oppvekst-og-utdanning": Theme(
        _nouns(
            "skole/skolen/skoler/skolene",
            "barnehage/barnehagen/barnehager/barnehagene",
            "ungdomsskole/ungdomsskolen/ungdomsskoler/ungdomsskolene",
            "fritidsklubb/fritidsklubben/fritidsklubber/fritidsklubbene",
        ),
        _nouns(
            "elev/eleven/elever/elevene",
            "lærer/læreren/lærere/lærerne",
            "barnehagelærer/barnehagelæreren/barnehagelærere/barnehagelærerne",
            "ungdom/ungdommen/ungdommer/ungdommene",
        ),
        _nouns(
            "læreplan/læreplanen/læreplaner/læreplanene",
            "vurderingsform/vurderingsformen/vurderingsformer/vurderingsformene",
            "klasserom/klasserommet/klasserom/klasserommene",
        ),
        (
            "leseopplæring",
            "skolemiljø",
            "spesialundervisning",
            "overgangen fra barnehage til skole",
            "tilpasset opplæring",
            "fysisk aktivitet",
            "foreldresamarbeid",
        ),
    ),
    "velferd": Theme(
        _nouns(
            "NAV-kontor/NAV-kontoret/NAV-kontor/NAV-kontorene",
            "barneverntjeneste/barneverntjenesten/barneverntjenester/barneverntjenestene",
            "bofellesskap/bofellesskapet/bofellesskap/bofellesskapene",
            "flyktningtjeneste/flyktningtjenesten/flyktningtjenester/flyktningtjenestene",
        ),
        _nouns(
            "flyktning/flyktningen/flyktninger/flyktningene",
            "familie/familien/familier/familiene",
            "bruker/brukeren/brukere/brukerne",
            "veileder/veilederen/veiledere/veilederne",
        ),
        _nouns(
            "bolig/boligen/boliger/boligene",
            "tiltak/tiltaket/tiltak/tiltakene",
            "ytelse/ytelsen/ytelser/ytelsene",
        ),
        (
            "arbeidsinkludering",
            "barnefattigdom",
            "bosetting",
            "rusomsorg",
            "utenforskap",
            "økonomisk rådgivning",
        ),
    ),
    "baerekraft-og-klima": Theme(
        _nouns(
            "kommunebygg/kommunebygget/kommunebygg/kommunebyggene",
            "naturområde/naturområdet/naturområder/naturområdene",
            "renseanlegg/renseanlegget/renseanlegg/renseanleggene",
        ),
        _nouns(
            "innbygger/innbyggeren/innbyggere/innbyggerne",
            "bonde/bonden/bønder/bøndene",
            "planlegger/planleggeren/planleggere/planleggerne",
        ),
        _nouns(
            "klimaplan/klimaplanen/klimaplaner/klimaplanene",
            "overvannsløsning/overvannsløsningen/overvannsløsninger/overvannsløsningene",
            "utslipp/utslippet/utslipp/utslippene",
            "ladestasjon/ladestasjonen/ladestasjoner/ladestasjonene",
        ),
        (
            "klimatilpasning",
            "energisparing",
            "sirkulær økonomi",
            "arealnøytralitet",
            "naturmangfold",
            "grønn mobilitet",
        ),
    ),
    "samfunnsutvikling": Theme(
        _nouns(
            "tettsted/tettstedet/tettsteder/tettstedene",
            "nabolag/nabolaget/nabolag/nabolagene",
            "byrom/byrommet/byrom/byrommene",
            "møteplass/møteplassen/møteplasser/møteplassene",
        ),
        _nouns(
            "innbygger/innbyggeren/innbyggere/innbyggerne",
            "ungdom/ungdommen/ungdommer/ungdommene",
            "planlegger/planleggeren/planleggere/planleggerne",
        ),
        _nouns(
            "reguleringsplan/reguleringsplanen/reguleringsplaner/reguleringsplanene",
            "kommuneplan/kommuneplanen/kommuneplaner/kommuneplanene",
            "gangvei/gangveien/gangveier/gangveiene",
        ),
        (
            "medvirkning",
            "stedsutvikling",
            "folkehelse",
            "universell utforming",
            "sentrumsutvikling",
            "frivillighet",
        ),
    ),
    "digitalisering-og-smart-by": Theme(
        _nouns(
            "servicetorg/servicetorget/servicetorg/servicetorgene",
            "IKT-avdeling/IKT-avdelingen/IKT-avdelinger/IKT-avdelingene",
            "tjeneste/tjenesten/tjenester/tjenestene",
        ),
        _nouns(
            "saksbehandler/saksbehandleren/saksbehandlere/saksbehandlerne",
            "innbygger/innbyggeren/innbyggere/innbyggerne",
            "bruker/brukeren/brukere/brukerne",
        ),
        _nouns(
            "sensor/sensoren/sensorer/sensorene",
            "fagsystem/fagsystemet/fagsystemer/fagsystemene",
            "plattform/plattformen/plattformer/plattformene",
            "datasett/datasettet/datasett/datasettene",
        ),
        (
            "kunstig intelligens",
            "digital kompetanse",
            "personvern",
            "tjenestedesign",
            "deling av data",
            "digital inkludering",
        ),
    ),
    "innovasjon-og-naering": Theme(
        _nouns(
            "næringshage/næringshagen/næringshager/næringshagene",
            "inkubator/inkubatoren/inkubatorer/inkubatorene",
            "bedrift/bedriften/bedrifter/bedriftene",
        ),
        _nouns(
            "gründer/gründeren/gründere/gründerne",
            "leverandør/leverandøren/leverandører/leverandørene",
            "innkjøper/innkjøperen/innkjøpere/innkjøperne",
        ),
        _nouns(
            "næringsklynge/næringsklyngen/næringsklynger/næringsklyngene",
            "anskaffelse/anskaffelsen/anskaffelser/anskaffelsene",
            "forretningsmodell/forretningsmodellen/forretningsmodeller/forretningsmodellene",
        ),
        (
            "innovative anskaffelser",
            "verdiskaping",
            "grønn omstilling",
            "tjenesteinnovasjon",
            "regional utvikling",
        ),
    ),
    "kompetanse-og-utdanning": Theme(
        _nouns(
            "opplæringskontor/opplæringskontoret/opplæringskontor/opplæringskontorene",
            "praksisplass/praksisplassen/praksisplasser/praksisplassene",
            "virksomhet/virksomheten/virksomheter/virksomhetene",
        ),
        _nouns(
            "medarbeider/medarbeideren/medarbeidere/medarbeiderne",
            "lærling/lærlingen/lærlinger/lærlingene",
            "leder/lederen/ledere/lederne",
        ),
        _nouns(
            "kurs/kurset/kurs/kursene",
            "studieprogram/studieprogrammet/studieprogrammer/studieprogrammene",
            "kompetanseplan/kompetanseplanen/kompetanseplaner/kompetanseplanene",
        ),
        (
            "etter- og videreutdanning",
            "rekruttering",
            "heltidskultur",
            "ledelse",
            "praksisnær undervisning",
            "livslang læring",
        ),
    ),
    "kultur": Theme(
        _nouns(
            "bibliotek/biblioteket/bibliotek/bibliotekene",
            "museum/museet/museer/museene",
            "kulturskole/kulturskolen/kulturskoler/kulturskolene",
            "kulturhus/kulturhuset/kulturhus/kulturhusene",
        ),
        _nouns(
            "kunstner/kunstneren/kunstnere/kunstnerne",
            "bibliotekar/bibliotekaren/bibliotekarer/bibliotekarene",
            "innbygger/innbyggeren/innbyggere/innbyggerne",
        ),
        _nouns(
            "festival/festivalen/festivaler/festivalene",
            "kulturminne/kulturminnet/kulturminner/kulturminnene",
            "utstilling/utstillingen/utstillinger/utstillingene",
        ),
        (
            "kulturarv",
            "inkludering i kulturlivet",
            "lesestimulering",
            "kulturell deltakelse",
            "stedsidentitet",
        ),
    ),
    "forskning-og-kunnskapssystem": Theme(
        _nouns(
            "forskningsmiljø/forskningsmiljøet/forskningsmiljøer/forskningsmiljøene",
            "fagmiljø/fagmiljøet/fagmiljøer/fagmiljøene",
        ),
        _nouns(
            "forsker/forskeren/forskere/forskerne",
            "stipendiat/stipendiaten/stipendiater/stipendiatene",
        ),
        _nouns(
            "kunnskapsbehov/kunnskapsbehovet/kunnskapsbehov/kunnskapsbehovene",
            "samarbeidsavtale/samarbeidsavtalen/samarbeidsavtaler/samarbeidsavtalene",
            "doktorgrad/doktorgraden/doktorgrader/doktorgradene",
        ),
        (
            "forskningsbasert praksis",
            "kunnskapsdeling",
            "evaluering",
            "følgeforskning",
            "forskningsformidling",
        ),
    ),
}

#: For a theme slug the vocabulary does not know.
GENERIC = Theme(
    _nouns("tjeneste/tjenesten/tjenester/tjenestene", "enhet/enheten/enheter/enhetene"),
    _nouns(
        "innbygger/innbyggeren/innbyggere/innbyggerne",
        "medarbeider/medarbeideren/medarbeidere/medarbeiderne",
    ),
    _nouns("plan/planen/planer/planene", "tiltak/tiltaket/tiltak/tiltakene"),
    ("kvalitetsutvikling", "samarbeid på tvers", "kunnskapsdeling"),
)

# -- activities -----------------------------------------------------------------
# {T}/{t}: a topic (capitalised or not); {p.*}, {g.*}, {x.*}: the forms of a place,
# a group of people and a thing ({P}: the place, definite and capitalised; {G}: the
# group, definite plural and capitalised); {m}: a municipality.
ACTIVITY_TITLES = (
    "{T} i {p.pl_def} i {m}",
    "{T} i {p.pl_def}",
    "Bedre {t} for {g.pl}",
    "Hvordan kan {p.pl_def} i {m} styrke {t}?",
    "{T} og {t2} i {p.pl}",
    "Når {p.sg_def} tar i bruk {t}",
    "Erfaringer med {t} fra {p.pl_def} i {m}",
    "Samarbeid mellom {p.pl_def} om {t}",
    "{T} i {p.sg_def}: en studie fra {m}",
    "Fremtidens {x.pl}: {t} i praksis",
    "{G} om {t}: en intervjustudie",
    "Nye {x.pl} i {p.pl_def} i {m}",
)
#: Titles of some types (and thesis levels) start with what they are ("Masteroppgave: …").
TITLE_PREFIXES = {
    "master": ("Masteroppgave: ", ""),  # student theses, by level
    "bachelor": ("Bacheloroppgave: ", ""),
    "knowledge_summary": ("Kunnskapsoppsummering: ", "Kunnskapsgrunnlag: "),
    "public_sector_phd": ("", "Offentlig sektor-ph.d.: "),
}
#: Types whose titles have their own patterns.
TYPE_TITLES = {
    "continuing_education": (
        "Videreutdanning i {t}",
        "Kurs i {t} for ansatte i {p.pl_def}",
        "Etterutdanning for ansatte i {p.pl_def}: {t}",
    ),
    "network": (
        "Fagnettverk for {p.pl_def} i {county}",
        "Læringsnettverk om {t}",
        "Nettverk for {t} i {p.pl_def}",
    ),
    "placement": (
        "Hospitering: forskere i {p.pl_def} i {m}",
        "Hospitering i {p.sg_def} om {t}",
    ),
}
SUMMARY_SENTENCES = (
    "Prosjektet undersøker hvordan {p.pl_def} i {m} arbeider med {t}.",
    "Vi følger {k} {g.pl} over {y} år og ser særlig på {t2}.",
    "Ansatte i {p.sg_def} og forskere fra {inst} utvikler sammen nye arbeidsmåter.",
    "Målet er at flere {g.pl} skal få nytte av {t}.",
    "Resultatene deles med {p.pl_def} i {county} og med de andre kommunene i samarbeidet.",
    "Arbeidet bygger på erfaringer fra {p.sg_def} i {m2}.",
    "Data samles inn gjennom intervjuer med {g.pl_def} og ansatte.",
    "{P} i {m} er pilot, og {p.pl_def} i nabokommunene følger etter.",
    "Studien sammenligner {p.pl} som har tatt i bruk {t}, med {p.pl} som ikke har det.",
    "Kunnskapen skal gjøre det lettere for {p.pl_def} å prioritere {t2}.",
    "Prosjektet ser også på hvordan {x.pl_def} kan brukes bedre.",
    "{G} deltar i utformingen av {x.pl_def}.",
)

# -- needs ----------------------------------------------------------------------
NEED_TITLES = (
    "Behov for kunnskap om {t} i {p.pl_def}",
    "Oppgaveforslag: {t} i {p.sg_def}",
    "Hva virker når {p.pl_def} skal styrke {t}?",
    "Hvordan kan {m} bruke {t} i {p.pl_def}?",
    "Evaluering av {t} i {p.pl_def} i {m}",
    "Hvordan opplever {g.pl_def} {t}?",
)
NEED_SENTENCES = (
    "{m} kommune ønsker kunnskap om hvordan {p.pl_def} kan arbeide bedre med {t}.",
    "Vi har erfaringer fra {k} {p.pl}, men mangler en systematisk gjennomgang.",
    "Behovet egner seg for en masteroppgave eller et mindre forskningsprosjekt.",
    "Svarene skal brukes i planarbeidet for {p.pl_def} de neste årene.",
    "Ansatte i {p.sg_def} stiller gjerne opp til intervjuer og observasjon.",
    "Vi ønsker særlig innspill på {t2} og på hva {g.pl_def} selv mener.",
)

# -- events ---------------------------------------------------------------------
EVENT_TITLES = {
    "conference": ("Konferanse: {T} i kommunene", "Forskningskonferansen om {t}"),
    "dialogue_meeting": ("Dialogmøte om {t}", "Dialogmøte: {p.pl_def} og forskerne"),
    "network_meeting": ("Nettverkssamling for {p.pl_def} i {county}", "Nettverksmøte om {t}"),
    "seminar": ("Seminar om {t} i {p.pl_def}", "Frokostseminar: {T}"),
    "course": ("Kurs i {t}", "Kurs for ansatte i {p.pl_def}: {t}"),
}
EVENT_SENTENCES = (
    "Vi inviterer ansatte i {p.pl_def} og forskere til en samling om {t}.",
    "Programmet har innlegg fra {m} og {inst}, og god tid til samtale.",
    "Møtet er åpent for alle kommunene i samarbeidet.",
    "Deltakerne deler erfaringer med {t2}.",
)

# -- partnerships -----------------------------------------------------------------
PARTNERSHIP_NAMES = {
    "bilateral": ("Universitetskommunen {m}", "{m} og {inst}", "Kunnskapskommunen {m}"),
    "multilateral": ("Kunnskapspartnerskapet {m}", "Samarbeidsforum {m}", "{m} kunnskapsallianse"),
    "cluster": ("{m}-regionens kunnskapsklynge", "Kommunenettverket {m} og omegn", "Klynge {m}"),
}
PARTNERSHIP_SUMMARY = (
    "{m} og {inst} samarbeider om forskning, utdanning og innovasjon i kommunens tjenester.",
    "Samarbeidet skal gjøre kunnskap fra {p.pl_def} tilgjengelig for forskerne, og "
    "forskningen nyttig for {g.pl_def}.",
    "Partnerne har særlig pekt ut {t} og {t2} som satsingsområder.",
)


def _split(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# -- people ---------------------------------------------------------------------
FIRST_NAMES = _split(
    "Anne Inger Kari Marit Ingrid Liv Eva Berit Astrid Bjørg Hilde Anna Solveig Marianne "
    "Randi Ida Nina Maria Elisabeth Kristin Bente Heidi Silje Hanne Tone Camilla Ingeborg "
    "Sara Emma Nora Thea Ingvild Sigrid Tuva Maja Kristine Linn Marte Siri Guro Jan Per "
    "Bjørn Ole Lars Kjell Knut Arne Svein Hans Geir Tor Terje Thomas Morten John Rune "
    "Trond Jon Harald Olav Tore Rolf Espen Anders Erik Magnus Sindre Eirik Håkon Jonas "
    "Henrik Martin Even Sander Vegard Øyvind Ørjan Åsmund Aslak Nils Mathias Kristoffer"
)
LAST_NAMES = _split(
    "Hansen Johansen Olsen Larsen Andersen Pedersen Nilsen Kristiansen Jensen Karlsen "
    "Johnsen Pettersen Eriksen Berg Haugen Hagen Johannessen Andreassen Jacobsen Dahl "
    "Jørgensen Halvorsen Henriksen Lund Sørensen Jakobsen Moen Gundersen Iversen Strand "
    "Solberg Svendsen Eide Knutsen Martinsen Paulsen Bakken Kristoffersen Mathisen Lie "
    "Amundsen Nguyen Rasmussen Ali Lunde Solheim Berge Moe Nygård Bakke Kristensen "
    "Fredriksen Holm Lien Hauge Christensen Andresen Nielsen Knudsen Evensen Sæther Aas "
    "Myhre Hanssen Ahmed Haugland Thomassen Sivertsen Simonsen Danielsen Berntsen Sandvik "
    "Rønning Arnesen Antonsen Næss Vik Haug Ellingsen Thorsen Edvardsen Birkeland Isaksen "
    "Gulbrandsen Ruud Aasen Strøm Myklebust Tangen Ødegård Eliassen Helland Bøe Jenssen"
)
MUNICIPAL_TITLES = (
    "rådgiver",
    "spesialrådgiver",
    "enhetsleder",
    "kommunalsjef",
    "fagutvikler",
    "prosjektleder",
    "sykepleier",
    "lærer",
    "virksomhetsleder",
    "forskningskoordinator",
)
MUNICIPAL_UNITS = (
    "Helse og omsorg",
    "Oppvekst og utdanning",
    "Kommunedirektørens stab",
    "Hjemmetjenesten",
    "Samfunnsutvikling",
    "Kultur og frivillighet",
    "Digitalisering",
    "Helsestasjon og skolehelsetjeneste",
)
ACADEMIC_TITLES = (
    "professor",
    "førsteamanuensis",
    "universitetslektor",
    "postdoktor",
    "forsker",
    "seniorforsker",
    "stipendiat",
)
ACADEMIC_UNITS = (
    "Institutt for helse- og sykepleievitenskap",
    "Institutt for pedagogikk",
    "Institutt for sosiologi og statsvitenskap",
    "Institutt for samfunnsplanlegging",
    "Institutt for informatikk",
    "Handelshøgskolen",
    "Institutt for kultur og språk",
    "Senter for omsorgsforskning",
)
STUDENT_TITLES = ("masterstudent", "bachelorstudent")

FUNDING_SOURCES = (
    "Forskningsrådet",
    "Regionale forskningsfond",
    "Kommunens egne midler",
    "KS",
    "Statsforvalteren",
    "Helsedirektoratet",
    "Utdanningsdirektoratet",
)

#: Where each county's partnerships find their academic partners (slugs of the
#: reference data's institutions; missing ones are skipped).
REGIONAL_INSTITUTIONS = {
    "03": ("uio", "oslomet", "vid", "ldh", "bi", "hk"),
    "11": ("uis", "vid", "norce"),
    "15": ("ntnu", "him", "hvo", "moreforsking"),
    "18": ("nord", "nf", "uit"),
    "31": ("hio", "nmbu"),
    "32": ("oslomet", "nmbu", "uio"),
    "33": ("usn", "oslomet"),
    "34": ("inn", "of", "ntnu"),
    "39": ("usn",),
    "40": ("usn", "tf"),
    "42": ("uia", "norce"),
    "46": ("uib", "hvl", "norce", "vf"),
    "50": ("ntnu", "nord", "dmmh", "sintef"),
    "55": ("uit", "nf"),
    "56": ("uit", "sh"),
}
