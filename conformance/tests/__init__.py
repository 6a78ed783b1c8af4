"""Tests of the conformance harness and of the suite itself."""
