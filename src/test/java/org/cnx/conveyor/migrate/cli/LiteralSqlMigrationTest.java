package org.cnx.conveyor.migrate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Reading db-migrator files as text: which Python is only literal SQL, and the reason for everything else. */
class LiteralSqlMigrationTest {

    private static LiteralSqlMigration read(String up) {
        return LiteralSqlMigration.read("def up(cursor):\n" + up + "\n");
    }

    private static String refusal(String up) {
        return String.join("; ", read(up).refusals());
    }

    @Test
    void everyFormOfStringLiteralIsDecodedAsPythonDoes() {
        LiteralSqlMigration m = read("""
                    cursor.execute('a\\'b' "c\\"d" u'\\u00e9\\x41\\101' r'\\n' ur"\\d" b'e' R'''f''' U\"""g\""")
                    cursor.execute(\"""\\
                line one
                line two\\
                 joined\""")
                """);

        assertThat(m.refusals()).isEmpty();
        assertThat(m.up()).containsExactly("a'bc\"déAA\\n\\defg", "line one\nline two joined");
    }

    @Test
    void docstringsCommentsPassAndParenthesisedImportsAreAllowed() {
        LiteralSqlMigration m = LiteralSqlMigration.read("""
                # -*- coding: utf-8 -*-
                from __future__ import unicode_literals
                from dbmigrator import (deferred,
                                        logger)
                def up(cur):
                    '''Docstring.'''
                    pass  # nothing yet
                    cur.execute("SELECT 1")
                def down(cur):
                    pass
                """);

        assertThat(m.refusals()).isEmpty();
        assertThat(m.up()).containsExactly("SELECT 1");
        assertThat(m.hasDown()).isTrue();
        assertThat(m.down()).isEmpty();
    }

    @Test
    void interpolationParametersAndNonLiteralsAreRefusedWithTheirLine() {
        assertThat(refusal("    cursor.execute('SELECT %s' % name)"))
                .isEqualTo("line 2: % interpolation builds the SQL");
        assertThat(refusal("    cursor.execute('SELECT {}'.format(name))"))
                .isEqualTo("line 2: .format interpolation builds the SQL");
        assertThat(refusal("    cursor.execute(f'SELECT {name}')")).isEqualTo("line 2: an f-string builds the SQL");
        assertThat(refusal("    cursor.execute('SELECT %s', (1,))")).isEqualTo("line 2: execute with parameters");
        assertThat(refusal("    cursor.execute(SQL)")).startsWith("line 2: execute of an expression");
        assertThat(refusal("    if True:\n        cursor.execute('SELECT 1')")).isEqualTo("line 2: a conditional (if)");
        assertThat(refusal("    while True:\n        break")).isEqualTo("line 2: a loop (while)");
        assertThat(refusal("    sql = 'SELECT 1'\n    cursor.execute(sql)"))
                .startsWith("line 2: a variable (sql = \"…\")")
                .contains("line 3: execute of an expression");
        assertThat(refusal("    other.execute('SELECT 1')"))
                .startsWith("line 2: a statement other than cursor.execute");
        assertThat(refusal("    logger.info('hi')")).startsWith("line 2: a statement other than cursor.execute");
        assertThat(refusal("    pass")).isEqualTo("up() runs no SQL: nothing to convert");
    }

    @Test
    void moduleLevelCodeOtherImportsAndMissingUpAreRefused() {
        assertThat(LiteralSqlMigration.read("import psycopg2\nX = 1\n").refusals())
                .containsExactly("line 1: imports psycopg2", "line 2: a variable (X = 1)", "no up(cursor) function");
        assertThat(LiteralSqlMigration.read("from dbmigrator import utils\ndef up(c):\n    c.execute('x')\n")
                        .refusals())
                .containsExactly("line 1: imports utils from dbmigrator (only deferred and logger)");
        assertThat(LiteralSqlMigration.read("@other\ndef up(c):\n    c.execute('x')\n")
                        .refusals())
                .containsExactly("line 1: a decorator other than @deferred");
        assertThat(LiteralSqlMigration.read("def up(c):\n    c.execute('x\n").refusals())
                .containsExactly("line 2: a string that never ends");
    }

    @Test
    void deferredIsReadFromTheDecoratorOnUp() {
        LiteralSqlMigration m = LiteralSqlMigration.read("""
                from dbmigrator import deferred
                @deferred
                def up(cursor):
                    cursor.execute("UPDATE t SET c = 1")
                """);

        assertThat(m.deferred()).isTrue();
        assertThat(m.hasDown()).isFalse();
        assertThat(m.refusals()).isEmpty();
    }
}
