"""Plotly figure builders: arrays in, go.Figure out."""
