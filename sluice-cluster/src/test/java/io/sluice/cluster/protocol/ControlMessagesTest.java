package io.sluice.cluster.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.google.protobuf.CodedOutputStream;
import io.sluice.cluster.protocol.ControlMessages.Heartbeat;
import io.sluice.cluster.protocol.ControlMessages.HeartbeatReply;
import io.sluice.cluster.protocol.ControlMessages.RegisterReply;
import io.sluice.cluster.protocol.ControlMessages.RegisterRequest;
import io.sluice.cluster.protocol.ControlMessages.StatusReply;
import io.sluice.cluster.protocol.ControlMessages.StatusRequest;
import io.sluice.cluster.protocol.ControlMessages.WorkerStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every control message reads back what was written, and a reader skips fields it does not know. */
class ControlMessagesTest {
    private static com.google.protobuf.CodedInputStream in(byte[] bytes) {
        return com.google.protobuf.CodedInputStream.newInstance(bytes);
    }

    @Test
    void everyMessageRoundTrips() throws IOException {
        RegisterRequest register = new RegisterRequest("127.0.0.1", 40123, 4, 98765L, "5f0c2a9e-instance");
        assertEquals(register, RegisterRequest.read(in(register.toBytes())));
        RegisterRequest unfenced = new RegisterRequest("127.0.0.1", 40123, 4, 98765L, "");
        assertEquals(unfenced, RegisterRequest.read(in(unfenced.toBytes())));
        RegisterReply registered = new RegisterReply("worker-7", 1_000, 5_000);
        assertEquals(registered, RegisterReply.read(in(registered.toBytes())));
        assertEquals(new Heartbeat("worker-7"), Heartbeat.read(in(new Heartbeat("worker-7").toBytes())));
        Heartbeat measured = new Heartbeat("worker-7", new WorkerGauges(1, 2, 3, 4, 5, 6, 7, 8, 9));
        assertEquals(measured, Heartbeat.read(in(measured.toBytes())));
        Heartbeat partly = new Heartbeat("worker-8", new WorkerGauges(10, 20, 30, 0, 0, -1, -1, -1, -1));
        assertEquals(partly, Heartbeat.read(in(partly.toBytes())));
        assertEquals(new HeartbeatReply(true), HeartbeatReply.read(in(new HeartbeatReply(true).toBytes())));
        assertEquals(new HeartbeatReply(false), HeartbeatReply.read(in(new HeartbeatReply(false).toBytes())));
        assertEquals(new StatusRequest(), StatusRequest.read(in(new StatusRequest().toBytes())));
        StatusReply status = new StatusReply(List.of(new WorkerStatus("worker-1", "127.0.0.1", 1, 2, 3, 4),
                new WorkerStatus("worker-2", "::1", 5, 6, 7, 8)));
        assertEquals(status, StatusReply.read(in(status.toBytes())));
        assertEquals(new StatusReply(List.of()), StatusReply.read(in(new StatusReply(List.of()).toBytes())));
        StatusReply withRest = new StatusReply(List.of(), 43_210);
        assertEquals(withRest, StatusReply.read(in(withRest.toBytes())));
        assertEquals(0, StatusReply.read(in(new StatusReply(List.of()).toBytes())).restPort(), "none named");
    }

    @Test
    void aRegistrationFromAWorkerOlderThanInstanceIdsReadsAsOneWithout() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes); // fields 1 to 4, as such a worker writes them
        out.writeString(1, "127.0.0.1");
        out.writeInt32(2, 40123);
        out.writeInt32(3, 4);
        out.writeInt64(4, 98765L);
        out.flush();
        assertEquals(new RegisterRequest("127.0.0.1", 40123, 4, 98765L, ""),
                RegisterRequest.read(in(bytes.toByteArray())));
        RegisterRequest fresh = RegisterRequest.newInstance("127.0.0.1", 40123, 4, 98765L);
        assertEquals(36, fresh.instanceId().length(), "a random UUID: " + fresh.instanceId());
        assertNotEquals(fresh.instanceId(), RegisterRequest.newInstance("127.0.0.1", 40123, 4, 98765L).instanceId());
    }

    @Test
    void fieldsANewerPeerAddsAreSkipped() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        out.writeString(1, "worker-3");
        out.writeString(99, "something new");
        out.writeInt64(100, 42);
        out.flush();
        assertEquals(new Heartbeat("worker-3"), Heartbeat.read(in(bytes.toByteArray())),
                "unknown fields skipped; no gauges: none measured");
    }
}
