"""Incidents' models, one module per concern; import them from here (``incidents.models``)."""

from .export_job import ExportJob
from .facet_count import FacetCount
from .incident import Incident, IncidentTranslation, PublicationEvent, format_fuzzy_date
from .rows import (
    Figure,
    FigureTranslation,
    IncidentPerpetrator,
    Source,
    Update,
    UpdateTranslation,
)
from .vocabulary import Status, StatusTranslation, ViolationType

__all__ = [
    "ExportJob",
    "FacetCount",
    "Figure",
    "FigureTranslation",
    "Incident",
    "IncidentPerpetrator",
    "IncidentTranslation",
    "PublicationEvent",
    "Source",
    "Status",
    "StatusTranslation",
    "Update",
    "UpdateTranslation",
    "ViolationType",
    "format_fuzzy_date",
]
