"""Anonymised benchmarking: where a force stands against its region and the nation, per process area.

The figure compared is the share of a process area's activities that are implemented or embedded, taken
from each force's latest *signed-off* figures (its newest sign-off snapshot) and never from a draft or
a submission, so every force is compared on answers a coordinator has accepted.

A force sees the distribution of a group (its region, and England and Wales) as the median and the
lower and upper quartiles, with its own value and where that value falls, and never another force's
name. Two guards keep other forces from being recognised:

- a group is benchmarked only when at least MINIMUM_GROUP forces in it have signed-off figures;
- a region is benchmarked against itself only when it has MINIMUM_GROUP or more forces at all.

Either way the benchmark is withheld with its reason stated, so an absent comparison never looks like
an oversight. National staff see the same figures with every force named (national_benchmark).

Quartiles are `statistics.quantiles(values, n=4, method="inclusive")` from the standard library: the
"inclusive" method treats the forces as the whole population (they are every force, not a sample), so
the quartiles lie within the observed values and match a spreadsheet's QUARTILE.INC.

Queries: two, whatever the number of forces or rounds (each force's newest snapshot with its force and
region, and the activities' areas); one for the force report, which knows its plan's activities.
"""

from assessments.benchmarks.arithmetic import (
    BOTTOM_QUARTER as BOTTOM_QUARTER,
)
from assessments.benchmarks.arithmetic import (
    MIDDLE_HALF as MIDDLE_HALF,
)
from assessments.benchmarks.arithmetic import (
    MINIMUM_GROUP as MINIMUM_GROUP,
)
from assessments.benchmarks.arithmetic import (
    NATIONAL_GROUP_NAME as NATIONAL_GROUP_NAME,
)
from assessments.benchmarks.arithmetic import (
    TOP_QUARTER as TOP_QUARTER,
)
from assessments.benchmarks.arithmetic import (
    AreaBenchmark as AreaBenchmark,
)
from assessments.benchmarks.arithmetic import (
    Distribution as Distribution,
)
from assessments.benchmarks.arithmetic import (
    ForceBenchmark as ForceBenchmark,
)
from assessments.benchmarks.arithmetic import (
    GroupBenchmark as GroupBenchmark,
)
from assessments.benchmarks.arithmetic import (
    NamedForceLine as NamedForceLine,
)
from assessments.benchmarks.arithmetic import (
    NationalBenchmark as NationalBenchmark,
)
from assessments.benchmarks.arithmetic import (
    group_benchmark as group_benchmark,
)
from assessments.benchmarks.arithmetic import (
    percent as percent,
)
from assessments.benchmarks.arithmetic import (
    position_in as position_in,
)
from assessments.benchmarks.arithmetic import (
    quartiles as quartiles,
)
from assessments.benchmarks.comparisons import (
    force_benchmark as force_benchmark,
)
from assessments.benchmarks.comparisons import (
    national_benchmark as national_benchmark,
)
from assessments.benchmarks.inputs import (
    BenchmarkInputs as BenchmarkInputs,
)
from assessments.benchmarks.inputs import (
    SignedOffFigures as SignedOffFigures,
)
from assessments.benchmarks.inputs import (
    TrendFor as TrendFor,
)
from assessments.benchmarks.inputs import (
    activity_areas as activity_areas,
)
from assessments.benchmarks.inputs import (
    area_shares as area_shares,
)
from assessments.benchmarks.inputs import (
    area_tallies as area_tallies,
)
from assessments.benchmarks.inputs import (
    benchmark_inputs as benchmark_inputs,
)
