package org.cnx.conveyor.environment.inventory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves plain {@code {{ name }}} references between Ansible variables where the value is known: a text value is
 * put in place, a secret-like one becomes a secret reference; filters, expressions and unknown names stay as written.
 */
final class JinjaReferences {

    private static final Pattern REFERENCE = Pattern.compile("\\{\\{\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*}}");
    /** Enough for chains of references; a cycle stops here with its references left as written. */
    private static final int MAX_DEPTH = 10;

    private final Map<String, Object> scope;
    private final Function<String, String> secretOf;

    /**
     * @param scope the variables a value can refer to, by their Ansible names
     * @param secretOf the secret name holding a secret-like variable of the scope
     */
    JinjaReferences(Map<String, Object> scope, Function<String, String> secretOf) {
        this.scope = scope;
        this.secretOf = secretOf;
    }

    /** The variables with every resolvable reference in their texts (nested ones too) resolved. */
    Map<String, Object> resolveAll(Map<String, Object> variables) {
        Map<String, Object> resolved = new LinkedHashMap<>();
        variables.forEach((key, value) -> resolved.put(key, resolve(value)));
        return resolved;
    }

    private Object resolve(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> resolved = new LinkedHashMap<>();
            map.forEach((key, child) -> resolved.put(String.valueOf(key), resolve(child)));
            return resolved;
        }
        if (value instanceof List<?> list) {
            List<Object> resolved = new ArrayList<>();
            list.forEach(item -> resolved.add(resolve(item)));
            return resolved;
        }
        return value instanceof String text ? resolveText(text) : value;
    }

    private String resolveText(String text) {
        String current = text;
        for (int depth = 0; depth < MAX_DEPTH && current.contains("{{"); depth++) {
            Matcher matcher = REFERENCE.matcher(current);
            StringBuilder next = new StringBuilder();
            while (matcher.find()) {
                matcher.appendReplacement(next, Matcher.quoteReplacement(valueOf(matcher.group(1), matcher.group())));
            }
            matcher.appendTail(next);
            if (next.toString().equals(current)) {
                break;
            }
            current = next.toString();
        }
        return current;
    }

    private String valueOf(String name, String asWritten) {
        Object value = scope.get(name);
        if (value == null) {
            return asWritten;
        }
        if (VariableFlattener.looksLikeSecret(name)) {
            return "${secret:" + secretOf.apply(name) + "}";
        }
        return value instanceof String text ? text : asWritten;
    }
}
