package org.cnx.conveyor.preview;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The pool never hands the same port to two environments, however many ask at once, and takes ports back. */
@QuarkusTest
class PoolAllocationTest {

    @Inject
    Pool pool;

    @Test
    void fiftyConcurrentPreviewsGetDistinctPortsAndGiveThemBack() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(50);
        List<Future<Map<String, String>>> results = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                String environment = "pool-pr-" + i;
                results.add(threads.submit(() -> QuarkusTransaction.requiringNew()
                        .call(() -> pool.allocate(environment, List.of("port:archive", "port:webview")))));
            }
            Set<String> ports = new HashSet<>();
            for (Future<Map<String, String>> result : results) {
                ports.addAll(result.get().values());
            }
            assertThat(ports).as("100 ports, none given twice").hasSize(100);
        } finally {
            threads.shutdown();
            for (int i = 0; i < 50; i++) {
                String environment = "pool-pr-" + i;
                QuarkusTransaction.requiringNew().run(() -> pool.release(environment));
            }
        }
        assertThat(QuarkusTransaction.requiringNew().call(() -> pool.held("pool-pr-7")))
                .isEmpty();
    }

    @Test
    void aFreedPortIsHandedOutAgain() {
        String port = QuarkusTransaction.requiringNew()
                .call(() -> pool.allocate("pool-reuse-a", List.of("port:web")))
                .get("port:web");
        QuarkusTransaction.requiringNew().run(() -> pool.release("pool-reuse-a"));
        String again = QuarkusTransaction.requiringNew()
                .call(() -> pool.allocate("pool-reuse-b", List.of("port:web")))
                .get("port:web");
        QuarkusTransaction.requiringNew().run(() -> pool.release("pool-reuse-b"));
        assertThat(again).isEqualTo(port);
    }
}
