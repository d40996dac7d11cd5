package org.cnx.conveyor.migrate.cli;

/** Decodes the backslash escapes of a Python (not raw) string literal as Python 3 does. */
final class PythonEscapes {

    private PythonEscapes() {}

    /** The text {@code raw} stands for; {@code line} names the literal in errors. */
    static String decode(String raw, int line) throws PythonLines.SyntaxError {
        StringBuilder out = new StringBuilder(raw.length());
        int i = 0;
        while (i < raw.length()) {
            char c = raw.charAt(i);
            if (c != '\\' || i + 1 >= raw.length()) {
                out.append(c);
                i++;
                continue;
            }
            char e = raw.charAt(i + 1);
            i += 2;
            switch (e) {
                case '\n' -> {
                    // A backslash before a newline joins the lines: """\ starts the SQL on the next line.
                }
                case '\\', '\'', '"' -> out.append(e);
                case 'a' -> out.append('\u0007');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'v' -> out.append('\u000b');
                case 'x' -> i = hex(raw, i, 2, out, line);
                case 'u' -> i = hex(raw, i, 4, out, line);
                case 'U' -> i = hex(raw, i, 8, out, line);
                case 'N' -> i = named(raw, i, out, line);
                default -> {
                    if (e >= '0' && e <= '7') {
                        int end = i - 1;
                        while (end < raw.length() && end < i + 2 && raw.charAt(end) >= '0' && raw.charAt(end) <= '7') {
                            end++;
                        }
                        out.append((char) Integer.parseInt(raw.substring(i - 1, end), 8));
                        i = end;
                    } else {
                        // Python keeps an unknown escape as it is, backslash included.
                        out.append('\\').append(e);
                    }
                }
            }
        }
        return out.toString();
    }

    private static int hex(String raw, int at, int digits, StringBuilder out, int line) throws PythonLines.SyntaxError {
        String hex = raw.substring(at, Math.min(raw.length(), at + digits));
        if (hex.length() != digits || !hex.matches("[0-9a-fA-F]+")) {
            throw new PythonLines.SyntaxError("line " + line + ": a malformed \\x, \\u or \\U escape");
        }
        out.appendCodePoint(Integer.parseUnsignedInt(hex, 16));
        return at + digits;
    }

    private static int named(String raw, int at, StringBuilder out, int line) throws PythonLines.SyntaxError {
        int end = raw.indexOf('}', at);
        if (at >= raw.length() || raw.charAt(at) != '{' || end < 0) {
            throw new PythonLines.SyntaxError("line " + line + ": a malformed \\N{…} escape");
        }
        try {
            out.appendCodePoint(Character.codePointOf(raw.substring(at + 1, end)));
        } catch (IllegalArgumentException e) {
            throw new PythonLines.SyntaxError("line " + line + ": unknown character name in \\N{…}");
        }
        return end + 1;
    }
}
