"""Relais: one shared case file for the Belgian response to domestic violence."""
