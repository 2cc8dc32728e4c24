"""Resource types: one subpackage per Door43 resource family (see ``base.py``)."""
