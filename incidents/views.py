# Placeholder views: replaced by the real ones.
from django.http import Http404


def home(request, **kwargs):
    raise Http404


def case_list(request, **kwargs):
    raise Http404


def case_detail(request, **kwargs):
    raise Http404

