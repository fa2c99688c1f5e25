"""How import files name a park or a cluster: by code or by name. Parks and clusters are defined by administrators
on their pages; other apps' import kinds use these look-ups for their `park` and `cluster` columns."""

from parkadmin.imports.parsers import Ref
from parks.models import IndustryCluster, Park

PARK = Ref(Park, ("code", "name"), whole_table=True)
CLUSTER = Ref(IndustryCluster, ("code", "name"), whole_table=True)
