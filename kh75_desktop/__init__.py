"""KH75 Desktop core: catalogue, storage, rules, packages, reports and CLI, free of Qt."""

__version__ = "0.1.0"
