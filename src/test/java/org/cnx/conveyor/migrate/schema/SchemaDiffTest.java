package org.cnx.conveyor.migrate.schema;

import static org.cnx.conveyor.migrate.schema.ScratchPostgres.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.util.List;
import java.util.Set;
import org.cnx.conveyor.migrate.schema.SchemaDiff.Change;
import org.cnx.conveyor.migrate.schema.SchemaDiff.Kind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SchemaDiffTest {

    private static final String[] LIBRARY = {
        "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')",
        "CREATE TABLE authors (id serial PRIMARY KEY, name text NOT NULL)",
        "CREATE TABLE books (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, title varchar(100) NOT NULL,"
                + " author_id integer NOT NULL REFERENCES authors (id), m mood DEFAULT 'ok', pages integer DEFAULT 100)",
        "CREATE INDEX books_author_idx ON books (author_id)",
        "CREATE VIEW v_books AS SELECT b.id, a.name FROM books b JOIN authors a ON a.id = b.author_id",
        "CREATE FUNCTION page_count(b bigint) RETURNS integer LANGUAGE sql STABLE AS 'SELECT pages FROM books WHERE id = b'",
    };

    private static ScratchPostgres postgres;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = ScratchPostgres.start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        postgres.close();
    }

    private static SchemaSnapshot snapshot(Connection database) throws Exception {
        return SchemaSnapshot.take(database, Set.of("flyway_schema_history"));
    }

    @Test
    void findsNothingBetweenTwoDatabasesBuiltByTheSameDdl() throws Exception {
        SchemaSnapshot one = snapshot(postgres.database(LIBRARY));
        SchemaSnapshot other = snapshot(postgres.database(LIBRARY));

        assertTrue(SchemaDiff.between(one, other).isEmpty());
        assertEquals(one, other);
        assertEquals(
                "integer not null default nextval('public.authors_id_seq'::regclass)",
                other.objects().get("column public.authors.id"));
    }

    @Test
    void reportsAnAddedColumnAndIndexAsAddedWithReadableLines() throws Exception {
        Connection database = postgres.database(LIBRARY);
        SchemaSnapshot before = snapshot(database);
        run(
                database,
                "ALTER TABLE authors ADD COLUMN groups text[]",
                "CREATE INDEX authors_name_idx ON authors (name)");

        SchemaDiff diff = SchemaDiff.between(before, snapshot(database));

        assertEquals(
                List.of(
                        "+ column public.authors.groups: text[] null",
                        "+ index public.authors_name_idx: CREATE INDEX authors_name_idx ON public.authors USING btree (name)"),
                diff.lines());
        assertEquals(
                List.of(Kind.ADDED, Kind.ADDED),
                diff.added().stream().map(Change::kind).toList());
        assertTrue(diff.removed().isEmpty() && diff.changed().isEmpty());
    }

    @Test
    void reportsAChangedColumnTypeDefaultOrNullabilityAsChanged() throws Exception {
        Connection database = postgres.database(LIBRARY);
        SchemaSnapshot before = snapshot(database);
        run(
                database,
                "ALTER TABLE books ALTER COLUMN title TYPE text",
                "ALTER TABLE books ALTER COLUMN pages SET DEFAULT 200",
                "ALTER TABLE books ALTER COLUMN m SET NOT NULL");

        SchemaDiff diff = SchemaDiff.between(before, snapshot(database));

        assertEquals(
                List.of(
                        "~ column public.books.m: public.mood null default 'ok'::public.mood -> public.mood not null default 'ok'::public.mood",
                        "~ column public.books.pages: integer null default 100 -> integer null default 200",
                        "~ column public.books.title: character varying(100) not null -> text not null"),
                diff.lines());
        assertEquals(diff.changes(), diff.changed());
    }

    @Test
    void reportsADroppedTableAsRemovedWithItsColumns() throws Exception {
        Connection database = postgres.database(LIBRARY);
        SchemaSnapshot before = snapshot(database);
        run(database, "DROP VIEW v_books", "DROP FUNCTION page_count", "DROP TABLE books");

        SchemaDiff diff = SchemaDiff.between(before, snapshot(database));

        List<String> removed = diff.removed().stream().map(Change::key).toList();
        assertEquals(diff.changes(), diff.removed());
        assertTrue(
                removed.containsAll(List.of(
                        "table public.books",
                        "column public.books.id",
                        "column public.books.title",
                        "column public.books.author_id",
                        "column public.books.m",
                        "column public.books.pages",
                        "index public.books_pkey",
                        "index public.books_author_idx",
                        "constraint public.books.books_pkey",
                        "constraint public.books.books_author_id_fkey",
                        "sequence public.books_id_seq")),
                removed::toString);
        assertTrue(diff.lines().contains("- table public.books: ordinary logged"), diff.lines()::toString);
    }

    @Test
    void getsBackTheExactEarlierSnapshotAfterAnApiKeysTableIsCreatedAndDropped() throws Exception {
        Connection database = postgres.database(LIBRARY);
        SchemaSnapshot before = snapshot(database);

        run(
                database,
                "CREATE TABLE api_keys (id SERIAL PRIMARY KEY, key TEXT NOT NULL, name TEXT NOT NULL, groups TEXT[])");
        SchemaDiff created = SchemaDiff.between(before, snapshot(database));
        run(database, "DROP TABLE api_keys");

        assertEquals(
                List.of(
                        "+ column public.api_keys.groups: text[] null",
                        "+ column public.api_keys.id: integer not null default nextval('public.api_keys_id_seq'::regclass)",
                        "+ column public.api_keys.key: text not null",
                        "+ column public.api_keys.name: text not null",
                        "+ constraint public.api_keys.api_keys_pkey: PRIMARY KEY (id)",
                        "+ index public.api_keys_pkey: CREATE UNIQUE INDEX api_keys_pkey ON public.api_keys USING btree (id)",
                        "+ sequence public.api_keys_id_seq: integer start 1 increment 1 min 1 max 2147483647 no cycle owned by public.api_keys.id",
                        "+ table public.api_keys: ordinary logged"),
                created.lines());
        assertEquals(before, snapshot(database));
    }
}
