package org.cnx.conveyor.outbound;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which hosts Conveyor may send a request to on a user's behalf: none that resolves to a loopback, link-local,
 * private, shared, unspecified, broadcast or multicast address, unless the host is on the allow list.
 */
public final class AddressRule {

    /** A host the rule refuses; the message names the rule, never what answers at the address. */
    public static final class Refused extends Exception {
        public Refused(String message) {
            super(message);
        }
    }

    private final Set<String> allowedHosts;
    private final String allowListKey;

    /** A rule exempting {@code allowedHosts} (compared case-insensitively, brackets of IPv6 literals ignored). */
    public AddressRule(Optional<List<String>> allowedHosts, String allowListKey) {
        this.allowedHosts = allowedHosts.orElse(List.of()).stream()
                .map(AddressRule::canonical)
                .filter(h -> !h.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
        this.allowListKey = allowListKey;
    }

    /** Checks {@code host} (a URL's host part); every address it resolves to must be public. */
    public void check(String host) throws Refused {
        if (host == null || host.isBlank()) {
            throw new Refused("the URL names no host");
        }
        String name = canonical(host);
        if (allowedHosts.contains(name)) {
            return;
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(name);
        } catch (UnknownHostException | SecurityException e) {
            throw new Refused("host " + name + " does not resolve");
        }
        for (InetAddress address : addresses) {
            Optional<String> kind = forbidden(address);
            if (kind.isPresent()) {
                throw new Refused(
                        "host " + name + " resolves to " + kind.get() + " address, which Conveyor does not contact"
                                + " unless the host is listed in " + allowListKey);
            }
        }
    }

    /**
     * Like {@link #check}, but a host that does not resolve (yet) passes: for checking a URL when it is given, long
     * before anything connects to it; {@link #check} runs again right before the connection.
     */
    public void checkIfResolvable(String host) throws Refused {
        try {
            InetAddress.getAllByName(canonical(host == null ? "" : host));
        } catch (UnknownHostException | SecurityException e) {
            return;
        }
        check(host);
    }

    /** Whether this rule lets {@code host} through without looking it up. */
    public boolean allows(String host) {
        return host != null && allowedHosts.contains(canonical(host));
    }

    /** The kind of a forbidden address ("a loopback"…), empty for a public one. */
    static Optional<String> forbidden(InetAddress address) {
        byte[] b = address.getAddress();
        if (address instanceof Inet6Address) {
            Optional<byte[]> embedded = embeddedIpv4(b);
            if (embedded.isPresent()) {
                b = embedded.get();
            } else {
                return forbiddenIpv6(address, b);
            }
        }
        return forbiddenIpv4(b);
    }

    private static Optional<String> forbiddenIpv4(byte[] b) {
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        if (first == 127) {
            return Optional.of("a loopback");
        }
        if (first == 0) {
            return Optional.of("an unspecified");
        }
        if (first == 169 && second == 254) {
            return Optional.of("a link-local");
        }
        if (first == 10 || (first == 172 && second >= 16 && second <= 31) || (first == 192 && second == 168)) {
            return Optional.of("a private");
        }
        if (first == 100 && second >= 64 && second <= 127) {
            return Optional.of("a shared (carrier-grade NAT)");
        }
        if (first >= 224) {
            return Optional.of(first < 240 ? "a multicast" : "a reserved or broadcast");
        }
        return Optional.empty();
    }

    private static Optional<String> forbiddenIpv6(InetAddress address, byte[] b) {
        if (address.isLoopbackAddress()) {
            return Optional.of("a loopback");
        }
        if (address.isAnyLocalAddress()) {
            return Optional.of("an unspecified");
        }
        if (address.isLinkLocalAddress()) {
            return Optional.of("a link-local");
        }
        if (address.isSiteLocalAddress() || (b[0] & 0xfe) == 0xfc) {
            return Optional.of("a private");
        }
        if (address.isMulticastAddress()) {
            return Optional.of("a multicast");
        }
        return Optional.empty();
    }

    /** The IPv4 address inside an IPv4-mapped, IPv4-compatible or NAT64 (64:ff9b::/96) IPv6 address. */
    private static Optional<byte[]> embeddedIpv4(byte[] b) {
        boolean zeros = Arrays.equals(b, 0, 10, new byte[10], 0, 10);
        boolean mapped = zeros && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
        boolean compatible = zeros && b[10] == 0 && b[11] == 0 && !(Arrays.equals(b, 0, 15, new byte[15], 0, 15));
        boolean nat64 = (b[0] & 0xff) == 0x00
                && (b[1] & 0xff) == 0x64
                && (b[2] & 0xff) == 0xff
                && (b[3] & 0xff) == 0x9b
                && Arrays.equals(b, 4, 12, new byte[8], 0, 8);
        return mapped || compatible || nat64 ? Optional.of(Arrays.copyOfRange(b, 12, 16)) : Optional.empty();
    }

    private static String canonical(String host) {
        String h = host.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }
}
