"""Middleware of the web: each signed-in user's language, and the services' refusals as pages."""
from django.conf import settings
from django.utils import translation

from alur.workflow.errors import NotAllowed, NotFound

from . import errors


class UserLanguageMiddleware:
    """Serve each signed-in user in the language they chose (Indonesian unless they switched).
    Before signing in, the page follows the browser's language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            preference = getattr(user, "preference", None)
            language = preference.language if preference is not None else settings.LANGUAGE_CODE
            request.LANGUAGE_CODE = language
            # For this request only: the thread serves the next request in its own language.
            with translation.override(language):
                return self.get_response(request)
        return self.get_response(request)


class RefusalMiddleware:
    """A service's NotAllowed becomes the 403 page and its NotFound the 404 page, each with the
    service's message: the one place they are turned into responses, so views let them through
    and catch only what they say at a form (InvalidInput)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, NotAllowed):
            return errors.forbidden(request, exception)
        if isinstance(exception, NotFound):
            return errors.not_found(request, exception)
        return None
