package io.argowasm.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Serves module bytes over loopback HTTP, as a module registry would. */
final class ModuleServer implements AutoCloseable {

    private final HttpServer server;
    private final Map<String, byte[]> modules = new ConcurrentHashMap<>();

    private ModuleServer(HttpServer server) {
        this.server = server;
    }

    static ModuleServer start() throws IOException {
        // Without it the JDK's server writes headers and body apart and Nagle's algorithm meets
        // the client's delayed ACK: every fetch would wait some 40 ms for nothing.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer http =
                HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        ModuleServer modules = new ModuleServer(http);
        http.createContext(
                "/",
                exchange -> {
                    byte[] bytes = modules.modules.get(exchange.getRequestURI().getPath());
                    if (bytes == null) {
                        exchange.sendResponseHeaders(404, -1);
                        exchange.close();
                        return;
                    }
                    exchange.getResponseHeaders().set("Content-Type", "application/wasm");
                    exchange.sendResponseHeaders(200, bytes.length);
                    try (OutputStream body = exchange.getResponseBody()) {
                        body.write(bytes);
                    }
                });
        http.start();
        return modules;
    }

    /** Serves bytes under a name and returns their URL. */
    URI serve(String name, byte[] bytes) {
        String path = "/" + name;
        modules.put(path, bytes);
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
