package io.argowasm.artifacts.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A loopback TCP relay that cuts any connection once the client has sent more than a given number
 * of bytes on it: small requests pass, large uploads break in the middle.
 */
final class CuttingProxy implements AutoCloseable {
    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool();

    CuttingProxy(int targetPort, long cutAfterBytes) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.execute(
                () -> {
                    while (!server.isClosed()) {
                        try {
                            Socket client = server.accept();
                            Socket upstream =
                                    new Socket(InetAddress.getLoopbackAddress(), targetPort);
                            threads.execute(() -> relay(client, upstream, cutAfterBytes));
                            threads.execute(() -> relay(upstream, client, Long.MAX_VALUE));
                        } catch (IOException closed) {
                            return;
                        }
                    }
                });
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    private static void relay(Socket from, Socket to, long limit) {
        byte[] buffer = new byte[64 * 1024];
        long sent = 0;
        try (InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream()) {
            int read;
            while ((read = in.read(buffer)) > 0) {
                sent += read;
                if (sent > limit) {
                    break;
                }
                out.write(buffer, 0, read);
            }
        } catch (IOException ignored) {
            // The other direction closed the sockets.
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Already closed.
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        threads.shutdownNow();
    }
}
