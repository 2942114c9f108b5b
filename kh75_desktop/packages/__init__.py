"""Signed packages: keys, the ZIP container, manifests, export, import and the province side."""
