package io.argowasm.module;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpResponse;

/**
 * HTTP redirects as module sources follow them: one hop at a time, so that the caller checks each
 * target under its rules before it is fetched. Shared by URLs ({@code ModuleFetcher}) and
 * registries ({@code oci.RegistryClient}), whose blobs redirect to storage hosts.
 */
public final class Redirects {

    private Redirects() {}

    /** Whether an answer is a redirect that names where to go next. */
    public static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    /**
     * Where a redirect answer points, resolved against the URL that answered it.
     *
     * @param what how messages name the fetch, e.g. {@code module https://... could not be fetched}
     * @throws ModuleLoadException when the answer has no Location header, or an invalid one
     */
    public static URI target(HttpResponse<?> response, URI from, String what)
            throws ModuleLoadException {
        int status = response.statusCode();
        String location =
                response.headers()
                        .firstValue("location")
                        .orElseThrow(
                                () ->
                                        new ModuleLoadException(
                                                "%s: HTTP %d without a Location header"
                                                        .formatted(what, status)));
        try {
            return from.resolve(new URI(location.trim()));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new ModuleLoadException(
                    "%s: HTTP %d redirects to an invalid URL".formatted(what, status), e);
        }
    }
}
