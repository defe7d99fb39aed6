"""Superset's configuration for `make bi` and the tests (SUPERSET_CONFIG_PATH names it).

What Superset keeps (its metadata database, the key that signs sessions) lives in the
folder NAV_TILTAK_BI_HOME names: `.bi/` for `make bi`, a temporary folder in tests.
"""

import os
import secrets
from pathlib import Path

HOME = Path(os.environ["NAV_TILTAK_BI_HOME"]).resolve()
HOME.mkdir(parents=True, exist_ok=True)
_KEY = HOME / "secret_key"
if not _KEY.exists():
    _KEY.write_text(secrets.token_urlsafe(42), encoding="utf-8")
    _KEY.chmod(0o600)

SECRET_KEY = _KEY.read_text(encoding="utf-8").strip()
SQLALCHEMY_DATABASE_URI = f"sqlite:///{HOME / 'superset.db'}"

# One local server: caches in process. Chart data is not cached: every chart asks the
# warehouse again (the marts are small), so a new build shows at the next refresh.
CACHE_CONFIG = {"CACHE_TYPE": "SimpleCache"}
DATA_CACHE_CONFIG = {"CACHE_TYPE": "NullCache"}

# Numbers the Norwegian way, as NAV prints them: 75 769.
D3_FORMAT = {"decimal": ",", "thousands": "\u00a0", "grouping": [3], "currency": ["", " kr"]}

# The page loads nothing from outside this server. Superset's default policy lets it
# load a telemetry pixel (apachesuperset.gateway.scarf.sh) that its published frontend
# always requests, and map tiles; this one allows this server alone, so the browser
# refuses the pixel.
TALISMAN_ENABLED = True
TALISMAN_CONFIG = {
    "content_security_policy": {
        "base-uri": ["'self'"],
        "default-src": ["'self'"],
        "img-src": ["'self'", "blob:", "data:"],
        "worker-src": ["'self'", "blob:"],
        "connect-src": ["'self'"],
        "object-src": "'none'",
        "style-src": ["'self'", "'unsafe-inline'"],
        "font-src": ["'self'"],
        "script-src": ["'self'", "'strict-dynamic'"],
    },
    "content_security_policy_nonce_in": ["script-src"],
    "force_https": False,
    "session_cookie_secure": False,
}
CONTENT_SECURITY_POLICY_WARNING = False
