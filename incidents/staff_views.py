# Placeholder views: replaced by the real ones.
from django.http import Http404


def dashboard(request, **kwargs):
    raise Http404


def incident_create(request, **kwargs):
    raise Http404


def incident_detail(request, **kwargs):
    raise Http404


def incident_edit(request, **kwargs):
    raise Http404


def incident_transition(request, **kwargs):
    raise Http404

