package org.cnx.conveyor.migrate.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Splits Python source into logical lines of tokens, decoding string literals. It only reads text: nothing of the
 * source is ever run, so a pull request's migrations are safe to read.
 */
final class PythonLines {

    /** What a token is; keywords are names. */
    enum Kind {
        NAME,
        NUMBER,
        STRING,
        OP
    }

    /** One token; for a string, {@code text} is its prefix in lower case and {@code value} its decoded text. */
    record Token(Kind kind, String text, String value) {
        boolean is(String s) {
            return kind != Kind.STRING && text.equals(s);
        }

        boolean fString() {
            return kind == Kind.STRING && text.contains("f");
        }
    }

    /** A logical line: physical lines joined by brackets or a backslash, with its first line and indentation. */
    record Line(int number, int indent, List<Token> tokens) {}

    /** Source that is not Python this reader understands (an unterminated string, for example). */
    static final class SyntaxError extends Exception {
        SyntaxError(String message) {
            super(message);
        }
    }

    private static final Set<String> OPS3 = Set.of("**=", "//=", ">>=", "<<=", "...");
    private static final Set<String> OPS2 = Set.of(
            "==", "!=", "<=", ">=", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "@=", "->", "**", "//", "<<", ">>",
            ":=", "<>");

    private final String s;
    private final List<Line> lines = new ArrayList<>();
    private List<Token> current = new ArrayList<>();
    private int pos;
    private int line = 1;
    private int column;
    private int depth;
    private int currentLine;
    private int currentIndent;

    private PythonLines(String source) {
        this.s = source.replace("\r\n", "\n").replace('\r', '\n');
    }

    /** The logical lines of {@code source}, blank and comment-only lines left out. */
    static List<Line> read(String source) throws SyntaxError {
        PythonLines reader = new PythonLines(source);
        reader.run();
        return reader.lines;
    }

    private void run() throws SyntaxError {
        indentation();
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c == '\n') {
                pos++;
                line++;
                if (depth == 0) {
                    endLine();
                }
                indentation();
            } else if (c == '\\' && pos + 1 < s.length() && s.charAt(pos + 1) == '\n') {
                pos += 2;
                line++;
            } else if (c == '#') {
                while (pos < s.length() && s.charAt(pos) != '\n') {
                    pos++;
                }
            } else if (c == ' ' || c == '\t' || c == '\f') {
                pos++;
            } else if (c == '"' || c == '\'') {
                string("");
            } else if (Character.isJavaIdentifierStart(c)) {
                int start = pos;
                while (pos < s.length() && Character.isJavaIdentifierPart(s.charAt(pos))) {
                    pos++;
                }
                String word = s.substring(start, pos);
                if (pos < s.length()
                        && (s.charAt(pos) == '"' || s.charAt(pos) == '\'')
                        && word.length() <= 2
                        && word.toLowerCase().matches("[rubf]+")) {
                    string(word.toLowerCase());
                } else {
                    add(new Token(Kind.NAME, word, word));
                }
            } else if (Character.isDigit(c)
                    || (c == '.' && pos + 1 < s.length() && Character.isDigit(s.charAt(pos + 1)))) {
                int start = pos;
                while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '.')) {
                    pos++;
                }
                add(new Token(Kind.NUMBER, s.substring(start, pos), s.substring(start, pos)));
            } else {
                operator(c);
            }
        }
        endLine();
    }

    private void operator(char c) {
        String op = OPS3.contains(ahead(3)) ? ahead(3) : OPS2.contains(ahead(2)) ? ahead(2) : String.valueOf(c);
        pos += op.length();
        if ("([{".contains(op)) {
            depth++;
        } else if (")]}".contains(op) && depth > 0) {
            depth--;
        }
        add(new Token(Kind.OP, op, op));
    }

    private String ahead(int n) {
        return s.substring(pos, Math.min(s.length(), pos + n));
    }

    private void indentation() {
        column = 0;
        while (pos < s.length() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t' || s.charAt(pos) == '\f')) {
            column = s.charAt(pos) == '\t' ? (column / 8 + 1) * 8 : column + 1;
            pos++;
        }
    }

    private void add(Token token) {
        if (current.isEmpty()) {
            currentLine = line;
            currentIndent = column;
        }
        current.add(token);
    }

    private void endLine() {
        if (!current.isEmpty()) {
            lines.add(new Line(currentLine, currentIndent, List.copyOf(current)));
            current = new ArrayList<>();
        }
    }

    private void string(String prefix) throws SyntaxError {
        int startLine = line;
        if (current.isEmpty()) {
            currentLine = line;
            currentIndent = column;
        }
        char q = s.charAt(pos);
        String close = s.startsWith(String.valueOf(q).repeat(3), pos)
                ? String.valueOf(q).repeat(3)
                : String.valueOf(q);
        pos += close.length();
        StringBuilder raw = new StringBuilder();
        while (true) {
            if (pos >= s.length()) {
                throw new SyntaxError("line " + startLine + ": a string that never ends");
            }
            char c = s.charAt(pos);
            if (c == '\\' && pos + 1 < s.length()) {
                raw.append(c).append(s.charAt(pos + 1));
                line += s.charAt(pos + 1) == '\n' ? 1 : 0;
                pos += 2;
                continue;
            }
            if (s.startsWith(close, pos)) {
                pos += close.length();
                break;
            }
            if (c == '\n') {
                if (close.length() == 1) {
                    throw new SyntaxError("line " + startLine + ": a string that never ends");
                }
                line++;
            }
            raw.append(c);
            pos++;
        }
        String value = prefix.contains("r") ? raw.toString() : PythonEscapes.decode(raw.toString(), startLine);
        current.add(new Token(Kind.STRING, prefix, value));
    }
}
