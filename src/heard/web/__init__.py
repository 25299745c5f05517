"""Server-rendered pages (Jinja2 + htmx) and their live fragments."""
