"""The subcommands of ``translator-app``, one module each.

Every module has ``register(subparsers)``, which adds its parser and sets ``handler`` (the function
that runs it: parsed arguments in, exit status out) as that parser's default; ``cli.main`` lists the
modules and calls the handler. A command module imports the shared ``cli.decoding`` and
``cli.terminal`` and the core, never ``cli.main`` nor another command, so the CLI's imports form no cycle.
"""
