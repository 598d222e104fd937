"""Serve each signed-in user in the language they chose (Indonesian unless they switched).
Before signing in, the page follows the browser's language."""
from django.conf import settings
from django.utils import translation


class UserLanguageMiddleware:
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
