package io.dindclusters.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A proxy on the Docker engine's socket that a test can cut and restore, so the service under test loses its engine
 * and gets it back while running: cut closes the listening socket (its file disappears) and every open connection.
 */
public final class EngineSocketProxy {

    private final Path socket;
    private final Path engine;
    private final Set<SocketChannel> connections = ConcurrentHashMap.newKeySet();
    private volatile ServerSocketChannel server;

    private EngineSocketProxy(Path socket, Path engine) {
        this.socket = socket;
        this.engine = engine;
    }

    /** A running proxy at {@code socket} in front of the engine at {@code engine}. */
    public static EngineSocketProxy start(Path socket, Path engine) {
        var proxy = new EngineSocketProxy(socket, engine);
        proxy.restore();
        socket.toFile().deleteOnExit();
        return proxy;
    }

    public String dockerHost() {
        return "unix://" + socket;
    }

    public synchronized void restore() {
        try {
            Files.deleteIfExists(socket);
            var channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            channel.bind(UnixDomainSocketAddress.of(socket));
            server = channel;
            daemon("engine-proxy-accept", () -> accept(channel));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public synchronized void cut() {
        try {
            server.close();
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        connections.forEach(EngineSocketProxy::closeQuietly);
        connections.clear();
    }

    private void accept(ServerSocketChannel channel) {
        while (channel.isOpen()) {
            try {
                SocketChannel client = channel.accept();
                SocketChannel upstream = SocketChannel.open(UnixDomainSocketAddress.of(engine));
                connections.add(client);
                connections.add(upstream);
                daemon("engine-proxy-up", () -> pump(client, upstream));
                daemon("engine-proxy-down", () -> pump(upstream, client));
            } catch (IOException e) {
                return; // closed by cut()
            }
        }
    }

    private void pump(SocketChannel from, SocketChannel to) {
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        try {
            while (from.read(buffer) >= 0) {
                buffer.flip();
                while (buffer.hasRemaining()) {
                    to.write(buffer);
                }
                buffer.clear();
            }
            to.shutdownOutput();
        } catch (IOException e) {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
