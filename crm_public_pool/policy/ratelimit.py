"""Token bucket rate limiting (no ORM).

The bucket holds at most ``capacity`` tokens and refills at ``rate`` tokens
per second; a request takes one token or is refused. The state is two
numbers, so it can live in memory (:class:`TokenBucket`) or in a database
row updated under a row lock (:func:`consume`), which keeps the limit exact
across several server workers.
"""


def consume(tokens, updated_at, now, capacity, rate, cost=1.0):
    """Take ``cost`` tokens from the bucket.

    ``tokens`` / ``updated_at`` are the stored state (``None`` for a fresh,
    full bucket); ``now`` and ``updated_at`` are datetimes. Returns
    ``(allowed, new_tokens, retry_after_seconds)``: the caller stores
    ``new_tokens`` with ``now``. A clock going backwards never adds tokens.
    """
    if capacity <= 0:
        return True, tokens, 0.0
    if tokens is None or updated_at is None:
        tokens = float(capacity)
    else:
        elapsed = max((now - updated_at).total_seconds(), 0.0)
        tokens = min(float(capacity), float(tokens) + elapsed * rate)
    if tokens >= cost:
        return True, tokens - cost, 0.0
    missing = cost - tokens
    retry = missing / rate if rate > 0 else float('inf')
    return False, tokens, retry


def per_minute(limit):
    """``(capacity, rate)`` for "``limit`` requests per minute" with a burst
    of ``limit``."""
    return float(limit), float(limit) / 60.0


class TokenBucket(object):
    """In-memory buckets keyed by e.g. a token (one process only)."""

    def __init__(self, capacity, rate):
        self.capacity = capacity
        self.rate = rate
        self._state = {}

    def allow(self, key, now, cost=1.0):
        tokens, updated_at = self._state.get(key, (None, None))
        allowed, tokens, _retry = consume(
            tokens, updated_at, now, self.capacity, self.rate, cost)
        self._state[key] = (tokens, now)
        return allowed
