"""Composition: settings -> fact base -> matcher -> core -> adapters."""

from bot.core import Core
from bot.settings import Settings
from intents import load_facts


def build_core(settings: Settings) -> Core:
    """The core for these settings; FactBaseError if the fact base is unusable."""
    return Core(load_facts(settings.facts_path), thresholds=settings.thresholds)
