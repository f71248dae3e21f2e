package io.sluice.runtime.checkpoint.storage;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The bytes of a metadata file (big-endian):
 * <pre>
 * int   magic 0x534C434B ("SLCK")
 * int   version (1)
 * long  checkpoint id
 * int   file count, then per file:
 *         byte scope (0 private, 1 shared), short name length, name (ASCII), long size, int crc32c
 * int   payload length, payload bytes
 * int   CRC32C of every byte before it
 * </pre>
 * The trailing checksum makes a torn or bit-flipped metadata file an error rather than a wrong restore.
 */
final class MetadataFormat {
    static final int MAGIC = 0x534C434B;
    static final int VERSION = 1;
    private static final int FIXED_BYTES = 4 + 4 + 8 + 4 + 4 + 4;

    private MetadataFormat() {
    }

    static byte[] encode(CheckpointMetadata metadata) {
        int size = FIXED_BYTES + metadata.payloadLength();
        for (StateFileHandle f : metadata.files()) {
            size += 1 + 2 + f.name().length() + 8 + 4;
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.putInt(MAGIC).putInt(VERSION).putLong(metadata.checkpointId()).putInt(metadata.files().size());
        for (StateFileHandle f : metadata.files()) {
            out.put((byte) f.scope().ordinal());
            byte[] name = f.name().getBytes(StandardCharsets.US_ASCII);
            out.putShort((short) name.length).put(name).putLong(f.size()).putInt(f.crc32c());
        }
        out.putInt(metadata.payloadLength()).put(metadata.payloadUnsafe());
        CRC32C crc = new CRC32C();
        crc.update(out.array(), 0, out.position());
        out.putInt((int) crc.getValue());
        return out.array();
    }

    /**
     * Decodes and verifies metadata bytes.
     *
     * @param expectedId the id the metadata must name, or {@code -1} for any (opened by path)
     * @param location   the checkpoint's location, for messages
     * @param file       the metadata file's path, for messages
     */
    static CheckpointMetadata decode(byte[] bytes, long expectedId, String location, String file)
            throws CorruptCheckpointException {
        if (bytes.length < FIXED_BYTES) {
            throw corrupt(expectedId, location, file, "too short (" + bytes.length + " bytes)");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        if (in.getInt() != MAGIC) {
            throw corrupt(expectedId, location, file, "not a checkpoint metadata file (wrong magic number)");
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        int stored = ByteBuffer.wrap(bytes, bytes.length - 4, 4).getInt();
        if (stored != (int) crc.getValue()) {
            throw corrupt(expectedId, location, file, String.format(
                    "metadata checksum mismatch (stored crc32c %08x, computed %08x)", stored, (int) crc.getValue()));
        }
        int version = in.getInt();
        if (version != VERSION) {
            throw corrupt(expectedId, location, file, "unsupported metadata version " + version);
        }
        long id = in.getLong();
        if (expectedId >= 0 && id != expectedId) {
            throw corrupt(expectedId, location, file, "metadata names checkpoint " + id);
        }
        try {
            ByteBuffer body = in.limit(bytes.length - 4);
            int count = body.getInt();
            if (count < 0 || count > body.remaining() / 16) {
                throw new IllegalArgumentException("impossible file count " + count);
            }
            StateFileHandle.Scope[] scopes = StateFileHandle.Scope.values();
            List<StateFileHandle> files = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                int scope = body.get();
                if (scope < 0 || scope >= scopes.length) {
                    throw new IllegalArgumentException("unknown file scope " + scope);
                }
                byte[] name = new byte[Short.toUnsignedInt(body.getShort())];
                body.get(name);
                files.add(new StateFileHandle(scopes[scope], new String(name, StandardCharsets.US_ASCII),
                        body.getLong(), body.getInt()));
            }
            int payloadLength = body.getInt();
            if (payloadLength < 0 || payloadLength != body.remaining()) {
                throw new IllegalArgumentException("payload length " + payloadLength + " but " + body.remaining()
                        + " bytes left");
            }
            byte[] payload = new byte[payloadLength];
            body.get(payload);
            return new CheckpointMetadata(id, files, payload);
        } catch (BufferUnderflowException e) {
            throw corrupt(id, location, file, "malformed metadata (ends early)");
        } catch (IllegalArgumentException e) {
            throw corrupt(id, location, file, "malformed metadata (" + e.getMessage() + ")");
        }
    }

    private static CorruptCheckpointException corrupt(long id, String location, String file, String problem) {
        return new CorruptCheckpointException(id, location, file, problem);
    }
}
