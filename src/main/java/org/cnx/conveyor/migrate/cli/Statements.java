package org.cnx.conveyor.migrate.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.cnx.conveyor.migrate.cli.PythonLines.Kind;
import org.cnx.conveyor.migrate.cli.PythonLines.Token;

/** Tells a {@code cursor.execute(<literal>)} statement from everything that makes a migration more than SQL. */
final class Statements {

    private static final Set<String> LOOPS = Set.of("for", "while", "async");
    private static final Set<String> CONDITIONALS = Set.of("if", "elif", "else", "match");
    private static final Set<String> ASSIGNMENTS =
            Set.of("=", "+=", "-=", "*=", "/=", "//=", "%=", "**=", "&=", "|=", "^=", ">>=", "<<=", "@=", ":=");

    private Statements() {}

    /** The SQL of {@code cursor.execute("…")} (adjacent literals joined), or empty for any other statement. */
    static Optional<String> execute(List<Token> t, String cursor) {
        if (cursor == null
                || t.size() < 5
                || !t.get(0).is(cursor)
                || !t.get(1).is(".")
                || !t.get(2).is("execute")
                || !t.get(3).is("(")
                || !t.get(t.size() - 1).is(")")) {
            return Optional.empty();
        }
        List<Token> args = t.subList(4, t.size() - 1);
        int strings = 0;
        while (strings < args.size()
                && args.get(strings).kind() == Kind.STRING
                && !args.get(strings).fString()) {
            strings++;
        }
        List<Token> rest = args.subList(strings, args.size());
        if (strings == 0 || !(rest.isEmpty() || (rest.size() == 1 && rest.get(0).is(",")))) {
            return Optional.empty();
        }
        return Optional.of(args.subList(0, strings).stream().map(Token::value).collect(Collectors.joining()));
    }

    /**
     * Why a statement other than a literal execute keeps the file from being converted, or empty for one that does
     * nothing ({@code pass}, a docstring).
     */
    static Optional<String> check(List<Token> t, String cursor) {
        if (t.isEmpty()
                || (t.size() == 1 && t.get(0).is("pass"))
                || t.stream().allMatch(k -> k.kind() == Kind.STRING)) {
            return Optional.empty();
        }
        String first = t.get(0).text();
        if (t.stream().anyMatch(Token::fString)) {
            return Optional.of("an f-string builds the SQL");
        }
        if (t.stream().anyMatch(k -> k.is("super_user"))) {
            return Optional.of("super_user(): needs a superuser connection");
        }
        if (follows(t, "open", "(")) {
            return Optional.of("reads a file (open)");
        }
        if (t.get(0).kind() == Kind.NAME && LOOPS.contains(first)) {
            return Optional.of("a loop (" + first + ")");
        }
        if (t.get(0).kind() == Kind.NAME && CONDITIONALS.contains(first)) {
            return Optional.of("a conditional (" + first + ")");
        }
        if (follows(t, ".", "format")) {
            return Optional.of(".format interpolation builds the SQL");
        }
        if (ASSIGNMENTS.stream().anyMatch(op -> indexAtTopLevel(t, op, 0) >= 0)) {
            return Optional.of("a variable (" + abbreviated(t) + ")");
        }
        if (cursor != null
                && t.size() > 4
                && t.get(0).is(cursor)
                && t.get(2).is("execute")
                && t.get(3).is("(")) {
            int close = indexAtTopLevel(t, ")", 4);
            int comma = indexAtTopLevel(t, ",", 4);
            if (comma > 0 && comma < close - 1) {
                return Optional.of("execute with parameters");
            }
            if (indexAtTopLevel(t, "%", 4) > 0) {
                return Optional.of("% interpolation builds the SQL");
            }
            return Optional.of("execute of an expression, not a string literal (" + abbreviated(t) + ")");
        }
        return Optional.of("a statement other than cursor.execute(literal SQL): " + abbreviated(t));
    }

    /** Splits a line's tokens at top-level {@code ;} into simple statements. */
    static List<List<Token>> split(List<Token> t) {
        List<List<Token>> statements = new ArrayList<>();
        int start = 0;
        int semicolon;
        while ((semicolon = indexAtTopLevel(t, ";", start)) >= 0) {
            statements.add(t.subList(start, semicolon));
            start = semicolon + 1;
        }
        statements.add(t.subList(start, t.size()));
        return statements;
    }

    /** The index of operator {@code op} from {@code from} on, outside any brackets opened after {@code from}; or -1. */
    static int indexAtTopLevel(List<Token> t, String op, int from) {
        int depth = 0;
        for (int i = from; i < t.size(); i++) {
            Token k = t.get(i);
            if (depth == 0 && k.is(op)) {
                return i;
            }
            if (k.is("(") || k.is("[") || k.is("{")) {
                depth++;
            } else if (k.is(")") || k.is("]") || k.is("}")) {
                depth--;
            }
        }
        return -1;
    }

    /** The tokens as readable text, strings shown as {@code "…"}. */
    static String text(List<Token> t) {
        return t.stream()
                .map(k -> k.kind() == Kind.STRING ? k.text() + "\"…\"" : k.text())
                .collect(Collectors.joining(" "))
                .replace(" . ", ".")
                .replace(" ( ", "(")
                .replace(" )", ")")
                .replace(" ,", ",");
    }

    private static String abbreviated(List<Token> t) {
        String text = text(t);
        return text.length() > 60 ? text.substring(0, 57) + "…" : text;
    }

    private static boolean follows(List<Token> t, String a, String b) {
        for (int i = 0; i + 1 < t.size(); i++) {
            if (t.get(i).is(a) && t.get(i + 1).is(b)) {
                return true;
            }
        }
        return false;
    }
}
