package org.cnx.conveyor.support;

import io.quarkus.test.common.QuarkusTestResource;

/** Registers the shared test database for every {@code @QuarkusTest}. */
@QuarkusTestResource(TestDatabase.class)
public final class TestSetup {
    private TestSetup() {}
}
