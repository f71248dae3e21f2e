package io.sluice.connectors.file;

import io.sluice.api.source.SourceSplit;

/**
 * A byte range of one file. A line belongs to the split in which its first byte lies.
 *
 * @param path        the file
 * @param offset      where reading continues
 * @param end         end of the range (exclusive): lines starting before it are this split's
 * @param atLineStart whether {@code offset} is known to start a line; if not, the reader first skips to the next one
 */
public record FileSplit(String path, long offset, long end, boolean atLineStart) implements SourceSplit {
    /**
     * The file and the end of the range, {@code path@..end}: stable while the split is read and across restores (the
     * offset moves, the end does not), and unique, since a file's ranges do not overlap.
     */
    @Override
    public String splitId() {
        return path + "@.." + end;
    }
}
