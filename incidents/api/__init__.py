"""The incidents API, one module a concern.

- ``serializers``: how a case reads (list and detail).
- ``writes``: what a create or update accepts, ``IncidentWriteSerializer``, checked with the
  staff form's rules (``incidents.validators``).
- ``permissions``: who reads and who writes a case.
- ``filters``: the case list's filters as the API takes them, and their schema.
- ``views``: the case viewset, ``/api/v1/incidents/``.
- ``rows``: the list's rows as JSON text written by PostgreSQL.
- ``exports``: the CSV and JSON downloads, ``/api/v1/incidents/export.csv`` and ``.json``.
- ``export_jobs``: large exports as jobs: 202, the job's status, then the file.
- ``statuses``: the status vocabulary, ``/api/v1/statuses/``.

The router in ``config/api_urls.py`` imports the views from their modules; nothing is
re-exported here.
"""
