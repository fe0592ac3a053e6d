"""The local hub's spawner: one unprivileged system account per student per hub.

JupyterHub's LocalProcessSpawner starts each server as the system account of the same name and
must run as root to do so. This subclass, written by @hubfed/runtime-local beside the
configuration (standard library and JupyterHub only), adds what a class on one machine needs:

- the account is made on first spawn (`useradd`), named `<hub prefix><name>-<hash>` (at most 32
  characters, the same every time, and recorded in the account's comment so that two hub users
  can never share one), with no password, no login shell and a home of its own, mode 0700;
- each server runs with the student's limits: memory, CPU and process count in a cgroup of its
  own where the kernel lets us write one (cgroup v2, else v1), else per-process rlimits, and a
  process-count rlimit on the account in every case;
- the student's storage: the home is an ext4 file system in an image file of the course's size
  when the machine can mount loop devices (writes past it fail with "No space left on device"),
  else a check at spawn; a student over quota is told so when the server starts.

The mechanism in force is written to `limits.json` beside the configuration when the hub starts,
for the portal's hub page.
"""

import grp
import hashlib
import json
import os
import pwd
import re
import resource
import shutil
import signal
import subprocess
import sys
import time

from jupyterhub.spawner import LocalProcessSpawner
from tornado import web
from traitlets import Integer, List, Unicode

MEBIBYTE = 1024 * 1024
GIBIBYTE = 1024 * MEBIBYTE
# Linux account names: useradd's limit on Debian.
MAX_ACCOUNT_NAME_LENGTH = 32
ACCOUNT_NAME_PART_LENGTH = 14
CPU_PERIOD_MICROSECONDS = 100_000


def account_name(prefix, user_name):
    """The student's system account on this hub: deterministic, at most 32 characters.

    The readable part keeps letters and digits of the hub user name; the hash of the whole name
    keeps `a.b` and `a_b` apart. A hash collision is caught when the account is made: its comment
    names the hub user it belongs to.
    """
    readable = re.sub(r"[^a-z0-9]+", "-", user_name.lower()).strip("-")[:ACCOUNT_NAME_PART_LENGTH]
    digest = hashlib.sha256(user_name.encode("utf-8")).hexdigest()[:8]
    name = f"{prefix}{readable}-{digest}" if readable else f"{prefix}{digest}"
    if len(name) > MAX_ACCOUNT_NAME_LENGTH:
        raise ValueError(f"account name {name!r} is longer than {MAX_ACCOUNT_NAME_LENGTH}")
    return name


def account_comment(data_directory, user_name):
    return f"hubfed {user_name} {data_directory}"


# ---------------------------------------------------------------------------------------------
# Limits: which mechanism the kernel lets us use


def _cgroup_mounts():
    """{controller or "cgroup2": mount point} from /proc/self/mounts."""
    mounts = {}
    try:
        with open("/proc/self/mounts", encoding="utf-8") as table:
            for line in table:
                fields = line.split()
                if len(fields) < 4:
                    continue
                if fields[2] == "cgroup2":
                    mounts.setdefault("cgroup2", fields[1])
                elif fields[2] == "cgroup":
                    for option in fields[3].split(","):
                        if option in ("memory", "cpu", "pids"):
                            mounts.setdefault(option, fields[1])
    except OSError:
        pass
    return mounts


def _own_cgroups():
    """{hierarchy key: path of this process's cgroup}; "" is the cgroup v2 hierarchy."""
    own = {}
    try:
        with open("/proc/self/cgroup", encoding="utf-8") as table:
            for line in table:
                hierarchy, controllers, cgroup_path = line.rstrip("\n").split(":", 2)
                if hierarchy == "0":
                    own[""] = cgroup_path
                for controller in controllers.split(","):
                    own[controller] = cgroup_path
    except OSError:
        pass
    return own


def _probe_directory(directory, required_file):
    """Makes `directory` (a cgroup) and checks it has `required_file`; False when we may not."""
    try:
        os.makedirs(directory, exist_ok=True)
        return os.path.exists(os.path.join(directory, required_file))
    except OSError:
        return False


def detect_limit_mechanism(group_name):
    """How this machine enforces per-student memory, CPU and process limits.

    Returns {"kind": "cgroup2"|"cgroup1"|"rlimit", "directories": {...}, "detail": str}.
    cgroup directories sit under the hub's own cgroup, so a hub run under a service manager
    stays inside what it was given. cgroup v2 needs the memory, cpu and pids controllers
    delegated to that cgroup (its cgroup.subtree_control); cgroup v1 needs each hierarchy
    writable.
    """
    mounts = _cgroup_mounts()
    own = _own_cgroups()
    reasons = []
    if "cgroup2" in mounts and "" in own:
        base = os.path.join(mounts["cgroup2"], own[""].lstrip("/"))
        try:
            with open(os.path.join(base, "cgroup.subtree_control"), encoding="ascii") as control:
                delegated = set(control.read().split())
        except OSError:
            delegated = set()
        if {"memory", "cpu", "pids"} <= delegated:
            directory = os.path.join(base, group_name)
            if _probe_directory(directory, "memory.max"):
                return {
                    "kind": "cgroup2",
                    "directories": {"unified": directory},
                    "detail": "cgroup v2: memory.max, cpu.max and pids.max per student",
                }
        reasons.append("cgroup v2 has no memory, cpu and pids controllers delegated to the hub")
    if all(controller in mounts for controller in ("memory", "cpu", "pids")):
        directories = {
            controller: os.path.join(
                mounts[controller], own.get(controller, "/").lstrip("/"), group_name
            )
            for controller in ("memory", "cpu", "pids")
        }
        required = {
            "memory": "memory.limit_in_bytes",
            "cpu": "cpu.cfs_quota_us",
            "pids": "pids.max",
        }
        if all(_probe_directory(directories[c], required[c]) for c in directories):
            return {
                "kind": "cgroup1",
                "directories": directories,
                "detail": "cgroup v1: memory.limit_in_bytes, cpu.cfs_quota_us and pids.max per student",
            }
        reasons.append("the cgroup v1 hierarchies are not writable")
    elif not reasons:
        reasons.append("no cgroup hierarchy with memory, cpu and pids")
    return {
        "kind": "rlimit",
        "directories": {},
        "detail": "per process only: RLIMIT_DATA for memory, RLIMIT_NPROC for processes, "
        "nice for CPU (" + "; ".join(reasons) + ")",
    }


def detect_storage_mechanism():
    """"loop" when this machine can give each home a file system of its own, else "check"."""
    if os.geteuid() != 0:
        return {"kind": "check", "detail": "the hub is not root: storage is checked at spawn"}
    missing = [tool for tool in ("mount", "umount", "mkfs.ext4") if shutil.which(tool) is None]
    if missing or not os.path.exists("/dev/loop-control"):
        what = ", ".join(missing) if missing else "/dev/loop-control"
        return {"kind": "check", "detail": f"no {what}: storage is checked at spawn"}
    return {
        "kind": "loop",
        "detail": "each home is an ext4 file system of the course's storage size (loop device)",
    }


# ---------------------------------------------------------------------------------------------
# Per-student cgroups


def _write(path, value):
    with open(path, "w", encoding="ascii") as target:
        target.write(str(value))


def prepare_student_cgroups(mechanism, account, memory_bytes, cpu_milli, max_processes):
    """Makes the account's cgroups with its limits; returns the cgroup.procs files to join."""
    kind = mechanism["kind"]
    directories = mechanism["directories"]
    procs = []
    if kind == "cgroup2":
        directory = os.path.join(directories["unified"], account)
        os.makedirs(directory, exist_ok=True)
        _write(os.path.join(directory, "memory.max"), memory_bytes)
        # No swap: a memory hog is stopped at the limit, not slowed down on disk.
        if os.path.exists(os.path.join(directory, "memory.swap.max")):
            _write(os.path.join(directory, "memory.swap.max"), 0)
        quota = "max" if cpu_milli <= 0 else cpu_milli * CPU_PERIOD_MICROSECONDS // 1000
        _write(os.path.join(directory, "cpu.max"), f"{quota} {CPU_PERIOD_MICROSECONDS}")
        _write(os.path.join(directory, "pids.max"), max_processes)
        procs.append(os.path.join(directory, "cgroup.procs"))
    elif kind == "cgroup1":
        memory = os.path.join(directories["memory"], account)
        cpu = os.path.join(directories["cpu"], account)
        pids = os.path.join(directories["pids"], account)
        for directory in (memory, cpu, pids):
            os.makedirs(directory, exist_ok=True)
        _write(os.path.join(memory, "memory.limit_in_bytes"), memory_bytes)
        memsw = os.path.join(memory, "memory.memsw.limit_in_bytes")
        if os.path.exists(memsw):
            try:
                _write(memsw, memory_bytes)
            except OSError:
                pass  # Swap accounting off: memory.limit_in_bytes alone holds.
        quota = -1 if cpu_milli <= 0 else cpu_milli * CPU_PERIOD_MICROSECONDS // 1000
        _write(os.path.join(cpu, "cpu.cfs_period_us"), CPU_PERIOD_MICROSECONDS)
        _write(os.path.join(cpu, "cpu.cfs_quota_us"), quota)
        _write(os.path.join(pids, "pids.max"), max_processes)
        procs.extend(os.path.join(d, "cgroup.procs") for d in (memory, cpu, pids))
    return procs


def student_cgroup_directories(mechanism, account):
    return [os.path.join(d, account) for d in mechanism["directories"].values()]


def end_student_cgroup_processes(mechanism, account):
    """Ends what is left in the account's cgroups (kernels that outlived their server)."""
    for directory in student_cgroup_directories(mechanism, account):
        for _ in range(50):
            try:
                with open(os.path.join(directory, "cgroup.procs"), encoding="ascii") as procs:
                    pids = [int(line) for line in procs if line.strip()]
            except OSError:
                break
            if not pids:
                break
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
            time.sleep(0.1)
        try:
            os.rmdir(directory)
        except OSError:
            pass


# ---------------------------------------------------------------------------------------------
# Storage


def directory_size_bytes(directory):
    total = 0
    for root, _directories, files in os.walk(directory):
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_blocks * 512
            except OSError:
                pass
    return total


class StudentOverQuota(web.HTTPError):
    """A 507 whose message reaches the student's error page (see HubAtCapacity)."""

    def __init__(self, message):
        self.message = message
        super().__init__(507, message.replace("%", "%%"))

    @property
    def reason(self):
        return self.message

    @reason.setter
    def reason(self, _value):
        pass


class HubfedLocalSpawner(LocalProcessSpawner):
    """LocalProcessSpawner with an account, limits and storage of its own per student."""

    account_prefix = Unicode(config=True, help="Prefix of this hub's student accounts.")
    data_directory = Unicode(config=True, help="The hub's data directory.")
    homes_directory = Unicode(config=True, help="Where the homes are: <homes>/<user name>.")
    storage_directory = Unicode(config=True, help="Where the homes' image files are.")
    storage_bytes = Integer(0, config=True, help="Each student's storage; 0 is unlimited.")
    cpu_limit_milli = Integer(0, config=True, help="Each student's CPU, in thousandths of a core.")
    max_processes = Integer(256, config=True, help="Each student's processes and threads.")
    cgroup_group_name = Unicode(config=True, help="This hub's cgroup, under the hub's own.")
    never_admin_users = List(
        Unicode(),
        config=True,
        help="Service users that must never be admin (CVE-2024-41942: admin:users could grant it).",
    )

    # Set once per hub process by the configuration (prepare_local_limits).
    limit_mechanism = None
    storage_mechanism = None

    @property
    def account(self):
        return account_name(self.account_prefix, self.user.name)

    @property
    def home(self):
        return os.path.join(self.homes_directory, self.user.name)

    def ensure_account(self):
        """The student's account, made on first spawn; refuses another user's account."""
        account = self.account
        comment = account_comment(self.data_directory, self.user.name)
        try:
            entry = pwd.getpwnam(account)
        except KeyError:
            subprocess.run(
                [
                    "useradd",
                    "--no-create-home",
                    "--home-dir",
                    self.home,
                    "--shell",
                    "/usr/sbin/nologin",
                    "--comment",
                    comment,
                    "--user-group",
                    account,
                ],
                check=True,
                capture_output=True,
            )
            entry = pwd.getpwnam(account)
            self.log.info("hubfed: made account %s for %s", account, self.user.name)
        if entry.pw_gecos != comment or entry.pw_uid == 0:
            raise web.HTTPError(500, f"account {account} belongs to someone else")
        return entry

    def prepare_home(self, entry):
        """The home: private to the student; with loop storage, a file system of its own."""
        os.makedirs(self.homes_directory, mode=0o711, exist_ok=True)
        os.makedirs(self.home, mode=0o700, exist_ok=True)
        if self.storage_bytes > 0 and self.storage_mechanism["kind"] == "loop":
            self.mount_home_image()
        os.chown(self.home, entry.pw_uid, entry.pw_gid)
        os.chmod(self.home, 0o700)
        self.check_quota()

    def mount_home_image(self):
        if os.path.ismount(self.home):
            return
        os.makedirs(self.storage_directory, mode=0o700, exist_ok=True)
        image = os.path.join(self.storage_directory, f"{self.user.name}.ext4")
        if not os.path.exists(image):
            # Sparse: the disk holds what the student wrote, the file system caps it.
            with open(image + ".partial", "wb") as partial:
                partial.truncate(self.storage_bytes)
            subprocess.run(
                ["mkfs.ext4", "-q", "-F", "-m", "0", "-E", "root_owner=0:0", image + ".partial"],
                check=True,
                capture_output=True,
            )
            os.rename(image + ".partial", image)
        moving = [name for name in os.listdir(self.home)]
        if moving:
            # A home from before quotas: its files move into the new file system.
            staging = self.home + ".before-quota"
            os.rename(self.home, staging)
            os.makedirs(self.home, mode=0o700)
        subprocess.run(
            ["mount", "-o", "loop,nodev,nosuid", image, self.home],
            check=True,
            capture_output=True,
        )
        lost = os.path.join(self.home, "lost+found")
        if os.path.isdir(lost) and not os.listdir(lost):
            os.rmdir(lost)
        if moving:
            for name in os.listdir(staging):
                shutil.move(os.path.join(staging, name), os.path.join(self.home, name))
            os.rmdir(staging)
            subprocess.run(["chown", "-R", f"{self.account}:", self.home], check=False)

    def check_quota(self):
        if self.storage_bytes <= 0:
            return
        if os.path.ismount(self.home):
            usage = os.statvfs(self.home)
            used = (usage.f_blocks - usage.f_bfree) * usage.f_frsize
            is_full = usage.f_bavail * usage.f_frsize < MEBIBYTE
        else:
            used = directory_size_bytes(self.home)
            is_full = used >= self.storage_bytes
        if is_full:
            self.log.warning("hubfed: %s is over quota (%d bytes)", self.user.name, used)
            if self.storage_mechanism["kind"] != "loop":
                raise StudentOverQuota(
                    f"Your files use {used / GIBIBYTE:.1f} GiB of your "
                    f"{self.storage_bytes / GIBIBYTE:.1f} GiB. Ask your instructor, or delete "
                    "files (download what you need first) before starting your server again."
                )

    def make_preexec_fn(self, name):
        entry = pwd.getpwnam(self.account)
        gids = [group.gr_gid for group in grp.getgrall() if self.account in group.gr_mem]
        cgroup_procs = prepare_student_cgroups(
            self.limit_mechanism,
            self.account,
            self.mem_limit or 0,
            self.cpu_limit_milli,
            self.max_processes,
        )
        is_rlimit = self.limit_mechanism["kind"] == "rlimit"
        memory_bytes = self.mem_limit or 0
        nice = 10 if is_rlimit and self.cpu_limit_milli > 0 else 0
        max_processes = self.max_processes
        home = self.home

        # Runs in the child between fork and exec, still as root: join the cgroups, set the
        # limits, then drop to the student's account for good.
        def preexec():
            for procs in cgroup_procs:
                with open(procs, "w", encoding="ascii") as target:
                    target.write(str(os.getpid()))
            # Counted per account (real uid): every process of the student, all servers.
            resource.setrlimit(resource.RLIMIT_NPROC, (max_processes, max_processes))
            if is_rlimit and memory_bytes > 0:
                resource.setrlimit(resource.RLIMIT_DATA, (memory_bytes, memory_bytes))
            if nice:
                os.nice(nice)
            os.umask(0o077)
            os.setgid(entry.pw_gid)
            os.setgroups(gids)
            os.setuid(entry.pw_uid)
            os.chdir(home)

        return preexec

    def user_env(self, env):
        env["USER"] = self.account
        env["LOGNAME"] = self.account
        env["HOME"] = self.home
        # The account has no login shell; the notebook's terminal still gets one.
        env["SHELL"] = "/bin/bash"
        return env

    async def start(self):
        if self.user.name in self.never_admin_users and self.user.admin:
            # JupyterHub before 4.1.6 lets a token with admin:users set the admin flag
            # (CVE-2024-41942); the health check's token holds that scope for its own user.
            self.user.admin = False
            self.user.db.commit()
            self.log.warning("hubfed: %s had been made admin; admin removed", self.user.name)
            raise web.HTTPError(403, f"{self.user.name} may not be an admin")
        entry = self.ensure_account()
        self.prepare_home(entry)
        return await super().start()

    async def stop(self, now=False):
        await super().stop(now=now)
        end_student_cgroup_processes(self.limit_mechanism, self.account)


def prepare_local_limits(data_directory, group_name):
    """Detects the mechanisms once per hub start and records them for the portal."""
    HubfedLocalSpawner.limit_mechanism = detect_limit_mechanism(group_name)
    HubfedLocalSpawner.storage_mechanism = detect_storage_mechanism()
    record = {
        "limits": {
            key: HubfedLocalSpawner.limit_mechanism[key] for key in ("kind", "detail")
        },
        "storage": HubfedLocalSpawner.storage_mechanism,
        "detectedAt": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    target = os.path.join(data_directory, "limits.json")
    with open(target + ".tmp", "w", encoding="utf-8") as file:
        json.dump(record, file)
    os.chmod(target + ".tmp", 0o644)
    os.replace(target + ".tmp", target)
    print(f"hubfed: limits per student: {record['limits']['detail']}", file=sys.stderr)
