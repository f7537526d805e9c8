"""A project on a PostgreSQL server (driver psycopg 3): the same Store, its parts' SQL rewritten
by ``dialect.py``, the schema in ``schema.sql``. ``backend.py`` (one level up) chooses it from the URL."""
