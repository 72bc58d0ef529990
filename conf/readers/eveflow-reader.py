#!/usr/bin/python3
"""A downstream reader for eveflow in a few lines of Python 3 (standard library only).

eveflow's outputs connect to a socket a reader listens on; this one listens, takes each line eveflow
writes (aggregates carry "flow_count"; the other lines are Suricata's records, unchanged) and prints
it to stdout. Replace print_line with what your pipeline needs.

    python3 eveflow-reader.py /run/eveflow-readers/python.sock > eve-lines.json

The socket is made mode 0660: eveflow (user eveflow) must be in the reader's group to connect, and
its output's listener-uids must name the reader's uid (docs/input-output.md). A stale socket file is
replaced; SIGTERM or Ctrl-C removes it.
"""
import os
import signal
import socket
import sys
import threading


def print_line(line: bytes) -> None:
    sys.stdout.buffer.write(line)


def serve(conn: socket.socket, lock: threading.Lock) -> None:
    with conn, conn.makefile("rb") as lines:
        for line in lines:  # one JSON object per line, '\n'-terminated
            with lock:
                print_line(line)
                sys.stdout.flush()


def main(path: str) -> None:
    if os.path.exists(path):
        os.unlink(path)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    os.chmod(path, 0o660)
    server.listen(8)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    lock = threading.Lock()
    try:
        while True:  # eveflow reconnects after a restart: every connection is served
            conn, _ = server.accept()
            threading.Thread(target=serve, args=(conn, lock), daemon=True).start()
    except KeyboardInterrupt:
        pass
    finally:
        os.unlink(path)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/run/eveflow-readers/python.sock")
