#!/usr/bin/env python3
"""A client that sends replies nobody asked for (paramiko), for
tests/reliability/unsolicited.t.

Usage: unsolicited.py PORT KEY

Logs in to 127.0.0.1:PORT as the current user with the RSA private KEY
(legacy servers: ssh-rsa signatures), runs "sleep 3" in a session and,
while it runs, sends SSH2_MSG_CHANNEL_SUCCESS on that channel and
SSH2_MSG_REQUEST_SUCCESS: replies to requests the server never sent.
Prints "sent" once both are written, then waits for the command to end.
"""

import getpass
import sys
import time

import paramiko
from paramiko.common import cMSG_CHANNEL_SUCCESS, cMSG_REQUEST_SUCCESS
from paramiko.message import Message


def main():
    port, key = int(sys.argv[1]), sys.argv[2]
    t = paramiko.Transport(
        ("127.0.0.1", port),
        disabled_algorithms={"pubkeys": ["rsa-sha2-512", "rsa-sha2-256"]})
    t.connect()
    t.auth_publickey(getpass.getuser(),
                     paramiko.RSAKey.from_private_key_file(key))
    ch = t.open_session()
    ch.exec_command("sleep 3")
    time.sleep(0.5)
    m = Message()
    m.add_byte(cMSG_CHANNEL_SUCCESS)
    m.add_int(ch.remote_chanid)
    t._send_user_message(m)
    m = Message()
    m.add_byte(cMSG_REQUEST_SUCCESS)
    t._send_user_message(m)
    time.sleep(1.0)
    print("sent", flush=True)
    ch.recv_exit_status()
    t.close()


if __name__ == "__main__":
    main()
