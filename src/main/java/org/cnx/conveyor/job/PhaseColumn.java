package org.cnx.conveyor.job;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** Stores a {@link Phase} as its word, the values the {@code phase} columns have always held. */
@Converter
public class PhaseColumn implements AttributeConverter<Phase, String> {

    @Override
    public String convertToDatabaseColumn(Phase phase) {
        return phase == null ? null : phase.id();
    }

    @Override
    public Phase convertToEntityAttribute(String id) {
        return id == null ? null : Phase.parse(id);
    }
}
