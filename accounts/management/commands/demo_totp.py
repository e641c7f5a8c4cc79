"""Print the current authenticator-app code of a demo user (``demo-...``), for a try-out."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from accounts.totp import totp_current_code

DEMO_PREFIX = "demo-"


class Command(BaseCommand):
    help = "Print the current second-factor code of a demo user (made by load_demo)."

    def add_arguments(self, parser):
        parser.add_argument("username", help="a demo user, e.g. demo-editor")
        parser.add_argument(
            "--recovery-codes", action="store_true", help="print the unused recovery codes too"
        )

    def handle(self, *args, username: str, recovery_codes: bool, **options):
        # Only the demo users: this is a try-out aid, not a way round anyone's second factor.
        if not username.startswith(DEMO_PREFIX):
            raise CommandError(f"Only demo users ({DEMO_PREFIX}...) are served.")
        user = get_user_model().objects.filter(username=username).first()
        if user is None or not Authenticator.objects.filter(user=user, type="totp").exists():
            raise CommandError(f"{username} has no authenticator app: run load_demo first.")
        self.stdout.write(totp_current_code(user))
        if recovery_codes:
            codes = RecoveryCodes.activate(user).get_unused_codes()
            self.stdout.write("recovery codes (each works once): " + " ".join(codes))
