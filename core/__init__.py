"""CNN Lab's computing core: data, model, training, inspection. Never imports Streamlit."""
