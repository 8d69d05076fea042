"""core.services.passcode_guard: the passcode checked in constant time, wrong tries counted per address (fake clock)."""

from __future__ import annotations

import hmac
import logging
import threading

import pytest

from core.services.passcode_guard import SERVER_WIDE, PasscodeGuard, passcode_matches, token_matches, unlock_token

SECRET = "correct horse 42"


class Clock:
    """A clock the test moves by hand."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def guard(clock) -> PasscodeGuard:
    return PasscodeGuard(free_tries=5, first_wait=5.0, lockout=300.0, forget_after=3600.0, clock=clock)


def wrong(guard: PasscodeGuard, address: str | None = "10.0.0.7"):
    return guard.attempt(address, lambda: False)


def right(guard: PasscodeGuard, address: str | None = "10.0.0.7"):
    return guard.attempt(address, lambda: True)


def test_five_wrong_tries_are_free_then_each_waits_longer_up_to_the_lockout(guard, clock):
    waits = []
    for _ in range(5):
        assert wrong(guard).outcome == "wrong"
        waits.append(guard.wait_seconds("10.0.0.7"))
    assert waits[:4] == [0, 0, 0, 0]  # four typos cost nothing
    assert waits[4] == 5.0  # the fifth makes the sixth try wait
    for _ in range(8):
        clock.now += guard.wait_seconds("10.0.0.7")
        attempt = wrong(guard)
        assert attempt.outcome == "wrong"
        waits.append(attempt.wait)
    assert waits[4:] == [5, 10, 20, 40, 80, 160, 300, 300, 300]  # doubling, capped at five minutes


def test_a_try_during_the_wait_is_refused_without_looking_at_the_passcode(guard, clock):
    for _ in range(5):
        wrong(guard)
    looked = []
    attempt = guard.attempt("10.0.0.7", lambda: looked.append(1) or True)
    assert attempt.outcome == "wait" and not attempt.ok and not looked
    assert attempt.wait == 5.0 and attempt.wait_whole_seconds == 5
    clock.now += 2.5
    assert guard.attempt("10.0.0.7", lambda: True).wait == 2.5  # refusals do not lengthen the wait
    assert guard.wait_seconds("10.0.0.7") == 2.5


def test_the_right_passcode_works_again_once_the_wait_is_over_and_clears_the_count(guard, clock):
    for _ in range(7):
        clock.now += guard.wait_seconds("10.0.0.7")
        wrong(guard)
    assert not right(guard).ok  # still waiting
    clock.now += guard.wait_seconds("10.0.0.7")
    assert right(guard).ok
    assert guard.wait_seconds("10.0.0.7") == 0
    for _ in range(4):  # a fresh start: typos are free again
        assert wrong(guard).wait == 0


def test_addresses_are_counted_apart_and_a_missing_address_shares_one_server_wide_count(guard):
    for _ in range(6):
        wrong(guard, "10.0.0.7")
    assert guard.wait_seconds("10.0.0.7") > 0
    assert guard.wait_seconds("10.0.0.8") == 0 and right(guard, "10.0.0.8").ok
    for address in (None, "", None, "  ", None):
        wrong(guard, address)
    assert guard.wait_seconds(None) == 5.0 and guard.wait_seconds("") == 5.0
    assert guard.attempt(SERVER_WIDE, lambda: True).outcome == "wait"


def test_a_count_is_forgotten_an_hour_after_the_last_wrong_try(guard, clock):
    for _ in range(6):
        clock.now += guard.wait_seconds("10.0.0.7")
        wrong(guard)
    clock.now += 3601
    assert wrong(guard).wait == 0  # counted from one again


def test_the_store_stays_small_under_many_addresses(clock):
    guard = PasscodeGuard(max_addresses=100, clock=clock)
    for n in range(1000):
        clock.now += 1
        wrong(guard, f"10.0.{n // 256}.{n % 256}")
    assert len(guard._records) <= 100
    for _ in range(5):
        wrong(guard, "10.9.9.9")
    assert guard.wait_seconds("10.9.9.9") == 5.0  # the newest address is still counted


def test_tries_sent_at_the_same_moment_cannot_share_a_free_slot(guard):
    for _ in range(5):
        wrong(guard)
    guard.clock.now += 5  # exactly one try is allowed now
    outcomes = []
    threads = [threading.Thread(target=lambda: outcomes.append(wrong(guard).outcome)) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["wait"] * 19 + ["wrong"]


def test_wrong_tries_are_logged_with_time_and_address_never_the_typed_text(guard, caplog):
    caplog.set_level(logging.WARNING, logger="core.services.passcode_guard")
    typed = "my-secret-guess-123"
    guard.attempt("10.0.0.7", lambda: typed == SECRET)
    right(guard, "10.0.0.8")
    (record,) = caplog.records
    message = record.getMessage()
    assert "10.0.0.7" in message and typed not in message and SECRET not in message
    assert record.levelno == logging.WARNING and record.created > 0
    assert any(ch.isdigit() for ch in message.split("from")[0])  # "at 2026-12-02 12:00:00"


# ---------------------------------------------------------------- checking the passcode


def test_passcode_is_compared_with_hmac_compare_digest(monkeypatch):
    calls = []
    real = hmac.compare_digest

    def spy(a, b):
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    assert passcode_matches("näive pass", "näive pass")
    assert not passcode_matches("naive pass", "näive pass")
    assert not passcode_matches("", "")  # no passcode set: nothing unlocks
    assert not passcode_matches("x", "")
    assert len(calls) == 2 and all(isinstance(a, bytes) and isinstance(b, bytes) for a, b in calls)


def test_unlock_token_proves_the_current_passcode_only():
    token = unlock_token("apple")
    assert "apple" not in token and len(token) == 64
    assert token_matches(token, "apple")
    assert not token_matches(token, "apple2")  # the teacher changed the passcode
    assert not token_matches(True, "apple")  # a plain flag is not a token
    assert not token_matches("", "apple")
    assert not token_matches(token, "")
