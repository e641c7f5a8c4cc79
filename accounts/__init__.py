"""Staff account protection: second factor, lockout, session limits and the session list."""
