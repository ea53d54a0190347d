"""Run moto's server on a free loopback port for as long as standard input stays open.

Prints the port on the first line of standard output once the server accepts requests.
The test harness (and scripts/demo) hold the write end of this process's standard input:
when they exit, for whatever reason, the read below returns and the server stops, so no
emulator is ever left running.
"""

import logging
import os
import sys

os.environ.setdefault("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
os.environ.setdefault("MOTO_EC2_LOAD_DEFAULT_AMIS", "false")

from moto.server import ThreadedMotoServer  # noqa: E402

# One access-log line per request drowns the test output.
logging.getLogger("werkzeug").setLevel(logging.ERROR)

server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
server.start()
_, port = server.get_host_and_port()
print(port, flush=True)
try:
    sys.stdin.read()
finally:
    server.stop()
