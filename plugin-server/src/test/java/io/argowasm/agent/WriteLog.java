package io.argowasm.agent;

import io.argowasm.argo.Json;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import tools.jackson.databind.JsonNode;

/**
 * The status patches agents sent and the API server accepted, recorded on the agents' clients (the
 * mock server consumes request bodies before a test could read them).
 */
final class WriteLog implements Interceptor {

    /** One accepted status patch. */
    record Write(String path, JsonNode body) {

        /** The resourceVersion the write was made against. */
        long resourceVersion() {
            return Long.parseLong(body.at("/metadata/resourceVersion").asString());
        }

        /** The node ids it wrote results for. */
        List<String> nodes() {
            List<String> nodes = new ArrayList<>();
            body.at("/status/nodes")
                    .properties()
                    .forEach(
                            e -> {
                                if (!e.getValue().isNull()) {
                                    nodes.add(e.getKey());
                                }
                            });
            return nodes;
        }
    }

    private final Queue<Write> writes = new ConcurrentLinkedQueue<>();

    /** A client of the mock server whose accepted status patches are recorded here. */
    KubernetesClient client(KubernetesMockServer server) {
        return server.createClient(
                b ->
                        b.withHttpClientBuilderConsumer(
                                h -> h.addOrReplaceInterceptor("write-log", this)));
    }

    @Override
    public void after(
            HttpRequest request,
            HttpResponse<?> response,
            AsyncBody.Consumer<List<ByteBuffer>> consumer) {
        if (request.method().equals("PATCH")
                && request.uri().getPath().endsWith("/status")
                && response.isSuccessful()) {
            writes.add(
                    new Write(
                            request.uri().getPath(), Json.mapper().readTree(request.bodyString())));
        }
    }

    List<Write> writes() {
        return List.copyOf(writes);
    }

    /** Every node id written, once per write. */
    List<String> nodes() {
        List<String> nodes = new ArrayList<>();
        writes.forEach(w -> nodes.addAll(w.nodes()));
        return nodes;
    }
}
