"""ASGI entry point for uvicorn/gunicorn workers: settings come from the environment."""

from heard.app import create_app
from heard.settings import load_settings

app = create_app(load_settings())
