"""Placeholder student module (the real one is written on branch `grader`; a merge keeps theirs).

Importable in kernels, and loadable as a server extension for notebook 6 and jupyter_server, so
runtimes can be wired and tested before the real module lands.
"""
import os

__all__ = ["check", "submit"]


def check(question):
    raise NotImplementedError("the autograder module is a placeholder")


def submit():
    raise NotImplementedError("the autograder module is a placeholder")


def _handlers(base_url):
    from tornado import web

    class AssignmentHandler(web.RequestHandler):
        def get(self, assignment_id):
            self.set_header("Content-Type", "application/json")
            self.write({"placeholder": True, "assignment": assignment_id,
                        "hub": os.environ.get("HUBFED_HUB_SLUG", "")})

    return [(base_url.rstrip("/") + "/hubfed/assignments/([^/]+)", AssignmentHandler)]


def _jupyter_server_extension_points():
    return [{"module": "hubfed_autograder"}]


def _load_jupyter_server_extension(server_app):
    web_app = server_app.web_app
    web_app.add_handlers(".*$", _handlers(web_app.settings["base_url"]))


# notebook 6
_jupyter_server_extension_paths = _jupyter_server_extension_points
load_jupyter_server_extension = _load_jupyter_server_extension
