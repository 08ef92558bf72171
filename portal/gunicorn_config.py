"""Gunicorn's settings for the portal in production:

    gunicorn --config python:portal.gunicorn_config 'portal:create_app()'

The portal sits behind a proxy that ends TLS and sets X-Forwarded-For and
X-Forwarded-Proto (the portal trusts PROXIES of them). Each worker process runs
THREADS threads, so a page waiting on the back office holds a thread, not a
process. Each setting can be changed from the environment.
"""

from __future__ import annotations

import os

# Where the proxy reaches the portal.
bind = os.environ.get("BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
# One process for each core (WEB_CONCURRENCY to change it), each with threads:
# requests spend most of their time waiting on the back office or the database.
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY") or max(2, os.cpu_count() or 1))
threads = int(os.environ.get("THREADS", "16"))
# Longer than the slowest page: the back office's connect and read timeouts (2 + 5 s)
# on a retried read. A worker stuck past it is restarted.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
# Longer than the proxy's idle timeout (60 s on most load balancers), so the proxy,
# not gunicorn, closes idle connections and never sends on a closed one.
keepalive = 65
# Each worker makes its own database connections after it starts.
preload_app = False
# No control socket (gunicorn 24 and later): nothing here uses it, and two portals on
# one machine would share its default path.
control_socket_disable = True

# JSON lines on stderr, like the portal's own logs. The portal logs each request
# itself (portal.requests, with its id), so gunicorn's access log says nothing.
errorlog = "-"
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "portal.logs.JsonFormatter"}},
    "handlers": {
        "error_console": {"class": "logging.StreamHandler", "formatter": "json",
                          "stream": "ext://sys.stderr"},
    },
    "root": {"level": "INFO", "handlers": []},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["error_console"], "propagate": False},
        "gunicorn.access": {"handlers": [], "propagate": False},
    },
}
