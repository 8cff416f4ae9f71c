"""Platform adapters: each carries the core to one platform and depends on nothing else of ours."""
