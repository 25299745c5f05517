"""The true synthetic population of one chunk: households, people, addresses and family ties.

Everything is built from the chunk's own random stream, so a chunk is the same whatever else is
generated; dates are day ordinals and times are epoch seconds to keep the hot loops cheap.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from heard.sim import geo, names
from heard.sim.draw import Weighted
from heard.sim.ids import Ids
from heard.sim.name_pools import NamePool

DAYS_PER_YEAR = 365.25
# Household make-up, roughly the ONS families-and-households mix for England and Wales.
HOUSEHOLD_KINDS = (
    ("single", 0.28),
    ("couple", 0.24),
    ("couple_children", 0.22),
    ("lone_parent", 0.12),
    ("adult_child", 0.09),
    ("sharers", 0.05),
)
MOBILE_PREFIXES = "12345789"


@dataclass(slots=True, eq=False)
class Address:
    id: int
    text: str
    house: str
    street_name: str
    town: str
    postcode: str
    latitude: float
    longitude: float
    easting: int
    northing: int
    uprn: int | None


@dataclass(slots=True, eq=False)
class Person:
    id: int
    household: Household
    pool: NamePool
    sex: str
    given: str
    family: str
    birth_family: str
    dob: int
    name_changed_on: int | None = None
    phone: str | None = None
    earlier_phone: str | None = None
    phone_changed_on: int | None = None
    email: str | None = None
    # Force-side state while records are written: the subject the force first linked them to.
    subject_id: int | None = None
    partner: Person | None = None
    children: list[Person] = field(default_factory=list)

    def age_on(self, day: int) -> int:
        return int((day - self.dob) / DAYS_PER_YEAR)

    def family_on(self, day: int) -> str:
        if self.name_changed_on is not None and day < self.name_changed_on:
            return self.birth_family
        return self.family

    def phone_on(self, day: int) -> str | None:
        if self.phone_changed_on is not None and day < self.phone_changed_on:
            return self.earlier_phone
        return self.phone


@dataclass(slots=True, eq=False)
class Household:
    id: int
    kind: str
    address: Address
    earlier_address: Address | None = None
    moved_on: int | None = None
    landline: str | None = None
    members: list[Person] = field(default_factory=list)

    def address_on(self, day: int) -> Address:
        if self.earlier_address is not None and self.moved_on is not None and day < self.moved_on:
            return self.earlier_address
        return self.address


@dataclass(slots=True)
class Tie:
    """A true relationship between two people (sim_relationships)."""

    a: Person
    b: Person
    kind: str
    connection: str
    since: int | None = None
    until: int | None = None


@dataclass
class Population:
    households: list[Household]
    people: list[Person]
    ties: list[Tie]
    addresses: list[Address]
    places: list[Address]


class PopulationBuilder:
    """Builds one chunk's people; first_day/last_day bound the history window (day ordinals)."""

    def __init__(
        self, rng: random.Random, ids: Ids, area: geo.ForceArea, seed: int, window: tuple[int, int]
    ) -> None:
        self.rng = rng
        self.ids = ids
        self.area = area
        self.seed = seed
        self.first_day, self.last_day = window
        self.pop = Population([], [], [], [], [])
        self._street_cursor = 0
        self._streets: list[tuple[geo.Street, int]] = []

    def build(self, n_people: int, street_base: int, n_streets: int) -> Population:
        self._streets = [
            (geo.street(self.area, self.seed, street_base + i), 0) for i in range(n_streets)
        ]
        makers = {
            "single": self._make_single,
            "couple": self._make_couple,
            "couple_children": self._make_couple_children,
            "lone_parent": self._make_lone_parent,
            "adult_child": self._make_adult_child,
            "sharers": self._make_sharers,
        }
        kinds = Weighted(HOUSEHOLD_KINDS)
        while len(self.pop.people) < n_people:
            kind = kinds.pick(self.rng)
            makers[kind](n_people - len(self.pop.people))
        self._make_places()
        geocode(self.pop.addresses + self.pop.places)
        return self.pop

    # --- addresses -------------------------------------------------------------------------

    def _new_address(self) -> Address:
        at = self.rng.randrange(len(self._streets))
        street, used = self._streets[at]
        self._streets[at] = (street, used + 1)
        number = used + 1
        flat = self.rng.random() < 0.15
        house = f"Flat {self.rng.randint(1, 6)}, {number}" if flat else str(number)
        code = geo.postcode(street, number // 16)
        text = f"{house} {street.name}, {street.town.name}, {code}"
        address = Address(
            id=self.ids.next("locations"),
            text=text,
            house=house,
            street_name=street.name,
            town=street.town.name,
            postcode=code,
            # Offset along the street so neighbours sit metres apart; geocode() fills lat/lon.
            latitude=0.0,
            longitude=0.0,
            easting=street.easting + (number % 40) * 9 - 180,
            northing=street.northing + self.rng.randint(-25, 25),
            uprn=None
            if self.rng.random() < 0.1
            else 900_000_000_000 + street.index * 1000 + number,
        )
        self.pop.addresses.append(address)
        return address

    def _make_places(self) -> None:
        for kind in geo.PLACE_KINDS:
            address = self._new_address()
            self.pop.addresses.pop()
            address.text = f"{kind}, {address.text}"
            self.pop.places.append(address)

    def _household(self, kind: str) -> Household:
        household = Household(self.ids.next("sim_households"), kind, self._new_address())
        if self.rng.random() < 0.22:
            household.earlier_address = self._new_address()
            household.moved_on = self.rng.randint(self.first_day, self.last_day)
        if self.rng.random() < 0.3:
            town = next(t for t in self.area.towns if t.name == household.address.town)
            household.landline = f"{town.dialling_code}{self.rng.randint(200000, 899999)}"
        self.pop.households.append(household)
        return household

    # --- people ----------------------------------------------------------------------------

    def _person(
        self, household: Household, pool: NamePool, sex: str, age: float, family: str | None = None
    ) -> Person:
        rng = self.rng
        surname = family or rng.choice(pool.family)
        dob = self.last_day - int(age * DAYS_PER_YEAR) - rng.randrange(365)
        person = Person(
            id=self.ids.next("sim_persons"),
            household=household,
            pool=pool,
            sex=sex,
            given=names.given_name(rng, pool, sex),
            family=names.family_name_for(pool, surname, sex),
            birth_family=names.family_name_for(pool, surname, sex),
            dob=dob,
        )
        if age >= 12:
            person.phone = _mobile(rng)
            if rng.random() < 0.28:
                person.earlier_phone = _mobile(rng)
                person.phone_changed_on = rng.randint(self.first_day, self.last_day)
        if age >= 16 and rng.random() < 0.55:
            person.email = _email(rng, person)
        household.members.append(person)
        self.pop.people.append(person)
        return person

    def _adult(
        self, household: Household, pool: NamePool, low: int, high: int, sex: str | None = None
    ) -> Person:
        chosen = sex or ("female" if self.rng.random() < 0.51 else "male")
        return self._person(household, pool, chosen, self.rng.uniform(low, high))

    def _children(self, parent: Person, family: str, count: int) -> list[Person]:
        parent_age = parent.age_on(self.last_day)
        kids = []
        for _ in range(count):
            age = self.rng.uniform(0, min(17.9, max(parent_age - 18, 0.5)))
            sex = "female" if self.rng.random() < 0.49 else "male"
            child = self._person(parent.household, parent.pool, sex, age, family)
            parent.children.append(child)
            kids.append(child)
        return kids

    def _tie(
        self,
        a: Person,
        b: Person,
        kind: str,
        connection: str,
        since: int | None = None,
        until: int | None = None,
    ) -> None:
        self.pop.ties.append(Tie(a, b, kind, connection, since, until))

    def _couple(self, household: Household, low: int, high: int) -> tuple[Person, Person]:
        rng = self.rng
        pool = names.choose_pool(rng)
        first = self._adult(household, pool, low, high)
        same_sex = rng.random() < 0.05
        other_sex = first.sex if same_sex else ("male" if first.sex == "female" else "female")
        other_pool = pool if rng.random() < 0.88 else names.choose_pool(rng)
        age = min(max(first.age_on(self.last_day) + rng.gauss(1.5, 4), 18), 95)
        second = self._person(household, other_pool, other_sex, age)
        first.partner, second.partner = second, first
        since = self.last_day - int(rng.uniform(1, max(2, age - 18)) * DAYS_PER_YEAR)
        connection = self._couple_connection(same_sex)
        if connection in ("married", "civil_partners") and not same_sex:
            wife, husband = (first, second) if first.sex == "female" else (second, first)
            if rng.random() < 0.8:
                wife.family = names.family_name_for(wife.pool, husband.birth_family, "female")
                wife.name_changed_on = since
        self._tie(first, second, "partner", connection, since=since)
        return first, second

    def _couple_connection(self, same_sex: bool) -> str:
        roll = self.rng.random()
        if roll < 0.55:
            return "civil_partners" if same_sex and self.rng.random() < 0.4 else "married"
        if roll < 0.6:
            return "agreed_to_marry"
        return "intimate_relationship"

    def _make_single(self, room: int) -> None:
        self._adult(self._household("single"), names.choose_pool(self.rng), 18, 90)

    def _make_couple(self, room: int) -> None:
        self._couple(self._household("couple"), 20, 88)

    def _make_sharers(self, room: int) -> None:
        household = self._household("sharers")
        for _ in range(min(room, self.rng.randint(2, 3))):
            self._adult(household, names.choose_pool(self.rng), 18, 40)

    def _make_couple_children(self, room: int) -> None:
        first, second = self._couple(self._household("couple_children"), 24, 52)
        father = first if first.sex == "male" else second
        kids = self._children(first, father.family, min(room, self.rng.choice((1, 1, 2, 2, 3))))
        second.children.extend(kids)
        self._parent_ties(first, kids)
        self._parent_ties(second, kids)
        self._sibling_ties(kids)

    def _make_lone_parent(self, room: int) -> None:
        rng = self.rng
        pool = names.choose_pool(rng)
        sex = "female" if rng.random() < 0.86 else "male"
        parent = self._adult(self._household("lone_parent"), pool, 19, 52, sex=sex)
        kids = self._children(parent, parent.family, min(room, rng.choice((1, 1, 2, 3))))
        self._parent_ties(parent, kids)
        self._sibling_ties(kids)
        if rng.random() < 0.7:
            # The children's other parent lives elsewhere: a former partner, still connected.
            other = "male" if sex == "female" else "female"
            age = min(max(parent.age_on(self.last_day) + rng.gauss(2, 4), 19), 80)
            ex = self._person(self._household("single"), pool, other, age)
            ex.children.extend(kids)
            self._parent_ties(ex, kids)
            split = rng.randint(self.first_day - 3650, self.last_day - 30)
            kind = "married" if rng.random() < 0.35 else "parents_of_same_child"
            self._tie(parent, ex, "former_partner", kind, until=split)

    def _make_adult_child(self, room: int) -> None:
        household = self._household("adult_child")
        pool = names.choose_pool(self.rng)
        parent = self._adult(household, pool, 45, 88)
        age = self.rng.uniform(18, min(55, parent.age_on(self.last_day) - 18))
        sex = "female" if self.rng.random() < 0.45 else "male"
        child = self._person(household, pool, sex, age, parent.birth_family)
        parent.children.append(child)
        self._parent_ties(parent, [child])

    def _parent_ties(self, parent: Person, kids: list[Person]) -> None:
        for kid in kids:
            self._tie(parent, kid, "parent_child", "relatives", since=kid.dob)

    def _sibling_ties(self, kids: list[Person]) -> None:
        for i, kid in enumerate(kids):
            for other in kids[i + 1 :]:
                self._tie(kid, other, "siblings", "relatives")


def _mobile(rng: random.Random) -> str:
    return f"07{rng.choice(MOBILE_PREFIXES)}{rng.randrange(10**8):08d}"


def _email(rng: random.Random, person: Person) -> str:
    local = f"{person.given}.{person.family}".lower().replace("'", "").replace(" ", "")
    domain = rng.choice(("example.com", "example.org", "example.net"))  # reserved (RFC 2606)
    return f"{local}{rng.randrange(100)}@{domain}"


def geocode(addresses: list[Address]) -> None:
    """Fills latitude/longitude from the British National Grid position, in one batch."""
    if not addresses:
        return
    longitudes, latitudes = geo.bng_to_wgs84(
        [a.easting for a in addresses], [a.northing for a in addresses]
    )
    for address, lon, lat in zip(addresses, longitudes, latitudes, strict=True):
        address.longitude = round(lon, 6)
        address.latitude = round(lat, 6)
