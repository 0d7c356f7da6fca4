#!/usr/bin/env python3
"""A TCP relay that stops reading one side, for tests/reliability/stall.t.

Usage: stall.py LISTEN_PORT TARGET_PORT STALLED [SERVER]

Accepts one connection on 127.0.0.1:LISTEN_PORT and relays it to
127.0.0.1:TARGET_PORT.  Its sockets have small buffers (4 KiB), so that a
side the relay stops reading finds its own send queue full within a few
kilobytes.  STALLED names that side: "target" (what the relay connected
to) or "client" (what connected to the relay).

  SIGUSR1  pause: stop reading the STALLED side; the other side's bytes
           are still relayed to it (the live peer, whose messages the
           stalled side must answer)
  SIGUSR2  freeze: stop reading both sides (the peer is gone, its
           connection open)

With SERVER ("paramiko-server KEY"), the target is not a port but a
paramiko SSH server on a socket pair inside this process, for a client
under test: it lets in any public key, takes a session whose stdin it
reads and discards, and sends a global request keepalive@openssh.com
with want-reply every 0.5 s, as a server probing the client would.

Prints one event a line on stdout, "<ms since the epoch> <event>":
"listening", "connected", "paused", "relayed-after-pause <n>" (bytes of
the live side relayed to the stalled one, once a second while paused),
"frozen", "closed".  Exits when a side closes, or after 120 s.
"""

import select
import signal
import socket
import sys
import threading
import time

LIFETIME = 120
BUF = 4096


def log(event):
    print("%d %s" % (time.time() * 1000, event), flush=True)


def small(sock):
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, BUF)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, BUF)


def paramiko_server(sock, key_file):
    """A server for the client under test, on one end of a socket pair."""
    import paramiko
    from paramiko.common import cMSG_GLOBAL_REQUEST
    from paramiko.message import Message

    class Server(paramiko.ServerInterface):
        def get_allowed_auths(self, username):
            return "publickey"

        def check_auth_publickey(self, username, key):
            return paramiko.AUTH_SUCCESSFUL

        def check_channel_request(self, kind, chanid):
            if kind == "session":
                return paramiko.OPEN_SUCCEEDED
            return paramiko.OPEN_FAILED_ADMINISTRATIVELY_PROHIBITED

        def check_channel_exec_request(self, channel, command):
            return True

    t = paramiko.Transport(sock)
    # Key exchanges the legacy clients know and that need no moduli file.
    t.get_security_options().kex = ("diffie-hellman-group14-sha1",
                                    "diffie-hellman-group1-sha1")
    t.add_server_key(paramiko.RSAKey.from_private_key_file(key_file))
    t.start_server(server=Server())
    ch = t.accept(30)
    if ch is None:
        return

    def drain():
        while ch.recv(32768):
            pass

    threading.Thread(target=drain, daemon=True).start()
    # paramiko's global_request() wants a reply only when it waits for it
    while t.is_active():
        m = Message()
        m.add_byte(cMSG_GLOBAL_REQUEST)
        m.add_string("keepalive@openssh.com")
        m.add_boolean(True)
        t._send_user_message(m)
        time.sleep(0.5)


def main():
    listen_port, target_port = int(sys.argv[1]), int(sys.argv[2])
    stalled = sys.argv[3]
    if stalled not in ("target", "client"):
        sys.exit("stall.py: STALLED must be target or client, not %r" % stalled)
    state = {"paused": False, "frozen": False}

    def pause(signum, frame):
        state["paused"] = True

    def freeze(signum, frame):
        state["frozen"] = True

    signal.signal(signal.SIGUSR1, pause)
    signal.signal(signal.SIGUSR2, freeze)

    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    small(ls)
    ls.bind(("127.0.0.1", listen_port))
    ls.listen(1)
    log("listening")
    client, _ = ls.accept()
    ls.close()
    if len(sys.argv) > 4:
        target, inner = socket.socketpair()
        small(target)
        threading.Thread(target=paramiko_server, args=(inner, sys.argv[4]),
                         daemon=True).start()
    else:
        target = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        small(target)
        target.connect(("127.0.0.1", target_port))
    log("connected")
    peer = {client: target, target: client}
    pending = {client: b"", target: b""}	# bytes waiting to go to it
    stalled_sock = target if stalled == "target" else client
    relayed, last_report = 0, 0.0
    told = set()
    end = time.time() + LIFETIME
    while time.time() < end:
        for event in ("paused", "frozen"):
            if state[event] and event not in told:
                log(event)
                told.add(event)
        readers = []
        if not state["frozen"]:
            readers = [s for s in (client, target)
                       if not (state["paused"] and s is stalled_sock)
                       and len(pending[peer[s]]) < BUF]
        writers = [s for s in (client, target) if pending[s]]
        try:
            r, w, _ = select.select(readers, writers, [], 0.1)
        except InterruptedError:
            continue
        for s in w:
            n = s.send(pending[s])
            pending[s] = pending[s][n:]
        for s in r:
            data = s.recv(BUF)
            if not data:
                log("closed")
                return
            pending[peer[s]] += data
            if state["paused"] and peer[s] is stalled_sock:
                relayed += len(data)
        if state["paused"] and time.time() - last_report >= 1:
            log("relayed-after-pause %d" % relayed)
            last_report = time.time()


if __name__ == "__main__":
    main()
