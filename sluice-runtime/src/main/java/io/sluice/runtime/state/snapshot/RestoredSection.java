package io.sluice.runtime.state.snapshot;

/**
 * One restored section kept as bytes until its state (or timer service) is registered, which brings the serializers
 * to decode it; written on unchanged by snapshots taken before that ({@link CanonicalSnapshotWriter#section}).
 * Immutable (the bytes are not copied: nothing changes them).
 *
 * @param keyGroup the key group it belongs to
 * @param header   what it holds
 * @param body     its entries, encoded as in the format, with the section's end marker
 */
public record RestoredSection(int keyGroup, SectionHeader header, byte[] body) {

    /** A new cursor over the entries. */
    public SectionEntries entries() {
        return SectionEntries.of(body, header instanceof TimersHeader);
    }
}
