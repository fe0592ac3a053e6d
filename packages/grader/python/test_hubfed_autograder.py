"""Tests of the student module's pure parts; run by src/python.int.test.ts under vitest.

HUBFED_RENDERED_TESTS points at a tests/ folder written by renderOkTestFile,
so the TypeScript writer and Python's literal reader are checked together.
"""

import base64
import http.server
import json
import os
import sys
import tempfile
import threading
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hubfed_autograder as grader  # noqa: E402

RENDERED = os.environ.get("HUBFED_RENDERED_TESTS", "")


class CheckTest(unittest.TestCase):
    def test_public_cases_pass_against_a_namespace(self):
        result = grader.check("q1", namespace={"x": 2, "f": lambda n: 2 * n}, tests_dir=RENDERED)
        self.assertTrue(result.passed, repr(result))
        self.assertIn("q1 passed all 2 public tests", repr(result))
        self.assertIn("passed all", result._repr_html_())

    def test_a_failing_case_shows_expected_and_got(self):
        result = grader.check("q1", namespace={"x": 3}, tests_dir=RENDERED)
        self.assertFalse(result.passed)
        text = repr(result)
        self.assertIn("Test case 1 failed: x should be 2", text)
        self.assertIn("Expected:\n    True\nGot:\n    False", text)
        self.assertIn("&gt;&gt;&gt; x == 2", result._repr_html_())

    def test_hidden_cases_never_reach_students(self):
        with open(os.path.join(RENDERED, "q1.py"), encoding="utf-8") as handle:
            self.assertNotIn("f(10)", handle.read())

    def test_a_question_without_public_cases_says_so(self):
        result = grader.check("q2", namespace={}, tests_dir=RENDERED)
        self.assertIn("no public tests", repr(result))

    def test_a_test_file_is_never_executed(self):
        with tempfile.TemporaryDirectory() as directory:
            with open(os.path.join(directory, "q9.py"), "w") as handle:
                handle.write("test = __import__('os').system('touch /tmp/hubfed-pwned')\n")
            result = grader.check("q9", namespace={}, tests_dir=directory)
        self.assertIn("malformed node", repr(result))
        self.assertFalse(os.path.exists("/tmp/hubfed-pwned"))

    def test_question_names_cannot_walk_out_of_tests(self):
        self.assertIn("is not a question name", repr(grader.check("../secret", namespace={})))

    def test_the_caller_globals_are_used_outside_ipython(self):
        global y
        y = 5
        with tempfile.TemporaryDirectory() as directory:
            with open(os.path.join(directory, "q3.py"), "w") as handle:
                handle.write('test = {"name": "q3", "points": 1, "suites": [{"cases": [{"code": ">>> y\\n5"}]}]}\n')
            self.assertTrue(grader.check("q3", tests_dir=directory).passed)


def material(files):
    return {
        "title": "Lab 1",
        "folder": "lab01",
        "notebook": {"name": "lab01.ipynb", "content": '{"cells": []}'},
        "files": [{"path": path, "contentBase64": base64.b64encode(content).decode()} for path, content in files],
    }


ASSIGNMENT = {"assignmentId": "a1", "portalUrl": "http://portal.test", "hubSlug": "data8"}


class WriteMaterialTest(unittest.TestCase):
    def test_adds_missing_files_and_never_overwrites(self):
        with tempfile.TemporaryDirectory() as root:
            os.makedirs(os.path.join(root, "lab01"))
            with open(os.path.join(root, "lab01", "lab01.ipynb"), "w") as handle:
                handle.write("my work")
            folder, name, written = grader.write_material(
                root, material([("tests/q1.py", b"test = {}"), ("data.csv", b"a\n")]), ASSIGNMENT
            )
            self.assertEqual((folder, name), ("lab01", "lab01.ipynb"))
            self.assertEqual(sorted(written), ["lab01/data.csv", "lab01/tests/q1.py"])
            with open(os.path.join(root, "lab01", "lab01.ipynb")) as handle:
                self.assertEqual(handle.read(), "my work")
            with open(os.path.join(root, "lab01", ".hubfed-assignment.json")) as handle:
                self.assertEqual(json.load(handle)["notebook"], "lab01.ipynb")

    def test_refuses_unsafe_paths(self):
        for path in ("../escape", "/etc/passwd", "a/../../b", "a\\b", ""):
            with tempfile.TemporaryDirectory() as root, self.subTest(path=path):
                with self.assertRaises(grader.UnsafePath):
                    grader.write_material(root, material([(path, b"x")]), ASSIGNMENT)
        with tempfile.TemporaryDirectory() as root:
            bad = material([])
            bad["folder"] = "../outside"
            with self.assertRaises(grader.UnsafePath):
                grader.write_material(root, bad, ASSIGNMENT)

    def test_refuses_to_write_through_a_students_symlink(self):
        with tempfile.TemporaryDirectory() as root, tempfile.TemporaryDirectory() as elsewhere:
            os.makedirs(os.path.join(root, "lab01"))
            os.symlink(elsewhere, os.path.join(root, "lab01", "data"))
            with self.assertRaises(grader.UnsafePath):
                grader.write_material(root, material([("data/x.csv", b"x")]), ASSIGNMENT)
            self.assertEqual(os.listdir(elsewhere), [])

    def test_redirects_to_lab_or_classic(self):
        self.assertEqual(grader.notebook_url("/user/a/", "/lab", "lab 1", "n.ipynb"), "/user/a/lab/tree/lab%201/n.ipynb")
        self.assertEqual(grader.notebook_url("/user/a/", "/tree", "lab01", "n.ipynb"), "/user/a/notebooks/lab01/n.ipynb")


class FakePortal(http.server.BaseHTTPRequestHandler):
    received = []

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        FakePortal.received.append((self.path, self.headers["Authorization"], body))
        if "closed" in self.path:
            self.send_response(409)
            payload = {"message": "The deadline has passed."}
        else:
            self.send_response(200)
            payload = {"attempt": 2, "attemptsAllowed": 3, "message": "Submitted.", "submissionUrl": "http://portal.test/s/1"}
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(json.dumps(payload).encode())

    def log_message(self, *args):
        pass


class SubmitTest(unittest.TestCase):
    def setUp(self):
        self.server = http.server.HTTPServer(("127.0.0.1", 0), FakePortal)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.directory = tempfile.TemporaryDirectory()
        os.environ["JUPYTERHUB_API_TOKEN"] = "secret-token"

    def tearDown(self):
        self.server.shutdown()
        self.server.server_close()
        self.directory.cleanup()

    def configure(self, assignment_id):
        with open(os.path.join(self.directory.name, ".hubfed-assignment.json"), "w") as handle:
            json.dump({"assignmentId": assignment_id, "notebook": "lab.ipynb", "hubSlug": "data8", "title": "Lab",
                       "portalUrl": f"http://127.0.0.1:{self.server.server_port}"}, handle)
        with open(os.path.join(self.directory.name, "lab.ipynb"), "w") as handle:
            handle.write('{"cells": []}')

    def test_posts_the_notebook_with_the_hub_token(self):
        self.configure("a1")
        result = grader.submit(wait=0, config_dir=self.directory.name)
        self.assertTrue(result.ok)
        self.assertEqual(repr(result), "Submitted. (attempt 2 of 3)")
        path, authorization, body = FakePortal.received[-1]
        self.assertEqual(path, "/api/hubs/data8/assignments/a1/submissions")
        self.assertEqual(authorization, "token secret-token")
        self.assertEqual(body, {"notebook": '{"cells": []}'})

    def test_shows_the_portals_message_not_a_traceback(self):
        self.configure("closed")
        result = grader.submit(wait=0, config_dir=self.directory.name)
        self.assertFalse(result.ok)
        self.assertEqual(repr(result), "The deadline has passed.")

    def test_without_an_assignment_file_says_how_to_fix_it(self):
        result = grader.submit(wait=0, config_dir=self.directory.name)
        self.assertIn("open the assignment from the portal", repr(result))


if __name__ == "__main__":
    unittest.main()
