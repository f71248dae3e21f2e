package io.sluice.network;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;

/**
 * A peer that writes whatever bytes a test wants on a plain socket: a client without the token, with garbage, with an
 * oversized frame, with frames of an old attempt. Reads time out after 5 s.
 */
final class RawPeer implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;

    RawPeer(InetSocketAddress server) throws IOException {
        socket = new Socket(server.getAddress(), server.getPort());
        socket.setSoTimeout(5000);
        out = socket.getOutputStream();
        in = new DataInputStream(socket.getInputStream());
    }

    /** Writes {@code frame}'s readable bytes and releases it. */
    RawPeer send(ByteBuf frame) throws IOException {
        try {
            byte[] bytes = new byte[frame.readableBytes()];
            frame.readBytes(bytes);
            return send(bytes);
        } finally {
            frame.release();
        }
    }

    RawPeer send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Shakes hands with {@code token} and reads the acknowledgement. */
    RawPeer handshake(ClusterToken token) throws IOException {
        send(Handshake.encode(Unpooled.buffer().alloc(), token));
        ByteBuf ack = readFrame();
        try {
            if (FrameType.of(ack.readByte()) != FrameType.HANDSHAKE_ACK) {
                throw new IOException("no handshake acknowledgement");
            }
        } finally {
            ack.release();
        }
        return this;
    }

    /** The next frame's type and body (an unpooled buffer). */
    ByteBuf readFrame() throws IOException {
        int length = in.readInt();
        byte[] body = new byte[length];
        in.readFully(body);
        return Unpooled.wrappedBuffer(body);
    }

    /** Whether the other side closed the connection within 5 s (reading only what it sends until then). */
    boolean closedByServer() throws IOException {
        try {
            while (in.read() >= 0) {
                // frames the server sent before closing
            }
            return true;
        } catch (EOFException | SocketException e) {
            return true; // reset by the server
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
