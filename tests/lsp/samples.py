"""Polyaxonfile texts used by the session tests."""

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
