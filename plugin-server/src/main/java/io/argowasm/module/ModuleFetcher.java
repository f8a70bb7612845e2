package io.argowasm.module;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/** Downloads module bytes over http(s), refusing more than a size cap while it reads. */
public final class ModuleFetcher {

    private final long maxBytes;
    private final Duration timeout;
    // Made on first use: building a client sets up TLS, a third of the sidecar's start-up, and
    // pinned bundled modules never need it.
    private volatile HttpClient client;

    public ModuleFetcher(long maxBytes, Duration timeout) {
        this.maxBytes = maxBytes;
        this.timeout = timeout;
    }

    public byte[] fetch(URI url) throws ModuleLoadException {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout).GET().build();
        try {
            HttpResponse<InputStream> response =
                    client().send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    throw new ModuleLoadException(
                            "module "
                                    + url
                                    + " could not be fetched: HTTP "
                                    + response.statusCode()
                                    + "; check the URL and that the server serves it without"
                                    + " credentials");
                }
                long declared = response.headers().firstValueAsLong("content-length").orElse(-1);
                if (declared > maxBytes) {
                    throw tooLarge(url);
                }
                byte[] bytes = body.readNBytes((int) Math.min(maxBytes + 1, Integer.MAX_VALUE - 8));
                if (bytes.length > maxBytes) {
                    throw tooLarge(url);
                }
                return bytes;
            }
        } catch (HttpTimeoutException e) {
            throw new ModuleLoadException(
                    "module "
                            + url
                            + " could not be fetched: no answer within "
                            + timeout.toSeconds()
                            + "s",
                    e);
        } catch (IOException e) {
            throw new ModuleLoadException(
                    "module " + url + " could not be fetched: " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModuleLoadException("fetching module " + url + " was interrupted", e);
        }
    }

    private HttpClient client() {
        HttpClient made = client;
        if (made == null) {
            synchronized (this) {
                if (client == null) {
                    client =
                            HttpClient.newBuilder()
                                    .followRedirects(HttpClient.Redirect.NORMAL)
                                    .connectTimeout(Duration.ofSeconds(10))
                                    .build();
                }
                made = client;
            }
        }
        return made;
    }

    private ModuleLoadException tooLarge(URI url) {
        return new ModuleLoadException(
                "module "
                        + url
                        + " is larger than the "
                        + (maxBytes >> 20)
                        + " MiB module size cap");
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        if (e instanceof java.net.ConnectException) {
            return "connection refused or host unreachable";
        }
        return message == null ? e.getClass().getSimpleName() : message;
    }
}
