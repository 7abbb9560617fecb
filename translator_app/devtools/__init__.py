"""Measuring tools the tests and benchmarks share; the app never imports them.

``peak_memory`` runs code in a fresh child process and reports its peak memory or time, and writes
the hostile files (a runaway line, a gzip bomb, a classic-Mac file with no line ends) whose cost it
measures; ``config_bomb`` does the same for a model whose config.json is far too large. The fault
tests assert bounds on these figures and ``benchmarks/faults.py`` prints them at full size, so both
measure the same thing the same way.
"""
