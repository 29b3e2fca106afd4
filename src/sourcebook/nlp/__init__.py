"""spaCy side of sourcebook: registered components that write dataclass payloads to ``Doc._``."""
