"""Monitoring and evaluation of SOPs with the forms of Permenpan RB 35/2012: the monitoring form
of an SOP's implementation, filled from the engine's figures for a period, and the evaluation
form answered by the evaluator; both stored, editable, and printed as PDF and XLSX."""
