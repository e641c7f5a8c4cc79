# Placeholder views: replaced by the real ones.
from django.http import Http404


def organization_detail(request, **kwargs):
    raise Http404


def perpetrator_detail(request, **kwargs):
    raise Http404

