"""Helpers for the tests that run unikom as its users meet it: real servers in
subprocesses, their own databases, an HTTP client with cookies, HTML forms."""
