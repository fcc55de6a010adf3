"""Run by the crash test: deliver pending digests over SMTP and stop dead after the first send.

    python -m tests.crash_sender DATABASE_URL SMTP_HOST SMTP_PORT FLAG_FILE

After the SMTP server has accepted the first message, and before that is recorded, this writes
FLAG_FILE and waits; the test then kills the process with SIGKILL, as a crash or an OOM kill would.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from alerts.delivery import SmtpBackend, SmtpOptions, deliver
from alerts.models import Outbox
from config.database import make_engine
from tests.alerts_factories import delivery_options


def main() -> None:
    url, host, port, flag = sys.argv[1:5]
    engine = make_engine(url)

    def after_send(row: Outbox) -> None:
        Path(flag).write_text(str(row.id))
        time.sleep(120)  # killed here: the message is sent, its row still says 'sending'

    deliver(
        engine,
        SmtpBackend(SmtpOptions(host=host, port=int(port), security="none", timeout=10)),
        delivery_options(),
        after_send=after_send,
    )


if __name__ == "__main__":
    main()
