"""The command-line shell: ``translator-app`` and its subcommands, over the core's facades.

A package of its own (not a namespace) so that the import contracts (``lint-imports``, pyproject's
``[tool.importlinter]``) and the import-path test see its modules.
"""
