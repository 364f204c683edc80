"""Money: FX rates and recorded conversions, the double-entry ledger with its balance guards, escrow holds.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29

The ledger's guards in the database (hub/money/ledger.py's `post` is the only code writing postings):
- both: a posting cannot be changed; a posting cannot be added to a transaction already written (its row
  exists); postings reference their transaction through a foreign key checked at commit, so `post` writes the
  postings first and the transaction row last.
- SQLite: inserting the transaction row fails unless its postings sum to zero in every currency; postings
  cannot be deleted.
- PostgreSQL: a deferred constraint trigger checks at commit that every transaction whose postings were
  inserted or deleted still sums to zero in every currency (so only whole transactions can be deleted).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa


from alembic import op
from hub.db import UTCDateTime
from hub.money.models import DecimalText

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE_GUARDS = (
    """CREATE TRIGGER ledger_transactions_balanced AFTER INSERT ON ledger_transactions
    WHEN EXISTS (
        SELECT a.currency FROM ledger_postings p JOIN ledger_accounts a ON a.id = p.account_id
        WHERE p.transaction_id = NEW.id GROUP BY a.currency HAVING SUM(p.amount_minor) <> 0
    )
    BEGIN SELECT RAISE(ABORT, 'ledger transaction does not sum to zero in every currency'); END""",
    """CREATE TRIGGER ledger_postings_sealed BEFORE INSERT ON ledger_postings
    WHEN EXISTS (SELECT 1 FROM ledger_transactions WHERE id = NEW.transaction_id)
    BEGIN SELECT RAISE(ABORT, 'ledger transaction already written: post a new one'); END""",
    """CREATE TRIGGER ledger_postings_unchanged BEFORE UPDATE ON ledger_postings
    BEGIN SELECT RAISE(ABORT, 'ledger postings cannot be changed: post a correcting transaction'); END""",
    """CREATE TRIGGER ledger_postings_kept BEFORE DELETE ON ledger_postings
    BEGIN SELECT RAISE(ABORT, 'ledger postings cannot be deleted: post a correcting transaction'); END""",
)

POSTGRESQL_GUARDS = (
    """CREATE FUNCTION ledger_postings_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        txn varchar;
        bad record;
    BEGIN
        IF TG_OP = 'DELETE' THEN txn := OLD.transaction_id; ELSE txn := NEW.transaction_id; END IF;
        SELECT a.currency, SUM(p.amount_minor) AS total INTO bad
        FROM ledger_postings p JOIN ledger_accounts a ON a.id = p.account_id
        WHERE p.transaction_id = txn GROUP BY a.currency HAVING SUM(p.amount_minor) <> 0 LIMIT 1;
        IF FOUND THEN
            RAISE EXCEPTION 'ledger transaction % does not sum to zero in %: % minor units',
                txn, bad.currency, bad.total
                USING ERRCODE = 'check_violation';
        END IF;
        RETURN NULL;
    END $$""",
    """CREATE CONSTRAINT TRIGGER ledger_postings_balanced AFTER INSERT OR DELETE ON ledger_postings
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_postings_balanced()""",
    """CREATE FUNCTION ledger_postings_sealed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF EXISTS (SELECT 1 FROM ledger_transactions WHERE id = NEW.transaction_id) THEN
            RAISE EXCEPTION 'ledger transaction % already written: post a new one', NEW.transaction_id
                USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END $$""",
    """CREATE TRIGGER ledger_postings_sealed BEFORE INSERT ON ledger_postings
    FOR EACH ROW EXECUTE FUNCTION ledger_postings_sealed()""",
    """CREATE FUNCTION ledger_postings_unchanged() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'ledger postings cannot be changed: post a correcting transaction'
            USING ERRCODE = 'check_violation';
    END $$""",
    """CREATE TRIGGER ledger_postings_unchanged BEFORE UPDATE ON ledger_postings
    FOR EACH ROW EXECUTE FUNCTION ledger_postings_unchanged()""",
)


def upgrade() -> None:
    op.create_table(
        "fx_rates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("base", sa.String(length=3), nullable=False),
        sa.Column("quote", sa.String(length=3), nullable=False),
        sa.Column("rate", DecimalText(), nullable=False),
        sa.Column("valid_from", UTCDateTime(), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("recorded_by", sa.String(length=255), nullable=False),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint("base <> quote", name=op.f("ck_fx_rates_two_currencies")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fx_rates")),
        sa.UniqueConstraint("base", "quote", "valid_from", name="uq_fx_rates_pair_valid_from"),
    )
    op.create_table(
        "fx_conversions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=255), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("source_amount", DecimalText(), nullable=False),
        sa.Column("source_currency", sa.String(length=3), nullable=False),
        sa.Column("amount", DecimalText(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("effective_rate", DecimalText(), nullable=False),
        sa.Column("legs", sa.JSON(), nullable=False),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fx_conversions")),
    )
    op.create_index(op.f("ix_fx_conversions_reference"), "fx_conversions", ["reference"], unique=False)
    op.create_table(
        "ledger_accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint("kind IN ('institution', 'escrow')", name=op.f("ck_ledger_accounts_kind")),
        sa.ForeignKeyConstraint(
            ["institution_id"], ["institutions.id"], name=op.f("fk_ledger_accounts_institution_id_institutions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_accounts")),
        sa.UniqueConstraint("kind", "institution_id", "currency", name="uq_ledger_accounts_owner_currency"),
    )
    op.create_table(
        "ledger_transactions",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("reference", sa.String(length=255), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_transactions")),
    )
    op.create_index(op.f("ix_ledger_transactions_reference"), "ledger_transactions", ["reference"], unique=False)
    op.create_table(
        "ledger_postings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("transaction_id", sa.String(length=32), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("amount_minor <> 0", name=op.f("ck_ledger_postings_non_zero")),
        sa.ForeignKeyConstraint(
            ["account_id"], ["ledger_accounts.id"], name=op.f("fk_ledger_postings_account_id_ledger_accounts")
        ),
        sa.ForeignKeyConstraint(
            ["transaction_id"],
            ["ledger_transactions.id"],
            name=op.f("fk_ledger_postings_transaction_id_ledger_transactions"),
            deferrable=True,
            initially="DEFERRED",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_postings")),
    )
    op.create_index(op.f("ix_ledger_postings_account_id"), "ledger_postings", ["account_id"], unique=False)
    op.create_index(op.f("ix_ledger_postings_transaction_id"), "ledger_postings", ["transaction_id"], unique=False)
    op.create_table(
        "escrow_holds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=255), nullable=False),
        sa.Column("buyer_id", sa.Integer(), nullable=False),
        sa.Column("seller_id", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("held_at", UTCDateTime(), nullable=False),
        sa.Column("settled_at", UTCDateTime(), nullable=True),
        sa.Column("hold_transaction_id", sa.String(length=32), nullable=False),
        sa.Column("settle_transaction_id", sa.String(length=32), nullable=True),
        sa.CheckConstraint("amount_minor > 0", name=op.f("ck_escrow_holds_positive")),
        sa.CheckConstraint("state IN ('HELD', 'RELEASED', 'RETURNED')", name=op.f("ck_escrow_holds_state")),
        sa.ForeignKeyConstraint(["buyer_id"], ["institutions.id"], name=op.f("fk_escrow_holds_buyer_id_institutions")),
        sa.ForeignKeyConstraint(
            ["seller_id"], ["institutions.id"], name=op.f("fk_escrow_holds_seller_id_institutions")
        ),
        sa.ForeignKeyConstraint(
            ["hold_transaction_id"],
            ["ledger_transactions.id"],
            name=op.f("fk_escrow_holds_hold_transaction_id_ledger_transactions"),
        ),
        sa.ForeignKeyConstraint(
            ["settle_transaction_id"],
            ["ledger_transactions.id"],
            name=op.f("fk_escrow_holds_settle_transaction_id_ledger_transactions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_escrow_holds")),
        sa.UniqueConstraint("reference", name=op.f("uq_escrow_holds_reference")),
    )
    guards = POSTGRESQL_GUARDS if op.get_bind().dialect.name == "postgresql" else SQLITE_GUARDS
    for statement in guards:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER ledger_postings_unchanged ON ledger_postings")
        op.execute("DROP TRIGGER ledger_postings_sealed ON ledger_postings")
        op.execute("DROP TRIGGER ledger_postings_balanced ON ledger_postings")
        for function in ("ledger_postings_unchanged", "ledger_postings_sealed", "ledger_postings_balanced"):
            op.execute(f"DROP FUNCTION {function}()")
    op.drop_table("escrow_holds")
    op.drop_index(op.f("ix_ledger_postings_transaction_id"), table_name="ledger_postings")
    op.drop_index(op.f("ix_ledger_postings_account_id"), table_name="ledger_postings")
    op.drop_table("ledger_postings")
    op.drop_index(op.f("ix_ledger_transactions_reference"), table_name="ledger_transactions")
    op.drop_table("ledger_transactions")
    op.drop_table("ledger_accounts")
    op.drop_index(op.f("ix_fx_conversions_reference"), table_name="fx_conversions")
    op.drop_table("fx_conversions")
    op.drop_table("fx_rates")
