"""Name choice and the ways a name really varies between records: nicknames, transliterations,
spelling of prefixes, and gendered surname forms."""

from __future__ import annotations

import random
from collections.abc import Sequence

from heard.sim.draw import Weighted, below
from heard.sim.name_pools import POOLS, NamePool

# Diminutives people give or officers write down; each maps to the formal name's alternatives.
NICKNAMES: dict[str, tuple[str, ...]] = {
    "William": ("Bill", "Will", "Billy", "Liam"),
    "Robert": ("Bob", "Rob", "Bobby", "Robbie"),
    "Richard": ("Rick", "Rich", "Richie", "Dick"),
    "James": ("Jim", "Jimmy", "Jamie"),
    "Michael": ("Mike", "Mick", "Mikey"),
    "Thomas": ("Tom", "Tommy"),
    "Christopher": ("Chris", "Kit"),
    "Daniel": ("Dan", "Danny"),
    "Anthony": ("Tony", "Ant"),
    "Joseph": ("Joe", "Joey"),
    "Stephen": ("Steve", "Stevie"),
    "Matthew": ("Matt",),
    "Andrew": ("Andy", "Drew"),
    "David": ("Dave", "Davey"),
    "Nicholas": ("Nick", "Nicky"),
    "Alexander": ("Alex", "Sandy", "Xander"),
    "Edward": ("Ed", "Eddie", "Ted"),
    "Benjamin": ("Ben", "Benny"),
    "Samuel": ("Sam", "Sammy"),
    "Frederick": ("Fred", "Freddie"),
    "Patrick": ("Pat", "Paddy"),
    "Jacob": ("Jake",),
    "Joshua": ("Josh",),
    "Nathan": ("Nate",),
    "Peter": ("Pete",),
    "Elizabeth": ("Liz", "Beth", "Lizzie", "Betty"),
    "Margaret": ("Maggie", "Peggy", "Meg"),
    "Katherine": ("Kate", "Katie", "Kath", "Kathy"),
    "Jennifer": ("Jen", "Jenny"),
    "Rebecca": ("Becky", "Becca"),
    "Samantha": ("Sam", "Sammy"),
    "Victoria": ("Vicky", "Tori"),
    "Jessica": ("Jess", "Jessie"),
    "Charlotte": ("Charlie", "Lottie"),
    "Abigail": ("Abbie", "Abby"),
    "Jacqueline": ("Jackie",),
    "Patricia": ("Pat", "Trish", "Patsy"),
    "Deborah": ("Debbie", "Deb"),
    "Susan": ("Sue", "Susie"),
    "Amanda": ("Mandy",),
    "Nicola": ("Nicky", "Nikki"),
    "Danielle": ("Dani",),
    "Natalie": ("Nat",),
    "Alexandra": ("Alex", "Lexi"),
    "Katarzyna": ("Kasia", "Kate"),
    "Malgorzata": ("Gosia", "Margaret"),
    "Aleksandra": ("Ola", "Alex"),
    "Tomasz": ("Tomek", "Tom"),
    "Piotr": ("Peter",),
    "Krzysztof": ("Chris",),
    "Wojciech": ("Wojtek",),
    "Lukasz": ("Luke",),
    "Mohammed": ("Mo", "Mohd", "Md"),
    "Muhammad": ("Mo", "Mohd", "Md"),
    "Abdullahi": ("Abdi",),
    "Oluwaseun": ("Seun",),
    "Babatunde": ("Tunde",),
    "Chukwuemeka": ("Emeka",),
    "Funmilayo": ("Funmi",),
    "Temitope": ("Tope",),
    "Gurpreet": ("Gary", "Preeti"),
    "Harjit": ("Harry",),
}

# Spellings of one name in the Latin alphabet; any member may be recorded for any other.
TRANSLITERATIONS: tuple[tuple[str, ...], ...] = (
    ("Mohammed", "Muhammad", "Mohamed", "Mohammad", "Muhammed", "Mohamad", "Maxamed"),
    ("Ahmed", "Ahmad", "Ahmet", "Axmed"),
    ("Hussain", "Hussein", "Husain", "Hossain"),
    ("Hassan", "Hasan", "Xasan"),
    ("Youssef", "Yusuf", "Yousef", "Yousif", "Joseph"),
    ("Omar", "Umar", "Omer", "Cumar"),
    ("Osman", "Usman", "Othman", "Uthman"),
    ("Khalid", "Khaled"),
    ("Ibrahim", "Ebrahim", "Ibraheem"),
    ("Abdullahi", "Abdallah", "Abdullah", "Cabdullahi"),
    ("Abdirahman", "Abdulrahman", "Abdurahman", "Abdelrahman"),
    ("Fatima", "Fatimah", "Fatma", "Faduma"),
    ("Aisha", "Ayesha", "Aysha", "Aishah", "Caasha"),
    ("Mariam", "Maryam", "Miriam", "Mariyam"),
    ("Layla", "Laila", "Leila", "Leyla"),
    ("Nour", "Noor", "Nur"),
    ("Yasmin", "Yasmeen", "Jasmine"),
    ("Samira", "Sameera"),
    ("Zainab", "Zaynab", "Zeinab"),
    ("Chaudhry", "Choudhury", "Chowdhury", "Chaudhary"),
    ("Rahman", "Rehman"),
    ("Mahmood", "Mahmud", "Mehmood", "Mahmoud"),
    ("Saeed", "Said", "Sayed"),
    ("Sharif", "Shareef"),
    ("Hamid", "Hameed"),
    ("Zhang", "Chang", "Cheung"),
    ("Chen", "Chan"),
    ("Wang", "Wong"),
    ("Li", "Lee"),
    ("Liu", "Lau"),
    ("Wu", "Ng"),
    ("Zhou", "Chow"),
    ("Xu", "Hsu"),
    ("Huang", "Wong"),
    ("Siobhan", "Shivon", "Shevaun"),
    ("Niamh", "Neve", "Neeve"),
    ("Sean", "Shaun", "Shawn"),
    ("Aoife", "Eva"),
    ("Dmitri", "Dmitry", "Dimitri"),
    ("Andrei", "Andrey", "Andrej"),
    ("Irina", "Iryna"),
    ("Oksana", "Oxana"),
    ("Kwame", "Kwamena"),
    ("Olumide", "Olu"),
)

_TRANSLIT: dict[str, tuple[str, ...]] = {}
for _group in TRANSLITERATIONS:
    for _name in _group:
        _TRANSLIT[_name] = tuple(dict.fromkeys(_TRANSLIT.get(_name, ()) + _group))

ORIGINS = Weighted([(pool, pool.weight) for pool in POOLS])


def choose_pool(rng: random.Random) -> NamePool:
    return ORIGINS.pick(rng)


def pool_for(origin: str) -> NamePool:
    for pool in POOLS:
        if pool.origin == origin:
            return pool
    raise KeyError(origin)


def given_name(rng: random.Random, pool: NamePool, sex: str) -> str:
    return pick(rng, pool.female if sex == "female" else pool.male)


def family_name_for(pool: NamePool, family: str, sex: str) -> str:
    """Polish and similar surnames agree with the bearer's sex (Kowalski, Kowalska)."""
    if sex == "female" and pool.origin == "eastern_european" and family.endswith(("ski", "cki")):
        return family[:-1] + "a"
    return family


def transliterations(name: str) -> tuple[str, ...]:
    """Other spellings of the same name, not including the name itself."""
    return tuple(n for n in _TRANSLIT.get(name, ()) if n != name)


def nicknames(name: str) -> tuple[str, ...]:
    return NICKNAMES.get(name, ())


def formal_names_for(nickname: str) -> tuple[str, ...]:
    """The formal names a diminutive can stand for (Sam: Samuel or Samantha)."""
    return tuple(formal for formal, short in NICKNAMES.items() if nickname in short)


def surname_spellings(family: str) -> tuple[str, ...]:
    """How officers commonly re-spell prefixed and hyphenated surnames."""
    out: list[str] = []
    if family.startswith("O'"):
        out += ["O" + family[2:], "O " + family[2:], family[2:]]
    if family.startswith("Mac"):
        out.append("Mc" + family[3:])
    if family.startswith("Mc"):
        out.append("Mac" + family[2:])
    if family.startswith("Al-"):
        out += ["Al " + family[3:], "Al" + family[3:].lower(), family[3:]]
    if family.endswith("ska"):
        out.append(family[:-1] + "i")
    return tuple(out)


def pick(rng: random.Random, options: Sequence[str]) -> str:
    return options[below(rng, len(options))]
