package org.cnx.conveyor.environment.inventory;

/** An inventory directory cannot be imported; names the file and line (0 when the whole file is at fault). */
public final class InventoryImportException extends RuntimeException {

    private final String file;
    private final int line;

    public InventoryImportException(String file, int line, String problem) {
        super(line > 0 ? file + ":" + line + ": " + problem : file + ": " + problem);
        this.file = file;
        this.line = line;
    }

    /** The file at fault, relative to the inventory directory. */
    public String file() {
        return file;
    }

    /** The 1-based line at fault, or 0 when no single line is. */
    public int line() {
        return line;
    }
}
