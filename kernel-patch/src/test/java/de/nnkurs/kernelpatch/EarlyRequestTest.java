package de.nnkurs.kernelpatch;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rapaio.jupyter.kernel.channels.Channels;
import org.rapaio.jupyter.kernel.core.ConnectionProperties;
import org.rapaio.jupyter.kernel.core.RapaioKernel;
import org.rapaio.jupyter.kernel.message.HMACDigest;
import org.rapaio.org.zeromq.SocketType;
import org.rapaio.org.zeromq.ZMQ;

/**
 * Race 1 of rapaio-jupyter-kernel 3.0.1: Channels.connect bound the sockets (and started the shell
 * thread) before it made the handler table, so a kernel_info_request that came in between threw a
 * NullPointerException in the shell thread, which ended it; the kernel never answered.
 *
 * <p>Here the client is connected and its request queued before the kernel starts, as a Jupyter
 * client does, and the kernel takes a second in {@code registerChannels}, which 3.0.1 calls after
 * binding and before making the handlers: with 3.0.1's Channels the request always lands in the
 * gap. The request must be answered, and the shell must still answer the next one.
 */
class EarlyRequestTest {

    static final String KEY = UUID.randomUUID().toString();

    /** A kernel that is slow to take its channels, like one on a busy machine. */
    static final class SlowKernel extends RapaioKernel {
        @Override
        public void registerChannels(Channels channels) {
            super.registerChannels(channels);
            try {
                Thread.sleep(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    @Timeout(120)
    void aRequestSentBeforeTheKernelIsReadyIsAnswered() throws Exception {
        int[] ports = freePorts(5);
        ConnectionProperties props = new ConnectionProperties(ports[0], ports[1], "tcp", "hmac-sha256",
                ports[2], ports[3], "127.0.0.1", ports[4], KEY);
        HMACDigest digest = props.createHMACDigest();
        RapaioKernel kernel = new SlowKernel();

        try (ZMQ.Context ctx = ZMQ.context(1); ZMQ.Socket client = ctx.socket(SocketType.DEALER)) {
            client.setReceiveTimeOut(15_000);
            client.setLinger(0);
            client.connect(props.formatAddress(props.shellPort()));
            send(client, digest, "kernel_info_request");  // queued until the kernel binds

            Channels channels = new Channels(props);
            try {
                channels.connect(kernel);
                String first = replyType(client);
                assertNotNull(first, "the kernel_info_request sent before the kernel was ready got no reply in 15 s");
                assertTrue(first.contains("\"kernel_info_reply\""), first);

                send(client, digest, "kernel_info_request");
                String second = replyType(client);
                assertNotNull(second, "the shell channel stopped answering after the first request");
                assertTrue(second.contains("\"kernel_info_reply\""), second);
            } finally {
                channels.close();
                kernel.onShutdown();
            }
        }
    }

    static void send(ZMQ.Socket socket, HMACDigest digest, String type) {
        String header = "{\"msg_id\":\"" + UUID.randomUUID() + "\",\"username\":\"test\",\"session\":\""
                + UUID.randomUUID() + "\",\"date\":\"2026-01-01T00:00:00Z\",\"msg_type\":\"" + type
                + "\",\"version\":\"5.3\"}";
        byte[][] parts = {bytes(header), bytes("{}"), bytes("{}"), bytes("{}")};
        socket.sendMore("<IDS|MSG>");
        socket.sendMore(digest.computeSignature(parts));
        socket.sendMore(parts[0]);
        socket.sendMore(parts[1]);
        socket.sendMore(parts[2]);
        socket.send(parts[3]);
    }

    /** The header of the next reply, or null if none came in time. */
    static String replyType(ZMQ.Socket socket) {
        List<byte[]> frames = new ArrayList<>();
        byte[] frame = socket.recv();
        if (frame == null) {
            return null;
        }
        frames.add(frame);
        while (socket.hasReceiveMore()) {
            frames.add(socket.recv());
        }
        // <IDS|MSG>, signature, header, parent header, metadata, content
        return new String(frames.get(2), StandardCharsets.UTF_8);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static int[] freePorts(int n) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                sockets.add(s);
                ports[i] = s.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket s : sockets) {
                s.close();
            }
        }
    }
}
