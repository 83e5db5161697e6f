"""The emulator's clock: sped-up real time, manual advances, and pauses."""

from __future__ import annotations

import time

from dbcloud.emulator._clock import EmulatedClock


def test_a_paused_clock_stands_still_and_resumes_from_where_it_stopped() -> None:
    clock = EmulatedClock(speed=1_000_000)
    clock.pause()
    stopped = clock.now()
    time.sleep(0.01)  # 10,000 emulated seconds would pass on a running clock
    assert clock.now() == stopped
    clock.advance(5)
    assert clock.now() == stopped + 5
    clock.resume()
    resumed = clock.now()
    assert stopped + 5 <= resumed < stopped + 5 + 10_000  # it went on from the pause, not from now
    time.sleep(0.001)
    assert clock.now() > resumed


def test_pausing_twice_and_resuming_a_running_clock_change_nothing() -> None:
    clock = EmulatedClock(speed=1.0)
    clock.resume()  # not paused: a no-op
    clock.pause()
    first = clock.now()
    clock.pause()
    assert clock.now() == first
