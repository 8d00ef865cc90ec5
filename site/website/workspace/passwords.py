"""Password hashes: scrypt, with the algorithm and its cost in every stored hash.

>>> encoded = hash_password("correct horse", n=2**10)
>>> encoded.split("$")[:2]
['scrypt', 'n=1024,r=8,p=1']
>>> verify_password("correct horse", encoded), verify_password("wrong", encoded)
(True, False)
>>> must_update(encoded)  # cheaper than today's parameters
True

Why scrypt: it is memory-hard (each guess needs ``128 * n * r`` bytes, 32 MiB
with the parameters below, so GPUs and ASICs gain little over the server's
own CPU), it is in the standard library (``hashlib.scrypt``, OpenSSL's), and
it is one of the KDFs OWASP recommends for passwords. Argon2id would be the
first choice but needs a compiled dependency. ``n=2**15, r=8, p=1`` is
OWASP's minimum for scrypt and takes about 0.1 s here.

Each hash reads ``scrypt$n=N,r=R,p=P$<salt>$<key>`` (base64), so the cost
can be raised later: :func:`must_update` says when a stored hash is older
than the current parameters, and the sign-in rehashes it (Django's
``must_update``). Comparison is constant-time (:func:`hmac.compare_digest`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

__all__ = ["hash_password", "verify_password", "must_update", "ALGORITHM", "N", "R", "P"]

ALGORITHM = "scrypt"
N, R, P = 2**15, 8, 1
_SALT_BYTES = 16
_KEY_BYTES = 32
MAX_PASSWORD_LENGTH = 1024  # a megabyte password costs the same scrypt, but bounds the work


def hash_password(password: str, *, n: int = N, r: int = R, p: int = P) -> str:
    """The stored form of ``password``, with a fresh random salt."""
    salt = secrets.token_bytes(_SALT_BYTES)
    key = _derive(password, salt, n, r, p)
    return f"{ALGORITHM}$n={n},r={r},p={p}${_b64(salt)}${_b64(key)}"


def verify_password(password: str, encoded: str) -> bool:
    """True if ``password`` matches ``encoded``; False for any malformed hash."""
    try:
        algorithm, params, salt, key = encoded.split("$")
        cost = dict(item.split("=", 1) for item in params.split(","))
        n, r, p = int(cost["n"]), int(cost["r"]), int(cost["p"])
        salt_bytes, key_bytes = _unb64(salt), _unb64(key)
    except (ValueError, KeyError):
        return False
    if algorithm != ALGORITHM or len(password) > MAX_PASSWORD_LENGTH:
        return False
    return hmac.compare_digest(_derive(password, salt_bytes, n, r, p, len(key_bytes)), key_bytes)


def must_update(encoded: str) -> bool:
    """True when ``encoded`` was made with other parameters than today's."""
    return not encoded.startswith(f"{ALGORITHM}$n={N},r={R},p={P}$")


def _derive(password: str, salt: bytes, n: int, r: int, p: int, length: int = _KEY_BYTES) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p,
                          maxmem=256 * n * r * p + 2**20, dklen=length)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
