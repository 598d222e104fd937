"""Serve each signed-in user in the language they chose (Indonesian unless they switched)."""
from django.utils import translation


class UserLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            preference = getattr(user, "preference", None)
            if preference is not None:
                translation.activate(preference.language)
                request.LANGUAGE_CODE = preference.language
        return self.get_response(request)
