"""Instructor accounts: create, authenticate, look up.

Passwords are hashed with argon2id (argon2-cffi's defaults, rehashed on login when those
defaults change). Players have no account: they hold seats by join link.
"""

from __future__ import annotations

import re
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.exc import IntegrityError

from app.services.errors import Conflict, Invalid
from app.store.database import Database
from app.store.models import User
from app.store.repositories.users import UserRepository

MIN_PASSWORD = 10
MAX_PASSWORD = 1024  # argon2 hashes anything, but a megabyte "password" is an attack
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")
LOGIN_ATTEMPTS = 10  # failed logins per address within LOGIN_WINDOW before a pause
LOGIN_WINDOW = 300.0


@dataclass(frozen=True)
class Instructor:
    id: int
    email: str
    display_name: str


def _instructor(user: User) -> Instructor:
    return Instructor(user.id, user.email, user.display_name)


class LoginThrottle:
    """Slows password guessing: too many failures for one address within the window and
    further attempts are refused until the oldest failure leaves it (in-process memory)."""

    def __init__(
        self, clock: Callable[[], float] = time.monotonic, *, attempts: int = LOGIN_ATTEMPTS
    ) -> None:
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()
        self._clock = clock
        self._attempts = attempts

    def _recent(self, key: str) -> deque[float]:
        failures = self._failures.get(key, deque())
        while failures and self._clock() - failures[0] > LOGIN_WINDOW:
            failures.popleft()
        return failures

    def _forget_quiet_keys(self) -> None:
        # Only keys with a failure inside the window are kept: memory stays bounded by the
        # failures of the last few minutes, however many addresses try.
        for key in [k for k, failures in self._failures.items() if not self._recent(k)]:
            del self._failures[key]

    def wait_seconds(self, key: str) -> int:
        with self._lock:
            failures = self._recent(key)
            if len(failures) < self._attempts:
                return 0
            return max(1, round(LOGIN_WINDOW - (self._clock() - failures[0])))

    def failed(self, key: str) -> None:
        with self._lock:
            if len(self._failures) > 1000:
                self._forget_quiet_keys()
            self._failures.setdefault(key, deque()).append(self._clock())
            self._recent(key)

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)


class AccountService:
    def __init__(self, database: Database, *, throttle: LoginThrottle | None = None) -> None:
        self.database = database
        self.hasher = PasswordHasher()
        self.throttle = throttle or LoginThrottle()
        self._decoy_hash: str | None = None

    @property
    def _decoy(self) -> str:
        """Verifying against this when the address is unknown takes as long as a real
        check, so response times do not tell which addresses have accounts. Made on first
        use: hashing is slow on purpose, and most processes never see a sign-in."""
        if self._decoy_hash is None:
            self._decoy_hash = self.hasher.hash("not a password of anyone's")
        return self._decoy_hash

    def has_accounts(self) -> bool:
        with self.database.read() as session:
            return UserRepository(session).count() > 0

    def instructors(self) -> list[Instructor]:
        with self.database.read() as session:
            return [_instructor(u) for u in UserRepository(session).all()]

    def get(self, user_id: int) -> Instructor | None:
        with self.database.read() as session:
            user = UserRepository(session).get(user_id)
            return _instructor(user) if user else None

    def create(
        self, email: str, display_name: str, password: str, *, first_only: bool = False
    ) -> Instructor:
        """A new instructor account. `first_only`: refuse if any account exists (the
        first-run page), checked in the same transaction as the insert."""
        email = normalise_email(email)
        display_name = " ".join(display_name.split())
        check_new_account(email, display_name, password)
        password_hash = self.hasher.hash(password)
        try:
            with self.database.write() as session:
                users = UserRepository(session)
                if first_only and users.count() > 0:
                    raise Conflict("An instructor account already exists; sign in.", "exists")
                if users.by_email(email) is not None:
                    raise Conflict(f"There is already an account for {email}.", "exists")
                user = User(email=email, display_name=display_name, password_hash=password_hash)
                users.add(user)
                return _instructor(user)
        except IntegrityError as error:  # a concurrent create of the same address
            raise Conflict(f"There is already an account for {email}.", "exists") from error

    def authenticate(self, email: str, password: str) -> Instructor | None:
        """The instructor with these credentials, or None. Raises Invalid while the address
        is paused after too many failures."""
        email = normalise_email(email)
        wait = self.throttle.wait_seconds(email)
        if wait:
            raise Invalid(f"Too many failed sign-ins; try again in {wait} seconds.", "throttled")
        with self.database.read() as session:
            user = UserRepository(session).by_email(email)
            stored = user.password_hash if user else self._decoy
            user_id = user.id if user else None
        try:
            self.hasher.verify(stored, password[:MAX_PASSWORD])
        except (VerificationError, InvalidHashError):
            self.throttle.failed(email)
            return None
        if user_id is None:
            self.throttle.failed(email)
            return None
        self.throttle.succeeded(email)
        if self.hasher.check_needs_rehash(stored):
            with self.database.write() as session:
                found = UserRepository(session).get(user_id)
                if found is not None:
                    found.password_hash = self.hasher.hash(password)
        return self.get(user_id)


def normalise_email(email: str) -> str:
    return email.strip().lower()


def check_new_account(email: str, display_name: str, password: str) -> None:
    if not EMAIL.match(email) or len(email) > 320:
        raise Invalid("Give an email address such as name@college.example.", "email")
    if not display_name or len(display_name) > 200:
        raise Invalid("Give the name students and colleagues know you by.", "display_name")
    if len(password) < MIN_PASSWORD:
        raise Invalid(f"Choose a password of at least {MIN_PASSWORD} characters.", "password")
    if len(password) > MAX_PASSWORD:
        raise Invalid(f"A password may have at most {MAX_PASSWORD} characters.", "password")
