#!/usr/bin/env python3
"""Holds a listening Unix socket the way systemd does and (re)starts a daemon on it.

usage: socket-launcher.py SOCKET_PATH COMMAND [ARG...]
The socket is bound and listening before the first start and stays open until this launcher exits,
so clients can connect (and wait in the listen queue) while the daemon restarts. Each start passes
it as fd 3 with LISTEN_FDS=1 and LISTEN_PID set to the child's pid (sd_listen_fds). Commands on
stdin, one per line: "restart" (SIGTERM, wait, start again) and "stop" (SIGTERM, wait, exit). Every
child's pid and exit code are printed ("started PID", "exited CODE").
"""
import os
import signal
import socket
import subprocess
import sys


def start(cmd):
    def listen_env():
        os.environ["LISTEN_FDS"] = "1"
        os.environ["LISTEN_PID"] = str(os.getpid())  # the child's own pid: exec keeps it

    child = subprocess.Popen(cmd, preexec_fn=listen_env, close_fds=True, pass_fds=(3,))
    print("started", child.pid, flush=True)
    return child


def stop(child):
    child.send_signal(signal.SIGTERM)
    print("exited", child.wait(), flush=True)


def main():
    path, cmd = sys.argv[1], sys.argv[2:]
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(path)
    sock.listen(1024)
    if sock.fileno() != 3:
        os.dup2(sock.fileno(), 3)  # the listening socket is fd 3 here and in every child
    child = start(cmd)
    for line in sys.stdin:
        what = line.strip()
        if what == "restart":
            stop(child)
            child = start(cmd)
        elif what == "stop":
            stop(child)
            break
    sock.close()
    os.unlink(path)


if __name__ == "__main__":
    main()
