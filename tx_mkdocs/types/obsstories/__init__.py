"""What OBS and OBS helps share: the standard stories and frames, story files and folders,
``rc://*/obs/…`` targets (``stories``), front and back matter (``matter``).

A library of the types layer, not a type (it has no entry point): resource types do not import
each other, they import the libraries of their layer.
"""
