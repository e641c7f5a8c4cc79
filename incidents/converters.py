class UnicodeSlugConverter:
    """Slugs in any script: a Russian title gives a Cyrillic slug, not an empty one."""

    regex = r"[-\w]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
