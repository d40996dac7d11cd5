package org.cnx.conveyor.migrate.engine;

import java.util.LinkedHashMap;
import java.util.Map;

/** A db-migrator-format migration set shaped like cnx-db's, for the tests. */
public final class DbMigratorSets {

    /** Where the interpreter with psycopg2 (Debian's python3-psycopg2) is. */
    public static final String PYTHON = "/usr/bin/python3";

    private DbMigratorSets() {}

    /** Plain SQL in cursor.execute, the way most of cnx-db's migrations are written. */
    public static final String CREATE_MODULES = """
            # -*- coding: utf-8 -*-


            def up(cursor):
                cursor.execute(\"\"\"\\
            CREATE TABLE modules (
                module_ident SERIAL PRIMARY KEY,
                name TEXT NOT NULL,
                canonical TEXT
            );
            \"\"\")


            def down(cursor):
                cursor.execute("DROP TABLE modules")
            """;

    /** Reads an SQL file next to it, as cnx-db's function migrations do. */
    public static final String LOAD_FUNCTION = """
            # -*- coding: utf-8 -*-
            import os

            here = os.path.abspath(os.path.dirname(__file__))


            def up(cursor):
                with open(os.path.join(here, 'sql', 'shout.sql')) as f:
                    cursor.execute(f.read())


            def down(cursor):
                cursor.execute('DROP FUNCTION shout(TEXT)')
            """;

    public static final String SHOUT_SQL =
            "CREATE FUNCTION shout(TEXT) RETURNS TEXT AS $$ SELECT upper($1) || '!' $$ LANGUAGE SQL IMMUTABLE;\n";

    /** A Python loop in batches, whose down only passes: irreversible. */
    public static final String SEED_IN_BATCHES = """
            # -*- coding: utf-8 -*-
            from dbmigrator import logger


            def _batches(seq, size):
                for pos in range(0, len(seq), size):
                    yield seq[pos:pos + size]


            def up(cursor):
                names = ['module {}'.format(i) for i in range(250)]
                for batch in _batches(names, 100):
                    cursor.executemany('INSERT INTO modules (name) VALUES (%s)', [(n,) for n in batch])
                    logger.info('inserted {} modules'.format(len(batch)))


            def down(cursor):
                # Seeded rows are not taken back.
                pass
            """;

    /** A deferred backfill that is also a repeat migration: it runs while should_run says there is work. */
    public static final String FILL_CANONICAL = """
            # -*- coding: utf-8 -*-
            from dbmigrator import deferred, logger


            def should_run(cursor):
                cursor.execute('SELECT count(*) FROM modules WHERE canonical IS NULL')
                return cursor.fetchone()[0] > 0


            @deferred
            def up(cursor):
                \"\"\"Fill canonical for every module that lacks it\"\"\"
                cursor.execute('SELECT module_ident FROM modules WHERE canonical IS NULL ORDER BY 1')
                todo = [row[0] for row in cursor.fetchall()]
                for pos in range(0, len(todo), 100):
                    batch = todo[pos:pos + 100]
                    cursor.execute("UPDATE modules SET canonical = 'book-' || module_ident"
                                   " WHERE module_ident = ANY(%s)", (batch,))
                logger.info('filled {} modules'.format(len(todo)))


            def down(cursor):
                cursor.execute('UPDATE modules SET canonical = NULL')
            """;

    /** Needs a superuser for part of its work. */
    public static final String SUPERUSER_FLAG = """
            # -*- coding: utf-8 -*-
            from dbmigrator import super_user


            def up(cursor):
                with super_user() as super_cursor:
                    super_cursor.execute('SELECT rolsuper FROM pg_roles WHERE rolname = current_user')
                    is_super = super_cursor.fetchone()[0]
                cursor.execute('CREATE TABLE superuser_seen (flag BOOLEAN)')
                cursor.execute('INSERT INTO superuser_seen VALUES (%s)', (is_super,))


            def down(cursor):
                cursor.execute('DROP TABLE superuser_seen')
            """;

    /** The whole set: file name → text, with its support file. */
    public static Map<String, String> files() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("20170101000000_create_modules.py", CREATE_MODULES);
        files.put("20170102000000_load_function.py", LOAD_FUNCTION);
        files.put("sql/shout.sql", SHOUT_SQL);
        files.put("20170103000000_seed_in_batches.py", SEED_IN_BATCHES);
        files.put("20170104000000_fill_canonical.py", FILL_CANONICAL);
        files.put("20170105000000_superuser_flag.py", SUPERUSER_FLAG);
        return files;
    }
}
