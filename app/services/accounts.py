"""Instructor accounts: create, authenticate, look up, change a password, remove; and
their sessions, kept in the database so that signing out or removing an account ends
them on every serving process.

Passwords are hashed with argon2id (argon2-cffi's defaults, rehashed on login when those
defaults change). Players have no account: they hold seats by join link.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.exc import IntegrityError

from app.i18n import _
from app.rules.text import printable, text_problem
from app.services.errors import Conflict, Invalid, LoginRequired, NotFound
from app.services.throttles import Key, Limit, Throttle, Throttled
from app.store.database import Database
from app.store.models import User
from app.store.repositories.sessions import InstructorSessionRepository
from app.store.repositories.users import UserRepository

MIN_PASSWORD = 10
MAX_PASSWORD = 1024  # argon2 hashes anything, but a megabyte "password" is an attack
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")
SIGN_IN = Limit("sign-in", 10)
"""Wrong passwords for one account from one address: keyed on both, so guessing from
elsewhere cannot lock an instructor out."""
SIGN_IN_ADDRESS = Limit("sign-in-address", 30)
"""Wrong passwords from one address, whatever the accounts: no spraying many accounts."""
SESSION_IDLE = 14 * 24 * 3600.0  # as long as the cookie lives; renewed as it is used
SESSION_TOUCH_EVERY = 300.0  # last-seen is written at most this often: reads stay reads


@dataclass(frozen=True)
class Instructor:
    id: int
    email: str
    display_name: str


def _instructor(user: User) -> Instructor:
    return Instructor(user.id, user.email, user.display_name)


def _token_hash(token: str) -> str:
    """Sessions are stored by the hash of their token: the table alone signs no one in."""
    return hashlib.sha256(token.encode()).hexdigest()


def sign_in_keys(client: str, email: str) -> list[Key]:
    return [SIGN_IN.key(f"{client} {email}"), SIGN_IN_ADDRESS.key(client)]


class AccountService:
    def __init__(
        self,
        database: Database,
        *,
        throttle: Throttle | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.database = database
        self.hasher = PasswordHasher()
        self.clock = clock
        self.throttle = throttle or Throttle(database, clock)
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
                    raise Conflict(_("An instructor account already exists; sign in."), "exists")
                if users.by_email(email) is not None:
                    raise Conflict(
                        _("There is already an account for %(email)s.", email=email), "exists"
                    )
                user = User(email=email, display_name=display_name, password_hash=password_hash)
                users.add(user)
                return _instructor(user)
        except IntegrityError as error:  # a concurrent create of the same address
            raise Conflict(
                _("There is already an account for %(email)s.", email=email), "exists"
            ) from error

    def authenticate(self, email: str, password: str, *, client: str) -> Instructor | None:
        """The instructor with these credentials, or None. `client` is the address asking:
        Invalid (`throttled`) while it has had too many failures for this account, or for
        any accounts."""
        email = normalise_email(email)
        user_id = self._verify(email, password, client)
        return self.get(user_id) if user_id is not None else None

    def _verify(self, email: str, password: str, client: str) -> int | None:
        """The account's id if the password is right. The attempt is counted before the
        hash is checked, and given back if the password was right."""
        keys = sign_in_keys(client, email)
        try:
            reservation = self.throttle.reserve(keys)
        except Throttled as paused:
            raise Invalid(
                _(
                    "Too many failed sign-ins; try again in %(seconds)s seconds.",
                    seconds=paused.wait,
                ),
                "throttled",
            ) from None
        with self.database.read() as session:
            user = UserRepository(session).by_email(email)
            stored = user.password_hash if user else self._decoy
            user_id = user.id if user else None
        try:
            self.hasher.verify(stored, password[:MAX_PASSWORD])
        except (VerificationError, InvalidHashError):
            return None  # the reservation stays: a recorded failure
        if user_id is None:
            return None
        # Good: this attempt and the earlier failures of this address for this account no
        # longer count (the address's count over all accounts keeps its failures).
        self.throttle.release(reservation, forget=keys[:1])
        if self.hasher.check_needs_rehash(stored):
            with self.database.write() as session:
                found = UserRepository(session).get(user_id)
                if found is not None:
                    found.password_hash = self.hasher.hash(password)
        return user_id

    # --- sessions ---------------------------------------------------------------------

    def open_session(self, user_id: int, *, replacing: str | None = None) -> str:
        """A new session for a signed-in instructor: its token, for the cookie. `replacing`:
        the browser's previous session token, ended (a fresh token at every sign-in)."""
        token = secrets.token_urlsafe(32)
        now = self.clock()
        with self.database.write() as session:
            sessions = InstructorSessionRepository(session)
            sessions.remove_expired(now)
            if replacing is not None:
                sessions.remove(_token_hash(replacing))
            sessions.add(_token_hash(token), user_id, now, now + SESSION_IDLE)
        return token

    def session_instructor(self, token: str) -> Instructor | None:
        """The instructor whose live session this token is, or None (signed out, ended by
        a password change, account removed, expired)."""
        now = self.clock()
        token_hash = _token_hash(token)
        with self.database.read() as session:
            found = InstructorSessionRepository(session).live(token_hash, now)
            if found is None:
                return None
            user, last_seen = found
            instructor = _instructor(user)
        if now - last_seen >= SESSION_TOUCH_EVERY:
            with self.database.write() as session:
                InstructorSessionRepository(session).touch(token_hash, now, now + SESSION_IDLE)
        return instructor

    def close_session(self, token: str) -> None:
        with self.database.write() as session:
            InstructorSessionRepository(session).remove(_token_hash(token))

    def sessions_of(self, user_id: int) -> int:
        with self.database.read() as session:
            return InstructorSessionRepository(session).count_of_user(user_id)

    # --- the instructors page ---------------------------------------------------------

    def change_password(
        self, user_id: int, current: str, new: str, *, client: str, keep_session: str
    ) -> int:
        """Set a new password once the current one is given (throttled as a sign-in is);
        every other session of the account ends, `keep_session` (the browser asking)
        stays. Returns how many sessions ended."""
        instructor = self.get(user_id)
        if instructor is None:
            raise LoginRequired(_("Your account has been removed."))
        if self._verify(instructor.email, current, client) != user_id:
            raise Invalid(_("The current password is wrong."), "current_password")
        check_new_account(instructor.email, instructor.display_name, new)
        password_hash = self.hasher.hash(new)
        with self.database.write() as session:
            user = UserRepository(session).get(user_id)
            if user is None:
                raise LoginRequired(_("Your account has been removed."))
            user.password_hash = password_hash
            return InstructorSessionRepository(session).remove_of_user(
                user_id, keep=_token_hash(keep_session)
            )

    def reset_password(self, actor_id: int | None, user_id: int, new: str) -> Instructor:
        """A colleague's new password, set by another instructor (`actor_id`; None: from
        the command line, by whoever runs the server) for one who has forgotten theirs,
        given to them in person. Every session of the account ends. One's own password is
        changed with the current one (`change_password`), never reset."""
        if actor_id == user_id:
            raise Invalid(_("Change your own password with your current one."), "self")
        with self.database.read() as session:
            user = UserRepository(session).get(user_id)
            if user is None:
                raise NotFound(_("There is no such instructor account."))
            target = _instructor(user)
        check_new_account(target.email, target.display_name, new)
        password_hash = self.hasher.hash(new)
        with self.database.write() as session:
            users = UserRepository(session)
            if actor_id is not None and users.get(actor_id) is None:
                raise LoginRequired(_("Your account has been removed."))
            user = users.get(user_id)
            if user is None:
                raise NotFound(_("There is no such instructor account."))
            user.password_hash = password_hash
            InstructorSessionRepository(session).remove_of_user(user_id)
        return target

    def by_email(self, email: str) -> Instructor | None:
        with self.database.read() as session:
            user = UserRepository(session).by_email(normalise_email(email))
            return _instructor(user) if user else None

    def remove(self, actor_id: int | None, user_id: int, confirm_email: str) -> Instructor:
        """Remove a colleague's account, once its email address is typed to confirm; its
        sessions end with it. Not one's own: so the last account cannot go, as the remover
        is still there (checked with every account locked, so two instructors removing each
        other at once leave one). `actor_id` None: from the command line, which may remove
        any account but the last."""
        if actor_id == user_id:
            raise Invalid(_("You cannot remove your own account; a colleague can."), "self")
        with self.database.write() as session:
            users = UserRepository(session)
            ids = users.ids_locked()
            if actor_id is not None and actor_id not in ids:
                raise LoginRequired(_("Your account has been removed."))
            user = users.get(user_id) if user_id in ids else None
            if user is None:
                raise NotFound(_("There is no such instructor account."))
            if ids == [user_id]:
                raise Invalid(
                    _("This is the last instructor account; create another before removing it."),
                    "last",
                )
            if normalise_email(confirm_email) != user.email:
                raise Invalid(
                    _(
                        "To remove %(name)s, type their email address %(email)s.",
                        name=user.display_name,
                        email=user.email,
                    ),
                    "confirm",
                )
            removed = _instructor(user)
            InstructorSessionRepository(session).remove_of_user(user_id)
            users.remove(user_id)
            return removed


def normalise_email(email: str) -> str:
    # A character no database may store (NUL) or encode (a lone surrogate) becomes U+FFFD:
    # such an address matches no account instead of failing the query.
    return printable(email.strip().lower())


def check_new_account(email: str, display_name: str, password: str) -> None:
    if not EMAIL.match(email) or len(email) > 320:
        raise Invalid(_("Give an email address such as name@college.example."), "email")
    if not display_name or len(display_name) > 200:
        raise Invalid(_("Give the name students and colleagues know you by."), "display_name")
    for field, label, value in (
        ("email", _("The email address"), email),
        ("display_name", _("The name"), display_name),
    ):
        problem = text_problem(value, one_line=True)
        if problem:
            raise Invalid(_("%(what)s %(problem)s.", what=label, problem=problem), field)
    if len(password) < MIN_PASSWORD:
        raise Invalid(
            _("Choose a password of at least %(least)s characters.", least=MIN_PASSWORD), "password"
        )
    if len(password) > MAX_PASSWORD:
        raise Invalid(
            _("A password may have at most %(most)s characters.", most=MAX_PASSWORD), "password"
        )
