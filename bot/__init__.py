"""The fact bot: the async core, settings, the command line and the platform adapters."""
