# Placeholder views: replaced by the real ones.
from django.http import Http404


def organization_list(request, **kwargs):
    raise Http404


def organization_create(request, **kwargs):
    raise Http404


def organization_edit(request, **kwargs):
    raise Http404


def organization_search(request, **kwargs):
    raise Http404


def perpetrator_list(request, **kwargs):
    raise Http404


def perpetrator_create(request, **kwargs):
    raise Http404


def perpetrator_edit(request, **kwargs):
    raise Http404


def perpetrator_search(request, **kwargs):
    raise Http404

