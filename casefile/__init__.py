"""Casefile's ground floor: small helpers every app may use; it imports no app of ours."""
