package org.cnx.conveyor.common;

import jakarta.persistence.AttributeConverter;
import java.util.function.Function;

/**
 * Stores a status enum as the word its table has always held ({@code queued}, {@code torn-down}), so a renamed
 * constant cannot silently change the rows; each status enum has one subclass, named on its entity's column.
 */
public abstract class StatusColumn<S extends Enum<S>> implements AttributeConverter<S, String> {

    private final Class<S> type;
    private final Function<S, String> word;

    protected StatusColumn(Class<S> type, Function<S, String> word) {
        this.type = type;
        this.word = word;
    }

    @Override
    public String convertToDatabaseColumn(S status) {
        return status == null ? null : word.apply(status);
    }

    @Override
    public S convertToEntityAttribute(String stored) {
        if (stored == null) {
            return null;
        }
        for (S status : type.getEnumConstants()) {
            if (word.apply(status).equals(stored)) {
                return status;
            }
        }
        throw new IllegalArgumentException("a row holds the unknown " + type.getSimpleName() + " \"" + stored + "\"");
    }
}
