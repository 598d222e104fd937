"""Template tags of the monitoring page's links: pages rendered by other views ask here whether
to offer the link, since only some people may open it."""
from django import template

from alur.workflow.selectors import may_monitor as _may_monitor

register = template.Library()


@register.simple_tag
def may_monitor(user) -> bool:
    """{% may_monitor user as shown %}: whether the user may open an SOP's monitoring page."""
    return bool(user and user.is_authenticated) and _may_monitor(user)
