"""The status vocabulary: ``/api/v1/statuses/`` (where a case stands)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.permissions import AllowAny

from ..models import Status


class StatusSerializer(serializers.ModelSerializer):
    name = serializers.CharField(
        source="display_name", read_only=True, help_text="In the language asked for."
    )

    class Meta:
        model = Status
        fields = ["id", "slug", "name", "description"]


@extend_schema(tags=["vocabularies"])
class StatusViewSet(viewsets.ReadOnlyModelViewSet):
    """Where a case stands: the controlled vocabulary (public, small, not paginated)."""

    permission_classes = [AllowAny]
    serializer_class = StatusSerializer
    pagination_class = None
    lookup_field = "slug"
    queryset = Status.objects.order_by("position", "name", "id")
