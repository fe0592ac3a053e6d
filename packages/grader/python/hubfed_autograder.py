"""Hubfed's student module, importable in every hub's kernels, and its server extension.

In a notebook:
    import hubfed_autograder as grader
    grader.check("q1")   # runs the public cases of tests/q1.py against your variables
    grader.submit()      # saves the notebook and submits it to the portal

As a Jupyter server extension (classic notebook 6 or jupyter_server) it serves
{base_url}hubfed/assignments/<assignmentId>: fetches the assignment from the
portal, adds its files to the home directory without overwriting anything the
student already has, and opens the notebook.

Standard library only: it runs in whatever image a course chose.
"""

import ast
import base64
import doctest
import html
import json
import os
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

ASSIGNMENT_FILE = ".hubfed-assignment.json"
_QUESTION_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")
_ASSIGNMENT_ID = r"[A-Za-z0-9_-]+"
_FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


# ---------------------------------------------------------------- check()


def load_test(name, tests_dir=None):
    """The `test` dict of tests/<name>.py, read as a literal: the file is never executed."""
    if not isinstance(name, str) or not _QUESTION_NAME.match(name) or ".." in name:
        raise ValueError(f"{name!r} is not a question name (like 'q1')")
    directory = tests_dir or os.path.join(os.getcwd(), "tests")
    path = os.path.join(directory, name + ".py")
    if not os.path.isfile(path):
        raise FileNotFoundError(f"there is no test file for {name!r} (looked for tests/{name}.py)")
    with open(path, encoding="utf-8") as handle:
        tree = ast.parse(handle.read(), filename=path)
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and node.targets[0].id == "test"
        ):
            value = ast.literal_eval(node.value)
            if not isinstance(value, dict):
                raise ValueError(f"tests/{name}.py: 'test' is not a dict")
            return value
    raise ValueError(f"tests/{name}.py does not define 'test = {{...}}'")


def _caller_namespace():
    """The notebook's globals: IPython's user namespace, else the caller's module globals."""
    ipython = getattr(sys.modules.get("IPython"), "get_ipython", lambda: None)()
    if ipython is not None:
        return ipython.user_ns
    frame = sys._getframe(2)
    return frame.f_globals


class CheckResult:
    """What check() found: shown as HTML in notebooks, as text elsewhere."""

    def __init__(self, name, cases, problem=None):
        self.name = name
        # (number, passed, report, message)
        self.cases = cases
        self.problem = problem

    @property
    def passed(self):
        return self.problem is None and bool(self.cases) and all(passed for _, passed, _, _ in self.cases)

    def _summary(self):
        if self.problem:
            return f"{self.name}: {self.problem}"
        if not self.cases:
            return f"{self.name}: no public tests (this question is checked only when grading)"
        failed = [case for case in self.cases if not case[1]]
        if not failed:
            return f"{self.name} passed all {len(self.cases)} public test{'s' if len(self.cases) != 1 else ''}."
        return f"{self.name}: {len(failed)} of {len(self.cases)} public tests failed."

    def __repr__(self):
        lines = [self._summary()]
        for number, passed, report, message in self.cases:
            if not passed:
                lines.append(f"\nTest case {number} failed:" + (f" {message}" if message else ""))
                lines.append(report.rstrip())
        return "\n".join(lines)

    def _repr_html_(self):
        colour = "#1a7f37" if self.passed else "#cf222e"
        parts = [f'<p style="color:{colour};font-weight:bold">{html.escape(self._summary())}</p>']
        for number, passed, report, message in self.cases:
            if not passed:
                title = f"Test case {number} failed" + (f": {message}" if message else "")
                parts.append(f"<p>{html.escape(title)}</p><pre>{html.escape(report.rstrip())}</pre>")
        return "".join(parts)


def _run_examples(code, globs, name, collect=True):
    parser = doctest.DocTestParser()
    test = parser.get_doctest(code, globs, name, None, 0)
    output = []
    runner = doctest.DocTestRunner(verbose=False, optionflags=_FLAGS)
    runner.run(test, out=output.append, clear_globs=False)
    return runner.failures == 0, "".join(output)


def _clean_report(report):
    """doctest's report, minus the file/line noise, with the example shown as typed."""
    lines = []
    in_example = False
    for line in report.splitlines():
        if line.startswith(("*****", "File ", "Line ")):
            continue
        if line == "Failed example:":
            in_example = True
            continue
        if in_example and line.startswith("    "):
            lines.append((">>> " if not lines or not lines[-1].startswith((">>> ", "... ")) else "... ") + line[4:])
            continue
        in_example = False
        lines.append(line)
    return "\n".join(lines)


def check(name, namespace=None, tests_dir=None):
    """Runs the public test cases of `name` against your notebook's variables."""
    try:
        test = load_test(name, tests_dir)
    except (OSError, ValueError, SyntaxError) as error:
        return CheckResult(name, [], problem=str(error))
    globs = dict(namespace if namespace is not None else _caller_namespace())
    cases = []
    number = 0
    for suite in test.get("suites", []):
        public = [case for case in suite.get("cases", []) if not case.get("hidden")]
        if not public:
            continue
        if suite.get("setup", "").strip():
            _run_examples(suite["setup"], globs, f"{name} setup")
        for case in public:
            number += 1
            passed, report = _run_examples(case.get("code", ""), globs, f"{name} case {number}")
            message = case.get("success_message") if passed else case.get("failure_message")
            cases.append((number, passed, _clean_report(report), message))
        if suite.get("teardown", "").strip():
            _run_examples(suite["teardown"], globs, f"{name} teardown")
    return CheckResult(name, cases)


# ---------------------------------------------------------------- submit()


class SubmitResult:
    def __init__(self, ok, message, answer=None):
        self.ok = ok
        self.message = message
        self.answer = answer or {}

    def __repr__(self):
        return self.message

    def _repr_html_(self):
        colour = "#1a7f37" if self.ok else "#cf222e"
        text = f'<p style="color:{colour};font-weight:bold">{html.escape(self.message)}</p>'
        url = self.answer.get("submissionUrl")
        if isinstance(url, str) and url.startswith(("https://", "http://")):
            text += f'<p><a href="{html.escape(url, quote=True)}" target="_blank">See your submission</a></p>'
        return text


def _save_notebook(wait):
    """Asks the classic notebook front end to save, so what is submitted is what is on screen."""
    try:
        from IPython.display import Javascript, display

        display(Javascript("if (window.IPython && IPython.notebook) { IPython.notebook.save_checkpoint(); }"))
        time.sleep(wait)
    except ImportError:
        pass


def _describe_answer(answer):
    attempt = answer.get("attempt")
    allowed = answer.get("attemptsAllowed")
    message = answer.get("message") or "Submitted."
    if attempt is not None:
        message += f" (attempt {attempt}" + (f" of {allowed}" if allowed is not None else "") + ")"
    return message


def submit(notebook=None, wait=1.0, config_dir=None, timeout=60):
    """Saves this notebook and submits it for grading; returns what the portal answered."""
    directory = config_dir or os.getcwd()
    try:
        with open(os.path.join(directory, ASSIGNMENT_FILE), encoding="utf-8") as handle:
            config = json.load(handle)
        portal, hub, assignment = config["portalUrl"], config["hubSlug"], config["assignmentId"]
    except (OSError, ValueError, KeyError, TypeError):
        return SubmitResult(False, f"This folder has no {ASSIGNMENT_FILE}: open the assignment from the portal to submit it.")
    token = os.environ.get("JUPYTERHUB_API_TOKEN")
    if not token:
        return SubmitResult(False, "Submitting works only on the hub (JUPYTERHUB_API_TOKEN is not set).")
    if wait:
        _save_notebook(wait)
    path = os.path.join(directory, notebook or config.get("notebook", ""))
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except OSError:
        return SubmitResult(False, f"Could not read the notebook {os.path.basename(path)!r}; is it saved in this folder?")
    url = f"{portal.rstrip('/')}/api/hubs/{urllib.parse.quote(hub)}/assignments/{urllib.parse.quote(assignment)}/submissions"
    request = urllib.request.Request(
        url,
        data=json.dumps({"notebook": text}).encode("utf-8"),
        headers={"Authorization": f"token {token}", "Content-Type": "application/json", "Accept": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            answer = json.loads(response.read().decode("utf-8") or "{}")
        return SubmitResult(True, _describe_answer(answer), answer)
    except urllib.error.HTTPError as error:
        return SubmitResult(False, _portal_error(error))
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        return SubmitResult(False, f"Could not reach the portal ({reason}); try again in a minute.")


def _portal_error(error):
    try:
        body = json.loads(error.read().decode("utf-8"))
        message = body.get("message") or body.get("error")
        if isinstance(message, str) and message:
            return message
    except Exception:
        pass
    return f"The portal refused the submission (HTTP {error.code})."


# ---------------------------------------------------------------- fetching an assignment


class UnsafePath(ValueError):
    pass


def safe_relative(path):
    """A '/'-separated relative path with no '..', or UnsafePath."""
    if not isinstance(path, str) or not path or path.startswith("/") or "\\" in path or "\0" in path:
        raise UnsafePath(f"refusing the path {path!r}")
    parts = path.split("/")
    if any(part in ("", ".", "..") for part in parts):
        raise UnsafePath(f"refusing the path {path!r}")
    return os.path.join(*parts)


def write_material(root, material, assignment):
    """Adds the assignment's folder to root; files that exist are left alone (nbgitpuller's rule).

    Returns (folder, notebook name, the paths written). `assignment` is what
    .hubfed-assignment.json records: assignmentId, portalUrl, hubSlug.
    """
    folder = safe_relative(material["folder"])
    name = material["notebook"]["name"]
    safe_relative(name)
    if "/" in name:
        raise UnsafePath(f"refusing the notebook name {name!r}")
    files = [(safe_relative(entry["path"]), base64.b64decode(entry["contentBase64"], validate=True)) for entry in material.get("files", [])]
    base = os.path.realpath(root)
    target = os.path.join(base, folder)
    written = []

    def add(relative, content):
        path = os.path.join(target, relative)
        # A symlink the student made must not carry our write elsewhere.
        if not os.path.realpath(os.path.dirname(path)).startswith(base + os.sep):
            raise UnsafePath(f"refusing to write through {relative!r}")
        if os.path.lexists(path):
            return
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "xb") as handle:
            handle.write(content)
        written.append(os.path.relpath(path, base))

    os.makedirs(target, exist_ok=True)
    add(name, material["notebook"]["content"].encode("utf-8"))
    for relative, content in files:
        add(relative, content)
    record = {
        "assignmentId": assignment["assignmentId"],
        "notebook": name,
        "portalUrl": assignment["portalUrl"],
        "hubSlug": assignment["hubSlug"],
        "title": material.get("title", ""),
    }
    with open(os.path.join(target, ASSIGNMENT_FILE), "w", encoding="utf-8") as handle:
        json.dump(record, handle, indent=2)
    return material["folder"], name, written


def fetch_material(portal_url, hub_slug, assignment_id, token, timeout=30):
    url = f"{portal_url.rstrip('/')}/api/hubs/{urllib.parse.quote(hub_slug)}/assignments/{urllib.parse.quote(assignment_id)}/material"
    request = urllib.request.Request(url, headers={"Authorization": f"token {token}", "Accept": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read().decode("utf-8"))


def notebook_url(base_url, default_url, folder, name):
    path = urllib.parse.quote(f"{folder}/{name}")
    if "/lab" in (default_url or ""):
        return f"{base_url}lab/tree/{path}"
    return f"{base_url}notebooks/{path}"


def _error_page(title, message):
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>Assignment</title></head>"
        "<body style='font-family:sans-serif;max-width:40em;margin:3em auto'>"
        f"<h1>{html.escape(title)}</h1><p>{html.escape(message)}</p></body></html>"
    )


def _make_handler(base, root_dir, default_url, environ):
    import asyncio

    from tornado import web

    class AssignmentHandler(base):
        @web.authenticated
        async def get(self, assignment_id):
            portal = environ.get("HUBFED_PORTAL_URL")
            hub = environ.get("HUBFED_HUB_SLUG")
            token = environ.get("JUPYTERHUB_API_TOKEN")
            if not (portal and hub and token):
                return self._fail(500, "This server is not set up to fetch assignments.")
            loop = asyncio.get_running_loop()
            try:
                material = await loop.run_in_executor(None, fetch_material, portal, hub, assignment_id, token)
            except urllib.error.HTTPError as error:
                return self._fail(502 if error.code >= 500 else error.code, _portal_error(error))
            except (urllib.error.URLError, OSError, ValueError):
                return self._fail(502, "The portal could not be reached; try again in a minute.")
            try:
                folder, name, _ = write_material(
                    root_dir, material, {"assignmentId": assignment_id, "portalUrl": portal, "hubSlug": hub}
                )
            except (UnsafePath, KeyError, TypeError, ValueError) as error:
                return self._fail(502, f"The assignment could not be opened: {error}")
            except OSError as error:
                return self._fail(500, f"The assignment could not be written to your home folder: {error.strerror}")
            self.redirect(notebook_url(self.base_url, default_url, folder, name))

        def _fail(self, status, message):
            self.set_status(status)
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.finish(_error_page("Could not open the assignment", message))

    return AssignmentHandler


def _setup(web_app, root_dir, default_url, base):
    from tornado.web import url as route

    base_url = web_app.settings.get("base_url", "/")
    pattern = base_url.rstrip("/") + f"/hubfed/assignments/({_ASSIGNMENT_ID})"
    handler = _make_handler(base, os.path.expanduser(root_dir or "~"), default_url, os.environ)
    web_app.add_handlers(".*$", [route(pattern, handler)])


# jupyter_server (JupyterLab, Notebook 7)
def _jupyter_server_extension_points():
    return [{"module": "hubfed_autograder"}]


def _load_jupyter_server_extension(serverapp):
    from jupyter_server.base.handlers import JupyterHandler

    _setup(serverapp.web_app, serverapp.root_dir, serverapp.default_url, JupyterHandler)


# classic notebook 6 server
def _jupyter_server_extension_paths():
    return [{"module": "hubfed_autograder"}]


def load_jupyter_server_extension(nbapp):
    if hasattr(nbapp, "root_dir") and not hasattr(nbapp, "notebook_dir"):
        return _load_jupyter_server_extension(nbapp)
    from notebook.base.handlers import IPythonHandler

    _setup(nbapp.web_app, nbapp.notebook_dir, nbapp.default_url, IPythonHandler)
