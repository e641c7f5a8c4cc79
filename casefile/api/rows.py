"""Each row's related names in the row's own query, as a JSON array."""

from __future__ import annotations

from django.db.models import Aggregate, JSONField, OuterRef, QuerySet, Subquery


class JSONList(Aggregate):
    """A JSON array of the aggregated values: ``jsonb_agg`` / ``json_group_array``.

    Lets a list endpoint bring each row's related names in the row's own query, instead of
    one prefetch query per relation.
    """

    function = "JSON_GROUP_ARRAY"
    output_field = JSONField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="JSONB_AGG", **extra_context)


def json_list_subquery(queryset: QuerySet, group_by: str, item) -> Subquery:
    """The JSON array of ``item`` over the rows of ``queryset`` with the outer row's pk."""
    return Subquery(
        queryset.filter(**{group_by: OuterRef("pk")})
        .order_by()
        .values(group_by)
        .annotate(items=JSONList(item))
        .values("items"),
        output_field=JSONField(),
    )
