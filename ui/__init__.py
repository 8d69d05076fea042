"""Streamlit-side helpers shared by the pages: cached resources, session state, translations."""
