"""The teacher's passcode: checked in constant time, proved by a token, and guessing slowed down.

A session that typed the right passcode keeps an `unlock_token`, never a plain
flag. Guessing is slowed per client address and across sessions.

Why per address and not per session: reloading the tab starts a new
Streamlit session, so a count kept in the session lets a student guess at
full speed. One `PasscodeGuard` per server process (`GUARD`) counts the wrong
tries of each client address for every session of that server; where the
address is unknown (Streamlit reports none for the teacher's own machine,
`localhost`), all such tries share one server-wide count.

The policy: the first `free_tries` wrong tries cost nothing (typos happen).
After that, each wrong try makes the next one wait, twice as long each time
(`first_wait`, 2x, 4x, ...), up to `lockout` seconds. A try during the wait is
refused without even looking at the passcode, so the wait cannot be used
to guess; once the wait is over, the right passcode works again and clears
the count. An address's count is forgotten `forget_after` seconds after
its last wrong try, and at most `max_addresses` addresses are remembered
(the stalest are dropped), so the store stays small.

Every wrong try is logged (Python logging, WARNING) with the time and the
address, never with what was typed.

Pure logic, no Streamlit: the clock is injectable, so tests need no sleeping.
"""

from __future__ import annotations

import hmac
import logging
import math
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

log = logging.getLogger(__name__)

SERVER_WIDE = "(no address)"
"""The key of tries whose client address is unknown."""


# ---------------------------------------------------------------- checking the passcode


def passcode_matches(given: str, expected: str) -> bool:
    """Whether `given` is the teacher's passcode, compared in constant time.

    Args:
        given: what was typed.
        expected: the configured passcode; an empty one matches nothing.
    """
    if not expected:
        return False
    return hmac.compare_digest(str(given).encode("utf-8"), str(expected).encode("utf-8"))


_PROCESS_KEY = secrets.token_bytes(32)


def unlock_token(expected: str) -> str:
    """A value that proves, within this server process, that the passcode was typed.

    A session keeps this token rather than a plain `True`: it is useless
    outside the process, it cannot be guessed from anything a browser sees,
    and it stops matching as soon as the passcode is changed.
    """
    return hmac.new(_PROCESS_KEY, str(expected).encode("utf-8"), "sha256").hexdigest()


def token_matches(token, expected: str) -> bool:
    """Whether a session's stored token was made from the current passcode (constant time)."""
    if not expected or not isinstance(token, str):
        return False
    return hmac.compare_digest(token.encode("ascii", "replace"), unlock_token(expected).encode("ascii"))


# ---------------------------------------------------------------- slowing down guessing


@dataclass(frozen=True)
class Attempt:
    """The outcome of one try.

    Attributes:
        outcome: "ok" (right passcode), "wrong", or "wait" (refused unchecked:
            the address must wait).
        wait: seconds before this address may try again (0 when it may now).
    """

    outcome: str
    wait: float = 0.0

    @property
    def ok(self) -> bool:
        return self.outcome == "ok"

    @property
    def wait_whole_seconds(self) -> int:
        """The wait as a student reads it: whole seconds, rounded up."""
        return math.ceil(self.wait)


@dataclass
class _Record:
    wrong: int = 0
    last_wrong: float = 0.0
    next_allowed: float = 0.0


class PasscodeGuard:
    """Counts wrong passcode tries per client address; thread-safe.

    Args:
        free_tries: wrong tries before any wait. Default 5.
        first_wait: the wait after the first wrong try beyond the free ones, in seconds. Default 5.
        lockout: the longest wait, in seconds. Default 300 (five minutes).
        forget_after: seconds after an address's last wrong try when its count is dropped. Default 3600.
        max_addresses: addresses remembered at most. Default 4096.
        clock: seconds, monotonic (default `time.monotonic`); tests pass a fake one.
    """

    def __init__(
        self,
        free_tries: int = 5,
        first_wait: float = 5.0,
        lockout: float = 300.0,
        forget_after: float = 3600.0,
        max_addresses: int = 4096,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.free_tries = free_tries
        self.first_wait = first_wait
        self.lockout = lockout
        self.forget_after = forget_after
        self.max_addresses = max_addresses
        self.clock = clock
        self._lock = threading.Lock()
        self._records: dict[str, _Record] = {}

    def wait_seconds(self, address: str | None) -> float:
        """Seconds before `address` may try again (0 when it may now)."""
        with self._lock:
            record = self._records.get(_key(address))
            return max(0.0, record.next_allowed - self.clock()) if record else 0.0

    def attempt(self, address: str | None, check: Callable[[], bool]) -> Attempt:
        """One try from `address`: refused while it must wait, else `check()` decides and is counted.

        Checking and counting happen under one lock, so tries sent at the same
        moment (several tabs, a script) cannot all slip through one free slot.
        """
        key = _key(address)
        with self._lock:
            now = self.clock()
            record = self._records.get(key)
            if record and record.next_allowed > now:
                return Attempt("wait", record.next_allowed - now)
            if check():
                self._records.pop(key, None)
                return Attempt("ok")
            record = self._remember(key, now)
            record.wrong += 1
            record.last_wrong = now
            wait = self.wait_after(record.wrong)
            record.next_allowed = now + wait
        log.warning(
            "wrong teacher passcode at %s from %s: %d wrong in a row, next try in %.0f s",
            time.strftime("%Y-%m-%d %H:%M:%S"),
            key,
            record.wrong,
            wait,
        )
        return Attempt("wrong", wait)

    def wait_after(self, wrong: int) -> float:
        """The wait imposed after `wrong` wrong tries in a row."""
        if wrong < self.free_tries:
            return 0.0
        return min(self.lockout, self.first_wait * 2 ** (wrong - self.free_tries))

    def _remember(self, key: str, now: float) -> _Record:
        """The address's record, made room for (caller holds the lock)."""
        record = self._records.get(key)
        if record is not None and now - record.last_wrong <= self.forget_after:
            return record
        self._records.pop(key, None)
        if len(self._records) >= self.max_addresses:
            self._forget_stale(now)
        record = self._records[key] = _Record()
        return record

    def _forget_stale(self, now: float) -> None:
        """Drop forgotten addresses; if still full, the stalest half of the rest (caller holds the lock)."""
        for key in [k for k, r in self._records.items() if now - r.last_wrong > self.forget_after]:
            del self._records[key]
        if len(self._records) >= self.max_addresses:
            stalest = sorted(self._records, key=lambda k: self._records[k].last_wrong)
            for key in stalest[: max(1, len(stalest) // 2)]:
                del self._records[key]


def _key(address: str | None) -> str:
    return address.strip() if isinstance(address, str) and address.strip() else SERVER_WIDE


GUARD = PasscodeGuard()
"""The one guard of this server process (every session of the Teacher page uses it)."""
