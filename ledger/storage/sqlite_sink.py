"""A large import's SQLite writes, in a process of their own: rows in, one transaction, all or nothing.

``ledger.storage.writers.SQLiteProcessWriter`` runs this file as ``python -I
sqlite_sink.py DATABASE``. It uses the standard library only, so it starts in
milliseconds without the package's imports, and while it inserts one batch
(``sqlite3`` B-tree work, most of an import's cost) the importer parses,
checks and hashes the next one on the other core.

Input on stdin is a sequence of frames, each an 8-byte big-endian length and a
``marshal``-ed message (both processes are the same interpreter, and the rows
are plain tuples of text, numbers and None, which marshal reads and writes
several times faster than pickle):

- ``("begin", head_seq, head_hash, pragmas)``: set the pragmas, take the write
  lock (``BEGIN IMMEDIATE``) and check that the history's head is still the one
  the importer chained onto (None and None for an empty history); if another
  writer got in first, fail rather than write a fork of the chain;
- ``("rows", [(table, columns, rows), ...])``: ``executemany`` each, in order;
- ``("sync",)``: reply ``("ok",)`` once every row sent before it is written;
- ``("commit",)``: commit, reply, exit.

The importer sends ``commit`` only after ``sync`` was answered. Rows queue up
in the pipe faster than SQLite writes them, so a ``commit`` sent right after
the last rows would sit in the pipe while this process catches up, and be
obeyed even if the importer was killed or interrupted meanwhile: the command
would fail yet its rows land, and a retry would import them twice. With the
handshake, an importer stopped at any point before it decided to commit
leaves nothing behind.

The end of the input without ``commit`` (the importer found a bad row, or
stopped) rolls back; so does any error, and so does this process dying, since
SQLite never applies an uncommitted transaction. On ``commit`` or on the first
error it writes one frame to stdout, ``("ok",)`` or ``("error", class name,
message)``, and exits.
"""

from __future__ import annotations

import marshal
import signal
import sqlite3
import sys


def _read_frame(stream) -> object | None:
    """The next message, or None at the end of the input."""
    header = stream.read(8)
    if len(header) < 8:
        return None
    size = int.from_bytes(header, "big")
    body = stream.read(size)
    if len(body) < size:
        return None
    return marshal.loads(body)


def _reply(message: tuple) -> None:
    body = marshal.dumps(message)
    sys.stdout.buffer.write(len(body).to_bytes(8, "big") + body)
    sys.stdout.buffer.flush()


def _begin(conn: sqlite3.Connection, head_seq: int | None, head_hash: str | None, pragmas: dict) -> None:
    # The ledger's own connection setting (the engine turns foreign keys on; WAL was set once when the
    # ledger was made, and asking again is a no-op), then this writer's.
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA journal_mode=WAL")
    for name, value in pragmas.items():
        conn.execute(f"PRAGMA {name}={value}")
    conn.execute("BEGIN IMMEDIATE")
    head = conn.execute("SELECT seq, hash FROM history ORDER BY seq DESC LIMIT 1").fetchone()
    if (head or (None, None)) != (head_seq, head_hash):
        raise sqlite3.OperationalError("the ledger changed while the file was being read (another writer?); import it again")


def _insert(conn: sqlite3.Connection, table: str, columns: list[str], rows: list) -> None:
    names = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join("?" * len(columns))
    conn.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)


def main(path: str) -> int:
    # Ctrl-C reaches the whole process group: the importer handles it and
    # closes this process's input, which rolls back below.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    stdin = sys.stdin.buffer
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        while True:
            message = _read_frame(stdin)
            if message is None:  # no commit: nothing happened
                return 0
            kind = message[0]
            if kind == "begin":
                _begin(conn, *message[1:])
            elif kind == "rows":
                for table, columns, rows in message[1]:
                    if rows:
                        _insert(conn, table, columns, rows)
            elif kind == "sync":
                _reply(("ok",))
            elif kind == "commit":
                conn.execute("COMMIT")
                _reply(("ok",))
                return 0
            else:
                raise ValueError(f"unknown message {kind!r}")
    except Exception as exc:
        _reply(("error", type(exc).__name__, str(exc)))
        return 1
    finally:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        conn.close()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
