"""Prepare Superset's metadata database, in one process of Superset's own venv.

Run by navtiltak.bi.server with Superset's Python: upgrade the metadata database to
Superset's schema (creating it when new), set up the roles and permissions
(`superset init`), and create the admin user or set its password. The password comes
in NAV_TILTAK_BI_ADMIN_PASSWORD (never on the command line, which `ps` shows).
Equivalent to `superset db upgrade`, `superset init` and `superset fab create-admin`
/ `reset-password`, without loading the application four times.
"""

import os
import sys

from flask_migrate import upgrade
from superset.app import create_app

ADMIN = "admin"


def main() -> int:
    password = os.environ["NAV_TILTAK_BI_ADMIN_PASSWORD"]
    app = create_app()
    with app.app_context():
        from superset import appbuilder, db, security_manager

        upgrade()
        appbuilder.add_permissions(update_perms=True)
        security_manager.sync_role_definitions()
        user = security_manager.find_user(username=ADMIN)
        if user is None:
            created = security_manager.add_user(
                ADMIN,
                "NAV tiltak",
                "admin",
                "admin@localhost",
                security_manager.find_role("Admin"),
                password,
            )
            if not created:
                print("could not create the admin user", file=sys.stderr)
                return 1
        else:
            security_manager.reset_password(user.id, password)
        db.session.commit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
