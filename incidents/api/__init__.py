"""The incidents API, one module a concern.

- ``serializers``: how a case reads (list and detail), and the write serializer that
  documents what a create or update accepts.
- ``writes``: the write body read into the staff form's data (``form_data``), and its schema.
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
