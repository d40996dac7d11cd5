package org.cnx.conveyor.migrate.engine;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * The checksum Flyway records for a SQL script: a CRC-32 over its lines in UTF-8, without line breaks and without a
 * byte-order mark, so a checksum computed here equals the one in Flyway's history table.
 */
final class Checksums {

    private static final char BYTE_ORDER_MARK = '\uFEFF';

    private Checksums() {}

    static int of(String sql) {
        CRC32 crc = new CRC32();
        try (BufferedReader lines = new BufferedReader(new StringReader(sql))) {
            String line = lines.readLine();
            if (line != null && !line.isEmpty() && line.charAt(0) == BYTE_ORDER_MARK) {
                line = line.substring(1);
            }
            for (; line != null; line = lines.readLine()) {
                crc.update(line.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading a string cannot fail", e);
        }
        return (int) crc.getValue();
    }
}
