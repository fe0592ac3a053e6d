"""Placeholder grading driver (the real one is written on branch `grader`; a merge keeps theirs).

In a work directory holding submission.ipynb, tests.json (OkTest[] as JSON) and support files:
executes the notebook with nbclient, runs each OK-format doctest case in the same kernel, and with
--results=stdout-nonce prints exactly one line: HUBFED-RESULTS <nonce> <GradescopeResults JSON>.
"""
import json
import os
import sys
import time

GRADING_CELL = r'''
import doctest as _hubfed_doctest, io as _hubfed_io, json as _hubfed_json
def _hubfed_run(_tests):
    _results = []
    for _test in _tests:
        _cases = [c for s in _test["suites"] if s.get("scored", True) for c in s["cases"]]
        _share = _test["points"] / max(1, len(_cases))
        _score, _failures = 0.0, []
        for _suite in _test["suites"]:
            for _case in _suite["cases"]:
                _out = _hubfed_io.StringIO()
                _runner = _hubfed_doctest.DocTestRunner(optionflags=_hubfed_doctest.ELLIPSIS)
                _source = (_suite.get("setup") or "") + "\n" + _case["code"]
                _parsed = _hubfed_doctest.DocTestParser().get_doctest(_source, globals(), _test["name"], None, 0)
                _outcome = _runner.run(_parsed, out=_out.write, clear_globs=False)
                if _outcome.failed == 0:
                    _score += _case.get("points", _share) if _suite.get("scored", True) else 0
                elif not _case.get("hidden"):
                    _failures.append(_out.getvalue())
        _results.append({"name": _test["name"], "score": _score, "max_score": _test["points"],
                         "visibility": "visible", "output": "\n".join(_failures) or "All tests passed"})
    return _results
print("HUBFED-TESTS " + _hubfed_json.dumps(_hubfed_run(_hubfed_json.load(open("tests.json")))))
'''


def main() -> int:
    started = time.monotonic()
    mode = next((a.split("=", 1)[1] for a in sys.argv[1:] if a.startswith("--results=")), "file")
    nonce = os.environ.pop("HUBFED_RESULTS_NONCE", "")
    if mode == "stdout-nonce" and not nonce:
        print(json.dumps({"error": "HUBFED_RESULTS_NONCE is not set"}))
        return 2
    import nbformat
    from nbclient import NotebookClient

    try:
        notebook = nbformat.read("submission.ipynb", as_version=4)
    except Exception as error:  # the student's file: anything may be wrong with it
        print(json.dumps({"error": f"the submission is not a readable notebook: {error}"}))
        return 3
    client = NotebookClient(notebook, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": os.getcwd()}})
    tests = None
    with client.setup_kernel():
        for index, cell in enumerate(notebook.cells):
            if cell.cell_type == "code":
                client.execute_cell(cell, index)
        grading = nbformat.v4.new_code_cell(GRADING_CELL)
        notebook.cells.append(grading)
        client.execute_cell(grading, len(notebook.cells) - 1)
        for output in grading.get("outputs", []):
            for line in output.get("text", "").splitlines():
                if line.startswith("HUBFED-TESTS "):
                    tests = json.loads(line[len("HUBFED-TESTS "):])
    if tests is None:
        print(json.dumps({"error": "the tests did not run"}))
        return 4
    results = {"tests": tests, "score": sum(t["score"] for t in tests),
               "execution_time": round(time.monotonic() - started, 3)}
    if mode == "stdout-nonce":
        print(f"HUBFED-RESULTS {nonce} {json.dumps(results)}", flush=True)
    else:
        with open("results.json", "w") as handle:
            json.dump(results, handle)
    return 0


if __name__ == "__main__":
    sys.exit(main())
