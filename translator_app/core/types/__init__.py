"""The plain types the shells and the core exchange, importable without torch.

The window builds and checks decoding options, reads model configs, states training settings and
catches errors before torch is loaded, so everything here imports only the standard library and
its own modules. Each name is imported from the module that defines it (``core.types.options``,
``core.types.modelformat``, ...): this package re-exports nothing, so every name has one path.
"""
