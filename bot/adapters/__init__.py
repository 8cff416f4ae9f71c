"""Platform adapters: each carries the core to one platform and depends on nothing else here."""


class AdapterError(Exception):
    """An adapter could not start or serve; the message names the cause and never a secret."""
