"""The staff home page, the health check and the error pages."""

from __future__ import annotations

from allauth.account.internal.stagekit import LOGIN_SESSION_KEY
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.http import require_GET

from madad.home import health


def home(request: HttpRequest) -> HttpResponse:
    """Staff start here; anybody else lands on the public site, except somebody halfway
    through signing in (password given, two-factor code not yet), who goes back to sign-in."""
    if not request.user.is_authenticated:
        if request.session.get(LOGIN_SESSION_KEY):
            return redirect_to_login(request.get_full_path())
        return redirect("public:dashboard")
    return render(request, "home/home.html")


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when this server can answer pages, 503 naming what is missing (madad.home.health)."""
    found = health.problems()
    if found:
        return JsonResponse({"status": "failing", "problems": found}, status=503)
    return JsonResponse({"status": "ok"})


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask /favicon.ico of every site: the icon is a static file like any other."""
    response = redirect(static("madad/favicon.ico"))
    response["Cache-Control"] = "public, max-age=86400"
    return response


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)
