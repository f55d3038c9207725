"""The benchmark's anchor: a bare Django view rendering the portal's base template for a logged-in user.

It pays what every portal page pays (middleware, session, user, role assignments for the menu, the session
save) and nothing of its own, so a page's ratio to it is the cost of the page's own work. Reachable only
through ``bench.urls``, never in production URLs."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def bare(request):
    return render(request, "base.html", {})
