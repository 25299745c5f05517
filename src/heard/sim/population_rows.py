"""Rows for the chunk's places and for the ground truth about its people."""

from __future__ import annotations

from heard.people import normalise
from heard.sim.history import Dyad
from heard.sim.ids import Ids
from heard.sim.population import Address, Household, Person, Population, Tie
from heard.sim.rows import Batch, Codec, Row


def _location(a: Address, force_id: int) -> Row:
    normalised = normalise.address(a.text)
    return (
        a.id,
        force_id,
        a.text,
        normalised,
        a.postcode,
        a.uprn,
        a.latitude,
        a.longitude,
        a.easting,
        a.northing,
    )


def _household(h: Household, force_id: int, c: Codec) -> Row:
    earlier = h.earlier_address.id if h.earlier_address else None
    return (h.id, force_id, h.kind, h.address.id, earlier, c.day(h.moved_on))


def _person(p: Person, force_id: int, c: Codec) -> Row:
    phone, earlier = normalise.phone_e164(p.phone), normalise.phone_e164(p.earlier_phone)
    return (
        p.id,
        force_id,
        p.household.id,
        p.pool.origin,
        p.sex,
        p.given,
        p.family,
        p.birth_family,
        c.day(p.name_changed_on),
        c.day(p.dob),
        phone,
        earlier,
        c.day(p.phone_changed_on),
        p.email,
    )


def _tie(t: Tie, tie_id: int, force_id: int, c: Codec) -> Row:
    return (tie_id, force_id, t.a.id, t.b.id, t.kind, t.connection, c.day(t.since), c.day(t.until))


def _dyad(d: Dyad, force_id: int, c: Codec) -> Row:
    return (
        d.id,
        force_id,
        d.victim.id,
        d.suspect.id,
        d.connection,
        d.pattern,
        c.ts(d.start),
        c.ts(d.end),
        d.stopped_reporting,
        d.reported,
        d.episodes,
    )


def add_population(
    batch: Batch,
    codec: Codec,
    force_id: int,
    ids: Ids,
    pop: Population,
    extra: list[Tie],
    dyads: list[Dyad],
) -> None:
    rows = batch.rows
    rows["locations"].extend(_location(a, force_id) for a in pop.addresses + pop.places)
    rows["sim_households"].extend(_household(h, force_id, codec) for h in pop.households)
    rows["sim_persons"].extend(_person(p, force_id, codec) for p in pop.people)
    rows["sim_relationships"].extend(
        _tie(t, ids.next("sim_relationships"), force_id, codec) for t in pop.ties + extra
    )
    rows["sim_dyads"].extend(_dyad(d, force_id, codec) for d in dyads)
