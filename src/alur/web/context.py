"""What every page's navigation needs to know about the signed-in user."""

from alur.agreements.access import sees_every_unit
from alur.agreements.rekap import may_see_rekap
from alur.agreements.selectors import keeps_register, may_register_drafts, supervises_agreements
from alur.notifications.selectors import unread_count
from alur.workflow.people import may_manage_people


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_may_register": may_register_drafts(user),
        "nav_is_supervisor": supervises_agreements(user),
        "nav_unread": unread_count(user),
        "nav_may_monitor": sees_every_unit(user),
        "nav_may_see_rekap": may_see_rekap(user),
        "nav_keeps_register": keeps_register(user),
        "nav_manages_people": may_manage_people(user),
    }
