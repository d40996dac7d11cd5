package org.cnx.conveyor.migrate.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.cnx.conveyor.migrate.cli.PythonLines.Line;
import org.cnx.conveyor.migrate.cli.PythonLines.Token;

/**
 * A db-migrator migration read as text: the SQL its {@code up} and {@code down} pass to {@code cursor.execute}, when
 * that is all they do, or why it cannot be turned into SQL files.
 *
 * @param up the statements of {@code up}, in order
 * @param down the statements of {@code down}; empty when it is only {@code pass} or missing
 * @param hasDown whether the file defines {@code down} at all
 * @param deferred whether {@code up} is marked {@code @deferred}
 * @param refusals why the file cannot be converted, each with its line; empty when it can
 */
record LiteralSqlMigration(
        List<String> up, List<String> down, boolean hasDown, boolean deferred, List<String> refusals) {

    private static final Set<String> ALLOWED_IMPORTS = Set.of("deferred", "logger");

    /** Reads one file's source. */
    static LiteralSqlMigration read(String source) {
        try {
            return new Reader(PythonLines.read(source)).module();
        } catch (PythonLines.SyntaxError e) {
            return new LiteralSqlMigration(List.of(), List.of(), false, false, List.of(e.getMessage()));
        }
    }

    /** Walks the module's top-level lines and the bodies of {@code up} and {@code down}. */
    private static final class Reader {
        private final List<Line> lines;
        private final List<String> refusals = new ArrayList<>();
        private List<String> up;
        private List<String> down;
        private boolean deferred;

        Reader(List<Line> lines) {
            this.lines = lines;
        }

        LiteralSqlMigration module() {
            boolean deferredNext = false;
            int i = 0;
            while (i < lines.size()) {
                Line line = lines.get(i);
                int end = i + 1;
                while (end < lines.size() && lines.get(end).indent() > line.indent()) {
                    end++;
                }
                List<Token> t = line.tokens();
                if (t.get(0).is("from") || t.get(0).is("import")) {
                    importLine(line);
                } else if (t.get(0).is("@")) {
                    if (t.size() == 2 && t.get(1).is("deferred")) {
                        deferredNext = true;
                    } else {
                        refuse(line, "a decorator other than @deferred");
                    }
                } else if (t.get(0).is("def") && t.size() > 1) {
                    function(line, lines.subList(i + 1, end), deferredNext);
                    deferredNext = false;
                } else {
                    Statements.check(t, null).ifPresent(reason -> refuse(line, reason));
                }
                i = end;
            }
            if (up == null) {
                refusals.add("no up(cursor) function");
            } else if (up.isEmpty() && refusals.isEmpty()) {
                refusals.add("up() runs no SQL: nothing to convert");
            }
            return new LiteralSqlMigration(
                    up == null ? List.of() : List.copyOf(up),
                    down == null ? List.of() : List.copyOf(down),
                    down != null,
                    deferred,
                    List.copyOf(refusals));
        }

        private void importLine(Line line) {
            List<Token> t = line.tokens();
            if (t.get(0).is("import")) {
                refuse(line, "imports " + Statements.text(t.subList(1, t.size())));
                return;
            }
            String module = t.size() > 1 ? t.get(1).text() : "";
            if (module.equals("__future__")) {
                return;
            }
            List<String> names = t.subList(Math.min(3, t.size()), t.size()).stream()
                    .filter(k -> !k.is(",") && !k.is("(") && !k.is(")"))
                    .map(Token::text)
                    .toList();
            if (!module.equals("dbmigrator") || t.size() < 3 || !t.get(2).is("import")) {
                refuse(line, "imports from " + module);
            } else if (!ALLOWED_IMPORTS.containsAll(names)) {
                refuse(line, "imports " + String.join(", ", names) + " from dbmigrator (only deferred and logger)");
            }
        }

        private void function(Line header, List<Line> body, boolean deferredUp) {
            List<Token> t = header.tokens();
            String name = t.get(1).text();
            int colon = Statements.indexAtTopLevel(t, ":", 2);
            List<Token> params = colon < 0 ? List.of() : t.subList(2, colon);
            boolean oneParam = params.size() == 3
                    && params.get(0).is("(")
                    && params.get(1).kind() == PythonLines.Kind.NAME
                    && params.get(2).is(")");
            if (name.equals("should_run")) {
                refuse(header, "should_run(): a repeat migration, checked on every run, has no flyway equivalent");
                return;
            }
            if (!name.equals("up") && !name.equals("down")) {
                refuse(header, "defines " + name + "(): only up() and down() with literal SQL are converted");
                return;
            }
            if (!oneParam) {
                refuse(header, name + "() should take exactly one parameter, the cursor");
                return;
            }
            if (deferredUp && name.equals("down")) {
                refuse(header, "@deferred on down()");
            }
            List<String> sql = new ArrayList<>();
            String cursor = params.get(1).text();
            Statements.split(t.subList(colon + 1, t.size())).forEach(s -> statement(header, s, cursor, sql));
            int bodyIndent = body.isEmpty() ? 0 : body.get(0).indent();
            for (Line line : body) {
                // Deeper lines belong to a compound statement (a loop, an if), which is refused already.
                if (line.indent() == bodyIndent) {
                    Statements.split(line.tokens()).forEach(s -> statement(line, s, cursor, sql));
                }
            }
            if (name.equals("up")) {
                up = sql;
                deferred = deferredUp;
            } else {
                down = sql;
            }
        }

        private void statement(Line line, List<Token> tokens, String cursor, List<String> sql) {
            Statements.execute(tokens, cursor)
                    .ifPresentOrElse(
                            text -> {
                                if (!text.isBlank()) {
                                    sql.add(text);
                                }
                            },
                            () -> Statements.check(tokens, cursor).ifPresent(reason -> refuse(line, reason)));
        }

        private void refuse(Line line, String reason) {
            refusals.add("line " + line.number() + ": " + reason);
        }
    }
}
