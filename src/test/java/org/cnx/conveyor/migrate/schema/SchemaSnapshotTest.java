package org.cnx.conveyor.migrate.schema;

import static org.cnx.conveyor.migrate.schema.ScratchPostgres.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SchemaSnapshotTest {

    private static ScratchPostgres postgres;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = ScratchPostgres.start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        postgres.close();
    }

    @Test
    void capturesViewsFunctionsSequencesEnumsTriggersAndConstraints() throws Exception {
        Connection database = postgres.database(
                "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')",
                "CREATE TABLE books (id serial PRIMARY KEY, title text NOT NULL UNIQUE, m mood, CHECK (length(title) > 0))",
                "CREATE VIEW v_books AS SELECT id, title FROM books",
                "CREATE MATERIALIZED VIEW m_books AS SELECT count(*) AS n FROM books",
                "CREATE FUNCTION f(a integer, b text) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT a'",
                "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$",
                "CREATE TRIGGER t_name BEFORE UPDATE ON books FOR EACH ROW EXECUTE FUNCTION touch()",
                "CREATE SEQUENCE counter START 5 INCREMENT 2",
                "CREATE EXTENSION pgcrypto");

        Map<String, String> objects = SchemaSnapshot.take(database, Set.of()).objects();

        assertEquals("enum ('sad', 'ok', 'happy')", objects.get("type public.mood"));
        assertEquals("ordinary logged", objects.get("table public.books"));
        assertEquals("public.mood null", objects.get("column public.books.m"));
        assertEquals("PRIMARY KEY (id)", objects.get("constraint public.books.books_pkey"));
        assertEquals("UNIQUE (title)", objects.get("constraint public.books.books_title_key"));
        assertEquals("CHECK ((length(title) > 0))", objects.get("constraint public.books.books_title_check"));
        assertEquals(
                "CREATE UNIQUE INDEX books_title_key ON public.books USING btree (title)",
                objects.get("index public.books_title_key"));
        assertEquals("SELECT books.id, books.title FROM public.books;", oneLine(objects.get("view public.v_books")));
        assertEquals(
                "SELECT count(*) AS n FROM public.books;", oneLine(objects.get("materialized view public.m_books")));
        assertTrue(objects.get("function public.f(integer, text)")
                .matches("returns integer language sql immutable md5 [0-9a-f]{32}"));
        assertEquals(
                "CREATE TRIGGER t_name BEFORE UPDATE ON public.books FOR EACH ROW EXECUTE FUNCTION public.touch()",
                objects.get("trigger public.books.t_name"));
        assertEquals(
                "bigint start 5 increment 2 min 1 max 9223372036854775807 no cycle",
                objects.get("sequence public.counter"));
        assertEquals(
                "integer start 1 increment 1 min 1 max 2147483647 no cycle owned by public.books.id",
                objects.get("sequence public.books_id_seq"));
        assertEquals("version 1.3 in schema public", objects.get("extension pgcrypto"));
        assertTrue(
                objects.keySet().stream().noneMatch(key -> key.startsWith("function public.digest")),
                "an extension's own functions belong to its row");
    }

    @Test
    void capturesPartitionedTablesDomainsAndCompositeTypes() throws Exception {
        Connection database = postgres.database(
                "CREATE DOMAIN email AS text NOT NULL CHECK (VALUE LIKE '%@%')",
                "CREATE TYPE pair AS (a integer, b text)",
                "CREATE TABLE events (day date NOT NULL, body text) PARTITION BY RANGE (day)",
                "CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')",
                "CREATE UNLOGGED TABLE scratch (e email)");

        Map<String, String> objects = SchemaSnapshot.take(database, Set.of()).objects();

        assertEquals(
                "over text not null email_check CHECK ((VALUE ~~ '%@%'::text))", objects.get("domain public.email"));
        assertEquals("composite (a integer, b text)", objects.get("type public.pair"));
        assertEquals("partitioned logged partition by RANGE (day)", objects.get("table public.events"));
        assertEquals(
                "ordinary logged partition of public.events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')",
                objects.get("table public.events_2026"));
        assertEquals("ordinary unlogged", objects.get("table public.scratch"));
        assertEquals("public.email null", objects.get("column public.scratch.e"));
    }

    @Test
    void leavesOutExcludedTablesWithTheirColumnsIndexesConstraintsAndSequences() throws Exception {
        Connection database = postgres.database(
                "CREATE TABLE books (id serial PRIMARY KEY)",
                "CREATE TABLE flyway_schema_history (installed_rank serial PRIMARY KEY, script text UNIQUE)",
                "CREATE TABLE conveyor_deferred_history (id integer PRIMARY KEY REFERENCES books (id))");

        SchemaSnapshot snapshot =
                SchemaSnapshot.take(database, Set.of("flyway_schema_history", "conveyor_deferred_history"));

        assertEquals(
                Set.of(
                        "schema public",
                        "extension plpgsql",
                        "table public.books",
                        "column public.books.id",
                        "index public.books_pkey",
                        "constraint public.books.books_pkey",
                        "sequence public.books_id_seq"),
                snapshot.objects().keySet());
        assertEquals(7, snapshot.size());
    }

    @Test
    void keysColumnsByNameSoTheirOrderInTheTableDoesNotMatter() throws Exception {
        SchemaSnapshot one = SchemaSnapshot.take(postgres.database("CREATE TABLE t (a integer, b text)"), Set.of());
        SchemaSnapshot other = SchemaSnapshot.take(
                postgres.database(
                        "CREATE TABLE t (b text, x integer)",
                        "ALTER TABLE t DROP COLUMN x",
                        "ALTER TABLE t ADD a integer"),
                Set.of());

        assertEquals(one, other);
    }

    @Test
    void readsTheSameWhateverTheSearchPathAndLeavesItAsItWas() throws Exception {
        Connection database = postgres.database("CREATE SCHEMA app", "CREATE TABLE app.books (id serial PRIMARY KEY)");
        SchemaSnapshot withDefaultPath = SchemaSnapshot.take(database, Set.of());
        run(database, "SET search_path TO app, public");

        assertEquals(withDefaultPath, SchemaSnapshot.take(database, Set.of()));
        assertEquals(
                "integer not null default nextval('app.books_id_seq'::regclass)",
                withDefaultPath.objects().get("column app.books.id"));
        try (ResultSet row = database.createStatement().executeQuery("SHOW search_path")) {
            row.next();
            assertEquals("app, public", row.getString(1));
        }
    }

    private static String oneLine(String definition) {
        return definition.strip().replaceAll("\\s*\\n\\s*", " ");
    }
}
