"""Synthetic but plausible clubs: Peru's 25 departments and 196 provinces, made-up districts.

Departments carry their real number of provinces (196 in all); provinces and
districts get made-up names from a seeded syllable generator, and clubs the
usual Copa Perú prefixes ("Deportivo", "Juventud", "Defensor", ...). Clubs are
spread over the departments by a damped population weight, so Lima has the
most, and every district gets at least two clubs. Same seed, same clubs.

>>> clubs = synthetic_clubs(1000, seed=3)
>>> len(clubs), len({c.department for c in clubs}), len({(c.department, c.province) for c in clubs})
(1000, 25, 196)
>>> clubs == synthetic_clubs(1000, seed=3)
True
"""

from __future__ import annotations

import random

from copa.core.club import Club

__all__ = ["DEPARTMENTS", "districts_for", "synthetic_clubs"]

#: department, number of provinces, population in millions (2017 census, rounded)
DEPARTMENTS: tuple[tuple[str, int, float], ...] = (
    ("Amazonas", 7, 0.38),
    ("Ancash", 20, 1.08),
    ("Apurímac", 7, 0.41),
    ("Arequipa", 8, 1.38),
    ("Ayacucho", 11, 0.62),
    ("Cajamarca", 13, 1.34),
    ("Callao", 1, 0.99),
    ("Cusco", 13, 1.21),
    ("Huancavelica", 7, 0.35),
    ("Huánuco", 11, 0.72),
    ("Ica", 5, 0.85),
    ("Junín", 9, 1.25),
    ("La Libertad", 12, 1.78),
    ("Lambayeque", 3, 1.20),
    ("Lima", 10, 9.49),
    ("Loreto", 8, 0.88),
    ("Madre de Dios", 3, 0.14),
    ("Moquegua", 3, 0.17),
    ("Pasco", 3, 0.25),
    ("Piura", 8, 1.86),
    ("Puno", 13, 1.17),
    ("San Martín", 10, 0.81),
    ("Tacna", 4, 0.33),
    ("Tumbes", 3, 0.22),
    ("Ucayali", 4, 0.50),
)
#: districts in Peru (INEI)
ALL_DISTRICTS = 1874
CLUBS_PER_DISTRICT = 20_000 / ALL_DISTRICTS

_START = ("Hua", "Chu", "Pa", "Ca", "Qui", "Ya", "Ta", "Ma", "Sa", "Co", "Llan", "Aya", "Pu")
_MID = ("n", "ra", "ca", "ma", "ri", "lla", "cha", "ta", "pi", "yu", "co", "hua", "que", "")
_END = ("yo", "mba", "pampa", "bamba", "marca", "cocha", "ni", "ta", "pata", "huasi", "ro")
_PREFIX = ("San", "Santa", "Villa", "Nuevo", "Alto", "Bajo", "Puerto", "Santo Domingo de")
_SAINTS = (
    "San Juan",
    "San Pedro",
    "San Martín",
    "Santa Rosa",
    "Santa Cruz",
    "San Isidro",
    "San José",
    "Santa Lucía",
    "San Miguel",
)
_CLUB = (
    "Deportivo",
    "Sport",
    "Atlético",
    "Unión",
    "Juventud",
    "Social",
    "Defensor",
    "Cultural",
    "Club",
    "Real",
    "Estrella",
    "Alianza",
    "Racing",
    "Academia",
    "Independiente",
    "Estudiantes",
    "Mariscal",
    "Centro Social",
)


def _place_name(rng: random.Random) -> str:
    word = rng.choice(_START) + rng.choice(_MID) + rng.choice(_END)
    r = rng.random()
    if r < 0.15:
        return f"{rng.choice(_PREFIX)} {word}"
    if r < 0.25:
        return f"{rng.choice(_SAINTS)} de {word}"
    return word


def _unique(rng: random.Random, used: set[str]) -> str:
    while True:
        name = _place_name(rng)
        if name not in used:
            used.add(name)
            return name


def districts_for(n_clubs: int) -> int:
    """How many districts a season of ``n_clubs`` has: about 10.7 clubs each, 196 to 1,874."""
    provinces = sum(p for _, p, _ in DEPARTMENTS)
    want = round(n_clubs / CLUBS_PER_DISTRICT)
    return max(provinces, min(ALL_DISTRICTS, want, n_clubs // 2))


def synthetic_clubs(n_clubs: int, seed: int) -> tuple[Club, ...]:
    """``n_clubs`` clubs spread over departments, provinces and districts, reproducibly."""
    provinces_total = sum(p for _, p, _ in DEPARTMENTS)
    if n_clubs < 2 * provinces_total:
        raise ValueError(
            f"a full pyramid needs at least {2 * provinces_total} clubs "
            f"(two in each of the {provinces_total} provinces), not {n_clubs}"
        )
    rng = random.Random(seed)
    used: set[str] = set()
    n_districts = districts_for(n_clubs)
    # districts: one per province, the rest spread in proportion to provinces
    provinces: list[tuple[str, str]] = []
    for dept, count, _ in DEPARTMENTS:
        for _ in range(count):
            provinces.append((dept, _unique(rng, used)))
    per_province = [1] * len(provinces)
    for _ in range(n_districts - len(provinces)):
        per_province[rng.randrange(len(provinces))] += 1
    districts: list[tuple[str, str, str]] = []
    for (dept, prov), k in zip(provinces, per_province, strict=True):
        for _ in range(k):
            districts.append((dept, prov, _unique(rng, used)))
    # clubs: two per district, the rest by a damped population weight of the department
    weight = {d: pop**0.5 for d, _, pop in DEPARTMENTS}
    dcount: dict[str, int] = {}
    for dept, _, _ in districts:
        dcount[dept] = dcount.get(dept, 0) + 1
    weights = [weight[dept] / dcount[dept] * rng.uniform(0.5, 1.5) for dept, _, _ in districts]
    sizes = [2] * len(districts)
    extra = n_clubs - 2 * len(districts)
    for i in rng.choices(range(len(districts)), weights=weights, k=extra):
        sizes[i] += 1
    clubs: list[Club] = []
    names: set[str] = set()
    for (dept, prov, dist), size in zip(districts, sizes, strict=True):
        for _ in range(size):
            clubs.append(Club(_club_name(rng, dist, prov, names), (), dist, prov, dept))
    return tuple(clubs)


def _club_name(rng: random.Random, district: str, province: str, names: set[str]) -> str:
    for attempt in range(50):
        base = rng.choice(_CLUB)
        if attempt < 4:
            r = rng.random()
            where = district if r < 0.6 else rng.choice(_SAINTS) if r < 0.8 else province
            name = f"{base} {where}"
        else:
            name = f"{base} {rng.choice(_SAINTS)} de {district}"
        if name not in names:
            names.add(name)
            return name
    name = f"{rng.choice(_CLUB)} {district} {_place_name(rng)} {len(names)}"  # pragma: no cover
    names.add(name)
    return name
