"""The domain of cooperation agreements: partners (pihak ketiga) and the agreements themselves,
each carried through its SOP by a workflow case."""
