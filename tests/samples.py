"""Polyaxonfile texts and expectations shared by the language-server and editor tests."""

TWO_HANDLERS = """\
kind: component
run:
  kind: job
  init:
    - artifacts:
        dirs: [data]
      git:
        url: https://github.com/org/repo
      connection: repo2
  container:
    image: python:3.11
"""

ONE_HANDLER_MESSAGE = (
    "Only one built-in handler per init entry: `artifacts` and `git` are both set. Split them into separate entries."
)

VALID = """\
kind: component
run:
  kind: job
  init:
    - git:
        url: https://github.com/org/repo
  container:
    image: python:3.11
"""

#: TWO_HANDLERS plus an empty entry `- ` (line 10) where completion is asked.
TWO_HANDLERS_AND_EMPTY_ENTRY = TWO_HANDLERS.replace("  container:\n", "    - \n  container:\n", 1)

#: Completion on an empty init entry: the handlers, then connection, path and container.
ENTRY_KEYS = [
    "artifacts",
    "paths",
    "git",
    "dockerfile",
    "file",
    "tensorboard",
    "lineageRef",
    "modelRef",
    "artifactRef",
    "connection",
    "path",
    "container",
]
