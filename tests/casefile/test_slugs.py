"""Case addresses read well: no percent signs for accented Latin, other scripts kept."""

import pytest

from casefile.slugs import readable_slug


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Berta Cáceres", "berta-caceres"),
        ("Défenseurs arrêtés à Atyrau", "defenseurs-arretes-a-atyrau"),
        ("Задержания в Алматы", "задержания-в-алматы"),
        ("Бийский район", "бийский-район"),  # й stays a letter of its own
        ("اعتقال المدافعين", "اعتقال-المدافعين"),
    ],
)
def test_a_title_gives_a_readable_slug(title, slug):
    assert readable_slug(title) == slug
