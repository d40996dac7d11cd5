package org.cnx.conveyor.support;

import io.quarkus.test.common.QuarkusTestResource;

/** Registers the shared test database and Kafka broker for every {@code @QuarkusTest}. */
@QuarkusTestResource(TestDatabase.class)
@QuarkusTestResource(KafkaBroker.class)
public final class TestSetup {
    private TestSetup() {}
}
