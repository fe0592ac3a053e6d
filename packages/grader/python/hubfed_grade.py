"""Grades one submitted notebook against OK-format tests (Hubfed's grading driver).

Run inside a sandbox with the work directory as the current directory, which
holds submission.ipynb, tests.json (every question, hidden cases included, as
the normalised JSON of @hubfed/grader's OkTest[]) and the assignment's support
files. The notebook runs top to bottom in a fresh python3 kernel; then each
test case's doctest examples are sent to that kernel and the output they
produce is compared here, in the driver, where the student's code cannot reach.

Trust boundary: the kernel runs the student's code and everything it says
about itself could be forged. The driver therefore
  * reads its inputs (tests, notebook) before the kernel starts and never
    reads the work directory again; tests.json is deleted so hidden cases
    cannot be read by the notebook;
  * compares outputs with doctest.OutputChecker in this process;
  * writes results only to a channel the kernel cannot write: file descriptor
    3 (a pipe from the parent, not inherited by the kernel), or with
    --results=stdout-nonce one stdout line tagged with a nonce the kernel never
    sees (the kernel's own stdout/stderr go to /dev/null);
  * makes itself non-dumpable so processes of the same uid (the kernel)
    cannot read its memory, environment or file descriptors through /proc.

Exit status: 0 graded, 2 the submission could not be graded (see the JSON),
3 timed out, 1 the driver itself failed (bad arguments, missing inputs).
"""

import argparse
import asyncio
import ctypes
import doctest
import json
import os
import signal
import subprocess
import sys
import time
import warnings

OUTPUT_LIMIT = 2048
CHECKER_FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE

# Names IPython itself rebinds in builtins while it runs cells (the exit/quit
# traps, the display hook's history): changes to them are not tampering.
VOLATILE_BUILTINS = {"_", "__", "___", "exit", "quit", "get_ipython", "display", "__IPYTHON__", "dreload"}

# Evaluated in the kernel as a user expression: the identities of everything
# in builtins and in the dicts of the common built-in types, and of the
# interpreter hooks that decide what output a test case sees. A notebook that
# swaps one of them could make a wrong answer print the expected text.
SNAPSHOT_EXPRESSION = (
    "[(k, id(v)) for k, v in vars(__import__('builtins')).items()]"
    " + [(t.__name__ + '.' + k, id(v)) for t in (int, float, complex, str, bytes, bool, list, tuple,"
    " dict, set, frozenset, object, type, range, slice) for k, v in vars(t).items()]"
    " + [('sys.' + n, id(getattr(__import__('sys'), n, None)))"
    " for n in ('displayhook', 'excepthook', 'stdout', 'stderr')]"
    # IPython renders a case's value through the shell's display hook, not sys.displayhook.
    " + (lambda ip: [] if ip is None else [('shell.displayhook', id(ip.displayhook)), ('shell.display_pub', id(ip.display_pub))]"
    " + [('displayhook.' + c.__name__ + '.' + k, id(v)) for c in type(ip.displayhook).__mro__ for k, v in vars(c).items()])"
    "(getattr(__import__('sys').modules.get('IPython'), 'get_ipython', lambda: None)())"
)


class GradingStop(Exception):
    """Ends grading of this submission with an outcome for the parent."""

    def __init__(self, outcome):
        super().__init__(outcome.get("reason", ""))
        self.outcome = outcome


def failed(error, reason, detail=None, **extra):
    outcome = {"status": "failed", "error": error, "reason": reason, **extra}
    if detail:
        outcome["detail"] = detail[-4000:]
    return outcome


def make_non_dumpable():
    """PR_SET_DUMPABLE=0: /proc/<pid>/{environ,fd,mem} become root-only and ptrace is refused."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        PR_SET_DUMPABLE = 4
        if libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0:
            return False
        return True
    except OSError:
        return False


class ResultsChannel:
    """Where the one results document goes; opened before any student code runs."""

    def __init__(self, mode):
        self.mode = mode
        if mode == "fd3":
            try:
                # dup() gives a non-inheritable descriptor (PEP 446); closing 3
                # means no child of ours can find the pipe at its usual number.
                self.fd = os.dup(3)
                os.close(3)
            except OSError:
                raise SystemExit("hubfed_grade: --results=fd3 needs file descriptor 3 open (a pipe from the parent)")
        elif mode == "stdout-nonce":
            nonce = os.environ.pop("HUBFED_RESULTS_NONCE", "")
            if len(nonce) < 16:
                raise SystemExit("hubfed_grade: --results=stdout-nonce needs HUBFED_RESULTS_NONCE (16+ characters)")
            self.nonce = nonce
            self.stdout_fd = os.dup(1)
        else:
            raise SystemExit(f"hubfed_grade: unknown results channel {mode!r}")

    def write(self, outcome):
        text = json.dumps(outcome, ensure_ascii=True, separators=(",", ":"))
        if self.mode == "fd3":
            data = text.encode() + b"\n"
            while data:
                written = os.write(self.fd, data)
                data = data[written:]
            os.close(self.fd)
        else:
            line = f"\nHUBFED-RESULTS {self.nonce} {text}\n".encode()
            os.write(self.stdout_fd, line)


def read_inputs(workdir, max_notebook_bytes, tests_file):
    tests_path = os.path.join(workdir, tests_file)
    try:
        with open(tests_path, "rb") as handle:
            tests = json.loads(handle.read())
        # The notebook must not find the hidden cases at grading time.
        os.unlink(tests_path)
    except (OSError, ValueError) as error:
        raise SystemExit(f"hubfed_grade: cannot read {tests_file}: {error}")
    notebook_path = os.path.join(workdir, "submission.ipynb")
    try:
        size = os.stat(notebook_path).st_size
    except OSError as error:
        raise SystemExit(f"hubfed_grade: cannot read submission.ipynb: {error}")
    if size > max_notebook_bytes:
        raise GradingStop(
            failed(
                "notebook-too-large",
                f"the notebook is larger than {format_bytes(max_notebook_bytes)}",
                f"{size} bytes",
            )
        )
    with open(notebook_path, "rb") as handle:
        raw = handle.read(max_notebook_bytes + 1)
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise GradingStop(failed("notebook-not-json", "the notebook is not valid JSON", str(error)))
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        raise GradingStop(failed("not-a-notebook", "the file is not a Jupyter notebook (it has no cells)"))
    import nbformat

    try:
        notebook = nbformat.reads(json.dumps(data), as_version=4)
    except Exception as error:  # nbformat raises many kinds on malformed notebooks
        raise GradingStop(failed("not-a-notebook", "the file is not a Jupyter notebook we can read", repr(error)))
    code_cells = []
    for cell in notebook.cells:
        if cell.get("cell_type") == "code" and isinstance(cell.get("source"), str):
            code_cells.append(nbformat.v4.new_code_cell(source=cell.source))
    notebook.cells = code_cells
    # Always python3, whatever kernel the notebook names.
    notebook.metadata = {}
    return tests, notebook


def format_bytes(count):
    mib = count / (1024 * 1024)
    return f"{mib:g} MB" if mib >= 1 else f"{count} bytes"


def truncate(text):
    if len(text) <= OUTPUT_LIMIT:
        return text
    return text[: OUTPUT_LIMIT - 40] + "\n… (output truncated)"


def indent(text):
    lines = text.rstrip("\n").split("\n") if text.strip() else ["(nothing)"]
    return "\n".join("    " + line for line in lines)


class Kernel:
    """The student's kernel, driven through nbclient."""

    def __init__(self, notebook, workdir, cell_timeout, memory_mib):
        from jupyter_client.manager import AsyncKernelManager
        from nbclient import NotebookClient

        # ipc transport: the sandbox has no network, not even loopback.
        manager = AsyncKernelManager(kernel_name="python3", transport="ipc", ip=os.path.join(workdir, ".k"))
        self.client = NotebookClient(
            notebook,
            km=manager,
            kernel_name="python3",
            timeout=cell_timeout,
            startup_timeout=60,
            allow_errors=True,
            record_timing=False,
            resources={"metadata": {"path": workdir}},
        )
        self.memory_mib = memory_mib
        self.cell_timeout = cell_timeout
        self.scratch_index = None

    async def run_cell(self, cell, index):
        from nbclient.exceptions import CellTimeoutError, DeadKernelError

        try:
            await self.client.async_execute_cell(cell, index)
        except CellTimeoutError:
            raise GradingStop(
                {
                    "status": "timed-out",
                    "error": "cell-timeout",
                    "reason": f"a cell ran for more than {self.cell_timeout:g} seconds",
                }
            )
        except DeadKernelError:
            raise GradingStop(await self.death())
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error" and output.get("ename") == "MemoryError":
                raise GradingStop(
                    failed(
                        "memory",
                        f"the notebook used more memory than the {self.memory_mib} MiB limit",
                        "MemoryError raised in the kernel",
                    )
                )
        return cell

    async def death(self):
        code = None
        try:
            code = await self.client.km.provisioner.poll()
        except Exception:
            pass
        if code == -signal.SIGXCPU:
            return {"status": "timed-out", "error": "cpu-time", "reason": "the notebook used more CPU time than allowed"}
        return failed("kernel-died", "the notebook's kernel stopped unexpectedly", f"exit status {code}", exitCode=code)

    async def run_code(self, source):
        """Runs code in the kernel as an invisible cell; returns its outputs."""
        import nbformat

        cell = nbformat.v4.new_code_cell(source=source)
        # nbclient stores each executed cell back into the notebook by index;
        # test code gets one slot past the student's cells.
        cells = self.client.nb.cells
        if self.scratch_index is None:
            cells.append(nbformat.v4.new_code_cell(source=""))
            self.scratch_index = len(cells) - 1
        await self.run_cell(cell, self.scratch_index)
        return cell.outputs

    async def snapshot(self):
        """Identities of the builtins, as the kernel reports them."""
        from nbclient.exceptions import DeadKernelError

        kc = self.client.kc
        msg_id = kc.execute("", silent=True, store_history=False, user_expressions={"s": SNAPSHOT_EXPRESSION})
        try:
            reply = await self.client.async_wait_for_reply(msg_id)
        except DeadKernelError:
            raise GradingStop(await self.death())
        value = (((reply or {}).get("content") or {}).get("user_expressions") or {}).get("s") or {}
        text = (value.get("data") or {}).get("text/plain")
        if value.get("status") != "ok" or not isinstance(text, str):
            return None
        import ast

        try:
            pairs = ast.literal_eval(text)
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            return None
        # The kernel's answer is the student's to forge: accept only its exact shape.
        if not isinstance(pairs, list) or not all(
            isinstance(pair, tuple) and len(pair) == 2 and isinstance(pair[0], str) and isinstance(pair[1], int)
            for pair in pairs
        ):
            return None
        return dict(pairs)


def collect(outputs):
    """What doctest would have seen: stdout, the expression's repr, the exception."""
    got = ""
    error = None
    for output in outputs:
        kind = output.get("output_type")
        if kind == "stream" and output.get("name") == "stdout":
            got += output.get("text", "")
        elif kind == "execute_result":
            text = (output.get("data") or {}).get("text/plain", "")
            got += text if text.endswith("\n") else text + "\n"
        elif kind == "error":
            error = (str(output.get("ename", "")), str(output.get("evalue", "")))
    return got, error


def examples_of(code):
    try:
        return doctest.DocTestParser().get_examples(code)
    except ValueError as error:
        return error


async def run_setup(kernel, code):
    if not code.strip():
        return
    examples = examples_of(code)
    if isinstance(examples, ValueError) or not examples:
        await kernel.run_code(code)
        return
    for example in examples:
        await kernel.run_code(example.source)


async def run_case(kernel, code):
    """Runs one case's examples in order; returns None when all pass, else the failure text."""
    examples = examples_of(code)
    if isinstance(examples, ValueError):
        return f"the test case could not be read: {examples}"
    checker = doctest.OutputChecker()
    for example in examples:
        got, error = collect(await kernel.run_code(example.source))
        if example.exc_msg is not None:
            if error is None:
                ok = False
                shown = got
            else:
                shown = f"{error[0]}: {error[1]}\n"
                ok = checker.check_output(example.exc_msg, shown, CHECKER_FLAGS)
            want = f"Traceback (most recent call last):\n    ...\n{example.exc_msg}"
        else:
            want = example.want
            if error is None:
                shown = got
                ok = checker.check_output(want, got, CHECKER_FLAGS)
            else:
                shown = f"{got}Traceback (most recent call last):\n    ...\n{error[0]}: {error[1]}\n"
                ok = False
        if not ok:
            source = "".join(
                (">>> " if i == 0 else "... ") + line + "\n" for i, line in enumerate(example.source.rstrip("\n").split("\n"))
            )
            return f"{source}Expected:\n{indent(want)}\nGot:\n{indent(shown)}"
    return None


def case_worths(test):
    """Each scored case's points: its own, or an even share of what the question has left."""
    scored = [case for suite in test["suites"] if suite.get("scored", True) for case in suite["cases"]]
    explicit = sum(case["points"] for case in scored if case.get("points") is not None)
    implicit = [case for case in scored if case.get("points") is None]
    share = max(0.0, float(test.get("points", 1)) - explicit) / len(implicit) if implicit else 0.0
    worths = {}
    for suite in test["suites"]:
        for case in suite["cases"]:
            if not suite.get("scored", True):
                worths[id(case)] = 0.0
            elif case.get("points") is not None:
                worths[id(case)] = float(case["points"])
            else:
                worths[id(case)] = share
    return worths


def tidy(number):
    rounded = round(number, 6)
    return int(rounded) if rounded == int(rounded) else rounded


async def grade_tests(kernel, tests, baseline):
    entries = []
    for test in tests:
        worths = case_worths(test)
        groups = {False: {"score": 0.0, "max": 0.0, "lines": [], "count": 0}, True: {"score": 0.0, "max": 0.0, "lines": [], "count": 0}}
        for suite_index, suite in enumerate(test["suites"]):
            await run_setup(kernel, suite.get("setup", ""))
            for case_index, case in enumerate(suite["cases"]):
                await check_builtins(kernel, baseline)
                group = groups[bool(case.get("hidden"))]
                group["count"] += 1
                worth = worths[id(case)]
                group["max"] += worth
                failure = await run_case(kernel, case["code"])
                label = f"Test case {case_index + 1}" + (f" of suite {suite_index + 1}" if len(test["suites"]) > 1 else "")
                if failure is None:
                    group["score"] += worth
                    message = case.get("success_message")
                    group["lines"].append(f"{label} passed." + (f" {message}" if message else ""))
                else:
                    message = case.get("failure_message")
                    group["lines"].append(f"{label} failed:" + (f" {message}" if message else "") + f"\n{failure}")
            await run_setup(kernel, suite.get("teardown", ""))
        for hidden, suffix, visibility in ((False, "", "visible"), (True, " - hidden", "hidden")):
            group = groups[hidden]
            if group["count"] == 0:
                continue
            entries.append(
                {
                    "name": test["name"] + suffix,
                    "score": tidy(group["score"]),
                    "max_score": tidy(group["max"]),
                    "visibility": visibility,
                    "output": truncate("\n\n".join(group["lines"])),
                }
            )
    return entries


async def check_builtins(kernel, baseline):
    current = await kernel.snapshot()
    if baseline is None:
        return
    if current is None:
        raise GradingStop(failed("builtins-replaced", "the notebook replaced Python's built-in functions", "the kernel did not report its builtins"))
    changed = [name for name, ident in baseline.items() if name not in VOLATILE_BUILTINS and current.get(name) != ident]
    # A name added to builtins shadows nothing, but one added to a class's
    # dict (int.__eq__ on a subclass, the display hook's __call__) overrides.
    changed += [name for name in current if "." in name and name not in baseline]
    changed.sort()
    if changed:
        raise GradingStop(failed("builtins-replaced", "the notebook replaced Python's built-in functions", ", ".join(changed[:20])))


async def grade(args, tests, notebook):
    kernel = Kernel(notebook, args.workdir, args.cell_timeout, args.memory_mib)
    env = {key: value for key, value in os.environ.items()}
    started = time.monotonic()
    try:
        async with kernel.client.async_setup_kernel(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, env=env, cwd=args.workdir):
            # Taken before the student's first cell, so it is the kernel's own.
            baseline = await kernel.snapshot()
            if baseline is None:
                raise GradingStop(failed("kernel-start-failed", "the grading kernel did not start properly"))
            for index, cell in enumerate(notebook.cells):
                await kernel.run_cell(cell, index)
            entries = await grade_tests(kernel, tests, baseline)
    except RuntimeError as error:
        if "Kernel" in str(error) or "kernel" in str(error):
            raise GradingStop(failed("kernel-start-failed", "the grading kernel did not start", str(error)))
        raise
    return {
        "status": "graded",
        "results": {
            "tests": entries,
            "score": tidy(sum(entry["score"] for entry in entries)),
            "execution_time": round(time.monotonic() - started, 3),
        },
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workdir", default=os.getcwd())
    parser.add_argument("--results", choices=["fd3", "stdout-nonce"], default="fd3")
    parser.add_argument("--tests", default="tests.json")
    parser.add_argument("--cell-timeout", type=int, default=60)
    parser.add_argument("--max-notebook-bytes", type=int, default=10 * 1024 * 1024)
    parser.add_argument("--memory-mib", type=int, default=1024)
    args = parser.parse_args(argv)
    args.workdir = os.path.abspath(args.workdir)

    # nbformat's deprecation chatter is noise in the operator's log.
    warnings.filterwarnings("ignore")
    dumpable_off = make_non_dumpable()
    channel = ResultsChannel(args.results)
    if not dumpable_off:
        print("hubfed_grade: could not make the driver non-dumpable", file=sys.stderr)
    # As PID 1 of the sandbox's PID namespace, only signals we handle reach us
    # from inside it; ignoring SIGINT/SIGTERM keeps the kernel from stopping us.
    # A handler, not SIG_IGN: ignored signals would be inherited by the kernel,
    # and jupyter_client interrupts a kernel that overruns with SIGINT.
    for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, lambda *_: None)
    try:
        tests, notebook = read_inputs(args.workdir, args.max_notebook_bytes, args.tests)
        os.chdir(args.workdir)
        outcome = asyncio.run(grade(args, tests, notebook))
    except GradingStop as stop:
        outcome = stop.outcome
    except Exception:
        # Whatever the notebook did to confuse us, the parent gets an answer.
        import traceback

        outcome = failed("internal", "the grader could not grade this notebook", traceback.format_exc())
    channel.write(outcome)
    if outcome["status"] == "graded":
        return 0
    return 3 if outcome["status"] == "timed-out" else 2


if __name__ == "__main__":
    sys.exit(main())
