#!/usr/bin/env python3
"""delay.py HOST PORT SECONDS [LOG]: an ssh ProxyCommand that relays stdin
and stdout to HOST:PORT over TCP, every chunk in each direction SECONDS
late (a link with a round trip of twice SECONDS), in order.  For
tests/e2e/lib.sh (scn_both_idle): on such a link ssh hears the server's
probe before the server hears the reply, so without keepalive_yield()
ssh's own deadline falls first.  With LOG, a line per chunk as ssh sees
the link: "TIME c LENGTH" when ssh sent it, "TIME s LENGTH" when it
reached ssh (TIME in s since the epoch); a capture of the TCP side would
see ssh's messages a delay late."""
import os
import socket
import sys
import threading
import time
from collections import deque


def relay(read, write, delay):
    queue = deque()
    ready = threading.Condition()
    done = []

    def sender():
        while True:
            with ready:
                while not queue and not done:
                    ready.wait()
                if not queue:
                    return
                due, data = queue.popleft()
            pause = due - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            try:
                write(data)
            except OSError:
                os._exit(0)

    t = threading.Thread(target=sender, daemon=True)
    t.start()
    while True:
        try:
            data = read()
        except OSError:
            data = b""
        with ready:
            if not data:
                done.append(1)
            else:
                queue.append((time.monotonic() + delay, data))
            ready.notify()
        if not data:
            break
    t.join()


def main():
    if len(sys.argv) not in (4, 5):
        sys.exit("usage: delay.py HOST PORT SECONDS [LOG]")
    host, port, delay = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    log = open(sys.argv[4], "a", encoding="ascii") if len(sys.argv) == 5 \
        else None
    log_lock = threading.Lock()

    def note(side, data):
        if log is not None and data:
            with log_lock:
                log.write("%.6f %s %d\n" % (time.time(), side, len(data)))
                log.flush()

    def read_in():
        data = os.read(0, 65536)
        note("c", data)
        return data
    sock = socket.create_connection((host, port))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    out = sys.stdout.buffer

    def write_out(data):
        note("s", data)		# before ssh can read it, and answer
        out.write(data)
        out.flush()

    up = threading.Thread(
        target=relay, args=(read_in, sock.sendall, delay), daemon=True)
    up.start()
    relay(lambda: sock.recv(65536), write_out, delay)
    os._exit(0)


if __name__ == "__main__":
    main()
