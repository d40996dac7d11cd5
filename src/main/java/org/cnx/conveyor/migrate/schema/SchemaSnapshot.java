package org.cnx.conveyor.migrate.schema;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collections;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A schema as catalog objects: a sorted map from an object key to its definition text.
 *
 * <p>Keys name the object class and the schema-qualified object, for example {@code table public.api_keys},
 * {@code column public.api_keys.id}, {@code index public.api_keys_pkey},
 * {@code constraint public.api_keys.api_keys_pkey}, {@code view public.v_books}, {@code materialized view public.m},
 * {@code function public.f(integer, text)}, {@code procedure public.p(integer)}, {@code sequence public.api_keys_id_seq},
 * {@code trigger public.books.t_name}, {@code type public.mood}, {@code domain public.email},
 * {@code extension pgcrypto} and {@code schema public}.
 *
 * <p>Definitions hold no OIDs, so two databases built by the same DDL have equal snapshots: a column is its
 * {@code format_type} type, {@code not null} or {@code null}, then identity, generation or {@code default <expr>};
 * indexes, constraints, views and triggers are PostgreSQL's own deparsed text; a function is its return type,
 * language, volatility and the md5 of {@code pg_get_functiondef} (so any change to its text shows, in one short
 * line); a sequence is its type, start, increment, min, max, cycle and owning column; a table is its kind and
 * persistence; an enum lists its labels in order.
 */
public record SchemaSnapshot(SortedMap<String, String> objects) {

    public SchemaSnapshot {
        objects = Collections.unmodifiableSortedMap(new TreeMap<>(objects));
    }

    /**
     * Snapshot of every user schema (not pg_catalog, information_schema, pg_toast, pg_temp*) of the connection's
     * database; tables whose name ({@code name} or {@code schema.name}) is in {@code excludedTables} are left out
     * with their columns, indexes, constraints, triggers and the sequences they own.
     */
    public static SchemaSnapshot take(Connection connection, Set<String> excludedTables) throws SQLException {
        return new SchemaSnapshot(new CatalogReader(connection, excludedTables).read());
    }

    public int size() {
        return objects.size();
    }
}
