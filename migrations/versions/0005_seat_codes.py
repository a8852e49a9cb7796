"""seat codes: a short join code per seat that a player can type

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24 10:00:00.000000
"""

import secrets
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# As app.services.games makes them (copied: a migration must not change with the app).
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L
LENGTH = 8


def _fresh_code(used: set[str]) -> str:
    while True:
        code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
        if code not in used:
            used.add(code)
            return code


def upgrade() -> None:
    with op.batch_alter_table("seats", schema=None) as batch_op:
        batch_op.add_column(sa.Column("code", sa.String(length=16), nullable=True))
    # Every seat there is gets a code of its own before the column becomes required.
    seats = sa.table("seats", sa.column("id", sa.Integer()), sa.column("code", sa.String()))
    connection = op.get_bind()
    used: set[str] = set()
    seat_ids = connection.execute(sa.select(seats.c.id).order_by(seats.c.id)).scalars().all()
    for seat_id in seat_ids:
        connection.execute(
            seats.update().where(seats.c.id == seat_id).values(code=_fresh_code(used))
        )
    with op.batch_alter_table("seats", schema=None) as batch_op:
        batch_op.alter_column("code", existing_type=sa.String(length=16), nullable=False)
        batch_op.create_unique_constraint("uq_seats_code", ["code"])


def downgrade() -> None:
    with op.batch_alter_table("seats", schema=None) as batch_op:
        batch_op.drop_constraint("uq_seats_code", type_="unique")
        batch_op.drop_column("code")
