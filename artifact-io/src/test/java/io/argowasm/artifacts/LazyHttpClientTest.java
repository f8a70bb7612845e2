package io.argowasm.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LazyHttpClientTest {

    @Test
    void nothingIsBuiltUntilTheClientIsFirstAskedFor() {
        AtomicInteger builds = new AtomicInteger();
        LazyHttpClient client =
                LazyHttpClient.of(
                        () -> {
                            builds.incrementAndGet();
                            return HttpClient.newHttpClient();
                        });

        assertThat(builds).hasValue(0);
        HttpClient first = client.get();

        assertThat(builds).hasValue(1);
        assertThat(client.get()).isSameAs(first);
        assertThat(builds).hasValue(1);
    }

    @Test
    void callersAskingAtOnceShareOneClientBuiltOnce() throws Exception {
        AtomicInteger builds = new AtomicInteger();
        CountDownLatch building = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        LazyHttpClient client =
                LazyHttpClient.of(
                        () -> {
                            builds.incrementAndGet();
                            building.countDown();
                            try {
                                release.await(10, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            return HttpClient.newHttpClient();
                        });
        ExecutorService callers = Executors.newFixedThreadPool(4);
        try {
            List<Future<HttpClient>> asked =
                    List.of(
                            callers.submit(client::get),
                            callers.submit(client::get),
                            callers.submit(client::get),
                            callers.submit(client::get));
            assertThat(building.await(10, TimeUnit.SECONDS)).isTrue();
            release.countDown();

            HttpClient first = asked.get(0).get(10, TimeUnit.SECONDS);
            for (Future<HttpClient> each : asked) {
                assertThat(each.get(10, TimeUnit.SECONDS)).isSameAs(first);
            }
            assertThat(builds).hasValue(1);
        } finally {
            callers.shutdownNow();
        }
    }
}
