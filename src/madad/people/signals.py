"""Signals other apps listen to, so that people does not need to know them.

`person_saved` is sent inside the transaction that creates a person or changes one, once the
row is written (the receiver's writes commit or roll back with it). Record linkage uses it to
keep the keys of the duplicate check current.
"""

from __future__ import annotations

from django.dispatch import Signal

person_saved = Signal()  # keyword argument: person
