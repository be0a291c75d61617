"""A local stand-in for the Segment Public API endpoints the app uses.

Runs on 127.0.0.1 with in-memory sample data, so a new user can try a push without a
Segment account and tests can talk to real sockets: ``server`` (listening, threads,
start and stop, ``idsync sandbox``), ``routes`` (a request to its endpoint's handler),
``faults`` (what can be switched to go wrong), ``state`` (the seeded spaces, audiences
and connections, and Segment's rules on what a write stores), ``failure`` (the error
envelope all of them answer with).
"""

from idsync.segment.sandbox.failure import RateLimitHint
from idsync.segment.sandbox.faults import LostAnswer
from idsync.segment.sandbox.server import RecordedRequest, Sandbox, run

__all__ = ["LostAnswer", "RateLimitHint", "RecordedRequest", "Sandbox", "run"]
