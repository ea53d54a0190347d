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

from moto.s3.responses import S3Response  # noqa: E402
from moto.server import ThreadedMotoServer  # noqa: E402


def _bucket_versioning(self):
    """GetBucketVersioning as S3 answers it. moto 5.2.5 names the root element
    GetBucketVersioningResponse, where S3 (and the Rust SDK, which checks) has
    VersioningConfiguration; botocore does not look, so moto's own tests do not see it."""
    status = self.backend.get_bucket_versioning(self.bucket_name)
    inner = f"<Status>{status}</Status>" if status else ""
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">'
        f"{inner}</VersioningConfiguration>"
    )
    return 200, {"Content-Type": "application/xml"}, body


S3Response.get_bucket_versioning = _bucket_versioning

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
