package org.cnx.conveyor.web;

import io.vertx.core.http.HttpServerRequest;
import java.util.Locale;

/** The address a request came from, for the audit log, in the canonical text form (RFC 5952 for IPv6). */
public final class ClientAddress {

    private ClientAddress() {}

    public static String of(HttpServerRequest request) {
        if (request == null || request.remoteAddress() == null) {
            return null;
        }
        return canonical(request.remoteAddress().hostAddress());
    }

    /**
     * {@code 0:0:0:0:0:0:0:1} becomes {@code ::1}, {@code 2001:db8:0:0:0:0:2:1} becomes {@code 2001:db8::2:1}: the
     * longest run of zero groups (the first, on a tie, and only if longer than one) collapses to {@code ::}. Anything
     * that is not an IPv6 address in full form is returned as it is.
     */
    public static String canonical(String address) {
        if (address == null || address.indexOf(':') < 0 || address.contains("::") || address.contains(".")) {
            return address;
        }
        String[] groups = address.split(":", -1);
        if (groups.length != 8) {
            return address;
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && isZero(groups[j])) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(groups[i].replaceFirst("^0+(?=.)", "").toLowerCase(Locale.ROOT));
        }
        return out.toString();
    }

    /** How pages show an address: the loopback addresses as "localhost", others in canonical form. */
    public static String shown(String address) {
        String canonical = canonical(address);
        return "::1".equals(canonical) || "127.0.0.1".equals(canonical) ? "localhost" : canonical;
    }

    private static boolean isZero(String group) {
        return group.matches("0+");
    }
}
