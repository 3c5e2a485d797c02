"""scripts/hosts-looked-up.py: the check that an install only looked up registry hosts."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import REPO

SCRIPT = REPO / "scripts" / "hosts-looked-up.py"
# Two lines of `strace -f -e trace=sendmmsg -s 300` around glibc's getaddrinfo (A and AAAA queries).
TRACE = (
    '27608 sendmmsg(3, [{msg_hdr={msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="\\349\\1\\0\\0\\1\\0\\0\\0\\0'
    '\\0\\0\\6github\\3com\\0\\0\\1\\0\\1", iov_len=28}], msg_iovlen=1, msg_controllen=0, msg_flags=0}, msg_len=28}, '
    '{msg_hdr={msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="\\34<\\1\\0\\0\\1\\0\\0\\0\\0\\0\\0\\6github\\3com'
    '\\0\\0\\34\\0\\1", iov_len=28}], msg_iovlen=1, msg_controllen=0, msg_flags=0}, msg_len=28}], 2, '
    "MSG_NOSIGNAL) = 2\n"
    '27608 sendmmsg(3, [{msg_hdr={msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="[\\215\\1\\0\\0\\1\\0\\0\\0\\0\\0'
    '\\0\\10registry\\5npmjs\\3org\\0\\0\\1\\0\\1", iov_len=36}], msg_iovlen=1, msg_controllen=0, msg_flags=0}, '
    "msg_len=36}], 1, MSG_NOSIGNAL) = 1\n"
    "27608 sendto(18, [{nlmsg_len=20, nlmsg_type=RTM_GETLINK}], 20, 0, {sa_family=AF_NETLINK}, 12) = 20\n"
)


def run(trace: Path, *allowed: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), str(trace), *allowed], capture_output=True, text=True, timeout=60, check=False
    )


def test_lists_each_name_looked_up_with_its_count(tmp_path: Path) -> None:
    trace = tmp_path / "install.strace"
    trace.write_text(TRACE, encoding="latin-1")
    result = run(trace)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "     2 github.com\n     1 registry.npmjs.org\n"


def test_fails_on_a_host_outside_the_allowed_ones(tmp_path: Path) -> None:
    trace = tmp_path / "install.strace"
    trace.write_text(TRACE, encoding="latin-1")
    result = run(trace, "registry.npmjs.org")
    assert result.returncode == 1
    assert result.stderr == "looked up outside the allowed hosts: github.com\n"
    assert run(trace, "registry.npmjs.org", "github.com").returncode == 0
