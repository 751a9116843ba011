"""A journal the operating system refuses to write (a file-size limit, as a full disk does):
no answer is taken as given, each refusal is told, and the journal works again after."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]

# Run in a child process: the limit would otherwise hold for the whole test run.
CHILD = textwrap.dedent(
    """
    import json, resource, signal, sys
    from pathlib import Path
    sys.path.insert(0, sys.argv[2])
    from casefactory import practice, write_case
    from casebook_player.core.case.loader import load_case
    from casebook_player.core.session.attempt import open_attempt, ResponseNotRecorded
    from casebook_player.core.session.results import Attempt, Candidate
    from casebook_player.core.session.simulate import FakeClock

    tmp = Path(sys.argv[1])
    case = load_case(write_case(tmp / "case"))
    clock = FakeClock()
    session = open_attempt(case, Attempt(Candidate("c")), practice(tmp / "journal"), clock).session
    refused = []
    session.subscribe(
        lambda n: refused.append(n.why) if isinstance(n, ResponseNotRecorded) else None
    )
    session.start()
    session.narration_reached(3.0)
    # The journal's write-ahead log is where the next record goes: it may grow no more.
    largest = Path(str(session.journal.path) + "-wal").stat().st_size
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a refused write fails, not the process
    resource.setrlimit(resource.RLIMIT_FSIZE, (largest, resource.RLIM_INFINITY))
    refused_ok = [session.respond("q-view", "B"), session.respond("q-view", "A")]
    held = session.response("q-view")
    resource.setrlimit(resource.RLIMIT_FSIZE, (resource.RLIM_INFINITY,) * 2)
    again_ok = session.respond("q-view", "B")
    session.close()
    reopened = open_attempt(case, Attempt(Candidate("c")), practice(tmp / "journal"), clock).session
    print(json.dumps({
        "refused_ok": refused_ok, "held": held, "refused": refused, "again_ok": again_ok,
        "reopened": reopened.response("q-view"),
    }))
    reopened.close()
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX")
def test_writes_the_system_refuses_leave_no_answer_and_each_is_told(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.run(
        [sys.executable, "-c", CHILD, str(tmp_path), str(ROOT / "tests")],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    seen = json.loads(run.stdout)
    assert seen["refused_ok"] == [False, False] and seen["held"] is None
    assert len(seen["refused"]) == 2
    assert all("cannot write the journal" in why for why in seen["refused"])
    assert seen["again_ok"] is True and seen["reopened"] == "B"
