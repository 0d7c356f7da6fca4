#!/usr/bin/env python3
"""A scriptable SSH server (paramiko) for tests/interop/peers.t.

Usage: server.py MODE PORT HOST_KEY AUTHORIZED_KEY [PERIOD]

Serves one connection on 127.0.0.1:PORT with the ed25519 HOST_KEY (OpenSSH
format), lets in the public key AUTHORIZED_KEY (an id.pub line), accepts
one session with any command, runs nothing, and treats the client's global
requests (keepalive@openssh.com) according to MODE:

  failure  answer each with SSH2_MSG_REQUEST_FAILURE (paramiko's own way)
  data     answer none, but send channel data every PERIOD s (default 0.3)
  silent   answer none and send nothing: read and ignore

Prints one event a line on stdout, "<ms since the epoch> <event>":
"listening", "exec <command>" (the last packet of a silent server),
"request <name> want-reply <0|1>: failure|ignored", "data <n>", "closed".
Exits when the client goes, or after 120 s in any case.
"""

import socket
import sys
import threading
import time

import paramiko
from paramiko.common import MSG_GLOBAL_REQUEST

LIFETIME = 120
MODES = ("failure", "data", "silent")


def log(event):
    print("%d %s" % (time.time() * 1000, event), flush=True)


class Server(paramiko.ServerInterface):
    def __init__(self, allowed):
        self.allowed = allowed
        self.exec_done = threading.Event()

    def get_allowed_auths(self, username):
        return "publickey"

    def check_auth_publickey(self, username, key):
        if key.get_base64() == self.allowed:
            return paramiko.AUTH_SUCCESSFUL
        return paramiko.AUTH_FAILED

    def check_channel_request(self, kind, chanid):
        if kind == "session":
            return paramiko.OPEN_SUCCEEDED
        return paramiko.OPEN_FAILED_ADMINISTRATIVELY_PROHIBITED

    def check_channel_exec_request(self, channel, command):
        log("exec %s" % command.decode(errors="replace"))
        self.exec_done.set()
        return True

    def check_global_request(self, kind, msg):
        return False		# paramiko then sends REQUEST_FAILURE


def make_transport(sock, mode):
    """A transport whose global requests are logged, and in modes other
    than failure never answered."""
    answer = paramiko.Transport._handler_table[MSG_GLOBAL_REQUEST]

    def global_request(transport, msg):
        kind = msg.get_text()
        want_reply = msg.get_boolean()
        log("request %s want-reply %d: %s" % (kind, want_reply,
            "failure" if mode == "failure" else "ignored"))
        if mode == "failure":
            msg.rewind()
            answer(transport, msg)

    class Transport(paramiko.Transport):
        _handler_table = dict(paramiko.Transport._handler_table)
        _handler_table[MSG_GLOBAL_REQUEST] = global_request

    return Transport(sock)


def main():
    if len(sys.argv) not in (5, 6) or sys.argv[1] not in MODES:
        sys.exit(__doc__.strip())
    mode, port, host_key, authorized = sys.argv[1:5]
    period = float(sys.argv[5]) if len(sys.argv) == 6 else 0.3
    deadline = time.monotonic() + LIFETIME
    with open(authorized) as f:
        allowed = f.read().split()[1]
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", int(port)))
    listener.listen(1)
    listener.settimeout(LIFETIME)
    log("listening")
    sock, _ = listener.accept()
    listener.close()

    transport = make_transport(sock, mode)
    transport.add_server_key(paramiko.Ed25519Key(filename=host_key))
    server = Server(allowed)
    transport.start_server(server=server)
    channel = transport.accept(30)
    n = 0
    next_data = time.monotonic()
    while transport.is_active() and time.monotonic() < deadline:
        if mode == "data" and channel is not None and \
                server.exec_done.is_set() and time.monotonic() >= next_data:
            n += 1
            channel.send(b"data %d\n" % n)
            log("data %d" % n)
            next_data = time.monotonic() + period
        time.sleep(0.05)
    log("closed")
    transport.close()


if __name__ == "__main__":
    main()
