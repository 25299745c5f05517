"""A record reduced once to the normalised values and keys that comparisons and blocking read.

Preparing is the expensive step (folding, phonetic codes, parsing), so it is done once per
record when it enters the index, never per comparison. Strings that repeat across records
(names, codes, postcodes) are interned so a million records share them.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass

from heard.linking import names
from heard.linking.dates import Dob, birth_year_from_age, parse_dob
from heard.linking.records import LinkRecord
from heard.people import normalise

_UK_SECTOR = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?) ([0-9])[A-Z]{2}$")
_SEX = {"f": "f", "female": "f", "woman": "f", "girl": "f", "m": "m", "male": "m", "man": "m"}
_SEX.update({"boy": "m"})


_DOBS: dict[Dob, Dob] = {}


def _intern(value: str | None) -> str | None:
    return sys.intern(value) if value else None


def _shared_dob(dob: Dob | None) -> Dob | None:
    # About 30,000 distinct dates cover a million people; share one tuple per date.
    return _DOBS.setdefault(dob, dob) if dob else None


@dataclass(slots=True)
class Prepared:
    record_id: str
    given: str | None
    family: str | None
    family_tokens: tuple[str, ...]
    given_groups: frozenset[str]
    family_groups: frozenset[str]
    given_skeleton: str | None
    family_skeleton: str | None
    given_phonetic: str | None
    family_phonetic: str | None
    given_nysiis: str | None
    family_nysiis: str | None
    dob: Dob | None
    birth_year_estimate: int | None
    phone: str | None
    postcode: str | None
    postcode_sector: str | None
    postcode_district: str | None
    address: str | None
    sex: str | None

    @property
    def dob_iso(self) -> str | None:
        return self.dob.iso() if self.dob else None


def canonical_postcode(raw: str | None) -> str | None:
    """UK postcodes as 'TS5 6QT'; any other postcode as compact upper case, kept as evidence."""
    if not raw:
        return None
    uk = normalise.postcode(raw)
    if uk:
        return uk
    compact = re.sub(r"[^A-Za-z0-9]", "", raw).upper()
    return compact or None


def postcode_parts(postcode: str | None) -> tuple[str | None, str | None]:
    """(sector, district) of a UK postcode, e.g. ('TS5 6', 'TS5'); (None, None) otherwise."""
    if not postcode:
        return None, None
    found = _UK_SECTOR.match(postcode)
    if not found:
        return None, None
    return f"{found.group(1)} {found.group(2)}", found.group(1)


def normalise_address(raw: str | None) -> str | None:
    if not raw:
        return None
    return normalise.address(raw) or None


def normalise_sex(raw: str | None) -> str | None:
    if not raw:
        return None
    return _SEX.get(raw.strip().lower())


def prepare(record: LinkRecord) -> Prepared:
    given_tokens = names.name_tokens(record.given_name)
    family_tokens = names.name_tokens(record.family_name)
    # Middle names are too often left out to count against a match: compare first forenames.
    given = _intern(given_tokens[0]) if given_tokens else None
    family = _intern("".join(family_tokens)) if family_tokens else None
    postcode = _intern(canonical_postcode(record.postcode))
    sector, district = postcode_parts(postcode)
    dob = _shared_dob(parse_dob(record.date_of_birth))
    return Prepared(
        record_id=record.record_id,
        given=given,
        family=family,
        family_tokens=tuple(sys.intern(token) for token in family_tokens),
        given_groups=names.variant_groups(given),
        family_groups=names.variant_groups(family),
        given_skeleton=_intern(names.skeleton(given)) if given else None,
        family_skeleton=_intern(names.skeleton(family)) if family else None,
        given_phonetic=_intern(names.phonetic(given)) if given else None,
        family_phonetic=_intern(names.phonetic(family)) if family else None,
        given_nysiis=_intern(names.nysiis(given)) if given else None,
        family_nysiis=_intern(names.nysiis(family)) if family else None,
        dob=dob,
        birth_year_estimate=None if dob else birth_year_from_age(record.age, record.recorded_on),
        phone=_intern(normalise.phone_e164(record.phone)),
        postcode=postcode,
        postcode_sector=_intern(sector),
        postcode_district=_intern(district),
        address=_intern(normalise_address(record.address)),
        sex=normalise_sex(record.sex),
    )
