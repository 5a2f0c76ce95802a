"""pandas-version-independent text dtype.

pandas 3 reads ``dtype="str"`` as its default string dtype, which keeps
missing values as ``NaN``. pandas 2 reads the same spelling as "convert to
Python ``str``", turning a missing value into the *text* ``'nan'`` or
``'None'`` (so a blank place becomes a place called "nan"). :data:`STR` is
the pandas 3 default string dtype spelled explicitly, which pandas >= 2.3
understands identically; use it instead of ``"str"`` / ``str`` wherever a
column may hold missing values.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["STR"]

#: Text with missing values kept as NaN (pandas 3's ``"str"``; pandas >= 2.3).
STR = pd.StringDtype(na_value=np.nan)
