"""Who sees which cases and agreements: the one rule, for every page, download, search and command.

The rule is by unit. Whoever holds a role today in a unit that is not an OPD (the Biro, the
TKKSD, the Governor's office) sees every case and every agreement; OPD staff see their own OPD's
(the cases it proposed, the agreements it carries out); whoever holds no role today sees nothing.

One function per resource answers "which ones" (cases_visible_to, agreements_visible_to, and
opds_visible_to for the units themselves, as filters offer them), and one access helper per
resource answers "this one?" for a page or a command, as Zulip's access_stream_by_id does:
access_case and access_agreement return the row or raise NotFound (no such id) or NotAllowed
(another OPD's). The web turns those into its 404 and 403 pages in one place
(web/middleware.py); the CLI into its refusals (cli/base.py).

It lives in the agreements app because it decides for both resources, and the engine (workflow)
must not know agreements.
"""
from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from alur.org.models import OrgUnit
from alur.org.selectors import roles_held
from alur.workflow.errors import NotAllowed, NotFound
from alur.workflow.models import Case

from .models import Agreement

EVERY_UNIT = None  # what _units_seen answers for someone who sees every unit


def _units_seen(user) -> frozenset[int] | None:
    """The rule itself: EVERY_UNIT (None) for a role held today in a unit that is not an OPD;
    otherwise the ids of the OPDs the user holds a role in (empty without a role)."""
    unit_ids = frozenset(unit_id for _role, unit_id in roles_held(user))
    if unit_ids and OrgUnit.objects.filter(pk__in=unit_ids).exclude(kind=OrgUnit.Kind.OPD).exists():
        return EVERY_UNIT
    return unit_ids


def sees_every_unit(user) -> bool:
    """Whether the user sees every OPD's cases and agreements (and so may look at how an SOP
    performs across all of them: monitoring and evaluation)."""
    return _units_seen(user) is EVERY_UNIT


def opds_visible_to(user) -> QuerySet:
    """The OPDs whose cases and agreements the user sees, by name: all of them, their own, or none."""
    seen = _units_seen(user)
    opds = OrgUnit.objects.filter(kind=OrgUnit.Kind.OPD).order_by("name")
    return opds if seen is EVERY_UNIT else opds.filter(pk__in=seen)


def cases_visible_to(user) -> QuerySet:
    """The cases the user may see."""
    seen = _units_seen(user)
    # No filter at all for those who see everything: the lists and exports stay plain queries.
    return Case.objects.all() if seen is EVERY_UNIT else Case.objects.filter(org_unit_id__in=seen)


def agreements_visible_to(user) -> QuerySet:
    """The agreements the user may see (the register, the rekapitulasi and its downloads)."""
    seen = _units_seen(user)
    return Agreement.objects.all() if seen is EVERY_UNIT else Agreement.objects.filter(org_unit_id__in=seen)


def access_case(user, case_id: int) -> Case:
    """The case, if the user may see it; NotFound or NotAllowed otherwise."""
    case = Case.objects.select_related("sop_version__sop", "org_unit").filter(pk=case_id).first()
    if case is None:
        raise NotFound(_("Perkara #%(id)s tidak ditemukan.") % {"id": case_id})
    seen = _units_seen(user)
    if seen is not EVERY_UNIT and case.org_unit_id not in seen:
        raise NotAllowed(_("Perkara ini milik Perangkat Daerah lain; Anda tidak dapat melihatnya."))
    return case


def access_agreement(user, agreement_id: int) -> Agreement:
    """The agreement (with what its page shows beside it), if the user may see it; NotFound or
    NotAllowed otherwise."""
    agreement = (Agreement.objects.select_related("partner", "org_unit", "case", "implements", "amends", "registered_by",
                                                  "legal_basis_by").filter(pk=agreement_id).first())
    if agreement is None:
        raise NotFound(_("Perjanjian #%(id)s tidak ditemukan.") % {"id": agreement_id})
    seen = _units_seen(user)
    if seen is not EVERY_UNIT and agreement.org_unit_id not in seen:
        raise NotAllowed(_("Perjanjian ini milik Perangkat Daerah lain; Anda tidak dapat melihatnya."))
    return agreement
