"""salw-routes: small-arms and light-weapons trafficking routes in the Western Balkans.

The pipeline, one module a stage:

- :mod:`routes.schema` — the incident schema and its vocabularies
- :mod:`routes.gazetteer` — offline place-name look-up (GeoNames)
- :mod:`routes.incidents` — reading and validating incident files
- :mod:`routes.geography` — bundled borders, border crossing points and ports
- :mod:`routes.network` — the routable multimodal network
- :mod:`routes.routing` — a route per incident, with alternatives and cost profiles
- :mod:`routes.flows` — route frequency per edge, crossing, corridor and jurisdiction pair
- :mod:`routes.chokepoints` — betweenness, minimum cuts and what-if closures
- :mod:`routes.maps` — interactive offline HTML maps
- :mod:`routes.figures`, :mod:`routes.stats`, :mod:`routes.report` — threat-assessment outputs
- :mod:`routes.synth` — the synthetic sample generator
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from routes._constants import *  # noqa: F403
from routes._constants import __all__ as _constants_all
from routes._errors import *  # noqa: F403
from routes._errors import __all__ as _errors_all
from routes.chokepoints import *  # noqa: F403
from routes.chokepoints import __all__ as _chokepoints_all
from routes.figures import *  # noqa: F403
from routes.figures import __all__ as _figures_all
from routes.flows import *  # noqa: F403
from routes.flows import __all__ as _flows_all
from routes.gazetteer import *  # noqa: F403
from routes.gazetteer import __all__ as _gazetteer_all
from routes.geography import *  # noqa: F403
from routes.geography import __all__ as _geography_all
from routes.incidents import *  # noqa: F403
from routes.incidents import __all__ as _incidents_all
from routes.maps import *  # noqa: F403
from routes.maps import __all__ as _maps_all
from routes.network import *  # noqa: F403
from routes.network import __all__ as _network_all
from routes.report import *  # noqa: F403
from routes.report import __all__ as _report_all
from routes.routing import *  # noqa: F403
from routes.routing import __all__ as _routing_all
from routes.schema import *  # noqa: F403
from routes.schema import __all__ as _schema_all
from routes.stats import *  # noqa: F403
from routes.stats import __all__ as _stats_all
from routes.synth import *  # noqa: F403
from routes.synth import __all__ as _synth_all

try:
    __version__ = version("salw-routes")
except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
    __version__ = "0+unknown"

__all__ = [
    "__version__",
    *_constants_all,
    *_errors_all,
    *_schema_all,
    *_gazetteer_all,
    *_incidents_all,
    *_geography_all,
    *_network_all,
    *_routing_all,
    *_flows_all,
    *_chokepoints_all,
    *_maps_all,
    *_figures_all,
    *_stats_all,
    *_report_all,
    *_synth_all,
]
