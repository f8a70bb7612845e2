package io.argowasm.agent;

import io.argowasm.argo.NodePhase;
import io.argowasm.argo.NodeResult;
import io.argowasm.argo.Outputs;
import io.argowasm.module.ModuleLoadException;
import io.argowasm.module.ModuleSourcePolicy;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntPredicate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import tools.jackson.databind.JsonNode;

/**
 * Runs Argo's HTTP templates, which nothing else runs once the controller creates no agent pods:
 * method, url, headers (values or {@code secretKeyRef} in the workflow's namespace), body, {@code
 * timeoutSeconds} (default 30), {@code insecureSkipVerify}; success on 2xx unless {@code
 * successCondition} says otherwise ({@link SuccessCondition}); the response body becomes {@code
 * outputs.result}. URLs pass the same address rules as module sources (hosts, plain http, private
 * addresses), and redirects are not followed, so a redirect cannot lead past those rules.
 */
public final class HttpTasks implements TaskRunner {

    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final KubernetesClient client;
    private final ModuleSourcePolicy policy;
    private final long maxBody;
    private final HttpClient verifying;
    private final HttpClient trusting;
    private final ExecutorService requests;

    /**
     * @param client reads the Secrets headers name
     * @param policy the addresses requests may go to
     * @param maxBody the largest response body kept as {@code outputs.result}
     */
    public HttpTasks(KubernetesClient client, ModuleSourcePolicy policy, long maxBody) {
        this.client = client;
        this.policy = policy;
        this.maxBody = maxBody;
        this.requests =
                Executors.newCachedThreadPool(
                        r -> {
                            Thread t = new Thread(r, "http-task");
                            t.setDaemon(true);
                            return t;
                        });
        this.verifying =
                HttpClient.newBuilder()
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .executor(requests)
                        .build();
        this.trusting =
                HttpClient.newBuilder()
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .executor(requests)
                        .sslContext(trustingContext())
                        .build();
    }

    @Override
    public RunningTask start(TaskSet taskSet, String nodeId, JsonNode template) {
        CompletableFuture<NodeResult> result = new CompletableFuture<>();
        Future<?> running =
                requests.submit(
                        () -> {
                            try {
                                result.complete(run(taskSet, template.get("http")));
                            } catch (InterruptedException e) {
                                result.complete(NodeResult.failed("the HTTP request was stopped"));
                            } catch (RuntimeException e) {
                                result.complete(
                                        NodeResult.failed(
                                                "the HTTP request failed: %s".formatted(e)));
                            }
                        });
        return new RunningTask(
                result,
                why -> {
                    result.complete(
                            NodeResult.failed("the HTTP request was stopped: %s".formatted(why)));
                    running.cancel(true);
                });
    }

    private NodeResult run(TaskSet taskSet, JsonNode http) throws InterruptedException {
        String url = http.path("url").asString("");
        if (url.isEmpty()) {
            return NodeResult.failed("http.url is missing");
        }
        URI uri;
        try {
            uri = URI.create(url);
            policy.check(uri, "http.url %s".formatted(url));
        } catch (IllegalArgumentException e) {
            return NodeResult.failed("http.url %s is not a URL: %s".formatted(url, e.getMessage()));
        } catch (ModuleLoadException e) {
            return NodeResult.failed(e.getMessage());
        }
        IntPredicate success;
        String condition = http.path("successCondition").asString("");
        try {
            success =
                    condition.isBlank()
                            ? code -> code >= 200 && code < 300
                            : SuccessCondition.parse(condition);
        } catch (IllegalArgumentException e) {
            return NodeResult.failed(e.getMessage());
        }
        Duration timeout =
                http.hasNonNull("timeoutSeconds")
                        ? Duration.ofSeconds(http.get("timeoutSeconds").asLong())
                        : DEFAULT_TIMEOUT;
        HttpRequest.Builder request =
                HttpRequest.newBuilder(uri)
                        .timeout(timeout)
                        .method(
                                http.path("method").asString("GET").toUpperCase(Locale.ROOT),
                                body(http));
        try {
            for (JsonNode header : http.path("headers")) {
                request.header(header.path("name").asString(), headerValue(taskSet, header));
            }
        } catch (IllegalArgumentException e) {
            return NodeResult.failed(e.getMessage());
        }
        HttpClient httpClient =
                http.path("insecureSkipVerify").asBoolean(false) ? trusting : verifying;
        HttpResponse<InputStream> response;
        try {
            response = httpClient.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            return NodeResult.failed(
                    "%s %s: no response within %ss (http.timeoutSeconds)"
                            .formatted(request.build().method(), url, timeout.toSeconds()));
        } catch (IOException e) {
            return NodeResult.failed(
                    "%s %s failed: %s".formatted(request.build().method(), url, e));
        }
        String body;
        try (InputStream in = response.body()) {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBody + 1));
            if (bytes.length > maxBody) {
                return NodeResult.failed(
                        "the response of %s is larger than %d bytes, too large for outputs.result"
                                .formatted(url, maxBody));
            }
            body = new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return NodeResult.failed("reading the response of %s failed: %s".formatted(url, e));
        }
        int code = response.statusCode();
        Outputs outputs = new Outputs(List.of(), List.of(), body);
        if (success.test(code)) {
            return new NodeResult(NodePhase.Succeeded, null, outputs);
        }
        String message =
                condition.isBlank()
                        ? "received non-2xx response code: %d".formatted(code)
                        : "response code %d does not satisfy successCondition '%s'"
                                .formatted(code, condition);
        return new NodeResult(NodePhase.Failed, message, outputs);
    }

    private static HttpRequest.BodyPublisher body(JsonNode http) {
        JsonNode bytes = http.path("bodyFrom").path("bytes");
        if (bytes.isString()) {
            return HttpRequest.BodyPublishers.ofByteArray(
                    Base64.getDecoder().decode(bytes.asString()));
        }
        String body = http.path("body").asString("");
        return body.isEmpty()
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body);
    }

    /** A header's value, or the Secret key it names, read in the workflow's namespace. */
    private String headerValue(TaskSet taskSet, JsonNode header) {
        JsonNode ref = header.path("valueFrom").path("secretKeyRef");
        if (ref.isMissingNode() || ref.isNull()) {
            return header.path("value").asString("");
        }
        String name = ref.path("name").asString("");
        String key = ref.path("key").asString("");
        String where =
                "header %s: secret %s key %s in namespace %s"
                        .formatted(header.path("name").asString(), name, key, taskSet.namespace());
        Secret secret;
        try {
            secret = client.secrets().inNamespace(taskSet.namespace()).withName(name).get();
        } catch (KubernetesClientException e) {
            throw new IllegalArgumentException(
                    "%s could not be read: %s; the agent's ServiceAccount needs get on secrets there"
                            .formatted(where, e.getMessage()));
        }
        if (secret == null) {
            throw new IllegalArgumentException("%s: the Secret does not exist".formatted(where));
        }
        if (secret.getData() != null && secret.getData().containsKey(key)) {
            return new String(
                    Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
        }
        if (secret.getStringData() != null && secret.getStringData().containsKey(key)) {
            return secret.getStringData().get(key);
        }
        throw new IllegalArgumentException("%s: the Secret has no such key".formatted(where));
    }

    /** For {@code insecureSkipVerify}: any certificate, any host name, as Go's client does. */
    private static SSLContext trustingContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(
                    null, new javax.net.ssl.TrustManager[] {new TrustAll()}, new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS context for insecureSkipVerify", e);
        }
    }

    private static final class TrustAll extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkClientTrusted(
                X509Certificate[] chain, String authType, java.net.Socket socket) {}

        @Override
        public void checkServerTrusted(
                X509Certificate[] chain, String authType, java.net.Socket socket) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine e) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine e) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
