"""A signal inside a held stretch is delivered at its end, where raising is safe."""

from __future__ import annotations

import os
import signal
from types import FrameType

import pytest

from redactor import interrupts


class Stopped(BaseException):
    pass


def test_a_signal_inside_waits_for_the_end_of_the_held_stretch() -> None:
    seen: list[str] = []

    def handler(signum: int, frame: FrameType | None) -> None:
        if interrupts.holding(signum):
            seen.append("held")
            return
        seen.append("raised")
        raise Stopped

    before = signal.signal(signal.SIGUSR1, handler)
    try:
        with pytest.raises(Stopped):
            with interrupts.held():
                with interrupts.held():  # nested: only the outermost end delivers
                    os.kill(os.getpid(), signal.SIGUSR1)
                    seen.append("inner end")
                seen.append("outer end")
        assert seen == ["held", "inner end", "outer end", "raised"]
        seen.clear()
        with pytest.raises(Stopped):
            os.kill(os.getpid(), signal.SIGUSR1)  # outside: at once
        assert seen == ["raised"]
    finally:
        signal.signal(signal.SIGUSR1, before)
