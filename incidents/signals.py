"""Signals other apps listen to, so incidents need not know about them."""

from django.dispatch import Signal

# Sent after the transaction commits whenever an incident's publication state changes,
# with ``incident``. Appeals use it to add or remove their public PDF files.
publication_changed = Signal()
