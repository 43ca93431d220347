#!/usr/bin/python3
"""jasyncio peer benchmark harness.

Builds and starts every peer program, runs the workloads of shared/BENCHMARKS.md that exist
(W1, W2, W3, W4, W8), prints one table per figure, writes docs/benchmarks.md and one PNG chart
per figure into docs/benchmarks/. Run it through `benchmarks/harness/run` (or `bin/jasyncio bench`).

Protocol with the peer programs: sizes come as command-line arguments; a program prints one line
`RESULT <number>`. Peak RSS is taken by the harness from the child's rusage (wait4), the same way
for every peer. Servers bind 127.0.0.1 only and print `LISTENING` once bound.
"""
import argparse
import atexit
import datetime
import glob
import hashlib
import json
import math
import os
import platform
import re
import shlex
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
PEERS = os.path.join(HERE, "peers")
TARGET = os.path.join(HERE, "target")
PYTHON = "/usr/bin/python3"
NETTY_VERSION = "4.2.18.Final"
NETTY_ARTIFACTS = [
    "netty-common", "netty-buffer", "netty-resolver", "netty-transport",
    "netty-transport-native-unix-common", "netty-transport-classes-epoll",
    "netty-transport-native-epoll:jar:linux-x86_64",
]
JASYNCIO_JAR = os.path.join(ROOT, "jasyncio-core", "target", "jasyncio-core-0.1.0-SNAPSHOT.jar")
JASYNCIO_COPY = os.path.join(TARGET, "lib", "jasyncio-core.jar")
JVM_FLAGS = ["-Xmx2g"]
# Compiled next to every Java peer program: the warm-up rounds, counted or timed ("5s").
WARMUP_JAVA = os.path.join(PEERS, "common", "Warmup.java")
WORKLOADS = ["W1", "W2", "W3", "W4", "W8"]

SIZES = {
    "full": {
        # warmup: rounds for the Python peers; jvm_warmup: what the JVM peers get instead,
        # BENCHMARKS.md's "5 s of warm-up" (W4 gets it as load; W3 keeps one round, since its
        # memory figure comes from a cold run and a round is a second of sleep).
        "W1": {"n": 100_000, "warmup": 2, "jvm_warmup": "5s"},
        "W2": {"n": 200_000, "warmup": 1, "jvm_warmup": "5s"},
        "W3": {"n": 100_000, "seconds": 1.0, "warmup": 1},
        "W4": {"conns": 64, "size": 100, "warmup": 5.0, "seconds": 10.0},
        "W8": {"files": 2000, "size": 65536, "warmup": 1, "jvm_warmup": "5s"},
    },
    "smoke": {
        "W1": {"n": 2000, "warmup": 0},
        "W2": {"n": 2000, "warmup": 0},
        "W3": {"n": 2000, "seconds": 0.2, "warmup": 0},
        "W4": {"conns": 64, "size": 100, "warmup": 0.3, "seconds": 1.0},
        "W8": {"files": 100, "size": 65536, "warmup": 0},
    },
}

# Figures: id -> (workload, title, unit, better)
FIGURES = {
    "W1": ("W1", "W1 spawn: 100,000 tasks returning an int, await all", "µs per task", "lower"),
    "W2": ("W2", "W2 switch: ping-pong through two 1-slot queues", "ns per one-way hop", "lower"),
    "W3": ("W3", "W3 sleepers: 100,000 tasks sleep 1.0 s concurrently", "s of wall time over 1.0 s", "lower"),
    "W3-rss": ("W3", "W3 sleepers: memory per suspended task", "bytes per task (peak RSS − empty run's)", "lower"),
    "W4": ("W4", "W4 TCP echo: 64 connections, 100-byte round trips", "round trips per second", "higher"),
    "W4-cpu": ("W4", "W4 TCP echo: the server's CPU per round trip",
               "µs of server CPU (user + kernel) per round trip", "lower"),
    "W4-user": ("W4", "W4 TCP echo: the server's user-space CPU per round trip",
                "µs of server user-space CPU per round trip", "lower"),
    "W8": ("W8", "W8 files: SHA-256 of 2,000 × 64 KiB files, at most 64 open", "files per second", "higher"),
}

# Anchors from shared/BENCHMARKS.md: figure -> peer -> (low, high)
ANCHORS = {
    "W1": {"asyncio": (7.2, 7.2), "uvloop": (5.9, 5.9), "virtual threads": (1.5, 2.0)},
    "W2": {"asyncio": (2540, 2540), "uvloop": (1870, 1870), "virtual threads": (490, 1030)},
    "W3": {"asyncio": (0.19, 0.19), "uvloop": (0.35, 0.35), "virtual threads": (0.07, 0.6)},
    "W3-rss": {"asyncio": (1300, 1300), "uvloop": (1600, 1600), "virtual threads": (1900, 1900)},
    "W4": {"asyncio": (103_000, 103_000), "uvloop": (84_000, 120_000), "virtual threads": (131_000, 131_000)},
    "W8": {"asyncio": (4200, 4900), "uvloop": (4700, 5700), "virtual threads": (7600, 21_000)},
}

# Peers per workload, in table order. kind: py (loop name), java (plain virtual threads),
# netty, jasyncio.
PEER_TABLE = {
    "W1": ["jasyncio", "asyncio", "uvloop", "trio", "virtual threads"],
    "W2": ["jasyncio", "asyncio", "uvloop", "trio", "virtual threads"],
    "W3": ["jasyncio", "asyncio", "uvloop", "trio", "virtual threads"],
    "W4": ["jasyncio", "jasyncio (loop group)", "asyncio", "uvloop", "virtual threads", "netty"],
    "W8": ["jasyncio", "asyncio", "uvloop", "virtual threads"],
}
PEER_LABEL = {
    "asyncio": "asyncio (Python 3.11, default loop)",
    "uvloop": "uvloop",
    "trio": "trio",
    "virtual threads": "Java 25 virtual threads",
    "netty": "Netty " + NETTY_VERSION,
    "jasyncio": "jasyncio",
    "jasyncio (loop group)": "jasyncio, loop group (one loop per core)",
}
JASYNCIO_FILES = {"W1": "W1.java", "W2": "W2.java", "W3": "W3.java", "W4": "W4Server.java", "W8": "W8.java"}
PY_FILES = {"W1": "w1.py", "W2": "w2.py", "W3": "w3.py", "W4": "w4_server.py", "W8": "w8.py"}
JAVA_CLASSES = {"W1": "W1", "W2": "W2", "W3": "W3", "W4": "W4Server", "W8": "W8"}

LIVE = {}  # pid -> Popen, every child still running (each leads its own process group)


class PeerFailed(Exception):
    pass


# --------------------------------------------------------------------------- processes

def kill_group(pid, sig=signal.SIGKILL):
    try:
        os.killpg(pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def cleanup():
    for pid in list(LIVE):
        kill_group(pid)
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            pass
        LIVE.pop(pid, None)


def child_env(extra=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "PYENV", "VIRTUAL_ENV"))}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env["LC_ALL"] = "C.UTF-8"
    if extra:
        env.update(extra)
    return env


def spawn(cmd, out, err, env=None, cwd=None):
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=err, cwd=cwd,
                         env=env or child_env(), start_new_session=True)
    LIVE[p.pid] = p
    return p


def alive(p):
    """True while p runs (not yet exited); never reaps it, so reap() still gets its rusage."""
    try:
        with open(f"/proc/{p.pid}/stat") as f:
            return f.read().rpartition(")")[2].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def reap(p, timeout):
    """Wait for p (polling wait4) at most timeout seconds, then kill its group.
    Returns (exit code, peak RSS in kB, timed out?)."""
    deadline = time.monotonic() + timeout
    timed_out = False
    while True:
        try:
            pid, status, ru = os.wait4(p.pid, os.WNOHANG)
        except ChildProcessError:  # reaped elsewhere: no rusage to report
            LIVE.pop(p.pid, None)
            return -1, 0, False
        if pid:
            break
        if time.monotonic() > deadline:
            timed_out = True
            kill_group(p.pid)
            pid, status, ru = os.wait4(p.pid, 0)
            break
        time.sleep(0.01)
    kill_group(p.pid)  # leftovers of the group, if any
    LIVE.pop(p.pid, None)
    p.returncode = os.waitstatus_to_exitcode(status)
    return p.returncode, ru.ru_maxrss, timed_out


def proc_cpu(pid):
    """(user, kernel) CPU seconds a running process has used, all its threads; None if gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rpartition(")")[2].split()
        hz = os.sysconf("SC_CLK_TCK")
        return int(fields[11]) / hz, int(fields[12]) / hz  # utime, stime (fields 14 and 15)
    except (OSError, IndexError, ValueError):
        return None


def run_child(cmd, timeout, env=None, cwd=None):
    """Run cmd to completion; returns (rc, stdout, stderr, peak RSS kB, timed out)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        p = spawn(cmd, out, err, env=env, cwd=cwd)
        rc, rss, timed_out = reap(p, timeout)
        out.seek(0)
        err.seek(0)
        return rc, out.read().decode(errors="replace"), err.read().decode(errors="replace"), rss, timed_out


def parse_result(rc, out, err, timed_out, what):
    if timed_out:
        raise PeerFailed(f"{what}: timed out")
    m = None
    for line in out.splitlines():
        mm = re.match(r"^RESULT\s+(\S+)\s*$", line.strip())
        if mm:
            m = mm
    if rc != 0 or not m:
        tail = (err.strip().splitlines() or out.strip().splitlines() or ["(no output)"])[-3:]
        raise PeerFailed(f"{what}: exit {rc}, no RESULT; " + " | ".join(tail))
    value = float(m.group(1))
    if not math.isfinite(value):
        raise PeerFailed(f"{what}: RESULT {m.group(1)} is not a number")
    return value


def sh(cmd, timeout=900, cwd=None, env=None):
    """Run a setup command; returns (ok, combined output)."""
    rc, out, err, _, timed_out = run_child(cmd, timeout, env=env, cwd=cwd)
    return rc == 0 and not timed_out, out + err


# --------------------------------------------------------------------------- setup

def log(msg=""):
    print(msg, flush=True)


def find_jdk():
    cands = [os.environ.get("JAVA_HOME"), "/usr/lib/jvm/temurin-25-jdk-amd64"] + sorted(glob.glob("/usr/lib/jvm/*"))
    for home in cands:
        if not home or not os.path.exists(os.path.join(home, "bin", "javac")):
            continue
        version = ""
        try:
            with open(os.path.join(home, "release")) as f:
                m = re.search(r'JAVA_VERSION="(\d+)', f.read())
                version = m.group(1) if m else ""
        except OSError:
            pass
        if version.isdigit() and int(version) >= 25:
            return home
    sys.exit("harness: no JDK 25 found (set JAVA_HOME to a JDK 25; looked in /usr/lib/jvm)")


def py_has(module):
    return subprocess.run([PYTHON, "-c", f"import {module}"], env=child_env(),
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0


def ensure_debian_packages(wanted):
    """wanted: {python module: Debian package}. Installs the missing ones with apt-get."""
    missing = sorted({pkg for mod, pkg in wanted.items() if not py_has(mod)})
    if not missing:
        return
    if not shutil.which("apt-get"):
        log(f"harness: cannot install {missing}: no apt-get")
        return
    log(f"harness: installing Debian packages {' '.join(missing)}")
    env = child_env({"DEBIAN_FRONTEND": "noninteractive"})
    cmd = ["apt-get", "install", "-y", "-q", "--no-install-recommends"] + missing
    ok, out = sh(cmd, env=env)
    if not ok:
        log("harness: apt-get install failed; running apt-get update and retrying")
        sh(["apt-get", "update", "-q"], env=env)
        ok, out = sh(cmd, env=env)
    if not ok:
        log("harness: apt-get install failed:\n" + out[-2000:])


def javac(jdk, sources, out_dir, classpath=None):
    os.makedirs(out_dir, exist_ok=True)
    cmd = [os.path.join(jdk, "bin", "javac"), "-nowarn", "-d", out_dir]
    if classpath:
        cmd += ["-cp", classpath]
    return sh(cmd + sources, timeout=300)


def ensure_netty(jdk):
    lib = os.path.join(TARGET, "lib")
    os.makedirs(lib, exist_ok=True)
    env = child_env({"JAVA_HOME": jdk})
    for art in NETTY_ARTIFACTS:
        name, _, classifier = art.partition(":jar:")
        jar = f"{name}-{NETTY_VERSION}" + (f"-{classifier}" if classifier else "") + ".jar"
        if os.path.exists(os.path.join(lib, jar)):
            continue
        coord = f"io.netty:{name}:{NETTY_VERSION}" + (f":jar:{classifier}" if classifier else "")
        log(f"harness: fetching {coord}")
        ok, out = sh(["mvn", "-B", "-q", "dependency:copy", f"-Dartifact={coord}", f"-DoutputDirectory={lib}"],
                     env=env, timeout=600)
        if not ok:
            return None, "mvn dependency:copy failed: " + out.strip()[-300:]
    return os.pathsep.join(sorted(glob.glob(os.path.join(lib, f"*-{NETTY_VERSION}*.jar")))), None


class Setup:
    """What the selected workloads need, built once per harness run."""

    def __init__(self, workloads, smoke):
        self.jdk = find_jdk()
        self.java = os.path.join(self.jdk, "bin", "java")
        self.unavailable = {}  # peer kind -> reason (applies to every workload)
        self.jasyncio = {}     # workload -> (classes dir or None, reason)
        log(f"harness: JDK {self.jdk}")
        wanted = {"uvloop": "python3-uvloop", "trio": "python3-trio", "matplotlib": "python3-matplotlib"}
        if "W8" in workloads:
            wanted["aiofiles"] = "python3-aiofiles"
        ensure_debian_packages(wanted)
        for mod in ("uvloop", "trio", "aiofiles"):
            if not py_has(mod):
                self.unavailable[mod] = f"python module {mod} missing (apt-get install failed)"

        cls = os.path.join(TARGET, "classes")
        ok, out = javac(self.jdk, sorted(glob.glob(os.path.join(PEERS, "java", "*.java"))) + [WARMUP_JAVA],
                         os.path.join(cls, "java"))
        if not ok:
            self.unavailable["virtual threads"] = "javac failed: " + out.strip()[-300:]
        if "W4" in workloads:
            ok, out = javac(self.jdk, [os.path.join(HERE, "loadgen", "EchoLoad.java")], os.path.join(cls, "loadgen"))
            if not ok:
                sys.exit("harness: the W4 load generator does not compile:\n" + out)
            self.netty_cp, reason = ensure_netty(self.jdk)
            if not reason:
                ok, out = javac(self.jdk, [os.path.join(PEERS, "netty", "NettyEcho.java")],
                                os.path.join(cls, "netty"), self.netty_cp)
                reason = None if ok else "javac failed: " + out.strip()[-300:]
            if reason:
                self.unavailable["netty"] = reason
        self.setup_jasyncio(workloads)

    def setup_jasyncio(self, workloads):
        present = {w: os.path.join(PEERS, "jasyncio", JASYNCIO_FILES[w]) for w in workloads}
        present = {w: p for w, p in present.items() if os.path.exists(p)}
        for w in workloads:
            if w not in present:
                self.jasyncio[w] = (None, f"not available yet (no peers/jasyncio/{JASYNCIO_FILES[w]})")
        if not present:
            return
        if not os.path.exists(os.path.join(ROOT, "jasyncio-core", "pom.xml")):
            for w in present:
                self.jasyncio[w] = (None, "unavailable (build failed: no jasyncio-core module in this checkout)")
            return
        if self.jar_is_fresh():
            log("harness: jasyncio-core jar is newer than its sources and poms; not rebuilding")
            ok, out = True, "jar up to date\n"
        else:
            ok, out = self.build_core()
        os.makedirs(TARGET, exist_ok=True)
        with open(os.path.join(TARGET, "jasyncio-build.log"), "w") as f:
            f.write(out)
        if not ok or not os.path.exists(JASYNCIO_JAR):
            for w in present:
                self.jasyncio[w] = (None, "unavailable (build failed; see benchmarks/harness/target/jasyncio-build.log)")
            return
        # A private copy, so a concurrent `mvn clean` in the work tree cannot pull it away mid-run.
        os.makedirs(os.path.join(TARGET, "lib"), exist_ok=True)
        shutil.copy2(JASYNCIO_JAR, JASYNCIO_COPY)
        self.compile_jasyncio(present)

    @staticmethod
    def jar_is_fresh():
        if not os.path.exists(JASYNCIO_JAR):
            return False
        built = os.path.getmtime(JASYNCIO_JAR)
        inputs = [os.path.join(ROOT, "pom.xml"), os.path.join(ROOT, "jasyncio-core", "pom.xml")]
        for d, _, files in os.walk(os.path.join(ROOT, "jasyncio-core", "src", "main")):
            inputs += [os.path.join(d, f) for f in files]
        return all(os.path.getmtime(p) < built for p in inputs if os.path.exists(p))

    def build_core(self):
        log("harness: building jasyncio-core (mvn -q -B -DskipTests -pl jasyncio-core -am install, lint skipped)")
        # Lint and doc plugins are skipped: a formatting slip must not hide the benchmark.
        ok, out = sh(["mvn", "-q", "-B", "-DskipTests", "-Dspotless.check.skip=true", "-Dcheckstyle.skip=true",
                      "-Dmaven.javadoc.skip=true", "-pl", "jasyncio-core", "-am", "install"],
                     cwd=ROOT, env=child_env({"JAVA_HOME": self.jdk}), timeout=900)
        return ok, out

    def compile_jasyncio(self, present):
        for w, src in present.items():
            out_dir = os.path.join(TARGET, "classes", "jasyncio", w)
            shutil.rmtree(out_dir, ignore_errors=True)
            ok, out = javac(self.jdk, [src, WARMUP_JAVA], out_dir, JASYNCIO_COPY)
            if ok:
                self.jasyncio[w] = (out_dir, None)
            else:
                first = next((l for l in out.splitlines() if "error:" in l), out.strip()[-200:])
                self.jasyncio[w] = (None, f"unavailable (peers/jasyncio/{JASYNCIO_FILES[w]} does not compile "
                                          f"against jasyncio-core: {first.strip()})")

    def peer_status(self, workload, peer):
        """None if the peer can run, else (reason, fatal_in_smoke)."""
        if peer.startswith("jasyncio"):
            cls, reason = self.jasyncio.get(workload, (None, "not available yet"))
            return None if cls else (reason, False)
        need = {"uvloop": "uvloop", "trio": "trio", "virtual threads": "virtual threads", "netty": "netty"}.get(peer)
        if need in self.unavailable:
            return self.unavailable[need], True
        if workload == "W8" and peer in ("asyncio", "uvloop") and "aiofiles" in self.unavailable:
            return self.unavailable["aiofiles"], True
        return None

    def command(self, workload, peer, args):
        """The peer's command line for a workload, args being the workload's arguments."""
        args = [str(a) for a in args]
        if peer in ("asyncio", "uvloop", "trio"):
            return [PYTHON, os.path.join(PEERS, "python", PY_FILES[workload]), peer] + args
        if peer == "virtual threads":
            return [self.java] + JVM_FLAGS + ["-cp", os.path.join(TARGET, "classes", "java"), JAVA_CLASSES[workload]] + args
        if peer == "netty":
            cp = os.pathsep.join([os.path.join(TARGET, "classes", "netty"), self.netty_cp])
            return [self.java] + JVM_FLAGS + ["--enable-native-access=ALL-UNNAMED", "-cp", cp, "NettyEcho"] + args
        if peer.startswith("jasyncio"):
            cp = os.pathsep.join([self.jasyncio[workload][0], JASYNCIO_COPY])
            group = ["group"] if peer == "jasyncio (loop group)" else []
            return [self.java] + JVM_FLAGS + ["-cp", cp, jasyncio_class(workload)] + args + group
        raise ValueError(peer)


def jasyncio_class(workload):
    return JASYNCIO_FILES[workload][:-len(".java")]


# --------------------------------------------------------------------------- workloads

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_listening(p, port, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not alive(p):
            return False
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.05)
    return False


class Runner:
    def __init__(self, setup, mode, tmp):
        self.setup = setup
        self.sizes = SIZES[mode]
        self.tmp = tmp
        self.w8_dir = None
        self.w8_expected = None
        self.commands = {}  # (figure, peer) -> command string

    def note_cmd(self, workload, peer, cmd):
        line = " ".join(shlex.quote(c) for c in cmd)
        # shown relative to the repository root, with the JDK as $JAVA_HOME
        line = line.replace(self.setup.jdk + "/", "$JAVA_HOME/").replace(ROOT + "/", "")
        seen = self.commands.setdefault((workload, peer), [])
        if line not in seen:
            seen.append(line)

    def run(self, workload, peer):
        """One run of one peer on one workload -> {figure: value}, plus 'rss' (peak RSS kB) and
        optionally 'detail' (a line for the log)."""
        return getattr(self, "run_" + workload)(peer)

    def simple(self, workload, peer, args, timeout):
        cmd = self.setup.command(workload, peer, args)
        self.note_cmd(workload, peer, cmd)
        rc, out, err, rss, to = run_child(cmd, timeout)
        return parse_result(rc, out, err, to, f"{workload} {peer}"), rss

    @staticmethod
    def warmup(sizes, peer):
        """The warm-up argument for a peer: the JVM peers' own, when the workload has one."""
        if peer in ("asyncio", "uvloop", "trio"):
            return sizes["warmup"]
        return sizes.get("jvm_warmup", sizes["warmup"])

    def run_W1(self, peer):
        s = self.sizes["W1"]
        v, rss = self.simple("W1", peer, [s["n"], self.warmup(s, peer)], 180)
        return {"W1": v, "rss": rss}

    def run_W2(self, peer):
        s = self.sizes["W2"]
        v, rss = self.simple("W2", peer, [s["n"], self.warmup(s, peer)], 180)
        return {"W2": v, "rss": rss}

    def run_W3(self, peer):
        s = self.sizes["W3"]
        # Memory from a cold run (no warm-up round whose garbage a JVM may still hold at the peak),
        # minus an empty run's; the time from a run after one warm-up round, when warmup > 0.
        _, empty_rss = self.simple("W3", peer, [0, s["seconds"], 0], 60)
        v, rss = self.simple("W3", peer, [s["n"], s["seconds"], 0], 180)
        if s["warmup"]:
            v, _ = self.simple("W3", peer, [s["n"], s["seconds"], s["warmup"]], 180)
        return {"W3": v, "W3-rss": (rss - empty_rss) * 1024.0 / s["n"], "rss": rss}

    def run_W4(self, peer):
        s = self.sizes["W4"]
        port = free_port()
        cmd = self.setup.command("W4", peer, [port])
        self.note_cmd("W4", peer, ["PORT" if c == str(port) else c for c in cmd])
        load = [self.setup.java, "-Xmx1g", "-cp", os.path.join(TARGET, "classes", "loadgen"), "EchoLoad",
                str(port), str(s["conns"]), str(s["size"]), str(s["warmup"]), str(s["seconds"])]
        self.note_cmd("W4", "load generator", ["PORT" if c == str(port) else c for c in load])
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            server = spawn(cmd, out, err)
            ok = False
            try:
                if not wait_listening(server, port):
                    raise PeerFailed(f"W4 {peer}: server did not listen on 127.0.0.1:{port}")
                rc, lout, lerr, to, cpu = self.load_with_cpu(load, server, s)
                if not alive(server):
                    raise PeerFailed(f"W4 {peer}: server exited during the run")
                v = parse_result(rc, lout, lerr, to, f"W4 load generator against {peer}")
                if v <= 0:
                    raise PeerFailed(f"W4 {peer}: no round trips in the measured window")
                if cpu is None:
                    raise PeerFailed(f"W4 {peer}: could not read the server's CPU time from /proc")
                ok = True
            finally:
                kill_group(server.pid, signal.SIGTERM)
                _, rss, _ = reap(server, 5)
                if not ok:
                    err.seek(0)
                    tail = err.read().decode(errors="replace").strip().splitlines()[-3:]
                    if tail:
                        log("    server stderr: " + " | ".join(tail))
        (su, ss), (lu, ls) = cpu
        detail = (f"server {su + ss:.2f} cores (user {su:.2f}, kernel {ss:.2f}), "
                  f"load generator {lu + ls:.2f} (user {lu:.2f}, kernel {ls:.2f})")
        return {"W4": v, "W4-cpu": (su + ss) * 1e6 / v, "W4-user": su * 1e6 / v, "rss": rss, "detail": detail}

    @staticmethod
    def load_with_cpu(load, server, s):
        """Runs the load generator to completion, sampling the CPU time the server and the load
        generator use inside its measured window (from /proc/PID/stat, all threads). Returns
        (rc, stdout, stderr, timed out, ((server user, kernel), (load user, kernel)) in cores, or
        None if /proc could not be read)."""
        margin = min(0.5, s["seconds"] / 4)

        def wait_while_both_run(seconds):
            end = time.monotonic() + seconds
            while time.monotonic() < end and alive(p) and alive(server):
                time.sleep(min(0.1, max(0.0, end - time.monotonic())))
            return alive(p) and alive(server)

        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            p = spawn(load, out, err)
            cpu = None
            finished = False
            try:
                # JVM start plus the generator's warm-up, and then some; a side that exits early
                # ends the wait (the caller reports it)
                if wait_while_both_run(s["warmup"] + margin):
                    a = (proc_cpu(server.pid), proc_cpu(p.pid), time.monotonic())
                    if wait_while_both_run(s["seconds"] - 2 * margin):
                        b = (proc_cpu(server.pid), proc_cpu(p.pid), time.monotonic())
                        if None not in a[:2] + b[:2]:
                            wall = b[2] - a[2]
                            cpu = tuple(tuple((y - x) / wall for x, y in zip(a[i], b[i])) for i in range(2))
                finished = True
            finally:
                if not finished:  # interrupted (Ctrl-C, SIGTERM): stop the generator now, not at its end
                    kill_group(p.pid)
                rc, _, timed_out = reap(p, s["warmup"] + s["seconds"] + 40)
            out.seek(0)
            err.seek(0)
            return rc, out.read().decode(errors="replace"), err.read().decode(errors="replace"), timed_out, cpu

    def make_w8_files(self):
        if self.w8_dir:
            return
        s = self.sizes["W8"]
        self.w8_dir = os.path.join(self.tmp, "w8-files")
        os.makedirs(self.w8_dir)
        lines = []
        for i in range(s["files"]):
            name = f"f{i:05d}.bin"
            data = os.urandom(s["size"])
            with open(os.path.join(self.w8_dir, name), "wb") as f:
                f.write(data)
            lines.append(f"{name} {hashlib.sha256(data).hexdigest()}\n")
        self.w8_expected = "".join(lines)
        log(f"harness: W8 generated {s['files']} files of {s['size']} bytes in {self.w8_dir}")

    def run_W8(self, peer):
        self.make_w8_files()
        s = self.sizes["W8"]
        summary = os.path.join(self.tmp, "w8-summary-" + peer.replace(" ", "-") + ".txt")
        if os.path.exists(summary):
            os.remove(summary)
        v, rss = self.simple("W8", peer, [self.w8_dir, summary, self.warmup(s, peer)], 300)
        with open(summary) as f:
            if f.read() != self.w8_expected:
                raise PeerFailed(f"W8 {peer}: summary file does not match the expected names and hashes")
        return {"W8": v, "rss": rss}


# --------------------------------------------------------------------------- reporting

class ForeignLoad:
    """CPU used by processes other than the harness and its children while a workload ran:
    busy time from /proc/stat minus our own rusage. On a shared machine this says how much the
    figures were disturbed."""

    def __init__(self):
        self.start = self.sample()

    @staticmethod
    def sample():
        import resource
        busy = 0.0
        try:
            with open("/proc/stat") as f:
                v = [int(x) for x in f.readline().split()[1:]]
            busy = (sum(v[:8]) - v[3] - v[4]) / os.sysconf("SC_CLK_TCK")  # all but idle and iowait
        except (OSError, ValueError, IndexError):
            pass
        own = 0.0
        for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
            ru = resource.getrusage(who)
            own += ru.ru_utime + ru.ru_stime
        return time.monotonic(), busy, own

    def cores(self):
        t1, b1, o1 = self.sample()
        t0, b0, o0 = self.start
        return max(0.0, ((b1 - b0) - (o1 - o0)) / max(t1 - t0, 1e-9))


def fmt(v):
    if v is None:
        return "—"
    a = abs(v)
    if a >= 1000:
        return f"{v:,.0f}"
    if a >= 100:
        return f"{v:.0f}"
    if a >= 10:
        return f"{v:.1f}"
    if a >= 1:
        return f"{v:.2f}"
    return f"{v:.3f}"


def summarize(values):
    return statistics.median(values), min(values), max(values)


def anchor_check(fig, peer, median):
    lo_hi = ANCHORS.get(fig, {}).get(peer)
    if not lo_hi or median is None:
        return "", ""
    lo, hi = lo_hi
    text = fmt(lo) if lo == hi else f"{fmt(lo)}–{fmt(hi)}"
    if lo / 1.5 <= median <= hi * 1.5:
        return text, "within 1.5×"
    factor = median / hi if median > hi else lo / median if median > 0 else float("inf")
    return text, f"OFF by {factor:.1f}×"


def table_rows(fig, rec, full):
    """Rows for one figure: [peer, median, min–max, ratio, peak RSS, anchor, check]."""
    peers = rec["peers"]
    jas = peers.get("jasyncio", {})
    jas_med = statistics.median(jas["values"]) if jas.get("values") else None
    grp = peers.get("jasyncio (loop group)", {})
    grp_med = statistics.median(grp["values"]) if grp.get("values") else None
    rows = []
    for peer, p in peers.items():
        label = PEER_LABEL.get(peer, peer)
        if not p.get("values"):
            rows.append([label, "—", "", "", "", "", "", p.get("status", "no number")])
            continue
        med, lo, hi = summarize(p["values"])
        ratio = "—" if peer == "jasyncio" or jas_med is None or med == 0 else f"{jas_med / med:.2f}"
        if grp_med is not None and med > 0 and peer != "jasyncio (loop group)":
            # the loop group's own ratio, beside the one loop's (W4 targets both)
            ratio = (ratio + " · " if peer != "jasyncio" else "") + f"group {grp_med / med:.2f}"
        rss = f"{statistics.median(p['rss']) / 1024:.0f} MB" if p.get("rss") else ""
        anchor, check = anchor_check(fig, peer, med) if full else ("", "")
        note = f" ({p['status']})" if p.get("status") not in (None, "ok") else ""
        rows.append([label, fmt(med) + note, f"{fmt(lo)}–{fmt(hi)}", ratio, rss, anchor, check, None])
    return rows


HEAD = ["peer", "median", "min–max", "jasyncio/peer", "peak RSS", "anchor", "vs anchor"]


def print_table(fig, rec, full):
    _, title, unit, better = FIGURES[fig]
    all_rows = table_rows(fig, rec, full)
    cols = HEAD if full else HEAD[:5]
    rows = [r[:len(cols)] for r in all_rows]
    widths = [max(len(str(x)) for x in col) for col in zip(cols, *rows)]
    log(f"\n{title} — {unit}, {better} is better, {rec['runs']} run(s)")
    log("  " + "  ".join(c.ljust(w) for c, w in zip(cols, widths)))
    log("  " + "  ".join("-" * w for w in widths))
    for r, full_row in zip(rows, all_rows):
        if full_row[-1]:
            log("  " + r[0].ljust(widths[0]) + "  " + full_row[-1])
        else:
            log(("  " + "  ".join(str(x).ljust(w) for x, w in zip(r, widths))).rstrip())


def machine_description(jdk):
    model, flags = "unknown", ""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name") and model == "unknown":
                    model = line.split(":", 1)[1].strip()
    except OSError:
        pass

    def out(cmd):
        try:
            r = subprocess.run(cmd, capture_output=True, text=True, timeout=30, env=child_env())
            return (r.stdout + r.stderr).strip()
        except Exception:
            return "?"

    pkgs = out(["dpkg-query", "-W", "-f", "${Package} ${Version}\\n", "python3", "python3-uvloop", "python3-trio",
                "python3-aiofiles"])
    return {
        "cpu": model,
        "nproc": out(["nproc"]),
        "memory": subprocess.run(["free", "-h"], capture_output=True, text=True).stdout.rstrip(),
        "kernel": platform.release(),
        "os": out(["sh", "-c", ". /etc/os-release && echo \"$PRETTY_NAME\""]),
        "java": out([os.path.join(jdk, "bin", "java"), "-version"]).splitlines()[0:2],
        "python": out([PYTHON, "--version"]),
        "packages": pkgs,
        "netty": NETTY_VERSION,
    }


def render_chart(fig, rec, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    _, title, unit, better = FIGURES[fig]
    names, meds, los, his, colors = [], [], [], [], []
    for peer, p in rec["peers"].items():
        if not p.get("values"):
            continue
        med, lo, hi = summarize(p["values"])
        names.append(PEER_LABEL.get(peer, peer))
        meds.append(med)
        los.append(med - lo)
        his.append(hi - med)
        colors.append("#d62728" if peer.startswith("jasyncio") else "#1f77b4")
    if not names:
        return False
    h = 1.2 + 0.5 * len(names)
    figure, ax = plt.subplots(figsize=(8, h))
    y = list(range(len(names)))[::-1]
    ax.barh(y, meds, xerr=[los, his], color=colors, capsize=4, ecolor="black")
    ax.set_yticks(y)
    ax.set_yticklabels(names)
    ax.set_xlabel(f"{unit}, {better} is better")
    ax.set_title(f"{title}\nbar = median, whiskers = min–max of {rec['runs']} run(s)", fontsize=10)
    for yy, m, up in zip(y, meds, his):
        ax.text(m + up, yy, "  " + fmt(m), va="center", fontsize=8)
    ax.margins(x=0.15)
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)
    return True


def md_table(rows, cols):
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for r in rows:
        lines.append("| " + " | ".join(str(x).replace("|", "\\|") for x in r) + " |")
    return "\n".join(lines)


def write_markdown(store, md_path, chart_dir, full):
    m = store["machine"]
    rel_charts = os.path.relpath(chart_dir, os.path.dirname(md_path))
    out = ["# jasyncio side by side with its peers", "",
           "Written by `benchmarks/harness/run` (also `bin/jasyncio bench`); do not edit by hand: rerun the harness.",
           "Workloads and peers are those of BENCHMARKS.md in the shared folder. Each figure is the median over "
           "several runs, each run a fresh process; whiskers and the min–max column show the spread. The machine is "
           "shared and noisy: compare figures only within one table (one harness run), as ratios.",
           "The `jasyncio/peer` column is jasyncio's median divided by the peer's: below 1 is better for "
           "\"lower is better\" figures, above 1 for \"higher is better\" ones.", "",
           "## Machine", "",
           f"- CPU: {m['cpu']}; `nproc`: {m['nproc']}",
           f"- OS: {m['os']}, kernel {m['kernel']}",
           f"- JDK: {' / '.join(m['java'])}",
           f"- Python: {m['python']} (Debian's /usr/bin/python3); Debian packages: "
           + ", ".join(m["packages"].splitlines()),
           f"- Netty {m['netty']} (epoll transport) from Maven Central",
           "- `free -h`:", "", "```", m["memory"], "```", "",
           "## How to run", "",
           "```",
           "bin/jasyncio bench                      # everything, 3 runs each (same as benchmarks/harness/run)",
           "bin/jasyncio bench --only W1,W4 --runs 5",
           "bin/jasyncio bench --smoke              # tiny sizes, checks every peer produces a number (CI)",
           "```", ""]
    for fig in FIGURES:
        rec = store["figures"].get(fig)
        if not rec:
            continue
        wl, title, unit, better = FIGURES[fig]
        out += [f"## {title}", "",
                f"{unit}, {better} is better. Measured {rec['date']} with `{rec['command']}`, "
                f"{rec['runs']} run(s); sizes: `{json.dumps(rec['sizes'])}`."
                + (f" Other processes used {rec['foreign_cores']:.2f} of {m['nproc']} cores meanwhile"
                   + (" (a busy machine: read the figures as ratios only)." if rec["foreign_cores"] > 0.25 else ".")
                   if "foreign_cores" in rec else ""), ""]
        cols = HEAD if full else HEAD[:5]
        rows = table_rows(fig, rec, full)
        out += [md_table([r[:len(cols)] for r in rows if not r[-1]], cols), ""]
        out += [f"- {r[0]}: {r[-1]}" for r in rows if r[-1]]
        if any(r[-1] for r in rows):
            out.append("")
        if rec.get("chart"):
            out += [f"![{title}]({rel_charts}/{rec['chart']})", ""]
        out += ["<details><summary>exact peer commands</summary>", "", "```"]
        out += [f"{peer}: {cmd}" for peer, cmds in rec.get("commands", {}).items()
                for cmd in ([cmds] if isinstance(cmds, str) else cmds)]
        out += ["```", "</details>", ""]
    notes = os.path.join(HERE, "notes.md")
    if os.path.exists(notes):
        with open(notes) as f:
            out += [f.read().rstrip(), ""]
    os.makedirs(os.path.dirname(md_path), exist_ok=True)
    with open(md_path, "w") as f:
        f.write("\n".join(out))


# --------------------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(prog="benchmarks/harness/run",
                                 description="Run jasyncio and its peers side by side (shared/BENCHMARKS.md).")
    ap.add_argument("--only", help="comma-separated workloads, e.g. W1,W4 (default: all of " + ",".join(WORKLOADS) + ")")
    ap.add_argument("--smoke", action="store_true",
                    help="tiny sizes, one run; fails if a peer produces no number (never judges speed)")
    ap.add_argument("--runs", type=int, default=None, help="runs per peer (default 3; 1 with --smoke)")
    ap.add_argument("--report-only", action="store_true",
                    help="run nothing: rewrite the report and charts from the stored results (after editing notes.md)")
    args = ap.parse_args()

    workloads = WORKLOADS
    if args.only:
        workloads = [w.strip().upper() for w in args.only.split(",") if w.strip()]
        bad = [w for w in workloads if w not in WORKLOADS]
        if bad:
            ap.error(f"unknown workload(s) {bad}; known: {WORKLOADS} (W5–W7 wait for the HTTP layer and crawler)")
    runs = args.runs or (1 if args.smoke else 3)
    if runs < 1:
        ap.error("--runs must be at least 1")
    mode = "smoke" if args.smoke else "full"
    full = not args.smoke
    command = "benchmarks/harness/run" + "".join(" " + shlex.quote(a) for a in sys.argv[1:])

    if args.smoke:
        md_path = os.path.join(TARGET, "smoke", "benchmarks.md")
        chart_dir = os.path.join(TARGET, "smoke")
    else:
        md_path = os.path.join(ROOT, "docs", "benchmarks.md")
        chart_dir = os.path.join(ROOT, "docs", "benchmarks")
    store_path = os.path.join(chart_dir, "results.json")

    started = time.monotonic()
    tmp = tempfile.mkdtemp(prefix="jasyncio-bench-")
    atexit.register(shutil.rmtree, tmp, True)
    if args.report_only:
        workloads = []
    else:
        setup = Setup(workloads, args.smoke)
        runner = Runner(setup, mode, tmp)
    store = {"figures": {}}
    if os.path.exists(store_path):
        try:
            with open(store_path) as f:
                store = json.load(f)
        except (OSError, ValueError):
            pass
    if not args.report_only:
        store["machine"] = machine_description(setup.jdk)
    elif "machine" not in store:
        sys.exit(f"harness: --report-only needs stored results in {os.path.relpath(store_path, ROOT)}")
    fatal = []
    date = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")

    for wl in workloads:
        log(f"\n== {wl} ({mode}, {runs} run(s), sizes {SIZES[mode][wl]})")
        figs = [f for f, meta in FIGURES.items() if meta[0] == wl]
        recs = {f: {"runs": runs, "date": date, "command": command, "sizes": SIZES[mode][wl], "peers": {}}
                for f in figs}
        foreign = ForeignLoad()
        runnable = []
        for peer in PEER_TABLE[wl]:
            st = setup.peer_status(wl, peer)
            for f in figs:
                recs[f]["peers"][peer] = {"values": [], "rss": [], "status": "ok" if not st else st[0]}
            if st:
                log(f"  {peer}: {st[0]}")
                if st[1]:
                    fatal.append(f"{wl} {peer}: {st[0]}")
            else:
                runnable.append(peer)
        for r in range(runs):
            for peer in runnable:  # interleaved, so slow drift of the machine hits every peer alike
                try:
                    res = runner.run(wl, peer)
                except (PeerFailed, OSError, ValueError) as e:
                    log(f"  {peer} run {r + 1}/{runs}: FAILED {e}")
                    for f in figs:
                        recs[f]["peers"][peer]["status"] = f"failed: {e}"
                    continue
                for f in figs:
                    recs[f]["peers"][peer]["values"].append(res[f])
                    recs[f]["peers"][peer]["rss"].append(res["rss"])
                shown = ", ".join(f"{f} {fmt(res[f])}" for f in figs)
                log(f"  {peer} run {r + 1}/{runs}: {shown} (peak RSS {res['rss'] / 1024:.0f} MB)")
                if res.get("detail"):
                    log(f"    {res['detail']}")
        other = foreign.cores()
        log(f"  other processes on this machine used {other:.2f} of {os.cpu_count()} cores during {wl}")
        for f in figs:
            rec = recs[f]
            rec["foreign_cores"] = round(other, 2)
            rec["commands"] = {PEER_LABEL.get(p, p): c for (w, p), c in runner.commands.items() if w == wl}
            for peer, p in rec["peers"].items():
                if peer in runnable and not p["values"]:
                    fatal.append(f"{wl} {peer}: no number ({p['status']})")
                if p["values"] and p["status"] != "ok":
                    p["status"] = "some runs failed"
            store["figures"][f] = rec
            print_table(f, rec, full)

    os.makedirs(chart_dir, exist_ok=True)
    charts_ok = True
    for f, rec in store["figures"].items():
        name = f"{f}.png"
        try:
            rec["chart"] = name if render_chart(f, rec, os.path.join(chart_dir, name)) else None
        except ImportError as e:
            charts_ok = False
            rec["chart"] = None
            log(f"harness: no chart for {f}: {e}")
    with open(store_path, "w") as f:
        json.dump(store, f, indent=1)
    write_markdown(store, md_path, chart_dir, full)
    log(f"\nharness: wrote {os.path.relpath(md_path, ROOT)} and charts in {os.path.relpath(chart_dir, ROOT)}/ "
        f"({time.monotonic() - started:.0f} s)")

    fatal = list(dict.fromkeys(fatal))
    if args.smoke:
        if not charts_ok:
            fatal.append("charts: matplotlib unavailable")
        passed = sum(1 for f, rec in store["figures"].items() if FIGURES[f][0] in workloads
                     for p in rec["peers"].values() if p.get("values"))
        if fatal:
            log("\nSMOKE FAILED: these peers produced no number:\n  " + "\n  ".join(fatal))
            log(f"smoke: {passed} passed, {len(fatal)} failed")
            return 1
        log("\nsmoke OK: every available peer produced a number")
        log(f"smoke: {passed} passed, 0 failed")
    elif fatal:
        log("\nnote: some peers produced no number:\n  " + "\n  ".join(fatal))
    return 0


def on_signal(signum, frame):
    raise KeyboardInterrupt


if __name__ == "__main__":
    signal.signal(signal.SIGINT, on_signal)  # also when started in the background with SIGINT ignored
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)
    try:
        code = main()
    except KeyboardInterrupt:
        log("\nharness: interrupted; stopping every child")
        code = 130
    finally:
        cleanup()
    sys.exit(code)
