"""The control-room console: pages for handlers, specialists, officers and supervisors."""
