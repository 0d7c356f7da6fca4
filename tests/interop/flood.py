#!/usr/bin/env python3
"""A flooding SSH client (paramiko) for tests/interop/peers.t.

Usage: flood.py PORT USER KEY GO COUNT

Logs in to 127.0.0.1:PORT as USER with the ed25519 KEY (OpenSSH format),
runs "sleep 120" in a session, then sends COUNT/4 messages (warm-up), waits
for the file GO to appear, and sends COUNT more, cycling through:

  SSH2_MSG_GLOBAL_REQUEST keepalive@openssh.com, want-reply 1
  SSH2_MSG_GLOBAL_REQUEST flood@interop.invalid, want-reply 0
  SSH2_MSG_REQUEST_SUCCESS and SSH2_MSG_REQUEST_FAILURE, unsolicited
  SSH2_MSG_CHANNEL_SUCCESS and SSH2_MSG_CHANNEL_FAILURE on the session,
  unsolicited

Then it checks that the server still serves it: a second session must run
"echo alive".  Prints "ready", "warm", "flooded N in S s", "alive" (or
"dead: why"), each on a line; waits for the server to close the connection,
or 120 s in any case.
"""

import os
import sys
import time

import paramiko
from paramiko.common import (cMSG_CHANNEL_FAILURE, cMSG_CHANNEL_SUCCESS,
                             cMSG_GLOBAL_REQUEST, cMSG_REQUEST_FAILURE,
                             cMSG_REQUEST_SUCCESS)

LIFETIME = 120


def messages(channel):
    """The cycle of messages, built once."""
    out = []
    for name, want_reply in (("keepalive@openssh.com", True),
                             ("flood@interop.invalid", False)):
        m = paramiko.Message()
        m.add_byte(cMSG_GLOBAL_REQUEST)
        m.add_string(name)
        m.add_boolean(want_reply)
        out.append(m)
    for ptype in (cMSG_REQUEST_SUCCESS, cMSG_REQUEST_FAILURE):
        m = paramiko.Message()
        m.add_byte(ptype)
        out.append(m)
    for ptype in (cMSG_CHANNEL_SUCCESS, cMSG_CHANNEL_FAILURE):
        m = paramiko.Message()
        m.add_byte(ptype)
        m.add_int(channel.remote_chanid)
        out.append(m)
    return out


def flood(transport, cycle, count):
    for i in range(count):
        transport._send_user_message(cycle[i % len(cycle)])


def alive(transport):
    """Does the server still run a command for us?"""
    try:
        channel = transport.open_session(timeout=15)
        channel.settimeout(15)
        channel.exec_command("echo alive")
        out = b""
        while not out.endswith(b"\n"):
            data = channel.recv(64)
            if not data:
                break
            out += data
        channel.close()
        return "alive" if out == b"alive\n" else "dead: got %r" % out
    except Exception as e:		# any failure is the answer
        return "dead: %s" % e


def main():
    if len(sys.argv) != 6:
        sys.exit(__doc__.strip())
    port, user, key, go, count = sys.argv[1:]
    count = int(count)
    deadline = time.monotonic() + LIFETIME
    transport = paramiko.Transport(("127.0.0.1", int(port)))
    transport.connect(username=user,
                      pkey=paramiko.Ed25519Key(filename=key))
    session = transport.open_session(timeout=15)
    session.exec_command("sleep %d" % LIFETIME)
    cycle = messages(session)
    print("ready", flush=True)
    flood(transport, cycle, count // 4)
    print("warm", flush=True)
    while not os.path.exists(go) and time.monotonic() < deadline:
        time.sleep(0.05)
    start = time.monotonic()
    flood(transport, cycle, count)
    print("flooded %d in %.1f s" % (count, time.monotonic() - start),
          flush=True)
    print(alive(transport), flush=True)
    while transport.is_active() and time.monotonic() < deadline:
        time.sleep(0.2)
    transport.close()


if __name__ == "__main__":
    main()
