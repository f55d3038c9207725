"""The benchmark's anchors, reachable only through ``bench.urls``, never in production URLs.

- ``bare``: a bare Django view rendering the portal's base template for a logged-in user. It pays what every
  portal page pays (middleware, session, user, the menu from the per-user cache, the session save) and nothing
  of its own, so a page's ratio to it is the cost of the page's own work.
- ``hello``: the framework's floor, a short ``HttpResponse`` through the full middleware stack for an anonymous
  visitor: what no page can be faster than. The bare page's ratio to it is the cost of being logged in and of
  the base template."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render


@login_required
def bare(request):
    return render(request, "base.html", {})


def hello(request):
    return HttpResponse("Hello, world", content_type="text/plain; charset=utf-8")
