"""Hostile partners for tests: loopback servers speaking each connector protocol, badly on purpose.

`server` has the generic ones (an endless answer, a gzip bomb, a slow drip); `relics`, `oai` and
`discovery` each speak one protocol and can send a bad record, pages forever or a huge token.
`python -m tests.connectors.hostile KIND SIZE` runs one alone (for bench/harvest.py).
"""
