"""Each log line is written once (Django's default logging adds a handler of its own)."""

import logging


def handlers_reached(name: str) -> list[logging.Handler]:
    reached, logger = [], logging.getLogger(name)
    while logger is not None:
        # pytest puts its own capture handlers on the root logger: not ours to count.
        reached += [h for h in logger.handlers if not type(h).__module__.startswith("_pytest")]
        logger = logger.parent if logger.propagate else None
    return reached


def test_a_django_log_line_reaches_one_handler():
    for name in ("django.request", "django.utils.autoreload", "casefile.queue"):
        assert len(handlers_reached(name)) == 1, name
