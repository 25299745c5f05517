"""Unit of work: one transaction per use case, rolled back unless committed, events after commit."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from types import TracebackType

from sqlalchemy import Engine
from sqlalchemy import event as orm_events
from sqlalchemy.orm import Session, SessionTransaction, sessionmaker

from heard.db.engine import READ_ONLY_OPTION
from heard.events import DomainEvent, EventBus, delivery

_PENDING_EVENTS = "heard.pending_events"
# Work that must follow an event is written in the event's own transaction, before it commits
# (a durable job), so a crash between the commit and a subscriber can never lose it.
BeforeCommit = Callable[[Session, Sequence[DomainEvent]], None]


def record_event(session: Session, event: DomainEvent) -> None:
    """Queue an event on the session; it is published only if the transaction commits."""
    session.info.setdefault(_PENDING_EVENTS, []).append(event)


def pending_event_count(session: Session) -> int:
    return len(session.info.get(_PENDING_EVENTS, ()))


def discard_events_after(session: Session, count: int) -> None:
    """Forget the events recorded since there were `count`: their savepoint was rolled back, so
    what they announce never happened."""
    del session.info.get(_PENDING_EVENTS, [])[count:]


# The session's identity map holds clean objects weakly: a row inserted in this transaction and
# no longer referenced by the code that made it (a call's new incident, its warning-sign state)
# would be read back from the database by the next `session.get`. A 999 call's intake asks for
# them again a few statements later, so they are kept until the transaction ends. Capped, so a
# bulk load through the ORM does not hold everything it wrote.
_CREATED = "heard.created_this_transaction"
KEEP_CREATED = 256


@orm_events.listens_for(Session, "pending_to_persistent")
def _keep_created(session: Session, instance: object) -> None:
    created: list[object] = session.info.setdefault(_CREATED, [])
    if len(created) < KEEP_CREATED:
        created.append(instance)


@orm_events.listens_for(Session, "after_transaction_end")
def _forget_created(session: Session, transaction: SessionTransaction) -> None:
    # Releasing a savepoint ends a nested transaction too: only the outermost end forgets.
    if transaction.parent is None:
        session.info.pop(_CREATED, None)


class UnitOfWork:
    def __init__(
        self, session: Session, bus: EventBus, before_commit: Sequence[BeforeCommit] = ()
    ) -> None:
        self.session = session
        self._bus = bus
        self._before_commit = before_commit
        self.committed = False
        # Milliseconds the commit took, and delivering its events after: what a call's answer
        # waited for beyond its own work (reported with the intake timings).
        self.commit_ms = 0.0
        self.deliver_ms = 0.0

    def commit(self) -> None:
        started = time.perf_counter()
        for hook in self._before_commit:
            hook(self.session, tuple(self.session.info.get(_PENDING_EVENTS, ())))
        events: list[DomainEvent] = self.session.info.pop(_PENDING_EVENTS, [])
        self.session.commit()
        self.committed = True
        committed = time.perf_counter()
        with delivery():
            for event in events:
                self._bus.publish(event)
        self.commit_ms = (committed - started) * 1000
        self.deliver_ms = (time.perf_counter() - committed) * 1000

    def __enter__(self) -> UnitOfWork:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if not self.committed:
            self.session.info.pop(_PENDING_EVENTS, None)
            self.session.rollback()
        self.session.close()


class Database:
    """Holds the engine, session factory and bus; built by the composition root, never at import."""

    def __init__(self, engine: Engine, bus: EventBus) -> None:
        self.engine = engine
        self.bus = bus
        self.session_factory = sessionmaker(engine, expire_on_commit=False)
        self.before_commit: list[BeforeCommit] = []

    def unit_of_work(self) -> UnitOfWork:
        return UnitOfWork(self.session_factory(), self.bus, self.before_commit)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """Convenience for scripts and tests: commit on success, roll back on error."""
        with self.unit_of_work() as uow:
            yield uow.session
            uow.commit()

    @contextmanager
    def read_only(self) -> Iterator[Session]:
        """A session for long reads that write nothing: on SQLite it does not take the write lock,
        so other processes keep writing while it reads. Always rolled back."""
        with self.engine.connect() as connection:
            connection = connection.execution_options(**{READ_ONLY_OPTION: True})
            session = Session(bind=connection)
            try:
                yield session
            finally:
                session.rollback()
                session.close()

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def dispose(self) -> None:
        self.engine.dispose()
