"""What every API endpoint shares, kept below the apps so each can use it.

- ``pagination``: the keyset pagination every list uses;
- ``responses``: one error body, the format negotiation, the JSON 404;
- ``rows``: related names aggregated into each row's own query;
- ``lookup``: an object by id or slug;
- ``language``: ``?lang=`` on every path; ``schema``: the errors every operation can answer.

The endpoints live in each app's ``api`` module; the one router is ``config/api_urls.py``.
"""
