package io.sluice.runtime.state.snapshot;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * A cursor over the entries of one section ({@link CanonicalFormat}): state entries (key and value bytes) or timers
 * (domain, time, key bytes). {@link #next()} reads the next one; its fields stay valid until the next call. Each call
 * returns new arrays: the caller may keep them. One thread.
 */
public final class SectionEntries {
    /** A length beyond this is damage, not data: no single key or value of a snapshot is a gigabyte. */
    private static final int MAX_LENGTH = 1 << 30;

    private final DataInput in;
    private final boolean timers;
    private boolean ended;
    private byte[] key;
    private byte[] value;
    private byte domain;
    private long time;

    SectionEntries(DataInput in, boolean timers) {
        this.in = in;
        this.timers = timers;
    }

    /** Whether another entry was read; {@code false} at the end of the section. */
    public boolean next() throws IOException {
        if (ended) {
            return false;
        }
        byte marker = in.readByte();
        if (marker == CanonicalFormat.END_OF_SECTION) {
            ended = true;
            return false;
        }
        if (marker != CanonicalFormat.ENTRY) {
            throw new IOException("damaged section: entry marker " + marker);
        }
        if (timers) {
            domain = in.readByte();
            time = in.readLong();
        }
        key = readBytes(in);
        value = timers ? null : readBytes(in);
        return true;
    }

    /** The entry's key: key bytes, then namespace bytes, then (map state) the map key's bytes. */
    public byte[] key() {
        return key;
    }

    /** A state entry's value, encoded by kind ({@link CanonicalFormat}). */
    public byte[] value() {
        return value;
    }

    /** A timer's time domain. */
    public byte domain() {
        return domain;
    }

    /** A timer's time. */
    public long time() {
        return time;
    }

    /** Reads the section to its end (what a visitor did not read). */
    void skipRest() throws IOException {
        while (next()) {
            // skipped
        }
    }

    /** The remaining entries as bytes of their own, read later through {@link RestoredSection#entries()}. */
    public RestoredSection retain(int keyGroup, SectionHeader header) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        while (next()) {
            out.writeByte(CanonicalFormat.ENTRY);
            if (timers) {
                out.writeByte(domain);
                out.writeLong(time);
            }
            out.writeInt(key.length);
            out.write(key);
            if (!timers) {
                out.writeInt(value.length);
                out.write(value);
            }
        }
        out.writeByte(CanonicalFormat.END_OF_SECTION);
        return new RestoredSection(keyGroup, header, bytes.toByteArray());
    }

    /** The entries of a retained section's bytes. */
    static SectionEntries of(byte[] body, boolean timers) {
        return new SectionEntries(new DataInputStream(new ByteArrayInputStream(body)), timers);
    }

    static byte[] readBytes(DataInput in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > MAX_LENGTH) {
            throw new IOException("damaged section: length " + length);
        }
        byte[] b = new byte[length];
        in.readFully(b);
        return b;
    }
}
