"""The web front end: JSON API, Gradio UI and HTML source pages over one shared index.

Modules: ``core`` (the shared retriever/assistant and the ingest lock), ``api`` (FastAPI
routes), ``ui`` (Gradio), ``render`` (Jinja2 templates in ``templates/``, autoescaped) and
``auth`` (HTTP basic auth).  ``app.py`` at the repository root assembles them.  Imports
point down only: web may import assistant, ingest and vectorstore, never the reverse.
"""
