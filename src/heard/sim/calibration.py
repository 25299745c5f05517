"""Rates the generator is calibrated to, each with its source in ../shared/reference/domain-facts.md
(section numbers) or marked as a modelling choice. docs/synthetic-data.md reports the measured
outcome for each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

# England and Wales population, mid-2023 (ONS mid-year estimates); not in the fact sheet.
ENGLAND_AND_WALES_POPULATION = 61_000_000
# 1,350,460 DA incidents and crimes recorded, YE Mar 2025 (§10, ONS Nov 2025).
DA_RECORDS_PER_YEAR = 1_350_460
DA_CRIMES_PER_YEAR = 816_493


@dataclass(frozen=True)
class Rates:
    # ≈22 DA incidents and crimes per 1,000 people a year: 1,350,460 / 61 m (§10).
    da_per_1000_people_year: float = 1000 * DA_RECORDS_PER_YEAR / ENGLAND_AND_WALES_POPULATION
    # Non-DA incidents: a modelling choice that gives the sizing of about two incidents
    # per person over ten years, with DA about one incident in nine.
    other_per_1000_people_year: float = 205.0
    # 816,493 of the 1,350,460 DA records were crimes (§10): 60.5%.
    da_crime_share: float = DA_CRIMES_PER_YEAR / DA_RECORDS_PER_YEAR
    # 44.6 arrests per 100 DA crimes (§8.6, §10, ONS YE Mar 2025).
    da_arrests_per_crime: float = 0.446
    # CPS: 53,919 DA suspects charged / 816,493 DA crimes ≈ 6.6% of crimes (§10).
    da_charges_per_crime: float = 53_919 / DA_CRIMES_PER_YEAR
    # MARAC: 32% of cases are repeats (§10, SafeLives Marac dataset to Jun 2023).
    marac_repeat_share: float = 0.32
    # MARAC cases per DA record: 108,775 / 1,350,460 ≈ 8% (§10; different periods, UK vs E&W).
    marac_per_da_record: float = 108_775 / DA_RECORDS_PER_YEAR
    # About 1 in 5 victims report (§10: 18.9% of partner-abuse victims told the police).
    reporting_share: float = 0.189
    # DAPO pilot start in Cleveland, 5 Mar 2025 (§5, SI 2025/261): DAPN/DAPO from then on,
    # DVPN/DVPO before.
    dapo_from: date = date(2025, 3, 5)
    # DVPOs granted on 88% of applications (§10).
    dvpo_granted: float = 0.88


RATES = Rates()
