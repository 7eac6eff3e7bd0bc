"""The peer for bench/rules.sh: OpenFisca-core computing the Wet op de zorgtoeslag 2025 formula
(laws/wet_op_de_zorgtoeslag/2025-01-01.yaml) for every row of the same CSV, to a CSV.

Usage: python openfisca_zorgtoeslag.py INPUT.csv OUTPUT.csv
Prints "calculate_ms=<ms>" (OpenFisca's vectorised numpy calculation alone) on stderr.
Figures are constants in the formula rather than OpenFisca parameter files, which only makes
OpenFisca faster. OpenFisca stores float variables as float32, as it does by default.
"""
import sys
import time

import numpy as np
import pandas as pd
from openfisca_core.entities import build_entity
from openfisca_core.periods import YEAR
from openfisca_core.simulations import SimulationBuilder
from openfisca_core.taxbenefitsystems import TaxBenefitSystem
from openfisca_core.variables import Variable

Person = build_entity(key="person", plural="persons", label="Persoon", is_person=True)


def person_variable(name, value_type):
    return type(name, (Variable,), {"value_type": value_type, "entity": Person, "definition_period": YEAR})


class hoogte_zorgtoeslag(Variable):
    value_type = float
    entity = Person
    definition_period = YEAR

    def formula(person, period, parameters):
        inkomen = person("toetsingsinkomen", period)
        partner = person("heeft_toeslagpartner", period)
        verzekerd = person("is_verzekerde", period)
        partner_verzekerd = person("partner_is_verzekerde", period)
        vermogen = person("vermogen", period)
        drempel = 2840600
        normpremie = np.where(partner, 0.04273, 0.01896) * drempel + 0.137 * np.maximum(0, inkomen - drempel)
        standaard = np.where(partner, 2 * 211200, 211200)
        recht = verzekerd * (vermogen <= np.where(partner, 17942900, 14189600)) * (normpremie < standaard)
        factor = np.where(partner * np.logical_not(partner_verzekerd), 0.5, 1.0)
        return np.where(recht, np.round(factor * (standaard - normpremie)), 0)


def main(src, dst):
    tbs = TaxBenefitSystem([Person])
    for name, t in [("toetsingsinkomen", float), ("vermogen", float), ("heeft_toeslagpartner", bool),
                    ("is_verzekerde", bool), ("partner_is_verzekerde", bool)]:
        tbs.add_variable(person_variable(name, t))
    tbs.add_variable(hoogte_zorgtoeslag)
    df = pd.read_csv(src, dtype={"id": str})
    sim = SimulationBuilder().build_default_simulation(tbs, count=len(df))
    for name in ["toetsingsinkomen", "vermogen", "heeft_toeslagpartner", "is_verzekerde", "partner_is_verzekerde"]:
        sim.set_input(name, "2025", df[name].to_numpy())
    start = time.perf_counter()
    result = sim.calculate("hoogte_zorgtoeslag", "2025")
    ms = (time.perf_counter() - start) * 1000
    pd.DataFrame({"id": df["id"], "hoogte_zorgtoeslag": result.astype(np.int64)}).to_csv(dst, index=False)
    print(f"calculate_ms={ms:.1f}", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
