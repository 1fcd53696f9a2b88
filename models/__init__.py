"""Physical component models of the power and cooling chains of an AI campus.

Pure, vectorised functions over numpy arrays, one module per topic (``models.compute``,
``models.electrical``, ``models.thermal``). Each public function takes and returns pint Quantities and
names its equations and sources; its SI kernel is reachable without units as ``function.kernel``.
Nothing here knows of scenarios or of the campus, and nothing here imports ``facility``.
"""
