"""A poller with azure-core's ``LROPoller`` shape: ``result()``, ``done()``, ``wait()``, ``status()``.

Polling only GETs (idempotent); the request that started the work was sent once, before the poller was made.
"""
import time

from .exceptions import AtelierError

POLL_SECONDS = 0.5


class LROPoller:
    def __init__(self, poll, settled, finish, timeout=600):
        """``poll()`` reads the current state, ``settled(state)`` says whether it is final, ``finish(state)`` turns
        the final state into the result (or raises)."""
        self._poll = poll
        self._settled = settled
        self._finish = finish
        self._timeout = timeout
        self._state = None
        self._result = None
        self._done = False

    def done(self):
        if not self._done:
            self._state = self._poll()
            self._done = self._settled(self._state)
        return self._done

    def status(self):
        state = self._state
        if isinstance(state, dict):
            return state.get("provisioning_state") or state.get("status") or ("Succeeded" if self._done else "InProgress")
        return "Succeeded" if self._done else "InProgress"

    def wait(self, timeout=None):
        deadline = time.monotonic() + (self._timeout if timeout is None else timeout)
        while not self.done():
            if time.monotonic() > deadline:
                raise AtelierError("Still %s after %ss; call result() again to wait longer" % (self.status(), timeout or self._timeout))
            time.sleep(POLL_SECONDS)

    def result(self, timeout=None):
        if self._result is None:
            self.wait(timeout)
            self._result = self._finish(self._state)
        return self._result


class DonePoller(LROPoller):
    """A poller for work that was finished when it was asked for."""

    def __init__(self, result):
        super().__init__(lambda: None, lambda state: True, lambda state: result)
        self._done = True
