"""Work done by a forked process on its own connection to the ledger, while this one goes on.

A report resolves the names while it reads the claims, and ``verify`` rebuilds the kept results while it
checks the chain: each needs a second core, not a second pass after the first. The forked process opens
the ledger again from its URL, works, and sends back what it found; if it fails, or cannot be started (no
``fork`` on this system, a ledger that lives in this process's memory), ``result`` is None and the caller
works it out itself.
"""

from __future__ import annotations

from collections.abc import Callable


def can_fork_for(store) -> bool:
    """Whether a forked process can open this ledger again from its URL and find the same database."""
    import multiprocessing

    from ledger.storage.engine import shared_by_threads

    return "fork" in multiprocessing.get_all_start_methods() and shared_by_threads(store.engine)


class Elsewhere:
    """``work(store, *args)`` in a forked process, ``store`` opened there from ``url``."""

    def __init__(self, url: str, work: Callable, *args):
        import multiprocessing

        context = multiprocessing.get_context("fork")
        self._receive, send = context.Pipe(duplex=False)
        self._worker = context.Process(target=_work, args=(url, work, args, send, self._receive), daemon=True)
        self._worker.start()
        send.close()

    def result(self):
        """What the work returned, or None if the process failed; the process is done with either way."""
        try:
            return self._receive.recv()
        except (EOFError, OSError):
            return None
        finally:
            self.close()

    def close(self) -> None:
        if self._worker is not None:
            self._receive.close()
            if self._worker.is_alive():  # done with it, or this side stopped early
                self._worker.terminate()
            self._worker.join()
            self._worker = None


def _work(url: str, work: Callable, args: tuple, send, parent_end) -> None:
    from ledger.storage.store import open_store

    parent_end.close()  # the copy forked with this process: once the parent closes its own, sends fail
    try:
        send.send(work(open_store(url), *args))
    except Exception:  # any failure: the caller works it out itself, and says what went wrong there
        send.send(None)
    send.close()
