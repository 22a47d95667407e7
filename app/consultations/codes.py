"""Join codes: six characters that are easy to read aloud and type on a phone."""
import secrets

# No look-alikes: no 0/O, no 1/I/L.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 6


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(raw: str) -> str:
    """Forgiving of case, spaces and dashes, as people type codes they read on a wall."""
    return "".join(ch for ch in raw.upper() if not ch.isspace() and ch != "-")
